/* MTProto 2.0 and 1.0 message keys and KDFs (proto/kdf.h; mtproto-notes §4). */
#include "proto/kdf.h"

#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "crypto/sha1.h"
#include "crypto/sha256.h"

void mt_auth_key_init(mt_auth_key *k, const uint8_t key[MT_AUTH_KEY_LEN])
{
    uint8_t h[SHA1_DIGEST_LEN];
    memcpy(k->key, key, MT_AUTH_KEY_LEN);
    sha1(key, MT_AUTH_KEY_LEN, h);
    /* "auth_key_id: the 64 lower-order bits of SHA1(auth_key)"; aux_hash: the 64 higher ones. */
    memcpy(k->id, h + 12, MT_AUTH_KEY_ID_LEN);
    memcpy(k->aux_hash, h, sizeof k->aux_hash);
    ct_wipe(h, sizeof h);
}

void mt_auth_key_wipe(mt_auth_key *k)
{
    ct_wipe(k, sizeof *k);
}

static int check_x(unsigned x)
{
    return (x == MT_X_CLIENT || x == MT_X_SERVER) ? MT_OK : MT_E_bad_argument;
}

int mt_msg_key_v2(const uint8_t auth_key[MT_AUTH_KEY_LEN], unsigned x, const uint8_t *plain,
                  size_t n, uint8_t msg_key[MT_MSG_KEY_LEN], uint8_t large[MT_MSG_KEY_LARGE_LEN])
{
    int err = check_x(x);
    if (err)
        return err;
    uint8_t h[SHA256_DIGEST_LEN];
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, auth_key + 88 + x, 32);
    sha256_update(&c, plain, n);
    sha256_final(&c, h);
    memcpy(msg_key, h + 8, MT_MSG_KEY_LEN);
    if (large)
        memcpy(large, h, MT_MSG_KEY_LARGE_LEN);
    ct_wipe(h, sizeof h);
    return MT_OK;
}

int mt_kdf_v2(const uint8_t auth_key[MT_AUTH_KEY_LEN], unsigned x,
              const uint8_t msg_key[MT_MSG_KEY_LEN], uint8_t aes_key[MT_AES_KEY_LEN],
              uint8_t aes_iv[MT_AES_IV_LEN])
{
    int err = check_x(x);
    if (err)
        return err;
    uint8_t a[SHA256_DIGEST_LEN], b[SHA256_DIGEST_LEN];
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, msg_key, MT_MSG_KEY_LEN);
    sha256_update(&c, auth_key + x, 36);
    sha256_final(&c, a);
    sha256_init(&c);
    sha256_update(&c, auth_key + 40 + x, 36);
    sha256_update(&c, msg_key, MT_MSG_KEY_LEN);
    sha256_final(&c, b);
    memcpy(aes_key, a, 8);
    memcpy(aes_key + 8, b + 8, 16);
    memcpy(aes_key + 24, a + 24, 8);
    memcpy(aes_iv, b, 8);
    memcpy(aes_iv + 8, a + 8, 16);
    memcpy(aes_iv + 24, b + 24, 8);
    ct_wipe(a, sizeof a);
    ct_wipe(b, sizeof b);
    return MT_OK;
}

void mt_msg_key_v1(const uint8_t *plain, size_t n, uint8_t msg_key[MT_MSG_KEY_LEN])
{
    uint8_t h[SHA1_DIGEST_LEN];
    sha1(plain, n, h);
    memcpy(msg_key, h + 4, MT_MSG_KEY_LEN);
    ct_wipe(h, sizeof h);
}

/* SHA1(p1 ‖ p2 ‖ p3) of three pieces, any of which may be empty. */
static void sha1_3(const uint8_t *p1, size_t n1, const uint8_t *p2, size_t n2, const uint8_t *p3,
                   size_t n3, uint8_t out[SHA1_DIGEST_LEN])
{
    sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, p1, n1);
    sha1_update(&c, p2, n2);
    sha1_update(&c, p3, n3);
    sha1_final(&c, out);
}

int mt_kdf_v1(const uint8_t auth_key[MT_AUTH_KEY_LEN], unsigned x,
              const uint8_t msg_key[MT_MSG_KEY_LEN], uint8_t aes_key[MT_AES_KEY_LEN],
              uint8_t aes_iv[MT_AES_IV_LEN])
{
    int err = check_x(x);
    if (err)
        return err;
    const uint8_t *ak = auth_key + x, *mk = msg_key;
    uint8_t a[SHA1_DIGEST_LEN], b[SHA1_DIGEST_LEN], c[SHA1_DIGEST_LEN], d[SHA1_DIGEST_LEN];
    sha1_3(mk, MT_MSG_KEY_LEN, ak, 32, NULL, 0, a);
    sha1_3(ak + 32, 16, mk, MT_MSG_KEY_LEN, ak + 48, 16, b);
    sha1_3(ak + 64, 32, mk, MT_MSG_KEY_LEN, NULL, 0, c);
    sha1_3(mk, MT_MSG_KEY_LEN, ak + 96, 32, NULL, 0, d);
    memcpy(aes_key, a, 8);
    memcpy(aes_key + 8, b + 8, 12);
    memcpy(aes_key + 20, c + 4, 12);
    memcpy(aes_iv, a + 8, 12);
    memcpy(aes_iv + 12, b, 8);
    memcpy(aes_iv + 20, c + 16, 4);
    memcpy(aes_iv + 24, d, 8);
    ct_wipe(a, sizeof a);
    ct_wipe(b, sizeof b);
    ct_wipe(c, sizeof c);
    ct_wipe(d, sizeof d);
    return MT_OK;
}

uint32_t mt_quick_ack_token(const uint8_t large[MT_MSG_KEY_LARGE_LEN])
{
    return ld32le(large) | 0x80000000u;
}
