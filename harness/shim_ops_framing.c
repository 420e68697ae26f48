/*
 * Shim ops of message framing (issue 4): MTProto 2.0 msg_key and KDF, MTProto 1.0 msg_key and
 * KDF, the raw encryption layer (an already padded plaintext) and the full decryption of a message
 * with every framing check. auth_key is 256 bytes (bad_key_size otherwise); x a JSON number, 0 or
 * 8 (bad_argument otherwise); salt and session_id the hex of their 8 wire bytes; msg_id a decimal
 * string (a JSON number cannot hold every uint64 exactly in all readers); seqno a number.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "harness/shim.h"
#include "proto/kdf.h"
#include "proto/message.h"

static const char *const F_MSG_KEY_V2[] = {"auth_key", "plaintext", "x", NULL};
static const char *const F_MSG_KEY_V1[] = {"plaintext", NULL};
static const char *const F_KDF[] = {"auth_key", "msg_key", "x", NULL};
static const char *const F_ENCRYPT_RAW[] = {"auth_key", "x", "plaintext", NULL};
static const char *const F_DECRYPT_RAW[] = {"auth_key", "x", "packet", NULL};
static const char *const F_DECRYPT[] = {"auth_key", "x", "session_id", "packet", NULL};

/* Reads auth_key (256 bytes) and x; x is range-checked by the library (bad_argument). */
static int get_key_x(shim_call *c, const uint8_t **ak, unsigned *x)
{
    size_t n;
    int64_t v;
    int err = shim_get_bytes(c, "auth_key", ak, &n);
    if (!err)
        err = shim_get_int(c, "x", INT64_MIN, INT64_MAX, &v);
    if (err)
        return err;
    if (n != MT_AUTH_KEY_LEN) {
        shim_detail(c, "auth_key must be %d bytes", MT_AUTH_KEY_LEN);
        return MT_E_bad_key_size;
    }
    *x = (v == MT_X_CLIENT || v == MT_X_SERVER) ? (unsigned)v : 1;
    if (*x == 1)
        shim_detail(c, "x must be 0 (client to server) or 8 (server to client)");
    return MT_OK;
}

/* Reads a fixed-size byte field (bad_argument when its size differs). */
static int get_fixed(shim_call *c, const char *field, size_t want, const uint8_t **p)
{
    size_t n;
    int err = shim_get_bytes(c, field, p, &n);
    if (!err && n != want) {
        shim_detail(c, "%s must be %zu bytes", field, want);
        err = MT_E_bad_argument;
    }
    return err;
}

static int op_msg_key_v2(shim_call *c)
{
    const uint8_t *ak, *plain;
    size_t n;
    unsigned x;
    int err = get_key_x(c, &ak, &x);
    if (!err)
        err = shim_get_bytes(c, "plaintext", &plain, &n);
    uint8_t mk[MT_MSG_KEY_LEN];
    if (!err)
        err = mt_msg_key_v2(ak, x, plain, n, mk, NULL);
    return err ? err : shim_put_bytes(c, "out", mk, sizeof mk);
}

static int op_msg_key_v1(shim_call *c)
{
    const uint8_t *plain;
    size_t n;
    int err = shim_get_bytes(c, "plaintext", &plain, &n);
    if (err)
        return err;
    uint8_t mk[MT_MSG_KEY_LEN];
    mt_msg_key_v1(plain, n, mk);
    return shim_put_bytes(c, "out", mk, sizeof mk);
}

static int run_kdf(shim_call *c, int v1)
{
    const uint8_t *ak, *mk;
    unsigned x;
    int err = get_key_x(c, &ak, &x);
    if (!err)
        err = get_fixed(c, "msg_key", MT_MSG_KEY_LEN, &mk);
    uint8_t key[MT_AES_KEY_LEN], iv[MT_AES_IV_LEN];
    if (!err)
        err = v1 ? mt_kdf_v1(ak, x, mk, key, iv) : mt_kdf_v2(ak, x, mk, key, iv);
    if (!err)
        err = shim_put_bytes(c, "aes_key", key, sizeof key);
    if (!err)
        err = shim_put_bytes(c, "aes_iv", iv, sizeof iv);
    ct_wipe(key, sizeof key);
    ct_wipe(iv, sizeof iv);
    return err;
}

static int op_kdf_v2(shim_call *c)
{
    return run_kdf(c, 0);
}

static int op_kdf_v1(shim_call *c)
{
    return run_kdf(c, 1);
}

static int op_encrypt_v2_raw(shim_call *c)
{
    const uint8_t *ak, *plain;
    size_t n;
    unsigned x;
    int err = get_key_x(c, &ak, &x);
    if (!err)
        err = shim_get_bytes(c, "plaintext", &plain, &n);
    if (err)
        return err;
    uint8_t *out = shim_alloc(c, n + MT_MSG_OUTER_LEN);
    if (!out)
        return MT_E_no_memory;
    static mt_auth_key k;
    mt_auth_key_init(&k, ak);
    err = mt_msg_encrypt_raw(&k, x, plain, n, NULL, out, n + MT_MSG_OUTER_LEN);
    mt_auth_key_wipe(&k);
    return err ? err : shim_put_bytes(c, "out", out, n + MT_MSG_OUTER_LEN);
}

/* Reads auth_key, x and packet, and allocates a plaintext buffer of the packet's size. */
static int get_packet(shim_call *c, const uint8_t **ak, unsigned *x, const uint8_t **pkt, size_t *n,
                      uint8_t **plain)
{
    int err = get_key_x(c, ak, x);
    if (!err)
        err = shim_get_bytes(c, "packet", pkt, n);
    if (!err && !(*plain = shim_alloc(c, *n)))
        err = MT_E_no_memory;
    return err;
}

static int op_decrypt_v2_raw(shim_call *c)
{
    const uint8_t *ak, *pkt;
    uint8_t *plain;
    size_t n;
    unsigned x;
    int err = get_packet(c, &ak, &x, &pkt, &n, &plain);
    if (err)
        return err;
    static mt_auth_key k;
    mt_auth_key_init(&k, ak);
    err = mt_msg_decrypt_raw(&k, x, pkt, n, plain, n);
    mt_auth_key_wipe(&k);
    return err ? err : shim_put_bytes(c, "plaintext", plain, n - MT_MSG_OUTER_LEN);
}

static int put_view(shim_call *c, const mt_msg_view *v)
{
    uint8_t salt[8], sess[8];
    char msg_id[24];
    st64le(salt, v->hdr.salt);
    st64le(sess, v->hdr.session_id);
    snprintf(msg_id, sizeof msg_id, "%" PRIu64, v->hdr.msg_id);
    int err = shim_put_bytes(c, "salt", salt, sizeof salt);
    if (!err)
        err = shim_put_bytes(c, "session_id", sess, sizeof sess);
    if (!err)
        err = shim_put_json(c, "msg_id", json_string(msg_id));
    if (!err)
        err = shim_put_uint(c, "seqno", v->hdr.seq_no);
    if (!err)
        err = shim_put_bytes(c, "body", v->body, v->body_len);
    return err;
}

static int op_decrypt_v2(shim_call *c)
{
    const uint8_t *ak, *pkt, *sess;
    uint8_t *plain;
    size_t n;
    unsigned x;
    int err = get_fixed(c, "session_id", 8, &sess);
    if (!err)
        err = get_packet(c, &ak, &x, &pkt, &n, &plain);
    if (err)
        return err;
    static mt_auth_key k;
    mt_auth_key_init(&k, ak);
    uint64_t want = ld64le(sess);
    mt_msg_view v;
    err = mt_msg_unpack(&k, x, &want, pkt, n, plain, n, &v);
    mt_auth_key_wipe(&k);
    return err ? err : put_view(c, &v);
}

static const shim_op framing_ops[] = {
    {"msg_key_v2", F_MSG_KEY_V2, op_msg_key_v2},
    {"msg_key_v1", F_MSG_KEY_V1, op_msg_key_v1},
    {"kdf_v2", F_KDF, op_kdf_v2},
    {"kdf_v1", F_KDF, op_kdf_v1},
    {"encrypt_v2_raw", F_ENCRYPT_RAW, op_encrypt_v2_raw},
    {"decrypt_v2_raw", F_DECRYPT_RAW, op_decrypt_v2_raw},
    {"decrypt_v2", F_DECRYPT, op_decrypt_v2},
};

const shim_op_table shim_ops_framing = {"framing", framing_ops,
                                        sizeof framing_ops / sizeof framing_ops[0]};
