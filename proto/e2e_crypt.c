/*
 * The encryption of secret chats with MTProto 2.0 (mtproto-notes §8; api/end-to-end):
 * data = key_fingerprint ‖ msg_key ‖ AES-256-IGE(int32 length ‖ object ‖ 12..1024 padding),
 * msg_key and aes_key/aes_iv as in proto/kdf.h with x = 0 from the originator, 8 the other way.
 */
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "crypto/ige.h"
#include "crypto/sha1.h"
#include "proto/e2e.h"

enum { OFF_FP = 0, OFF_MSG_KEY = 8, OFF_CIPHER = 24, BLOCK = 16 };

#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
static bool fuzzing_skip_msg_key;
void e2e_fuzzing_skip_msg_key(bool on)
{
    fuzzing_skip_msg_key = on;
}
#endif

int64_t e2e_key_fingerprint(const uint8_t key[E2E_KEY_LEN])
{
    /* "key_fingerprint = the last 64 bits of SHA1(key)" (api/end-to-end): SHA1 bytes 12..19 as
     * the little-endian TL long, which is also how an auth_key_id is formed. */
    uint8_t h[SHA1_DIGEST_LEN];
    sha1(key, E2E_KEY_LEN, h);
    int64_t fp = (int64_t)ld64le(h + 12);
    ct_wipe(h, sizeof h);
    return fp;
}

static bool x_ok(unsigned x)
{
    return x == MT_X_CLIENT || x == MT_X_SERVER;
}

/* AES-256-IGE over n bytes in place with the keys derived from msg_key. */
static int crypt_blocks(const uint8_t key[E2E_KEY_LEN], unsigned x,
                        const uint8_t msg_key[MT_MSG_KEY_LEN], uint8_t *buf, size_t n, bool enc)
{
    uint8_t aes_key[MT_AES_KEY_LEN], aes_iv[MT_AES_IV_LEN];
    int err = mt_kdf_v2(key, x, msg_key, aes_key, aes_iv);
    if (!err)
        err = enc ? aes256_ige_encrypt(aes_key, sizeof aes_key, aes_iv, sizeof aes_iv, buf, buf, n)
                  : aes256_ige_decrypt(aes_key, sizeof aes_key, aes_iv, sizeof aes_iv, buf, buf, n);
    ct_wipe(aes_key, sizeof aes_key);
    ct_wipe(aes_iv, sizeof aes_iv);
    return err;
}

int e2e_seal_raw(const uint8_t key[E2E_KEY_LEN], unsigned x, const uint8_t *plain, size_t m,
                 const uint8_t *msg_key, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (!x_ok(x) || m == 0 || m % BLOCK != 0 || m > E2E_DATA_MAX - OFF_CIPHER)
        return MT_E_bad_argument;
    if (cap < OFF_CIPHER + m)
        return MT_E_no_space;
    memmove(out + OFF_CIPHER, plain, m);
    st64le(out + OFF_FP, (uint64_t)e2e_key_fingerprint(key));
    int err = 0;
    if (msg_key)
        memcpy(out + OFF_MSG_KEY, msg_key, MT_MSG_KEY_LEN);
    else
        err = mt_msg_key_v2(key, x, out + OFF_CIPHER, m, out + OFF_MSG_KEY, NULL);
    if (!err)
        err = crypt_blocks(key, x, out + OFF_MSG_KEY, out + OFF_CIPHER, m, true);
    if (err) {
        ct_wipe(out, OFF_CIPHER + m);
        return err;
    }
    *out_len = OFF_CIPHER + m;
    return 0;
}

int e2e_seal(const uint8_t key[E2E_KEY_LEN], unsigned x, const uint8_t *obj, size_t obj_len,
             const uint8_t *pad, size_t pad_len, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (!x_ok(x) || obj_len % 4 != 0 || obj_len > E2E_LAYER_OBJ_MAX || pad_len < E2E_PAD_MIN ||
        pad_len > E2E_PAD_MAX || (4 + obj_len + pad_len) % BLOCK != 0)
        return MT_E_bad_argument;
    size_t m = 4 + obj_len + pad_len;
    if (cap < OFF_CIPHER + m)
        return MT_E_no_space;
    uint8_t *plain = out + OFF_CIPHER;
    memmove(plain + 4, obj, obj_len);
    st32le(plain, (uint32_t)obj_len);
    memcpy(plain + 4 + obj_len, pad, pad_len);
    return e2e_seal_raw(key, x, plain, m, NULL, out, cap, out_len);
}

/* The checks after decryption, all evaluated without branching on the plaintext; the first
 * failing one is reported, msg_key first (security guidelines: no oracle on the rest). */
static int check_plain(const uint8_t *plain, size_t m, uint32_t key_ok, size_t *obj_len)
{
    uint32_t len = ld32le(plain);
    uint32_t len_ok = ~ct_lt32((uint32_t)(m - 4), len) & ct_is_zero32(len & 3u);
    uint32_t pad = (uint32_t)(m - 4) - len;
    uint32_t pad_ok = ~ct_lt32(pad, E2E_PAD_MIN) & ~ct_lt32(E2E_PAD_MAX, pad);
    int err = (int)ct_select32(pad_ok, 0, (uint32_t)MT_E_E2E_PADDING_INVALID);
    err = (int)ct_select32(len_ok, (uint32_t)err, (uint32_t)MT_E_E2E_LENGTH_INVALID);
    err = (int)ct_select32(key_ok, (uint32_t)err, (uint32_t)MT_E_E2E_MSG_KEY_MISMATCH);
    *obj_len = err ? 0 : len;
    return err;
}

int e2e_open(const uint8_t key[E2E_KEY_LEN], unsigned x, const uint8_t *data, size_t n,
             uint8_t *plain, size_t cap, size_t *obj_off, size_t *obj_len)
{
    *obj_off = 0;
    *obj_len = 0;
    if (!x_ok(x))
        return MT_E_bad_argument;
    if (n < OFF_CIPHER + BLOCK || (n - OFF_CIPHER) % BLOCK != 0 || n > E2E_DATA_MAX)
        return MT_E_E2E_DATA_LENGTH;
    if ((uint64_t)e2e_key_fingerprint(key) != ld64le(data + OFF_FP))
        return MT_E_E2E_FINGERPRINT_UNKNOWN;
    size_t m = n - OFF_CIPHER;
    if (cap < m)
        return MT_E_no_space;
    memcpy(plain, data + OFF_CIPHER, m);
    int err = crypt_blocks(key, x, data + OFF_MSG_KEY, plain, m, false);
    uint8_t mk[MT_MSG_KEY_LEN];
    if (!err)
        err = mt_msg_key_v2(key, x, plain, m, mk, NULL);
    if (!err) {
        uint32_t key_ok = ct_eq_mask(mk, data + OFF_MSG_KEY, MT_MSG_KEY_LEN);
#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
        if (fuzzing_skip_msg_key)
            key_ok = ~0u;
#endif
        err = check_plain(plain, m, key_ok, obj_len);
    }
    if (err) {
        ct_wipe(plain, m);
        return err;
    }
    *obj_off = 4;
    return 0;
}
