/*
 * A deterministic random bit generator: HMAC_DRBG with SHA-256 (NIST SP 800-90A rev. 1 §10.1.2),
 * on our HMAC. The same seed always yields the same stream, which is what reproducible
 * transcripts, scenario seeds and fuzzer mode need. Not reseeded automatically.
 */
#ifndef MTPROOF_CRYPTO_DRBG_H
#define MTPROOF_CRYPTO_DRBG_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"
#include "crypto/sha256.h"

/* SP 800-90A: at most 2^19 bits (65536 bytes) per generate request; larger fills are split. */
#define DRBG_MAX_REQUEST 65536

typedef struct mt_drbg {
    mt_rng rng; /* first member: (mt_rng *)&drbg works as an injected RNG */
    uint8_t k[SHA256_DIGEST_LEN];
    uint8_t v[SHA256_DIGEST_LEN];
} mt_drbg;

/* Instantiate from seed material (entropy ‖ nonce ‖ personalisation, any length). */
void drbg_init(mt_drbg *d, const uint8_t *seed, size_t seed_len);
/* Instantiate from a 64-bit seed (the --seed of the CLI), encoded as 8 bytes little-endian. */
void drbg_init_u64(mt_drbg *d, uint64_t seed);
/* Mixes more input into the state (SP 800-90A reseed without a counter). */
void drbg_reseed(mt_drbg *d, const uint8_t *input, size_t n);
/* Generates n bytes (any n; requests are split at DRBG_MAX_REQUEST). Always succeeds. n = 0 makes
 * no request and leaves the state unchanged. */
void drbg_generate(mt_drbg *d, uint8_t *out, size_t n);
void drbg_wipe(mt_drbg *d);

#endif
