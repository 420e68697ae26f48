/*
 * Replay of the client side: our client engine (proto/handshake.h) with the transcript's random
 * values, fed the server's frames at the recorded times; every c2s frame it sends is compared.
 */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "harness/replay_internal.h"
#include "proto/handshake.h"

/* Random names the client replay feeds (docs/transcripts.md); rsa_pad_padding is recorded for
 * readers only: the engine draws RSA_PAD's padding and temp_key from its DRBG. */
const char *const replay_client_randoms[] = {"nonce",  "new_nonce",       "b", "answer_pad",
                                             "msg_id", "rsa_pad_padding", NULL};
const char *const replay_client_params[] = {"dc",    "key-type", "expires-in",
                                            "fault", "resend",   NULL};

#define MAX_FIXED_IDS 16

typedef struct client_run {
    hs_client c;
    hs_client_config cfg;
    hs_client_fixed fixed;
    uint64_t ids[MAX_FIXED_IDS];
    mt_drbg *drbg;
    mt_vclock clock;
    uint8_t out[HS_PACKET_MAX];
    size_t out_len;
    bool have_out;
    unsigned sent;     /* messages the client sent so far */
    const char *fault; /* param client fault */
    unsigned resend;   /* param client resend: the message sent twice (0: none) */
    bool resent;
    uint8_t last[HS_PACKET_MAX]; /* the last message, for the resend */
    size_t last_len;
} client_run;

/* A new message from the engine: the fault applied, kept for a resend. */
static void produced(client_run *run)
{
    run->have_out = run->out_len > 0;
    if (!run->have_out)
        return;
    run->sent++;
    replay_client_fault(run->fault, run->sent, run->out, run->out_len);
    memcpy(run->last, run->out, run->out_len);
    run->last_len = run->out_len;
}

static int setup_fixed(const mt_transcript *t, unsigned nth, client_run *run, replay_report *r)
{
    int err = MT_OK;
    hs_client_fixed *f = &run->fixed;
    f->nonce = replay_random_nth(t, TR_CLIENT, "nonce", nth, HS_NONCE_LEN, NULL, &err, r);
    f->new_nonce =
        replay_random_nth(t, TR_CLIENT, "new_nonce", nth, HS_NEW_NONCE_LEN, NULL, &err, r);
    f->b = replay_random_nth(t, TR_CLIENT, "b", nth, DH_BYTES, NULL, &err, r);
    f->answer_pad =
        replay_random_nth(t, TR_CLIENT, "answer_pad", nth, 0, &f->answer_pad_len, &err, r);
    for (size_t i = 0; !err && i < t->randoms.n; i++) {
        const tr_value *v = transcript_value(&t->randoms, i);
        if (v->side != TR_CLIENT || strcmp(v->name, "msg_id") != 0)
            continue;
        if (v->hex.len != 8 || f->n_msg_ids == MAX_FIXED_IDS) {
            snprintf(r->why, sizeof r->why, "line %u: a msg_id is 8 bytes, at most %d of them",
                     v->line, MAX_FIXED_IDS);
            return MT_E_bad_argument;
        }
        run->ids[f->n_msg_ids++] = ld64be(v->hex.p);
    }
    f->msg_ids = run->ids;
    return err;
}

static int setup(const mt_transcript *t, const replay_keys *keys, const replay_phase *ph,
                 client_run *run, replay_report *r)
{
    const char *kind = replay_param_word(t, TR_CLIENT, "key-type");
    if (kind && strcmp(kind, "perm") != 0 && strcmp(kind, "temp") != 0) {
        snprintf(r->why, sizeof r->why, "param client key-type is perm or temp, not %s", kind);
        return MT_E_bad_argument;
    }
    run->cfg.keys = (const rsa_public *const *)keys->pub;
    run->cfg.n_keys = keys->n;
    run->cfg.dc = (int32_t)replay_param_int(t, TR_CLIENT, "dc", 2);
    run->cfg.kind = kind && strcmp(kind, "temp") == 0 ? HS_KEY_TEMP : HS_KEY_PERM;
    if (ph->kind >= 0)
        run->cfg.kind = (hs_key_kind)ph->kind;
    run->cfg.expires_in =
        run->cfg.kind == HS_KEY_TEMP ? (int32_t)replay_param_int(t, TR_CLIENT, "expires-in", 0) : 0;
    run->fault = replay_param_word(t, TR_CLIENT, "fault");
    if (run->fault && !replay_client_fault_known(run->fault)) {
        snprintf(r->why, sizeof r->why, "param client fault: no fault named %s", run->fault);
        return MT_E_bad_argument;
    }
    run->resend = (unsigned)replay_param_int(t, TR_CLIENT, "resend", 0);
    int err = setup_fixed(t, ph->nth, run, r);
    if (err)
        return err;
    run->drbg = ph->drbg;
    vclock_init(&run->clock, ph->from < ph->to ? transcript_frame(t, ph->from)->time_ns : 0);
    err = hs_client_init(&run->c, &run->cfg, &run->clock.clock, &run->drbg->rng, &run->fixed);
    if (err)
        snprintf(r->why, sizeof r->why, "the client engine refuses the setup: %s",
                 mt_err_message(err));
    return err;
}

/* Feeds server frame i; a transport error ends the client's run. */
static void feed(const mt_transcript *t, size_t i, client_run *run, replay_report *r)
{
    const tr_frame *f = transcript_frame(t, i);
    int32_t code;
    if (replay_is_transport_error(f->bytes.p, f->bytes.len, &code)) {
        snprintf(r->result, sizeof r->result, "transport-error:%d", (int)code);
        return;
    }
    if (run->resend && run->resend == run->sent && !run->resent) {
        /* The client resends instead of taking this answer (as the generator did). */
        run->resent = true;
        memcpy(run->out, run->last, run->last_len);
        run->out_len = run->last_len;
        run->have_out = true;
        return;
    }
    run->clock.ns = replay_answer_time(t, i, TR_CLIENT);
    int err =
        hs_client_feed(&run->c, f->bytes.p, f->bytes.len, run->out, sizeof run->out, &run->out_len);
    if (err) {
        snprintf(r->result, sizeof r->result, "%s", mt_err_name(err));
        return;
    }
    produced(run);
}

static void run_frames(const mt_transcript *t, size_t from, size_t to, client_run *run,
                       replay_report *r)
{
    bool started = false;
    for (size_t i = from; i < to && !r->diverged; i++) {
        const tr_frame *f = transcript_frame(t, i);
        if (f->dir == TR_S2C) {
            if (!r->result[0])
                feed(t, i, run, r);
            continue;
        }
        if (!started) {
            run->clock.ns = f->time_ns;
            started = true;
            int err = hs_client_start(&run->c, run->out, sizeof run->out, &run->out_len);
            if (err)
                snprintf(r->result, sizeof r->result, "%s", mt_err_name(err));
            else
                produced(run);
        }
        if (!run->have_out) {
            replay_diverge(r, i + 1, "frame %zu: the client sent nothing (it ended with %s)", i + 1,
                           r->result[0] ? r->result : "ok");
            break;
        }
        run->have_out = false;
        replay_frame_out(r, i, f, run->out, run->out_len);
    }
    if (!r->diverged && run->have_out)
        replay_diverge(r, to + 1, "the client sent a message past frame %zu", to);
}

int replay_client_phase(const mt_transcript *t, const replay_keys *keys, replay_phase *ph,
                        replay_report *r)
{
    client_run *run = calloc(1, sizeof *run);
    int err = run ? setup(t, keys, ph, run, r) : MT_E_no_memory;
    if (!err) {
        run_frames(t, ph->from, ph->to, run, r);
        ph->done = hs_client_result(&run->c, &ph->res) == MT_OK;
        if (!r->result[0] && !ph->done)
            snprintf(r->result, sizeof r->result, "incomplete");
    }
    if (run) {
        hs_client_wipe(&run->c);
        free(run);
    }
    return err;
}
