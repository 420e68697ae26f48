/*
 * Shim ops of RSA (issue 3): MTProto RSA_PAD encrypt, either with explicit temp_key and padding
 * (the vector form; no retry, so a value >= n reports RSAPAD_NOT_BELOW_MODULUS) or, when both are
 * absent, with random ones and the retry of the spec, the server-side
 * RSA_PAD decrypt with its rule IDs, and the MTProto key fingerprint. Big integers are big-endian
 * hex; PEM texts are hex-encoded.
 */
#include <string.h>

#include "crypto/rsa.h"
#include "crypto/rsa_pad.h"
#include "harness/shim.h"

static const char *const F_PAD_ENCRYPT[] = {"n", "e", "data", "?temp_key", "?padding", NULL};
static const char *const F_PAD_DECRYPT[] = {"private_key_pem", "data", NULL};
static const char *const F_FINGERPRINT[] = {"public_key_pem", NULL};

/* rsa_pad_encrypt {n, e, data, temp_key?, padding?} -> {out}. temp_key and padding come together
 * (explicit, no retry) or not at all (random, retried while >= n). */
static int op_rsa_pad_encrypt(shim_call *c)
{
    const uint8_t *n, *e, *data, *tk = NULL, *pad = NULL;
    size_t n_len, e_len, data_len, tk_len = 0, pad_len = 0;
    int explicit = shim_has(c, "temp_key");
    if (explicit != shim_has(c, "padding")) {
        shim_detail(c, "give both temp_key and padding, or neither (random)");
        return MT_E_missing_field;
    }
    int err = shim_get_bytes(c, "n", &n, &n_len);
    if (!err)
        err = shim_get_bytes(c, "e", &e, &e_len);
    if (!err)
        err = shim_get_bytes(c, "data", &data, &data_len);
    if (!err && explicit)
        err = shim_get_bytes(c, "temp_key", &tk, &tk_len);
    if (!err && explicit)
        err = shim_get_bytes(c, "padding", &pad, &pad_len);
    if (err)
        return err;
    if (explicit && tk_len != RSA_PAD_TEMP_KEY_LEN) {
        shim_detail(c, "temp_key must be %d bytes", RSA_PAD_TEMP_KEY_LEN);
        return MT_E_bad_key_size;
    }
    static rsa_public k;
    err = rsa_public_init(&k, n, n_len, e, e_len);
    uint8_t out[RSA_PAD_OUT_LEN];
    if (!err && explicit)
        err = rsa_pad_encrypt_with(&k, data, data_len, tk, pad, pad_len, out);
    else if (!err)
        err = rsa_pad_encrypt(&k, data, data_len, rng_os(), out);
    if (err == MT_E_bad_argument)
        shim_detail(c, "padding must be 192 - len(data) bytes");
    return err ? err : shim_put_bytes(c, "out", out, sizeof out);
}

/* rsa_pad_decrypt {private_key_pem, data} -> {out: data_with_padding (192 bytes)} */
static int op_rsa_pad_decrypt(shim_call *c)
{
    const uint8_t *pem, *data;
    size_t pem_len, data_len;
    int err = shim_get_bytes(c, "private_key_pem", &pem, &pem_len);
    if (!err)
        err = shim_get_bytes(c, "data", &data, &data_len);
    if (err)
        return err;
    static rsa_private k;
    err = rsa_private_load_pem(&k, (const char *)pem, pem_len, rng_os(), NULL, NULL);
    uint8_t out[RSA_PAD_PADDED_LEN];
    if (!err)
        err = rsa_pad_decrypt(&k, data, data_len, rng_os(), out);
    rsa_private_wipe(&k);
    if (!err)
        err = shim_put_bytes(c, "out", out, sizeof out);
    memset(out, 0, sizeof out);
    return err;
}

/* rsa_fingerprint {public_key_pem} -> {fingerprint: the 8 bytes as sent on the wire} */
static int op_rsa_fingerprint(shim_call *c)
{
    const uint8_t *pem;
    size_t pem_len;
    int err = shim_get_bytes(c, "public_key_pem", &pem, &pem_len);
    if (err)
        return err;
    static rsa_public k;
    size_t off = 0;
    err = rsa_public_load_pem(&k, (const char *)pem, pem_len, NULL, &off);
    if (err) {
        shim_detail(c, "%s (DER offset %zu)", mt_err_message(err), off);
        return err;
    }
    uint8_t fp[RSA_FINGERPRINT_LEN];
    rsa_fingerprint(&k, fp);
    return shim_put_bytes(c, "fingerprint", fp, sizeof fp);
}

static const shim_op rsa_ops[] = {
    {"rsa_pad_encrypt", F_PAD_ENCRYPT, op_rsa_pad_encrypt},
    {"rsa_pad_decrypt", F_PAD_DECRYPT, op_rsa_pad_decrypt},
    {"rsa_fingerprint", F_FINGERPRINT, op_rsa_fingerprint},
};

const shim_op_table shim_ops_rsa = {"rsa", rsa_ops, sizeof rsa_ops / sizeof rsa_ops[0]};
