/*
 * --record DIR for the relay: one transcript per connection (docs/transcripts.md), layer packet:
 * every transport payload in both directions with its time, plus the auth keys the connection
 * used, so `mtproof decode` shows the decrypted view. Written when the connection closes, as
 * DIR/relay-<start>-<conn>.transcript. A connection past TRANSCRIPT_MAX_FRAMES frames keeps
 * the first ones and says so in a note.
 */
#ifndef MTPROOF_PEERS_RELAY_RECORD_H
#define MTPROOF_PEERS_RELAY_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "harness/transcript.h"
#include "proto/kdf.h"
#include "reference-peers/relay_core.h"

typedef struct relay_rec {
    mt_transcript t;
    bool truncated;
    bool failed; /* out of memory: nothing more is recorded */
    size_t n_keys;
    uint8_t key_ids[4][MT_AUTH_KEY_ID_LEN];
} relay_rec;

void relay_rec_init(relay_rec *r);
void relay_rec_frame(relay_rec *r, relay_dir dir, const uint8_t *p, size_t n, uint64_t t_ns);
void relay_rec_key(relay_rec *r, const mt_auth_key *key);
/* Writes the transcript; false (reason printed) on an I/O error. */
bool relay_rec_write(relay_rec *r, const char *dir, uint64_t start_s, uint32_t conn);
void relay_rec_free(relay_rec *r);

#endif
