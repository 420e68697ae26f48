/* The write path the libuv programs share (relay_uv.c, client_uv.c): one write of a private copy
 * of bytes their sans-I/O core lent them, with the owner told when it is done. The core's output
 * stays the core's until then (relay_output_done / pclient_output_done), so the copy is what the
 * socket holds while the core may move its own buffer. */
#ifndef MTPROOF_PEERS_UV_WRITE_H
#define MTPROOF_PEERS_UV_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

/* Called once a queued write has ended: n the bytes it carried, status < 0 when it failed. The
 * copy is already freed. */
typedef void (*peer_write_done)(void *ctx, size_t n, int status);

/* Copies p[0..n) and queues its write on stream. 0, or UV_ENOMEM or uv_write's error: then nothing
 * is queued and done is not called. done is never called before this returns (libuv runs write
 * callbacks from the loop). */
int peer_write_copy(uv_stream_t *stream, const uint8_t *p, size_t n, peer_write_done done,
                    void *ctx);

#endif
