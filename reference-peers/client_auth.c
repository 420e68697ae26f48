/* The reference client's keys: the permanent key (created with the handshake client engine, or
 * loaded), and with cfg.temp_key a temporary key bound to it with auth.bindTempAuthKey
 * (proto/handshake.h, proto/bind.h; api/pfs: "the client creates a temporary key, then binds it
 * to the permanent one"). */
#include <stdio.h>
#include <string.h>

#include "common/endian.h"
#include "proto/bind.h"
#include "reference-peers/client_internal.h"

static int begin_handshake(pclient *c, hs_key_kind kind)
{
    hs_client_wipe(&c->hs);
    hs_client_config hc = {
        .keys = c->cfg.keys,
        .n_keys = c->cfg.n_keys,
        .dc = hs_dc_id(1, false, false),
        .kind = kind,
        .expires_in = kind == HS_KEY_TEMP ? c->cfg.temp_expires_in : 0,
        .primes = c->cfg.primes ? c->cfg.primes : &c->primes,
    };
    int err = hs_client_init(&c->hs, &hc, c->cfg.clock, c->cfg.rng, NULL);
    size_t n = 0;
    if (!err)
        err = hs_client_start(&c->hs, c->pkt, sizeof c->pkt, &n);
    if (err)
        return err;
    c->phase = kind == HS_KEY_TEMP ? PC_HS_TEMP : PC_HS_PERM;
    c->sess_up = false;
    return pc_wire_send(c, c->pkt, n);
}

/* The permanent key is there: a temporary key next, or the session and relay.join. */
static int after_perm(pclient *c)
{
    pclient_event ev = {.kind = PCLIENT_EV_KEY, .key = &c->perm};
    pc_emit(c, &ev);
    if (pc_reached(c, PCLIENT_STAGE_KEY))
        return MT_OK;
    if (c->cfg.temp_key)
        return begin_handshake(c, HS_KEY_TEMP);
    int err = pc_sess_start(c, &c->perm);
    return err ? err : pc_relay_join(c);
}

int pc_auth_start(pclient *c)
{
    if (!c->cfg.saved_key)
        return begin_handshake(c, HS_KEY_PERM);
    if (c->cfg.saved_key->kind != HS_KEY_PERM)
        return MT_E_bad_argument;
    c->perm = *c->cfg.saved_key;
    c->have_perm = true;
    c->perm_at_ns = clock_now(c->cfg.clock);
    return after_perm(c);
}

static int handshake_done(pclient *c)
{
    hs_result *r = c->phase == PC_HS_TEMP ? &c->temp : &c->perm;
    int err = hs_client_result(&c->hs, r);
    hs_client_wipe(&c->hs);
    if (err)
        return err;
    if (c->phase == PC_HS_PERM) {
        c->have_perm = true;
        c->perm_at_ns = clock_now(c->cfg.clock);
        return after_perm(c);
    }
    c->have_temp = true;
    err = pc_sess_start(c, &c->temp);
    if (err)
        return err;
    c->phase = PC_BIND;
    return pc_query(c, PCQ_BIND, NULL, 0);
}

int pc_auth_packet(pclient *c, const uint8_t *p, size_t n)
{
    size_t len = 0;
    int err = hs_client_feed(&c->hs, p, n, c->pkt, sizeof c->pkt, &len);
    if (err)
        return mt_err_is_rule(err) ? pc_fail(c, err, "handshake") : err;
    if (len)
        return pc_wire_send(c, c->pkt, len);
    return hs_client_get_state(&c->hs) == HSC_DONE ? handshake_done(c) : MT_OK;
}

/* Called from pc_flush when the queued bind reaches the session: bind_auth_key_inner with a fresh
 * nonce, "expires_at ... to invalidate the temporary key" = its creation + expires_in. */
int pc_auth_bind_send(pclient *c, uint64_t *msg_id)
{
    uint8_t nonce[8];
    int err = c->cfg.rng->fill(c->cfg.rng, nonce, sizeof nonce);
    if (err)
        return err;
    mt_bind_inner in = {
        .nonce = (int64_t)ld64le(nonce),
        .temp_auth_key_id = mt_bind_key_id(&c->temp.key),
        .perm_auth_key_id = mt_bind_key_id(&c->perm.key),
        .temp_session_id = (int64_t)c->session_id,
        .expires_at = c->temp.server_time + c->temp.expires_in,
    };
    return mt_bind_client_send(&c->sess, &c->perm.key, &in, c->cfg.rng, &c->so, msg_id);
}

int pc_auth_bind_result(pclient *c, const uint8_t *res, size_t n)
{
    uint64_t age_s = (clock_now(c->cfg.clock) - c->perm_at_ns) / NS_PER_S;
    mt_bind_action a = mt_bind_client_react(res, n, age_s);
    if (a == MT_BIND_DONE) {
        pclient_event ev = {.kind = PCLIENT_EV_BOUND, .key = &c->temp};
        pc_emit(c, &ev);
        if (pc_reached(c, PCLIENT_STAGE_BOUND))
            return MT_OK;
        return pc_relay_join(c);
    }
    if (++c->bind_tries >= PCLIENT_BIND_TRIES ||
        (a != MT_BIND_RETRY && a != MT_BIND_NEW_TEMP_KEY)) {
        char what[64];
        snprintf(what, sizeof what, "auth.bindTempAuthKey (%s)", mt_bind_action_name(a));
        return pc_fail(c, MT_E_PCLIENT_BIND_FAILED, what);
    }
    if (a == MT_BIND_RETRY)
        return pc_query(c, PCQ_BIND, NULL, 0);
    /* A new temporary key has a new lifetime and no binding. */
    hs_result_wipe(&c->temp);
    c->have_temp = false;
    return begin_handshake(c, HS_KEY_TEMP);
}
