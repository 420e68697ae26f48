/* Montgomery context and the Montgomery product (CIOS: Koç, Acar, Kaliski, "Analyzing and
 * Comparing Montgomery Multiplication Algorithms", 1996), constant time in the operands and in n
 * for a given size. */
#include <string.h>

#include "common/ct.h"
#include "crypto/bn.h"
#include "crypto/bn_internal.h"
#include "crypto/cpu.h"

/* The CIOS loop for k limbs. Always inlined so the fixed-size wrappers below get constant loop
 * bounds (unrolled, operands kept in registers). */
static inline __attribute__((always_inline)) void mont_mul_core(size_t k, const uint64_t *n,
                                                                uint64_t n0, uint64_t *r,
                                                                const uint64_t *a,
                                                                const uint64_t *b)
{
    uint64_t t[BN_MOD_LIMBS + 2];
    memset(t, 0, (k + 2) * sizeof t[0]);
    for (size_t i = 0; i < k; i++) {
        uint64_t c = 0, bi = b[i];
        for (size_t j = 0; j < k; j++) {
            bn_u128 p = (bn_u128)a[j] * bi + t[j] + c;
            t[j] = (uint64_t)p;
            c = (uint64_t)(p >> 64);
        }
        bn_u128 s = (bn_u128)t[k] + c;
        t[k] = (uint64_t)s;
        t[k + 1] = (uint64_t)(s >> 64);
        uint64_t m = t[0] * n0;
        bn_u128 p = (bn_u128)m * n[0] + t[0];
        c = (uint64_t)(p >> 64);
        for (size_t j = 1; j < k; j++) {
            p = (bn_u128)m * n[j] + t[j] + c;
            t[j - 1] = (uint64_t)p;
            c = (uint64_t)(p >> 64);
        }
        s = (bn_u128)t[k] + c;
        t[k - 1] = (uint64_t)s;
        t[k] = t[k + 1] + (uint64_t)(s >> 64);
    }
    /* t < 2n: subtract n when t >= n, i.e. when t[k] is set or the subtraction does not borrow. */
    uint64_t d[BN_MOD_LIMBS];
    uint64_t bw = bn_limbs_sub(d, t, n, k);
    bn_limbs_select(r, ((uint64_t)0 - t[k]) | (bw - 1), d, t, k);
}

/* Squaring: the k(k-1)/2 cross products once, doubled, plus the diagonal (about 3/4 of the
 * multiplications of a general product), then a separate Montgomery reduction of the 2k-limb
 * square. a < n, so a^2 < n R and the reduced value is < 2n. */
static inline __attribute__((always_inline)) void
mont_sqr_core(size_t k, const uint64_t *n, uint64_t n0, uint64_t *r, const uint64_t *a)
{
    uint64_t t[2 * BN_MOD_LIMBS];
    memset(t, 0, 2 * k * sizeof t[0]);
    for (size_t i = 0; i + 1 < k; i++) {
        uint64_t c = 0, ai = a[i];
        for (size_t j = i + 1; j < k; j++) {
            bn_u128 p = (bn_u128)ai * a[j] + t[i + j] + c;
            t[i + j] = (uint64_t)p;
            c = (uint64_t)(p >> 64);
        }
        t[i + k] = c;
    }
    bn_limbs_double_add_squares(t, a, k);
    uint64_t hi = 0;
    for (size_t i = 0; i < k; i++) { /* Montgomery reduction, one limb at a time */
        uint64_t m = t[i] * n0, c = 0;
        for (size_t j = 0; j < k; j++) {
            bn_u128 p = (bn_u128)m * n[j] + t[i + j] + c;
            t[i + j] = (uint64_t)p;
            c = (uint64_t)(p >> 64);
        }
        bn_u128 s = (bn_u128)t[i + k] + c + hi;
        t[i + k] = (uint64_t)s;
        hi = (uint64_t)(s >> 64);
    }
    uint64_t d[BN_MOD_LIMBS];
    uint64_t bw = bn_limbs_sub(d, t + k, n, k);
    bn_limbs_select(r, ((uint64_t)0 - hi) | (bw - 1), d, t + k, k);
}

/* Fixed sizes: 16 limbs (RSA-2048 CRT primes), 32 (DH-2048, RSA-2048), 64 (4096 bits). */
static void mont_mul_16(const bn_mont *c, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    mont_mul_core(16, c->n, c->n0, r, a, b);
}
static void mont_mul_32(const bn_mont *c, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    mont_mul_core(32, c->n, c->n0, r, a, b);
}
static void mont_sqr_16(const bn_mont *c, uint64_t *r, const uint64_t *a)
{
    mont_sqr_core(16, c->n, c->n0, r, a);
}
static void mont_sqr_32(const bn_mont *c, uint64_t *r, const uint64_t *a)
{
    mont_sqr_core(32, c->n, c->n0, r, a);
}

void bn_mont_mul_limbs(const bn_mont *ctx, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
#if BN_HAVE_ADX
    if (cpu_has(CPU_BMI2_ADX)) {
        bn_mont_mul_adx(ctx, r, a, b);
        return;
    }
#endif
    switch (ctx->nlimbs) {
    case 16:
        mont_mul_16(ctx, r, a, b);
        break;
    case 32:
        mont_mul_32(ctx, r, a, b);
        break;
    default:
        mont_mul_core(ctx->nlimbs, ctx->n, ctx->n0, r, a, b);
        break;
    }
}

void bn_mont_sqr_limbs(const bn_mont *ctx, uint64_t *r, const uint64_t *a)
{
#if BN_HAVE_ADX
    if (cpu_has(CPU_BMI2_ADX)) {
        bn_mont_sqr_adx(ctx, r, a);
        return;
    }
#endif
    switch (ctx->nlimbs) {
    case 16:
        mont_sqr_16(ctx, r, a);
        break;
    case 32:
        mont_sqr_32(ctx, r, a);
        break;
    default:
        mont_sqr_core(ctx->nlimbs, ctx->n, ctx->n0, r, a);
        break;
    }
}

int bn_mont_load_below(const bn_mont *ctx, uint64_t *x, const bn *a)
{
    if (a->top > ctx->nlimbs)
        return MT_E_bad_argument;
    bn_to_limbs(x, a, ctx->nlimbs);
    return bn_limbs_lt_mask(x, ctx->n, ctx->nlimbs) ? MT_OK : MT_E_bad_argument;
}

/* x = 2x mod n for x < n (constant time). */
static void mod_double(const bn_mont *ctx, uint64_t *x)
{
    uint64_t d[BN_MOD_LIMBS];
    uint64_t c = bn_limbs_add(x, x, x, ctx->nlimbs);
    uint64_t bw = bn_limbs_sub(d, x, ctx->n, ctx->nlimbs);
    bn_limbs_select(x, ((uint64_t)0 - c) | (bw - 1), d, x, ctx->nlimbs);
}

/* -n^-1 mod 2^64 for odd n0 by Newton's iteration (each step doubles the correct low bits;
 * x = n is right to 3 bits because n * n = 1 mod 8 for odd n). */
static uint64_t neg_inverse64(uint64_t n)
{
    uint64_t x = n;
    for (int i = 0; i < 5; i++)
        x *= 2 - n * x;
    return (uint64_t)0 - x;
}

int bn_mont_init(bn_mont *ctx, const bn *n)
{
    memset(ctx, 0, sizeof *ctx);
    if (!bn_is_odd(n) || bn_cmp_u64(n, 3) < 0)
        return MT_E_bad_argument;
    if (n->top > BN_MOD_LIMBS)
        return MT_E_limit_exceeded;
    const size_t k = n->top;
    ctx->nlimbs = k;
    ctx->bits = bn_num_bits(n);
    memcpy(ctx->n, n->limb, k * sizeof ctx->n[0]);
    ctx->n0 = neg_inverse64(n->limb[0]);
    /* R mod n: start from 2^(bits-1) < n and double up to 2^(64k) (at most 64 doublings). */
    size_t top_bit = ctx->bits - 1;
    ctx->one[top_bit / 64] = (uint64_t)1 << (top_bit % 64);
    for (size_t i = top_bit; i < 64 * k; i++)
        mod_double(ctx, ctx->one);
    /* R^2 mod n is the Montgomery form of 2^(64k): square-and-double over the public exponent
     * 64k, starting from the Montgomery form of 1 (R mod n). */
    uint64_t x[BN_MOD_LIMBS];
    memcpy(x, ctx->one, k * sizeof x[0]);
    size_t e = 64 * k;
    for (int b = 63 - __builtin_clzll((unsigned long long)e); b >= 0; b--) {
        bn_mont_mul_limbs(ctx, x, x, x);
        if ((e >> b) & 1)
            mod_double(ctx, x);
    }
    memcpy(ctx->rr, x, k * sizeof x[0]);
    ct_wipe(x, sizeof x);
    return MT_OK;
}

void bn_mont_modulus(const bn_mont *ctx, bn *n)
{
    bn_from_limbs(n, ctx->n, ctx->nlimbs);
}

void bn_mont_wipe(bn_mont *ctx)
{
    ct_wipe(ctx, sizeof *ctx);
}

int bn_mont_reduce(const bn_mont *ctx, bn *r, const bn *a)
{
    const size_t k = ctx->nlimbs;
    if (k == 0 || a->top > 2 * k) {
        r->top = 0;
        return k == 0 ? MT_E_bad_argument : MT_E_limit_exceeded;
    }
    /* a = hi * R + lo. mont(lo, R^2) = lo * R and mont(mont(hi, R^2), R^2) = hi * R^2 (mod n):
     * their sum is a * R mod n, and one more Montgomery product by 1 gives a mod n. */
    uint64_t lo[BN_MOD_LIMBS], hi[BN_MOD_LIMBS], one[BN_MOD_LIMBS] = {1}, d[BN_MOD_LIMBS];
    for (size_t i = 0; i < k; i++) {
        lo[i] = i < a->top ? a->limb[i] : 0;
        hi[i] = k + i < a->top ? a->limb[k + i] : 0;
    }
    bn_mont_mul_limbs(ctx, lo, lo, ctx->rr);
    bn_mont_mul_limbs(ctx, hi, hi, ctx->rr);
    bn_mont_mul_limbs(ctx, hi, hi, ctx->rr);
    uint64_t c = bn_limbs_add(lo, lo, hi, k);
    uint64_t bw = bn_limbs_sub(d, lo, ctx->n, k);
    bn_limbs_select(lo, ((uint64_t)0 - c) | (bw - 1), d, lo, k);
    bn_mont_mul_limbs(ctx, lo, lo, one);
    bn_from_limbs(r, lo, k);
    ct_wipe(lo, sizeof lo);
    ct_wipe(hi, sizeof hi);
    ct_wipe(d, sizeof d);
    return MT_OK;
}

int bn_mont_mul(const bn_mont *ctx, bn *r, const bn *a, const bn *b)
{
    uint64_t x[BN_MOD_LIMBS], y[BN_MOD_LIMBS];
    int err = ctx->nlimbs == 0 ? MT_E_bad_argument : bn_mont_load_below(ctx, x, a);
    if (err == MT_OK)
        err = bn_mont_load_below(ctx, y, b);
    if (err == MT_OK) {
        bn_mont_mul_limbs(ctx, x, x, y);       /* a b R^-1 */
        bn_mont_mul_limbs(ctx, x, x, ctx->rr); /* a b */
        bn_from_limbs(r, x, ctx->nlimbs);
    } else {
        r->top = 0;
    }
    ct_wipe(x, sizeof x);
    ct_wipe(y, sizeof y);
    return err;
}
