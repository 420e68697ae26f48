/*
 * The first key exchange (mtproto-notes §8; api/end-to-end): A (the originator) sends g_a; B
 * checks it like the handshake checks a peer's value, computes key = g_a^b mod p and
 * key_fingerprint = the last 64 bits of SHA1(key), and answers with g_b and the fingerprint; A
 * checks g_b, computes the key and checks the fingerprint, "or discards the chat".
 */
#include <string.h>

#include "common/ct.h"
#include "proto/e2e_internal.h"
#include "proto/tl_rly.h"

int e2e_start(e2e *e)
{
    if (e->st == ST_CLOSED)
        return MT_E_e2e_closed;
    if (!e->cfg.originator || e->st != ST_IDLE)
        return 0;
    rly_e2e_request r;
    uint8_t g_a[DH_BYTES];
    int err = dh_init(&e->dh, e->prime, E2E_KEY_LEN, e->g);
    if (!err)
        err = dh_generate(&e->dh, e->cfg.rng, g_a);
    if (err) {
        dh_wipe(&e->dh);
        return err;
    }
    e->st = ST_REQUESTED;
    r.g_a = (tl_str){g_a, DH_BYTES};
    tl_obj o = rly_obj_e2e_request(&r);
    return e2e_send_envelope(e, &o);
}

/* A DH rule from dh_compute_key is the peer's fault (abort the chat); anything else is ours. */
static bool is_dh_rule(int err)
{
    return err == MT_E_DH_GA_RANGE || err == MT_E_DH_GA_BOUNDS || err == MT_E_DH_GB_RANGE ||
           err == MT_E_DH_GB_BOUNDS;
}

int e2e_on_request(e2e *e, const tl_obj *o)
{
    if (e->cfg.originator || e->st != ST_IDLE)
        return e2e_fail(e, MT_E_E2E_UNEXPECTED_ENVELOPE, false);
    const rly_e2e_request *r = rly_as_e2e_request(o);
    uint8_t g_b[DH_BYTES], key[E2E_KEY_LEN];
    int err = dh_init(&e->dh, e->prime, E2E_KEY_LEN, e->g);
    if (!err)
        err = dh_generate(&e->dh, e->cfg.rng, g_b);
    if (!err)
        err = dh_compute_key(&e->dh, r->g_a.p, r->g_a.len, DH_VALUE_GA, key);
    dh_wipe(&e->dh);
    if (err) {
        ct_wipe(key, sizeof key);
        return is_dh_rule(err) ? e2e_fail(e, err, true) : err;
    }
    rly_e2e_accept acc = {.g_b = {g_b, DH_BYTES}, .key_fingerprint = e2e_key_fingerprint(key)};
    tl_obj out = rly_obj_e2e_accept(&acc);
    err = e2e_send_envelope(e, &out);
    if (!err)
        e2e_become_ready(e, key);
    ct_wipe(key, sizeof key);
    return err;
}

int e2e_on_accept(e2e *e, const tl_obj *o)
{
    if (!e->cfg.originator || e->st != ST_REQUESTED)
        return e2e_fail(e, MT_E_E2E_UNEXPECTED_ENVELOPE, false);
    const rly_e2e_accept *a = rly_as_e2e_accept(o);
    uint8_t key[E2E_KEY_LEN];
    int err = dh_compute_key(&e->dh, a->g_b.p, a->g_b.len, DH_VALUE_GB, key);
    if (err) {
        ct_wipe(key, sizeof key);
        return is_dh_rule(err) ? e2e_fail(e, err, true) : err;
    }
    if (e2e_key_fingerprint(key) != a->key_fingerprint) {
        ct_wipe(key, sizeof key);
        return e2e_fail(e, MT_E_E2E_ACCEPT_FINGERPRINT, true);
    }
    e2e_become_ready(e, key);
    ct_wipe(key, sizeof key);
    return 0;
}
