/*
 * What both libuv programs (relay_uv.c, client_uv.c) share: the wall clock as an mt_clock, a map
 * from connection ids to handles, address parsing, key files and log time stamps.
 */
#ifndef MTPROOF_PEERS_PEER_UTIL_H
#define MTPROOF_PEERS_PEER_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto/rsa.h"
#include "proto/msgid.h"

/* The system clock (CLOCK_REALTIME, Unix ns: msg_ids are Unix time). */
const mt_clock *peer_wall_clock(void);

/* An open-addressing map uint32 id -> pointer (ids are never 0). Grows by doubling. */
typedef struct peer_idmap {
    uint32_t *ids;
    void **vals;
    size_t cap, n;
} peer_idmap;
int peer_idmap_put(peer_idmap *m, uint32_t id, void *v); /* 0 or no_memory */
void *peer_idmap_get(const peer_idmap *m, uint32_t id);
void peer_idmap_del(peer_idmap *m, uint32_t id);
void peer_idmap_free(peer_idmap *m);

/* "HOST:PORT" or "[V6]:PORT" into host (cap bytes) and port. False when malformed. */
bool peer_split_addr(const char *s, char *host, size_t cap, int *port);

/* Reads a PEM file as a public key (a private key gives its public half). Prints the reason as
 * "mtproof CMD: PATH: reason" and returns false on failure. */
bool peer_load_public(const char *path, rsa_public *k, const char *cmd);
/* Reads a private key; when the file does not exist and create is set, generates a 2048-bit key
 * and saves it there (mode 0600), printing that it did. Prints the fingerprint. */
bool peer_load_or_create_private(const char *path, bool create, rsa_private *k, const char *cmd);

/* Creates dir (mode 0700) unless it exists as a directory. 0 or -1 (errno set). */
int peer_mkdir(const char *dir);

/* "2026-11-22T10:00:00.123Z" for log lines. */
void peer_timestamp(char *out, size_t cap);

#endif
