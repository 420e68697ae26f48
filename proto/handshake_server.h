/*
 * The server side of auth-key creation (mtproto-notes §1; pages mtproto/auth_key,
 * mtproto/security_guidelines): the mirror of the client engine of proto/handshake.h, checking
 * every client input.
 *
 *   req_pq_multi (or the deprecated req_pq)  -> resPQ: fresh server_nonce, pq = p * q of two
 *                                               random primes p < q, our RSA fingerprints
 *   req_DH_params                            -> server_DH_params_ok: g, dh_prime, g_a,
 *                                               server_time in answer_with_hash
 *   set_client_DH_params                     -> dh_gen_ok / dh_gen_retry / dh_gen_fail
 *
 * Sans-I/O: the caller hands in one whole unencrypted packet (proto/message.h mt_plain_*) and gets
 * the answer packet. The clock and the RNG are injected; nothing is allocated.
 *
 * Reactions (page mtproto/auth_key): "If the query is wrong the server answers transport error
 * -404, and every later request also gets -404": hss_feed returns the rule ID of the first broken
 * check (section "handshake (server)" of common/rules.def, or an RSAPAD_*, DH_GB_*, PLAIN_* rule)
 * and latches; every later call returns HSS_LATCHED. The caller sends the transport error code
 * of the rule (mt_rule_of(err)->code) and closes. "The server remembers its answers for up to 10
 * minutes. A resend must be byte-identical to get the same answer": the query body (message_data)
 * of each step is kept with its answer packet; the same body again within HSS_RESEND_WINDOW_NS
 * gets the same packet, a different body for an answered step is HSS_RESEND_DIFFERS.
 *
 * Deprecated forms still in use (req_pq, p_q_inner_data[_temp] without dc, the pre-RSA_PAD
 * padding SHA1(data) + data + random) are accepted and recorded as warnings (hss_warnings);
 * with cfg.strict they are refused like any broken rule.
 */
#ifndef MTPROOF_PROTO_HANDSHAKE_SERVER_H
#define MTPROOF_PROTO_HANDSHAKE_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/dh.h"
#include "crypto/rng.h"
#include "crypto/rsa.h"
#include "proto/handshake.h"
#include "proto/kdf.h"
#include "proto/msgid.h"

#define HSS_MAX_KEYS         8
#define HSS_QUERY_MAX        1024 /* the longest client message body taken (req_DH_params: 320) */
#define HSS_RESEND_WINDOW_NS (600ull * NS_PER_S) /* "up to 10 minutes" */
#define HSS_PQ_BITS_DEFAULT  63                  /* pq "normally <= 2^63 - 1" */
#define HSS_PQ_BITS_MIN      16
#define HSS_PQ_BITS_MAX      64
#define HSS_G_DEFAULT        3 /* Telegram's g with its prime (p mod 3 = 2) */
#define HSS_MAX_WARNINGS     4

/* Server misbehaviours, for conformance tests of clients: the engine breaks one rule on purpose
 * while building its answers. DH faults change only what is sent; the engine's own DH runs on its
 * true parameters. */
typedef enum hss_fault {
    HSS_FAULT_NONE,
    HSS_FAULT_RESPQ_NONCE,      /* resPQ carries a wrong nonce */
    HSS_FAULT_PQ_PRIME,         /* pq is a prime, not a product of two primes */
    HSS_FAULT_FINGERPRINTS,     /* every fingerprint listed is unknown (bits flipped) */
    HSS_FAULT_DH_NONCE,         /* server_DH_params_ok carries a wrong nonce */
    HSS_FAULT_DH_SERVER_NONCE,  /* server_DH_params_ok carries a wrong server_nonce */
    HSS_FAULT_INNER_NONCE,      /* server_DH_inner_data carries a wrong nonce */
    HSS_FAULT_ANSWER_HASH,      /* the SHA1 in front of answer_with_hash is wrong */
    HSS_FAULT_ANSWER_PADDING,   /* answer_with_hash has 16..31 padding bytes */
    HSS_FAULT_ANSWER_UNALIGNED, /* encrypted_answer is not a multiple of 16 bytes */
    HSS_FAULT_PRIME_SIZE,       /* dh_prime is 2040 bits */
    HSS_FAULT_PRIME_COMPOSITE,  /* dh_prime is Telegram's prime + 4 (divisible by 3) */
    HSS_FAULT_PRIME_NOT_SAFE,   /* dh_prime is prime but (p-1)/2 is not */
    HSS_FAULT_G_UNSUPPORTED,    /* g = 8 */
    HSS_FAULT_G_RESIDUE,        /* g = 2 with a p where p mod 8 != 7 */
    HSS_FAULT_GA_RANGE,         /* g_a = 1 */
    HSS_FAULT_GA_BOUNDS,        /* g_a = 2: inside 1 < g_a < p - 1 but below 2^(2048-64) */
    HSS_FAULT_GEN_NONCE,        /* dh_gen_* carries a wrong nonce */
    HSS_FAULT_NEW_NONCE_HASH,   /* dh_gen_ok carries a wrong new_nonce_hash1 */
    HSS_FAULT_GEN_FAIL,         /* dh_gen_fail instead of dh_gen_ok */
    /* The client's edge cases (handshake_server_steer.c): the answers a client gets wrong. */
    HSS_FAULT_PQ_TOO_BIG,       /* pq of 9 bytes: the product of two 36-bit primes */
    HSS_FAULT_ANSWER_TOO_LONG,  /* encrypted_answer of 1040 bytes (more padding): > HS_ANSWER_MAX */
    HSS_FAULT_ANSWER_TOO_SHORT, /* encrypted_answer of 16 bytes: no room for SHA1 and data */
    HSS_FAULT_DH_PARAMS_FAIL,   /* server_DH_params_fail (legacy) instead of server_DH_params_ok */
    HSS_FAULT_UNEXPECTED,       /* req_DH_params answered with resPQ again (out of order) */
    HSS_FAULT_RETRY_HASH,       /* dh_gen_retry carrying a wrong new_nonce_hash2 */
    HSS_FAULT_FAIL_HASH,        /* dh_gen_fail carrying a wrong new_nonce_hash3 */
    HSS_FAULT_RETRY_ALWAYS,     /* dh_gen_retry to every attempt, past any client's limit */
    /* Not faults: legal server choices that steer the client to edge values. */
    HSS_FAULT_GEN_RETRY, /* one correct dh_gen_retry, then dh_gen_ok */
    HSS_FAULT_KEY_ZERO,  /* dh_gen_retry while the key's first byte is not 0, up to max_retries */
    HSS_FAULT_COUNT
} hss_fault;

/* The fault's name ("answer_hash") and its value by name (HSS_FAULT_COUNT when unknown). */
const char *hss_fault_name(hss_fault f);
hss_fault hss_fault_by_name(const char *name);

/* Whether an auth_key_id is already in use: the new key then gets dh_gen_retry ("auth_key_hash
 * collides"). */
typedef bool (*hss_key_exists_fn)(void *ctx, const uint8_t id[MT_AUTH_KEY_ID_LEN]);

typedef struct hss_config {
    const rsa_private *const *keys; /* our RSA keys (2048-bit); the client picks by fingerprint */
    size_t n_keys;
    const uint8_t *dh_prime; /* DH_BYTES big-endian; NULL = PRIME_TELEGRAM_DH */
    int32_t g;               /* 0 = HSS_G_DEFAULT */
    unsigned pq_bits;        /* pq < 2^pq_bits; 0 = HSS_PQ_BITS_DEFAULT */
    bool strict;             /* refuse the deprecated forms */
    /* dc check: with check_dc, "-444 when a test DC id is sent to a production DC, or the
     * reverse" (a test dc is |dc| >= 10000). */
    bool check_dc;
    bool test_server;
    hss_key_exists_fn key_exists; /* may be NULL */
    void *key_exists_ctx;
    const uint8_t (*known_ids)[MT_AUTH_KEY_ID_LEN]; /* and/or a set of ids in use */
    size_t n_known_ids;
    unsigned max_retries; /* dh_gen_retry answers before dh_gen_fail; 0 = HS_MAX_RETRIES */
    /* dh_gen_retry for the first forced_retries attempts as if their auth_key_id were in use: a
     * server that met "auth_key_hash collides", on purpose (tests of a client's retry path and
     * of the retry_id rule); 0 for a normal server. */
    unsigned forced_retries;
    hss_fault fault;
} hss_config;

/* Exact values instead of RNG draws (replays, transcripts). Every pointer may be NULL. */
typedef struct hss_fixed {
    const uint8_t *server_nonce; /* HS_NONCE_LEN */
    uint64_t p, q;               /* both or neither (0): the primes of pq, p < q */
    const uint8_t *a;            /* DH_BYTES, the server's exponent */
    const uint8_t *answer_pad;   /* answer_with_hash padding bytes (answer_pad_len) */
    size_t answer_pad_len;
} hss_fixed;

typedef enum hss_state {
    HSS_WAIT_REQ_PQ,
    HSS_WAIT_REQ_DH,
    HSS_WAIT_SET_DH,
    HSS_DONE,     /* dh_gen_ok sent: hss_result */
    HSS_GEN_FAIL, /* dh_gen_fail sent (too many retries, or the fault) */
    HSS_LATCHED,  /* a check failed: every later query gets -404 */
} hss_state;

/* The answer kept for a byte-identical resend of one step. */
typedef struct hss_cached {
    bool used;
    uint64_t at_ns;
    size_t req_len, ans_len;
    uint8_t req[HSS_QUERY_MAX];
    uint8_t ans[HS_PACKET_MAX];
} hss_cached;

/* The engine: a flat struct. Secrets (new_nonce, tmp key, a, auth_key) are wiped by hss_wipe and
 * when a check fails. Fields are private. */
typedef struct hss {
    hss_state state;
    hss_config cfg;
    const mt_clock *clock;
    mt_rng *rng;
    hss_fixed fixed;
    mt_msgid_gen ids;
    int latched; /* the rule that latched the engine */
    uint8_t fingerprints[HSS_MAX_KEYS][RSA_FINGERPRINT_LEN];
    uint8_t dh_prime[DH_BYTES];
    uint8_t nonce[HS_NONCE_LEN];
    uint8_t server_nonce[HS_NONCE_LEN];
    uint8_t new_nonce[HS_NEW_NONCE_LEN];
    uint64_t p, q;
    int32_t dc;
    hs_tmp_aes tmp;
    dh_ctx dh;
    unsigned retries;
    uint8_t retry_id[HS_AUX_HASH_LEN]; /* what the next client_DH_inner_data must carry */
    hs_result res;
    hss_cached cache[3]; /* per step: req_pq, req_DH_params, set_client_DH_params */
    int warnings[HSS_MAX_WARNINGS];
    size_t n_warnings;
} hss;

/* Sets up a server. cfg->keys (and the keys) must outlive the engine; fixed may be NULL. Errors:
 * bad_argument (no keys, more than HSS_MAX_KEYS, a key that is not 2048-bit, pq_bits outside
 * HSS_PQ_BITS_MIN..MAX, a fault out of range, fixed p/q not primes with p < q), and those of
 * dh_init for a configured prime and g. */
MT_WUR int hss_init(hss *s, const hss_config *cfg, const mt_clock *clock, mt_rng *rng,
                    const hss_fixed *fixed);

/* Feeds one unencrypted client packet. 0: the answer packet is in out (*out_len bytes; cap
 * HS_PACKET_MAX always suffices). A rule ID: no answer; the caller sends the rule's transport
 * error (-404, or -444 for HSS_DC_TEST_MISMATCH) and every later call returns HSS_LATCHED. Tool
 * errors (no_space, rng_failure) leave the state unchanged. */
MT_WUR int hss_feed(hss *s, const uint8_t *packet, size_t n, uint8_t *out, size_t cap,
                    size_t *out_len);

hss_state hss_get_state(const hss *s);
/* The deprecated forms accepted so far (DEPRECATED rule IDs, each at most once). */
const int *hss_warnings(const hss *s, size_t *n);
/* The result once dh_gen_ok was sent (bad_argument before). Wipe it with hs_result_wipe. */
MT_WUR int hss_result(const hss *s, hs_result *out);
/* The dc of the client's p_q_inner_data_*dc (0 for the forms without dc). */
int32_t hss_dc(const hss *s);
void hss_wipe(hss *s);

#endif
