/* Internals of the replay (harness/replay*.c): setting an engine up from a transcript header. */
#ifndef MTPROOF_HARNESS_REPLAY_INTERNAL_H
#define MTPROOF_HARNESS_REPLAY_INTERNAL_H

#include "crypto/drbg.h"
#include "crypto/rsa.h"
#include "harness/replay.h"
#include "proto/bind.h"
#include "proto/handshake.h"

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
/* A `records handshake` transcript (r zeroed, r->side set by the caller) replayed by one side's
 * engine with keys the caller holds (fuzz/fuzz_replay.c: no key files), then the header's
 * expected values checked; replay_side loads the keys and calls this. */
MT_WUR int replay_handshake_keys(const mt_transcript *t, const replay_keys *keys, unsigned side,
                                 replay_report *r);

/* Fails (bad_argument, said in r->why) when the side has a random or param name not in the
 * lists (NULL-terminated), or the side is marked no-replay. */
MT_WUR int replay_check_names(const mt_transcript *t, unsigned side, const char *const *randoms,
                              const char *const *params, replay_report *r);
/* The side's random value `name` (NULL when absent); bad_argument in *err when its length is not
 * len (len 0: any length). */
const uint8_t *replay_random(const mt_transcript *t, unsigned side, const char *name, size_t len,
                             size_t *got_len, int *err, replay_report *r);
/* The same for the nth (0-based) line of that name: the values of the nth handshake of a
 * `records temp-bind` transcript. */
const uint8_t *replay_random_nth(const mt_transcript *t, unsigned side, const char *name,
                                 unsigned nth, size_t len, size_t *got_len, int *err,
                                 replay_report *r);
/* The side's DRBG: seeded with its `seed` line, else with REPLAY_DEFAULT_SEED. */
void replay_drbg(const mt_transcript *t, unsigned side, mt_drbg *d);
/* The side's int param, or def. */
int64_t replay_param_int(const mt_transcript *t, unsigned side, const char *name, int64_t def);
const char *replay_param_word(const mt_transcript *t, unsigned side, const char *name);

/* Client faults (harness/replay_fault.c): whether the name exists, and applying it to the
 * client's message number msg_no (1-based) in place; true when a byte was flipped. */
bool replay_client_fault_known(const char *name);
bool replay_client_fault(const char *name, unsigned msg_no, uint8_t *pkt, size_t len);

/* Engine runs (one phase = one handshake, frames [from, to)). */

/* One handshake of a run: frames [from, to), the nth occurrence of each random name, the key
 * type (-1: from param key-type), the side's DRBG (shared by the phases of a run, seeded by the
 * caller). Out: done and, when done, the result (the caller wipes it with hs_result_wipe). The
 * side's outcome other than ok goes to r->result; the phase checks no expect line. */
typedef struct replay_phase {
    size_t from, to;
    unsigned nth;
    int kind;
    mt_drbg *drbg;
    bool done;
    hs_result res;
} replay_phase;
MT_WUR int replay_client_phase(const mt_transcript *t, const replay_keys *keys, replay_phase *ph,
                               replay_report *r);
MT_WUR int replay_server_phase(const mt_transcript *t, const replay_keys *keys, replay_phase *ph,
                               replay_report *r);
extern const char *const replay_client_randoms[], *const replay_client_params[];
extern const char *const replay_server_randoms[], *const replay_server_params[];

/* ---- a temporary key and its binding (harness/replay_bind*.c; records temp-bind) ----
 * Frames: the permanent key's handshake, the temporary key's handshake, then the client's
 * auth.bindTempAuthKey as an encrypted message under the temporary key (x = 0) and the server's
 * rpc_result (x = 8). The generator (tests/transcript_gen.c) and the replay build them with the
 * functions below, drawing from the side's DRBG after its two handshakes. */
typedef struct replay_bind_client {
    uint64_t session_id; /* drawn: 8 bytes, little-endian */
    uint64_t msg_id;     /* the bind query's */
} replay_bind_client;

/* The client's message: session_id and bind nonce from rng, msg_id from the clock (server time
 * by temp->time_offset_ns) and rng, expires_at = server time + temp->expires_in, salt the
 * temporary key's first server_salt, seq_no 1, random padding. */
MT_WUR int replay_bind_query(const hs_result *perm, const hs_result *temp, const mt_clock *clock,
                             mt_rng *rng, replay_bind_client *st, uint8_t *out, size_t cap,
                             size_t *out_len);
/* The server's answer to pkt: decrypted with the temporary key, put through mt_bind_gate_rpc
 * (mt_bind_verify and the binding table) on a connection of the temporary key created at
 * temp_created_s, and answered with rpc_result (its result: boolTrue or the rule's rpc_error).
 * *rule: 0 when the binding is stored, else the rule the query broke (a message that does not
 * decrypt: its MSG_* rule, and no answer, *out_len 0). */
MT_WUR int replay_bind_answer(const hs_result *perm, const hs_result *temp, int64_t temp_created_s,
                              const mt_clock *clock, mt_rng *rng, const uint8_t *pkt, size_t n,
                              uint8_t *out, size_t cap, size_t *out_len, int *rule);
/* The client's reading of the answer: decrypted (its session), rpc_result for its query, and
 * mt_bind_client_react. Returns a MSG_* rule or bad_field (not the rpc_result of the query). */
MT_WUR int replay_bind_result(const replay_bind_client *st, const hs_result *temp,
                              uint64_t perm_age_s, const uint8_t *pkt, size_t n,
                              mt_bind_action *act);
/* Where the phases start: the second handshake at the first c2s req_pq_multi after frame 1,
 * the bind at the first frame with a non-zero auth_key_id. False when the frames are not so. */
bool replay_bind_split(const mt_transcript *t, size_t *hs2, size_t *bind);
/* The replay of a temp-bind transcript (replay_side calls it for records temp-bind). */
MT_WUR int replay_bind_side(const mt_transcript *t, const char *dir, unsigned side,
                            replay_report *r);

#endif
