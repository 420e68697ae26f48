/*
 * The generator of the golden transcripts of vectors/transcripts/ (all but the official sample):
 * our client engine against our server engine in deterministic mode, each case from a seed.
 * Every random value either engine uses comes from the seed: the explicit ones (nonce,
 * new_nonce, b, server_nonce, a) from a generator DRBG and written as `random` lines, the rest
 * from each side's own DRBG, whose seed is written as a `seed` line. The replay
 * (harness/replay.h) sets the engines up the same way, so it reproduces every byte.
 *
 * Regenerate: build/<dir>/tests/test_transcript_gen --write   (from the source directory).
 */
#ifndef MTPROOF_TESTS_TRANSCRIPT_GEN_H
#define MTPROOF_TESTS_TRANSCRIPT_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "harness/transcript.h"

typedef struct gen_case {
    const char *name; /* vectors/transcripts/<name>.txt */
    const char *what; /* the note saying what it shows */
    uint64_t seed;
    bool temp;                /* a temporary key (expires_in GEN_EXPIRES_IN) */
    unsigned collide;         /* param server collide: dh_gen_retry answers */
    unsigned resend;          /* param client resend: the client message sent twice */
    const char *client_fault; /* param client fault (harness/replay_fault.c) */
    const char *server_fault; /* param server fault (hss_fault_name) */
    bool bind; /* records temp-bind: a permanent key, a temporary key, then auth.bindTempAuthKey */
} gen_case;

#define GEN_EXPIRES_IN 86400
#define GEN_T0_NS      (1700000000ull * 1000000000ull)
#define GEN_STEP_NS    50000000ull /* 50 ms between frames */
#define GEN_KEY_FILE   "../keys/test_rsa2048.pem"

extern const gen_case gen_cases[];
extern const size_t gen_case_count;

/* Runs a case and builds its transcript (t initialised here; free it). key_path: the test key's
 * PEM file. Returns 0 or an error. */
int gen_transcript(const gen_case *c, const char *key_path, mt_transcript *t);

#endif
