/*
 * Replay of the server side: our server engine (proto/handshake_server.h) with the transcript's
 * random values, fed the client's frames at the recorded times; every s2c frame it sends is
 * compared. A refused query answers with the rule's transport error (4 bytes, int32 LE), as the
 * packet layer records it.
 */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "harness/replay_internal.h"
#include "proto/handshake_server.h"

const char *const replay_server_randoms[] = {"server_nonce", "p", "q", "a", "answer_pad", NULL};
const char *const replay_server_params[] = {"strict", "fault", "collide", NULL};

typedef struct server_run {
    hss s;
    hss_config cfg;
    hss_fixed fixed;
    mt_drbg *drbg;
    mt_vclock clock;
    unsigned collide; /* key_exists answers true this many more times */
    uint8_t out[HS_PACKET_MAX];
    size_t out_len;
    bool have_out;
} server_run;

/* "dh_gen_retry when auth_key_hash collides": the generator pretends the first keys exist. */
static bool collides(void *ctx, const uint8_t id[MT_AUTH_KEY_ID_LEN])
{
    (void)id;
    server_run *run = ctx;
    if (!run->collide)
        return false;
    run->collide--;
    return true;
}

static int setup_fixed(const mt_transcript *t, unsigned nth, server_run *run, replay_report *r)
{
    int err = MT_OK;
    hss_fixed *f = &run->fixed;
    const uint8_t *p = replay_random_nth(t, TR_SERVER, "p", nth, 8, NULL, &err, r);
    const uint8_t *q = replay_random_nth(t, TR_SERVER, "q", nth, 8, NULL, &err, r);
    f->server_nonce =
        replay_random_nth(t, TR_SERVER, "server_nonce", nth, HS_NONCE_LEN, NULL, &err, r);
    f->a = replay_random_nth(t, TR_SERVER, "a", nth, DH_BYTES, NULL, &err, r);
    f->answer_pad =
        replay_random_nth(t, TR_SERVER, "answer_pad", nth, 0, &f->answer_pad_len, &err, r);
    if (!err && (!p) != (!q)) {
        snprintf(r->why, sizeof r->why, "random server p and q come together");
        err = MT_E_bad_argument;
    }
    f->p = p ? ld64be(p) : 0;
    f->q = q ? ld64be(q) : 0;
    return err;
}

static int setup(const mt_transcript *t, const replay_keys *keys, const replay_phase *ph,
                 server_run *run, replay_report *r)
{
    const char *fault = replay_param_word(t, TR_SERVER, "fault");
    run->cfg.keys = (const rsa_private *const *)keys->priv;
    run->cfg.n_keys = keys->n;
    if (t->dh_prime.len && t->dh_prime.len != DH_BYTES) {
        snprintf(r->why, sizeof r->why, "dh-prime has %zu bytes, not %d", t->dh_prime.len,
                 DH_BYTES);
        return MT_E_bad_argument;
    }
    run->cfg.dh_prime = t->dh_prime.len ? t->dh_prime.p : NULL;
    run->cfg.g = (int32_t)t->dh_g;
    run->cfg.strict = replay_param_int(t, TR_SERVER, "strict", 0) != 0;
    run->cfg.fault = fault ? hss_fault_by_name(fault) : HSS_FAULT_NONE;
    if (run->cfg.fault == HSS_FAULT_COUNT) {
        snprintf(r->why, sizeof r->why, "param server fault: no fault named %s", fault);
        return MT_E_bad_argument;
    }
    run->collide = (unsigned)replay_param_int(t, TR_SERVER, "collide", 0);
    run->cfg.key_exists = collides;
    run->cfg.key_exists_ctx = run;
    int err = setup_fixed(t, ph->nth, run, r);
    if (err)
        return err;
    run->drbg = ph->drbg;
    vclock_init(&run->clock, ph->from < ph->to ? transcript_frame(t, ph->from)->time_ns : 0);
    err = hss_init(&run->s, &run->cfg, &run->clock.clock, &run->drbg->rng, &run->fixed);
    if (err)
        snprintf(r->why, sizeof r->why, "the server engine refuses the setup: %s",
                 mt_err_message(err));
    return err;
}

/* Feeds client frame i; a refusal answers with its transport error. */
static void feed(const mt_transcript *t, size_t i, server_run *run, replay_report *r)
{
    const tr_frame *f = transcript_frame(t, i);
    run->clock.ns = replay_answer_time(t, i, TR_SERVER);
    int err = hss_feed(&run->s, f->bytes.p, f->bytes.len, run->out, sizeof run->out, &run->out_len);
    if (err && mt_err_is_rule(err)) {
        if (!r->result[0])
            snprintf(r->result, sizeof r->result, "%s", mt_err_name(err));
        int code = mt_rule_of(err)->code;
        st32le(run->out, (uint32_t)(code < 0 ? code : -404));
        run->out_len = 4;
    } else if (err) {
        snprintf(r->result, sizeof r->result, "%s", mt_err_name(err));
        run->out_len = 0;
    }
    run->have_out = run->out_len > 0;
}

static void run_frames(const mt_transcript *t, size_t from, size_t to, server_run *run,
                       replay_report *r)
{
    for (size_t i = from; i < to && !r->diverged; i++) {
        const tr_frame *f = transcript_frame(t, i);
        if (f->dir == TR_C2S) {
            feed(t, i, run, r);
            continue;
        }
        if (!run->have_out) {
            replay_diverge(r, i + 1, "frame %zu: the server sent nothing here", i + 1);
            break;
        }
        run->have_out = false;
        replay_frame_out(r, i, f, run->out, run->out_len);
    }
    if (!r->diverged && run->have_out)
        replay_diverge(r, to + 1, "the server sent a message past frame %zu", to);
}

int replay_server_phase(const mt_transcript *t, const replay_keys *keys, replay_phase *ph,
                        replay_report *r)
{
    server_run *run = calloc(1, sizeof *run);
    int err = run ? setup(t, keys, ph, run, r) : MT_E_no_memory;
    if (!err) {
        run_frames(t, ph->from, ph->to, run, r);
        ph->done = hss_result(&run->s, &ph->res) == MT_OK;
        if (!r->result[0] && !ph->done)
            snprintf(r->result, sizeof r->result, "%s",
                     hss_get_state(&run->s) == HSS_GEN_FAIL ? "dh_gen_fail" : "incomplete");
    }
    if (run) {
        hss_wipe(&run->s);
        free(run);
    }
    return err;
}
