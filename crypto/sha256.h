/* SHA-256 (FIPS 180-4). Portable code and an x86-64 SHA-NI path chosen at run time. */
#ifndef MTPROOF_CRYPTO_SHA256_H
#define MTPROOF_CRYPTO_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_BLOCK_LEN  64

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t total;
    uint8_t buf[SHA256_BLOCK_LEN];
    size_t buf_len;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
/* Writes the digest and wipes the context. */
void sha256_final(sha256_ctx *c, uint8_t out[SHA256_DIGEST_LEN]);
/* One-shot. */
void sha256(const void *data, size_t n, uint8_t out[SHA256_DIGEST_LEN]);

#endif
