/* Helpers for the transport tests: feed a byte stream to an engine in given chunks and collect
 * its events (payloads copied out, since an event's payload lives only until the next feed). */
#ifndef MTPROOF_TESTS_TRANSPORT_UTIL_H
#define MTPROOF_TESTS_TRANSPORT_UTIL_H

#include "proto/transport.h"
#include "testutil.h"

#define TU_MAX_EVENTS 64

typedef struct tu_event {
    mt_transport_event_type type;
    uint8_t *data; /* a copy of the payload */
    size_t len;
    unsigned flags;
    uint32_t token;
    int32_t code;
} tu_event;

typedef struct tu_events {
    tu_event ev[TU_MAX_EVENTS];
    size_t n;
} tu_events;

static inline void tu_events_free(tu_events *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->ev[i].data);
    e->n = 0;
}

/* Feeds in[0:n] as one chunk (through an exact-size copy, so ASan sees any overread), calling
 * feed until the chunk is used up; records the events. Returns the first error. */
static inline int tu_feed_chunk(mt_transport *t, const uint8_t *in, size_t n, tu_events *out)
{
    tu_buf chunk = tu_dup(in, n);
    size_t off = 0;
    int err = MT_OK;
    for (;;) {
        size_t used;
        mt_transport_event ev;
        err = mt_transport_feed(t, chunk.p + off, n - off, &used, &ev);
        assert_true(used <= n - off);
        off += used;
        if (err)
            break;
        if (ev.type == MT_TEV_NEED_MORE) {
            assert_int_equal(off, n); /* NEED_MORE only once the input is used up */
            break;
        }
        assert_true(out->n < TU_MAX_EVENTS);
        tu_event *e = &out->ev[out->n++];
        e->type = ev.type;
        e->len = ev.len;
        e->data = malloc(ev.len ? ev.len : 1);
        assert_non_null(e->data);
        if (ev.len)
            memcpy(e->data, ev.payload, ev.len);
        e->flags = ev.flags;
        e->token = ev.token;
        e->code = ev.code;
        if (ev.type == MT_TEV_HTTP)
            break;
    }
    tu_free(&chunk);
    return err;
}

/* Feeds in[0:n] cut at the ncuts sorted positions in cuts. */
static inline int tu_feed_cuts(mt_transport *t, const uint8_t *in, size_t n, const size_t *cuts,
                               size_t ncuts, tu_events *out)
{
    size_t start = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t end = i < ncuts ? cuts[i] : n;
        int err = tu_feed_chunk(t, in + start, end - start, out);
        if (err)
            return err;
        start = end;
    }
    return MT_OK;
}

/* Feeds in[0:n] in random chunks of 1..max bytes. */
static inline int tu_feed_random(mt_transport *t, const uint8_t *in, size_t n, size_t max,
                                 tu_events *out)
{
    size_t off = 0;
    while (off < n) {
        size_t k = 1 + tu_rand_below(max);
        if (k > n - off)
            k = n - off;
        int err = tu_feed_chunk(t, in + off, k, out);
        if (err)
            return err;
        off += k;
    }
    return MT_OK;
}

/* A test RNG that serves scripted bytes first, then a DRBG's. */
typedef struct tu_script_rng {
    mt_rng rng;
    const uint8_t *script;
    size_t len, pos;
    int fail; /* when set, every fill fails with rng_failure */
    uint64_t seed;
} tu_script_rng;

static inline int tu_script_fill(mt_rng *self, uint8_t *out, size_t n)
{
    tu_script_rng *r = (tu_script_rng *)self;
    if (r->fail)
        return MT_E_rng_failure;
    for (size_t i = 0; i < n; i++) {
        if (r->pos < r->len) {
            out[i] = r->script[r->pos++];
        } else {
            r->seed = r->seed * 6364136223846793005u + 1442695040888963407u;
            out[i] = (uint8_t)(r->seed >> 56);
        }
    }
    return MT_OK;
}

static inline void tu_script_init(tu_script_rng *r, const uint8_t *script, size_t len,
                                  uint64_t seed)
{
    memset(r, 0, sizeof *r);
    r->rng.fill = tu_script_fill;
    r->script = script;
    r->len = len;
    r->seed = seed;
}

#endif
