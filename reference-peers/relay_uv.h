/*
 * `mtproof relay` as a program: libuv pumps bytes between sockets and the sans-I/O relay core
 * (relay_core.h). Listeners (plain TCP with transport detection, HTTP), one timer for the core's
 * deadlines, SIGINT/SIGTERM for a clean shutdown, --state (auth keys persisted) and --record
 * (a transcript per connection).
 */
#ifndef MTPROOF_PEERS_RELAY_UV_H
#define MTPROOF_PEERS_RELAY_UV_H

#include <stdbool.h>
#include <stddef.h>

#include "reference-peers/relay_core.h"

#define RELAY_UV_MAX_LISTEN 16

typedef struct relay_uv_opts {
    const char *listen[RELAY_UV_MAX_LISTEN]; /* "ADDR:PORT" */
    size_t n_listen;
    const char *http[RELAY_UV_MAX_LISTEN];
    size_t n_http;
    const rsa_private *key;
    const char *state_dir;  /* NULL: keys in memory only */
    const char *record_dir; /* NULL: no transcripts */
    relay_log_level log_level;
    relay_limits limits;
    const int *violate;
    size_t n_violate;
    bool strict;
    unsigned hs_retries; /* --handshake-retries */
    /* Written once every listener is bound: "listening on ADDR:PORT" lines (port 0 resolved),
     * so scripts can start with port 0 and read the port. NULL: stderr only. */
    const char *ready_file;
} relay_uv_opts;

/* Runs until SIGINT/SIGTERM. Returns a CLI exit code (harness/cli.h). */
int relay_uv_run(const relay_uv_opts *o);

#endif
