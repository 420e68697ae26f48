/*
 * Running vector files (vectors/README.md, "mtproof-vectors-1") through a shim and judging every
 * answer: the engine of `mtproof vectors`.
 */
#ifndef MTPROOF_HARNESS_VECTORS_H
#define MTPROOF_HARNESS_VECTORS_H

#include <stdbool.h>

#include <jansson.h>

#include "harness/shim_client.h"

/* Verdicts on one test. */
enum { VEC_PASS, VEC_FAIL, VEC_SKIP };

/* Restarts of a dying shim allowed in one run before giving up. */
#define VEC_MAX_RESTARTS 20

typedef struct vec_run {
    const char *shim_cmd; /* NULL: our own `mtproof shim` */
    int timeout_ms;       /* per request */
    bool verbose;
    shim_client shim;
    bool running;           /* shim started */
    unsigned long next_id;  /* request ids */
    unsigned long answered; /* responses over the whole run */
    unsigned restarts;
    bool gave_up; /* the shim is unusable: stop */
    unsigned long passed, failed, skipped;
} vec_run;

/* Runs every test of one file, printing failures (and with verbose every test) and then the line
 * "LABEL: N passed, N failed, N skipped". Returns CLI_OK, CLI_FAIL (some test failed) or
 * CLI_ERROR (unreadable or malformed file, or the shim became unusable: r->gave_up). */
int vec_run_file(vec_run *r, const char *path, const char *label);

/* Judges one response line of a shim (untrusted text) to the request with id `id` made from the
 * vector test `test`: VEC_PASS, VEC_FAIL (why says what is wrong, including a malformed test or
 * response) or VEC_SKIP ("unimplemented"). */
int vec_judge_line(unsigned long id, json_t *test, const char *resp, size_t len, char *why,
                   size_t n);

/* Stops the shim if it runs. */
void vec_run_end(vec_run *r);

#endif
