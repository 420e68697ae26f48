/*
 * Internal to crypto/: the two AES back ends (portable constant-time, AES-NI) and the AES-NI
 * loops of the modes. aes.c, ige.c and ctr.c choose between them by aes_ctx.use_ni, which
 * aes_init sets from cpu_has(CPU_AESNI).
 */
#ifndef MTPROOF_CRYPTO_AES_IMPL_H
#define MTPROOF_CRYPTO_AES_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/aes.h"

#if defined(__x86_64__) || defined(__i386__)
#define AES_HAVE_NI 1
#else
#define AES_HAVE_NI 0
#endif

/* Portable path (crypto/aes_soft.c). key_len is 16 or 32 (checked by the caller). */
void aes_soft_expand(aes_ctx *c, const uint8_t *key, size_t key_len);
void aes_soft_encrypt_block(const aes_ctx *c, const uint8_t in[AES_BLOCK_LEN],
                            uint8_t out[AES_BLOCK_LEN]);
void aes_soft_decrypt_block(const aes_ctx *c, const uint8_t in[AES_BLOCK_LEN],
                            uint8_t out[AES_BLOCK_LEN]);

#if AES_HAVE_NI
/* AES-NI path (crypto/aes_ni.c, crypto/ige_ni.c, crypto/ctr_ni.c); only called when
 * cpu_has(CPU_AESNI). Block counts, not byte counts; in == out is allowed everywhere. */
void aes_ni_expand(aes_ctx *c, const uint8_t *key, size_t key_len);
void aes_ni_encrypt_blocks(const aes_ctx *c, const uint8_t *in, uint8_t *out, size_t blocks);
void aes_ni_decrypt_blocks(const aes_ctx *c, const uint8_t *in, uint8_t *out, size_t blocks);
void aes_ni_ige_encrypt(const aes_ctx *c, uint8_t iv[32], const uint8_t *in, uint8_t *out,
                        size_t blocks);
void aes_ni_ige_decrypt(const aes_ctx *c, uint8_t iv[32], const uint8_t *in, uint8_t *out,
                        size_t blocks);
/* XORs the key stream of `blocks` counter blocks into in; advances counter by `blocks`. */
void aes_ni_ctr_blocks(const aes_ctx *c, uint8_t counter[AES_BLOCK_LEN], const uint8_t *in,
                       uint8_t *out, size_t blocks);
#endif

#endif
