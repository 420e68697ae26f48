/*
 * Running vector files (vectors/README.md, "mtproof-vectors-1") through a shim and judging every
 * answer: the engine of `mtproof vectors`.
 */
#ifndef MTPROOF_HARNESS_VECTORS_H
#define MTPROOF_HARNESS_VECTORS_H

#include <stdbool.h>

#include "harness/shim_client.h"

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

/* Stops the shim if it runs. */
void vec_run_end(vec_run *r);

#endif
