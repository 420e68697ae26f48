/*
 * pq factoring for MTProto auth-key creation (mtproto/auth_key, step 2 of mtproto-notes §1):
 * "pq is a representation of a natural number (in binary big endian format)" that is the product
 * of two distinct odd primes, normally at most 2^63 - 1; the client answers with p < q.
 * Pollard's rho with Brent's cycle detection and batched gcds, 64-bit arithmetic with 128-bit
 * products; primality of the factors by deterministic Miller–Rabin (exact for all 64-bit n).
 * Everything here is public data: variable time, no RNG needed (the rho constants are fixed).
 */
#ifndef MTPROOF_CRYPTO_PQ_H
#define MTPROOF_CRYPTO_PQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* Exact primality for any 64-bit n (Miller–Rabin with the first 12 prime bases, which has no
 * pseudoprime below 3.3 * 10^24). */
bool pq_is_prime_u64(uint64_t n);

/* Factors pq into primes p < q with p * q = pq. Errors:
 *   bad_argument       pq is 0, 1 or even (MTProto's pq is a product of two odd primes);
 *   pq_prime           pq is itself prime;
 *   pq_not_semiprime   pq is not the product of exactly two distinct primes (a square p*p, or
 *                      three or more prime factors). */
MT_WUR int pq_factor(uint64_t pq, uint64_t *p, uint64_t *q);

/* pq as sent on the wire: big-endian bytes (leading zero bytes allowed). limit_exceeded when the
 * value has more than 64 bits; otherwise as pq_factor. */
MT_WUR int pq_factor_bytes(const uint8_t *pq, size_t len, uint64_t *p, uint64_t *q);

#endif
