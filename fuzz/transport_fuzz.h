/*
 * Shared by the transport fuzz targets (fuzz/fuzz_transport_*.c, fuzz_obf2_init.c): run an engine
 * over the input once in one piece and once in pseudo-random chunks, and require the same events
 * and the same final error (the engine must not depend on how input is split). For FRAME events a
 * server engine saw, re-framing the payload must give back exactly the bytes it consumed; and for
 * the first few, the rest of the sending side (proto/transport_send.c) is checked against the
 * reading side: a server's quick ack and transport error read back by a client, the payload sent
 * by a client with its tag and by an obfuscated2 client read back by an AUTO server (fz_reply).
 */
#ifndef MTPROOF_FUZZ_TRANSPORT_FUZZ_H
#define MTPROOF_FUZZ_TRANSPORT_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crc32.h"
#include "crypto/drbg.h"
#include "proto/transport.h"

#define FZ_CAP (1u << 16)

typedef struct fz_summary {
    uint32_t digest; /* CRC over every event's type, flags, token, code, payload */
    size_t events;
    int err;
    mt_transport_kind kind;
} fz_summary;

/* Fixed engine state so every run starts alike: the server engines draw no randomness. */
typedef enum fz_mode { FZ_PLAIN, FZ_AUTO, FZ_OBF2 } fz_mode;

static uint8_t fz_buf[FZ_CAP];
static uint8_t fz_out[FZ_CAP + MT_TRANSPORT_MAX_OVERHEAD];
/* The engines of fz_reply: their own payload buffer, so fz_buf (the event's payload) stays. */
static uint8_t fz_buf2[FZ_CAP];
static uint8_t fz_wire[MT_OBF2_INIT_LEN + FZ_CAP + MT_TRANSPORT_MAX_OVERHEAD];

static void fz_init(mt_transport *t, fz_mode mode, mt_transport_kind kind, mt_transport_role role,
                    mt_drbg *rng)
{
    static const uint8_t secret[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    drbg_init_u64(rng, 1);
    int err;
    if (mode == FZ_OBF2)
        err = mt_transport_init_obf2_server(t, role == MT_ROLE_CLIENT ? secret : NULL, 16, fz_buf,
                                            FZ_CAP, &rng->rng);
    else
        err = mt_transport_init(t, mode == FZ_AUTO ? MT_TRANSPORT_AUTO : kind, role, fz_buf, FZ_CAP,
                                &rng->rng);
    if (err)
        abort();
    if (mode == FZ_PLAIN)
        mt_transport_skip_tag(t);
}

/* The first event engine r makes of wire[0:n] (NEED_MORE if none). */
static mt_transport_event fz_first_event(mt_transport *r, const uint8_t *wire, size_t n)
{
    mt_transport_event ev = {.type = MT_TEV_NEED_MORE};
    size_t off = 0, used;
    while (off < n) {
        if (mt_transport_feed(r, wire + off, n - off, &used, &ev))
            abort();
        off += used;
        if (ev.type != MT_TEV_NEED_MORE || used == 0)
            break;
    }
    return ev;
}

/* A client of kind (plain with its tag, or obfuscated2) sends payload; an AUTO server must read
 * it back with the same flags (padded: the payload then the padding drawn by the client). */
static void fz_send_to_auto(mt_transport_kind kind, bool obf2, const uint8_t *payload, size_t len,
                            unsigned flags)
{
    mt_transport c, s;
    mt_drbg rng;
    size_t n;
    drbg_init_u64(&rng, 2);
    int err = obf2 ? mt_transport_init_obf2_client(&c, kind, 2, NULL, 0, fz_buf2, FZ_CAP, &rng.rng)
                   : mt_transport_init(&c, kind, MT_ROLE_CLIENT, fz_buf2, FZ_CAP, &rng.rng);
    if (err)
        abort();
    err = mt_transport_frame(&c, payload, len, flags, fz_wire, sizeof fz_wire, &n);
    mt_transport_wipe(&c);
    if (err) { /* a payload the framing cannot carry again (padded: with more padding) */
        if (!mt_err_is_rule(err))
            abort();
        return;
    }
    if (mt_transport_init(&s, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, fz_buf2, FZ_CAP, &rng.rng))
        abort();
    mt_transport_event ev = fz_first_event(&s, fz_wire, n);
    if (ev.type != MT_TEV_FRAME || s.kind != kind || ev.flags != flags || ev.len < len ||
        ev.len > len + (kind == MT_TRANSPORT_PADDED ? 15 : 0) || memcmp(ev.payload, payload, len))
        abort();
    mt_transport_wipe(&s);
}

/* The sending side against the reading side, for a payload a server of kind read. */
static void fz_reply(mt_transport_kind kind, const uint8_t *payload, size_t len, unsigned flags)
{
    mt_transport s, c;
    mt_drbg rng;
    size_t n;
    uint32_t token = 0x80000000u | crc32_compute(payload, len);
    fz_init(&s, FZ_PLAIN, kind, MT_ROLE_SERVER, &rng);
    int err = mt_transport_quick_ack(&s, token, fz_wire, sizeof fz_wire, &n);
    if (kind == MT_TRANSPORT_FULL ? err != MT_E_bad_argument : err != MT_OK)
        abort();
    mt_transport_event ev;
    if (!err) {
        fz_init(&c, FZ_PLAIN, kind, MT_ROLE_CLIENT, &rng);
        c.buf = fz_buf2;
        ev = fz_first_event(&c, fz_wire, n);
        if (ev.type != MT_TEV_QUICK_ACK || ev.token != token)
            abort();
    }
    fz_init(&c, FZ_PLAIN, kind, MT_ROLE_CLIENT, &rng);
    c.buf = fz_buf2;
    if (mt_transport_error(&s, MT_TRANSPORT_ERR_NOT_FOUND, fz_wire, sizeof fz_wire, &n))
        abort();
    ev = fz_first_event(&c, fz_wire, n);
    if (ev.type != MT_TEV_ERROR || ev.code != MT_TRANSPORT_ERR_NOT_FOUND)
        abort();
    if (mt_transport_kind_from_name(mt_transport_kind_name(kind)) != (int)kind)
        abort();
    fz_send_to_auto(kind, false, payload, len, flags);
    if (kind != MT_TRANSPORT_FULL)
        fz_send_to_auto(kind, true, payload, len, flags);
}

/* Server, plain framing: the packet bytes pkt[0:n] that produced ev must be what a client engine
 * makes of the payload (padded: payload and padding together, as one unpadded body). */
static void fz_reframe(const mt_transport *t, const mt_transport_event *ev, const uint8_t *pkt,
                       size_t n, uint32_t seq)
{
    mt_transport c;
    mt_drbg rng;
    fz_init(&c, FZ_PLAIN, t->kind, MT_ROLE_CLIENT, &rng);
    c.tx_seq = seq;
    size_t len;
    uint8_t *copy = malloc(ev->len + 1);
    if (!copy)
        abort();
    memcpy(copy, ev->payload, ev->len);
    int err = mt_transport_frame_padding(&c, copy, ev->len, ev->flags, NULL, 0, fz_out,
                                         sizeof fz_out, &len);
    free(copy);
    /* Abridged accepts a long-form length below 127 units; re-framing gives the short form. */
    if (t->kind == MT_TRANSPORT_ABRIDGED && n >= 4 && (pkt[0] & 0x7f) == 0x7f && len + 3 == n)
        return;
    if (err || len != n || memcmp(fz_out, pkt, n) != 0)
        abort();
    if (seq < 4)
        fz_reply(t->kind, ev->payload, ev->len, ev->flags);
}

static void fz_record(fz_summary *s, const mt_transport_event *ev)
{
    uint32_t h[4] = {(uint32_t)ev->type, ev->flags, ev->token, (uint32_t)ev->code};
    s->digest = crc32_update(s->digest, h, sizeof h);
    s->digest = crc32_update(s->digest, ev->payload, ev->len);
    s->events++;
}

/* Runs the engine over data in chunks (chunk 0 = all at once; else sizes from an LCG seeded by
 * chunk). reframe: check fz_reframe on each server FRAME event. */
static fz_summary fz_run(fz_mode mode, mt_transport_kind kind, mt_transport_role role,
                         const uint8_t *data, size_t size, uint32_t chunk, int reframe)
{
    fz_summary s = {0, 0, 0, 0};
    mt_transport t;
    mt_drbg rng;
    fz_init(&t, mode, kind, role, &rng);
    size_t off = 0, pkt_start = 0;
    uint32_t lcg = chunk;
    while (off < size && !s.err) {
        size_t want = size - off;
        if (chunk) {
            lcg = lcg * 1103515245u + 12345u;
            size_t k = 1 + (lcg >> 16) % 97;
            want = k < want ? k : want;
        }
        size_t end = off + want;
        while (off < end) {
            size_t used;
            mt_transport_event ev;
            s.err = mt_transport_feed(&t, data + off, end - off, &used, &ev);
            off += used;
            if (ev.type == MT_TEV_HTTP) {
                fz_record(&s, &ev); /* the rest belongs to the HTTP engine */
                off = size;
                break;
            }
            if (s.err || ev.type == MT_TEV_NEED_MORE)
                break;
            if (reframe && ev.type == MT_TEV_FRAME)
                fz_reframe(&t, &ev, data + pkt_start, off - pkt_start, (uint32_t)s.events);
            fz_record(&s, &ev);
            pkt_start = off;
        }
    }
    s.kind = t.kind;
    mt_transport_wipe(&t);
    return s;
}

/* One-shot and chunked runs must agree. */
static void fz_check(fz_mode mode, mt_transport_kind kind, const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    mt_transport_role role = (data[0] & 1) ? MT_ROLE_CLIENT : MT_ROLE_SERVER;
    int reframe = mode == FZ_PLAIN && role == MT_ROLE_SERVER;
    fz_summary a = fz_run(mode, kind, role, data + 1, size - 1, 0, reframe);
    fz_summary b = fz_run(mode, kind, role, data + 1, size - 1, data[0] | 1u, 0);
    if (a.digest != b.digest || a.events != b.events || a.err != b.err || a.kind != b.kind)
        abort();
}

#endif
