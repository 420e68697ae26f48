/* SHA-1 (FIPS 180-4). Portable code and an x86-64 SHA-NI path chosen at run time (crypto/cpu.h). */
#ifndef MTPROOF_CRYPTO_SHA1_H
#define MTPROOF_CRYPTO_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_LEN 20
#define SHA1_BLOCK_LEN  64

typedef struct sha1_ctx {
    uint32_t h[5];
    uint64_t total;              /* bytes absorbed */
    uint8_t buf[SHA1_BLOCK_LEN]; /* partial block */
    size_t buf_len;
} sha1_ctx;

void sha1_init(sha1_ctx *c);
void sha1_update(sha1_ctx *c, const void *data, size_t n);
/* Writes the digest and wipes the context. */
void sha1_final(sha1_ctx *c, uint8_t out[SHA1_DIGEST_LEN]);
/* One-shot. */
void sha1(const void *data, size_t n, uint8_t out[SHA1_DIGEST_LEN]);

#endif
