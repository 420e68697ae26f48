/* Test helpers for the bignum tests: conversion to and from OpenSSL BIGNUM, random values with
 * edge-case bit patterns, and an mt_rng fed by the seeded test randomness. Header-only
 * (static inline) so each test executable takes what it uses. */
#ifndef MTPROOF_TESTS_BNUTIL_H
#define MTPROOF_TESTS_BNUTIL_H

#include <openssl/bn.h>

#include "crypto/bn.h"
#include "crypto/rng.h"
#include "testutil.h"

/* An mt_rng drawing from tu_rand_bytes (deterministic from tu_rand_seed). */
static inline int bnu_rng_fill(mt_rng *self, uint8_t *out, size_t n)
{
    (void)self;
    tu_rand_bytes(out, n);
    return 0;
}
static inline mt_rng *bnu_rng(void)
{
    static mt_rng r = {bnu_rng_fill};
    return &r;
}

static inline BIGNUM *bnu_to_ossl(const bn *a)
{
    static uint8_t buf[BN_MAX_BYTES];
    size_t n = bn_num_bytes(a);
    assert_int_equal(bn_to_bytes(a, buf, n), MT_OK);
    BIGNUM *b = BN_bin2bn(buf, (int)n, NULL);
    assert_non_null(b);
    return b;
}

static inline void bnu_from_ossl(bn *a, const BIGNUM *b)
{
    static uint8_t buf[BN_MAX_BYTES];
    int n = BN_bn2bin(b, buf);
    assert_int_equal(bn_from_bytes(a, buf, (size_t)n), MT_OK);
}

/* Fails with both values in hex when a != b. */
static inline void bnu_assert_eq(const char *what, const bn *a, const BIGNUM *b)
{
    BIGNUM *x = bnu_to_ossl(a);
    if (BN_cmp(x, b) != 0) {
        char *hx = BN_bn2hex(x), *hb = BN_bn2hex(b);
        print_error("%s: ours %s\n  OpenSSL %s\n", what, hx, hb);
        OPENSSL_free(hx);
        OPENSSL_free(hb);
        BN_free(x);
        fail();
    }
    BN_free(x);
}

/* A value of exactly `bits` bits (0 gives zero) whose body is one of several patterns: random,
 * all ones, only the top bit, top bit + 1, sparse, or random with long runs of zero limbs. */
static inline void bnu_random(bn *a, size_t bits)
{
    static uint8_t buf[BN_MAX_BYTES];
    size_t n = (bits + 7) / 8;
    unsigned pattern = (unsigned)tu_rand_below(8);
    for (size_t i = 0; i < n; i++) {
        switch (pattern) {
        case 0:
            buf[i] = 0xFF;
            break;
        case 1:
            buf[i] = 0;
            break;
        case 2:
            buf[i] = i + 1 == n ? 1 : 0;
            break;
        case 3:
            buf[i] = tu_rand_below(8) == 0 ? (uint8_t)tu_rand_u64() : 0;
            break;
        case 4:
            buf[i] = ((i / 8) % 3 == 1) ? 0 : (uint8_t)tu_rand_u64();
            break;
        default:
            buf[i] = (uint8_t)tu_rand_u64();
            break;
        }
    }
    if (n > 0) {
        unsigned extra = (unsigned)(8 * n - bits);
        buf[0] &= (uint8_t)(0xFF >> extra);
        buf[0] |= (uint8_t)(0x80 >> extra);
    }
    assert_int_equal(bn_from_bytes(a, buf, n), MT_OK);
    assert_int_equal(bn_num_bits(a), bits);
}

/* A random size in [1, max_bits], biased toward limb boundaries and small sizes. */
static inline size_t bnu_random_bits(size_t max_bits)
{
    size_t b;
    switch (tu_rand_below(4)) {
    case 0:
        b = 64 * (1 + tu_rand_below(max_bits / 64));
        break;
    case 1:
        b = 64 * (1 + tu_rand_below(max_bits / 64)) - tu_rand_below(3);
        break;
    case 2:
        b = 1 + tu_rand_below(256);
        break;
    default:
        b = 1 + tu_rand_below(max_bits);
        break;
    }
    return b < 1 ? 1 : b > max_bits ? max_bits : b;
}

/* A random odd modulus of exactly `bits` bits (>= 2 bits), so > 2. */
static inline void bnu_random_odd(bn *m, size_t bits)
{
    bnu_random(m, bits < 2 ? 2 : bits);
    if (!bn_is_odd(m))
        assert_int_equal(bn_add_u64(m, m, 1), MT_OK);
    if (bn_num_bits(m) != (bits < 2 ? 2 : bits) || bn_cmp_u64(m, 3) < 0)
        bnu_random_odd(m, bits); /* 0xFF..FF + 1 overflowed, or too small: draw again */
}

#endif
