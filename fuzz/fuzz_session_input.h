/* The record format of the session engine fuzz targets (fuzz_session_server.c,
 * fuzz_session_client.c): a sequence of
 *   [len:u16][flags:u8][advance:u8][delta:i32][seqno:u32][body: len bytes]
 * advance moves the virtual clock by advance * 100 ms; the msg_id is "now" (msgid_from_ns of the
 * engine's clock, low two bits cleared) moved by (delta >> 2) steps of 2^12 units (about 1 us,
 * reaching +-512 s) with delta's two low bits as its own, so ids land near the time window and in
 * order unless delta says otherwise. flags: bit 0 a wrong salt, bit 1 another
 * session_id, bit 2 "refer to the engine's last sent msg_id" (bytes 4..12 of the body are
 * replaced by it), bit 3 a tick before the message. */
#ifndef MTPROOF_FUZZ_SESSION_INPUT_H
#define MTPROOF_FUZZ_SESSION_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/endian.h"

#define REC_HDR 12u

typedef struct fuzz_rec {
    uint8_t flags;
    uint8_t advance;
    int32_t delta;
    uint32_t seqno;
    const uint8_t *body;
    size_t len;
} fuzz_rec;

#include "proto/msgid.h"

static inline uint64_t fuzz_msg_id(uint64_t now_ns, int32_t delta)
{
    int64_t steps = (int64_t)(delta >> 2); /* arithmetic on every compiler mtproof supports */
    return (msgid_from_ns(now_ns) & ~(uint64_t)3) + (uint64_t)(steps * 4096) +
           (uint64_t)(delta & 3);
}

/* Reads the next record; 0 at the end of the input. */
static inline int fuzz_next(const uint8_t **p, const uint8_t *end, fuzz_rec *r)
{
    if ((size_t)(end - *p) < 2 + REC_HDR - 2)
        return 0;
    size_t len = ld16le(*p);
    const uint8_t *h = *p + 2;
    if ((size_t)(end - h) < REC_HDR - 2 + len)
        return 0;
    r->flags = h[0];
    r->advance = h[1];
    r->delta = (int32_t)ld32le(h + 2);
    r->seqno = ld32le(h + 6);
    r->body = h + 10;
    r->len = len;
    *p = h + 10 + len;
    return 1;
}

#endif
