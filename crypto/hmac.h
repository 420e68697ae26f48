/* HMAC-SHA256 (RFC 2104, FIPS 198-1) on our SHA-256. */
#ifndef MTPROOF_CRYPTO_HMAC_H
#define MTPROOF_CRYPTO_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/sha256.h"

typedef struct hmac_sha256_ctx {
    sha256_ctx inner;
    sha256_ctx outer; /* already keyed with K ^ opad */
} hmac_sha256_ctx;

/* Any key length; keys longer than the block are hashed first. */
void hmac_sha256_init(hmac_sha256_ctx *c, const void *key, size_t key_len);
void hmac_sha256_update(hmac_sha256_ctx *c, const void *data, size_t n);
/* Writes the tag and wipes the context. */
void hmac_sha256_final(hmac_sha256_ctx *c, uint8_t out[SHA256_DIGEST_LEN]);
void hmac_sha256(const void *key, size_t key_len, const void *data, size_t n,
                 uint8_t out[SHA256_DIGEST_LEN]);

#endif
