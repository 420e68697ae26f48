/*
 * Shim op of temporary-key binding (issue 5, proto/bind.h): bind_encrypt builds the
 * encrypted_message of auth.bindTempAuthKey. perm_auth_key is 256 bytes (bad_key_size otherwise);
 * nonce, temp_auth_key_id, perm_auth_key_id and temp_session_id are the hex of their 8 wire bytes;
 * expires_at a JSON number; msg_id a decimal string; random the 24 bytes the encryption consumes
 * (random:int128, then the 8 padding bytes).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "harness/shim.h"
#include "proto/bind.h"

static const char *const F_BIND_ENCRYPT[] = {
    "perm_auth_key",    "nonce",           "temp_auth_key_id",
    "perm_auth_key_id", "temp_session_id", "expires_at",
    "msg_id",           "random",          NULL};

/* An mt_rng that hands out the caller's bytes once, in order (a vector's random values). */
typedef struct fixed_rng {
    mt_rng rng;
    const uint8_t *p;
    size_t left;
} fixed_rng;

static int fixed_fill(mt_rng *self, uint8_t *out, size_t n)
{
    fixed_rng *f = (fixed_rng *)self;
    if (n > f->left)
        return MT_E_bad_argument;
    memcpy(out, f->p, n);
    f->p += n;
    f->left -= n;
    return MT_OK;
}

/* An 8-byte field as the TL long it carries. */
static int get_long8(shim_call *c, const char *field, int64_t *v)
{
    const uint8_t *p;
    size_t n;
    int err = shim_get_bytes(c, field, &p, &n);
    if (err)
        return err;
    if (n != 8) {
        shim_detail(c, "%s must be 8 bytes", field);
        return MT_E_bad_argument;
    }
    *v = (int64_t)ld64le(p);
    return MT_OK;
}

static int get_msg_id(shim_call *c, uint64_t *v)
{
    const char *s;
    int err = shim_get_string(c, "msg_id", &s);
    if (err)
        return err;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (!*s || *s == '-' || *end || errno) {
        shim_detail(c, "msg_id must be a decimal string of a uint64");
        return MT_E_bad_field;
    }
    *v = x;
    return MT_OK;
}

static int get_inner(shim_call *c, mt_bind_inner *in)
{
    int64_t exp = 0;
    int err = get_long8(c, "nonce", &in->nonce);
    if (!err)
        err = get_long8(c, "temp_auth_key_id", &in->temp_auth_key_id);
    if (!err)
        err = get_long8(c, "perm_auth_key_id", &in->perm_auth_key_id);
    if (!err)
        err = get_long8(c, "temp_session_id", &in->temp_session_id);
    if (!err)
        err = shim_get_int(c, "expires_at", INT32_MIN, INT32_MAX, &exp);
    in->expires_at = (int32_t)exp;
    return err;
}

static int op_bind_encrypt(shim_call *c)
{
    const uint8_t *ak, *random;
    size_t ak_len, random_len;
    mt_bind_inner in = {0};
    uint64_t msg_id = 0;
    int err = shim_get_bytes(c, "perm_auth_key", &ak, &ak_len);
    if (!err)
        err = get_inner(c, &in);
    if (!err)
        err = get_msg_id(c, &msg_id);
    if (!err)
        err = shim_get_bytes(c, "random", &random, &random_len);
    if (err)
        return err;
    if (ak_len != MT_AUTH_KEY_LEN) {
        shim_detail(c, "perm_auth_key must be %d bytes", MT_AUTH_KEY_LEN);
        return MT_E_bad_key_size;
    }
    if (random_len != MT_BIND_RANDOM_LEN + MT_BIND_PAD_LEN) {
        shim_detail(c, "random must be %u bytes (int128, then padding)",
                    MT_BIND_RANDOM_LEN + MT_BIND_PAD_LEN);
        return MT_E_bad_argument;
    }
    static mt_auth_key perm;
    mt_auth_key_init(&perm, ak);
    fixed_rng rng = {{fixed_fill}, random, random_len};
    uint8_t out[MT_BIND_ENC_LEN];
    err = mt_bind_encrypt(&perm, &in, msg_id, &rng.rng, out);
    mt_auth_key_wipe(&perm);
    return err ? err : shim_put_bytes(c, "out", out, sizeof out);
}

static const shim_op bind_ops[] = {
    {"bind_encrypt", F_BIND_ENCRYPT, op_bind_encrypt},
};

const shim_op_table shim_ops_bind = {"bind", bind_ops, sizeof bind_ops / sizeof bind_ops[0]};
