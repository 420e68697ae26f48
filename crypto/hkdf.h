/* HKDF-SHA256 (RFC 5869). */
#ifndef MTPROOF_CRYPTO_HKDF_H
#define MTPROOF_CRYPTO_HKDF_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/sha256.h"

#define HKDF_SHA256_MAX_OUT (255 * SHA256_DIGEST_LEN)

/* PRK = HMAC(salt, ikm); an empty salt means 32 zero bytes (RFC 5869 §2.2). */
void hkdf_sha256_extract(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                         uint8_t prk[SHA256_DIGEST_LEN]);
/* OKM of out_len bytes; output_too_long when out_len > HKDF_SHA256_MAX_OUT. */
MT_WUR int hkdf_sha256_expand(const uint8_t *prk, size_t prk_len, const uint8_t *info,
                              size_t info_len, uint8_t *out, size_t out_len);
/* Extract then expand. */
MT_WUR int hkdf_sha256(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                       const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len);

#endif
