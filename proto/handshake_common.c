/* The crypto both handshake sides share (proto/handshake.h; mtproto-notes §1, page
 * mtproto/auth_key). */
#include <string.h>

#include "common/ct.h"
#include "crypto/ige.h"
#include "crypto/sha1.h"
#include "proto/handshake.h"

static void sha1_two(const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
                     uint8_t out[SHA1_DIGEST_LEN])
{
    sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, a, na);
    sha1_update(&c, b, nb);
    sha1_final(&c, out);
    ct_wipe(&c, sizeof c);
}

void hs_tmp_aes_kdf(const uint8_t new_nonce[HS_NEW_NONCE_LEN],
                    const uint8_t server_nonce[HS_NONCE_LEN], hs_tmp_aes *out)
{
    uint8_t ns[SHA1_DIGEST_LEN], sn[SHA1_DIGEST_LEN], nn[SHA1_DIGEST_LEN];
    sha1_two(new_nonce, HS_NEW_NONCE_LEN, server_nonce, HS_NONCE_LEN, ns);
    sha1_two(server_nonce, HS_NONCE_LEN, new_nonce, HS_NEW_NONCE_LEN, sn);
    sha1_two(new_nonce, HS_NEW_NONCE_LEN, new_nonce, HS_NEW_NONCE_LEN, nn);
    /* tmp_aes_key = SHA1(new_nonce + server_nonce) + substr(SHA1(server_nonce + new_nonce), 0, 12)
     */
    memcpy(out->key, ns, 20);
    memcpy(out->key + 20, sn, 12);
    /* tmp_aes_iv = substr(SHA1(server_nonce + new_nonce), 12, 8) + SHA1(new_nonce + new_nonce)
     *              + substr(new_nonce, 0, 4) */
    memcpy(out->iv, sn + 12, 8);
    memcpy(out->iv + 8, nn, 20);
    memcpy(out->iv + 28, new_nonce, 4);
    ct_wipe(ns, sizeof ns);
    ct_wipe(sn, sizeof sn);
    ct_wipe(nn, sizeof nn);
}

void hs_tmp_aes_wipe(hs_tmp_aes *t)
{
    ct_wipe(t, sizeof *t);
}

int hs_new_nonce_hash(const uint8_t new_nonce[HS_NEW_NONCE_LEN], unsigned number,
                      const uint8_t aux_hash[HS_AUX_HASH_LEN], uint8_t out[HS_NONCE_HASH_LEN])
{
    if (number < 1 || number > 3)
        return MT_E_bad_argument;
    uint8_t n = (uint8_t)number, h[SHA1_DIGEST_LEN];
    sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, new_nonce, HS_NEW_NONCE_LEN);
    sha1_update(&c, &n, 1);
    sha1_update(&c, aux_hash, HS_AUX_HASH_LEN);
    sha1_final(&c, h);
    /* "the 128 lower-order bits of SHA1(new_nonce + N + auth_key_aux_hash)" */
    memcpy(out, h + 4, HS_NONCE_HASH_LEN);
    ct_wipe(&c, sizeof c);
    ct_wipe(h, sizeof h);
    return MT_OK;
}

void hs_auth_key_ids(const uint8_t auth_key[MT_AUTH_KEY_LEN], uint8_t id[MT_AUTH_KEY_ID_LEN],
                     uint8_t aux_hash[HS_AUX_HASH_LEN])
{
    mt_auth_key k;
    mt_auth_key_init(&k, auth_key);
    memcpy(id, k.id, MT_AUTH_KEY_ID_LEN);
    memcpy(aux_hash, k.aux_hash, HS_AUX_HASH_LEN);
    mt_auth_key_wipe(&k);
}

void hs_initial_salt(const uint8_t new_nonce[HS_NEW_NONCE_LEN],
                     const uint8_t server_nonce[HS_NONCE_LEN], uint8_t salt[HS_SALT_LEN])
{
    for (size_t i = 0; i < HS_SALT_LEN; i++)
        salt[i] = new_nonce[i] ^ server_nonce[i];
}

int hs_answer_crypt_raw(const hs_tmp_aes *t, bool encrypt, const uint8_t *in, uint8_t *out,
                        size_t n)
{
    if (encrypt)
        return aes256_ige_encrypt(t->key, HS_TMP_KEY_LEN, t->iv, HS_TMP_IV_LEN, in, out, n);
    return aes256_ige_decrypt(t->key, HS_TMP_KEY_LEN, t->iv, HS_TMP_IV_LEN, in, out, n);
}

int hs_answer_encrypt_with(const hs_tmp_aes *t, const uint8_t *data, size_t len, const uint8_t *pad,
                           size_t pad_len, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (len > HS_ANSWER_MAX || pad_len > HS_ANSWER_MAX || (pad_len && !pad))
        return MT_E_bad_argument;
    size_t n = HS_SHA1_LEN + len + pad_len;
    if (n % 16 != 0)
        return MT_E_bad_data_size;
    if (cap < n)
        return MT_E_no_space;
    /* answer_with_hash := SHA1(answer) + answer + padding; data may alias nothing in out. */
    memmove(out + HS_SHA1_LEN, data, len);
    sha1(out + HS_SHA1_LEN, len, out);
    if (pad_len)
        memcpy(out + HS_SHA1_LEN + len, pad, pad_len);
    int err = hs_answer_crypt_raw(t, true, out, out, n);
    if (err) {
        ct_wipe(out, n);
        return err;
    }
    *out_len = n;
    return MT_OK;
}

int hs_answer_encrypt(const hs_tmp_aes *t, const uint8_t *data, size_t len, mt_rng *rng,
                      uint8_t *out, size_t cap, size_t *out_len)
{
    uint8_t pad[16];
    size_t pad_len = (16 - (HS_SHA1_LEN + len) % 16) % 16;
    *out_len = 0;
    int err = rng_fill(rng, pad, pad_len);
    if (!err)
        err = hs_answer_encrypt_with(t, data, len, pad, pad_len, out, cap, out_len);
    ct_wipe(pad, sizeof pad);
    return err;
}

int hs_answer_decrypt(const hs_tmp_aes *t, const uint8_t *enc, size_t n, uint8_t *plain, size_t cap)
{
    if (n % 16 != 0)
        return MT_E_HS_ANSWER_NOT_ALIGNED;
    if (n < 32)
        return MT_E_HS_ANSWER_TOO_SHORT;
    if (n > HS_ANSWER_MAX)
        return MT_E_HS_ANSWER_TOO_LONG;
    if (cap < n)
        return MT_E_no_space;
    return hs_answer_crypt_raw(t, false, enc, plain, n);
}

int hs_answer_verify(const uint8_t *plain, size_t n, size_t data_len)
{
    if (n < HS_SHA1_LEN || data_len > n - HS_SHA1_LEN)
        return MT_E_HS_ANSWER_TOO_SHORT;
    uint8_t h[SHA1_DIGEST_LEN];
    sha1(plain + HS_SHA1_LEN, data_len, h);
    /* Both checks are evaluated; the hash compare is constant time. */
    bool hash_ok = ct_eq(h, plain, HS_SHA1_LEN);
    bool pad_ok = n - HS_SHA1_LEN - data_len < 16;
    ct_wipe(h, sizeof h);
    if (!pad_ok)
        return MT_E_HS_ANSWER_PADDING;
    return hash_ok ? MT_OK : MT_E_HS_ANSWER_HASH;
}
