/*
 * Replay of a `records temp-bind` transcript (docs/transcripts.md): one side runs its engine for
 * the permanent key's handshake, then for the temporary key's (the second occurrence of each
 * random name), both drawing from the side's one DRBG, then the binding step of
 * harness/replay_bind.c. Every frame the side sends is compared; then the expect lines: result,
 * auth-key, auth-key-id, server-salt and retries of the temporary key, perm-auth-key-id, bind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "common/rules.h"
#include "harness/replay_internal.h"
#include "proto/handshake.h"

/* One side's run over the bind frames [from, frames.n): exactly a c2s query and its s2c answer. */
typedef struct bind_run {
    unsigned side;
    mt_drbg drbg;
    mt_vclock clock;
    replay_phase ph[2]; /* permanent, temporary */
    char bind[64];      /* the expect bind value reached */
    uint8_t out[2048];
    size_t out_len;
} bind_run;

static void client_bind(const mt_transcript *t, size_t from, bind_run *b, replay_report *r)
{
    const tr_frame *q = transcript_frame(t, from), *a = transcript_frame(t, from + 1);
    replay_bind_client st;
    b->clock.ns = q->time_ns;
    int err = replay_bind_query(&b->ph[0].res, &b->ph[1].res, &b->clock.clock, &b->drbg.rng, &st,
                                b->out, sizeof b->out, &b->out_len);
    if (err) {
        snprintf(r->result, sizeof r->result, "%s", mt_err_name(err));
        return;
    }
    replay_compare(r, from, q->bytes.p, q->bytes.len, b->out, b->out_len);
    uint64_t perm_ns = transcript_frame(t, b->ph[0].to - 1)->time_ns;
    mt_bind_action act;
    err = replay_bind_result(&st, &b->ph[1].res, (a->time_ns - perm_ns) / NS_PER_S, a->bytes.p,
                             a->bytes.len, &act);
    if (err)
        snprintf(r->result, sizeof r->result, "%s", mt_err_name(err));
    else
        snprintf(b->bind, sizeof b->bind, "%s", mt_bind_action_name(act));
    if (!err && act != MT_BIND_DONE)
        snprintf(r->result, sizeof r->result, "bind:%s", mt_bind_action_name(act));
}

static void server_bind(const mt_transcript *t, size_t from, bind_run *b, replay_report *r)
{
    const tr_frame *q = transcript_frame(t, from), *a = transcript_frame(t, from + 1);
    int rule = 0;
    b->clock.ns = a->time_ns;
    int64_t created_s = (int64_t)(transcript_frame(t, b->ph[1].to - 1)->time_ns / NS_PER_S);
    int err =
        replay_bind_answer(&b->ph[0].res, &b->ph[1].res, created_s, &b->clock.clock, &b->drbg.rng,
                           q->bytes.p, q->bytes.len, b->out, sizeof b->out, &b->out_len, &rule);
    if (err) {
        snprintf(r->result, sizeof r->result, "%s", mt_err_name(err));
        return;
    }
    snprintf(b->bind, sizeof b->bind, "%s", rule ? mt_err_name(rule) : "ok");
    if (rule)
        snprintf(r->result, sizeof r->result, "%s", mt_err_name(rule));
    if (b->out_len)
        replay_compare(r, from + 1, a->bytes.p, a->bytes.len, b->out, b->out_len);
    else
        replay_diverge(r, from + 2, "frame %zu: the server sent nothing (%s)", from + 2, b->bind);
}

/* The expect lines beyond the handshake's: perm-auth-key-id and bind. */
static void check_bind_expects(const mt_transcript *t, const bind_run *b, replay_report *r)
{
    const char *sn = transcript_side_name(b->side);
    const tr_value *v = transcript_find(&t->expects, b->side, "perm-auth-key-id");
    if (v && (!b->ph[0].done || v->hex.len != MT_AUTH_KEY_ID_LEN ||
              !ct_eq(v->hex.p, b->ph[0].res.key.id, MT_AUTH_KEY_ID_LEN)))
        replay_diverge(r, 0, "expect %s perm-auth-key-id: the %s computed another value", sn, sn);
    v = transcript_find(&t->expects, b->side, "bind");
    if (v && strcmp(v->word, b->bind[0] ? b->bind : "none") != 0)
        replay_diverge(r, 0, "expect %s bind %s, but the %s reached %s", sn, v->word, sn,
                       b->bind[0] ? b->bind : "none");
}

static int run_side(const mt_transcript *t, const replay_keys *keys, bind_run *b, replay_report *r)
{
    size_t hs2, bind;
    if (!replay_bind_split(t, &hs2, &bind) || bind + 2 != t->frames.n) {
        snprintf(r->why, sizeof r->why,
                 "temp-bind: expected two handshakes, then exactly the bind query and answer");
        return MT_E_bad_argument;
    }
    replay_drbg(t, b->side, &b->drbg);
    b->ph[0] =
        (replay_phase){.from = 0, .to = hs2, .nth = 0, .kind = HS_KEY_PERM, .drbg = &b->drbg};
    b->ph[1] =
        (replay_phase){.from = hs2, .to = bind, .nth = 1, .kind = HS_KEY_TEMP, .drbg = &b->drbg};
    vclock_init(&b->clock, 0);
    for (int k = 0; k < 2; k++) {
        int err = b->side == TR_CLIENT ? replay_client_phase(t, keys, &b->ph[k], r)
                                       : replay_server_phase(t, keys, &b->ph[k], r);
        if (err || r->diverged || !b->ph[k].done)
            return err;
    }
    if (b->side == TR_CLIENT)
        client_bind(t, bind, b, r);
    else
        server_bind(t, bind, b, r);
    return MT_OK;
}

int replay_bind_side(const mt_transcript *t, const char *dir, unsigned side, replay_report *r)
{
    replay_keys keys;
    const char *const *randoms = side == TR_CLIENT ? replay_client_randoms : replay_server_randoms;
    const char *const *params = side == TR_CLIENT ? replay_client_params : replay_server_params;
    int err = replay_check_names(t, side, randoms, params, r);
    if (err)
        return err;
    if ((err = replay_load_keys(t, dir, side == TR_SERVER, &keys, r)) != MT_OK) {
        replay_keys_free(&keys);
        return err;
    }
    bind_run *b = calloc(1, sizeof *b);
    err = b ? MT_OK : MT_E_no_memory;
    if (b) {
        b->side = side;
        err = run_side(t, &keys, b, r);
    }
    if (!err) {
        const hs_result *res = b->ph[1].done ? &b->ph[1].res : NULL;
        if (!r->result[0])
            snprintf(r->result, sizeof r->result, "ok");
        if (!r->diverged)
            replay_check_expects(t, r, res ? res->key.key : NULL, res ? res->key.id : NULL,
                                 res ? res->server_salt : NULL, res ? &res->retries : NULL);
        if (!r->diverged)
            check_bind_expects(t, b, r);
    }
    for (int k = 0; b && k < 2; k++)
        if (b->ph[k].done)
            hs_result_wipe(&b->ph[k].res);
    if (b) {
        drbg_wipe(&b->drbg);
        free(b);
    }
    replay_keys_free(&keys);
    return err;
}
