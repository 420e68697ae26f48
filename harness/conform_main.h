/* `mtproof conform`'s options and its run (harness/cmd_conform.c parses, conform_main.c runs). */
#ifndef MTPROOF_HARNESS_CONFORM_MAIN_H
#define MTPROOF_HARNESS_CONFORM_MAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CF_MAX_GLOBS   256
#define CF_MAX_VIOLATE 64

typedef struct cf_args {
    const char *tier, *seed_s, *timeout_s, *json, *junit, *html, *xfail, *dir;
    const char *server, *server_key, *transport, *listen, *key, *client_cmd, *shim, *target;
    const char *role;   /* --role client|server: only the scenarios where the harness plays it */
    const char *record; /* --record DIR (harness/conform_record.h) */
    const char *server_limits; /* --server-limits 'max_conns=2 ...': the server's limits */
    const char *only[CF_MAX_GLOBS], *skip[CF_MAX_GLOBS];
    size_t n_only, n_skip;
    int violate[CF_MAX_VIOLATE]; /* --violate: MT_E_<ID> of relay_violations() */
    size_t n_violate;
    const char *server_retries; /* --server-retries N: the --server answers N dh_gen_retry */
    bool list;
} cf_args;

/* Runs the selected scenarios; returns the CLI exit code. */
int conform_main(const cf_args *a);
/* --shim CMD: every vector file of the tree through the shim; the CLI exit code. */
int conform_shim(const char *cmd, uint64_t timeout_ns);

#endif
