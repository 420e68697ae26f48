/*
 * The client handshake engine against a scripted server (tests/hs_script.h): full runs
 * (permanent and temporary keys, dh_gen_retry, a key with a leading zero byte, determinism),
 * then every client check broken in turn, each yielding its rule ID.
 */
#include "hs_script.h"

static void check_result(run *x, unsigned retries)
{
    hs_result r;
    assert_int_equal(hs_client_result(&x->c, &r), MT_OK);
    assert_memory_equal(r.key.key, x->s.ak.key, MT_AUTH_KEY_LEN);
    assert_memory_equal(r.key.id, x->s.ak.id, MT_AUTH_KEY_ID_LEN);
    assert_memory_equal(r.key.aux_hash, x->s.ak.aux_hash, 8);
    uint8_t salt[8];
    hs_initial_salt(x->s.new_nonce, x->s.server_nonce, salt);
    assert_memory_equal(r.server_salt, salt, 8);
    assert_true(r.time_offset_ns == 5 * (int64_t)NS_PER_S);
    assert_int_equal(r.server_time, (int32_t)HS_SCRIPT_TIME);
    assert_int_equal(r.retries, retries);
    hs_result_wipe(&r);
}

static void test_full_perm(void **state)
{
    (void)state;
    run x;
    run_init(&x, F_NONE, 1);
    assert_int_equal(drive(&x, NULL), MT_OK);
    check_result(&x, 0);
    uint8_t zero[8] = {0};
    assert_memory_equal(x.s.retry_ids[0], zero, 8); /* "retry_id = 0 on the first attempt" */
    /* done: further input is a caller error, not a rule */
    uint8_t out[64];
    size_t n;
    assert_int_equal(hs_client_feed(&x.c, zero, 8, out, sizeof out, &n), MT_E_bad_argument);
    run_free(&x);
}

static void test_full_temp(void **state)
{
    (void)state;
    run x;
    run_init(&x, F_NONE, 2);
    x.cfg.kind = HS_KEY_TEMP;
    x.cfg.expires_in = 86400;
    x.cfg.dc = hs_dc_id(2, true, true);
    assert_int_equal(x.cfg.dc, -10002);
    assert_int_equal(drive(&x, NULL), MT_OK);
    hs_result r;
    assert_int_equal(hs_client_result(&x.c, &r), MT_OK);
    assert_int_equal(r.kind, HS_KEY_TEMP);
    assert_int_equal(r.expires_in, 86400);
    hs_result_wipe(&r);
    check_result(&x, 0);
    run_free(&x);
}

/* The p_q_inner_data_temp_dc bytes: the constructor, and dc and expires_in at the end. */
static void test_temp_inner(void **state)
{
    (void)state;
    run x;
    run_init(&x, F_NONE, 3);
    x.cfg.kind = HS_KEY_TEMP;
    x.cfg.expires_in = 3600;
    x.cfg.dc = hs_dc_id(4, false, true);
    uint8_t a[HS_PACKET_MAX], b[HS_PACKET_MAX];
    size_t an, blen, len;
    assert_int_equal(hs_client_init(&x.c, &x.cfg, &x.clock.clock, &x.rng.rng, NULL), MT_OK);
    assert_int_equal(hs_client_start(&x.c, a, sizeof a, &an), MT_OK);
    hs_script_respq(&x.s, a, an, b, sizeof b, &blen);
    assert_int_equal(hs_client_feed(&x.c, b, blen, a, sizeof a, &an), MT_OK);
    const uint8_t *p = hs_client_pq_inner(&x.c, &len);
    assert_int_equal(len, 104);
    assert_true(ld32le(p) == 0x56fddf88u);
    assert_int_equal((int32_t)ld32le(p + len - 8), -4);
    assert_int_equal((int32_t)ld32le(p + len - 4), 3600);
    run_free(&x);
}

/* The same seeds give the same bytes; another seed gives others. */
static void test_deterministic(void **state)
{
    (void)state;
    run x, y;
    run_init(&x, F_NONE, 9);
    run_init(&y, F_NONE, 9);
    assert_int_equal(drive(&x, NULL), MT_OK);
    assert_int_equal(drive(&y, NULL), MT_OK);
    assert_memory_equal(x.digest, y.digest, 32);
    assert_memory_equal(x.s.ak.key, y.s.ak.key, MT_AUTH_KEY_LEN);
    run_free(&y);
    run_init(&y, F_NONE, 10);
    assert_int_equal(drive(&y, NULL), MT_OK);
    assert_memory_not_equal(x.digest, y.digest, 32);
    run_free(&x);
    run_free(&y);
}

/* dh_gen_retry, then dh_gen_ok: retry_id is the previous attempt's auth_key_aux_hash. */
static void test_retry(void **state)
{
    (void)state;
    run x;
    run_init(&x, F_RETRY, 4);
    assert_int_equal(drive(&x, NULL), MT_OK);
    assert_int_equal(x.s.attempts, 2);
    assert_memory_equal(x.s.retry_ids[1], x.s.aux_hashes[0], 8);
    assert_memory_not_equal(x.s.aux_hashes[0], x.s.aux_hashes[1], 8); /* a fresh b */
    check_result(&x, 1);
    run_free(&x);
}

/* Steers b so that auth_key = g_a^b mod p starts with a zero byte: 256 bytes are kept. */
static void test_leading_zero_key(void **state)
{
    (void)state;
    run x;
    run_init(&x, F_NONE, 5);
    dh_ctx d;
    uint8_t b[DH_BYTES], g_b[DH_BYTES], k[DH_BYTES];
    mt_drbg search;
    drbg_init_u64(&search, 77);
    assert_int_equal(dh_init(&d, x.s.prime, DH_BYTES, 3), MT_OK);
    int tries = 0;
    do {
        drbg_generate(&search, b, sizeof b);
        assert_int_equal(dh_set_secret(&d, b, g_b), MT_OK);
        assert_int_equal(dh_compute_key(&d, x.s.g_a, DH_BYTES, DH_VALUE_GA, k), MT_OK);
        assert_true(++tries < 5000);
    } while (k[0] != 0);
    dh_wipe(&d);
    hs_client_fixed fx = {.b = b};
    assert_int_equal(drive(&x, &fx), MT_OK);
    hs_result r;
    assert_int_equal(hs_client_result(&x.c, &r), MT_OK);
    assert_int_equal(r.key.key[0], 0);
    assert_memory_equal(r.key.key, k, DH_BYTES);
    uint8_t id[8], aux[8];
    hs_auth_key_ids(k, id, aux); /* SHA1 over all 256 bytes, the zero included */
    assert_memory_equal(r.key.id, id, 8);
    hs_result_wipe(&r);
    check_result(&x, 0);
    run_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_perm),  cmocka_unit_test(test_full_temp),
        cmocka_unit_test(test_temp_inner), cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_retry),      cmocka_unit_test(test_leading_zero_key),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
