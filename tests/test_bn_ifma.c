/* The AVX-512 IFMA dual exponentiation (crypto/bn_ifma.c, crypto/bn_exp_x2.c): the radix-2^52
 * conversions and the almost-Montgomery product against OpenSSL on thousands of random and edge
 * operands, and bn_mod_exp_ct_x2 on both paths (IFMA, and the fallback forced by cpu_set_mask(0))
 * against two bn_mod_exp_ct and against BN_mod_exp: random 1024-bit odd moduli of several shapes,
 * exponents of 1..1024 bits, bases 0, 1, n - 1, n, above n and all-ones. Tests of the IFMA path
 * are skipped on a CPU without AVX-512 IFMA; the fallback is tested everywhere. */
#include "bnutil.h"
#include "crypto/bn_internal.h"
#include "crypto/cpu.h"
#include "testutil.h"

/* Random dual exponentiations per path (most with short exponents: see run_cases). */
#define TEST_X2_CASES 1500

static bool have_ifma(void)
{
    return BN_HAVE_IFMA && cpu_has(CPU_AVX512IFMA);
}

static void need_ifma(void)
{
    if (!have_ifma()) {
        print_message("no AVX-512 IFMA on this CPU (or OS): IFMA path not testable here\n");
        skip();
    }
}

/* a written bit by bit in 52-bit limbs (independent of bn_ifma_from64); a < 2^1040. */
static void to52(uint64_t x[BN_IFMA_LANES], const bn *a)
{
    memset(x, 0, BN_IFMA_LANES * sizeof x[0]);
    for (size_t i = 0; i < 52 * BN_IFMA_LIMBS; i++)
        x[i / 52] |= (uint64_t)bn_bit(a, i) << (i % 52);
}

static BIGNUM *from52(const uint64_t x[BN_IFMA_LANES])
{
    BIGNUM *r = BN_new(), *t = BN_new();
    BN_zero(r);
    for (size_t j = BN_IFMA_LANES; j-- > 0;) {
        assert_true(BN_lshift(r, r, 52) && BN_set_word(t, x[j]) && BN_add(r, r, t));
    }
    BN_free(t);
    return r;
}

/* A value below 2n of one of several shapes: 0, 1, n - 1, n, 2n - 1, 2^1024 - 1, random. */
static void below_2n(bn *x, const bn *n, unsigned shape)
{
    bn two_n;
    assert_int_equal(bn_add(&two_n, n, n), MT_OK);
    switch (shape) {
    case 0:
    case 1:
        bn_set_u64(x, shape);
        return;
    case 2:
    case 3:
        assert_int_equal(bn_sub_u64(x, n, 3 - shape), MT_OK);
        return;
    case 4:
        assert_int_equal(bn_sub_u64(x, &two_n, 1), MT_OK);
        return;
    case 5: /* 2^1024 - 1: every 64-bit limb all-ones, below 2n as n >= 2^1023 */
        bn_zero(x);
        for (size_t i = 0; i < 16; i++)
            x->limb[i] = ~(uint64_t)0;
        x->top = 16;
        return;
    default:
        bnu_random(x, 1 + tu_rand_below(1025));
        assert_int_equal(bn_mod(x, x, &two_n), MT_OK);
        return;
    }
}

#if BN_HAVE_IFMA
/* One 1024-bit odd modulus into slot u of p. */
static void set_pair(bn_ifma_pair *p, int u, const bn *n)
{
    bn_mont m;
    assert_int_equal(bn_mont_init(&m, n), MT_OK);
    to52(p->n[u], n);
    p->k0[u] = m.n0 & 0xFFFFFFFFFFFFFull;
}

/* r = AMM(a, b): 52-bit limbs, zero padding lanes, r < 2n and r 2^1040 = a b (mod n). */
static void check_amm(const bn_ifma_pair *p, const uint64_t r[2][BN_IFMA_LANES],
                      const uint64_t a[2][BN_IFMA_LANES], const uint64_t b[2][BN_IFMA_LANES],
                      BN_CTX *oc)
{
    for (int u = 0; u < 2; u++) {
        for (size_t j = 0; j < BN_IFMA_LANES; j++)
            assert_true(r[u][j] >> (j < BN_IFMA_LIMBS ? 52 : 0) == 0);
        BIGNUM *R = from52(r[u]), *A = from52(a[u]), *B = from52(b[u]), *N = from52(p->n[u]);
        BIGNUM *N2 = BN_new(), *want = BN_new(), *got = BN_new();
        assert_true(BN_lshift1(N2, N) && BN_cmp(R, N2) < 0);
        assert_true(BN_mod_mul(want, A, B, N, oc));
        assert_true(BN_lshift(got, R, 1040) && BN_mod(got, got, N, oc));
        assert_int_equal(BN_cmp(got, want), 0);
        BN_free(R), BN_free(A), BN_free(B), BN_free(N), BN_free(N2), BN_free(want), BN_free(got);
    }
}
#endif

/* The product of the kernel on random and edge operands, two moduli at a time. */
static void test_amm_x2(void **state)
{
    (void)state;
    need_ifma();
#if BN_HAVE_IFMA
    tu_rand_seed(401);
    BN_CTX *oc = BN_CTX_new();
    bn n[2], x;
    bn_ifma_pair p;
    for (int c = 0; c < 2000; c++) {
        if (c % 40 == 0) {
            for (int u = 0; u < 2; u++) {
                bnu_random_odd(&n[u], 1024);
                set_pair(&p, u, &n[u]);
            }
        }
        uint64_t a[2][BN_IFMA_LANES], b[2][BN_IFMA_LANES], r[2][BN_IFMA_LANES];
        for (int u = 0; u < 2; u++) {
            below_2n(&x, &n[u], c < 1000 ? (unsigned)(c / 7) % 7 : 6);
            to52(a[u], &x);
            below_2n(&x, &n[u], c < 1000 ? (unsigned)c % 7 : 6);
            to52(b[u], &x);
        }
        bn_ifma_amm_x2(&p, r, (const uint64_t(*)[BN_IFMA_LANES])a,
                       (const uint64_t(*)[BN_IFMA_LANES])b);
        check_amm(&p, (const uint64_t(*)[BN_IFMA_LANES])r, (const uint64_t(*)[BN_IFMA_LANES])a,
                  (const uint64_t(*)[BN_IFMA_LANES])b, oc);
        /* In place (r aliasing a and b), as the ladder squares: same as into a fresh buffer. */
        bn_ifma_amm_x2(&p, r, (const uint64_t(*)[BN_IFMA_LANES])a,
                       (const uint64_t(*)[BN_IFMA_LANES])a);
        check_amm(&p, (const uint64_t(*)[BN_IFMA_LANES])r, (const uint64_t(*)[BN_IFMA_LANES])a,
                  (const uint64_t(*)[BN_IFMA_LANES])a, oc);
        bn_ifma_amm_x2(&p, a, (const uint64_t(*)[BN_IFMA_LANES])a,
                       (const uint64_t(*)[BN_IFMA_LANES])a);
        assert_memory_equal(a, r, sizeof a);
    }
    BN_CTX_free(oc);
#endif
}

/* bn_ifma_from64 / bn_ifma_to64 against the bit-by-bit conversion, both ways. */
static void test_conversions(void **state)
{
    (void)state;
#if BN_HAVE_IFMA
    tu_rand_seed(402);
    for (int c = 0; c < 2000; c++) {
        bn a;
        bnu_random(&a, c == 0 ? 0 : 1 + tu_rand_below(1024));
        uint64_t x[16], want[BN_IFMA_LANES], got[BN_IFMA_LANES], back[16];
        bn_to_limbs(x, &a, 16);
        to52(want, &a);
        bn_ifma_from64(got, x);
        assert_memory_equal(got, want, sizeof want);
        bn_ifma_to64(back, got);
        assert_memory_equal(back, x, sizeof x);
    }
#else
    skip();
#endif
}

/* A base for modulus n of one of several shapes: 0, 1, n - 1, n, n + 1, all-ones of twice n's
 * limbs (2048 bits for n of 1024), below n, or any width up to that (mostly above n). */
static void random_base(bn *b, const bn *n)
{
    const size_t wide = 2 * n->top; /* limbs: the widest base a modexp accepts */
    switch (tu_rand_below(10)) {
    case 0:
    case 1:
        bn_set_u64(b, tu_rand_below(2));
        break;
    case 2:
        assert_int_equal(bn_sub_u64(b, n, 1), MT_OK);
        break;
    case 3:
        assert_int_equal(bn_add_u64(b, n, tu_rand_below(2)), MT_OK);
        break;
    case 4:
        bn_zero(b);
        for (size_t i = 0; i < wide; i++)
            b->limb[i] = ~(uint64_t)0;
        b->top = wide;
        break;
    case 5:
        bnu_random(b, bn_num_bits(n) - 1);
        break;
    default:
        bnu_random(b, 1 + tu_rand_below(64 * wide));
        break;
    }
}

static void assert_bn_equal(const char *what, const bn *a, const bn *b)
{
    BIGNUM *B = bnu_to_ossl(b);
    bnu_assert_eq(what, a, B);
    BN_free(B);
}

/* One random case: x2 on the path chosen by the current mask, two bn_mod_exp_ct on the portable
 * path, and BN_mod_exp, all equal. */
static void one_case(BN_CTX *oc, const size_t nbits[2], size_t exp_bits)
{
    bn n[2], b[2], e[2], r[2], s[2];
    bn_mont m[2];
    for (int u = 0; u < 2; u++) {
        bnu_random_odd(&n[u], nbits[u]);
        assert_int_equal(bn_mont_init(&m[u], &n[u]), MT_OK);
        random_base(&b[u], &n[u]);
        bnu_random(&e[u], tu_rand_below(5) == 0 ? 0 : 1 + tu_rand_below(exp_bits));
    }
    assert_int_equal(
        bn_mod_exp_ct_x2(&m[0], &r[0], &b[0], &e[0], &m[1], &r[1], &b[1], &e[1], exp_bits), MT_OK);
    uint32_t old = cpu_set_mask(0);
    for (int u = 0; u < 2; u++) {
        assert_int_equal(bn_mod_exp_ct(&m[u], &s[u], &b[u], &e[u], exp_bits), MT_OK);
        assert_bn_equal("x2 vs single", &r[u], &s[u]);
        BIGNUM *B = bnu_to_ossl(&b[u]), *E = bnu_to_ossl(&e[u]), *N = bnu_to_ossl(&n[u]);
        BIGNUM *R = BN_new();
        assert_true(BN_mod_exp(R, B, E, N, oc));
        bnu_assert_eq("x2 vs BN_mod_exp", &r[u], R);
        BN_free(B), BN_free(E), BN_free(N), BN_free(R);
    }
    cpu_set_mask(old);
}

/* Short exponents make most of the cases cheap; every twentieth has exp_bits = 1024 (RSA CRT). */
static void run_cases(int cases, uint64_t seed)
{
    tu_rand_seed(seed);
    BN_CTX *oc = BN_CTX_new();
    const size_t nbits[2] = {1024, 1024};
    for (int c = 0; c < cases; c++) {
        size_t exp_bits = c % 20 == 0   ? 1024
                          : c % 20 == 1 ? bnu_random_bits(1024)
                                        : 1 + tu_rand_below(96);
        one_case(oc, nbits, exp_bits);
    }
    BN_CTX_free(oc);
}

static void test_x2_ifma(void **state)
{
    (void)state;
    need_ifma();
    run_cases(TEST_X2_CASES, 403);
}

static void test_x2_fallback(void **state)
{
    (void)state;
    uint32_t old = cpu_set_mask(0);
    run_cases(TEST_X2_CASES / 4, 404);
    cpu_set_mask(old);
}

/* Moduli that are not both 1024 bits take the fallback even with IFMA, and still agree. */
static void test_x2_other_sizes(void **state)
{
    (void)state;
    tu_rand_seed(405);
    BN_CTX *oc = BN_CTX_new();
    const size_t sizes[][2] = {{1024, 1023}, {1025, 1024}, {512, 1024}, {2048, 2048}, {64, 3}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int c = 0; c < 4; c++)
            one_case(oc, sizes[i], 1 + tu_rand_below(sizes[i][0] < 128 ? 64 : 300));
    BN_CTX_free(oc);
}

/* Bad arguments fail on both paths alike, leaving both results zero. */
static void test_x2_errors(void **state)
{
    (void)state;
    tu_rand_seed(406);
    bn n, b, e, wide, r1, r2;
    bn_mont m, empty = {0};
    bnu_random_odd(&n, 1024);
    assert_int_equal(bn_mont_init(&m, &n), MT_OK);
    bnu_random(&b, 1000);
    bnu_random(&e, 1024);
    bnu_random(&wide, 2049);
    for (int path = 0; path < 2; path++) {
        uint32_t old = cpu_set_mask(path ? ~0u : 0);
        bn_set_u64(&r1, 5);
        bn_set_u64(&r2, 5);
        assert_int_equal(bn_mod_exp_ct_x2(&m, &r1, &b, &e, &m, &r2, &b, &e, 1023),
                         MT_E_bad_argument);
        assert_true(bn_is_zero(&r1) && bn_is_zero(&r2));
        bn_set_u64(&r1, 5);
        assert_int_equal(bn_mod_exp_ct_x2(&m, &r1, &b, &e, &m, &r2, &wide, &e, 1024),
                         MT_E_limit_exceeded);
        assert_true(bn_is_zero(&r1) && bn_is_zero(&r2));
        assert_int_equal(bn_mod_exp_ct_x2(&m, &r1, &b, &e, &m, &r2, &b, &e, 0), MT_E_bad_argument);
        assert_int_equal(bn_mod_exp_ct_x2(&m, &r1, &b, &e, &empty, &r2, &b, &e, 1024),
                         MT_E_bad_argument);
        assert_true(bn_is_zero(&r1) && bn_is_zero(&r2));
        cpu_set_mask(old);
    }
}

/* r1 aliasing the second base and r2 the first exponent (as the RSA CRT shares its input). */
static void test_x2_aliasing(void **state)
{
    (void)state;
    tu_rand_seed(407);
    bn n[2], b[2], e[2], want[2];
    bn_mont m[2];
    for (int u = 0; u < 2; u++) {
        bnu_random_odd(&n[u], 1024);
        assert_int_equal(bn_mont_init(&m[u], &n[u]), MT_OK);
        bnu_random(&b[u], 2000);
        bnu_random(&e[u], 1024);
    }
    for (int path = 0; path < 2; path++) {
        uint32_t old = cpu_set_mask(path ? ~0u : 0);
        for (int u = 0; u < 2; u++)
            assert_int_equal(bn_mod_exp_ct(&m[u], &want[u], &b[u], &e[u], 1024), MT_OK);
        bn x = b[1], y = e[0];
        assert_int_equal(bn_mod_exp_ct_x2(&m[0], &x, &b[0], &y, &m[1], &y, &x, &e[1], 1024), MT_OK);
        assert_bn_equal("r1 aliasing b2", &x, &want[0]);
        assert_bn_equal("r2 aliasing e1", &y, &want[1]);
        cpu_set_mask(old);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conversions),    cmocka_unit_test(test_amm_x2),
        cmocka_unit_test(test_x2_ifma),        cmocka_unit_test(test_x2_fallback),
        cmocka_unit_test(test_x2_other_sizes), cmocka_unit_test(test_x2_errors),
        cmocka_unit_test(test_x2_aliasing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
