/*
 * --state DIR for the client: its permanent auth key kept between runs, so a restart reconnects
 * with the same key (no handshake). DIR/client.key (mode 0600): two lines, "key HEX512" and
 * "salt HEX16" (the first server salt, which a reconnect starts with; a stale one costs one
 * bad_server_salt).
 */
#ifndef MTPROOF_PEERS_CLIENT_STATE_H
#define MTPROOF_PEERS_CLIENT_STATE_H

#include <stdbool.h>

#include "proto/handshake.h"

/* Longest file client_state_parse accepts (both lines ending in "\r\n"). */
#define CLIENT_STATE_FILE_MAX (4 + 2 * MT_AUTH_KEY_LEN + 2 + 5 + 2 * HS_SALT_LEN + 2)

/* Parses the whole file text: exactly "key HEX512\nsalt HEX16\n" (the final newline optional, \r\n
 * accepted). Returns false for anything else; key and salt are wiped then. */
bool client_state_parse(const char *text, size_t len, uint8_t key[MT_AUTH_KEY_LEN],
                        uint8_t salt[HS_SALT_LEN]);
/* 1 loaded, 0 no saved key, -1 unreadable or malformed (reason printed). */
int client_state_load(const char *dir, hs_result *out);
bool client_state_save(const char *dir, const hs_result *key);

#endif
