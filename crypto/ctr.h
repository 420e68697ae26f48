/*
 * AES-CTR with a 128-bit big-endian counter (the whole IV block is the counter, as in OpenSSL's
 * EVP aes-256-ctr). A context is one continuous key stream: obfuscated2 keeps one per direction
 * for the life of a connection, so calls may split the stream at any byte.
 */
#ifndef MTPROOF_CRYPTO_CTR_H
#define MTPROOF_CRYPTO_CTR_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/aes.h"

typedef struct aes_ctr_ctx {
    aes_ctx key;
    uint8_t counter[AES_BLOCK_LEN]; /* next counter block to encrypt */
    uint8_t stream[AES_BLOCK_LEN];  /* key stream of the current block */
    unsigned used;                  /* bytes of `stream` already consumed (16 = none left) */
} aes_ctr_ctx;

/* key 32 bytes (bad_key_size), iv 16 bytes (bad_iv_size). */
MT_WUR int aes256_ctr_init(aes_ctr_ctx *c, const uint8_t *key, size_t key_len, const uint8_t *iv,
                           size_t iv_len);
/* XORs the next n bytes of key stream into in, writing out; in == out is allowed. */
void aes_ctr_xor(aes_ctr_ctx *c, const uint8_t *in, uint8_t *out, size_t n);
void aes_ctr_wipe(aes_ctr_ctx *c);

/* One-shot AES-256-CTR from the start of the stream. */
MT_WUR int aes256_ctr(const uint8_t *key, size_t key_len, const uint8_t *iv, size_t iv_len,
                      const uint8_t *in, uint8_t *out, size_t n);

#endif
