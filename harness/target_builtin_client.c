/*
 * The builtin client target (the client under test when the harness plays the server): the
 * reference client engines in process, on the virtual clock and a seeded DRBG. Per connection it
 * creates an auth key with the handshake client engine (proto/handshake.h) over the scenario's
 * transport, then sends its first encrypted message, a ping; a broken rule in the harness's
 * answers makes it close the connection (the observable reaction, RX_ABORT), and the rule is
 * kept in target.peer_rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "crypto/drbg.h"
#include "harness/target.h"
#include "proto/handshake.h"
#include "proto/message.h"
#include "proto/tl_mtp.h"
#include "proto/transport.h"

#define BC_PAYLOAD ((size_t)1 << 16)
#define BC_TICK_NS (100ull * NS_PER_S / 1000)

typedef struct bclient {
    target t;
    mt_vclock vc;
    mt_drbg drbg;
    const rsa_public *pub[1];
    mt_transport tr;
    hs_client hc;
    bool conn, closing;
    uint8_t payload[BC_PAYLOAD];
    uint8_t pkt[HS_PACKET_MAX + 64];
    uint8_t *out;
    size_t out_len, out_cap;
} bclient;

static int emit_frame(bclient *c, const uint8_t *p, size_t n)
{
    size_t need = n + MT_TRANSPORT_MAX_OVERHEAD, len;
    if (c->out_len + need > c->out_cap) {
        uint8_t *o = realloc(c->out, (c->out_len + need) * 2);
        if (!o)
            return MT_E_no_memory;
        c->out = o;
        c->out_cap = (c->out_len + need) * 2;
    }
    int err = mt_transport_frame(&c->tr, p, n, 0, c->out + c->out_len, need, &len);
    if (!err)
        c->out_len += len;
    return err;
}

/* The first encrypted message of a new key: ping(ping_id = 1). */
static int first_ping(bclient *c)
{
    hs_result r;
    int err = hs_client_result(&c->hc, &r);
    uint8_t body[12], sid[8], pkt[MT_MSG_PACKED_MAX(12)];
    st32le(body, MTP_ID_ping);
    st64le(body + 4, 1);
    if (!err)
        err = rng_fill(&c->drbg.rng, sid, sizeof sid);
    mt_msg_hdr h = {ld64le(r.server_salt), ld64le(sid), 0, 0};
    mt_msgid_gen g = {r.time_offset_ns, 0};
    if (!err)
        err = msgid_next(&g, &c->vc.clock, &c->drbg.rng, MSGID_CLIENT, &h.msg_id);
    mt_msg_pack_opts po = {&c->drbg.rng, MT_PAD_RANDOM, NULL, NULL};
    size_t len;
    if (!err)
        err = mt_msg_pack(&r.key, 0, &h, body, sizeof body, &po, pkt, sizeof pkt, &len);
    if (!err)
        err = emit_frame(c, pkt, len);
    hs_result_wipe(&r);
    return err;
}

static int on_frame(bclient *c, const uint8_t *p, size_t n)
{
    if (hs_client_get_state(&c->hc) == HSC_DONE)
        return 0; /* the session layer's answers are not judged here */
    size_t len = 0;
    int err = hs_client_feed(&c->hc, p, n, c->pkt, sizeof c->pkt, &len);
    if (mt_rule_of(err)) {
        c->t.peer_rule = err;
        c->closing = true; /* "the client abandons the handshake" */
        return 0;
    }
    if (!err && len)
        err = emit_frame(c, c->pkt, len);
    if (!err && hs_client_get_state(&c->hc) == HSC_DONE)
        err = first_ping(c);
    return err;
}

static int bc_send(target *t, const uint8_t *in, size_t n)
{
    bclient *c = (bclient *)t;
    if (!c->conn || c->closing)
        return MT_E_io_error;
    while (n > 0 && !c->closing) {
        size_t used = 0;
        mt_transport_event ev;
        int err = mt_transport_feed(&c->tr, in, n, &used, &ev);
        in += used;
        n -= used;
        if (err || ev.type == MT_TEV_ERROR) {
            c->closing = true;
            break;
        }
        if (ev.type == MT_TEV_NEED_MORE)
            break;
        if (ev.type == MT_TEV_FRAME &&
            (err = on_frame(c, ev.payload, mt_padded_trim(&c->tr, ev.payload, ev.len))) != 0)
            return err;
    }
    return 0;
}

static int bc_open(target *t, const char *transport, char *why, size_t cap)
{
    bclient *c = (bclient *)t;
    c->out_len = 0;
    c->closing = false;
    c->conn = true;
    c->t.peer_rule = 0;
    bool obf = strncmp(transport, "obf2-", 5) == 0;
    int kind = mt_transport_kind_from_name(obf ? transport + 5 : transport);
    int err = obf ? mt_transport_init_obf2_client(&c->tr, (mt_transport_kind)kind, 2, NULL, 0,
                                                  c->payload, sizeof c->payload, &c->drbg.rng)
                  : mt_transport_init(&c->tr, (mt_transport_kind)kind, MT_ROLE_CLIENT, c->payload,
                                      sizeof c->payload, &c->drbg.rng);
    hs_client_config hc = {.keys = c->pub, .n_keys = 1, .dc = 2, .kind = HS_KEY_PERM};
    size_t len;
    if (!err)
        err = hs_client_init(&c->hc, &hc, &c->vc.clock, &c->drbg.rng, NULL);
    if (!err)
        err = hs_client_start(&c->hc, c->pkt, sizeof c->pkt, &len);
    if (!err)
        err = emit_frame(c, c->pkt, len);
    if (err)
        snprintf(why, cap, "builtin client: %s", mt_err_name(err));
    return err;
}

static int bc_recv(target *t, uint8_t *buf, size_t cap, size_t *n, bool *closed, uint64_t timeout)
{
    bclient *c = (bclient *)t;
    *n = 0;
    *closed = false;
    if (c->out_len) {
        *n = c->out_len < cap ? c->out_len : cap;
        memcpy(buf, c->out, *n);
        memmove(c->out, c->out + *n, c->out_len - *n);
        c->out_len -= *n;
        return 0;
    }
    if (c->closing || !c->conn) {
        *closed = true;
        return 0;
    }
    vclock_advance(&c->vc, timeout); /* the client has no timers: the time simply passes */
    return 0;
}

static void bc_pass(target *t, uint64_t ns)
{
    vclock_advance(&((bclient *)t)->vc, ns);
}

static void bc_close(target *t)
{
    bclient *c = (bclient *)t;
    if (c->conn) {
        hs_client_wipe(&c->hc);
        mt_transport_wipe(&c->tr);
    }
    c->conn = false;
    c->out_len = 0;
}

static void bc_free(target *t)
{
    bclient *c = (bclient *)t;
    bc_close(t);
    free(c->out);
    free(c);
}

static const target_ops bc_ops = {bc_open, bc_send, bc_recv, bc_pass, bc_close, bc_free, NULL};

int target_builtin_client(const target_cfg *cfg, target **out)
{
    bclient *c = calloc(1, sizeof *c);
    if (!c)
        return MT_E_no_memory;
    vclock_init(&c->vc, cfg->t0_ns);
    drbg_init_u64(&c->drbg, cfg->seed ^ 0x434c49454e540000ull);
    c->pub[0] = cfg->pub;
    c->t.ops = &bc_ops;
    c->t.clock = &c->vc.clock;
    c->t.virtual_time = true;
    snprintf(c->t.desc, sizeof c->t.desc, "builtin client");
    *out = &c->t;
    return 0;
}
