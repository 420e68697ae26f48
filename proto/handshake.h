/*
 * Auth-key creation (mtproto-notes §1; pages mtproto/auth_key, mtproto/samples-auth_key,
 * mtproto/security_guidelines): the crypto both sides share, and the sans-I/O client engine.
 * The server engine lives in proto/handshake_server.h and uses the shared part below.
 *
 * Every handshake message travels as an unencrypted MTProto message (proto/message.h
 * mt_plain_pack / mt_plain_unpack: auth_key_id = 0, msg_id, length, body), so an engine is pumped
 * over any transport: the caller hands in one whole packet and gets the next one to send.
 * Nothing here reads a clock or an RNG of its own: an mt_clock and an mt_rng are injected, and
 * with a seeded DRBG (crypto/drbg.h) a run is reproduced byte for byte.
 *
 * Secrets (new_nonce, tmp_aes_key/iv, the DH exponent, auth_key) are wiped on every path by the
 * functions that create them; the caller wipes what it receives (hs_tmp_aes_wipe, hs_client_wipe).
 * Each rejected input returns its rule ID (common/rules.def, section "handshake (client)") or one
 * of the DH_* rules of crypto/dh.h.
 */
#ifndef MTPROOF_PROTO_HANDSHAKE_H
#define MTPROOF_PROTO_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/dh.h"
#include "crypto/prime.h"
#include "crypto/rng.h"
#include "crypto/rsa.h"
#include "crypto/rsa_pad.h"
#include "proto/kdf.h"
#include "proto/msgid.h"

#define HS_NONCE_LEN        16 /* nonce, server_nonce: int128 */
#define HS_NEW_NONCE_LEN    32 /* new_nonce: int256 */
#define HS_NONCE_HASH_LEN   16 /* new_nonce_hash1/2/3: int128 */
#define HS_AUX_HASH_LEN     8  /* auth_key_aux_hash */
#define HS_SALT_LEN         8  /* server_salt (wire bytes) */
#define HS_SHA1_LEN         20 /* the hash in front of answer_with_hash */
#define HS_TMP_KEY_LEN      32
#define HS_TMP_IV_LEN       32
#define HS_PQ_PART_MAX      8  /* p, q, pq: at most 64-bit values (crypto/pq.h) */
#define HS_MAX_FINGERPRINTS 64 /* resPQ fingerprints looked at (tdlib keeps a handful) */
/* The largest answer_with_hash either side decrypts: server_DH_inner_data with a 2048-bit prime
 * is 564 bytes (592 encrypted); both big numbers may carry a few leading zero bytes. */
#define HS_ANSWER_MAX 1024
/* The largest unencrypted handshake message either engine reads or writes (resPQ with
 * HS_MAX_FINGERPRINTS fingerprints, server_DH_params_ok with HS_ANSWER_MAX). */
#define HS_PACKET_MAX 2048
/* dh_gen_retry answers the client follows before it gives up (tdlib has no fixed limit; a server
 * retries only when auth_key_hash collides, which is rare). */
#define HS_MAX_RETRIES 8

/* ---- shared crypto (proto/handshake_common.c) ---- */

/* The temporary AES key and IV that encrypt server_DH_inner_data and client_DH_inner_data:
 *   tmp_aes_key = SHA1(new_nonce + server_nonce) + substr(SHA1(server_nonce + new_nonce), 0, 12);
 *   tmp_aes_iv  = substr(SHA1(server_nonce + new_nonce), 12, 8) + SHA1(new_nonce + new_nonce)
 *                 + substr(new_nonce, 0, 4).                                  (mtproto/auth_key) */
typedef struct hs_tmp_aes {
    uint8_t key[HS_TMP_KEY_LEN];
    uint8_t iv[HS_TMP_IV_LEN];
} hs_tmp_aes;

/* Derives the tmp key and iv (intermediate hashes wiped). Wipe *out with hs_tmp_aes_wipe. */
void hs_tmp_aes_kdf(const uint8_t new_nonce[HS_NEW_NONCE_LEN],
                    const uint8_t server_nonce[HS_NONCE_LEN], hs_tmp_aes *out);
void hs_tmp_aes_wipe(hs_tmp_aes *t);

/* new_nonce_hashN = substr(SHA1(new_nonce + byte N + auth_key_aux_hash), 4, 16) for N = 1
 * (dh_gen_ok), 2 (dh_gen_retry), 3 (dh_gen_fail). bad_argument for any other number. */
MT_WUR int hs_new_nonce_hash(const uint8_t new_nonce[HS_NEW_NONCE_LEN], unsigned number,
                             const uint8_t aux_hash[HS_AUX_HASH_LEN],
                             uint8_t out[HS_NONCE_HASH_LEN]);

/* auth_key_id (SHA1(auth_key)[12:20]) and auth_key_aux_hash (SHA1(auth_key)[0:8]) as wire bytes:
 * a thin wrapper over mt_auth_key_init (proto/kdf.h) that wipes its copy of the key. */
void hs_auth_key_ids(const uint8_t auth_key[MT_AUTH_KEY_LEN], uint8_t id[MT_AUTH_KEY_ID_LEN],
                     uint8_t aux_hash[HS_AUX_HASH_LEN]);

/* The first server_salt: "substr(new_nonce, 0, 8) XOR substr(server_nonce, 0, 8)" as wire bytes
 * (read it little-endian for the int64 of the encrypted header). */
void hs_initial_salt(const uint8_t new_nonce[HS_NEW_NONCE_LEN],
                     const uint8_t server_nonce[HS_NONCE_LEN], uint8_t salt[HS_SALT_LEN]);

/* answer_with_hash = SHA1(data) + data + (0..15 random bytes) to a multiple of 16, encrypted
 * with AES-256-IGE under the tmp key and iv (server_DH_inner_data from the server,
 * client_DH_inner_data from the client). The padding comes from rng. out needs
 * HS_SHA1_LEN + len + 15 bytes (no_space otherwise); *out_len gets the length. */
MT_WUR int hs_answer_encrypt(const hs_tmp_aes *t, const uint8_t *data, size_t len, mt_rng *rng,
                             uint8_t *out, size_t cap, size_t *out_len);
/* The same with exact padding bytes (replays, and wrong messages on purpose): pad_len may be 16
 * or more, but 20 + len + pad_len must be a multiple of 16 (bad_data_size otherwise). */
MT_WUR int hs_answer_encrypt_with(const hs_tmp_aes *t, const uint8_t *data, size_t len,
                                  const uint8_t *pad, size_t pad_len, uint8_t *out, size_t cap,
                                  size_t *out_len);
/* Raw AES-256-IGE under the tmp key of an already built answer_with_hash (n a multiple of 16):
 * tests build wrong hashes with it. encrypt = false decrypts. in == out allowed. */
MT_WUR int hs_answer_crypt_raw(const hs_tmp_aes *t, bool encrypt, const uint8_t *in, uint8_t *out,
                               size_t n);

/* Decryption is two steps, because where the data ends is known only once its TL is parsed:
 * 1. hs_answer_decrypt: n % 16 != 0 → HS_ANSWER_NOT_ALIGNED ("len(encrypted_answer) % 16 == 0");
 *    n < 32 (no room for the hash and one block) → HS_ANSWER_TOO_SHORT; n > HS_ANSWER_MAX →
 *    HS_ANSWER_TOO_LONG; no_space when cap < n. plain gets answer_with_hash; the data starts at
 *    plain + HS_SHA1_LEN.
 * 2. the caller parses the TL object at plain + 20 and learns its length data_len, then
 *    hs_answer_verify checks data_len <= n - 20, the padding n - 20 - data_len < 16
 *    (HS_ANSWER_PADDING; tdlib "Too much pad") and SHA1(data) == plain[0:20] in constant time
 *    (HS_ANSWER_HASH). Both conditions are evaluated; padding is reported first.
 * These rule IDs belong to the client's section (reaction RX_ABORT); the server engine maps them
 * to its own rules for client_DH_inner_data. On a failure the caller wipes plain. */
MT_WUR int hs_answer_decrypt(const hs_tmp_aes *t, const uint8_t *enc, size_t n, uint8_t *plain,
                             size_t cap);
MT_WUR int hs_answer_verify(const uint8_t *plain, size_t n, size_t data_len);

/* ---- the client engine (proto/handshake_client.c) ---- */

/* Client faults, for conformance tests of servers (the harness as client, `handshake fault=`;
 * docs/scenarios.md): the engine writes one message wrong on purpose, every derived field (hashes,
 * RSA, AES, lengths) recomputed around the fault (proto/handshake_client_fault.c). The two
 * DEPRECATED forms are not faults of a non-strict server: it accepts them. */
typedef enum hs_client_fault {
    HSC_FAULT_NONE,
    HSC_FAULT_RSA_SHORT,          /* req_DH_params.encrypted_data of 255 bytes (RSAPAD_LENGTH) */
    HSC_FAULT_RSA_ABOVE_N,        /* encrypted_data = n itself (RSAPAD_NOT_BELOW_MODULUS) */
    HSC_FAULT_INNER_MALFORMED,    /* RSA_PAD over p_q_inner_data_dc whose pq string overruns */
    HSC_FAULT_INNER_NO_DC,        /* the deprecated p_q_inner_data / _temp without dc */
    HSC_FAULT_OLD_RSA_PADDING,    /* the deprecated SHA1(data) + data + random (255), raw RSA */
    HSC_FAULT_ANSWER_UNALIGNED,   /* set_client_DH_params.encrypted_data 4 bytes over blocks */
    HSC_FAULT_ANSWER_PADDING,     /* answer_with_hash with 16..31 padding bytes */
    HSC_FAULT_DH_INNER_MALFORMED, /* client_DH_inner_data with a wrong constructor, SHA1 right */
    HSC_FAULT_RETRY_ID,           /* after dh_gen_retry, retry_id with one bit flipped */
    HSC_FAULT_COUNT
} hs_client_fault;

/* The fault's name ("rsa_short") and its value by name (HSC_FAULT_COUNT when unknown). */
const char *hs_client_fault_name(hs_client_fault f);
hs_client_fault hs_client_fault_by_name(const char *name);

/* Which key the client asks for: a permanent key (p_q_inner_data_dc) or a temporary one
 * (p_q_inner_data_temp_dc with expires_in, to be bound with auth.bindTempAuthKey). */
typedef enum hs_key_kind { HS_KEY_PERM, HS_KEY_TEMP } hs_key_kind;

typedef struct hs_client_config {
    const rsa_public *const *keys; /* the server keys we know; chosen by fingerprint, the first of
                                      ours (in this order) the server lists */
    size_t n_keys;
    /* "dc is the DC id; +10000 for test servers; negative for media (non-CDN) DCs": the value sent.
     * Use hs_dc_id() to build it. */
    int32_t dc;
    hs_key_kind kind;
    int32_t expires_in;    /* seconds, HS_KEY_TEMP only */
    prime_cache *primes;   /* may be NULL: dh_prime's Miller–Rabin result is cached there */
    unsigned mr_rounds;    /* 0 = PRIME_MR_ROUNDS_ADVERSARIAL (crypto/prime.h) */
    unsigned max_retries;  /* dh_gen_retry answers followed; 0 = HS_MAX_RETRIES */
    hs_client_fault fault; /* HSC_FAULT_NONE for a correct client */
} hs_client_config;

/* The dc value: id, +10000 on a test server, negated for a media DC. */
int32_t hs_dc_id(int32_t id, bool test, bool media);

/* Exact values to use instead of drawing them from the RNG (replaying the official example or a
 * transcript). Every pointer may be NULL: that value comes from the RNG. Values not listed here
 * (RSA_PAD padding and temp_key, a later attempt's b) always come from the RNG. */
typedef struct hs_client_fixed {
    const uint8_t *nonce;      /* HS_NONCE_LEN */
    const uint8_t *new_nonce;  /* HS_NEW_NONCE_LEN */
    const uint8_t *b;          /* DH_BYTES, the first attempt's exponent (used as given) */
    const uint8_t *answer_pad; /* the first client_DH_inner_data padding bytes (answer_pad_len) */
    size_t answer_pad_len;
    const uint64_t *msg_ids; /* the msg_ids of our messages in order (n_msg_ids of them); */
    size_t n_msg_ids;        /* later messages get ids from the clock */
    /* Chooses b of an attempt (0 = the first) knowing the server's group and g_a, to steer
     * g_b or auth_key to edge values; false leaves b to `b` above or the RNG. */
    bool (*choose_b)(void *ctx, unsigned attempt, const uint8_t dh_prime[DH_BYTES], int32_t g,
                     const uint8_t g_a[DH_BYTES], uint8_t b[DH_BYTES]);
    void *choose_b_ctx;
} hs_client_fixed;

typedef enum hs_client_state {
    HSC_INIT,       /* nothing sent yet: call hs_client_start */
    HSC_WAIT_RESPQ, /* req_pq_multi sent */
    HSC_WAIT_DH,    /* req_DH_params sent */
    HSC_WAIT_GEN,   /* set_client_DH_params sent */
    HSC_DONE,       /* dh_gen_ok checked: hs_client_result */
    HSC_FAILED,     /* a check failed: the engine refuses further input */
} hs_client_state;

/* What a finished handshake gives the session layer. */
typedef struct hs_result {
    mt_auth_key key;                  /* auth_key (256 bytes, leading zeros kept), id, aux_hash */
    uint8_t server_salt[HS_SALT_LEN]; /* wire bytes; ld64le for the header's int64 */
    int32_t server_time;              /* server_DH_inner_data.server_time */
    int64_t time_offset_ns; /* server time minus our clock when server_DH_params_ok came */
    hs_key_kind kind;
    int32_t expires_in;
    unsigned retries; /* dh_gen_retry answers followed */
} hs_result;

/* The engine: a flat struct (no allocation), its secrets wiped by hs_client_wipe and on failure.
 * Fields are private; tests read the trace accessors below. */
typedef struct hs_client {
    hs_client_state state;
    hs_client_config cfg;
    const mt_clock *clock;
    mt_rng *rng;
    hs_client_fixed fixed;
    size_t msg_ids_used;
    mt_msgid_gen ids;
    int last_err;
    uint8_t nonce[HS_NONCE_LEN];
    uint8_t server_nonce[HS_NONCE_LEN];
    uint8_t new_nonce[HS_NEW_NONCE_LEN];
    const rsa_public *key; /* the key chosen by fingerprint */
    uint64_t p, q;
    uint8_t pq_inner[RSA_PAD_DATA_MAX]; /* p_q_inner_data*, kept for the trace (holds new_nonce) */
    size_t pq_inner_len;
    hs_tmp_aes tmp;
    uint8_t dh_prime[DH_BYTES];
    uint8_t g_a[DH_BYTES];
    int32_t g;
    unsigned attempt;                       /* 0 on the first client_DH_inner_data */
    uint8_t retry_id[HS_AUX_HASH_LEN];      /* 0, then the previous attempt's aux_hash */
    uint8_t client_dh_inner[HS_ANSWER_MAX]; /* the last client_DH_inner_data (trace) */
    size_t client_dh_inner_len;
    hs_result res;   /* auth_key of the current attempt, then the result */
    bool fault_sent; /* the last message written carries cfg.fault */
} hs_client;

/* Sets up a client. cfg->keys (and the keys) must outlive the engine; fixed may be NULL. Errors:
 * bad_argument (no keys, a key not 2048-bit, expires_in <= 0 for a temporary key). */
MT_WUR int hs_client_init(hs_client *c, const hs_client_config *cfg, const mt_clock *clock,
                          mt_rng *rng, const hs_client_fixed *fixed);
/* Writes the first message, req_pq_multi#be7e8ef1 nonce, as an unencrypted MTProto message. */
MT_WUR int hs_client_start(hs_client *c, uint8_t *out, size_t cap, size_t *out_len);
/* Feeds one unencrypted server message. On success *out_len is the length of the next message
 * written to out (req_DH_params, set_client_DH_params, or a new set_client_DH_params after
 * dh_gen_retry), or 0 when the handshake is done (state HSC_DONE). On a rule violation the engine
 * goes to HSC_FAILED, wipes its secrets and returns the rule ID; every later call returns the same
 * ID. Rules, by step:
 *   any message: the PLAIN_* rules of mt_plain_unpack; HS_UNEXPECTED_MESSAGE (not the constructor
 *                this step expects, or not the whole body); HS_NONCE_MISMATCH,
 *                HS_SERVER_NONCE_MISMATCH (after resPQ) in every answer;
 *   resPQ:       HS_NO_KNOWN_FINGERPRINT, HS_PQ_TOO_BIG, HS_PQ_NOT_SEMIPRIME;
 *   server_DH_params_ok: the answer rules above, HS_UNEXPECTED_MESSAGE for an inner object that
 *                is not server_DH_inner_data (when its hash matches; HS_ANSWER_HASH when no
 *                hash matches), the nonce rules on the inner object, HS_SERVER_DH_PARAMS_FAIL for
 *                the legacy server_DH_params_fail, then dh_check_params and dh_check_value(GA);
 *   dh_gen_*:    HS_NEW_NONCE_HASH1/2/3 (constant-time compare), HS_DH_GEN_FAIL (a valid
 *                dh_gen_fail), HS_TOO_MANY_RETRIES.
 * Tool errors (no_space, rng_failure, bad_argument for a call in the wrong state) leave the state
 * unchanged. */
MT_WUR int hs_client_feed(hs_client *c, const uint8_t *packet, size_t n, uint8_t *out, size_t cap,
                          size_t *out_len);
hs_client_state hs_client_get_state(const hs_client *c);
/* Whether the message just written carries the configured fault. */
bool hs_client_fault_sent(const hs_client *c);
/* Copies the result (bad_argument unless HSC_DONE). The caller wipes it with hs_result_wipe. */
MT_WUR int hs_client_result(const hs_client *c, hs_result *out);
void hs_result_wipe(hs_result *r);
/* Trace for tests and transcripts: the p_q_inner_data* bytes before RSA_PAD, and the last
 * client_DH_inner_data before encryption (NULL and 0 before they exist). */
const uint8_t *hs_client_pq_inner(const hs_client *c, size_t *len);
const uint8_t *hs_client_dh_inner(const hs_client *c, size_t *len);
void hs_client_wipe(hs_client *c);

#endif
