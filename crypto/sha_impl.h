/*
 * Internal to crypto/: the block compression functions of SHA-1 and SHA-256 behind the
 * run-time choice of path. Each processes `nblocks` whole 64-byte blocks straight from `p`.
 */
#ifndef MTPROOF_CRYPTO_SHA_IMPL_H
#define MTPROOF_CRYPTO_SHA_IMPL_H

#include <stddef.h>
#include <stdint.h>

/* The SHA-NI paths exist only on x86-64 (crypto/sha1_ni.c, crypto/sha256_ni.c). */
#if defined(__x86_64__)
#define MTPROOF_HAVE_SHANI 1
#else
#define MTPROOF_HAVE_SHANI 0
#endif

/* FIPS 180-4 §4.2.2: the 64 SHA-256 round constants (shared with the SHA-NI path). */
extern const uint32_t sha256_k[64];

void sha1_blocks_portable(uint32_t h[5], const uint8_t *p, size_t nblocks);
void sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t nblocks);
#if MTPROOF_HAVE_SHANI
void sha1_blocks_ni(uint32_t h[5], const uint8_t *p, size_t nblocks);
void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t nblocks);
#endif

#endif
