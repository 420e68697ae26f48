/*
 * `e2e send KIND [overrides]` (docs/scenarios.md "e2e"): one envelope from the harness as the
 * client's room peer. Envelopes of the key exchange (request, accept, discard, raw bytes) or an
 * e2e.encrypted decryptedMessageLayer (noop, text, resend, the re-key actions, raw object bytes)
 * sealed with proto/e2e.h's e2e_seal_raw. Every derived field — seq numbers and their parity,
 * random_bytes, layer, the length field, padding, msg_key, key_fingerprint — is computed as a
 * correct peer would unless overridden, so one override breaks one rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "common/hex.h"
#include "harness/conform_e2e.h"
#include "proto/tl_e2e.h"
#include "proto/tl_rly.h"

enum { BLOCK = 16, RANDOM_MAX = 255 };

static bool opt_int(const sc_step *st, const char *key, int64_t *v)
{
    const char *s = cf_e2e_opt(st, key);
    return s && sc_int64(s, v);
}

/* The bytes of a hex option (0x optional) into out; false when absent. */
static bool opt_hex(const sc_step *st, const char *key, uint8_t *out, size_t cap, size_t *n)
{
    const char *s = cf_e2e_opt(st, key);
    if (!s)
        return false;
    s += s[0] == '0' && s[1] == 'x' ? 2 : 0;
    return hex_decode(s, strlen(s), out, cap, n) == 0;
}

/* The positional argument after KIND (text, hex bytes), or NULL. */
static const char *arg(const sc_step *st)
{
    for (size_t i = 2; i < st->n; i++)
        if (!st->toks[i].key)
            return st->toks[i].val;
    return NULL;
}

static int ensure_dh(cf_peer *p, dh_ctx *dh, bool *has)
{
    if (*has)
        return 0;
    uint8_t pub[DH_BYTES];
    int err = dh_init(dh, PRIME_TELEGRAM_DH, DH_BYTES, 3);
    if (!err)
        err = dh_generate(dh, &p->drbg.rng, pub);
    *has = !err;
    return err;
}

/* Encodes o into e->data and delivers it, with ctor= replacing the constructor id. */
static int deliver_obj(cf_peer *p, const sc_step *st, const tl_obj *o)
{
    cf_e2e *e = p->e2e;
    mt_wr w = wr_init(e->data, sizeof e->data);
    int err = tl_encode(&w, o);
    if (!err)
        err = w.err;
    int64_t ctor;
    if (!err && opt_int(st, "ctor", &ctor))
        st32le(e->data, (uint32_t)ctor);
    return err ? err : cf_e2e_deliver(p, e->data, wr_len(&w));
}

static int send_envelope(cf_peer *p, const sc_step *st, const char *kind, char *why, size_t cap)
{
    cf_e2e *e = p->e2e;
    uint8_t g[DH_BYTES + 64];
    size_t gn = 0;
    int64_t fp = e->has_key ? e2e_key_fingerprint(e->key) : 0;
    int err = ensure_dh(p, &e->dh, &e->has_dh);
    if (err)
        return err;
    if (!opt_hex(st, !strcmp(kind, "request") ? "g_a" : "g_b", g, sizeof g, &gn)) {
        memcpy(g, e->dh.pub, DH_BYTES);
        gn = DH_BYTES;
    }
    (void)opt_int(st, "fingerprint", &fp);
    tl_obj o;
    rly_e2e_request rq = {.g_a = {g, gn}};
    rly_e2e_accept ac = {.g_b = {g, gn}, .key_fingerprint = fp};
    const char *reason = arg(st);
    size_t rn = reason ? strlen(reason) : 0;
    if (rn >= 2 && reason[0] == '"') {
        reason++;
        rn -= 2;
    }
    rly_e2e_discard di = {.reason = {(const uint8_t *)(reason ? reason : ""), rn}};
    if (!strcmp(kind, "request"))
        o = rly_obj_e2e_request(&rq);
    else if (!strcmp(kind, "accept"))
        o = rly_obj_e2e_accept(&ac);
    else
        o = rly_obj_e2e_discard(&di);
    (void)why;
    (void)cap;
    return deliver_obj(p, st, &o);
}

/* The action of a service message of this kind (body storage in the caller's structs). */
typedef struct actions {
    e2e_decryptedMessageActionNoop noop;
    e2e_decryptedMessageActionResend resend;
    e2e_decryptedMessageActionRequestKey rq;
    e2e_decryptedMessageActionAcceptKey ac;
    e2e_decryptedMessageActionCommitKey cm;
    e2e_decryptedMessageActionAbortKey ab;
    uint8_t g[DH_BYTES + 64];
} actions;

static int action_of(cf_peer *p, const sc_step *st, const char *kind, actions *a, tl_obj *o)
{
    cf_e2e *e = p->e2e;
    int64_t v = 0, id = e->rk_id;
    size_t gn = 0;
    (void)opt_int(st, "exchange_id", &id);
    if (!strcmp(kind, "noop")) {
        *o = e2e_obj_decryptedMessageActionNoop(&a->noop);
    } else if (!strcmp(kind, "resend")) {
        a->resend.start_seq_no = opt_int(st, "start", &v) ? (int32_t)v : 0;
        a->resend.end_seq_no = opt_int(st, "end", &v) ? (int32_t)v : a->resend.start_seq_no;
        *o = e2e_obj_decryptedMessageActionResend(&a->resend);
    } else if (!strcmp(kind, "request_key")) {
        dh_wipe(&e->rk_dh);
        e->has_rk = e->has_new = false;
        int err = ensure_dh(p, &e->rk_dh, &e->has_rk);
        if (err)
            return err;
        if (!cf_e2e_opt(st, "exchange_id"))
            drbg_generate(&p->drbg, (uint8_t *)&id, sizeof id);
        e->rk_id = id;
        if (!opt_hex(st, "g_a", a->g, sizeof a->g, &gn))
            memcpy(a->g, e->rk_dh.pub, gn = DH_BYTES);
        a->rq = (e2e_decryptedMessageActionRequestKey){.exchange_id = id, .g_a = {a->g, gn}};
        *o = e2e_obj_decryptedMessageActionRequestKey(&a->rq);
    } else if (!strcmp(kind, "accept_key")) {
        dh_ctx d;
        bool has = false;
        int err = ensure_dh(p, &d, &has);
        if (!err && !opt_hex(st, "g_b", a->g, sizeof a->g, &gn))
            memcpy(a->g, d.pub, gn = DH_BYTES);
        dh_wipe(&d);
        if (err)
            return err;
        (void)opt_int(st, "fingerprint", &v);
        a->ac = (e2e_decryptedMessageActionAcceptKey){
            .exchange_id = id, .g_b = {a->g, gn}, .key_fingerprint = v};
        *o = e2e_obj_decryptedMessageActionAcceptKey(&a->ac);
    } else if (!strcmp(kind, "commit_key")) {
        v = e->has_new ? e2e_key_fingerprint(e->new_key) : 0;
        (void)opt_int(st, "fingerprint", &v);
        a->cm = (e2e_decryptedMessageActionCommitKey){.exchange_id = id, .key_fingerprint = v};
        *o = e2e_obj_decryptedMessageActionCommitKey(&a->cm);
    } else {
        a->ab = (e2e_decryptedMessageActionAbortKey){.exchange_id = id};
        *o = e2e_obj_decryptedMessageActionAbortKey(&a->ab);
    }
    return 0;
}

/* Serializes the decryptedMessageLayer of kind into obj (*n bytes), with the seq numbers,
 * random_bytes and layer a correct peer sends unless overridden. */
static int build_layer(cf_peer *p, const sc_step *st, const char *kind, uint8_t *obj, size_t cap,
                       size_t *n)
{
    cf_e2e *e = p->e2e;
    uint8_t rnd[RANDOM_MAX + 8];
    int64_t v = E2E_RANDOM_BYTES;
    (void)opt_int(st, "random_bytes", &v);
    size_t rn = (size_t)v;
    drbg_generate(&p->drbg, rnd, sizeof rnd);
    int64_t random_id = (int64_t)ld64le(rnd + RANDOM_MAX);
    uint32_t out_bit = e->originator ? 1u : 0u; /* api/end-to-end/seq_no */
    int64_t out_raw = e->out_raw, in_raw = e->in_raw, out_seq, in_seq, layer = E2E_LAYER;
    (void)opt_int(st, "out_raw", &out_raw);
    (void)opt_int(st, "in_raw", &in_raw);
    out_seq = 2 * out_raw + out_bit;
    in_seq = 2 * in_raw + (1u - out_bit);
    (void)opt_int(st, "out_seq", &out_seq);
    (void)opt_int(st, "in_seq", &in_seq);
    (void)opt_int(st, "layer", &layer);
    if ((uint32_t)out_seq / 2 + 1 > e->out_raw)
        e->out_raw = (uint32_t)out_seq / 2 + 1;
    char *text = NULL;
    size_t tn = 0;
    int err = 0;
    if (!strcmp(kind, "text")) {
        const char *a = arg(st);
        tn = opt_int(st, "size", &v) ? (size_t)v : a ? strlen(a) - 2 : 0;
        text = malloc(tn + 1);
        if (!text)
            return MT_E_no_memory;
        if (opt_int(st, "size", &v))
            memset(text, 'x', tn);
        else if (a)
            memcpy(text, a + 1, tn);
    }
    actions act;
    memset(&act, 0, sizeof act);
    e2e_decryptedMessage m = {.random_id = random_id, .message = {(uint8_t *)text, tn}};
    e2e_decryptedMessageService s = {.random_id = random_id};
    tl_obj msg = e2e_obj_decryptedMessage(&m);
    if (!text) {
        err = action_of(p, st, kind, &act, &s.action);
        msg = e2e_obj_decryptedMessageService(&s);
    }
    e2e_decryptedMessageLayer l = {.random_bytes = {rnd, rn},
                                   .layer = (int32_t)layer,
                                   .in_seq_no = (int32_t)in_seq,
                                   .out_seq_no = (int32_t)out_seq,
                                   .message = msg};
    tl_obj o = e2e_obj_decryptedMessageLayer(&l);
    mt_wr w = wr_init(obj, cap);
    if (!err)
        err = tl_encode(&w, &o);
    if (!err)
        err = w.err;
    *n = err ? 0 : wr_len(&w);
    free(text);
    return err;
}

/* int32 length ‖ obj ‖ padding, sealed; then the data-level overrides. */
static int seal(cf_peer *p, const sc_step *st, const uint8_t *obj, size_t n, char *why, size_t cap)
{
    cf_e2e *e = p->e2e;
    int64_t pad = (int64_t)(E2E_PAD_MIN + (BLOCK - (4 + n + E2E_PAD_MIN) % BLOCK) % BLOCK);
    int64_t len = (int64_t)n, v;
    (void)opt_int(st, "padding", &pad);
    (void)opt_int(st, "length", &len);
    size_t m = 4 + n + (size_t)pad;
    if (m % BLOCK || m > sizeof e->plain) {
        snprintf(why, cap,
                 "padding=%lld: 4 + %zu (the object) + padding is no whole number of "
                 "16-byte blocks up to %zu",
                 (long long)pad, n, sizeof e->plain);
        return MT_E_bad_argument;
    }
    uint8_t *plain = malloc(m), mk[MT_MSG_KEY_LEN];
    if (!plain)
        return MT_E_no_memory;
    st32le(plain, (uint32_t)len);
    memcpy(plain + 4, obj, n);
    drbg_generate(&p->drbg, plain + 4 + n, (size_t)pad);
    size_t mkn = 0, dn = 0;
    bool has_mk = opt_hex(st, "msg_key", mk, sizeof mk, &mkn) && mkn == sizeof mk;
    const char *mks = cf_e2e_opt(st, "msg_key");
    if (mks && !strcmp(mks, "random")) {
        drbg_generate(&p->drbg, mk, sizeof mk);
        has_mk = true;
    }
    int err = e2e_seal_raw(e->key, cf_e2e_x_out(e), plain, m, has_mk ? mk : NULL, e->data,
                           sizeof e->data, &dn);
    ct_wipe(plain, m);
    free(plain);
    if (!err && opt_int(st, "key_fp", &v))
        st64le(e->data, (uint64_t)v);
    if (!err && opt_int(st, "data_len", &v)) {
        size_t want = (size_t)v < sizeof e->data ? (size_t)v : sizeof e->data;
        if (want > dn)
            memset(e->data + dn, 0, want - dn);
        dn = want;
    }
    if (err)
        return err;
    rly_e2e_encrypted enc = {.data = {e->data, dn}};
    tl_obj o = rly_obj_e2e_encrypted(&enc);
    uint8_t *env = malloc(dn + 64);
    if (!env)
        return MT_E_no_memory;
    mt_wr w = wr_init(env, dn + 64);
    err = tl_encode(&w, &o);
    if (!err)
        err = w.err;
    if (!err && opt_int(st, "ctor", &v))
        st32le(env, (uint32_t)v);
    if (!err)
        err = cf_e2e_deliver(p, env, wr_len(&w));
    free(env);
    return err;
}

/* After a commit of the harness's re-key the new key is current (the commit itself went out
 * under the old one); a commit with another fingerprint leaves the keys as they were. */
static void after_commit(cf_e2e *e, const sc_step *st)
{
    if (!e->has_new || cf_e2e_opt(st, "fingerprint"))
        return;
    memcpy(e->key, e->new_key, E2E_KEY_LEN);
    ct_wipe(e->new_key, E2E_KEY_LEN);
    e->has_new = false;
}

int cf_e2e_send(cf_peer *p, const sc_step *st, char *why, size_t cap)
{
    cf_e2e *e = p->e2e;
    const char *kind = st->toks[1].val;
    if (!strcmp(kind, "request") || !strcmp(kind, "accept") || !strcmp(kind, "discard"))
        return send_envelope(p, st, kind, why, cap);
    uint8_t *obj = malloc(E2E_DATA_MAX);
    if (!obj)
        return MT_E_no_memory;
    size_t n = 0;
    int err = 0;
    const char *a = arg(st);
    if (!strcmp(kind, "envelope") || !strcmp(kind, "object")) {
        a += a[0] == '0' && a[1] == 'x' ? 2 : 0;
        err = hex_decode(a, strlen(a), obj, E2E_DATA_MAX, &n);
        if (!err && kind[0] == 'e')
            err = cf_e2e_deliver(p, obj, n);
        if (err || kind[0] == 'e') {
            free(obj);
            return err;
        }
    } else {
        err = build_layer(p, st, kind, obj, E2E_DATA_MAX, &n);
    }
    if (!err && !e->has_key) {
        snprintf(why, cap, "e2e send %s: no key agreed yet (run 'e2e exchange' first)", kind);
        err = MT_E_bad_argument;
    }
    if (!err)
        err = seal(p, st, obj, n, why, cap);
    if (!err && !strcmp(kind, "commit_key"))
        after_commit(e, st);
    free(obj);
    return err;
}
