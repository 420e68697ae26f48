/*
 * Target: the harness of `mtproof conform` reading what the peer under test sends. cf_run_scenario
 * (harness/conform_run.c, conform_multi.c) runs one of the scenarios of
 * fuzz/conform_peer_input.h (byte 0 picks it) against a scripted target, and beneath it:
 * cf_pump, cf_packet and the framing / HTTP feeds (harness/conform_peer_io.c, conform_peer.c,
 * conform_http.c, conform_http_server.c), the checks of a server's messages cf_check_msg /
 * cf_check_session (conform_check.c), expect steps cf_expect (conform_expect.c), cf_handshake in
 * both roles (conform_handshake.c, conform_hs_edges.c, conform_steer.c), cf_bind
 * (conform_bind.c), the setup answers cf_setup_answer / cf_is_query (conform_setup.c) and the
 * room peer cf_e2e_step / cf_e2e_expect / cf_e2e_send (conform_e2e*.c).
 * The peer: every byte it sends comes from the input (after byte 0), records
 * [u8 kind|flags][u16le len][len bytes] (fuzz/fuzz_records.h, fuzz_relay_next):
 *   0 AUTO   the answers of the peer's real handshake engine (hss when the harness is the client,
 *            hs_client when it is the server) to what the harness sent, so that a scenario gets a
 *            key, and the room member's (fuzz/conform_peer_e2e.h: its e2e.request / e2e.accept,
 *            so that a chat key is agreed); flag 8: (peer as client) start a new handshake,
 *            flag 16: for a temporary key
 *   1 RAW    the bytes as they are          2 FRAME  one payload in the peer's framing
 *   3 MSG    [msg_id u64][seqno u32][body] encrypted with the current key (flag 8: msg_id from
 *            the clock; 16: body[4..12] = the harness's last msg_id; 32: a wrong session;
 *            64: seqno = the next content-related one; 128: instead an e2e envelope in a
 *            relay.send query, [u8 b][bytes]: b bit 0 the envelope as it is, else e2e.encrypted
 *            of the bytes, a decryptedMessageLayer, sealed under the chat key)
 *   4 PLAIN  [msg_id u64][body] unencrypted (flag 8: msg_id from the clock)
 *   5 QACK   a quick ack (token from the bytes)     6 CLOSE  the peer closes
 *   7 WAIT   len x 100 ms pass (no bytes)
 * 0, 6, 7 take no bytes; the input's end is AUTO. recv of nothing lets the timeout pass on the
 * virtual clock: no input makes the harness wait on real time. Property: every scenario ends
 * (pass, fail or error, with a message unless it passed); the sanitizers see no error or leak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/drbg.h"
#include "fuzz/conform_peer_e2e.h"
#include "fuzz/conform_peer_input.h"
#include "fuzz/fuzz_records.h"
#include "fuzz/fuzz_test_key.h"
#include "harness/conform_run.h"
#include "proto/handshake.h"
#include "proto/handshake_server.h"
#include "proto/message.h"

#define FZ_PAYLOAD ((size_t)1 << 17)
#define FZ_OUT     ((size_t)1 << 18)

typedef struct fz_buf {
    uint8_t *b;
    size_t len;
} fz_buf;
typedef struct fz {
    target t;
    mt_vclock vc;
    mt_drbg drbg;
    bool server; /* the harness plays the server: the peer is a client */
    const uint8_t *in, *end;
    bool http, closed;
    mt_transport tr;
    hss hs;
    hs_client hc;
    bool hs_live;
    mt_auth_key keys[2]; /* [0] the newest */
    size_t n_keys, cur;
    uint64_t session, last_id;
    int64_t salt;
    uint32_t content;
    mt_msgid_gen ids;
    fz_buf q, autos; /* bytes for the harness now; the engine's answers held for AUTO */
    fz_e2e e2e;      /* the peer as a room member (peer as client) */
    uint8_t rx[FZ_PAYLOAD], plain[FZ_PAYLOAD], pkt[FZ_PAYLOAD], work[FZ_PAYLOAD];
    uint8_t env[E2E_ENVELOPE_MAX + 64];
} fz;

static rsa_private key;
static const rsa_private *const keys[1] = {&key}; /* the engines keep the pointers */
static const rsa_public *const pubs[1] = {&key.pub};
static sc_set set;

static void put(fz_buf *o, const uint8_t *p, size_t n)
{
    n = n > FZ_OUT - o->len ? FZ_OUT - o->len : n; /* a full buffer drops: the harness waits */
    memcpy(o->b + o->len, p, n);
    o->len += n;
}

/* One payload in the peer's framing: HTTP (request or response with Content-Length) or the
 * transport engine's. */
static void frame(fz *f, fz_buf *o, const uint8_t *p, size_t n)
{
    char h[96];
    size_t len = 0;
    if (f->http) {
        int k =
            snprintf(h, sizeof h, "%sContent-Length: %zu\r\n\r\n",
                     f->server ? "POST /api HTTP/1.1\r\nHost: fz\r\n" : "HTTP/1.1 200 OK\r\n", n);
        put(o, (const uint8_t *)h, (size_t)k);
        put(o, p, n);
    } else if (mt_transport_frame(&f->tr, p, n, 0, f->work, sizeof f->work, &len) == 0) {
        put(o, f->work, len);
    }
}

static void take_key(fz *f, hs_result *r)
{
    f->keys[1] = f->keys[0];
    f->keys[0] = r->key;
    f->n_keys = f->n_keys < 2 ? f->n_keys + 1 : 2;
    f->cur = 0;
    f->salt = (int64_t)ld64le(r->server_salt);
    hs_result_wipe(r);
}

/* The peer as client starts a handshake: req_pq_multi waits for an AUTO record. */
static void hs_start(fz *f, bool temp)
{
    hs_client_config cfg = {
        .keys = pubs, .n_keys = 1, .kind = temp ? HS_KEY_TEMP : HS_KEY_PERM, .expires_in = 3600};
    size_t n = 0;
    f->hs_live = hs_client_init(&f->hc, &cfg, &f->vc.clock, &f->drbg.rng, NULL) == 0 &&
                 hs_client_start(&f->hc, f->pkt, sizeof f->pkt, &n) == 0;
    if (f->hs_live)
        frame(f, &f->autos, f->pkt, n);
}

/* An unencrypted packet from the harness: the peer's handshake engine answers it. */
static void plain_in(fz *f, const uint8_t *p, size_t n)
{
    size_t out = 0;
    hs_result r;
    if (f->server) {
        if (f->hs_live && hs_client_feed(&f->hc, p, n, f->pkt, sizeof f->pkt, &out) == 0) {
            if (out)
                frame(f, &f->autos, f->pkt, out);
            else if (hs_client_result(&f->hc, &r) == 0)
                take_key(f, &r);
        }
        return;
    }
    hss_config cfg = {.keys = keys, .n_keys = 1};
    if ((!f->hs_live || hss_get_state(&f->hs) >= HSS_DONE) &&
        hss_init(&f->hs, &cfg, &f->vc.clock, &f->drbg.rng, NULL) == 0)
        f->hs_live = true;
    int err = f->hs_live ? hss_feed(&f->hs, p, n, f->pkt, sizeof f->pkt, &out) : MT_E_bad_argument;
    if (!err) {
        frame(f, &f->autos, f->pkt, out);
        if (hss_result(&f->hs, &r) == 0)
            take_key(f, &r);
    } else if (mt_err_is_rule(err)) {
        uint8_t e[4];
        st32le(e, (uint32_t)MT_TRANSPORT_ERR_NOT_FOUND);
        frame(f, &f->autos, e, 4);
    }
}

/* An encrypted message from the peer with h's fields, changed by the MSG flags: 8 msg_id from
 * the clock, 16 body[4..12] = the harness's last msg_id, 32 a wrong session, 64 seqno = the next
 * content-related one. body may be changed (flag 16); it must not lie in pkt. */
static void send_msg(fz *f, fz_buf *o, uint8_t flags, mt_msg_hdr h, uint8_t *body, size_t len)
{
    size_t out = 0;
    h.salt = (uint64_t)f->salt;
    h.session_id = f->session ^ ((flags & 32) ? 1 : 0);
    if ((flags & 8) && msgid_next(&f->ids, &f->vc.clock, &f->drbg.rng,
                                  f->server ? MSGID_CLIENT : MSGID_SERVER_RESPONSE, &h.msg_id) != 0)
        return;
    if ((flags & 16) && len >= 12)
        st64le(body + 4, f->last_id);
    if (flags & 64)
        h.seq_no = 2 * f->content++ + 1;
    static const mt_auth_key none;
    const mt_auth_key *k = f->n_keys ? &f->keys[f->cur] : &none;
    mt_msg_pack_opts po = {&f->drbg.rng, MT_PAD_RANDOM, NULL, NULL};
    if (mt_msg_pack(k, f->server ? 0 : 8, &h, body, len, &po, f->pkt, sizeof f->pkt, &out) == 0)
        frame(f, o, f->pkt, out);
}

/* An e2e envelope (in f->env) as the room member sends it: a relay.send query. */
static void send_envelope(fz *f, fz_buf *o, const mt_wr *env)
{
    mt_wr w = wr_init(f->work, sizeof f->work);
    wr_u32le(&w, RLY_ID_relay_send);
    tl_wr_string(&w, f->env, wr_len(env));
    if (!env->err && !w.err && wr_len(env))
        send_msg(f, o, 8 | 64, (mt_msg_hdr){0}, f->work, wr_len(&w));
}

/* MSG: [msg_id u64][seqno u32][body]; flag 128: an E2E record (fz_e2e_record) in relay.send. */
static void msg_record(fz *f, uint8_t flags, const uint8_t *p, size_t n)
{
    if (flags & 128) {
        mt_wr env = wr_init(f->env, sizeof f->env);
        fz_e2e_record(&f->e2e, p, n, &env);
        send_envelope(f, &f->q, &env);
        return;
    }
    if (n < 12)
        return;
    size_t len = (n - 12) & ~(size_t)3;
    memcpy(f->work, p + 12, len);
    send_msg(f, &f->q, flags, (mt_msg_hdr){.msg_id = ld64le(p), .seq_no = ld32le(p + 8)}, f->work,
             len);
}

/* One payload from the harness: plain packets go to the handshake engine; from an encrypted one
 * the peer learns the session, salt and msg_id it answers to, and which key is in use. */
static void packet_in(fz *f, const uint8_t *p, size_t n)
{
    if (n >= 8 && ld64le(p) == 0) {
        plain_in(f, p, n);
        return;
    }
    for (size_t k = 0; k < f->n_keys; k++) {
        mt_msg_view v;
        if (mt_msg_unpack(&f->keys[k], f->server ? 8 : 0, NULL, p, n, f->plain, sizeof f->plain,
                          &v) != 0)
            continue;
        f->cur = k;
        f->last_id = v.hdr.msg_id;
        if (!f->server) {
            f->session = v.hdr.session_id;
            f->salt = (int64_t)v.hdr.salt;
            return;
        }
        mt_wr env = wr_init(f->env, sizeof f->env); /* the room member's answer, for AUTO */
        fz_e2e_seen(&f->e2e, v.body, v.body_len, &f->drbg.rng, &env);
        send_envelope(f, &f->autos, &env);
        return;
    }
}

static int fz_send(target *t, const uint8_t *p, size_t n)
{
    fz *f = (fz *)t;
    if (f->closed)
        return MT_E_io_error;
    const uint8_t *body;
    size_t len;
    while (f->http && fz_http_next(&p, &n, &body, &len))
        packet_in(f, body, len);
    while (!f->http && n > 0) {
        size_t used = 0;
        mt_transport_event ev;
        if (mt_transport_feed(&f->tr, p, n, &used, &ev) != 0)
            return 0; /* the harness framed badly on purpose: the peer reads no more */
        p += used;
        n -= used;
        if (ev.type == MT_TEV_NEED_MORE)
            break;
        if (ev.type == MT_TEV_FRAME)
            packet_in(f, ev.payload, ev.len);
    }
    return 0;
}

/* Turns the next record into bytes for the harness (q), closes, or lets time pass. */
static void next_record(fz *f, uint64_t timeout)
{
    uint8_t kind = 0;
    const uint8_t *p = NULL;
    size_t n = 0, len = 0;
    if (!fuzz_relay_next(&f->in, f->end, &kind, &p, &n)) {
        kind = 0;
    } else if ((kind & 7) == 0 || (kind & 7) >= 6) {
        len = ld16le(p - 2);
        f->in = p; /* these take no bytes: the length is their parameter */
    }
    uint64_t msg_id = 0;
    switch (kind & 7) {
    case 0:
        if (f->server && (kind & 8))
            hs_start(f, kind & 16);
        put(&f->q, f->autos.b, f->autos.len);
        f->autos.len = 0;
        if (!f->q.len)
            vclock_advance(&f->vc, timeout);
        break;
    case 1:
        put(&f->q, p, n);
        break;
    case 2:
        frame(f, &f->q, p, n);
        break;
    case 3:
        msg_record(f, kind, p, n);
        break;
    case 4:
        if (n < 8 || ((kind & 8) && msgid_next(&f->ids, &f->vc.clock, &f->drbg.rng,
                                               MSGID_SERVER_RESPONSE, &msg_id) != 0))
            break;
        if (mt_plain_pack((kind & 8) ? msg_id : ld64le(p), p + 8, n - 8, f->pkt, sizeof f->pkt,
                          &len) == 0)
            frame(f, &f->q, f->pkt, len);
        break;
    case 5:
        if (n >= 4 && !f->http &&
            mt_transport_quick_ack(&f->tr, ld32le(p) | 0x80000000u, f->work, sizeof f->work,
                                   &len) == 0)
            put(&f->q, f->work, len);
        break;
    case 6:
        f->closed = true;
        break;
    default:
        vclock_advance(&f->vc, len * (NS_PER_S / 10));
        break;
    }
}

static int fz_recv(target *t, uint8_t *buf, size_t cap, size_t *n, bool *closed, uint64_t timeout)
{
    fz *f = (fz *)t;
    *n = 0;
    *closed = false;
    if (!f->q.len && !f->closed)
        next_record(f, timeout);
    if (f->q.len) {
        *n = f->q.len < cap ? f->q.len : cap;
        memcpy(buf, f->q.b, *n);
        memmove(f->q.b, f->q.b + *n, f->q.len - *n);
        f->q.len -= *n;
    }
    *closed = f->closed && !f->q.len;
    return 0;
}

static int fz_open(target *t, const char *transport, char *why, size_t cap)
{
    fz *f = (fz *)t;
    (void)why;
    (void)cap;
    bool obf = strncmp(transport, "obf2-", 5) == 0;
    int kind = mt_transport_kind_from_name(obf ? transport + 5 : transport);
    f->http = kind == MT_TRANSPORT_HTTP;
    f->closed = false;
    f->q.len = f->autos.len = 0;
    if (kind < 0 || kind == MT_TRANSPORT_HTTP)
        kind = MT_TRANSPORT_INTERMEDIATE;
    int err = !f->server ? mt_transport_init(&f->tr, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, f->rx,
                                             sizeof f->rx, &f->drbg.rng)
              : obf ? mt_transport_init_obf2_client(&f->tr, (mt_transport_kind)kind, 0, NULL, 0,
                                                    f->rx, sizeof f->rx, &f->drbg.rng)
                    : mt_transport_init(&f->tr, (mt_transport_kind)kind, MT_ROLE_CLIENT, f->rx,
                                        sizeof f->rx, &f->drbg.rng);
    if (!err && f->server && !f->n_keys)
        hs_start(f, false);
    return err;
}

static void fz_pass(target *t, uint64_t ns)
{
    vclock_advance(&((fz *)t)->vc, ns);
}

static void fz_close(target *t)
{
    ((fz *)t)->closed = true;
}

static void fz_free(target *t)
{
    fz *f = (fz *)t;
    mt_transport_wipe(&f->tr);
    hss_wipe(&f->hs);
    hs_client_wipe(&f->hc);
    fz_e2e_wipe(&f->e2e);
    memset(f->keys, 0, sizeof f->keys);
    free(f->q.b);
    free(f->autos.b);
    free(f);
}

static const target_ops fz_ops = {fz_open, fz_send, fz_recv, fz_pass, fz_close, fz_free, NULL};

static void init_once(void)
{
    mt_drbg d;
    drbg_init_u64(&d, 5);
    char why[SC_WHY + 64];
    sc_set_init(&set);
    if (rsa_private_load_pem(&key, FUZZ_TEST_KEY_PEM, sizeof FUZZ_TEST_KEY_PEM - 1, &d.rng, NULL,
                             NULL) ||
        sc_parse(&set, "client.mts", "fuzz", FZ_CLIENT_SCENARIOS, sizeof FZ_CLIENT_SCENARIOS - 1,
                 why, sizeof why) ||
        sc_parse(&set, "server.mts", "fuzz", FZ_SERVER_SCENARIOS, sizeof FZ_SERVER_SCENARIOS - 1,
                 why, sizeof why)) {
        fprintf(stderr, "fuzz_conform_peer: %s\n", why);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!set.n)
        init_once();
    if (size < 1)
        return 0;
    const scenario *sc = &set.v[data[0] % set.n];
    fz *f = calloc(1, sizeof *f);
    if (!f || !(f->q.b = malloc(FZ_OUT)) || !(f->autos.b = malloc(FZ_OUT)))
        abort();
    f->t = (target){.ops = &fz_ops, .clock = &f->vc.clock, .virtual_time = true};
    snprintf(f->t.desc, sizeof f->t.desc, "fuzz");
    vclock_init(&f->vc, 1700000000ull * NS_PER_S);
    drbg_init_u64(&f->drbg, 13);
    msgid_gen_init(&f->ids);
    f->server = sc->role == SC_ROLE_SERVER;
    f->session = 0x1122334455667788ull;
    f->in = data + 1;
    f->end = data + size;
    cf_opts o = {.seed = 1, .timeout_ns = 10 * NS_PER_S, .pub = &key.pub, .key = &key};
    conform_case c = {0};
    cf_run_scenario(sc, &f->t, &o, &c);
    if (c.outcome != CO_PASS && c.outcome != CO_FAIL && c.outcome != CO_ERROR)
        abort();
    if (c.outcome != CO_PASS && !c.message)
        abort();                        /* every scenario that did not pass says why */
    if (getenv("MTPROOF_FUZZ_VERBOSE")) /* for writing seeds: what the harness made of the input */
        fprintf(stderr, "%s: %d %s\n%s", sc->name, (int)c.outcome, c.message ? c.message : "",
                c.transcript ? c.transcript : "");
    free(c.message);
    free(c.transcript);
    f->t.ops->free(&f->t);
    return 0;
}
