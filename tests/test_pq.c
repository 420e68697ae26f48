/* crypto/pq: the official sample, vectors/pq.json, random semiprimes up to 2^63 (both factor
 * orders, factor sizes from 3 to 60 bits) and every refusal. */
#include "bnutil.h"
#include "crypto/pq.h"
#include "testutil.h"

static void test_sample(void **state)
{
    (void)state;
    uint64_t p, q;
    assert_int_equal(pq_factor(2694724800268887959ull, &p, &q), MT_OK);
    assert_true(p == 1513098571ull && q == 1780931429ull);
    const uint8_t wire[8] = {0x25, 0x65, 0x95, 0xED, 0xB7, 0x76, 0x67, 0x97}; /* resPQ's pq */
    assert_int_equal(pq_factor_bytes(wire, 8, &p, &q), MT_OK);
    assert_true(p == 1513098571ull && q == 1780931429ull);
}

static void run_vector(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    tu_buf pq = tu_field(json_object_get(test, "in"), "pq");
    uint64_t p, q;
    int err = pq_factor_bytes(pq.p, pq.len, &p, &q);
    tu_free(&pq);
    if (strcmp(json_string_value(json_object_get(test, "result")), "invalid") == 0) {
        assert_string_equal(mt_err_name(err), json_string_value(json_object_get(test, "error")));
        assert_true(p == 0 && q == 0);
        return;
    }
    assert_int_equal(err, MT_OK);
    json_t *out = json_object_get(test, "out");
    tu_buf wp = tu_field(out, "p"), wq = tu_field(out, "q");
    uint8_t gp[8], gq[8];
    bn bp, bq;
    bn_set_u64(&bp, p);
    bn_set_u64(&bq, q);
    assert_int_equal(bn_to_bytes(&bp, gp, wp.len), MT_OK);
    assert_int_equal(bn_to_bytes(&bq, gq, wq.len), MT_OK);
    tu_assert_bytes("p", gp, wp.len, wp.p, wp.len);
    tu_assert_bytes("q", gq, wq.len, wq.p, wq.len);
    assert_int_equal(bn_num_bytes(&bp), wp.len); /* minimal, as in the file */
    tu_free(&wp);
    tu_free(&wq);
}

static void test_vectors(void **state)
{
    (void)state;
    json_t *f = tu_load_vectors("pq.json");
    assert_true(tu_each_vector(f, "factor_pq", run_vector, NULL) >= 45);
    json_decref(f);
}

static uint64_t random_prime(unsigned bits)
{
    for (;;) {
        uint64_t v = (tu_rand_u64() >> (64 - bits)) | (1ull << (bits - 1)) | 1;
        if (pq_is_prime_u64(v))
            return v;
    }
}

static void test_random_semiprimes(void **state)
{
    (void)state;
    tu_rand_seed(11);
    for (int i = 0; i < 3000; i++) {
        unsigned total = i < 1500 ? 63 : 8 + (unsigned)tu_rand_below(56);
        unsigned pb = i % 2 ? total / 2 : 3 + (unsigned)tu_rand_below(total - 5);
        uint64_t a = random_prime(pb), b = random_prime(total - pb);
        if (a == b)
            continue;
        uint64_t n = a * b, p, q;
        assert_int_equal(pq_factor(n, &p, &q), MT_OK);
        assert_true(p < q && p * q == n);
        assert_true(p == (a < b ? a : b));
    }
}

static void test_primality_matches_openssl(void **state)
{
    (void)state;
    tu_rand_seed(12);
    BN_CTX *c = BN_CTX_new();
    for (int i = 0; i < 20000; i++) {
        uint64_t v = tu_rand_u64() >> tu_rand_below(64);
        BIGNUM *x = BN_new();
        BN_set_word(x, v);
        assert_int_equal(pq_is_prime_u64(v), BN_check_prime(x, c, NULL) == 1);
        BN_free(x);
    }
    BN_CTX_free(c);
}

static void test_refusals(void **state)
{
    (void)state;
    uint64_t p = 1, q = 1;
    assert_int_equal(pq_factor(0, &p, &q), MT_E_bad_argument);
    assert_true(p == 0 && q == 0);
    assert_int_equal(pq_factor(1, &p, &q), MT_E_bad_argument);
    assert_int_equal(pq_factor(2, &p, &q), MT_E_bad_argument);
    assert_int_equal(pq_factor(1ull << 62, &p, &q), MT_E_bad_argument);
    assert_int_equal(pq_factor(18446744073709551557ull, &p, &q), MT_E_pq_prime); /* 2^64 - 59 */
    assert_int_equal(pq_factor(3ull * 3, &p, &q), MT_E_pq_not_semiprime);
    assert_int_equal(pq_factor(4294967291ull * 4294967291ull, &p, &q), MT_E_pq_not_semiprime);
    assert_int_equal(pq_factor(3ull * 5 * 7, &p, &q), MT_E_pq_not_semiprime);
    assert_int_equal(pq_factor(1000003ull * 1000033 * 1000037, &p, &q), MT_E_pq_not_semiprime);
    const uint8_t nine[9] = {1, 0, 0, 0, 0, 0, 0, 0, 15};
    assert_int_equal(pq_factor_bytes(nine, 9, &p, &q), MT_E_limit_exceeded);
    const uint8_t padded[9] = {0, 0, 0, 0, 0, 0, 0, 0, 15};
    assert_int_equal(pq_factor_bytes(padded, 9, &p, &q), MT_OK);
    assert_true(p == 3 && q == 5);
    assert_int_equal(pq_factor_bytes(padded, 0, &p, &q), MT_E_bad_argument);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_random_semiprimes),
        cmocka_unit_test(test_primality_matches_openssl),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
