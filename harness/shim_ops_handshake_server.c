/*
 * Shim op of the server handshake (issue 5): handshake_server_step replays a server run from the
 * start — our server engine with a DRBG seeded by `seed`, the clock at `time`, the given key —
 * fed the client's messages in order, and returns the answer to the last one, or the rule of the
 * first message the server refuses. A third party's server is driven message by message the same
 * way; docs/shim.md defines the fields.
 */
#include <string.h>

#include "common/hex.h"
#include "crypto/drbg.h"
#include "harness/shim.h"
#include "proto/handshake_server.h"

#define STEP_MAX_MESSAGES 16

static const char *const F_STEP[] = {"private_key_pem", "seed",     "time",   "messages",
                                     "?strict",         "?pq_bits", "?fault", NULL};

/* The optional knobs: strict (bool), pq_bits, fault (name). */
static int read_knobs(shim_call *c, hss_config *cfg)
{
    json_t *v;
    int err = 0;
    if (shim_has(c, "strict") && !(err = shim_get_json(c, "strict", &v))) {
        if (!json_is_boolean(v))
            return MT_E_bad_field;
        cfg->strict = json_is_true(v);
    }
    int64_t bits = 0;
    if (!err && shim_has(c, "pq_bits"))
        err = shim_get_int(c, "pq_bits", HSS_PQ_BITS_MIN, HSS_PQ_BITS_MAX, &bits);
    cfg->pq_bits = (unsigned)bits;
    const char *name;
    if (!err && shim_has(c, "fault") && !(err = shim_get_string(c, "fault", &name))) {
        cfg->fault = hss_fault_by_name(name);
        if (cfg->fault == HSS_FAULT_COUNT) {
            shim_detail(c, "unknown fault %s", name);
            return MT_E_bad_field;
        }
    }
    return err;
}

/* Feeds message i (a hex string) and keeps the answer in out. */
static int feed_one(shim_call *c, hss *s, json_t *m, size_t i, uint8_t *out, size_t *out_len)
{
    uint8_t pkt[HS_PACKET_MAX];
    size_t n;
    if (!json_is_string(m)) {
        shim_detail(c, "messages[%zu] is not a hex string", i);
        return MT_E_bad_field;
    }
    int err = hex_decode(json_string_value(m), json_string_length(m), pkt, sizeof pkt, &n);
    if (err) {
        shim_detail(c, "messages[%zu]: %s", i, mt_err_message(err));
        return err == MT_E_no_space ? MT_E_limit_exceeded : err;
    }
    err = hss_feed(s, pkt, n, out, HS_PACKET_MAX, out_len);
    if (err)
        shim_detail(c, "the server refused messages[%zu]", i);
    return err;
}

static int run_server(shim_call *c, const rsa_private *key, hss_config *cfg, json_t *msgs)
{
    int64_t seed, t;
    int err = shim_get_int(c, "seed", 0, INT64_MAX, &seed);
    if (!err)
        err = shim_get_int(c, "time", 0, INT32_MAX, &t);
    if (err)
        return err;
    static mt_drbg drbg;
    static mt_vclock clock;
    static hss s;
    drbg_init_u64(&drbg, (uint64_t)seed);
    vclock_init(&clock, (uint64_t)t * NS_PER_S);
    const rsa_private *keys[1] = {key};
    cfg->keys = keys;
    cfg->n_keys = 1;
    err = hss_init(&s, cfg, &clock.clock, &drbg.rng, NULL);
    uint8_t out[HS_PACKET_MAX];
    size_t out_len = 0;
    for (size_t i = 0; !err && i < json_array_size(msgs); i++)
        err = feed_one(c, &s, json_array_get(msgs, i), i, out, &out_len);
    hss_wipe(&s);
    drbg_wipe(&drbg);
    return err ? err : shim_put_bytes(c, "out", out, out_len);
}

/* handshake_server_step {private_key_pem, seed, time, messages[], strict?, pq_bits?, fault?}
 * -> {out: the server's answer to the last message} or the rule of the refused message. */
static int op_handshake_server_step(shim_call *c)
{
    const uint8_t *pem;
    size_t pem_len;
    json_t *msgs;
    hss_config cfg;
    memset(&cfg, 0, sizeof cfg);
    int err = shim_get_bytes(c, "private_key_pem", &pem, &pem_len);
    if (!err)
        err = shim_get_json(c, "messages", &msgs);
    if (!err && (!json_is_array(msgs) || json_array_size(msgs) == 0 ||
                 json_array_size(msgs) > STEP_MAX_MESSAGES)) {
        shim_detail(c, "messages is an array of 1..%d hex strings", STEP_MAX_MESSAGES);
        err = MT_E_bad_field;
    }
    if (!err)
        err = read_knobs(c, &cfg);
    if (err)
        return err;
    static rsa_private key;
    mt_drbg kr;
    drbg_init_u64(&kr, 0); /* Miller–Rabin bases of the key check only */
    err = rsa_private_load_pem(&key, (const char *)pem, pem_len, &kr.rng, NULL, NULL);
    if (!err && key.pub.bytes != RSA_PAD_OUT_LEN)
        err = MT_E_key_bad_size;
    if (!err)
        err = run_server(c, &key, &cfg, msgs);
    rsa_private_wipe(&key);
    return err;
}

static const shim_op handshake_server_ops[] = {
    {"handshake_server_step", F_STEP, op_handshake_server_step},
};

const shim_op_table shim_ops_handshake_server = {"handshake_server", handshake_server_ops,
                                                 sizeof handshake_server_ops /
                                                     sizeof handshake_server_ops[0]};
