/*
 * --state DIR for the relay: auth keys persisted so clients reconnect with their key. One file,
 * DIR/auth_keys, one line per key appended as it is created:
 *     perm 0 HEX512            a permanent key
 *     temp EXPIRES_AT HEX512   a temporary key (Unix seconds)
 * The file is created with mode 0600 (it holds secrets). Lines that do not parse are reported with
 * their number and skipped; expired temporary keys are not loaded.
 */
#ifndef MTPROOF_PEERS_RELAY_STATE_H
#define MTPROOF_PEERS_RELAY_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/kdf.h"
#include "reference-peers/relay_core.h"

/* Longest line relay_state_save writes ("temp " + 19 digits + " " + 512 hex + "\r\n"); a longer
 * line is malformed by definition. */
#define RELAY_STATE_LINE_MAX (5 + 19 + 1 + 2 * MT_AUTH_KEY_LEN + 2)

/* Parses one line of the file, exactly "perm 0 HEX512" or "temp EXPIRES HEX512" (EXPIRES a decimal
 * in 1..INT64_MAX), optionally ending in "\n" or "\r\n". len bytes of line are read, no NUL needed.
 * Returns false for anything else; key is wiped then. */
bool relay_state_parse_line(const char *line, size_t len, uint8_t key[MT_AUTH_KEY_LEN], bool *temp,
                            int64_t *expires_at);
/* Loads DIR/auth_keys into r (creating DIR when missing). Returns the number of keys loaded, or -1
 * (the reason printed). now_s: for skipping expired temporary keys. */
long relay_state_load(const char *dir, relay *r, int64_t now_s);
/* Appends one key. Returns false (reason printed) on an I/O error. */
bool relay_state_save(const char *dir, const mt_auth_key *key, bool temp, int64_t expires_at);

#endif
