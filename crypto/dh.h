/*
 * Diffie–Hellman over 2048-bit safe primes, as MTProto uses it for auth keys and secret chats
 * (mtproto-notes §1 "Checks the client must make", §5.1; mtproto/security_guidelines):
 *  - dh_prime is a 2048-bit safe prime: 2^2047 < p < 2^2048, p and (p-1)/2 prime;
 *  - g is one of 2..7 and generates the subgroup of order (p-1)/2 (the residue rule per g:
 *    g=2 p mod 8 = 7; g=3 p mod 3 = 2; g=4 none; g=5 p mod 5 in {1,4}; g=6 p mod 24 in {19,23};
 *    g=7 p mod 7 in {3,5,6});
 *  - 1 < g_a < p - 1 and 2^(2048-64) <= g_a <= p - 2^(2048-64) (the same for g_b).
 * Each failed check returns its rule ID (common/rules.def): MT_E_DH_PRIME_SIZE,
 * MT_E_DH_PRIME_NOT_PRIME, MT_E_DH_PRIME_NOT_SAFE, MT_E_DH_G_UNSUPPORTED, MT_E_DH_G_NOT_RESIDUE,
 * MT_E_DH_GA_RANGE, MT_E_DH_GA_BOUNDS, MT_E_DH_GB_RANGE, MT_E_DH_GB_BOUNDS.
 * Checks run in that order (size, g, primality, safety, residue, then the value), so an input
 * with one fault always gets that fault's rule.
 *
 * Big integers are big-endian byte strings (TL strings on the wire); leading zero bytes are
 * accepted on input. Outputs are exactly DH_BYTES long (leading zeros kept).
 */
#ifndef MTPROOF_CRYPTO_DH_H
#define MTPROOF_CRYPTO_DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/bn.h"
#include "crypto/prime.h"
#include "crypto/rng.h"

#define DH_BITS  2048
#define DH_BYTES 256
/* The margin of the bounds rule: values must keep 64 bits away from 0 and from p. */
#define DH_BOUND_BITS (DH_BITS - 64)

/* Which rules a peer value is checked against: GA (the server's g_a, checked by the client; an
 * initiator's g_a in a secret chat) or GB (the client's g_b, checked by the server). */
typedef enum dh_value_kind { DH_VALUE_GA, DH_VALUE_GB } dh_value_kind;

/* Checks p and g. A p in the built-in prime table or in cache (may be NULL) skips Miller–Rabin;
 * otherwise p and (p-1)/2 get `rounds` rounds each (0 = PRIME_MR_ROUNDS_ADVERSARIAL) with bases
 * from rng, and a p that passes is added to cache. Returns 0, a DH rule ID, or an error of the
 * prime test (rng_failure, bad_argument for rounds). g is the TL int as received (signed). */
MT_WUR int dh_check_params(const uint8_t *p, size_t p_len, int64_t g, prime_cache *cache,
                           unsigned rounds, mt_rng *rng);

/* Checks a peer's public value against p (assumed already checked with dh_check_params, but
 * only its size matters here: a p that is not 2048 bits gives DH_PRIME_SIZE). Returns 0 or the
 * kind's RANGE or BOUNDS rule. Constant time in the value (it may be our own g_a). */
MT_WUR int dh_check_value(const uint8_t *p, size_t p_len, const uint8_t *v, size_t v_len,
                          dh_value_kind kind);

/* dh_check_params then dh_check_value(g_a, DH_VALUE_GA): the shim's dh_check op. */
MT_WUR int dh_check(const uint8_t *p, size_t p_len, int64_t g, const uint8_t *g_a, size_t g_a_len,
                    prime_cache *cache, unsigned rounds, mt_rng *rng);

/* One side of a DH exchange: the group, our secret exponent and our public value. Holds a secret:
 * wipe with dh_wipe on every path. */
typedef struct dh_ctx {
    bn_mont mont;          /* modulo p */
    bn secret;             /* our exponent a (2048 random bits) */
    uint8_t pub[DH_BYTES]; /* g^a mod p, big-endian */
    uint32_t g;
    bool have_secret;
} dh_ctx;

/* Sets up the group. Only p's size (DH_PRIME_SIZE), oddness (DH_PRIME_NOT_PRIME) and g in 2..7
 * (DH_G_UNSUPPORTED) are checked: run dh_check_params on a peer's parameters first. */
MT_WUR int dh_init(dh_ctx *c, const uint8_t *p, size_t p_len, uint32_t g);
/* Draws a = 2048 random bits from rng and computes g^a mod p in constant time, drawing again
 * while g^a is outside 2^(2048-64) <= g^a <= p - 2^(2048-64) (the check our peer will make).
 * Writes g^a (DH_BYTES) to pub_out. */
MT_WUR int dh_generate(dh_ctx *c, mt_rng *rng, uint8_t pub_out[DH_BYTES]);
/* Uses a given exponent (DH_BYTES big-endian; tests and transcripts replay the sample's b) and
 * computes pub_out = g^a mod p in constant time. No bounds retry: a scenario may want an
 * out-of-bounds value on purpose, so checking pub_out is left to the caller. */
MT_WUR int dh_set_secret(dh_ctx *c, const uint8_t secret[DH_BYTES], uint8_t pub_out[DH_BYTES]);
/* key = peer^a mod p as DH_BYTES big-endian bytes (leading zero bytes kept), after checking peer
 * with dh_check_value(kind). Constant time in a. bad_argument when no secret was set. */
MT_WUR int dh_compute_key(dh_ctx *c, const uint8_t *peer, size_t peer_len, dh_value_kind kind,
                          uint8_t key[DH_BYTES]);
void dh_wipe(dh_ctx *c);

#endif
