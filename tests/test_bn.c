/* crypto/bn: every bignum vector file (modexp, mul, divmod, inverse) and the API's edges
 * (import/export widths, capacity limits, errors). Differential tests: test_bn_diff.c. */
#include "bnutil.h"
#include "testutil.h"

static void load(bn *a, json_t *obj, const char *name)
{
    tu_buf b = tu_field(obj, name);
    assert_int_equal(bn_from_bytes(a, b.p, b.len), MT_OK);
    tu_free(&b);
}

/* Compares a with the minimal big-endian field `name` of out. */
static void expect(const bn *a, json_t *out, const char *name)
{
    tu_buf want = tu_field(out, name);
    tu_buf got = tu_alloc(bn_num_bytes(a));
    assert_int_equal(bn_to_bytes(a, got.p, got.len), MT_OK);
    tu_assert_bytes(name, got.p, got.len, want.p, want.len);
    tu_free(&want);
    tu_free(&got);
}

static void expect_error(json_t *test, int err)
{
    const char *want = json_string_value(json_object_get(test, "error"));
    assert_non_null(want);
    assert_string_equal(mt_err_name(err), want);
}

static bool is_valid(json_t *test)
{
    return strcmp(json_string_value(json_object_get(test, "result")), "valid") == 0;
}

static void run_modexp(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    bn base, e, m, r;
    bn_mont ctx;
    load(&base, in, "base");
    load(&e, in, "exp");
    load(&m, in, "mod");
    int err = bn_mont_init(&ctx, &m);
    if (!is_valid(test)) {
        expect_error(test, err);
        return;
    }
    assert_int_equal(err, MT_OK);
    size_t eb = bn_num_bits(&e) ? bn_num_bits(&e) : 1;
    assert_int_equal(bn_mod_exp_ct(&ctx, &r, &base, &e, eb), MT_OK);
    expect(&r, json_object_get(test, "out"), "out");
    assert_int_equal(bn_mod_exp_vartime(&ctx, &r, &base, &e), MT_OK);
    expect(&r, json_object_get(test, "out"), "out");
    if (eb < BN_MOD_MAX_BITS) { /* a wider public exp_bits gives the same answer */
        assert_int_equal(bn_mod_exp_ct(&ctx, &r, &base, &e, eb + 1), MT_OK);
        expect(&r, json_object_get(test, "out"), "out");
    }
}

static void run_mul(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    bn a, b, r;
    load(&a, in, "a");
    load(&b, in, "b");
    assert_int_equal(bn_mul(&r, &a, &b), MT_OK);
    expect(&r, json_object_get(test, "out"), "out");
    assert_int_equal(bn_mul(&a, &a, &b), MT_OK); /* output aliasing an input */
    expect(&a, json_object_get(test, "out"), "out");
}

static void run_divmod(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    bn a, b, q, r;
    load(&a, in, "a");
    load(&b, in, "b");
    int err = bn_divmod(&q, &r, &a, &b);
    if (!is_valid(test)) {
        expect_error(test, err);
        return;
    }
    assert_int_equal(err, MT_OK);
    expect(&q, json_object_get(test, "out"), "q");
    expect(&r, json_object_get(test, "out"), "r");
    assert_int_equal(bn_mod(&a, &a, &b), MT_OK);
    expect(&a, json_object_get(test, "out"), "r");
}

static void run_inverse(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    bn a, m, r;
    load(&a, in, "a");
    load(&m, in, "mod");
    int err = bn_mod_inverse(&r, &a, &m);
    if (!is_valid(test)) {
        expect_error(test, err);
        assert_true(bn_is_zero(&r));
        return;
    }
    assert_int_equal(err, MT_OK);
    expect(&r, json_object_get(test, "out"), "out");
}

static void run_file(const char *file, const char *op, tu_vector_fn fn, size_t min)
{
    json_t *f = tu_load_vectors(file);
    assert_true(tu_each_vector(f, op, fn, NULL) >= min);
    json_decref(f);
}

static void test_vectors(void **state)
{
    (void)state;
    run_file("bn_modexp.json", "modexp", run_modexp, 100);
    run_file("bn_mul.json", "bn_mul", run_mul, 50);
    run_file("bn_div.json", "bn_divmod", run_divmod, 50);
    run_file("bn_inverse.json", "mod_inverse", run_inverse, 50);
}

static void test_import_export(void **state)
{
    (void)state;
    bn a;
    uint8_t in[BN_MAX_BYTES + 8] = {0}, out[BN_MAX_BYTES + 8];
    assert_int_equal(bn_from_bytes(&a, in, 0), MT_OK);
    assert_true(bn_is_zero(&a));
    assert_int_equal(bn_from_bytes(&a, in, sizeof in), MT_OK); /* leading zeros of any length */
    assert_true(bn_is_zero(&a));
    in[8] = 1; /* 2^(8 * (BN_MAX_BYTES - 1)): fits */
    assert_int_equal(bn_from_bytes(&a, in, sizeof in), MT_OK);
    assert_int_equal(bn_num_bits(&a), BN_MAX_BITS - 7);
    in[7] = 1; /* one byte over capacity */
    assert_int_equal(bn_from_bytes(&a, in, sizeof in), MT_E_limit_exceeded);
    assert_true(bn_is_zero(&a));
    bn_set_u64(&a, 0x0102);
    assert_int_equal(bn_to_bytes(&a, out, 4), MT_OK); /* leading zeros kept at a fixed width */
    tu_assert_bytes("padded", out, 4, (const uint8_t *)"\x00\x00\x01\x02", 4);
    memset(out, 0xEE, 4);
    assert_int_equal(bn_to_bytes(&a, out, 1), MT_E_no_space);
    assert_int_equal(out[0], 0);
    assert_int_equal(bn_to_bytes(&a, out, 0), MT_E_no_space);
    bn_zero(&a);
    assert_int_equal(bn_to_bytes(&a, out, 0), MT_OK);
    assert_int_equal(bn_num_bytes(&a), 0);
}

static void test_limits_and_errors(void **state)
{
    (void)state;
    bn a, b, r;
    bn_mont ctx;
    uint8_t ff[BN_MAX_BYTES];
    memset(ff, 0xFF, sizeof ff);
    assert_int_equal(bn_from_bytes(&a, ff, sizeof ff), MT_OK);
    bn_set_u64(&b, 1);
    assert_int_equal(bn_add(&r, &a, &b), MT_E_limit_exceeded);
    assert_int_equal(bn_shl(&r, &b, BN_MAX_BITS), MT_E_limit_exceeded);
    assert_int_equal(bn_shl(&r, &b, BN_MAX_BITS - 1), MT_OK);
    assert_int_equal(bn_mul(&r, &a, &a), MT_E_limit_exceeded);
    assert_int_equal(bn_sub(&r, &b, &a), MT_E_bad_argument);
    bn_zero(&b);
    assert_int_equal(bn_divmod(&r, NULL, &a, &b), MT_E_bad_argument);
    assert_int_equal(bn_mod(&r, &a, &b), MT_E_bad_argument);
    uint64_t rem;
    assert_int_equal(bn_mod_u64(&a, 0, &rem), MT_E_bad_argument);
    assert_int_equal(bn_mont_init(&ctx, &b), MT_E_bad_argument); /* zero modulus */
    bn_set_u64(&b, 1);
    assert_int_equal(bn_mont_init(&ctx, &b), MT_E_bad_argument);
    bn_set_u64(&b, 10);
    assert_int_equal(bn_mont_init(&ctx, &b), MT_E_bad_argument);   /* even */
    assert_int_equal(bn_mont_init(&ctx, &a), MT_E_limit_exceeded); /* 8192 bits */
    bn_set_u64(&b, 1000003);
    assert_int_equal(bn_mont_init(&ctx, &b), MT_OK);
    assert_int_equal(bn_mont_reduce(&ctx, &r, &a), MT_E_limit_exceeded);
    bn_set_u64(&b, 1u << 20);
    assert_int_equal(bn_mod_exp_ct(&ctx, &r, &b, &b, 20), MT_E_bad_argument); /* 21-bit exponent */
    assert_int_equal(bn_mod_exp_ct(&ctx, &r, &b, &b, 0), MT_E_bad_argument);
    bn_zero(&b);
    assert_int_equal(bn_mont_inverse_prime(&ctx, &r, &b), MT_E_bad_argument);
    bn_set_u64(&b, 12345);
    assert_int_equal(bn_mont_inverse_prime(&ctx, &r, &b), MT_OK);
    assert_true(bn_get_u64(&r, NULL) * 12345 % 1000003 == 1);
    assert_int_equal(bn_rand_below(&r, &(bn){.top = 0}, bnu_rng()), MT_E_bad_argument);
    assert_int_equal(bn_rand_bits(&r, BN_MAX_BITS + 1, bnu_rng()), MT_E_limit_exceeded);
}

static void test_random(void **state)
{
    (void)state;
    tu_rand_seed(7);
    bn bound, r, lo, hi;
    bn_set_u64(&bound, 1);
    assert_int_equal(bn_rand_below(&r, &bound, bnu_rng()), MT_OK);
    assert_true(bn_is_zero(&r));
    unsigned seen = 0;
    bn_set_u64(&bound, 10);
    for (int i = 0; i < 400; i++) {
        assert_int_equal(bn_rand_below(&r, &bound, bnu_rng()), MT_OK);
        assert_true(bn_cmp(&r, &bound) < 0);
        seen |= 1u << bn_get_u64(&r, NULL);
    }
    assert_int_equal(seen, 0x3FF); /* every value of [0, 10) appears */
    for (int i = 0; i < 200; i++) {
        bnu_random(&hi, bnu_random_bits(4096));
        bn_shr(&lo, &hi, 1 + tu_rand_below(64));
        assert_int_equal(bn_rand_range(&r, &lo, &hi, bnu_rng()), MT_OK);
        assert_true(bn_cmp(&r, &lo) >= 0 && bn_cmp(&r, &hi) <= 0);
        assert_int_equal(bn_rand_bits(&r, 100, bnu_rng()), MT_OK);
        assert_true(bn_num_bits(&r) <= 100);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_import_export),
        cmocka_unit_test(test_limits_and_errors),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
