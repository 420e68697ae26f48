/*
 * `mtproof client` as a program: libuv pumps bytes between one socket and the sans-I/O client
 * core (client_core.h), reads chat lines from stdin (interactive) or sends scripted messages, and
 * prints the events ("Waiting for peer...", the key visualisation, the peer's messages).
 */
#ifndef MTPROOF_PEERS_CLIENT_UV_H
#define MTPROOF_PEERS_CLIENT_UV_H

#include <stdbool.h>
#include <stddef.h>

#include "reference-peers/client_core.h"

#define CLIENT_UV_MAX_SEND 256

typedef struct client_uv_opts {
    const char *host;
    int port;
    const rsa_public *key;
    const char *room;
    mt_transport_kind transport;
    bool obfuscated, http;
    const char *state_dir; /* NULL: a new auth key each run */
    bool temp_key;
    unsigned rekey_every;
    const char *send[CLIENT_UV_MAX_SEND]; /* scripted: sent once the chat is ready */
    size_t n_send;
    long expect;      /* scripted: exit 0 after this many peer messages (-1: not scripted) */
    double timeout_s; /* scripted: give up (exit 1) after this long; 0: none */
    bool stdin_lines; /* read chat lines from stdin */
    bool quiet;       /* only the peer's messages and errors */
} client_uv_opts;

/* Runs the client. Returns a CLI exit code: 0 (done as asked), 1 (a rule broken, the peer left
 * before --expect was met, timeout), 3 (could not connect). */
int client_uv_run(const client_uv_opts *o);

#endif
