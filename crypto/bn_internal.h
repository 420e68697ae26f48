/* Limb-level helpers shared by the bn_*.c files (not a public API). */
#ifndef MTPROOF_CRYPTO_BN_INTERNAL_H
#define MTPROOF_CRYPTO_BN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/bn.h"

__extension__ typedef unsigned __int128 bn_u128;

/* Drops leading zero limbs (reveals only how many there are). */
static inline void bn_normalize(bn *a)
{
    while (a->top > 0 && a->limb[a->top - 1] == 0)
        a->top--;
}

/* Sets a from n limbs and normalises. */
static inline void bn_from_limbs(bn *a, const uint64_t *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a->limb[i] = x[i];
    a->top = n;
    bn_normalize(a);
}

/* x[0..n) = a zero-padded to n limbs (a->top <= n is the caller's precondition). */
static inline void bn_to_limbs(uint64_t *x, const bn *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = i < a->top ? a->limb[i] : 0;
}

/* r = a + b over n limbs; returns the carry (0 or 1). r may alias a or b. */
static inline uint64_t bn_limbs_add(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t c = 0;
    for (size_t i = 0; i < n; i++) {
        bn_u128 t = (bn_u128)a[i] + b[i] + c;
        r[i] = (uint64_t)t;
        c = (uint64_t)(t >> 64);
    }
    return c;
}

/* r = a - b over n limbs; returns the borrow (0 or 1). r may alias a or b. */
static inline uint64_t bn_limbs_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t bw = 0;
    for (size_t i = 0; i < n; i++) {
        bn_u128 t = (bn_u128)a[i] - b[i] - bw;
        r[i] = (uint64_t)t;
        bw = (uint64_t)(t >> 64) & 1;
    }
    return bw;
}

/* r = mask ? a : b over n limbs, mask all-ones or zero. */
static inline void bn_limbs_select(uint64_t *r, uint64_t mask, const uint64_t *a, const uint64_t *b,
                                   size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = b[i] ^ (mask & (a[i] ^ b[i]));
}

/* All-ones when a < b over n limbs (constant time). */
static inline uint64_t bn_limbs_lt_mask(const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t bw = 0;
    for (size_t i = 0; i < n; i++) {
        bn_u128 t = (bn_u128)a[i] - b[i] - bw;
        bw = (uint64_t)(t >> 64) & 1;
    }
    return (uint64_t)0 - bw;
}

/* t[0..2k) = 2 t + sum of a[i]^2 at limb 2i: completes a square from its cross products
 * (t must hold sum over i < j of a[i] a[j] at limb i + j, which is < 2^(128k - 1)). */
static inline void bn_limbs_double_add_squares(uint64_t *t, const uint64_t *a, size_t k)
{
    uint64_t top = 0, c = 0;
    for (size_t i = 0; i < 2 * k; i++) {
        uint64_t v = t[i];
        t[i] = (v << 1) | top;
        top = v >> 63;
    }
    for (size_t i = 0; i < k; i++) {
        bn_u128 sq = (bn_u128)a[i] * a[i];
        bn_u128 s = (bn_u128)t[2 * i] + (uint64_t)sq + c;
        t[2 * i] = (uint64_t)s;
        s = (bn_u128)t[2 * i + 1] + (uint64_t)(sq >> 64) + (uint64_t)(s >> 64);
        t[2 * i + 1] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
}

/* Montgomery product r = a * b * R^-1 mod n over ctx->nlimbs limbs (CIOS, constant time).
 * Needs a * b < n * R (e.g. a < R and b < n); the result is < n. r may alias a or b. */
void bn_mont_mul_limbs(const bn_mont *ctx, uint64_t *r, const uint64_t *a, const uint64_t *b);
/* r = a^2 * R^-1 mod n for a < n (dedicated squaring, then Montgomery reduction). */
void bn_mont_sqr_limbs(const bn_mont *ctx, uint64_t *r, const uint64_t *a);
/* Loads a value of at most ctx->nlimbs limbs that must be < n into x: bad_argument otherwise
 * (checked in constant time). */
int bn_mont_load_below(const bn_mont *ctx, uint64_t *x, const bn *a);

/* The MULX/ADCX/ADOX versions of bn_mont_mul_limbs and bn_mont_sqr_limbs (bn_mont_adx.c), same
 * contracts, any nlimbs; call them only when cpu_has(CPU_BMI2_ADX). Built on x86-64 with GCC or
 * Clang inline assembly. */
#if defined(__x86_64__) && defined(__GNUC__)
#define BN_HAVE_ADX 1
void bn_mont_mul_adx(const bn_mont *ctx, uint64_t *r, const uint64_t *a, const uint64_t *b);
void bn_mont_sqr_adx(const bn_mont *ctx, uint64_t *r, const uint64_t *a);
#else
#define BN_HAVE_ADX 0
#endif

/* Radix-2^52 form of a 1024-bit value for the AVX-512 IFMA path (bn_ifma.c): 20 limbs of 52 bits,
 * padded with zero lanes to three 8-lane vectors. */
#define BN_IFMA_LIMBS  20
#define BN_IFMA_LANES  24
#define BN_IFMA_WINDOW 5 /* fixed window of bn_mod_exp_ct_x2: 2^5 table entries */
#define BN_IFMA_TABLE  (1u << BN_IFMA_WINDOW)

/* The two 1024-bit moduli of a dual exponentiation in radix 2^52, and k0 = -n^-1 mod 2^52. */
typedef struct bn_ifma_pair {
    uint64_t n[2][BN_IFMA_LANES];
    uint64_t k0[2];
} bn_ifma_pair;

#if defined(__x86_64__) && defined(__GNUC__)
#define BN_HAVE_IFMA 1
/* r[u] = a[u] b[u] 2^-1040 mod n[u] for u = 0, 1, "almost": r[u] < 2 n[u] and congruent, for
 * a[u], b[u] < 2 n[u] with 52-bit limbs; r has 52-bit limbs. r may alias a or b. Constant time.
 * Call only when cpu_has(CPU_AVX512IFMA). */
void bn_ifma_amm_x2(const bn_ifma_pair *p, uint64_t r[2][BN_IFMA_LANES],
                    const uint64_t a[2][BN_IFMA_LANES], const uint64_t b[2][BN_IFMA_LANES]);
/* out[u] = table[idx[u]][u], every entry read under a mask. */
void bn_ifma_lookup_x2(uint64_t out[2][BN_IFMA_LANES], const uint64_t (*table)[2][BN_IFMA_LANES],
                       const unsigned idx[2]);
/* Radix conversions: 16 limbs of 64 bits <-> 20 limbs of 52 bits (zero lanes above). to64 needs
 * a normalised value below 2^1024. */
void bn_ifma_from64(uint64_t out[BN_IFMA_LANES], const uint64_t in[16]);
void bn_ifma_to64(uint64_t out[16], const uint64_t in[BN_IFMA_LANES]);
/* bn_mod_exp_ct_x2 on the IFMA path: both moduli of 1024 bits, arguments already checked. */
int bn_mod_exp_x2_ifma(const bn_mont *m1, bn *r1, const bn *b1, const bn *e1, const bn_mont *m2,
                       bn *r2, const bn *b2, const bn *e2, size_t exp_bits);
#else
#define BN_HAVE_IFMA 0
#endif

#endif
