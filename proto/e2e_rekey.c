/*
 * Re-keying for forward secrecy (mtproto-notes §8; api/end-to-end/pfs), in four steps carried as
 * service messages under the current key:
 *   A: RequestKey(exchange_id, g_a) → B: AcceptKey(exchange_id, g_b, key_fingerprint) →
 *   A: CommitKey(exchange_id, key_fingerprint), then A switches; B switches "on Commit or on the
 *   first message under the new fingerprint". AbortKey(exchange_id) abandons an exchange.
 * "If both sides start at once, the smaller exchange_id (signed int64) is aborted; equal ids
 * abort both": each side decides alone, so no AbortKey is needed for a race. "Use the same p and
 * g as the chat"; g_a and g_b get the handshake's checks.
 */
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "proto/e2e_internal.h"
#include "proto/tl_e2e.h"

void e2e_rekey_wipe(e2e *e)
{
    dh_wipe(&e->rk_dh);
    ct_wipe(&e->rk_new, sizeof e->rk_new);
    e->rk = RK_NONE;
    e->rk_id = 0;
}

static void rekeyed(e2e *e, const uint8_t key[E2E_KEY_LEN])
{
    e2e_switch_key(e, key);
    e->rekeys++;
    e2e_rekey_wipe(e);
    e2e_event ev = {.kind = E2E_EV_REKEYED, .fingerprint = e->cur.fp, .visual = e->visual};
    e2e_emit(e, &ev);
}

void e2e_rekey_commit(e2e *e)
{
    uint8_t key[E2E_KEY_LEN];
    memcpy(key, e->rk_new.key, sizeof key);
    rekeyed(e, key);
    ct_wipe(key, sizeof key);
}

int e2e_rekey(e2e *e)
{
    if (e->st == ST_CLOSED)
        return MT_E_e2e_closed;
    if (e->st != ST_CHAT)
        return MT_E_e2e_not_ready;
    if (e->rk != RK_NONE)
        return 0;
    uint8_t id[8], g_a[DH_BYTES];
    int err = rng_fill(e->cfg.rng, id, sizeof id);
    if (!err)
        err = dh_init(&e->rk_dh, e->prime, E2E_KEY_LEN, e->g);
    if (!err)
        err = dh_generate(&e->rk_dh, e->cfg.rng, g_a);
    if (err) {
        e2e_rekey_wipe(e);
        return err;
    }
    e->rk = RK_REQUESTED;
    e->rk_id = (int64_t)ld64le(id);
    e2e_decryptedMessageActionRequestKey r = {.exchange_id = e->rk_id, .g_a = {g_a, DH_BYTES}};
    tl_obj a = e2e_obj_decryptedMessageActionRequestKey(&r);
    return e2e_send_obj(e, NULL, 0, &a);
}

/* Gives up the exchange and tells the peer; reports rule (not fatal to the chat). */
static int abort_exchange(e2e *e, int64_t id, int rule)
{
    e2e_rekey_wipe(e);
    e2e_decryptedMessageActionAbortKey ab = {.exchange_id = id};
    tl_obj a = e2e_obj_decryptedMessageActionAbortKey(&ab);
    int err = e2e_send_obj(e, NULL, 0, &a);
    return err ? err : e2e_fail(e, rule, false);
}

static bool is_dh_rule(int err)
{
    return err == MT_E_DH_GA_RANGE || err == MT_E_DH_GA_BOUNDS || err == MT_E_DH_GB_RANGE ||
           err == MT_E_DH_GB_BOUNDS;
}

static int on_request(e2e *e, const e2e_decryptedMessageActionRequestKey *r)
{
    if (e->rk == RK_REQUESTED && r->exchange_id <= e->rk_id) {
        if (r->exchange_id == e->rk_id)
            e2e_rekey_wipe(e); /* equal ids abort both */
        return 0;              /* theirs is smaller: it loses, ours goes on */
    }
    e2e_rekey_wipe(e); /* ours lost the race (or the peer restarted its exchange) */
    uint8_t g_b[DH_BYTES], key[E2E_KEY_LEN];
    int err = dh_init(&e->rk_dh, e->prime, E2E_KEY_LEN, e->g);
    if (!err)
        err = dh_generate(&e->rk_dh, e->cfg.rng, g_b);
    if (!err)
        err = dh_compute_key(&e->rk_dh, r->g_a.p, r->g_a.len, DH_VALUE_GA, key);
    dh_wipe(&e->rk_dh);
    if (err) {
        ct_wipe(key, sizeof key);
        return is_dh_rule(err) ? abort_exchange(e, r->exchange_id, err) : err;
    }
    e2e_set_key(e, &e->rk_new, key);
    ct_wipe(key, sizeof key);
    e->rk = RK_ACCEPTED;
    e->rk_id = r->exchange_id;
    e2e_decryptedMessageActionAcceptKey acc = {
        .exchange_id = r->exchange_id, .g_b = {g_b, DH_BYTES}, .key_fingerprint = e->rk_new.fp};
    tl_obj a = e2e_obj_decryptedMessageActionAcceptKey(&acc);
    return e2e_send_obj(e, NULL, 0, &a);
}

static int on_accept(e2e *e, const e2e_decryptedMessageActionAcceptKey *r)
{
    if (e->rk != RK_REQUESTED || r->exchange_id != e->rk_id)
        return e2e_fail(e, MT_E_E2E_REKEY_UNKNOWN_EXCHANGE, false);
    uint8_t key[E2E_KEY_LEN];
    int err = dh_compute_key(&e->rk_dh, r->g_b.p, r->g_b.len, DH_VALUE_GB, key);
    if (!err && e2e_key_fingerprint(key) != r->key_fingerprint)
        err = MT_E_E2E_REKEY_FINGERPRINT;
    if (err) {
        ct_wipe(key, sizeof key);
        return is_dh_rule(err) || err == MT_E_E2E_REKEY_FINGERPRINT
                   ? abort_exchange(e, r->exchange_id, err)
                   : err;
    }
    /* The commit goes out under the old key; everything after it under the new one. */
    e2e_decryptedMessageActionCommitKey c = {.exchange_id = r->exchange_id,
                                             .key_fingerprint = r->key_fingerprint};
    tl_obj a = e2e_obj_decryptedMessageActionCommitKey(&c);
    err = e2e_send_obj(e, NULL, 0, &a);
    if (!err)
        rekeyed(e, key);
    ct_wipe(key, sizeof key);
    return err;
}

int e2e_rekey_action(e2e *e, const tl_obj *action)
{
    const e2e_decryptedMessageActionRequestKey *rq =
        e2e_as_decryptedMessageActionRequestKey(action);
    if (rq)
        return on_request(e, rq);
    const e2e_decryptedMessageActionAcceptKey *ac = e2e_as_decryptedMessageActionAcceptKey(action);
    if (ac)
        return on_accept(e, ac);
    const e2e_decryptedMessageActionCommitKey *cm = e2e_as_decryptedMessageActionCommitKey(action);
    if (cm) {
        if (e->rk != RK_ACCEPTED || cm->exchange_id != e->rk_id)
            return e2e_fail(e, MT_E_E2E_REKEY_UNKNOWN_EXCHANGE, false);
        if (cm->key_fingerprint != e->rk_new.fp)
            return abort_exchange(e, cm->exchange_id, MT_E_E2E_REKEY_FINGERPRINT);
        e2e_rekey_commit(e);
        return 0;
    }
    const e2e_decryptedMessageActionAbortKey *ab = e2e_as_decryptedMessageActionAbortKey(action);
    if (ab) {
        if (e->rk == RK_NONE || ab->exchange_id != e->rk_id)
            return e2e_fail(e, MT_E_E2E_REKEY_UNKNOWN_EXCHANGE, false);
        e2e_rekey_wipe(e);
    }
    return 0;
}
