/*
 * The builtin server target: the reference server engines in process, on the virtual clock and a
 * DRBG seeded by --seed (issue 8 "builtin"). Per connection (the target is the first; `another`
 * gives further ones): a transport engine that detects the framing (proto/transport.h, AUTO),
 * the handshake server (proto/handshake_server.h) for unencrypted packets, and per auth key a
 * session server (proto/session.h) for encrypted ones, with each rule's reaction on the wire
 * (common/rules.h): -404 and a close, bad_msg_notification, or nothing. Keys outlive connections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "crypto/drbg.h"
#include "harness/target.h"
#include "proto/handshake_server.h"
#include "proto/message.h"
#include "proto/session.h"
#include "proto/transport.h"

#define BS_KEYS     8
#define BS_PAYLOAD  ((size_t)1 << 18)
#define BS_OUT_MSGS 64
#define BS_OUT_BUF  ((size_t)1 << 17)
#define BS_TICK_NS  (100ull * NS_PER_S / 1000)
#define BS_CONNS    16 /* connections of one scenario */

typedef struct bconn bconn;

typedef struct bs_key {
    bool used;
    mt_auth_key key;
    sess_server *sess;
    bconn *last; /* the connection that used the key last: its timers' messages go there */
} bs_key;

typedef struct bserver {
    mt_vclock vc;
    mt_drbg drbg;
    const rsa_private *rsa[1];
    bs_key keys[BS_KEYS];
    unsigned hs_retries; /* dh_gen_retry to the first N attempts (target_cfg.hs_retries) */
    bconn *conns[BS_CONNS];
    uint8_t work[BS_OUT_BUF]; /* gzip_packed queries */
    uint8_t plain[BS_PAYLOAD];
    uint8_t obuf[BS_OUT_BUF];
    mt_msg omsgs[BS_OUT_MSGS];
    uint8_t pkt[BS_OUT_BUF + 1024];
} bserver;

struct bconn {
    target t;
    bserver *s; /* owned by the first connection's target */
    bool owner;
    bool conn, closing, closed;
    mt_transport tr;
    hss hs;
    uint8_t *out; /* bytes for the harness */
    size_t out_len, out_cap;
    uint64_t close_at_ns;
    uint8_t payload[BS_PAYLOAD];
};

static int emit(bconn *c, const uint8_t *p, size_t n)
{
    if (c->out_len + n > c->out_cap) {
        size_t cap = (c->out_len + n) * 2;
        uint8_t *o = realloc(c->out, cap);
        if (!o)
            return MT_E_no_memory;
        c->out = o;
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, p, n);
    c->out_len += n;
    return 0;
}

static int frame(bconn *c, const uint8_t *p, size_t n)
{
    size_t len;
    uint8_t *f = malloc(n + MT_TRANSPORT_MAX_OVERHEAD);
    if (!f)
        return MT_E_no_memory;
    int err = mt_transport_frame(&c->tr, p, n, 0, f, n + MT_TRANSPORT_MAX_OVERHEAD, &len);
    if (!err)
        err = emit(c, f, len);
    free(f);
    return err;
}

/* A rule was broken: the reaction the catalogue gives it. */
static void react(bconn *c, int rule)
{
    const mt_rule *r = mt_rule_of(rule);
    if (!r || r->reaction == RX_TRANSPORT_ERROR || r->reaction == RX_CLOSE) {
        uint8_t e[64];
        size_t n;
        int32_t code = r && r->code < 0 ? r->code : MT_TRANSPORT_ERR_NOT_FOUND;
        if ((!r || r->reaction == RX_TRANSPORT_ERROR) &&
            mt_transport_error(&c->tr, code, e, sizeof e, &n) == 0)
            (void)emit(c, e, n);
        c->closing = true;
    }
}

static bs_key *find_key(bserver *s, const uint8_t *id)
{
    for (size_t i = 0; i < BS_KEYS; i++)
        if (s->keys[i].used && memcmp(s->keys[i].key.id, id, MT_AUTH_KEY_ID_LEN) == 0)
            return &s->keys[i];
    return NULL;
}

static int add_key(bconn *c)
{
    bserver *s = c->s;
    hs_result res;
    if (hss_result(&c->hs, &res) != 0)
        return 0;
    bs_key *k = &s->keys[0];
    for (size_t i = 0; i < BS_KEYS; i++)
        if (!s->keys[i].used) {
            k = &s->keys[i];
            break;
        }
    free(k->sess);
    memset(k, 0, sizeof *k);
    k->sess = malloc(sizeof *k->sess);
    k->last = c;
    sess_server_cfg sc = {
        .clock = &s->vc.clock, .rng = &s->drbg.rng, .work = s->work, .work_cap = sizeof s->work};
    int err = k->sess ? sess_server_init(k->sess, &sc) : MT_E_no_memory;
    if (!err) {
        k->used = true;
        k->key = res.key;
        uint32_t now = (uint32_t)(s->vc.ns / NS_PER_S);
        /* "the first server_salt" from the handshake is valid until the schedule's next salt */
        salts_learn(&k->sess->salts, (int64_t)ld64le(res.server_salt), now - now % 1800,
                    now - now % 1800 + 1800);
    }
    hs_result_wipe(&res);
    return err;
}

static int handshake_packet(bconn *c, const uint8_t *p, size_t n)
{
    size_t len;
    int err = hss_feed(&c->hs, p, n, c->s->pkt, sizeof c->s->pkt, &len);
    if (mt_rule_of(err)) {
        react(c, err);
        return 0;
    }
    if (err)
        return err;
    err = frame(c, c->s->pkt, len);
    if (!err && hss_get_state(&c->hs) == HSS_DONE)
        err = add_key(c);
    return err;
}

/* The session's answers, one packet each, with the session's salt, in the session the client
 * used (session: 0 for the engine's own session, when no packet is being answered). The engine
 * answers a packet it refuses before adopting its session, so its own id may still be 0. */
static int send_out(bconn *c, bs_key *k, sess_out *o, uint64_t session)
{
    bserver *s = c->s;
    for (size_t i = 0; i < o->n; i++) {
        mt_msg_hdr h = {(uint64_t)sess_server_salt(k->sess),
                        session ? session : k->sess->session_id, o->msgs[i].msg_id,
                        o->msgs[i].seqno};
        mt_msg_pack_opts po = {&s->drbg.rng, MT_PAD_RANDOM, NULL, NULL};
        size_t len;
        int err = mt_msg_pack(&k->key, 8, &h, o->msgs[i].body, o->msgs[i].len, &po, s->pkt,
                              sizeof s->pkt, &len);
        if (!err)
            err = frame(c, s->pkt, len);
        if (err)
            return err;
    }
    if (k->sess->close_at_ns)
        c->close_at_ns = k->sess->close_at_ns;
    sess_out_clear(o);
    return 0;
}

static int encrypted_packet(bconn *c, const uint8_t *p, size_t n)
{
    bserver *s = c->s;
    bs_key *k = n >= MT_AUTH_KEY_ID_LEN ? find_key(s, p) : NULL;
    if (!k) {
        react(c, MT_E_MSG_AUTH_KEY_ID_UNKNOWN);
        return 0;
    }
    mt_msg_view v;
    int err = mt_msg_unpack(&k->key, 0, NULL, p, n, s->plain, sizeof s->plain, &v);
    if (err) {
        react(c, err);
        return mt_rule_of(err) ? 0 : err;
    }
    k->last = c;
    sess_out o;
    sess_out_init(&o, s->obuf, sizeof s->obuf, s->omsgs, BS_OUT_MSGS);
    mt_msg in = {v.hdr.msg_id, v.hdr.seq_no, v.body, v.body_len};
    err = sess_server_feed(k->sess, (int64_t)v.hdr.salt, v.hdr.session_id, &in, &o);
    int serr = send_out(c, k, &o, v.hdr.session_id);
    const mt_rule *r = mt_rule_of(err);
    if (r && (r->reaction == RX_TRANSPORT_ERROR || r->reaction == RX_CLOSE))
        react(c, err);
    return serr ? serr : r ? 0 : err;
}

static int feed(bconn *c, const uint8_t *in, size_t n)
{
    while (n > 0 && !c->closing) {
        size_t used = 0;
        mt_transport_event ev;
        int err = mt_transport_feed(&c->tr, in, n, &used, &ev);
        in += used;
        n -= used;
        if (err) {
            react(c, mt_rule_of(err) ? err : MT_E_TRANSPORT_FRAME_TOO_LONG);
            return 0;
        }
        if (ev.type == MT_TEV_HTTP) {
            c->closing = true; /* HTTP is not served by this target */
        } else if (ev.type == MT_TEV_FRAME) {
            bool plain = ev.len >= 8 && ld64le(ev.payload) == 0;
            size_t len = mt_padded_trim(&c->tr, ev.payload, ev.len);
            err =
                plain ? handshake_packet(c, ev.payload, len) : encrypted_packet(c, ev.payload, len);
            if (err)
                return err;
        } else if (ev.type == MT_TEV_NEED_MORE) {
            break;
        }
    }
    return 0;
}

static void bs_close(target *t)
{
    bconn *c = (bconn *)t;
    if (c->conn) {
        mt_transport_wipe(&c->tr);
        hss_wipe(&c->hs);
    }
    c->conn = false;
    c->out_len = 0;
}

static int bs_open(target *t, const char *transport, char *why, size_t cap)
{
    bconn *c = (bconn *)t;
    (void)transport, (void)why, (void)cap;
    bs_close(t);
    c->closing = c->closed = false;
    c->close_at_ns = 0;
    c->conn = true;
    /* A production DC, as the relay: a test dc id gets -444 (HSS_DC_TEST_MISMATCH). */
    hss_config hc = {
        .keys = c->s->rsa, .n_keys = 1, .check_dc = true, .forced_retries = c->s->hs_retries};
    int err = mt_transport_init(&c->tr, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, c->payload,
                                sizeof c->payload, &c->s->drbg.rng);
    if (!err)
        err = hss_init(&c->hs, &hc, &c->s->vc.clock, &c->s->drbg.rng, NULL);
    return err;
}

static int bs_send(target *t, const uint8_t *p, size_t n)
{
    bconn *c = (bconn *)t;
    if (!c->conn || c->closed)
        return MT_E_io_error;
    return feed(c, p, n);
}

/* Timers of every session (acks due, salts; to the connection that used the key last), and a
 * ping_delay_disconnect close of any connection. */
static void tick(bserver *s)
{
    for (size_t i = 0; i < BS_KEYS; i++) {
        bconn *c = s->keys[i].last;
        if (!s->keys[i].used)
            continue;
        sess_out o;
        sess_out_init(&o, s->obuf, sizeof s->obuf, s->omsgs, BS_OUT_MSGS);
        if (sess_server_tick(s->keys[i].sess, &o) == 0 && c && c->conn && !c->closing)
            (void)send_out(c, &s->keys[i], &o, 0);
    }
    for (size_t i = 0; i < BS_CONNS; i++) {
        bconn *c = s->conns[i];
        if (c && c->close_at_ns && s->vc.ns >= c->close_at_ns)
            c->closing = true;
    }
}

static int bs_recv(target *t, uint8_t *buf, size_t cap, size_t *n, bool *closed, uint64_t timeout)
{
    bconn *c = (bconn *)t;
    bserver *s = c->s;
    uint64_t end = s->vc.ns + timeout;
    *n = 0;
    *closed = false;
    for (;;) {
        if (c->out_len) {
            *n = c->out_len < cap ? c->out_len : cap;
            memcpy(buf, c->out, *n);
            memmove(c->out, c->out + *n, c->out_len - *n);
            c->out_len -= *n;
            return 0;
        }
        if (c->closing || c->closed || !c->conn) {
            c->closed = true;
            *closed = true;
            return 0;
        }
        if (s->vc.ns >= end)
            return 0;
        uint64_t step = end - s->vc.ns < BS_TICK_NS ? end - s->vc.ns : BS_TICK_NS;
        vclock_advance(&s->vc, step);
        tick(s);
    }
}

static void bs_pass(target *t, uint64_t ns)
{
    bserver *s = ((bconn *)t)->s;
    for (uint64_t end = s->vc.ns + ns; s->vc.ns < end;) {
        uint64_t step = end - s->vc.ns < BS_TICK_NS ? end - s->vc.ns : BS_TICK_NS;
        vclock_advance(&s->vc, step);
        tick(s);
    }
}

static void bs_free(target *t)
{
    bconn *c = (bconn *)t;
    bserver *s = c->s;
    bs_close(t);
    for (size_t i = 0; i < BS_CONNS; i++)
        if (s->conns[i] == c)
            s->conns[i] = NULL;
    for (size_t i = 0; i < BS_KEYS; i++)
        if (s->keys[i].last == c)
            s->keys[i].last = NULL;
    free(c->out);
    if (c->owner) {
        for (size_t i = 0; i < BS_KEYS; i++) {
            mt_auth_key_wipe(&s->keys[i].key);
            free(s->keys[i].sess);
        }
        free(s);
    }
    free(c);
}

static int bs_another(target *t, target **out); /* below: it needs bs_ops */
static const target_ops bs_ops = {bs_open,  bs_send, bs_recv,   bs_pass,
                                  bs_close, bs_free, bs_another};

static bconn *new_conn(bserver *s, bool owner)
{
    size_t slot = 0;
    while (slot < BS_CONNS && s->conns[slot])
        slot++;
    bconn *c = slot < BS_CONNS ? calloc(1, sizeof *c) : NULL;
    if (!c)
        return NULL;
    s->conns[slot] = c;
    c->s = s;
    c->owner = owner;
    c->t.ops = &bs_ops;
    c->t.clock = &s->vc.clock;
    c->t.virtual_time = true;
    snprintf(c->t.desc, sizeof c->t.desc, "builtin");
    return c;
}

static int bs_another(target *t, target **out)
{
    bconn *c = new_conn(((bconn *)t)->s, false);
    if (!c)
        return MT_E_limit_exceeded;
    *out = &c->t;
    return 0;
}

int target_builtin_server(const target_cfg *cfg, target **out)
{
    bserver *s = calloc(1, sizeof *s);
    bconn *c = s ? new_conn(s, true) : NULL;
    if (!c) {
        free(s);
        return MT_E_no_memory;
    }
    vclock_init(&s->vc, cfg->t0_ns);
    drbg_init_u64(&s->drbg, cfg->seed ^ 0x5345525645520000ull);
    s->rsa[0] = cfg->key;
    s->hs_retries = cfg->hs_retries;
    *out = &c->t;
    return 0;
}
