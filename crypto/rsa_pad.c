#include "crypto/rsa_pad.h"

#include <string.h>

#include "common/ct.h"
#include "crypto/ige.h"
#include "crypto/sha256.h"

_Static_assert(RSA_PAD_TEMP_KEY_LEN + RSA_PAD_HASHED_LEN == RSA_PAD_OUT_LEN, "layout");
_Static_assert(RSA_PAD_PADDED_LEN + SHA256_DIGEST_LEN == RSA_PAD_HASHED_LEN, "layout");

/* "AES256_IGE(data_with_hash, temp_key, 32 zero bytes of IV)" */
static const uint8_t ZERO_IV[IGE_IV_LEN];

/* SHA256(temp_key + data_with_padding) */
static void pad_hash(const uint8_t temp_key[RSA_PAD_TEMP_KEY_LEN],
                     const uint8_t padded[RSA_PAD_PADDED_LEN], uint8_t out[SHA256_DIGEST_LEN])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, temp_key, RSA_PAD_TEMP_KEY_LEN);
    sha256_update(&c, padded, RSA_PAD_PADDED_LEN);
    sha256_final(&c, out);
}

/* Whether the 256-byte big-endian value is below n. */
static int check_below(const rsa_public *k, const uint8_t v[RSA_PAD_OUT_LEN])
{
    bn x;
    int err = bn_from_bytes(&x, v, RSA_PAD_OUT_LEN);
    if (!err && bn_cmp(&x, &k->n) >= 0)
        err = MT_E_RSAPAD_NOT_BELOW_MODULUS;
    bn_wipe(&x);
    return err;
}

/* Everything after the padding, for one temp_key. */
static int pad_core(const rsa_public *k, const uint8_t padded[RSA_PAD_PADDED_LEN],
                    const uint8_t temp_key[RSA_PAD_TEMP_KEY_LEN], uint8_t out[RSA_PAD_OUT_LEN])
{
    uint8_t buf[RSA_PAD_OUT_LEN], h[SHA256_DIGEST_LEN];
    uint8_t *aes = buf + RSA_PAD_TEMP_KEY_LEN; /* data_with_hash, then aes_encrypted */
    for (size_t i = 0; i < RSA_PAD_PADDED_LEN; i++)
        aes[i] = padded[RSA_PAD_PADDED_LEN - 1 - i];
    pad_hash(temp_key, padded, aes + RSA_PAD_PADDED_LEN);
    int err = aes256_ige_encrypt(temp_key, RSA_PAD_TEMP_KEY_LEN, ZERO_IV, IGE_IV_LEN, aes, aes,
                                 RSA_PAD_HASHED_LEN);
    sha256(aes, RSA_PAD_HASHED_LEN, h);
    for (size_t i = 0; i < RSA_PAD_TEMP_KEY_LEN; i++)
        buf[i] = temp_key[i] ^ h[i];
    if (!err)
        err = check_below(k, buf);
    if (!err)
        err = rsa_public_op(k, buf, RSA_PAD_OUT_LEN, out);
    ct_wipe(buf, sizeof buf);
    ct_wipe(h, sizeof h);
    return err;
}

static int check_sizes(const rsa_public *k, size_t len)
{
    if (len > RSA_PAD_DATA_MAX)
        return MT_E_RSAPAD_DATA_TOO_LONG;
    return k->bytes == RSA_PAD_OUT_LEN ? 0 : MT_E_key_bad_size;
}

int rsa_pad_encrypt_with(const rsa_public *k, const uint8_t *data, size_t len,
                         const uint8_t temp_key[RSA_PAD_TEMP_KEY_LEN], const uint8_t *padding,
                         size_t pad_len, uint8_t out[RSA_PAD_OUT_LEN])
{
    int err = check_sizes(k, len);
    if (err)
        return err;
    if (len + pad_len != RSA_PAD_PADDED_LEN)
        return MT_E_bad_argument;
    uint8_t padded[RSA_PAD_PADDED_LEN];
    memcpy(padded, data, len);
    memcpy(padded + len, padding, pad_len);
    err = pad_core(k, padded, temp_key, out);
    ct_wipe(padded, sizeof padded);
    return err;
}

int rsa_pad_encrypt(const rsa_public *k, const uint8_t *data, size_t len, mt_rng *rng,
                    uint8_t out[RSA_PAD_OUT_LEN])
{
    int err = check_sizes(k, len);
    if (err)
        return err;
    uint8_t padded[RSA_PAD_PADDED_LEN], temp_key[RSA_PAD_TEMP_KEY_LEN];
    memcpy(padded, data, len);
    err = rng_fill(rng, padded + len, RSA_PAD_PADDED_LEN - len);
    /* "If key_aes_encrypted is >= n, retry with a new temp_key" (tdlib Handshake.cpp: a fresh
     * random key each time, the padding kept). */
    for (int tries = 0; !err && tries < RSA_PAD_MAX_TRIES; tries++) {
        err = rng_fill(rng, temp_key, sizeof temp_key);
        if (!err)
            err = pad_core(k, padded, temp_key, out);
        if (err != MT_E_RSAPAD_NOT_BELOW_MODULUS)
            break;
        err = 0;
        if (tries == RSA_PAD_MAX_TRIES - 1)
            err = MT_E_RSAPAD_NOT_BELOW_MODULUS;
    }
    ct_wipe(padded, sizeof padded);
    ct_wipe(temp_key, sizeof temp_key);
    return err;
}

/* Undoes the AES layer of key_aes_encrypted (buf) into padded; checks the hash in constant time. */
static int unpad(uint8_t buf[RSA_PAD_OUT_LEN], uint8_t padded[RSA_PAD_PADDED_LEN])
{
    uint8_t temp_key[RSA_PAD_TEMP_KEY_LEN], h[SHA256_DIGEST_LEN];
    uint8_t *aes = buf + RSA_PAD_TEMP_KEY_LEN;
    /* temp_key = temp_key_xor XOR SHA256(aes_encrypted) */
    sha256(aes, RSA_PAD_HASHED_LEN, h);
    for (size_t i = 0; i < RSA_PAD_TEMP_KEY_LEN; i++)
        temp_key[i] = buf[i] ^ h[i];
    int err = aes256_ige_decrypt(temp_key, RSA_PAD_TEMP_KEY_LEN, ZERO_IV, IGE_IV_LEN, aes, aes,
                                 RSA_PAD_HASHED_LEN);
    for (size_t i = 0; i < RSA_PAD_PADDED_LEN; i++)
        padded[i] = aes[RSA_PAD_PADDED_LEN - 1 - i];
    pad_hash(temp_key, padded, h);
    if (!err && !ct_eq(h, aes + RSA_PAD_PADDED_LEN, SHA256_DIGEST_LEN))
        err = MT_E_RSAPAD_HASH;
    ct_wipe(temp_key, sizeof temp_key);
    ct_wipe(h, sizeof h);
    return err;
}

int rsa_pad_decrypt(const rsa_private *k, const uint8_t *in, size_t len, mt_rng *rng,
                    uint8_t out[RSA_PAD_PADDED_LEN])
{
    uint8_t buf[RSA_PAD_OUT_LEN];
    int err = 0;
    if (k->pub.bytes != RSA_PAD_OUT_LEN)
        err = MT_E_key_bad_size;
    else if (len != RSA_PAD_OUT_LEN)
        err = MT_E_RSAPAD_LENGTH; /* "encrypted_data ... as 256 big-endian bytes" */
    if (!err)
        err = check_below(&k->pub, in);
    if (!err)
        err = rsa_private_op(k, in, len, buf, rng);
    if (!err)
        err = unpad(buf, out);
    if (err)
        ct_wipe(out, RSA_PAD_PADDED_LEN);
    ct_wipe(buf, sizeof buf);
    return err;
}
