/*
 * A small MTProto server made of the engines (server transport or HTTP engine, handshake server,
 * session server) with a scripted relay-API handler, pumped against one reference client
 * (reference-peers/client_core.h) on a virtual clock with DRBGs. It lets tests put exact answers
 * and updates in front of the client; tests/test_pclient_relay.c runs the real relay core.
 * Header-only (each test is one executable).
 */
#ifndef MTPROOF_TESTS_PCLIENT_FIXTURE_H
#define MTPROOF_TESTS_PCLIENT_FIXTURE_H

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "crypto/drbg.h"
#include "proto/handshake_server.h"
#include "proto/http.h"
#include "proto/message.h"
#include "proto/session.h"
#include "proto/session_internal.h"
#include "proto/tl.h"
#include "proto/tl_api.h"
#include "proto/tl_mtp.h"
#include "proto/tl_rly.h"
#include "reference-peers/client_core.h"

#define PF_T0_NS   (1700000000ull * NS_PER_S)
#define PF_BUF     (1u << 17)
#define PF_EV_MAX  32
#define PF_TEXTMAX 256

static rsa_private pf_key;
static const rsa_public *pf_pub[1];
static const rsa_private *pf_priv[1];

static inline int pf_setup(void **state)
{
    (void)state;
    char path[1024], text[8192];
    snprintf(path, sizeof path, "%s/vectors/keys/test_rsa2048.pem", MTPROOF_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    mt_drbg d;
    drbg_init_u64(&d, 7);
    assert_int_equal(rsa_private_load_pem(&pf_key, text, n, &d.rng, NULL, NULL), MT_OK);
    pf_pub[0] = &pf_key.pub;
    pf_priv[0] = &pf_key;
    return 0;
}

static inline int pf_teardown(void **state)
{
    (void)state;
    rsa_private_wipe(&pf_key);
    return 0;
}

/* The events a client reported, with copies of their text. */
typedef struct pf_events {
    pclient_event ev[PF_EV_MAX];
    char text[PF_EV_MAX][PF_TEXTMAX];
    hs_result key; /* the last PCLIENT_EV_KEY's */
    size_t n;
} pf_events;

static inline void pf_on_event(void *ctx, const pclient_event *ev)
{
    pf_events *e = ctx;
    if (ev->kind == PCLIENT_EV_KEY && ev->key)
        e->key = *ev->key;
    if (e->n == PF_EV_MAX)
        return;
    e->ev[e->n] = *ev;
    size_t len = ev->text ? strlen(ev->text) : 0;
    len = len < PF_TEXTMAX - 1 ? len : PF_TEXTMAX - 1;
    if (len)
        memcpy(e->text[e->n], ev->text, len);
    e->text[e->n][len] = 0;
    e->ev[e->n].text = e->text[e->n];
    if (getenv("PF_DEBUG"))
        fprintf(stderr, "event %d rule %d: %s\n", (int)ev->kind, ev->rule, e->text[e->n]);
    e->n++;
}

/* The index of the first event of a kind, or -1. */
static inline int pf_find(const pf_events *e, pclient_ev_kind kind)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->ev[i].kind == kind)
            return (int)i;
    return -1;
}

static inline pclient_config pf_config(mt_vclock *clock, mt_drbg *rng, pf_events *ev)
{
    pclient_config cfg = {
        .keys = pf_pub,
        .n_keys = 1,
        .clock = &clock->clock,
        .rng = &rng->rng,
        .transport = MT_TRANSPORT_INTERMEDIATE,
        .stop_after = PCLIENT_STAGE_ALL,
        .on_event = pf_on_event,
        .event_ctx = ev,
    };
    return cfg;
}

/* ---- the mini server ---- */

typedef struct msrv msrv;
/* The relay-API answer to a query (not bind: that one gets boolTrue unless bind_false). */
typedef size_t (*msrv_rpc)(msrv *s, const uint8_t *q, size_t n, uint8_t *out, size_t cap);

struct msrv {
    const mt_clock *clock;
    mt_drbg rng;
    bool http;
    mt_transport tr;
    http_server hs_http;
    hss hs;
    bool hs_on;
    mt_auth_key keys[4];
    size_t nkeys;
    const mt_auth_key *cur;
    uint64_t sid; /* the client's session_id, from its last packet */
    sess_server ss;
    sess_out so;
    mt_msg smsgs[64];
    msrv_rpc rpc;
    bool bind_false;
    int calls;
    uint8_t rx[PF_BUF], sbuf[PF_BUF], work[PF_BUF], plain[PF_BUF], pkt[PF_BUF], out[PF_BUF];
    size_t out_len;
};

static inline int msrv_rpc_fn(void *ctx, uint64_t req, const uint8_t *q, size_t len, uint8_t *out,
                              size_t cap, size_t *out_len)
{
    msrv *s = ctx;
    (void)req;
    s->calls++;
    if (len >= 4 && ld32le(q) == API_ID_auth_bindTempAuthKey) {
        st32le(out, s->bind_false ? TL_ID_BOOL_FALSE : TL_ID_BOOL_TRUE);
        *out_len = 4;
        return MT_OK;
    }
    *out_len = s->rpc ? s->rpc(s, q, len, out, cap) : 0;
    return *out_len ? MT_OK : MT_E_unimplemented;
}

static inline void msrv_init(msrv *s, const mt_clock *clock, bool http, msrv_rpc rpc)
{
    s->clock = clock;
    s->http = http;
    s->rpc = rpc;
    drbg_init_u64(&s->rng, 99);
    if (http)
        http_server_init(&s->hs_http, s->rx, sizeof s->rx);
    else
        assert_int_equal(mt_transport_init(&s->tr, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, s->rx,
                                           sizeof s->rx, &s->rng.rng),
                         MT_OK);
    sess_server_cfg sc = {.clock = clock,
                          .rng = &s->rng.rng,
                          .rpc = msrv_rpc_fn,
                          .rpc_ctx = s,
                          .work = s->work,
                          .work_cap = sizeof s->work};
    assert_int_equal(sess_server_init(&s->ss, &sc), MT_OK);
    sess_out_init(&s->so, s->sbuf, sizeof s->sbuf, s->smsgs, 64);
}

static inline void msrv_send(msrv *s, const uint8_t *p, size_t n)
{
    size_t w = 0;
    int err = s->http ? http_server_respond(&s->hs_http, p, n, s->out + s->out_len,
                                            sizeof s->out - s->out_len, &w)
                      : mt_transport_frame(&s->tr, p, n, 0, s->out + s->out_len,
                                           sizeof s->out - s->out_len, &w);
    assert_int_equal(err, MT_OK);
    s->out_len += w;
}

/* Encrypts what the session engine wrote, one packet per message (HTTP: all in one answer). */
static inline void msrv_flush(msrv *s)
{
    if (!s->so.n || !s->cur || (s->http && !http_server_request(&s->hs_http)))
        return;
    mt_wr w = wr_init(s->plain, sizeof s->plain);
    mt_msg cm; /* the container, when there is one */
    for (size_t i = 0; i < s->so.n; i++) {
        mt_msg_hdr h = {(uint64_t)sess_server_salt(&s->ss), s->sid, s->so.msgs[i].msg_id,
                        s->so.msgs[i].seqno};
        const mt_msg *m = &s->so.msgs[i];
        if (s->http && s->so.n > 1) {
            if (i == 0) {
                assert_int_equal(container_pack(&w, s->so.msgs, s->so.n), MT_OK);
                assert_int_equal(msgid_next(&s->ss.core.gen, s->clock, &s->rng.rng,
                                            MSGID_SERVER_OTHER, &h.msg_id),
                                 MT_OK);
                h.seq_no = 2 * s->ss.core.sent_count;
                cm = (mt_msg){h.msg_id, h.seq_no, s->plain, wr_len(&w)};
                m = &cm;
            } else {
                break;
            }
        }
        mt_msg_pack_opts o = {&s->rng.rng, MT_PAD_RANDOM, NULL, NULL};
        size_t n;
        assert_int_equal(
            mt_msg_pack(s->cur, MT_X_SERVER, &h, m->body, m->len, &o, s->pkt, sizeof s->pkt, &n),
            MT_OK);
        msrv_send(s, s->pkt, n);
    }
    sess_out_clear(&s->so);
}

/* Pushes an update (a server message that answers nothing). */
static inline void msrv_push(msrv *s, const uint8_t *body, size_t n)
{
    uint64_t id;
    assert_int_equal(core_emit(&s->ss.core, &s->so, false, body, n, &id), MT_OK);
    msrv_flush(s);
}

static inline void msrv_packet(msrv *s, const uint8_t *p, size_t n)
{
    if (n >= 8 && ld64le(p) == 0) {
        if (!s->hs_on || hss_get_state(&s->hs) == HSS_DONE) {
            hss_config hc = {.keys = pf_priv, .n_keys = 1};
            assert_int_equal(hss_init(&s->hs, &hc, s->clock, &s->rng.rng, NULL), MT_OK);
            s->hs_on = true;
        }
        size_t len = 0;
        assert_int_equal(hss_feed(&s->hs, p, n, s->pkt, sizeof s->pkt, &len), MT_OK);
        msrv_send(s, s->pkt, len);
        hs_result r;
        if (hss_get_state(&s->hs) == HSS_DONE && hss_result(&s->hs, &r) == MT_OK)
            s->keys[s->nkeys++ % 4] = r.key;
        return;
    }
    s->cur = NULL;
    for (size_t i = 0; i < s->nkeys && i < 4; i++)
        if (n >= 8 && memcmp(p, s->keys[i].id, 8) == 0)
            s->cur = &s->keys[i];
    assert_non_null(s->cur);
    mt_msg_view v;
    assert_int_equal(mt_msg_unpack(s->cur, MT_X_CLIENT, NULL, p, n, s->plain, sizeof s->plain, &v),
                     MT_OK);
    s->sid = v.hdr.session_id;
    mt_msg m = {v.hdr.msg_id, v.hdr.seq_no, v.body, v.body_len};
    int err = sess_server_feed(&s->ss, (int64_t)v.hdr.salt, v.hdr.session_id, &m, &s->so);
    if (getenv("PF_DEBUG"))
        fprintf(stderr, "server: %s, %zu out\n", mt_err_name(err), s->so.n);
    assert_true(err == MT_OK || err == MT_E_BAD_SERVER_SALT);
    msrv_flush(s);
}

static inline void msrv_feed(msrv *s, const uint8_t *in, size_t n)
{
    size_t off = 0;
    while (off < n || s->http) {
        size_t used = 0;
        if (s->http) {
            int err = http_server_feed(&s->hs_http, in + off, n - off, &used);
            off += used;
            if (err != MT_OK)
                return;
            const http_request *r = http_server_request(&s->hs_http);
            msrv_packet(s, r->body, r->body_len);
            continue;
        }
        mt_transport_event ev;
        assert_int_equal(mt_transport_feed(&s->tr, in + off, n - off, &used, &ev), MT_OK);
        off += used;
        if (ev.type == MT_TEV_NEED_MORE)
            return;
        if (ev.type != MT_TEV_FRAME)
            continue;
        size_t len = ev.len; /* padded intermediate: the packet's own length ends it */
        if (len >= 20 && ld64le(ev.payload) == 0 && ld32le(ev.payload + 16) <= len - 20)
            len = 20 + ld32le(ev.payload + 16);
        else if (len >= 24 && ld64le(ev.payload) != 0)
            len -= (len - 24) % 16;
        msrv_packet(s, ev.payload, len);
    }
}

/* Moves bytes both ways until both sides are quiet (or the client is done). HTTP: a request the
 * session left unanswered (a poll) is answered empty after its wait. */
static inline void pf_pump(pclient *c, msrv *s, mt_vclock *clock)
{
    for (int round = 0; round < 200; round++) {
        size_t n;
        const uint8_t *o = pclient_output(c, &n);
        if (n) {
            uint8_t *copy = malloc(n);
            memcpy(copy, o, n);
            pclient_output_done(c, n);
            msrv_feed(s, copy, n);
            free(copy);
        }
        if (s->out_len) {
            size_t m = s->out_len;
            s->out_len = 0;
            uint8_t *copy = malloc(m);
            memcpy(copy, s->out, m);
            int rc = pclient_feed(c, copy, m); /* errors arrive as events */
            (void)rc;
            free(copy);
            continue;
        }
        if (n)
            continue;
        if (pclient_done(c))
            return;
        if (s->http && http_server_request(&s->hs_http)) {
            vclock_advance(clock, 500 * 1000000ull);
            size_t w = 0;
            assert_int_equal(http_server_respond(&s->hs_http, NULL, 0, s->out, sizeof s->out, &w),
                             MT_OK);
            s->out_len = w;
            round += 20; /* polls are bounded: at most a few per pump */
            continue;
        }
        return;
    }
}

#endif
