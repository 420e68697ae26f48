/*
 * Shim ops of the symmetric crypto core (issue 2): SHA-1, SHA-256, HMAC-SHA256, HKDF-SHA256,
 * AES-256 (and AES-128, for published vectors) in ECB and IGE, AES-256-CTR, CRC32, HMAC_DRBG.
 * Each op reads all its fields first, so a malformed field is reported before a size error.
 */
#include <string.h>

#include "common/ct.h"
#include "crypto/aes.h"
#include "crypto/crc32.h"
#include "crypto/ctr.h"
#include "crypto/drbg.h"
#include "crypto/hkdf.h"
#include "crypto/hmac.h"
#include "crypto/ige.h"
#include "crypto/sha1.h"
#include "crypto/sha256.h"
#include "harness/shim.h"

static const char *const F_DATA[] = {"data", NULL};
static const char *const F_KEY_DATA[] = {"key", "data", NULL};
static const char *const F_KEY_IV_DATA[] = {"key", "iv", "data", NULL};
static const char *const F_HKDF[] = {"salt", "ikm", "info", "length", NULL};
static const char *const F_DRBG[] = {"seed", "length", NULL};

typedef struct sym_in {
    const uint8_t *key, *iv, *data;
    size_t key_len, iv_len, data_len;
} sym_in;

/* Reads the fields the op declares among key, iv, data. */
static int read_sym(shim_call *c, const char *const *fields, sym_in *in)
{
    memset(in, 0, sizeof *in);
    int err = MT_OK;
    for (size_t i = 0; fields[i] && !err; i++) {
        if (strcmp(fields[i], "key") == 0)
            err = shim_get_bytes(c, "key", &in->key, &in->key_len);
        else if (strcmp(fields[i], "iv") == 0)
            err = shim_get_bytes(c, "iv", &in->iv, &in->iv_len);
        else
            err = shim_get_bytes(c, "data", &in->data, &in->data_len);
    }
    return err;
}

static int op_sha1(shim_call *c)
{
    sym_in in;
    uint8_t out[SHA1_DIGEST_LEN];
    int err = read_sym(c, F_DATA, &in);
    if (err)
        return err;
    sha1(in.data, in.data_len, out);
    return shim_put_bytes(c, "out", out, sizeof out);
}

static int op_sha256(shim_call *c)
{
    sym_in in;
    uint8_t out[SHA256_DIGEST_LEN];
    int err = read_sym(c, F_DATA, &in);
    if (err)
        return err;
    sha256(in.data, in.data_len, out);
    return shim_put_bytes(c, "out", out, sizeof out);
}

static int op_hmac_sha256(shim_call *c)
{
    sym_in in;
    uint8_t out[SHA256_DIGEST_LEN];
    int err = read_sym(c, F_KEY_DATA, &in);
    if (err)
        return err;
    hmac_sha256(in.key, in.key_len, in.data, in.data_len, out);
    return shim_put_bytes(c, "out", out, sizeof out);
}

static int op_hkdf_sha256(shim_call *c)
{
    const uint8_t *salt, *ikm, *info;
    size_t salt_len, ikm_len, info_len, len;
    int err = shim_get_bytes(c, "salt", &salt, &salt_len);
    if (!err)
        err = shim_get_bytes(c, "ikm", &ikm, &ikm_len);
    if (!err)
        err = shim_get_bytes(c, "info", &info, &info_len);
    if (!err)
        err = shim_get_size(c, "length", SHIM_MAX_OUTPUT, &len);
    if (err)
        return err;
    uint8_t *out = shim_alloc(c, len);
    if (!out)
        return MT_E_no_memory;
    err = hkdf_sha256(salt, salt_len, ikm, ikm_len, info, info_len, out, len);
    return err ? err : shim_put_bytes(c, "out", out, len);
}

/* HMAC_DRBG-SHA256 instantiated with `seed`, then `rounds` generate calls of `length` bytes; the
 * last one is the output. */
static int run_drbg(shim_call *c, int rounds)
{
    const uint8_t *seed;
    size_t seed_len, len;
    int err = shim_get_bytes(c, "seed", &seed, &seed_len);
    if (!err)
        err = shim_get_size(c, "length", SHIM_MAX_OUTPUT, &len);
    if (err)
        return err;
    uint8_t *out = shim_alloc(c, len);
    if (!out)
        return MT_E_no_memory;
    mt_drbg d;
    drbg_init(&d, seed, seed_len);
    for (int i = 0; i < rounds; i++)
        drbg_generate(&d, out, len);
    drbg_wipe(&d);
    return shim_put_bytes(c, "out", out, len);
}

static int op_drbg_generate(shim_call *c)
{
    return run_drbg(c, 1);
}

/* The NIST CAVP HMAC_DRBG procedure (no reseed): generate twice, the second output counts. */
static int op_drbg_generate_twice(shim_call *c)
{
    return run_drbg(c, 2);
}

static int op_crc32(shim_call *c)
{
    sym_in in;
    int err = read_sym(c, F_DATA, &in);
    if (err)
        return err;
    return shim_put_uint(c, "value", crc32(in.data, in.data_len));
}

/* ---- AES: ECB and IGE with a 16- or 32-byte key, CTR ---- */

enum { AES_ENCRYPT = 1, AES_DECRYPT = 2, AES_IGE = 4, AES_128 = 8 };

/* ECB, or IGE through the streaming API, with a context from aes256_init or (AES_128) aes_init
 * held to 16-byte keys. */
static int run_keyed(unsigned mode, const sym_in *in, uint8_t *out)
{
    aes_ctx k;
    uint8_t iv[IGE_IV_LEN];
    int err;
    if (mode & AES_128)
        err = in->key_len == 16 ? aes_init(&k, in->key, in->key_len) : MT_E_bad_key_size;
    else
        err = aes256_init(&k, in->key, in->key_len);
    if (err)
        return err;
    if (!(mode & AES_IGE)) {
        err = (mode & AES_ENCRYPT) ? aes_ecb_encrypt(&k, in->data, out, in->data_len)
                                   : aes_ecb_decrypt(&k, in->data, out, in->data_len);
    } else if (in->iv_len != IGE_IV_LEN) {
        err = MT_E_bad_iv_size;
    } else {
        memcpy(iv, in->iv, IGE_IV_LEN);
        err = (mode & AES_ENCRYPT) ? ige_encrypt(&k, iv, in->data, out, in->data_len)
                                   : ige_decrypt(&k, iv, in->data, out, in->data_len);
        ct_wipe(iv, sizeof iv);
    }
    aes_wipe(&k);
    return err;
}

/* The one body behind the aes{128,256}_{ecb,ige}_{encrypt,decrypt} ops. AES-256-IGE goes through
 * the one-shot API that MTProto code uses, so its own size checks are what the vectors test. */
static int run_aes(shim_call *c, unsigned mode)
{
    sym_in in;
    int err = read_sym(c, (mode & AES_IGE) ? F_KEY_IV_DATA : F_KEY_DATA, &in);
    if (err)
        return err;
    uint8_t *out = shim_alloc(c, in.data_len);
    if (!out)
        return MT_E_no_memory;
    if ((mode & AES_IGE) && !(mode & AES_128))
        err = (mode & AES_ENCRYPT) ? aes256_ige_encrypt(in.key, in.key_len, in.iv, in.iv_len,
                                                        in.data, out, in.data_len)
                                   : aes256_ige_decrypt(in.key, in.key_len, in.iv, in.iv_len,
                                                        in.data, out, in.data_len);
    else
        err = run_keyed(mode, &in, out);
    return err ? err : shim_put_bytes(c, "out", out, in.data_len);
}

static int op_aes256_ecb_encrypt(shim_call *c)
{
    return run_aes(c, AES_ENCRYPT);
}
static int op_aes256_ecb_decrypt(shim_call *c)
{
    return run_aes(c, AES_DECRYPT);
}
static int op_aes256_ige_encrypt(shim_call *c)
{
    return run_aes(c, AES_ENCRYPT | AES_IGE);
}
static int op_aes256_ige_decrypt(shim_call *c)
{
    return run_aes(c, AES_DECRYPT | AES_IGE);
}
static int op_aes128_ecb_encrypt(shim_call *c)
{
    return run_aes(c, AES_ENCRYPT | AES_128);
}
static int op_aes128_ecb_decrypt(shim_call *c)
{
    return run_aes(c, AES_DECRYPT | AES_128);
}
static int op_aes128_ige_encrypt(shim_call *c)
{
    return run_aes(c, AES_ENCRYPT | AES_IGE | AES_128);
}
static int op_aes128_ige_decrypt(shim_call *c)
{
    return run_aes(c, AES_DECRYPT | AES_IGE | AES_128);
}

static int op_aes256_ctr(shim_call *c)
{
    sym_in in;
    int err = read_sym(c, F_KEY_IV_DATA, &in);
    if (err)
        return err;
    uint8_t *out = shim_alloc(c, in.data_len);
    if (!out)
        return MT_E_no_memory;
    err = aes256_ctr(in.key, in.key_len, in.iv, in.iv_len, in.data, out, in.data_len);
    return err ? err : shim_put_bytes(c, "out", out, in.data_len);
}

static const shim_op sym_ops[] = {
    {"sha1", F_DATA, op_sha1},
    {"sha256", F_DATA, op_sha256},
    {"hmac_sha256", F_KEY_DATA, op_hmac_sha256},
    {"hkdf_sha256", F_HKDF, op_hkdf_sha256},
    {"aes256_ecb_encrypt", F_KEY_DATA, op_aes256_ecb_encrypt},
    {"aes256_ecb_decrypt", F_KEY_DATA, op_aes256_ecb_decrypt},
    {"aes256_ige_encrypt", F_KEY_IV_DATA, op_aes256_ige_encrypt},
    {"aes256_ige_decrypt", F_KEY_IV_DATA, op_aes256_ige_decrypt},
    {"aes256_ctr", F_KEY_IV_DATA, op_aes256_ctr},
    {"aes128_ecb_encrypt", F_KEY_DATA, op_aes128_ecb_encrypt},
    {"aes128_ecb_decrypt", F_KEY_DATA, op_aes128_ecb_decrypt},
    {"aes128_ige_encrypt", F_KEY_IV_DATA, op_aes128_ige_encrypt},
    {"aes128_ige_decrypt", F_KEY_IV_DATA, op_aes128_ige_decrypt},
    {"crc32", F_DATA, op_crc32},
    {"drbg_generate", F_DRBG, op_drbg_generate},
    {"drbg_generate_twice", F_DRBG, op_drbg_generate_twice},
};

const shim_op_table shim_ops_sym = {"sym", sym_ops, sizeof sym_ops / sizeof sym_ops[0]};
