/* `mtproof conform`'s options and its run (harness/cmd_conform.c parses, conform_main.c runs). */
#ifndef MTPROOF_HARNESS_CONFORM_MAIN_H
#define MTPROOF_HARNESS_CONFORM_MAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CF_MAX_GLOBS 32

typedef struct cf_args {
    const char *tier, *seed_s, *timeout_s, *json, *junit, *html, *xfail, *dir;
    const char *server, *server_key, *transport, *listen, *key, *client_cmd, *shim, *target;
    const char *record; /* --record DIR (harness/conform_record.h) */
    const char *only[CF_MAX_GLOBS], *skip[CF_MAX_GLOBS];
    size_t n_only, n_skip;
    bool list;
} cf_args;

/* Runs the selected scenarios; returns the CLI exit code. */
int conform_main(const cf_args *a);
/* --shim CMD: every vector file of the tree through the shim; the CLI exit code. */
int conform_shim(const char *cmd, uint64_t timeout_ns);

#endif
