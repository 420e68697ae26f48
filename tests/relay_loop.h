/*
 * A client connection against relay_core in-process (reference-peers/relay_core.h), for tests:
 * our own client engines (proto/transport.h, proto/http.h, proto/handshake.h, proto/session.h)
 * on the relay's virtual clock, each with its own DRBG. Header-only (each test is one
 * executable); usable by any test that needs a relay and clients:
 *
 *   rl_relay_new(&rr, NULL, 0)             relay with the test RSA key on a virtual clock
 *   rl_open(&c, &rr, MT_TRANSPORT_..., obf2, http, seed)
 *   rl_handshake(&c, HS_KEY_PERM, 0)        creates a key; rl_session(&c) starts the session
 *   rl_call(&c, query, len)                 sends a query, pumps, returns the rpc_result body
 *   rl_poll(&c)                             reads what the relay pushed (updates -> c.updates)
 */
#ifndef MTPROOF_TESTS_RELAY_LOOP_H
#define MTPROOF_TESTS_RELAY_LOOP_H

#include "testutil.h"

#include <stdio.h>

#include "common/endian.h"
#include "crypto/drbg.h"
#include "crypto/sha256.h"
#include "proto/handshake.h"
#include "proto/http.h"
#include "proto/message.h"
#include "proto/session.h"
#include "proto/transport.h"
#include "reference-peers/relay_core.h"

#define RL_T0_NS  (1700000000ull * NS_PER_S + 777)
#define RL_BUF    ((size_t)1 << 20)
#define RL_EVENTS 64
#define RL_MSGS   64

typedef struct rl_relay {
    mt_vclock clock;
    mt_drbg rng;
    rsa_private key;
    const rsa_private *keys[1];
    relay_config cfg;
    relay *r;
} rl_relay;

typedef struct rl_event {
    sess_event ev;
    uint8_t *body; /* copy of ev.body */
} rl_event;

typedef struct rl_client {
    rl_relay *rr;
    uint32_t conn;
    mt_drbg rng;
    bool http;
    mt_transport t;
    http_client hc;
    uint8_t *tbuf, *pkt, *plain, *work, *sbuf;
    hs_client hs;
    hs_result key;
    bool have_key;
    sess_client sess;
    bool have_sess;
    mt_msg msgs[RL_MSGS];
    sess_out out;
    rl_event ev[RL_EVENTS];
    size_t nev;
    int32_t transport_error; /* the last transport error (or -HTTP status) received */
    int last_rule;           /* the last rule a received packet broke (unpack or session) */
    bool closed;             /* the relay closed the connection */
    /* Quick acks: frame_flags goes on every frame sent (MT_TF_QUICK_ACK asks for them); the
     * tokens expected for the encrypted packets sent (computed here from the plaintext) and the
     * tokens received. */
    unsigned frame_flags;
    uint32_t qa_expected[16], qa_received[16];
    size_t nqa_expected, nqa_received;
    /* Every message received (containers and the messages they hold): constructor and seqno. */
    uint32_t log_id[256], log_seqno[256];
    size_t nlog;
} rl_client;

static inline void rl_load_key(rsa_private *k, mt_rng *rng)
{
    char path[512];
    snprintf(path, sizeof path, "%s/vectors/keys/test_rsa2048.pem", MTPROOF_SOURCE_DIR);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char pem[8192];
    size_t n = fread(pem, 1, sizeof pem, fp);
    fclose(fp);
    assert_int_equal(rsa_private_load_pem(k, pem, n, rng, NULL, NULL), 0);
}

/* A relay on a virtual clock; cfg_in (may be NULL) gives limits, violations, hooks. */
static inline void rl_relay_new(rl_relay *rr, const relay_config *cfg_in)
{
    memset(rr, 0, sizeof *rr);
    vclock_init(&rr->clock, RL_T0_NS);
    drbg_init_u64(&rr->rng, 7);
    rl_load_key(&rr->key, &rr->rng.rng);
    rr->keys[0] = &rr->key;
    if (cfg_in)
        rr->cfg = *cfg_in;
    rr->cfg.keys = rr->keys;
    rr->cfg.n_keys = 1;
    rr->cfg.clock = &rr->clock.clock;
    rr->cfg.rng = &rr->rng.rng;
    assert_int_equal(relay_new(&rr->r, &rr->cfg), MT_OK);
}

static inline void rl_relay_free(rl_relay *rr)
{
    relay_free(rr->r);
    rsa_private_wipe(&rr->key);
}

static inline void rl_on_event(void *ctx, const sess_event *e)
{
    rl_client *c = ctx;
    if (c->nev == RL_EVENTS)
        return;
    rl_event *x = &c->ev[c->nev++];
    x->ev = *e;
    x->body = NULL;
    if (e->len) {
        x->body = malloc(e->len);
        assert_non_null(x->body);
        memcpy(x->body, e->body, e->len);
        x->ev.body = x->body;
    }
}

static inline void rl_clear_events(rl_client *c)
{
    for (size_t i = 0; i < c->nev; i++)
        free(c->ev[i].body);
    c->nev = 0;
}

/* kind: a framing (abridged, intermediate, padded, full); obf2: inside obfuscated2; http: the
 * HTTP transport instead (kind ignored). */
static inline void rl_open(rl_client *c, rl_relay *rr, mt_transport_kind kind, bool obf2, bool http,
                           uint64_t seed)
{
    memset(c, 0, sizeof *c);
    c->rr = rr;
    drbg_init_u64(&c->rng, seed);
    c->tbuf = malloc(RL_BUF);
    c->pkt = malloc(RL_BUF + 4096);
    c->plain = malloc(RL_BUF);
    c->work = malloc(1 << 16);
    c->sbuf = malloc(RL_BUF);
    assert_true(c->tbuf && c->pkt && c->plain && c->work && c->sbuf);
    c->http = http;
    assert_int_equal(relay_open(rr->r, http ? RELAY_CONN_HTTP : RELAY_CONN_TCP, &c->conn), 0);
    if (http)
        assert_int_equal(http_client_init(&c->hc, "relay.test", c->tbuf, RL_BUF), 0);
    else if (obf2)
        assert_int_equal(
            mt_transport_init_obf2_client(&c->t, kind, 2, NULL, 0, c->tbuf, RL_BUF, &c->rng.rng),
            0);
    else
        assert_int_equal(
            mt_transport_init(&c->t, kind, MT_ROLE_CLIENT, c->tbuf, RL_BUF, &c->rng.rng), 0);
    sess_out_init(&c->out, c->sbuf, RL_BUF, c->msgs, RL_MSGS);
}

static inline void rl_free(rl_client *c)
{
    if (!c->closed)
        relay_close(c->rr->r, c->conn);
    rl_clear_events(c);
    hs_client_wipe(&c->hs);
    hs_result_wipe(&c->key);
    mt_transport_wipe(&c->t);
    free(c->tbuf);
    free(c->pkt);
    free(c->plain);
    free(c->work);
    free(c->sbuf);
}

/* The quick-ack token of an encrypted packet of ours, computed on its own (spec/mtproto-notes
 * §6: "little-endian uint32 of msg_key_large[0:4], OR 0x80000000", msg_key_large = SHA256(
 * auth_key[88:120] ‖ plaintext)): decrypted with the message layer, hashed here. */
static inline void rl_expect_quick_ack(rl_client *c, const uint8_t *p, size_t n)
{
    mt_msg_view v;
    if (c->nqa_expected == 16 ||
        mt_msg_unpack(&c->key.key, MT_X_CLIENT, NULL, p, n, c->plain, RL_BUF, &v) != MT_OK)
        return;
    uint8_t large[SHA256_DIGEST_LEN];
    sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, c->key.key.key + 88, 32);
    sha256_update(&h, c->plain, n - MT_MSG_OUTER_LEN);
    sha256_final(&h, large);
    c->qa_expected[c->nqa_expected++] = ld32le(large) | 0x80000000u;
}

/* Frames one packet (with c->frame_flags) and feeds it to the relay; returns relay_feed's
 * result. */
static inline int rl_send_packet(rl_client *c, const uint8_t *p, size_t n)
{
    static uint8_t wire[RL_BUF + 4096];
    size_t w = 0;
    if ((c->frame_flags & MT_TF_QUICK_ACK) && n >= 8 && ld64le(p) != 0 && c->have_key)
        rl_expect_quick_ack(c, p, n);
    if (c->http)
        assert_int_equal(http_client_request(&c->hc, p, n, wire, sizeof wire, &w), 0);
    else
        assert_int_equal(mt_transport_frame(&c->t, p, n, c->frame_flags, wire, sizeof wire, &w), 0);
    return relay_feed(c->rr->r, c->conn, wire, w);
}

/* One packet the relay sent: handshake answers go to *hs_out, encrypted ones to the session. */
typedef void (*rl_packet_fn)(rl_client *c, const uint8_t *p, size_t n);

static inline void rl_log_one(rl_client *c, const mt_msg *m)
{
    if (c->nlog < 256 && m->len >= 4) {
        c->log_id[c->nlog] = ld32le(m->body);
        c->log_seqno[c->nlog++] = m->seqno;
    }
}

static inline void rl_log_msg(rl_client *c, const mt_msg *m)
{
    rl_log_one(c, m);
    static mt_msg inner[CONTAINER_MAX_MESSAGES];
    size_t n = 0;
    if (m->len >= 4 && ld32le(m->body) == 0x73f1f8dcu &&
        container_unpack(m->body, m->len, m->msg_id, m->seqno, inner, CONTAINER_MAX_MESSAGES, &n) ==
            MT_OK)
        for (size_t i = 0; i < n; i++)
            rl_log_one(c, &inner[i]);
}

static inline void rl_encrypted_in(rl_client *c, const uint8_t *p, size_t n)
{
    mt_msg_view v;
    int rule =
        mt_msg_unpack(&c->key.key, MT_X_SERVER, &c->sess.session_id, p, n, c->plain, RL_BUF, &v);
    if (!rule) {
        mt_msg m = {v.hdr.msg_id, v.hdr.seq_no, v.body, v.body_len};
        rl_log_msg(c, &m);
        rule = sess_client_feed(&c->sess, &m, &c->out);
    }
    if (rule)
        c->last_rule = rule;
}

/* Padded intermediate: the packet without the 0..15 bytes of padding after it. */
static inline size_t rl_unpadded(const rl_client *c, const uint8_t *p, size_t n)
{
    if (c->http || c->t.kind != MT_TRANSPORT_PADDED || n < MT_MSG_OUTER_LEN)
        return n;
    if (ld64le(p) == 0)
        return ld32le(p + 16) <= n - 20 ? 20 + ld32le(p + 16) : n;
    return MT_MSG_OUTER_LEN + (n - MT_MSG_OUTER_LEN) / 16 * 16;
}

/* Reads everything the relay has for c; plain packets go to fn (may be NULL), encrypted ones to
 * the session engine. Returns the number of packets. */
static inline size_t rl_read(rl_client *c, rl_packet_fn fn)
{
    size_t n = 0, count = 0;
    const uint8_t *o = relay_output(c->rr->r, c->conn, &n);
    while (o && n) {
        size_t used = 0;
        int err;
        if (c->http) {
            http_response resp;
            err = http_client_feed(&c->hc, o, n, &used, &resp);
            if (err == MT_OK && resp.transport_error)
                c->transport_error = resp.transport_error;
            else if (err == MT_OK && resp.body_len >= 8) {
                count++;
                if (ld64le(resp.body) == 0 && fn)
                    fn(c, resp.body, resp.body_len);
                else if (ld64le(resp.body) != 0 && c->have_sess)
                    rl_encrypted_in(c, resp.body, resp.body_len);
            }
        } else {
            mt_transport_event ev;
            err = mt_transport_feed(&c->t, o, n, &used, &ev);
            if (err == MT_OK && ev.type == MT_TEV_ERROR)
                c->transport_error = ev.code;
            else if (err == MT_OK && ev.type == MT_TEV_QUICK_ACK && c->nqa_received < 16)
                c->qa_received[c->nqa_received++] = ev.token;
            else if (err == MT_OK && ev.type == MT_TEV_FRAME) {
                count++;
                ev.len = rl_unpadded(c, ev.payload, ev.len);
                if (ev.len >= 8 && ld64le(ev.payload) == 0 && fn)
                    fn(c, ev.payload, ev.len);
                else if (c->have_sess)
                    rl_encrypted_in(c, ev.payload, ev.len);
            }
        }
        if (err && err != HTTP_INCOMPLETE) {
            c->last_rule = err;
            used = n;
        }
        relay_output_done(c->rr->r, c->conn, used);
        o = relay_output(c->rr->r, c->conn, &n);
        if (used == 0)
            break;
    }
    if (relay_closing(c->rr->r, c->conn) && !relay_output(c->rr->r, c->conn, &n) && !c->closed) {
        relay_close(c->rr->r, c->conn);
        c->closed = true;
    }
    return count;
}

static uint8_t rl_hs_buf[HS_PACKET_MAX];
static size_t rl_hs_len;

static inline void rl_take_hs(rl_client *c, const uint8_t *p, size_t n)
{
    (void)c;
    assert_true(n <= sizeof rl_hs_buf);
    memcpy(rl_hs_buf, p, n);
    rl_hs_len = n;
}

/* Runs a handshake; returns 0 (c->key set) or the rule the client engine found. */
static inline int rl_handshake(rl_client *c, hs_key_kind kind, int32_t expires_in)
{
    const rsa_public *pub[1] = {&c->rr->key.pub};
    hs_client_config cfg = {.keys = pub,
                            .n_keys = 1,
                            .dc = hs_dc_id(2, false, false),
                            .kind = kind,
                            .expires_in = expires_in};
    hs_client_wipe(&c->hs);
    assert_int_equal(hs_client_init(&c->hs, &cfg, &c->rr->clock.clock, &c->rng.rng, NULL), 0);
    uint8_t out[HS_PACKET_MAX];
    size_t n = 0;
    assert_int_equal(hs_client_start(&c->hs, out, sizeof out, &n), 0);
    while (n) {
        (void)rl_send_packet(c, out, n);
        rl_hs_len = 0;
        rl_read(c, rl_take_hs);
        if (!rl_hs_len)
            return c->transport_error ? MT_E_mismatch : c->last_rule;
        int err = hs_client_feed(&c->hs, rl_hs_buf, rl_hs_len, out, sizeof out, &n);
        if (err)
            return err;
    }
    hs_result_wipe(&c->key);
    assert_int_equal(hs_client_result(&c->hs, &c->key), 0);
    c->have_key = true;
    return 0;
}

/* A session under c->key (a fresh session_id from the client's DRBG). */
static inline void rl_session(rl_client *c)
{
    uint8_t sid[8];
    drbg_generate(&c->rng, sid, sizeof sid);
    sess_client_cfg cc = {&c->rr->clock.clock, &c->rng.rng, ld64le(sid), ld64le(c->key.server_salt),
                          rl_on_event,         c,           c->work,     1 << 16};
    assert_int_equal(sess_client_init(&c->sess, &cc), 0);
    c->have_sess = true;
}

/* Packs and sends every message the session engine has queued. */
static inline void rl_flush(rl_client *c)
{
    for (size_t i = 0; i < c->out.n; i++) {
        mt_msg_hdr h = {(uint64_t)sess_client_salt(&c->sess), c->sess.session_id,
                        c->out.msgs[i].msg_id, c->out.msgs[i].seqno};
        mt_msg_pack_opts o = {.rng = &c->rng.rng, .pad_len = MT_PAD_RANDOM};
        size_t n = 0;
        assert_int_equal(mt_msg_pack(&c->key.key, MT_X_CLIENT, &h, c->out.msgs[i].body,
                                     c->out.msgs[i].len, &o, c->pkt, RL_BUF + 4096, &n),
                         0);
        (void)rl_send_packet(c, c->pkt, n);
    }
    sess_out_clear(&c->out);
}

/* The index of the rpc_result event for msg_id, or -1. */
static inline int rl_find_result(const rl_client *c, uint64_t msg_id)
{
    for (size_t i = 0; i < c->nev; i++)
        if (c->ev[i].ev.kind == SESS_EV_RPC_RESULT && c->ev[i].ev.msg_id == msg_id)
            return (int)i;
    return -1;
}

/* Queues a query past the engine's resend store (bodies over SESS_STORE_BODY_MAX): its own
 * msg_id and content-related seqno. Not inlined: inside a caller with a small q, gcc's
 * -Warray-bounds flags this path, which only runs for len > SESS_STORE_BODY_MAX. */
__attribute__((noinline)) static uint64_t rl_queue_big(rl_client *c, const uint8_t *q, size_t len)
{
    uint64_t id = 0;
    sess_core *k = &c->sess.core;
    assert_int_equal(msgid_next(&k->gen, k->clock, k->rng, MSGID_CLIENT, &id), 0);
    assert_true(c->out.n < c->out.max && c->out.used + len <= c->out.cap);
    memcpy(c->out.buf + c->out.used, q, len);
    c->out.msgs[c->out.n++] = (mt_msg){id, 2 * k->sent_count++ + 1, c->out.buf + c->out.used, len};
    c->out.used += len;
    return id;
}

/* Sends a query and reads the answers; returns the rpc_result event, or NULL. */
static inline const sess_event *rl_call(rl_client *c, const uint8_t *q, size_t len)
{
    uint64_t id = 0;
    if (len > SESS_STORE_BODY_MAX)
        id = rl_queue_big(c, q, len);
    else
        assert_int_equal(sess_client_send(&c->sess, q, len, &c->out, &id), 0);
    rl_flush(c);
    for (int round = 0; round < 4; round++) {
        rl_read(c, NULL);
        rl_flush(c); /* acks, resends after bad_server_salt */
        for (size_t k = 0; k < c->nev; k++)
            if (c->ev[k].ev.kind == SESS_EV_RESENT && c->ev[k].ev.ref_id == id)
                id = c->ev[k].ev.msg_id;
        int i = rl_find_result(c, id);
        if (i >= 0)
            return &c->ev[i].ev;
    }
    return NULL;
}

/* Reads pushed packets (updates arrive as SESS_EV_UPDATE events). */
static inline void rl_poll(rl_client *c)
{
    rl_read(c, NULL);
    rl_flush(c);
}

/* The first event of kind whose body starts with ctor id (0: any), or NULL. */
static inline const sess_event *rl_find_update(const rl_client *c, uint32_t id)
{
    for (size_t i = 0; i < c->nev; i++)
        if (c->ev[i].ev.kind == SESS_EV_UPDATE && c->ev[i].ev.len >= 4 &&
            (id == 0 || ld32le(c->ev[i].ev.body) == id))
            return &c->ev[i].ev;
    return NULL;
}

#endif
