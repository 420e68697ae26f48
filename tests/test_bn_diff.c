/* Differential tests of crypto/bn against OpenSSL BN on thousands of random cases of random sizes:
 * add/sub/shift, mul, divmod, modexp (constant-time and variable-time), inverse, gcd, Montgomery
 * reduction and multiplication, modular add/sub. */
#include "bnutil.h"
#include "testutil.h"

static BN_CTX *ctx_ossl;

static int setup(void **state)
{
    (void)state;
    ctx_ossl = BN_CTX_new();
    return ctx_ossl == NULL;
}

static int teardown(void **state)
{
    (void)state;
    BN_CTX_free(ctx_ossl);
    return 0;
}

static void test_add_sub_shift(void **state)
{
    (void)state;
    tu_rand_seed(101);
    for (int i = 0; i < 3000; i++) {
        bn a, b, r;
        bnu_random(&a, bnu_random_bits(BN_MAX_BITS - 1));
        bnu_random(&b, bnu_random_bits(BN_MAX_BITS - 1));
        BIGNUM *x = bnu_to_ossl(&a), *y = bnu_to_ossl(&b), *z = BN_new();
        assert_int_equal(bn_add(&r, &a, &b), MT_OK);
        BN_add(z, x, y);
        bnu_assert_eq("add", &r, z);
        int c = BN_cmp(x, y);
        assert_int_equal(bn_cmp(&a, &b), c);
        if (c >= 0) {
            assert_int_equal(bn_sub(&r, &a, &b), MT_OK);
            BN_sub(z, x, y);
            bnu_assert_eq("sub", &r, z);
        } else {
            assert_int_equal(bn_sub(&r, &a, &b), MT_E_bad_argument);
        }
        size_t s = tu_rand_below(300);
        bn_shr(&r, &a, s);
        BN_rshift(z, x, (int)s);
        bnu_assert_eq("shr", &r, z);
        if (bn_num_bits(&a) + s <= BN_MAX_BITS) {
            assert_int_equal(bn_shl(&r, &a, s), MT_OK);
            BN_lshift(z, x, (int)s);
            bnu_assert_eq("shl", &r, z);
        } else {
            assert_int_equal(bn_shl(&r, &a, s), MT_E_limit_exceeded);
        }
        BN_free(x);
        BN_free(y);
        BN_free(z);
    }
}

static void test_mul_divmod(void **state)
{
    (void)state;
    tu_rand_seed(102);
    for (int i = 0; i < 3000; i++) {
        bn a, b, p, q, r;
        bnu_random(&a, bnu_random_bits(BN_MOD_MAX_BITS));
        bnu_random(&b, bnu_random_bits(BN_MOD_MAX_BITS));
        BIGNUM *x = bnu_to_ossl(&a), *y = bnu_to_ossl(&b), *z = BN_new(), *w = BN_new();
        assert_int_equal(bn_mul(&p, &a, &b), MT_OK);
        BN_mul(z, x, y, ctx_ossl);
        bnu_assert_eq("mul", &p, z);
        /* divide the product plus a random addend by a random divisor */
        bn d, addend;
        bnu_random(&d, bnu_random_bits(BN_MOD_MAX_BITS));
        bnu_random(&addend, bnu_random_bits(bn_num_bits(&d)));
        assert_int_equal(bn_add(&p, &p, &addend), MT_OK);
        BIGNUM *n = bnu_to_ossl(&p), *dv = bnu_to_ossl(&d);
        assert_int_equal(bn_divmod(&q, &r, &p, &d), MT_OK);
        BN_div(z, w, n, dv, ctx_ossl);
        bnu_assert_eq("div q", &q, z);
        bnu_assert_eq("div r", &r, w);
        uint64_t m = tu_rand_u64() | 1, rem;
        assert_int_equal(bn_mod_u64(&p, m, &rem), MT_OK);
        assert_true(rem == BN_mod_word(n, m));
        BN_free(x);
        BN_free(y);
        BN_free(z);
        BN_free(w);
        BN_free(n);
        BN_free(dv);
    }
}

/* One modexp case of the given sizes, both our ladders against BN_mod_exp. */
static void modexp_case(size_t mod_bits, size_t exp_bits)
{
    bn m, base, e, r;
    bn_mont mont;
    bnu_random_odd(&m, mod_bits);
    bnu_random(&base, bnu_random_bits(2 * mod_bits > BN_MAX_BITS ? BN_MAX_BITS : 2 * mod_bits));
    bnu_random(&e, exp_bits);
    assert_int_equal(bn_mont_init(&mont, &m), MT_OK);
    BIGNUM *M = bnu_to_ossl(&m), *B = bnu_to_ossl(&base), *E = bnu_to_ossl(&e), *Z = BN_new();
    BN_mod_exp(Z, B, E, M, ctx_ossl);
    if (base.top <= 2 * mont.nlimbs) {
        assert_int_equal(bn_mod_exp_ct(&mont, &r, &base, &e, exp_bits ? exp_bits : 1), MT_OK);
        bnu_assert_eq("modexp ct", &r, Z);
        assert_int_equal(bn_mod_exp_vartime(&mont, &r, &base, &e), MT_OK);
        bnu_assert_eq("modexp vartime", &r, Z);
    } else {
        assert_int_equal(bn_mod_exp_ct(&mont, &r, &base, &e, 64), MT_E_limit_exceeded);
    }
    BN_free(M);
    BN_free(B);
    BN_free(E);
    BN_free(Z);
}

static void test_modexp(void **state)
{
    (void)state;
    tu_rand_seed(103);
    for (int i = 0; i < 400; i++) /* small and medium sizes, full-size exponents */
        modexp_case(bnu_random_bits(1024), bnu_random_bits(1024));
    for (int i = 0; i < 6; i++) /* the sizes that matter: 2048 (DH, RSA) and 4096 */
        modexp_case(i < 4 ? 2048 : 4096, tu_rand_below(2) ? 2048 : 64);
    for (int i = 0; i < 200; i++) /* short exponents, including 0 and 1 */
        modexp_case(bnu_random_bits(4096), tu_rand_below(3));
}

static void test_inverse_gcd(void **state)
{
    (void)state;
    tu_rand_seed(104);
    for (int i = 0; i < 1500; i++) {
        bn a, m, r;
        bnu_random(&m, bnu_random_bits(2048) + 1);
        bnu_random(&a, bnu_random_bits(2048));
        if (i % 4 == 0) /* force a common factor now and then */
            assert_int_equal(bn_mul_u64(&a, &a, 2 + tu_rand_below(6)), MT_OK);
        BIGNUM *A = bnu_to_ossl(&a), *M = bnu_to_ossl(&m), *Z = BN_new();
        BN_gcd(Z, A, M, ctx_ossl);
        assert_int_equal(bn_gcd(&r, &a, &m), MT_OK);
        bnu_assert_eq("gcd", &r, Z);
        int invertible = BN_is_one(Z);
        int err = bn_mod_inverse(&r, &a, &m);
        if (invertible && !BN_is_one(M)) {
            assert_int_equal(err, MT_OK);
            assert_non_null(BN_mod_inverse(Z, A, M, ctx_ossl));
            bnu_assert_eq("inverse", &r, Z);
        } else if (BN_is_one(M)) {
            assert_int_equal(err, MT_E_bad_argument);
        } else {
            assert_int_equal(err, MT_E_not_invertible);
        }
        BN_free(A);
        BN_free(M);
        BN_free(Z);
    }
}

static void test_mont_helpers(void **state)
{
    (void)state;
    tu_rand_seed(105);
    for (int i = 0; i < 1500; i++) {
        bn m, a, b, r, mm;
        bn_mont mont;
        size_t bits = bnu_random_bits(BN_MOD_MAX_BITS);
        bnu_random_odd(&m, bits);
        assert_int_equal(bn_mont_init(&mont, &m), MT_OK);
        bn_mont_modulus(&mont, &mm);
        assert_int_equal(bn_cmp(&mm, &m), 0);
        bnu_random(
            &a, bnu_random_bits(128 * mont.nlimbs > BN_MAX_BITS ? BN_MAX_BITS : 128 * mont.nlimbs));
        BIGNUM *M = bnu_to_ossl(&m), *A = bnu_to_ossl(&a), *Z = BN_new(), *B = NULL;
        assert_int_equal(bn_mont_reduce(&mont, &r, &a), MT_OK);
        BN_mod(Z, A, M, ctx_ossl);
        bnu_assert_eq("mont_reduce", &r, Z);
        bn_copy(&a, &r);
        bnu_random(&b, bnu_random_bits(bits));
        assert_int_equal(bn_mod(&b, &b, &m), MT_OK);
        BN_free(A);
        A = bnu_to_ossl(&a);
        B = bnu_to_ossl(&b);
        assert_int_equal(bn_mont_mul(&mont, &r, &a, &b), MT_OK);
        BN_mod_mul(Z, A, B, M, ctx_ossl);
        bnu_assert_eq("mont_mul", &r, Z);
        assert_int_equal(bn_mod_add(&r, &a, &b, &m), MT_OK);
        BN_mod_add(Z, A, B, M, ctx_ossl);
        bnu_assert_eq("mod_add", &r, Z);
        assert_int_equal(bn_mod_sub(&r, &a, &b, &m), MT_OK);
        BN_mod_sub(Z, A, B, M, ctx_ossl);
        bnu_assert_eq("mod_sub", &r, Z);
        assert_int_equal(bn_mod_mul(&r, &a, &b, &m), MT_OK);
        BN_mod_mul(Z, A, B, M, ctx_ossl);
        bnu_assert_eq("mod_mul", &r, Z);
        assert_int_equal(bn_mont_mul(&mont, &r, &m, &b), MT_E_bad_argument);
        assert_int_equal(bn_mod_add(&r, &a, &m, &m), MT_E_bad_argument);
        BN_free(M);
        BN_free(A);
        BN_free(B);
        BN_free(Z);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_sub_shift), cmocka_unit_test(test_mul_divmod),
        cmocka_unit_test(test_modexp),        cmocka_unit_test(test_inverse_gcd),
        cmocka_unit_test(test_mont_helpers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
