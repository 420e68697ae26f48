/*
 * AES (FIPS-197) front end: key-size checks, the choice of back end at init (AES-NI when
 * cpu_has(CPU_AESNI), else the portable constant-time code of aes_soft.c), ECB and wiping.
 * The choice is stored in the context so that a context keeps working the same way even if
 * cpu_set_mask changes later.
 */
#include "crypto/aes.h"

#include "common/ct.h"
#include "crypto/aes_impl.h"
#include "crypto/cpu.h"

int aes_init(aes_ctx *c, const uint8_t *key, size_t key_len)
{
    if (key_len != 16 && key_len != 32)
        return MT_E_bad_key_size;
    c->use_ni = 0;
#if AES_HAVE_NI
    c->use_ni = cpu_has(CPU_AESNI);
    if (c->use_ni) {
        aes_ni_expand(c, key, key_len);
        return MT_OK;
    }
#endif
    aes_soft_expand(c, key, key_len);
    return MT_OK;
}

int aes256_init(aes_ctx *c, const uint8_t *key, size_t key_len)
{
    if (key_len != AES256_KEY_LEN)
        return MT_E_bad_key_size;
    return aes_init(c, key, key_len);
}

void aes_encrypt_block(const aes_ctx *c, const uint8_t in[AES_BLOCK_LEN],
                       uint8_t out[AES_BLOCK_LEN])
{
#if AES_HAVE_NI
    if (c->use_ni) {
        aes_ni_encrypt_blocks(c, in, out, 1);
        return;
    }
#endif
    aes_soft_encrypt_block(c, in, out);
}

void aes_decrypt_block(const aes_ctx *c, const uint8_t in[AES_BLOCK_LEN],
                       uint8_t out[AES_BLOCK_LEN])
{
#if AES_HAVE_NI
    if (c->use_ni) {
        aes_ni_decrypt_blocks(c, in, out, 1);
        return;
    }
#endif
    aes_soft_decrypt_block(c, in, out);
}

int aes_ecb_encrypt(const aes_ctx *c, const uint8_t *in, uint8_t *out, size_t n)
{
    if (n % AES_BLOCK_LEN != 0)
        return MT_E_bad_data_size;
#if AES_HAVE_NI
    if (c->use_ni) {
        aes_ni_encrypt_blocks(c, in, out, n / AES_BLOCK_LEN);
        return MT_OK;
    }
#endif
    for (size_t i = 0; i < n; i += AES_BLOCK_LEN)
        aes_soft_encrypt_block(c, in + i, out + i);
    return MT_OK;
}

int aes_ecb_decrypt(const aes_ctx *c, const uint8_t *in, uint8_t *out, size_t n)
{
    if (n % AES_BLOCK_LEN != 0)
        return MT_E_bad_data_size;
#if AES_HAVE_NI
    if (c->use_ni) {
        aes_ni_decrypt_blocks(c, in, out, n / AES_BLOCK_LEN);
        return MT_OK;
    }
#endif
    for (size_t i = 0; i < n; i += AES_BLOCK_LEN)
        aes_soft_decrypt_block(c, in + i, out + i);
    return MT_OK;
}

void aes_wipe(aes_ctx *c)
{
    ct_wipe(c, sizeof *c);
}
