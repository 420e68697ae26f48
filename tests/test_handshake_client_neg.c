/*
 * Every check of the client handshake engine broken in turn by the scripted server
 * (tests/hs_script.h), each yielding its rule ID; then the answer_with_hash limits and malformed
 * packets fed directly.
 */
#include "hs_script.h"

typedef struct neg_case {
    enum hs_fault fault;
    int want;
    const char *what;
} neg_case;

static const neg_case CASES[] = {
    {F_RESPQ_NONCE, MT_E_HS_NONCE_MISMATCH, "resPQ nonce"},
    {F_RESPQ_CTOR, MT_E_HS_UNEXPECTED_MESSAGE, "not resPQ"},
    {F_FINGERPRINT, MT_E_HS_NO_KNOWN_FINGERPRINT, "unknown fingerprints"},
    {F_PQ_PRIME, MT_E_HS_PQ_NOT_SEMIPRIME, "pq prime"},
    {F_PQ_SQUARE, MT_E_HS_PQ_NOT_SEMIPRIME, "pq = p * p"},
    {F_PQ_BIG, MT_E_HS_PQ_TOO_BIG, "pq of 9 bytes"},
    {F_DH_NONCE, MT_E_HS_NONCE_MISMATCH, "server_DH_params_ok nonce"},
    {F_DH_SERVER_NONCE, MT_E_HS_SERVER_NONCE_MISMATCH, "server_DH_params_ok server_nonce"},
    {F_DH_PARAMS_FAIL, MT_E_HS_SERVER_DH_PARAMS_FAIL, "server_DH_params_fail"},
    {F_NOT_ALIGNED, MT_E_HS_ANSWER_NOT_ALIGNED, "encrypted_answer % 16 != 0"},
    {F_HASH, MT_E_HS_ANSWER_HASH, "SHA1(answer) wrong"},
    {F_PAD16, MT_E_HS_ANSWER_PADDING, "padding of 16 bytes or more"},
    {F_INNER_NONCE, MT_E_HS_NONCE_MISMATCH, "server_DH_inner_data nonce"},
    {F_INNER_CTOR, MT_E_HS_UNEXPECTED_MESSAGE, "hashed answer not server_DH_inner_data"},
    {F_PRIME_COMPOSITE, MT_E_DH_PRIME_NOT_PRIME, "dh_prime composite"},
    {F_G_RESIDUE, MT_E_DH_G_NOT_RESIDUE, "g = 2 with p mod 8 = 3"},
    {F_G_UNSUPPORTED, MT_E_DH_G_UNSUPPORTED, "g = 8"},
    {F_GA_RANGE, MT_E_DH_GA_RANGE, "g_a = 1"},
    {F_GA_BOUNDS, MT_E_DH_GA_BOUNDS, "g_a = 2^1984 - 1"},
    {F_GEN_NONCE, MT_E_HS_SERVER_NONCE_MISMATCH, "dh_gen_ok server_nonce"},
    {F_NNH1, MT_E_HS_NEW_NONCE_HASH1, "new_nonce_hash1 wrong"},
    {F_RETRY_BAD_HASH, MT_E_HS_NEW_NONCE_HASH2, "new_nonce_hash2 wrong"},
    {F_RETRY_FOREVER, MT_E_HS_TOO_MANY_RETRIES, "dh_gen_retry forever"},
    {F_FAIL, MT_E_HS_DH_GEN_FAIL, "dh_gen_fail"},
    {F_FAIL_BAD_HASH, MT_E_HS_NEW_NONCE_HASH3, "new_nonce_hash3 wrong"},
};

static void test_each_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        run x;
        run_init(&x, CASES[i].fault, 100 + i);
        int got = drive(&x, NULL);
        if (got != CASES[i].want)
            fail_msg("%s: got %s, want %s", CASES[i].what, mt_err_name(got),
                     mt_err_name(CASES[i].want));
        run_free(&x);
    }
}

/* A 2048-bit prime whose (p-1)/2 is composite (vectors/dh_check.json, gen_dh.py), g = 4. */
static void test_prime_not_safe(void **state)
{
    (void)state;
    json_t *file = tu_load_vectors("dh_check.json");
    tu_buf p = {0};
    json_t *g, *t;
    size_t i, j;
    json_array_foreach(json_object_get(file, "testGroups"), i, g)
    {
        json_array_foreach(json_object_get(g, "tests"), j, t)
        {
            const char *e = json_string_value(json_object_get(t, "error"));
            if (e && strcmp(e, "DH_PRIME_NOT_SAFE") == 0 && !p.p)
                p = tu_field(json_object_get(t, "in"), "p");
        }
    }
    assert_non_null(p.p);
    assert_int_equal(p.len, DH_BYTES);
    run x;
    run_init(&x, F_NONE, 55);
    hs_script_free(&x.s);
    hs_script_init(&x.s, &key, F_NONE, 56, p.p, 4);
    x.cfg.mr_rounds = 8; /* enough to pass p (it is prime) and quick under ASan */
    assert_int_equal(drive(&x, NULL), MT_E_DH_PRIME_NOT_SAFE);
    run_free(&x);
    tu_free(&p);
    json_decref(file);
}

/* The answer limits, on hs_answer_decrypt / hs_answer_verify directly. */
static void test_answer_limits(void **state)
{
    (void)state;
    hs_tmp_aes t;
    uint8_t nn[32] = {1}, sn[16] = {2}, data[40] = {3}, enc[HS_ANSWER_MAX + 32],
            plain[HS_ANSWER_MAX];
    size_t n = 0;
    hs_tmp_aes_kdf(nn, sn, &t);
    assert_int_equal(hs_answer_decrypt(&t, enc, 16, plain, sizeof plain), MT_E_HS_ANSWER_TOO_SHORT);
    assert_int_equal(hs_answer_decrypt(&t, enc, HS_ANSWER_MAX + 16, plain, sizeof plain),
                     MT_E_HS_ANSWER_TOO_LONG);
    assert_int_equal(hs_answer_decrypt(&t, enc, 33, plain, sizeof plain),
                     MT_E_HS_ANSWER_NOT_ALIGNED);
    assert_int_equal(hs_answer_decrypt(&t, enc, 64, plain, 48), MT_E_no_space);
    /* round trip with every data length that fits 0..15 padding; then a data_len too long */
    for (size_t len = 0; len <= sizeof data; len++) {
        mt_drbg d;
        drbg_init_u64(&d, len);
        assert_int_equal(hs_answer_encrypt(&t, data, len, &d.rng, enc, sizeof enc, &n), MT_OK);
        assert_int_equal(n % 16, 0);
        assert_true(n - 20 - len < 16);
        assert_int_equal(hs_answer_decrypt(&t, enc, n, plain, sizeof plain), MT_OK);
        assert_memory_equal(plain + 20, data, len);
        assert_int_equal(hs_answer_verify(plain, n, len), MT_OK);
        assert_int_equal(hs_answer_verify(plain, n, n - 19), MT_E_HS_ANSWER_TOO_SHORT);
    }
    /* an exact padding that leaves the total unaligned; a padding of 16 is refused on reading */
    uint8_t pad[32] = {0};
    assert_int_equal(hs_answer_encrypt_with(&t, data, 12, pad, 1, enc, sizeof enc, &n),
                     MT_E_bad_data_size);
    assert_int_equal(hs_answer_encrypt_with(&t, data, 12, pad, 16, enc, sizeof enc, &n), MT_OK);
    assert_int_equal(hs_answer_decrypt(&t, enc, n, plain, sizeof plain), MT_OK);
    assert_int_equal(hs_answer_verify(plain, n, 12), MT_E_HS_ANSWER_PADDING);
    assert_int_equal(hs_answer_encrypt_with(&t, data, 13, pad, 0, enc, 16, &n), MT_E_bad_data_size);
    assert_int_equal(hs_answer_encrypt_with(&t, data, 28, pad, 0, enc, 16, &n), MT_E_no_space);
    hs_tmp_aes_wipe(&t);
}

/* Packets that are not unencrypted messages, and calls in the wrong state. */
static void test_malformed_and_state(void **state)
{
    (void)state;
    run x;
    run_init(&x, F_NONE, 77);
    uint8_t a[HS_PACKET_MAX], junk[8] = {0};
    size_t an;
    assert_int_equal(hs_client_init(&x.c, &x.cfg, &x.clock.clock, &x.rng.rng, NULL), MT_OK);
    assert_int_equal(hs_client_feed(&x.c, junk, 8, a, sizeof a, &an), MT_E_bad_argument);
    assert_int_equal(hs_client_start(&x.c, a, 10, &an), MT_E_no_space);
    assert_int_equal(hs_client_get_state(&x.c), HSC_INIT);
    assert_int_equal(hs_client_start(&x.c, a, sizeof a, &an), MT_OK);
    assert_int_equal(hs_client_start(&x.c, a, sizeof a, &an), MT_E_bad_argument);
    assert_int_equal(hs_client_feed(&x.c, junk, 8, a, sizeof a, &an), MT_E_PLAIN_TOO_SHORT);
    assert_int_equal(hs_client_get_state(&x.c), HSC_FAILED);
    run_free(&x);
    /* a bad configuration */
    hs_client c;
    hs_client_config cfg = {.keys = keys, .n_keys = 0};
    assert_int_equal(hs_client_init(&c, &cfg, &x.clock.clock, &x.rng.rng, NULL), MT_E_bad_argument);
    cfg.n_keys = 1;
    cfg.kind = HS_KEY_TEMP;
    assert_int_equal(hs_client_init(&c, &cfg, &x.clock.clock, &x.rng.rng, NULL), MT_E_bad_argument);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_check),
        cmocka_unit_test(test_prime_not_safe),
        cmocka_unit_test(test_answer_limits),
        cmocka_unit_test(test_malformed_and_state),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
