/*
 * Shim ops of the end-to-end layer (proto/e2e.h; mtproto-notes §8): the chat key's fingerprint,
 * and the MTProto 2.0 e2e encryption with x = 0 (from the originator) or 8 (the other way):
 * data = key_fingerprint ‖ msg_key ‖ AES-256-IGE(int32 length ‖ object ‖ padding).
 */
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "harness/shim.h"
#include "proto/e2e.h"

static const char *const F_FP[] = {"key", NULL};
static const char *const F_ENC[] = {"key", "x", "object", "padding", NULL};
static const char *const F_DEC[] = {"key", "x", "data", NULL};

static int get_key_x(shim_call *c, const uint8_t **key, unsigned *x)
{
    size_t n;
    int err = shim_get_bytes(c, "key", key, &n);
    if (!err && n != E2E_KEY_LEN)
        err = MT_E_bad_argument;
    int64_t v = 0;
    if (!err && x)
        err = shim_get_int(c, "x", 0, 8, &v);
    if (!err && x && v != 0 && v != 8)
        err = MT_E_bad_argument;
    if (x)
        *x = (unsigned)v;
    return err;
}

static int op_fingerprint(shim_call *c)
{
    const uint8_t *key;
    int err = get_key_x(c, &key, NULL);
    if (err)
        return err;
    uint8_t fp[8];
    st64le(fp, (uint64_t)e2e_key_fingerprint(key));
    return shim_put_bytes(c, "fingerprint", fp, sizeof fp);
}

static int op_encrypt(shim_call *c)
{
    const uint8_t *key, *obj, *pad;
    size_t obj_len, pad_len;
    unsigned x;
    int err = get_key_x(c, &key, &x);
    if (!err)
        err = shim_get_bytes(c, "object", &obj, &obj_len);
    if (!err)
        err = shim_get_bytes(c, "padding", &pad, &pad_len);
    if (err)
        return err;
    size_t cap = 24 + 4 + obj_len + pad_len, n;
    uint8_t *out = malloc(cap);
    if (!out)
        return MT_E_no_memory;
    err = e2e_seal(key, x, obj, obj_len, pad, pad_len, out, cap, &n);
    if (!err)
        err = shim_put_bytes(c, "out", out, n);
    free(out);
    return err;
}

static int op_decrypt(shim_call *c)
{
    const uint8_t *key, *data;
    size_t n, off, len;
    unsigned x;
    int err = get_key_x(c, &key, &x);
    if (!err)
        err = shim_get_bytes(c, "data", &data, &n);
    if (err)
        return err;
    uint8_t *plain = malloc(n ? n : 1);
    if (!plain)
        return MT_E_no_memory;
    err = e2e_open(key, x, data, n, plain, n, &off, &len);
    if (!err)
        err = shim_put_bytes(c, "object", plain + off, len);
    ct_wipe(plain, n);
    free(plain);
    return err;
}

static const shim_op e2e_ops[] = {
    {"e2e_fingerprint", F_FP, op_fingerprint},
    {"e2e_encrypt", F_ENC, op_encrypt},
    {"e2e_decrypt", F_DEC, op_decrypt},
};

const shim_op_table shim_ops_e2e = {"e2e", e2e_ops, sizeof e2e_ops / sizeof e2e_ops[0]};
