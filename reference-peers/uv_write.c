/*
 * One libuv write request with the bytes it writes in the same allocation (reference-peers/
 * uv_write.h): freed when the write ends, before the owner hears of it.
 */
#include <stdlib.h>
#include <string.h>

#include "reference-peers/uv_write.h"

typedef struct peer_wreq {
    uv_write_t req; /* first: libuv hands back &req */
    peer_write_done done;
    void *ctx;
    size_t n;
    uint8_t data[];
} peer_wreq;

static void on_written(uv_write_t *req, int status)
{
    peer_wreq *w = (peer_wreq *)req;
    peer_write_done done = w->done;
    void *ctx = w->ctx;
    size_t n = w->n;
    free(w);
    done(ctx, n, status);
}

int peer_write_copy(uv_stream_t *stream, const uint8_t *p, size_t n, peer_write_done done,
                    void *ctx)
{
    peer_wreq *w = malloc(sizeof *w + n);
    if (!w)
        return UV_ENOMEM;
    memcpy(w->data, p, n);
    w->done = done;
    w->ctx = ctx;
    w->n = n;
    uv_buf_t b = uv_buf_init((char *)w->data, (unsigned)n);
    int err = uv_write(&w->req, stream, &b, 1, on_written);
    if (err)
        free(w);
    return err;
}
