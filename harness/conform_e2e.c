/*
 * The `e2e` step (docs/scenarios.md "e2e"): the harness as the client's room peer. `ready` opens
 * the room (answering relay.join), `exchange` runs the first key exchange of api/end-to-end as
 * the other member, `send` and `expect` are in conform_e2e_send.c / conform_e2e_expect.c. What
 * the client sends comes as relay.send queries, which the harness (still the relay) answers
 * boolTrue before looking inside.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "common/hex.h"
#include "harness/conform_e2e.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"
#include "proto/tl_rly.h"

#define BOOL_TRUE 0x997275b5u

cf_e2e *cf_e2e_of(cf_peer *p)
{
    if (!p->e2e)
        p->e2e = calloc(1, sizeof *p->e2e);
    return p->e2e;
}

void cf_e2e_free(cf_e2e *e)
{
    if (!e)
        return;
    dh_wipe(&e->dh);
    dh_wipe(&e->rk_dh);
    ct_wipe(e, sizeof *e);
    free(e);
}

unsigned cf_e2e_x_out(const cf_e2e *e)
{
    return e->originator ? MT_X_CLIENT : MT_X_SERVER; /* x = 0 from the originator */
}

unsigned cf_e2e_x_in(const cf_e2e *e)
{
    return e->originator ? MT_X_SERVER : MT_X_CLIENT;
}

const char *cf_e2e_opt(const sc_step *st, const char *key)
{
    const sc_tok *t = sc_step_get(st, key);
    return t ? t->val : NULL;
}

bool cf_e2e_json_bytes(const json_t *o, const char *field, uint8_t *out, size_t cap, size_t *n)
{
    const char *h = json_string_value(json_object_get(o, field));
    return h && hex_decode(h, strlen(h), out, cap, n) == 0;
}

/* A relay object for the client in an encrypted message (its derived fields computed). */
static int send_body(cf_peer *p, const uint8_t *b, size_t n)
{
    cf_env none;
    memset(&none, 0, sizeof none);
    return cf_send_msg(p, b, n, &none);
}

int cf_e2e_deliver(cf_peer *p, const uint8_t *env, size_t n)
{
    cf_e2e *e = p->e2e;
    uint8_t *b = malloc(n + CF_E2E_ROOM + 32);
    if (!b)
        return MT_E_no_memory;
    mt_wr w = wr_init(b, n + CF_E2E_ROOM + 32);
    wr_u32le(&w, RLY_ID_relay_updatePayload);
    tl_wr_string(&w, (const uint8_t *)e->room, strlen(e->room));
    tl_wr_string(&w, env, n);
    int err = w.err ? w.err : send_body(p, b, wr_len(&w));
    cf_logf(p, "> e2e envelope %zu bytes: %08x", n, n >= 4 ? ld32le(env) : 0);
    free(b);
    return err;
}

/* Waits for relay.join and answers it: joinedReady (originator=false), or joinedWaiting and
 * updateReady(originator=true) as the relay does for the member that waited. */
static int step_ready(cf_peer *p, const sc_step *st, uint64_t timeout, char *why, size_t cap)
{
    cf_e2e *e = cf_e2e_of(p);
    if (!e)
        return MT_E_no_memory;
    const char *room = cf_e2e_opt(st, "room");
    snprintf(e->room, sizeof e->room, "%s", room ? room : "r1");
    bool client_orig = !strcmp(cf_e2e_opt(st, "originator"), "true");
    e->originator = !client_orig;
    sc_step join = {.verb = SV_EXPECT, .line = st->line, .col = st->col};
    char what[] = "relay.join";
    sc_tok t = {.key = NULL, .val = what, .col = st->col};
    join.toks = &t;
    join.n = 1;
    int err = cf_expect(p, &join, timeout, why, cap);
    if (err)
        return err;
    uint8_t b[CF_E2E_ROOM + 64];
    mt_wr w = wr_init(b, sizeof b);
    wr_u32le(&w, MTP_ID_rpc_result);
    wr_u64le(&w, p->last_recv);
    wr_u32le(&w, client_orig ? RLY_ID_relay_joinedWaiting : RLY_ID_relay_joinedReady);
    wr_u32le(&w, 0); /* flags: no redirected_from */
    tl_wr_string(&w, (const uint8_t *)e->room, strlen(e->room));
    if (!client_orig)
        wr_u32le(&w, 0xbc799737u); /* boolFalse */
    err = w.err ? w.err : send_body(p, b, wr_len(&w));
    if (!err && client_orig) {
        w = wr_init(b, sizeof b);
        wr_u32le(&w, RLY_ID_relay_updateReady);
        tl_wr_string(&w, (const uint8_t *)e->room, strlen(e->room));
        wr_u32le(&w, BOOL_TRUE);
        err = w.err ? w.err : send_body(p, b, wr_len(&w));
    }
    e->ready = !err;
    cf_logf(p, "-- e2e room %s ready, client originator=%d", e->room, client_orig);
    return err;
}

/* The relay's answer to relay.send: boolTrue. */
static int answer_send(cf_peer *p, uint64_t req_msg_id)
{
    uint8_t b[16];
    st32le(b, MTP_ID_rpc_result);
    st64le(b + 4, req_msg_id);
    st32le(b + 12, BOOL_TRUE);
    return send_body(p, b, sizeof b);
}

static bool is_send(const cf_item *it)
{
    return it->kind == CF_MSG && it->len >= 4 && ld32le(it->body) == RLY_ID_relay_send;
}

/* The next relay.send in the queue, reading more while time is left; *found false on a close
 * or the timeout. The item is taken out of the queue into data (the envelope). */
static int take_send(cf_peer *p, uint64_t timeout, uint8_t *data, size_t cap, size_t *n,
                     bool *found)
{
    uint64_t start = clock_now(p->tg->clock);
    *found = false;
    for (;;) {
        for (size_t i = 0; i < p->nq; i++) {
            if (!is_send(&p->q[i]))
                continue;
            mt_rd r = rd_init(p->q[i].body + 4, p->q[i].len - 4);
            tl_str s = tl_rd_string(&r, 0);
            uint64_t id = p->q[i].msg_id;
            int err = r.err ? r.err : s.len > cap ? MT_E_limit_exceeded : 0;
            if (!err)
                memcpy(data, s.p, s.len);
            *n = err ? 0 : s.len;
            cf_drop(p, i);
            *found = !err;
            return err ? err : answer_send(p, id);
        }
        uint64_t now = clock_now(p->tg->clock);
        size_t before = p->nq;
        if (p->closed || now - start >= timeout || cf_pump(p, timeout - (now - start)) != 0 ||
            (p->nq == before && !p->closed && !p->tg->virtual_time))
            return 0;
    }
}

/* Decrypts the client's e2e.encrypted data with the chat key (or the re-key's new one, which
 * then becomes current) and decodes the layer. */
static int open_layer(cf_peer *p, const json_t *env, json_t **layer, char *why, size_t cap)
{
    cf_e2e *e = p->e2e;
    size_t n = 0, off = 0, len = 0;
    uint8_t *data = e->data;
    if (!e->has_key || !cf_e2e_json_bytes(env, "data", data, sizeof e->data, &n)) {
        snprintf(why, cap, "e2e.encrypted from the client before a key was agreed");
        return MT_E_mismatch;
    }
    if (e->has_new && n >= 8 && (int64_t)ld64le(data) == e2e_key_fingerprint(e->new_key)) {
        memcpy(e->key, e->new_key, E2E_KEY_LEN); /* the client uses the new key now */
        e->has_new = false;
    }
    int err = e2e_open(e->key, cf_e2e_x_in(e), data, n, e->plain, sizeof e->plain, &off, &len);
    if (!err && tl_json_decode(tl_json_schema("secret"), e->plain + off, len, layer) != 0)
        err = MT_E_E2E_LAYER_MALFORMED;
    if (err) {
        snprintf(why, cap, "the client's e2e.encrypted does not open: %s", mt_err_name(err));
        return MT_E_mismatch;
    }
    int64_t out_seq = json_integer_value(json_object_get(*layer, "out_seq_no"));
    if (out_seq >= 0 && (uint32_t)(out_seq >> 1) + 1 > e->in_raw)
        e->in_raw = (uint32_t)(out_seq >> 1) + 1;
    return 0;
}

int cf_e2e_next(cf_peer *p, uint64_t timeout, json_t **env, json_t **layer, char *why, size_t cap)
{
    cf_e2e *e = cf_e2e_of(p);
    *env = *layer = NULL;
    if (!e)
        return MT_E_no_memory;
    size_t n = 0;
    bool found = false;
    int err = take_send(p, timeout, e->data, sizeof e->data, &n, &found);
    if (!err && !found) {
        snprintf(why, cap, "no relay.send from the client%s", p->closed ? "; it closed" : "");
        return MT_E_mismatch;
    }
    if (!err && tl_json_decode(&rly_schema, e->data, n, env) != 0) {
        snprintf(why, cap, "the client's relay.send holds no e2e envelope (%zu bytes)", n);
        return MT_E_mismatch;
    }
    const char *name = err ? "" : json_string_value(json_object_get(*env, "_"));
    cf_logf(p, "< e2e %s", name ? name : "?");
    if (!err && name && !strcmp(name, "e2e.encrypted"))
        err = open_layer(p, *env, layer, why, cap);
    return err;
}

/* The first key exchange, the harness on the side the room gave it. fingerprint= overrides
 * the key_fingerprint of the harness's e2e.accept (the step then ends after sending it). */
static int step_exchange(cf_peer *p, const sc_step *st, uint64_t timeout, char *why, size_t cap)
{
    cf_e2e *e = p->e2e;
    json_t *env = NULL, *layer = NULL;
    if (e->originator) {
        sc_step req = {.verb = SV_SEND, .line = st->line};
        char v0[] = "send", v1[] = "request";
        sc_tok t[2] = {{.key = NULL, .val = v0, .col = st->col},
                       {.key = NULL, .val = v1, .col = st->col}};
        req.toks = t;
        req.n = 2;
        int err = cf_e2e_send(p, &req, why, cap);
        if (!err)
            err = cf_e2e_next(p, timeout, &env, &layer, why, cap);
        const char *name = env ? json_string_value(json_object_get(env, "_")) : NULL;
        if (!err && (!name || strcmp(name, "e2e.accept") != 0)) {
            snprintf(why, cap, "expected the client's e2e.accept; got %s", name ? name : "?");
            err = MT_E_mismatch;
        }
        uint8_t g_b[DH_BYTES + 8];
        size_t n = 0;
        if (!err && !cf_e2e_json_bytes(env, "g_b", g_b, sizeof g_b, &n))
            err = MT_E_bad_field;
        if (!err && (err = dh_compute_key(&e->dh, g_b, n, DH_VALUE_GB, e->key)) != 0)
            snprintf(why, cap, "the client's g_b: %s", mt_err_name(err));
        const char *fp = json_string_value(json_object_get(env, "key_fingerprint"));
        int64_t want = 0;
        if (!err && (!fp || !sc_int64(fp, &want) || want != e2e_key_fingerprint(e->key))) {
            snprintf(why, cap, "the client's key_fingerprint is not that of the key");
            err = MT_E_E2E_ACCEPT_FINGERPRINT;
        }
        dh_wipe(&e->dh);
        e->has_dh = false;
        e->has_key = !err;
        json_decref(env);
        json_decref(layer);
        return err;
    }
    int err = cf_e2e_next(p, timeout, &env, &layer, why, cap);
    const char *name = env ? json_string_value(json_object_get(env, "_")) : NULL;
    if (!err && (!name || strcmp(name, "e2e.request") != 0)) {
        snprintf(why, cap, "expected the client's e2e.request; got %s", name ? name : "?");
        err = MT_E_mismatch;
    }
    uint8_t g_a[DH_BYTES + 8];
    size_t n = 0;
    if (!err && !cf_e2e_json_bytes(env, "g_a", g_a, sizeof g_a, &n))
        err = MT_E_bad_field;
    json_decref(env);
    json_decref(layer);
    if (!err && !e->has_dh) {
        err = dh_init(&e->dh, PRIME_TELEGRAM_DH, DH_BYTES, 3);
        uint8_t g_b[DH_BYTES];
        if (!err)
            err = dh_generate(&e->dh, &p->drbg.rng, g_b);
        e->has_dh = !err;
    }
    if (!err && (err = dh_compute_key(&e->dh, g_a, n, DH_VALUE_GA, e->key)) != 0)
        snprintf(why, cap, "the client's g_a: %s", mt_err_name(err));
    e->has_key = !err && !cf_e2e_opt(st, "fingerprint");
    if (err)
        return err;
    sc_step acc = *st;
    sc_tok toks[SC_MAX_TOKENS + 1];
    char v0[] = "send", v1[] = "accept";
    toks[0] = (sc_tok){.key = NULL, .val = v0, .col = st->col};
    toks[1] = (sc_tok){.key = NULL, .val = v1, .col = st->col};
    for (size_t i = 1; i < st->n && i < SC_MAX_TOKENS; i++)
        toks[i + 1] = st->toks[i]; /* the options of exchange */
    acc.toks = toks;
    acc.n = st->n + 1;
    err = cf_e2e_send(p, &acc, why, cap);
    dh_wipe(&e->dh);
    e->has_dh = false;
    return err;
}

int cf_e2e_step(cf_peer *p, const sc_step *st, uint64_t timeout, char *why, size_t cap)
{
    const char *what = st->toks[0].val;
    if (!strcmp(what, "ready"))
        return step_ready(p, st, timeout, why, cap);
    cf_e2e *e = cf_e2e_of(p);
    if (!e)
        return MT_E_no_memory;
    if (!e->ready) {
        snprintf(why, cap, "e2e %s before 'e2e ready'", what);
        return MT_E_bad_argument;
    }
    if (!strcmp(what, "exchange"))
        return step_exchange(p, st, timeout, why, cap);
    if (!strcmp(what, "send"))
        return cf_e2e_send(p, st, why, cap);
    return cf_e2e_expect(p, st, timeout, why, cap);
}
