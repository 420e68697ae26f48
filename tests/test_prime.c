/* crypto/prime: trial division and Miller–Rabin on known primes and composites (Carmichael
 * numbers, strong pseudoprimes to small bases), agreement with OpenSSL's BN_check_prime, the
 * safe-prime test (Telegram's dh_prime really is a safe prime), prime generation and the cache. */
#include "bnutil.h"
#include "crypto/prime.h"
#include "testutil.h"

static bool probable(const bn *n, unsigned rounds)
{
    bool r = false;
    assert_int_equal(prime_is_probable(n, rounds, bnu_rng(), &r), MT_OK);
    return r;
}

static bool probable_hex(const char *hex, unsigned rounds)
{
    tu_buf b = tu_hex(hex);
    bn n;
    assert_int_equal(bn_from_bytes(&n, b.p, b.len), MT_OK);
    tu_free(&b);
    return probable(&n, rounds);
}

static void test_small_numbers_exact(void **state)
{
    (void)state;
    tu_rand_seed(1);
    static bool composite[70000];
    for (uint64_t i = 2; i < 70000; i++)
        for (uint64_t j = i * i; j < 70000 && !composite[i]; j += i)
            composite[j] = true;
    for (uint64_t v = 0; v < 70000; v++) {
        bn n;
        bn_set_u64(&n, v);
        assert_int_equal(probable(&n, 1), v >= 2 && !composite[v]);
    }
}

static void test_pseudoprimes_are_composite(void **state)
{
    (void)state;
    tu_rand_seed(2);
    /* Carmichael numbers (Fermat liars for every coprime base) and strong pseudoprimes. */
    static const uint64_t small[] = {561,
                                     1105,
                                     1729,
                                     2465,
                                     2821,
                                     6601,
                                     8911,
                                     41041,
                                     825265,
                                     321197185,
                                     2047,
                                     3277,
                                     4033,
                                     4681,
                                     8321,
                                     1373653,
                                     25326001,
                                     3215031751ull,
                                     2152302898747ull,
                                     3474749660383ull,
                                     341550071728321ull,
                                     3825123056546413051ull /* spsp to bases 2..23 */};
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++) {
        bn n;
        bn_set_u64(&n, small[i]);
        assert_false(probable(&n, 20));
    }
    /* Chernick Carmichael (6k+1)(12k+1)(18k+1), k = 10^20 + ..., three 67-70-bit primes: no
     * small factor, so Miller–Rabin itself must catch it. */
    assert_false(probable_hex("032680b630d77c8a82be8fd6880b42c88aa160f11403e48530ec01", 20));
    /* Mersenne primes 2^127 - 1 and 2^521 - 1; 2^128 + 1 is composite (Fermat F7). */
    assert_true(probable_hex("7fffffffffffffffffffffffffffffff", 20));
    assert_false(probable_hex("0100000000000000000000000000000001", 20));
    bn m;
    bn_set_u64(&m, 1);
    assert_int_equal(bn_shl(&m, &m, 521), MT_OK);
    assert_int_equal(bn_sub_u64(&m, &m, 1), MT_OK);
    assert_true(probable(&m, 10));
    assert_int_equal(bn_sub_u64(&m, &m, 2), MT_OK); /* 2^521 - 3 */
    bool r;
    assert_int_equal(prime_is_probable(&m, PRIME_MR_ROUNDS_MAX + 1, bnu_rng(), &r),
                     MT_E_bad_argument);
}

static void test_agrees_with_openssl(void **state)
{
    (void)state;
    tu_rand_seed(3);
    BN_CTX *c = BN_CTX_new();
    int primes = 0;
    for (int i = 0; i < 1500; i++) {
        bn n;
        bnu_random(&n, 24 + tu_rand_below(300));
        if (!bn_is_odd(&n))
            assert_int_equal(bn_add_u64(&n, &n, 1), MT_OK);
        BIGNUM *x = bnu_to_ossl(&n);
        int want = BN_check_prime(x, c, NULL);
        assert_int_equal(probable(&n, 0), want);
        primes += want;
        BN_free(x);
    }
    assert_true(primes > 5);
    BN_CTX_free(c);
}

static void test_safe_primes(void **state)
{
    (void)state;
    tu_rand_seed(4);
    prime_safety v;
    bn p;
    static const struct {
        uint64_t n;
        prime_safety want;
    } cases[] = {{5, PRIME_SAFE},
                 {7, PRIME_SAFE},
                 {23, PRIME_SAFE},
                 {2039, PRIME_SAFE},
                 {13, PRIME_NOT_SAFE},
                 {29, PRIME_NOT_SAFE},
                 {2, PRIME_NOT_SAFE},
                 {15, PRIME_NOT_PRIME},
                 {561, PRIME_NOT_PRIME},
                 {1000000007, PRIME_SAFE},
                 {1000000009, PRIME_NOT_SAFE}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bn_set_u64(&p, cases[i].n);
        assert_int_equal(prime_check_safe(&p, 10, bnu_rng(), &v), MT_OK);
        assert_int_equal(v, cases[i].want);
    }
    /* Telegram's dh_prime: a 2048-bit safe prime (the claim the cache rests on). */
    assert_int_equal(bn_from_bytes(&p, PRIME_TELEGRAM_DH, 256), MT_OK);
    assert_int_equal(bn_num_bits(&p), 2048);
    assert_int_equal(prime_check_safe(&p, 16, bnu_rng(), &v), MT_OK);
    assert_int_equal(v, PRIME_SAFE);
    BIGNUM *x = bnu_to_ossl(&p);
    BN_CTX *c = BN_CTX_new();
    assert_int_equal(BN_check_prime(x, c, NULL), 1);
    BN_rshift1(x, x);
    assert_int_equal(BN_check_prime(x, c, NULL), 1);
    BN_free(x);
    BN_CTX_free(c);
    assert_int_equal(bn_add_u64(&p, &p, 2), MT_OK);
    assert_int_equal(prime_check_safe(&p, 16, bnu_rng(), &v), MT_OK);
    assert_int_equal(v, PRIME_NOT_PRIME);
}

static void test_generate(void **state)
{
    (void)state;
    tu_rand_seed(5);
    BN_CTX *c = BN_CTX_new();
    static const size_t sizes[] = {16, 17, 64, 100, 256, 512, 1024};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        bn p;
        assert_int_equal(prime_generate(&p, sizes[i], 0, bnu_rng()), MT_OK);
        assert_int_equal(bn_num_bits(&p), sizes[i]);
        assert_true(bn_bit(&p, sizes[i] - 2)); /* top two bits set */
        BIGNUM *x = bnu_to_ossl(&p);
        assert_int_equal(BN_check_prime(x, c, NULL), 1);
        BN_free(x);
    }
    bn p;
    assert_int_equal(prime_generate(&p, 15, 0, bnu_rng()), MT_E_bad_argument);
    assert_int_equal(prime_generate(&p, 4097, 0, bnu_rng()), MT_E_bad_argument);
    BN_CTX_free(c);
}

static void test_cache(void **state)
{
    (void)state;
    prime_cache cache;
    prime_cache_init(&cache);
    uint8_t p[256];
    memcpy(p, PRIME_TELEGRAM_DH, 256);
    assert_true(prime_cache_has(NULL, p));
    assert_true(prime_cache_has(&cache, p));
    uint8_t zero[256] = {0};
    assert_false(prime_cache_has(&cache, zero)); /* empty slots never match */
    for (int i = 0; i < 256; i += 37) {          /* one changed bit anywhere: not known */
        p[i] ^= 0x10;
        assert_false(prime_cache_has(&cache, p));
        p[i] ^= 0x10;
    }
    uint8_t others[PRIME_CACHE_SLOTS + 2][256];
    for (int i = 0; i < PRIME_CACHE_SLOTS + 2; i++) {
        memset(others[i], 0x80 + i, 256);
        prime_cache_add(&cache, others[i]);
        prime_cache_add(&cache, others[i]); /* no duplicates */
    }
    assert_int_equal(cache.count, PRIME_CACHE_SLOTS);
    assert_false(prime_cache_has(&cache, others[0])); /* the oldest two were replaced */
    assert_false(prime_cache_has(&cache, others[1]));
    for (int i = 2; i < PRIME_CACHE_SLOTS + 2; i++)
        assert_true(prime_cache_has(&cache, others[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_numbers_exact),
        cmocka_unit_test(test_pseudoprimes_are_composite),
        cmocka_unit_test(test_agrees_with_openssl),
        cmocka_unit_test(test_safe_primes),
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
