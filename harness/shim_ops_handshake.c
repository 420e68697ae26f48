/*
 * Shim ops of auth-key creation (issue 5; proto/handshake.h): the shared derivations
 * (tmp_aes_kdf, auth_key_ids, new_nonce_hash) and handshake_client_step, which replays a whole
 * client run from the start, fed the given random values and server messages, up to a step, and
 * returns the client's message of that step (docs/shim.md). Replaying from the start keeps the
 * op stateless: an engine state does not travel in JSON.
 */
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "crypto/drbg.h"
#include "harness/shim.h"
#include "proto/handshake.h"
#include "proto/message.h"

static const char *const F_TMP[] = {"new_nonce", "server_nonce", NULL};
static const char *const F_IDS[] = {"auth_key", NULL};
static const char *const F_NNH[] = {"new_nonce", "auth_key", "number", NULL};
static const char *const F_STEP[] = {
    "public_key_pem", "step",     "input", "?seed", "?random",     "?nonce", "?new_nonce", "?b",
    "?answer_pad",    "?msg_ids", "?time", "?dc",   "?expires_in", NULL};

/* Gets a field that must be exactly `want` bytes. */
static int get_exact(shim_call *c, const char *field, size_t want, const uint8_t **p)
{
    size_t n;
    int err = shim_get_bytes(c, field, p, &n);
    if (!err && n != want) {
        shim_detail(c, "%s must be %zu bytes", field, want);
        err = MT_E_bad_data_size;
    }
    return err;
}

/* tmp_aes_kdf {new_nonce (32), server_nonce (16)} -> {key, iv} */
static int op_tmp_aes_kdf(shim_call *c)
{
    const uint8_t *nn, *sn;
    int err = get_exact(c, "new_nonce", HS_NEW_NONCE_LEN, &nn);
    if (!err)
        err = get_exact(c, "server_nonce", HS_NONCE_LEN, &sn);
    if (err)
        return err;
    hs_tmp_aes t;
    hs_tmp_aes_kdf(nn, sn, &t);
    err = shim_put_bytes(c, "key", t.key, sizeof t.key);
    if (!err)
        err = shim_put_bytes(c, "iv", t.iv, sizeof t.iv);
    hs_tmp_aes_wipe(&t);
    return err;
}

/* auth_key_ids {auth_key (256)} -> {auth_key_id, aux_hash} (wire bytes) */
static int op_auth_key_ids(shim_call *c)
{
    const uint8_t *k;
    uint8_t id[MT_AUTH_KEY_ID_LEN], aux[HS_AUX_HASH_LEN];
    int err = get_exact(c, "auth_key", MT_AUTH_KEY_LEN, &k);
    if (err)
        return err;
    hs_auth_key_ids(k, id, aux);
    err = shim_put_bytes(c, "auth_key_id", id, sizeof id);
    return err ? err : shim_put_bytes(c, "aux_hash", aux, sizeof aux);
}

/* new_nonce_hash {new_nonce (32), auth_key (256), number (1..3)} -> {out (16)} */
static int op_new_nonce_hash(shim_call *c)
{
    const uint8_t *nn, *k;
    int64_t number;
    uint8_t id[MT_AUTH_KEY_ID_LEN], aux[HS_AUX_HASH_LEN], out[HS_NONCE_HASH_LEN];
    int err = get_exact(c, "new_nonce", HS_NEW_NONCE_LEN, &nn);
    if (!err)
        err = get_exact(c, "auth_key", MT_AUTH_KEY_LEN, &k);
    if (!err)
        err = shim_get_int(c, "number", 1, 3, &number);
    if (err)
        return err;
    hs_auth_key_ids(k, id, aux);
    err = hs_new_nonce_hash(nn, (unsigned)number, aux, out);
    return err ? err : shim_put_bytes(c, "out", out, sizeof out);
}

/* An RNG that returns the caller's bytes in order and fails when they run out. */
typedef struct stream_rng {
    mt_rng rng;
    const uint8_t *p;
    size_t left;
} stream_rng;

static int stream_fill(mt_rng *self, uint8_t *out, size_t n)
{
    stream_rng *s = (stream_rng *)self;
    if (n > s->left)
        return MT_E_rng_failure;
    memcpy(out, s->p, n);
    s->p += n;
    s->left -= n;
    return MT_OK;
}

typedef struct step_ctx {
    rsa_public key;
    const rsa_public *keys[1];
    hs_client_fixed fx;
    uint64_t ids[8];
    mt_vclock clock;
    mt_drbg drbg;
    stream_rng stream;
    hs_client_config cfg;
} step_ctx;

/* Reads the optional exact values, the RNG, the clock and the configuration. */
static int step_setup(shim_call *c, step_ctx *x)
{
    const uint8_t *p;
    size_t n;
    int64_t v = 0;
    int err = shim_get_bytes(c, "public_key_pem", &p, &n);
    if (!err)
        err = rsa_public_load_pem(&x->key, (const char *)p, n, NULL, NULL);
    x->keys[0] = &x->key;
    x->cfg = (hs_client_config){.keys = x->keys, .n_keys = 1, .dc = 2};
    if (!err && shim_has(c, "nonce"))
        err = get_exact(c, "nonce", HS_NONCE_LEN, &x->fx.nonce);
    if (!err && shim_has(c, "new_nonce"))
        err = get_exact(c, "new_nonce", HS_NEW_NONCE_LEN, &x->fx.new_nonce);
    if (!err && shim_has(c, "b"))
        err = get_exact(c, "b", DH_BYTES, &x->fx.b);
    if (!err && shim_has(c, "answer_pad"))
        err = shim_get_bytes(c, "answer_pad", &x->fx.answer_pad, &x->fx.answer_pad_len);
    if (!err && shim_has(c, "msg_ids") && !(err = shim_get_bytes(c, "msg_ids", &p, &n))) {
        if (n % 8 != 0 || n / 8 > 8) {
            shim_detail(c, "msg_ids: up to 8 int64 values, 8 wire bytes each");
            return MT_E_bad_data_size;
        }
        for (size_t i = 0; i < n / 8; i++)
            x->ids[i] = ld64le(p + 8 * i);
        x->fx.msg_ids = x->ids;
        x->fx.n_msg_ids = n / 8;
    }
    if (!err && shim_has(c, "time") && !(err = shim_get_int(c, "time", 0, INT32_MAX, &v)))
        vclock_init(&x->clock, (uint64_t)v * NS_PER_S);
    if (!err && shim_has(c, "dc") && !(err = shim_get_int(c, "dc", INT32_MIN, INT32_MAX, &v)))
        x->cfg.dc = (int32_t)v;
    if (!err && shim_has(c, "expires_in") &&
        !(err = shim_get_int(c, "expires_in", 1, INT32_MAX, &v))) {
        x->cfg.kind = HS_KEY_TEMP;
        x->cfg.expires_in = (int32_t)v;
    }
    if (!err && shim_has(c, "random")) {
        err = shim_get_bytes(c, "random", &x->stream.p, &x->stream.left);
        x->stream.rng.fill = stream_fill;
    } else if (!err) {
        err = shim_has(c, "seed") ? shim_get_int(c, "seed", 0, INT64_MAX, &v) : MT_OK;
        drbg_init_u64(&x->drbg, (uint64_t)v);
    }
    return err;
}

static const char *state_name(hs_client_state s)
{
    static const char *const names[] = {"init",        "wait_res_pq", "wait_dh_params",
                                        "wait_dh_gen", "done",        "failed"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

/* Feeds server messages 1..step (concatenated in `input`, each delimited by its own length). */
static int step_feed(shim_call *c, hs_client *h, const uint8_t *in, size_t n, int64_t step,
                     uint8_t *out, size_t *out_len)
{
    for (int64_t i = 0; i < step; i++) {
        if (n < MT_PLAIN_HEADER_LEN) {
            shim_detail(c, "input holds %lld server messages, step asks for %lld", (long long)i,
                        (long long)step);
            return MT_E_missing_field;
        }
        size_t m = MT_PLAIN_HEADER_LEN + ld32le(in + 16);
        if (m > n)
            m = n; /* a length past the end: the client refuses it */
        int err = hs_client_feed(h, in, m, out, HS_PACKET_MAX, out_len);
        if (err)
            return err;
        in += m;
        n -= m;
    }
    return MT_OK;
}

/* handshake_client_step {public_key_pem, step, input, ...} -> {out, state[, auth_key, ...]} */
static int op_handshake_client_step(shim_call *c)
{
    static step_ctx x;
    static hs_client h;
    const uint8_t *in;
    size_t in_len, out_len = 0;
    int64_t step;
    uint8_t out[HS_PACKET_MAX];
    memset(&x, 0, sizeof x);
    vclock_init(&x.clock, 0);
    int err = step_setup(c, &x);
    if (!err)
        err = shim_get_int(c, "step", 0, 2 + HS_MAX_RETRIES, &step);
    if (!err)
        err = shim_get_bytes(c, "input", &in, &in_len);
    mt_rng *rng = x.stream.rng.fill ? &x.stream.rng : &x.drbg.rng;
    if (!err)
        err = hs_client_init(&h, &x.cfg, &x.clock.clock, rng, &x.fx);
    if (!err)
        err = hs_client_start(&h, out, sizeof out, &out_len);
    if (!err)
        err = step_feed(c, &h, in, in_len, step, out, &out_len);
    if (!err)
        err = shim_put_bytes(c, "out", out, out_len);
    if (!err)
        err = shim_put_json(c, "state", json_string(state_name(hs_client_get_state(&h))));
    hs_result r;
    if (!err && hs_client_result(&h, &r) == MT_OK) {
        err = shim_put_bytes(c, "auth_key", r.key.key, sizeof r.key.key);
        if (!err)
            err = shim_put_bytes(c, "auth_key_id", r.key.id, sizeof r.key.id);
        if (!err)
            err = shim_put_bytes(c, "server_salt", r.server_salt, sizeof r.server_salt);
        hs_result_wipe(&r);
    }
    hs_client_wipe(&h);
    drbg_wipe(&x.drbg);
    ct_wipe(out, sizeof out);
    return err;
}

static const shim_op ops[] = {
    {"tmp_aes_kdf", F_TMP, op_tmp_aes_kdf},
    {"auth_key_ids", F_IDS, op_auth_key_ids},
    {"new_nonce_hash", F_NNH, op_new_nonce_hash},
    {"handshake_client_step", F_STEP, op_handshake_client_step},
};

const shim_op_table shim_ops_handshake = {"handshake", ops, sizeof ops / sizeof ops[0]};
