/*
 * The end-to-end engine: creation, the first key exchange (api/end-to-end: the originator sends
 * g_a, the other side answers with g_b and key_fingerprint, the originator checks it), envelope
 * dispatch, closing. Messages are in e2e_send.c / e2e_recv.c, re-keying in e2e_rekey.c.
 */
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "common/rules.h"
#include "proto/e2e_internal.h"
#include "proto/tl_rly.h"

int e2e_new(e2e **out, const e2e_config *cfg)
{
    *out = NULL;
    const uint8_t *p = cfg->dh_prime ? cfg->dh_prime : PRIME_TELEGRAM_DH;
    size_t p_len = cfg->dh_prime ? cfg->dh_prime_len : E2E_KEY_LEN;
    uint32_t g = cfg->g ? cfg->g : 3;
    if (!cfg->rng || !cfg->on_event || !cfg->on_output || p_len != E2E_KEY_LEN || g > 7)
        return MT_E_bad_argument;
    int err = dh_check_params(p, p_len, (int64_t)g, NULL, 0, cfg->rng);
    if (err)
        return err;
    e2e *e = calloc(1, sizeof *e);
    if (!e)
        return MT_E_no_memory;
    e->cfg = *cfg;
    memcpy(e->prime, p, E2E_KEY_LEN);
    e->g = g;
    e->layer = cfg->layer ? cfg->layer : E2E_LAYER;
    e->rekey_every = cfg->rekey_every ? cfg->rekey_every : E2E_REKEY_EVERY;
    e->peer_layer = E2E_LAYER_MIN;
    *out = e;
    return 0;
}

void e2e_free(e2e *e)
{
    if (!e)
        return;
    dh_wipe(&e->dh);
    e2e_rekey_wipe(e);
    ct_wipe(e, sizeof *e);
    free(e);
}

void e2e_emit(e2e *e, const e2e_event *ev)
{
    e->cfg.on_event(e->cfg.ctx, ev);
}

int e2e_output(e2e *e, const uint8_t *env, size_t n)
{
    return e->cfg.on_output(e->cfg.ctx, env, n);
}

/* Encodes one e2e.* envelope into e->env and hands it to the caller. */
int e2e_send_envelope(e2e *e, const tl_obj *o)
{
    mt_wr w = wr_init(e->env, sizeof e->env);
    int err = tl_encode(&w, o);
    if (!err)
        err = w.err;
    return err ? err : e2e_output(e, e->env, wr_len(&w));
}

static void close_chat(e2e *e)
{
    e->st = ST_CLOSED;
    dh_wipe(&e->dh);
    e2e_rekey_wipe(e);
    ct_wipe(&e->cur, sizeof e->cur);
    ct_wipe(&e->old, sizeof e->old);
    ct_wipe(e->original, sizeof e->original);
    ct_wipe(e->hist, sizeof e->hist);
    ct_wipe(e->pend, sizeof e->pend);
    e->visual[0] = '\0';
}

int e2e_discard(e2e *e, const char *reason)
{
    if (e->st == ST_CLOSED)
        return MT_E_e2e_closed;
    rly_e2e_discard d = {.reason = {(const uint8_t *)reason, strlen(reason)}};
    tl_obj o = rly_obj_e2e_discard(&d);
    close_chat(e);
    return e2e_send_envelope(e, &o);
}

int e2e_fail(e2e *e, int rule, bool fatal)
{
    e2e_event ev = {.kind = E2E_EV_ERROR, .rule = rule, .fatal = fatal};
    e2e_emit(e, &ev);
    if (fatal && e->st != ST_CLOSED) {
        const mt_rule *r = mt_rule_of(rule);
        int err = e2e_discard(e, r ? r->id : "error");
        if (err)
            return err;
    }
    return rule;
}

void e2e_set_key(e2e *e, e2e_key *dst, const uint8_t key[E2E_KEY_LEN])
{
    (void)e;
    memcpy(dst->key, key, E2E_KEY_LEN);
    dst->fp = e2e_key_fingerprint(key);
    dst->set = true;
}

/* The current key becomes the old one (kept for messages in flight) and key the current one. */
void e2e_switch_key(e2e *e, const uint8_t key[E2E_KEY_LEN])
{
    e->old = e->cur;
    e->old_since_ns = e->cfg.clock ? clock_now(e->cfg.clock) : 0;
    e2e_set_key(e, &e->cur, key);
    e->uses = 0;
    e2e_visualise(e->original, e->cur.key, e->visual);
}

void e2e_become_ready(e2e *e, const uint8_t key[E2E_KEY_LEN])
{
    memcpy(e->original, key, E2E_KEY_LEN);
    e2e_set_key(e, &e->cur, key);
    e2e_visualise(e->original, e->cur.key, e->visual);
    e->st = ST_CHAT;
    dh_wipe(&e->dh);
    e2e_event ev = {.kind = E2E_EV_READY, .fingerprint = e->cur.fp, .visual = e->visual};
    e2e_emit(e, &ev);
}

static int on_discard(e2e *e, const tl_obj *o)
{
    const rly_e2e_discard *d = rly_as_e2e_discard(o);
    e2e_event ev = {
        .kind = E2E_EV_DISCARDED, .text = (const char *)d->reason.p, .len = d->reason.len};
    e2e_emit(e, &ev);
    close_chat(e);
    return 0;
}

int e2e_feed(e2e *e, const uint8_t *envelope, size_t n)
{
    if (e->st == ST_CLOSED)
        return MT_E_e2e_closed;
    tl_arena a;
    tl_arena_init(&a, e->arena, sizeof e->arena);
    tl_obj o;
    if (n > E2E_ENVELOPE_MAX || tl_decode(&rly_schema, envelope, n, &a, TL_STRICT, &o) != 0)
        return e2e_fail(e, MT_E_E2E_ENVELOPE_MALFORMED, false);
    switch (o.id) {
    case RLY_ID_e2e_request:
        return e2e_on_request(e, &o);
    case RLY_ID_e2e_accept:
        return e2e_on_accept(e, &o);
    case RLY_ID_e2e_encrypted:
        if (e->st != ST_CHAT)
            return e2e_fail(e, MT_E_E2E_UNEXPECTED_ENVELOPE, false);
        {
            const rly_e2e_encrypted *m = rly_as_e2e_encrypted(&o);
            return e2e_recv_encrypted(e, m->data.p, m->data.len);
        }
    case RLY_ID_e2e_discard:
        return on_discard(e, &o);
    default:
        return e2e_fail(e, MT_E_E2E_ENVELOPE_MALFORMED, false);
    }
}

void e2e_tick(e2e *e)
{
    if (e->old.set && e->cfg.clock && clock_now(e->cfg.clock) - e->old_since_ns >= E2E_OLD_KEY_NS)
        ct_wipe(&e->old, sizeof e->old);
}

bool e2e_ready(const e2e *e)
{
    return e->st == ST_CHAT;
}

bool e2e_closed(const e2e *e)
{
    return e->st == ST_CLOSED;
}

int64_t e2e_fingerprint(const e2e *e)
{
    return e->cur.set ? e->cur.fp : 0;
}

const char *e2e_visual(const e2e *e)
{
    return e->visual;
}

uint32_t e2e_key_uses(const e2e *e)
{
    return e->uses;
}

uint32_t e2e_rekeys(const e2e *e)
{
    return e->rekeys;
}
