/*
 * AES block cipher (FIPS-197) with an AES-NI path chosen at run time and a portable path.
 * MTProto uses AES-256 only; 128-bit keys are accepted by aes_init so that published AES-128
 * vectors (FIPS-197, OpenSSL's IGE tests) can exercise the same code.
 */
#ifndef MTPROOF_CRYPTO_AES_H
#define MTPROOF_CRYPTO_AES_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define AES_BLOCK_LEN  16
#define AES256_KEY_LEN 32
#define AES_MAX_ROUNDS 14

typedef struct aes_ctx {
    /* Round keys as bytes, 16-byte aligned so the AES-NI path can load them directly.
     * enc: the FIPS-197 schedule; dec: the equivalent inverse cipher schedule. */
    _Alignas(16) uint8_t enc[(AES_MAX_ROUNDS + 1) * 16];
    _Alignas(16) uint8_t dec[(AES_MAX_ROUNDS + 1) * 16];
    int rounds; /* 10 or 14 */
    int use_ni; /* chosen at init from cpu_has(CPU_AESNI) */
} aes_ctx;

/* Expands a 16- or 32-byte key (bad_key_size otherwise). */
MT_WUR int aes_init(aes_ctx *c, const uint8_t *key, size_t key_len);
/* Expands a 32-byte key; bad_key_size for any other length. */
MT_WUR int aes256_init(aes_ctx *c, const uint8_t *key, size_t key_len);
void aes_encrypt_block(const aes_ctx *c, const uint8_t in[AES_BLOCK_LEN],
                       uint8_t out[AES_BLOCK_LEN]);
void aes_decrypt_block(const aes_ctx *c, const uint8_t in[AES_BLOCK_LEN],
                       uint8_t out[AES_BLOCK_LEN]);
/* ECB over whole blocks (bad_data_size when n % 16 != 0). in == out is allowed. */
MT_WUR int aes_ecb_encrypt(const aes_ctx *c, const uint8_t *in, uint8_t *out, size_t n);
MT_WUR int aes_ecb_decrypt(const aes_ctx *c, const uint8_t *in, uint8_t *out, size_t n);
/* Wipes the round keys. */
void aes_wipe(aes_ctx *c);

#endif
