/*
 * AES-IGE (Campbell 1977; MTProto 2.0 "AES-256 in IGE mode", core.telegram.org/mtproto/description;
 * the same convention as OpenSSL's AES_ige_encrypt):
 *   c_i = E(p_i ^ c_{i-1}) ^ p_{i-1};   p_i = D(c_i ^ p_{i-1}) ^ c_{i-1}
 * with iv = c_{-1} ‖ p_{-1}. The AES-NI context runs the dedicated loop of ige_ni.c; the portable
 * loop below works block by block through a 16-byte temporary so that in == out is safe.
 */
#include "crypto/ige.h"

#include <string.h>

#include "common/ct.h"
#include "crypto/aes_impl.h"

static void xor16(uint8_t *d, const uint8_t *a, const uint8_t *b)
{
    for (int i = 0; i < 16; i++)
        d[i] = a[i] ^ b[i];
}

/* One direction: x the input block, (a, b) = the chain values as in ige_ni.c. */
static void ige_soft(const aes_ctx *k, int dec, uint8_t iv[IGE_IV_LEN], const uint8_t *in,
                     uint8_t *out, size_t blocks)
{
    uint8_t a[16], b[16], x[16], t[16];
    memcpy(a, iv + (dec ? 16 : 0), 16);
    memcpy(b, iv + (dec ? 0 : 16), 16);
    for (size_t i = 0; i < blocks; i++) {
        memcpy(x, in + 16 * i, 16);
        xor16(t, x, a);
        if (dec)
            aes_soft_decrypt_block(k, t, t);
        else
            aes_soft_encrypt_block(k, t, t);
        xor16(a, t, b);
        memcpy(out + 16 * i, a, 16);
        memcpy(b, x, 16);
    }
    memcpy(iv + (dec ? 16 : 0), a, 16);
    memcpy(iv + (dec ? 0 : 16), b, 16);
    ct_wipe(a, 16);
    ct_wipe(b, 16);
    ct_wipe(x, 16);
    ct_wipe(t, 16);
}

static int ige_run(const aes_ctx *k, int dec, uint8_t iv[IGE_IV_LEN], const uint8_t *in,
                   uint8_t *out, size_t n)
{
    if (n % AES_BLOCK_LEN != 0)
        return MT_E_bad_data_size;
#if AES_HAVE_NI
    if (k->use_ni) {
        if (dec)
            aes_ni_ige_decrypt(k, iv, in, out, n / AES_BLOCK_LEN);
        else
            aes_ni_ige_encrypt(k, iv, in, out, n / AES_BLOCK_LEN);
        return MT_OK;
    }
#endif
    ige_soft(k, dec, iv, in, out, n / AES_BLOCK_LEN);
    return MT_OK;
}

int ige_encrypt(const aes_ctx *k, uint8_t iv[IGE_IV_LEN], const uint8_t *in, uint8_t *out, size_t n)
{
    return ige_run(k, 0, iv, in, out, n);
}

int ige_decrypt(const aes_ctx *k, uint8_t iv[IGE_IV_LEN], const uint8_t *in, uint8_t *out, size_t n)
{
    return ige_run(k, 1, iv, in, out, n);
}

/* Sizes are checked in the order key, iv, data, before any work. */
static int ige_oneshot(int dec, const uint8_t *key, size_t key_len, const uint8_t *iv,
                       size_t iv_len, const uint8_t *in, uint8_t *out, size_t n)
{
    if (key_len != AES256_KEY_LEN)
        return MT_E_bad_key_size;
    if (iv_len != IGE_IV_LEN)
        return MT_E_bad_iv_size;
    if (n % AES_BLOCK_LEN != 0)
        return MT_E_bad_data_size;
    aes_ctx k;
    uint8_t chain[IGE_IV_LEN];
    int err = aes256_init(&k, key, key_len);
    if (!err) {
        memcpy(chain, iv, IGE_IV_LEN);
        err = ige_run(&k, dec, chain, in, out, n);
    }
    aes_wipe(&k);
    ct_wipe(chain, sizeof chain);
    return err;
}

int aes256_ige_encrypt(const uint8_t *key, size_t key_len, const uint8_t *iv, size_t iv_len,
                       const uint8_t *in, uint8_t *out, size_t n)
{
    return ige_oneshot(0, key, key_len, iv, iv_len, in, out, n);
}

int aes256_ige_decrypt(const uint8_t *key, size_t key_len, const uint8_t *iv, size_t iv_len,
                       const uint8_t *in, uint8_t *out, size_t n)
{
    return ige_oneshot(1, key, key_len, iv, iv_len, in, out, n);
}
