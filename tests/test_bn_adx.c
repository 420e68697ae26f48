/* The MULX/ADCX/ADOX Montgomery multiply and squaring (crypto/bn_mont_adx.c) against the portable
 * ones (cpu_set_mask(0)) on thousands of random operands of 16 and 32 limbs and of odd sizes, on
 * edge values (0, 1, n - 1, all-ones limbs, moduli that make carries run through every limb),
 * against OpenSSL (the Montgomery product times R is a b mod n), and modexp on both paths against
 * BN_mod_exp. Skipped on a CPU without BMI2 + ADX (the portable path is tested everywhere). */
#include "bnutil.h"
#include "crypto/bn_internal.h"
#include "crypto/cpu.h"
#include "testutil.h"

static const size_t SIZES[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 63, 64};

static void need_adx(void)
{
    if (!BN_HAVE_ADX || !cpu_has(CPU_BMI2_ADX)) {
        print_message("no BMI2 + ADX on this CPU: accelerated path not testable here\n");
        skip();
    }
}

/* A k-limb odd modulus > 3 of one of several shapes; the last shapes make every limb all-ones or
 * nearly so, so that carries and the final subtraction run through every limb. */
static void random_modulus(bn_mont *ctx, size_t k, unsigned shape)
{
    bn n = {.top = k};
    for (size_t i = 0; i < k; i++) {
        uint64_t r = tu_rand_u64();
        n.limb[i] = shape == 2 ? ~(uint64_t)0 : shape == 3 ? (i + 1 == k ? 1ull << 63 : 0) : r;
    }
    if (shape == 1 && k > 1)
        n.limb[k - 1] = (tu_rand_u64() >> 40) | 1; /* a short top limb */
    else if (shape != 2 && shape != 3)
        n.limb[k - 1] |= 1ull << 63;
    n.limb[0] |= 1;
    if (k == 1 && n.limb[0] < 5)
        n.limb[0] = 5;
    assert_int_equal(bn_mont_init(ctx, &n), MT_OK);
}

/* x = a value below n: random, one of the edge values, or all-ones limbs under n's top limb. */
static void random_below(const bn_mont *ctx, uint64_t *x, unsigned shape)
{
    const size_t k = ctx->nlimbs;
    for (size_t i = 0; i < k; i++)
        x[i] = shape == 0 ? 0 : shape == 4 ? ~(uint64_t)0 : tu_rand_u64();
    if (shape == 1 || shape == 2) { /* 1, or n - 1 */
        for (size_t i = 0; i < k; i++)
            x[i] = shape == 1 ? (i == 0) : ctx->n[i] - (i == 0);
        return;
    }
    if (shape == 3) { /* R mod n, the Montgomery form of 1 */
        memcpy(x, ctx->one, k * sizeof x[0]);
        return;
    }
    if (!bn_limbs_lt_mask(x, ctx->n, k))
        x[k - 1] = ctx->n[k - 1] - 1; /* n's top limb is nonzero; lower limbs stay as drawn */
    if (!bn_limbs_lt_mask(x, ctx->n, k))
        x[k - 1] = 0;
}

/* Both paths give the same product and square, and mul(a, a) equals sqr(a). */
static void compare_paths(const bn_mont *ctx, const uint64_t *a, const uint64_t *b)
{
    const size_t k = ctx->nlimbs;
    uint64_t p0[BN_MOD_LIMBS], p1[BN_MOD_LIMBS], s0[BN_MOD_LIMBS], s1[BN_MOD_LIMBS];
    uint32_t old = cpu_set_mask(0);
    bn_mont_mul_limbs(ctx, p0, a, b);
    bn_mont_sqr_limbs(ctx, s0, a);
    cpu_set_mask(old); /* all features: bn_mont_*_limbs dispatch to the ADX versions */
    bn_mont_mul_limbs(ctx, p1, a, b);
    bn_mont_sqr_limbs(ctx, s1, a);
    assert_memory_equal(p0, p1, k * sizeof p0[0]);
    assert_memory_equal(s0, s1, k * sizeof s0[0]);
    assert_true(bn_limbs_lt_mask(p1, ctx->n, k) != 0);
    bn_mont_mul_limbs(ctx, p1, a, a);
    assert_memory_equal(p1, s1, k * sizeof s1[0]);
}

static void test_random_operands(void **state)
{
    (void)state;
    need_adx();
    tu_rand_seed(301);
    for (size_t si = 0; si < sizeof SIZES / sizeof SIZES[0]; si++) {
        const size_t k = SIZES[si];
        int cases = (k == 16 || k == 32) ? 3000 : 400;
        bn_mont ctx;
        for (int c = 0; c < cases; c++) {
            if (c % 50 == 0)
                random_modulus(&ctx, k, (unsigned)(c / 50) % 5);
            uint64_t a[BN_MOD_LIMBS], b[BN_MOD_LIMBS];
            random_below(&ctx, a, (unsigned)tu_rand_below(12));
            random_below(&ctx, b, (unsigned)tu_rand_below(12));
            compare_paths(&ctx, a, b);
        }
    }
}

/* Every pair of edge operands on every modulus shape. */
static void test_edge_values(void **state)
{
    (void)state;
    need_adx();
    tu_rand_seed(302);
    for (size_t si = 0; si < sizeof SIZES / sizeof SIZES[0]; si++) {
        for (unsigned ms = 0; ms < 5; ms++) {
            bn_mont ctx;
            random_modulus(&ctx, SIZES[si], ms);
            for (unsigned x = 0; x < 5; x++) {
                for (unsigned y = 0; y < 5; y++) {
                    uint64_t a[BN_MOD_LIMBS], b[BN_MOD_LIMBS];
                    random_below(&ctx, a, x);
                    random_below(&ctx, b, y);
                    compare_paths(&ctx, a, b);
                }
            }
        }
    }
}

/* The accelerated product against OpenSSL: mont(a, b) * R = a b (mod n). */
static void test_against_openssl(void **state)
{
    (void)state;
    need_adx();
    tu_rand_seed(303);
    BN_CTX *oc = BN_CTX_new();
    for (int c = 0; c < 600; c++) {
        const size_t k = SIZES[(size_t)c % (sizeof SIZES / sizeof SIZES[0])];
        bn_mont ctx;
        random_modulus(&ctx, k, (unsigned)tu_rand_below(5));
        uint64_t a[BN_MOD_LIMBS], b[BN_MOD_LIMBS], p[BN_MOD_LIMBS];
        random_below(&ctx, a, (unsigned)tu_rand_below(12));
        random_below(&ctx, b, (unsigned)tu_rand_below(12));
        bn_mont_mul_limbs(&ctx, p, a, b);
        bn x, y, z, n;
        bn_from_limbs(&x, a, k);
        bn_from_limbs(&y, b, k);
        bn_from_limbs(&z, p, k);
        bn_mont_modulus(&ctx, &n);
        BIGNUM *X = bnu_to_ossl(&x), *Y = bnu_to_ossl(&y), *Z = bnu_to_ossl(&z);
        BIGNUM *N = bnu_to_ossl(&n), *want = BN_new(), *got = BN_new();
        assert_true(BN_mod_mul(want, X, Y, N, oc));
        assert_true(BN_lshift(got, Z, (int)(64 * k)) && BN_mod(got, got, N, oc));
        assert_int_equal(BN_cmp(got, want), 0);
        BN_free(X);
        BN_free(Y);
        BN_free(Z);
        BN_free(N);
        BN_free(want);
        BN_free(got);
    }
    BN_CTX_free(oc);
}

/* bn_mod_exp_ct on both paths equals BN_mod_exp at 1024 and 2048 bits (the RSA-2048 CRT half
 * and the DH size). */
static void test_modexp_paths(void **state)
{
    (void)state;
    need_adx();
    tu_rand_seed(304);
    BN_CTX *oc = BN_CTX_new();
    for (int c = 0; c < 12; c++) {
        size_t bits = c % 2 ? 2048 : 1024;
        bn m, base, e, r0, r1;
        bnu_random_odd(&m, bits);
        bnu_random(&base, bits - 1);
        bnu_random(&e, bits);
        bn_mont ctx;
        assert_int_equal(bn_mont_init(&ctx, &m), MT_OK);
        uint32_t old = cpu_set_mask(0);
        assert_int_equal(bn_mod_exp_ct(&ctx, &r0, &base, &e, bits), MT_OK);
        cpu_set_mask(old);
        assert_int_equal(bn_mod_exp_ct(&ctx, &r1, &base, &e, bits), MT_OK);
        BIGNUM *B = bnu_to_ossl(&base), *E = bnu_to_ossl(&e), *M = bnu_to_ossl(&m), *R = BN_new();
        assert_true(BN_mod_exp(R, B, E, M, oc));
        bnu_assert_eq("modexp portable", &r0, R);
        bnu_assert_eq("modexp adx", &r1, R);
        BN_free(B);
        BN_free(E);
        BN_free(M);
        BN_free(R);
    }
    BN_CTX_free(oc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_operands),
        cmocka_unit_test(test_edge_values),
        cmocka_unit_test(test_against_openssl),
        cmocka_unit_test(test_modexp_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
