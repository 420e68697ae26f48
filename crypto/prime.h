/*
 * Primality: trial division by small primes, then Miller–Rabin with random bases drawn from the
 * injected RNG (FIPS 186-5 B.3.1); safe-prime test; random prime generation for RSA; and a cache
 * of known-good DH primes (Telegram's dh_prime built in) so the common handshake path costs a
 * 256-byte constant-time compare instead of two Miller–Rabin runs.
 *
 * Primality tests are variable time: candidates and peer-supplied primes are public, and a
 * rejected RSA candidate is discarded. prime_generate's output is secret but the time it takes
 * depends only on the rejected candidates.
 */
#ifndef MTPROOF_CRYPTO_PRIME_H
#define MTPROOF_CRYPTO_PRIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/bn.h"
#include "crypto/rng.h"

/* Miller–Rabin rounds when rounds = 0 is passed: FIPS 186-5 Table B.1 (RSA nlen = 2048, p and q
 * of 1024 bits, error probability 2^-112) asks for 5 rounds on randomly generated candidates. */
#define PRIME_MR_ROUNDS_DEFAULT 5
/* For a value an adversary chose (a peer's dh_prime), only the worst-case bound 4^-t holds:
 * 64 rounds give 2^-128. dh.c uses this for primes that are not in the cache. */
#define PRIME_MR_ROUNDS_ADVERSARIAL 64
#define PRIME_MR_ROUNDS_MAX         256

/* Smallest and largest sizes prime_generate accepts. */
#define PRIME_GEN_MIN_BITS 16
#define PRIME_GEN_MAX_BITS BN_MOD_MAX_BITS

/* Sets *has_factor when n is divisible by one of the odd primes below 2^12 (and is not that prime
 * itself), or n is even and n != 2. For n < 2 it sets *has_factor (0 and 1 are not prime).
 * Returns 0. */
MT_WUR int prime_trial_division(const bn *n, bool *has_factor);

/* Miller–Rabin: *is_prime = whether n passes trial division and `rounds` rounds with bases
 * uniform in [2, n-2] from rng (rounds 0 = PRIME_MR_ROUNDS_DEFAULT). Small n (< 2^12) are
 * decided exactly. Errors: bad_argument for rounds > PRIME_MR_ROUNDS_MAX, limit_exceeded for n
 * over BN_MOD_MAX_BITS, rng_failure. */
MT_WUR int prime_is_probable(const bn *n, unsigned rounds, mt_rng *rng, bool *is_prime);

/* The verdict of the safe-prime test. */
typedef enum prime_safety {
    PRIME_SAFE = 0,      /* p and (p-1)/2 are (probable) primes */
    PRIME_NOT_PRIME = 1, /* p is composite */
    PRIME_NOT_SAFE = 2,  /* p is prime, (p-1)/2 is composite */
} prime_safety;

/* Safe-prime test: *out says whether p and (p-1)/2 are both probable primes (same rounds for
 * both; rounds 0 = PRIME_MR_ROUNDS_DEFAULT). Cheap sieving first: (p-1)/2 is trial-divided before
 * any Miller–Rabin round on p. Same errors as prime_is_probable. */
MT_WUR int prime_check_safe(const bn *p, unsigned rounds, mt_rng *rng, prime_safety *out);

/* A random prime of exactly `bits` bits with its two top bits set (so the product of two such
 * primes has exactly 2 * bits bits, as RSA key generation needs), from rng, checked with
 * `rounds` Miller–Rabin rounds (0 = default). Errors: bad_argument for bits outside
 * [PRIME_GEN_MIN_BITS, PRIME_GEN_MAX_BITS], rng_failure. The candidates are wiped. */
MT_WUR int prime_generate(bn *out, size_t bits, unsigned rounds, mt_rng *rng);

/* ---- the known-good DH prime cache ---- */

#define PRIME_CACHE_PRIME_BYTES 256 /* 2048-bit DH primes, big-endian */
#define PRIME_CACHE_SLOTS       8   /* caller-added primes (tdlib keeps a similar small cache) */

/* Telegram's current dh_prime (mtproto/auth_key, security_guidelines; mtproto-notes §1),
 * big-endian. Always in the cache. */
extern const uint8_t PRIME_TELEGRAM_DH[PRIME_CACHE_PRIME_BYTES];

/* A caller-owned cache of primes that passed the full safe-prime check at run time (flat struct,
 * no allocation). The built-in table is consulted whether or not a cache is given. */
typedef struct prime_cache {
    uint8_t good[PRIME_CACHE_SLOTS][PRIME_CACHE_PRIME_BYTES];
    size_t count; /* filled slots */
    size_t next;  /* slot the next add overwrites once full (round robin) */
} prime_cache;

void prime_cache_init(prime_cache *c);
/* Whether p (exactly 256 big-endian bytes) is the built-in prime or one of c's (c may be NULL).
 * Compares against every entry in constant time: the cost is fixed (well under 1 µs). */
bool prime_cache_has(const prime_cache *c, const uint8_t p[PRIME_CACHE_PRIME_BYTES]);
/* Records p as known good (only after a full check passed). Adding a present prime is a no-op. */
void prime_cache_add(prime_cache *c, const uint8_t p[PRIME_CACHE_PRIME_BYTES]);

#endif
