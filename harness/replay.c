/* Replay: comparing frames and results, shared by the client and server replays. */
#include "harness/replay.h"
#include "harness/replay_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "common/hex.h"

void replay_diverge(replay_report *r, size_t frame, const char *fmt, ...)
{
    if (r->diverged)
        return;
    r->diverged = true;
    r->frame = frame;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
}

void replay_frame_out(replay_report *r, size_t i, const tr_frame *f, const uint8_t *got,
                      size_t got_len)
{
    if (f->unreproducible)
        r->skipped++;
    else
        replay_compare(r, i, f->bytes.p, f->bytes.len, got, got_len);
}

void replay_compare(replay_report *r, size_t i, const uint8_t *want, size_t want_len,
                    const uint8_t *got, size_t got_len)
{
    r->frames++;
    if (r->diverged)
        return;
    size_t n = want_len < got_len ? want_len : got_len, at = 0;
    while (at < n && want[at] == got[at])
        at++;
    if (at == n && want_len == got_len)
        return;
    r->offset = at;
    r->want_len = want_len;
    r->got_len = got_len;
    r->ctx_start = at > REPLAY_CONTEXT ? at - REPLAY_CONTEXT : 0;
    size_t end = r->ctx_start + 2 * REPLAY_CONTEXT;
    r->want_ctx =
        (want_len < end ? want_len : end) - (want_len < r->ctx_start ? want_len : r->ctx_start);
    r->got_ctx =
        (got_len < end ? got_len : end) - (got_len < r->ctx_start ? got_len : r->ctx_start);
    if (r->want_ctx)
        memcpy(r->want, want + r->ctx_start, r->want_ctx);
    if (r->got_ctx)
        memcpy(r->got, got + r->ctx_start, r->got_ctx);
    if (at < n)
        replay_diverge(r, i + 1, "frame %zu differs at byte %zu: expected %02x, got %02x", i + 1,
                       at, want[at], got[at]);
    else
        replay_diverge(r, i + 1, "frame %zu: expected %zu bytes, got %zu (equal up to byte %zu)",
                       i + 1, want_len, got_len, at);
}

/* One expect line with a hex value against what the engine has (NULL: nothing). */
static void check_hex(const mt_transcript *t, replay_report *r, const char *name,
                      const uint8_t *have, size_t len)
{
    const tr_value *v = transcript_find(&t->expects, r->side, name);
    if (!v)
        return;
    if (!have)
        replay_diverge(r, 0, "expect %s %s: the %s has none (result %s)",
                       transcript_side_name(r->side), name, transcript_side_name(r->side),
                       r->result);
    else if (v->hex.len != len || !ct_eq(v->hex.p, have, len))
        replay_diverge(r, 0, "expect %s %s: the %s computed another value",
                       transcript_side_name(r->side), name, transcript_side_name(r->side));
}

void replay_check_expects(const mt_transcript *t, replay_report *r, const uint8_t *auth_key,
                          const uint8_t *auth_key_id, const uint8_t *salt, const unsigned *retries)
{
    const tr_value *n = transcript_find(&t->expects, r->side, "retries");
    if (n && (!retries || (int64_t)*retries != n->num))
        replay_diverge(r, 0, "expect %s retries %lld: the %s %s", transcript_side_name(r->side),
                       (long long)n->num, transcript_side_name(r->side),
                       retries ? "counted another number" : "did not finish");
    const tr_value *v = transcript_find(&t->expects, r->side, "result");
    if (v && strcmp(v->word, r->result) != 0)
        replay_diverge(r, 0, "expect %s result %s, but the %s ended with %s",
                       transcript_side_name(r->side), v->word, transcript_side_name(r->side),
                       r->result);
    check_hex(t, r, "auth-key", auth_key, 256);
    check_hex(t, r, "auth-key-id", auth_key_id, 8);
    check_hex(t, r, "server-salt", salt, 8);
}

uint64_t replay_answer_time(const mt_transcript *t, size_t i, unsigned side)
{
    unsigned own = side == TR_CLIENT ? TR_C2S : TR_S2C;
    if (i + 1 < t->frames.n && transcript_frame(t, i + 1)->dir == own)
        return transcript_frame(t, i + 1)->time_ns;
    return transcript_frame(t, i)->time_ns;
}

bool replay_is_transport_error(const uint8_t *p, size_t n, int32_t *code)
{
    if (n != 4)
        return false;
    *code = (int32_t)ld32le(p);
    return *code < 0;
}

int replay_handshake_keys(const mt_transcript *t, const replay_keys *keys, unsigned side,
                          replay_report *r)
{
    bool client = side == TR_CLIENT;
    int err = replay_check_names(t, side, client ? replay_client_randoms : replay_server_randoms,
                                 client ? replay_client_params : replay_server_params, r);
    if (err)
        return err;
    mt_drbg drbg;
    replay_drbg(t, side, &drbg);
    replay_phase ph = {.from = 0, .to = t->frames.n, .kind = -1, .drbg = &drbg};
    err = client ? replay_client_phase(t, keys, &ph, r) : replay_server_phase(t, keys, &ph, r);
    if (!err) {
        if (!r->result[0])
            snprintf(r->result, sizeof r->result, "ok");
        if (!r->diverged)
            replay_check_expects(
                t, r, ph.done ? ph.res.key.key : NULL, ph.done ? ph.res.key.id : NULL,
                ph.done ? ph.res.server_salt : NULL, ph.done ? &ph.res.retries : NULL);
    }
    if (ph.done)
        hs_result_wipe(&ph.res);
    drbg_wipe(&drbg);
    return err;
}

/* A whole `records handshake` transcript with the keys of its files. */
static int replay_handshake(const mt_transcript *t, const char *dir, unsigned side,
                            replay_report *r)
{
    replay_keys keys;
    int err = replay_check_names(
        t, side, side == TR_CLIENT ? replay_client_randoms : replay_server_randoms,
        side == TR_CLIENT ? replay_client_params : replay_server_params, r);
    if (!err && (err = replay_load_keys(t, dir, side != TR_CLIENT, &keys, r)) != MT_OK)
        replay_keys_free(&keys);
    if (err)
        return err;
    err = replay_handshake_keys(t, &keys, side, r);
    replay_keys_free(&keys);
    return err;
}

int replay_side(const mt_transcript *t, const char *dir, unsigned side, replay_report *r)
{
    memset(r, 0, sizeof *r);
    r->side = side;
    bool bind = t->records && strcmp(t->records, "temp-bind") == 0;
    if (!t->records || (strcmp(t->records, "handshake") != 0 && !bind) ||
        t->layer != TR_LAYER_PACKET) {
        snprintf(r->why, sizeof r->why,
                 "only 'records handshake' or 'records temp-bind' with 'layer packet' replays");
        return MT_E_bad_argument;
    }
    if (bind)
        return replay_bind_side(t, dir, side, r);
    return replay_handshake(t, dir, side, r);
}
