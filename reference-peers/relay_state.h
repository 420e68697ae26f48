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

/* Loads DIR/auth_keys into r (creating DIR when missing). Returns the number of keys loaded, or -1
 * (the reason printed). now_s: for skipping expired temporary keys. */
long relay_state_load(const char *dir, relay *r, int64_t now_s);
/* Appends one key. Returns false (reason printed) on an I/O error. */
bool relay_state_save(const char *dir, const mt_auth_key *key, bool temp, int64_t expires_at);

#endif
