/*
 * The stateful fuzz targets' engine set-ups (harness/fuzz_rig.h), one copy for the targets and
 * for `mtproof scenario-from-input`. The key arrays are static: hss_init and relay_new keep the
 * pointer to them in their copy of the configuration.
 */
#include <string.h>

#include "common/endian.h"
#include "common/err.h"
#include "fuzz/fuzz_test_key.h"
#include "harness/fuzz_rig.h"
#include "proto/message.h"

int fuzz_rig_echo_rpc(void *ctx, uint64_t req, const uint8_t *q, size_t len, uint8_t *out,
                      size_t cap, size_t *out_len)
{
    (void)ctx;
    (void)req;
    if (len < 4 || ld32le(q) != 0xC0FFEE00u || len > cap)
        return MT_E_unimplemented;
    memcpy(out, q, len);
    *out_len = len;
    return MT_OK;
}

int fuzz_rig_session_server(sess_server *srv, mt_vclock *vc, mt_drbg *d, uint8_t *work,
                            size_t work_cap)
{
    vclock_init(vc, 1700000000ull * NS_PER_S);
    drbg_init_u64(d, 42);
    sess_server_cfg cfg = {.clock = &vc->clock,
                           .rng = &d->rng,
                           .rpc = fuzz_rig_echo_rpc,
                           .work = work,
                           .work_cap = work_cap};
    return sess_server_init(srv, &cfg);
}

/* Loads the test key into *key unless it is loaded already (rng is drawn from only then). */
static bool test_key(rsa_private *key, mt_rng *rng)
{
    return key->pub.bytes != 0 ||
           rsa_private_load_pem(key, FUZZ_TEST_KEY_PEM, sizeof FUZZ_TEST_KEY_PEM - 1, rng, NULL,
                                NULL) == 0;
}

int fuzz_rig_hss(hss *server, mt_vclock *clock, mt_drbg *drbg)
{
    static rsa_private key;
    static const rsa_private *keys[1] = {&key};
    drbg_init_u64(drbg, 1);
    if (!test_key(&key, &drbg->rng))
        return MT_E_bad_field;
    hss_config cfg = {.keys = keys, .n_keys = 1};
    drbg_init_u64(drbg, 1);
    vclock_init(clock, 1707425105ull * NS_PER_S);
    return hss_init(server, &cfg, &clock->clock, &drbg->rng, NULL);
}

int fuzz_rig_relay(relay **r, mt_vclock *vc, mt_drbg *d, relay_conn_kind kind, uint32_t conn[2])
{
    static rsa_private key;
    static const rsa_private *keys[1] = {&key};
    *r = NULL;
    vclock_init(vc, 1700000000ull * NS_PER_S);
    drbg_init_u64(d, 9);
    if (!test_key(&key, &d->rng))
        return MT_E_bad_field;
    relay_config cfg = {.keys = keys,
                        .n_keys = 1,
                        .clock = &vc->clock,
                        .rng = &d->rng,
                        .limits = {.max_frame = 1u << 16, .max_pending = 1u << 16}};
    int err = relay_new(r, &cfg);
    if (err)
        return err;
    uint8_t raw[MT_AUTH_KEY_LEN];
    memset(raw, 0x5c, sizeof raw);
    mt_auth_key k;
    mt_auth_key_init(&k, raw);
    err = relay_add_key(*r, &k, false, 0);
    if (!err)
        err = relay_open(*r, kind, &conn[0]);
    if (!err)
        err = relay_open(*r, kind, &conn[1]);
    if (err) {
        relay_free(*r);
        *r = NULL;
    }
    return err;
}
