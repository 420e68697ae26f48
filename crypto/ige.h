/*
 * AES-IGE, the mode of MTProto (and of OpenSSL's AES_ige_encrypt).
 *   c_i = E(p_i ^ c_{i-1}) ^ p_{i-1};   p_i = D(c_i ^ p_{i-1}) ^ c_{i-1}
 * The 32-byte IV is c_{-1} ‖ p_{-1}: its first half stands for the previous ciphertext block,
 * its second half for the previous plaintext block.
 */
#ifndef MTPROOF_CRYPTO_IGE_H
#define MTPROOF_CRYPTO_IGE_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/aes.h"

#define IGE_IV_LEN 32

/* Streaming form: iv is updated so that a following call continues the chain.
 * n must be a multiple of 16 (bad_data_size); in == out is allowed. Any aes_ctx key size. */
MT_WUR int ige_encrypt(const aes_ctx *k, uint8_t iv[IGE_IV_LEN], const uint8_t *in, uint8_t *out,
                       size_t n);
MT_WUR int ige_decrypt(const aes_ctx *k, uint8_t iv[IGE_IV_LEN], const uint8_t *in, uint8_t *out,
                       size_t n);

/* One-shot AES-256-IGE: key must be 32 bytes (bad_key_size), iv 32 bytes (bad_iv_size), n a
 * multiple of 16 (bad_data_size). in == out is allowed. The expanded key is wiped. */
MT_WUR int aes256_ige_encrypt(const uint8_t *key, size_t key_len, const uint8_t *iv, size_t iv_len,
                              const uint8_t *in, uint8_t *out, size_t n);
MT_WUR int aes256_ige_decrypt(const uint8_t *key, size_t key_len, const uint8_t *iv, size_t iv_len,
                              const uint8_t *in, uint8_t *out, size_t n);

#endif
