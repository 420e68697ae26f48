/* Modular exponentiation in the Montgomery domain: a constant-time fixed window for secret
 * exponents and a sliding window for public ones. */
#include <string.h>

#include "common/ct.h"
#include "crypto/bn.h"
#include "crypto/bn_internal.h"

/* Fixed window width of the constant-time ladder: 2^5 table entries. */
#define CT_WINDOW 5
#define CT_TABLE  (1u << CT_WINDOW)

/* The bits [pos, pos + CT_WINDOW) of e (clipped to n limbs). pos is public. */
static unsigned window_at(const uint64_t *e, size_t elimbs, size_t pos)
{
    size_t l = pos / 64, s = pos % 64;
    uint64_t v = e[l] >> s;
    if (s + CT_WINDOW > 64 && l + 1 < elimbs)
        v |= e[l + 1] << (64 - s);
    return (unsigned)(v & (CT_TABLE - 1));
}

/* out = table[idx], reading every entry under a mask (no secret-dependent index). */
static void ct_lookup(uint64_t *out, const uint64_t (*table)[BN_MOD_LIMBS], unsigned idx, size_t k)
{
    memset(out, 0, k * sizeof out[0]);
    for (unsigned i = 0; i < CT_TABLE; i++) {
        uint64_t mask = (uint64_t)ct_eq32(i, idx) | ((uint64_t)ct_eq32(i, idx) << 32);
        for (size_t j = 0; j < k; j++)
            out[j] |= table[i][j] & mask;
    }
}

/* Loads base (< 2^(128k)) reduced mod n in Montgomery form into x. */
static int load_base(const bn_mont *ctx, uint64_t *x, const bn *base)
{
    bn t;
    int err = bn_mont_reduce(ctx, &t, base);
    if (err == MT_OK) {
        bn_to_limbs(x, &t, ctx->nlimbs);
        bn_mont_mul_limbs(ctx, x, x, ctx->rr);
    }
    bn_wipe(&t);
    return err;
}

/* Writes acc (Montgomery form) out of the domain into r. */
static void store_result(const bn_mont *ctx, bn *r, uint64_t *acc)
{
    uint64_t one[BN_MOD_LIMBS] = {1};
    bn_mont_mul_limbs(ctx, acc, acc, one);
    bn_from_limbs(r, acc, ctx->nlimbs);
}

int bn_mod_exp_ct(const bn_mont *ctx, bn *r, const bn *base, const bn *exp, size_t exp_bits)
{
    const size_t k = ctx->nlimbs;
    if (k == 0 || exp_bits == 0 || exp_bits > BN_MOD_MAX_BITS || bn_num_bits(exp) > exp_bits) {
        r->top = 0;
        return MT_E_bad_argument;
    }
    uint64_t table[CT_TABLE][BN_MOD_LIMBS], acc[BN_MOD_LIMBS], sel[BN_MOD_LIMBS];
    uint64_t e[BN_MOD_LIMBS];
    size_t elimbs = (exp_bits + 63) / 64;
    int err = load_base(ctx, table[1], base);
    if (err != MT_OK) {
        r->top = 0;
        return err;
    }
    bn_to_limbs(e, exp, elimbs);
    memcpy(table[0], ctx->one, k * sizeof table[0][0]);
    for (unsigned i = 2; i < CT_TABLE; i++)
        bn_mont_mul_limbs(ctx, table[i], table[i - 1], table[1]);
    size_t windows = (exp_bits + CT_WINDOW - 1) / CT_WINDOW;
    memcpy(acc, ctx->one, k * sizeof acc[0]);
    for (size_t w = windows; w-- > 0;) {
        if (w + 1 != windows) { /* public: the first window needs no squaring */
            for (int s = 0; s < CT_WINDOW; s++)
                bn_mont_sqr_limbs(ctx, acc, acc);
        }
        ct_lookup(sel, (const uint64_t(*)[BN_MOD_LIMBS])table, window_at(e, elimbs, w * CT_WINDOW),
                  k);
        bn_mont_mul_limbs(ctx, acc, acc, sel);
    }
    store_result(ctx, r, acc);
    ct_wipe(table, sizeof table);
    ct_wipe(acc, sizeof acc);
    ct_wipe(sel, sizeof sel);
    ct_wipe(e, sizeof e);
    return MT_OK;
}

/* Sliding-window width for a public exponent of `bits` bits. */
static unsigned vartime_window(size_t bits)
{
    return bits > 512 ? 5 : bits > 128 ? 4 : bits > 24 ? 3 : 1;
}

int bn_mod_exp_vartime(const bn_mont *ctx, bn *r, const bn *base, const bn *exp)
{
    const size_t k = ctx->nlimbs;
    if (k == 0) {
        r->top = 0;
        return MT_E_bad_argument;
    }
    uint64_t odd[16][BN_MOD_LIMBS], acc[BN_MOD_LIMBS], sq[BN_MOD_LIMBS];
    int err = load_base(ctx, odd[0], base);
    if (err != MT_OK) {
        r->top = 0;
        return err;
    }
    size_t bits = bn_num_bits(exp);
    unsigned w = vartime_window(bits);
    /* odd[i] = base^(2i + 1) */
    bn_mont_sqr_limbs(ctx, sq, odd[0]);
    for (unsigned i = 1; i < (1u << (w - 1)); i++)
        bn_mont_mul_limbs(ctx, odd[i], odd[i - 1], sq);
    memcpy(acc, ctx->one, k * sizeof acc[0]);
    bool started = false;
    for (size_t i = bits; i > 0;) {
        if (!bn_bit(exp, i - 1)) {
            if (started)
                bn_mont_sqr_limbs(ctx, acc, acc);
            i--;
            continue;
        }
        /* The longest window [j, i) of at most w bits that ends in a set bit. */
        size_t j = i >= w ? i - w : 0;
        while (!bn_bit(exp, j))
            j++;
        unsigned val = 0;
        for (size_t b = i; b > j; b--)
            val = (val << 1) | (unsigned)bn_bit(exp, b - 1);
        for (size_t s = 0; started && s < i - j; s++)
            bn_mont_sqr_limbs(ctx, acc, acc);
        if (started)
            bn_mont_mul_limbs(ctx, acc, acc, odd[val >> 1]);
        else
            memcpy(acc, odd[val >> 1], k * sizeof acc[0]);
        started = true;
        i = j;
    }
    store_result(ctx, r, acc);
    ct_wipe(odd, sizeof odd);
    ct_wipe(acc, sizeof acc);
    ct_wipe(sq, sizeof sq);
    return MT_OK;
}

int bn_mont_inverse_prime(const bn_mont *ctx, bn *r, const bn *a)
{
    uint64_t x[BN_MOD_LIMBS];
    bn e, n;
    int err = ctx->nlimbs == 0 ? MT_E_bad_argument : bn_mont_load_below(ctx, x, a);
    if (err == MT_OK && bn_is_zero(a))
        err = MT_E_bad_argument;
    if (err == MT_OK) {
        bn_mont_modulus(ctx, &n);
        err = bn_sub_u64(&e, &n, 2);
    }
    if (err == MT_OK)
        err = bn_mod_exp_ct(ctx, r, a, &e, ctx->bits);
    if (err != MT_OK)
        r->top = 0;
    ct_wipe(x, sizeof x);
    return err;
}
