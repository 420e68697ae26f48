/*
 * Replaying a handshake transcript with our engines (docs/transcripts.md "Replay").
 *
 * One side at a time: the engine of that side is set up from the header (RSA keys, DH group,
 * params, the DRBG seed and the explicit random values it used), the peer's frames are fed to it
 * in order on a virtual clock at the recorded times, and every frame it sends is compared byte
 * for byte with the recorded one. At the end its results are compared with the header's
 * `expect SIDE ...` lines. The first difference is reported: frame number, byte offset, the
 * expected and the produced bytes.
 */
#ifndef MTPROOF_HARNESS_REPLAY_H
#define MTPROOF_HARNESS_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/transcript.h"

/* Bytes of each side of a divergence kept for the report's hex context. */
#define REPLAY_CONTEXT 16

typedef struct replay_report {
    unsigned side;  /* enum tr_side */
    bool diverged;  /* false: every byte and every expect matched */
    size_t frames;  /* frames of this side compared */
    size_t skipped; /* frames of this side marked unreproducible (not compared) */
    /* The first divergence. frame: 1-based (frames.n + 1 for a frame the engine sent past the
     * end; 0 for a result that differs from an `expect` line). offset: the first differing byte
     * (the shorter length when one is a prefix of the other). */
    size_t frame;
    size_t offset;
    size_t want_len, got_len;
    uint8_t want[2 * REPLAY_CONTEXT], got[2 * REPLAY_CONTEXT]; /* around offset */
    size_t ctx_start, want_ctx, got_ctx; /* context: frame offset of [0], bytes held */
    char result[64]; /* the side's outcome: ok, a rule ID, transport-error:-404, incomplete */
    char why[256];   /* one line saying what differed */
} replay_report;

/* Replays one side. dir: the transcript's directory (key files are relative to it). Returns 0
 * when the replay ran (r->diverged tells the outcome), or an error it could not run with, said in
 * r->why: bad_argument (the side is marked no-replay, an unknown param or random name, a value of
 * the wrong size), io_error (a key file), the key loaders' errors. */
MT_WUR int replay_side(const mt_transcript *t, const char *dir, unsigned side, replay_report *r);

/* ---- shared by the side replays (harness/replay.c) ---- */

/* Compares what the engine sent with frame i (0-based); records the first divergence. */
void replay_compare(replay_report *r, size_t i, const uint8_t *want, size_t want_len,
                    const uint8_t *got, size_t got_len);
/* What the engine sent in answer to frame i (f): compared with it, or counted as skipped when the
 * frame is marked unreproducible. */
void replay_frame_out(replay_report *r, size_t i, const tr_frame *f, const uint8_t *got,
                      size_t got_len);
/* Records a divergence that is no byte difference (a frame the engine did not send, ...). */
void replay_diverge(replay_report *r, size_t frame, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Checks the side's `expect` lines against its results (each may be NULL when the engine has
 * none: then an expect for it diverges). */
void replay_check_expects(const mt_transcript *t, replay_report *r, const uint8_t *auth_key,
                          const uint8_t *auth_key_id, const uint8_t *salt, const unsigned *retries);
/* The time of the frame the engine's answer to frame i becomes: frame i+1's when that is the
 * engine's own, else frame i's. */
uint64_t replay_answer_time(const mt_transcript *t, size_t i, unsigned side);
/* Whether frame bytes are a transport error (4 bytes, a negative int32 LE), and its code. */
bool replay_is_transport_error(const uint8_t *p, size_t n, int32_t *code);

#endif
