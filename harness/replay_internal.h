/* Internals of the replay (harness/replay*.c): setting an engine up from a transcript header. */
#ifndef MTPROOF_HARNESS_REPLAY_INTERNAL_H
#define MTPROOF_HARNESS_REPLAY_INTERNAL_H

#include "crypto/drbg.h"
#include "crypto/rsa.h"
#include "harness/replay.h"

/* Keys a replay may load (the server engine takes at most this many). */
#define REPLAY_MAX_KEYS 8
/* The seed of the DRBG a side gets when the transcript records none (the official sample: its
 * only RNG draws are RSA_PAD's, in the frame marked unreproducible). */
#define REPLAY_DEFAULT_SEED "mtproof replay: no seed recorded"

typedef struct replay_keys {
    rsa_private *priv[REPLAY_MAX_KEYS]; /* server: private keys */
    rsa_public *pub[REPLAY_MAX_KEYS];   /* client: public keys (or the private keys' halves) */
    size_t n;
} replay_keys;

/* Loads every `rsa-key` with a file (private keys when want_private) and checks each file holds
 * the key of its fingerprint. Errors are explained in r->why. */
MT_WUR int replay_load_keys(const mt_transcript *t, const char *dir, bool want_private,
                            replay_keys *k, replay_report *r);
void replay_keys_free(replay_keys *k);

/* Fails (bad_argument, said in r->why) when the side has a random or param name not in the
 * lists (NULL-terminated), or the side is marked no-replay. */
MT_WUR int replay_check_names(const mt_transcript *t, unsigned side, const char *const *randoms,
                              const char *const *params, replay_report *r);
/* The side's random value `name` (NULL when absent); bad_argument in *err when its length is not
 * len (len 0: any length). */
const uint8_t *replay_random(const mt_transcript *t, unsigned side, const char *name, size_t len,
                             size_t *got_len, int *err, replay_report *r);
/* The side's DRBG: seeded with its `seed` line, else with REPLAY_DEFAULT_SEED. */
void replay_drbg(const mt_transcript *t, unsigned side, mt_drbg *d);
/* The side's int param, or def. */
int64_t replay_param_int(const mt_transcript *t, unsigned side, const char *name, int64_t def);
const char *replay_param_word(const mt_transcript *t, unsigned side, const char *name);

/* Client faults (harness/replay_fault.c): whether the name exists, and applying it to the
 * client's message number msg_no (1-based) in place; true when a byte was flipped. */
bool replay_client_fault_known(const char *name);
bool replay_client_fault(const char *name, unsigned msg_no, uint8_t *pkt, size_t len);

/* Engine runs. */
MT_WUR int replay_client(const mt_transcript *t, const char *dir, replay_report *r);
MT_WUR int replay_server(const mt_transcript *t, const char *dir, replay_report *r);

#endif
