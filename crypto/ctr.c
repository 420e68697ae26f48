/*
 * AES-256-CTR as OpenSSL's EVP aes-256-ctr (NIST SP 800-38A 6.5 with the standard incrementing
 * function over the whole 128-bit block, big-endian, modulo 2^128). One context is one key
 * stream: bytes left over from a block are kept in `stream`, so calls may split the stream at
 * any byte. Whole blocks go through the 8-way AES-NI loop (ctr_ni.c) when the context uses it.
 */
#include "crypto/ctr.h"

#include <string.h>

#include "common/ct.h"
#include "crypto/aes_impl.h"

/* counter += 1 over all 16 bytes, without a data-dependent branch. */
static void counter_inc(uint8_t c[AES_BLOCK_LEN])
{
    unsigned carry = 1;
    for (int i = AES_BLOCK_LEN - 1; i >= 0; i--) {
        carry += c[i];
        c[i] = (uint8_t)carry;
        carry >>= 8;
    }
}

int aes256_ctr_init(aes_ctr_ctx *c, const uint8_t *key, size_t key_len, const uint8_t *iv,
                    size_t iv_len)
{
    if (key_len != AES256_KEY_LEN)
        return MT_E_bad_key_size;
    if (iv_len != AES_BLOCK_LEN)
        return MT_E_bad_iv_size;
    int err = aes256_init(&c->key, key, key_len);
    if (err)
        return err;
    memcpy(c->counter, iv, AES_BLOCK_LEN);
    memset(c->stream, 0, AES_BLOCK_LEN);
    c->used = AES_BLOCK_LEN;
    return MT_OK;
}

/* XORs whole blocks of key stream; n is a multiple of 16. */
static void ctr_blocks(aes_ctr_ctx *c, const uint8_t *in, uint8_t *out, size_t n)
{
#if AES_HAVE_NI
    if (c->key.use_ni) {
        aes_ni_ctr_blocks(&c->key, c->counter, in, out, n / AES_BLOCK_LEN);
        return;
    }
#endif
    uint8_t ks[AES_BLOCK_LEN];
    for (size_t i = 0; i < n; i += AES_BLOCK_LEN) {
        aes_soft_encrypt_block(&c->key, c->counter, ks);
        counter_inc(c->counter);
        for (int j = 0; j < AES_BLOCK_LEN; j++)
            out[i + j] = in[i + j] ^ ks[j];
    }
    ct_wipe(ks, sizeof ks);
}

void aes_ctr_xor(aes_ctr_ctx *c, const uint8_t *in, uint8_t *out, size_t n)
{
    while (n > 0 && c->used < AES_BLOCK_LEN) {
        *out++ = *in++ ^ c->stream[c->used++];
        n--;
    }
    size_t whole = n - n % AES_BLOCK_LEN;
    if (whole > 0) {
        ctr_blocks(c, in, out, whole);
        in += whole;
        out += whole;
        n -= whole;
    }
    if (n > 0) {
        aes_encrypt_block(&c->key, c->counter, c->stream);
        counter_inc(c->counter);
        for (size_t j = 0; j < n; j++)
            out[j] = in[j] ^ c->stream[j];
        c->used = (unsigned)n;
    }
}

void aes_ctr_wipe(aes_ctr_ctx *c)
{
    ct_wipe(c, sizeof *c);
}

int aes256_ctr(const uint8_t *key, size_t key_len, const uint8_t *iv, size_t iv_len,
               const uint8_t *in, uint8_t *out, size_t n)
{
    aes_ctr_ctx c;
    int err = aes256_ctr_init(&c, key, key_len, iv, iv_len);
    if (!err)
        aes_ctr_xor(&c, in, out, n);
    aes_ctr_wipe(&c);
    return err;
}
