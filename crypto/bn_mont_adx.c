/* Montgomery multiplication and squaring for x86-64 CPUs with BMI2 (MULX) and ADX (ADCX/ADOX),
 * chosen at run time (cpu_has(CPU_BMI2_ADX)). The inner step is one row "t += a * b" with two
 * independent carry chains: ADCX adds the low product halves through CF, ADOX the high halves of
 * the previous limb through OF, and MULX touches no flags (Intel, "New Instructions Supporting
 * Large Integer Arithmetic on Intel Architecture Processors", 2012). Every loop bound is a public
 * size (the limb count of the modulus); no branch or address depends on the values. */
#include "crypto/bn_internal.h"

#if BN_HAVE_ADX

#include <string.h>

/* t[0..k) += a[0..k) * b; returns the carry limb (the sum fits in k + 1 limbs). Four limbs per
 * loop turn, then the k % 4 remaining ones. The loop counters use LEA and JRCXZ, which leave CF
 * and OF alone, so both carry chains run through the whole row. */
static uint64_t adx_addmul_row(uint64_t *t, const uint64_t *a, uint64_t b, size_t k)
{
    uint64_t lo, hi, hi2, zero;
    size_t quads = k / 4, rest = k % 4;
    __asm__ volatile(
        "xor %k[z], %k[z]\n\t" /* zero; clears CF and OF */
        "mov %[z], %[h]\n\t"
        "mov %[q], %%rcx\n\t"
        "jrcxz 2f\n"
        "1:\n\t"
        "mulx 0(%[a]), %[lo], %[h2]\n\t"
        "adcx 0(%[t]), %[lo]\n\t"
        "adox %[h], %[lo]\n\t"
        "mov %[lo], 0(%[t])\n\t"
        "mulx 8(%[a]), %[lo], %[h]\n\t"
        "adcx 8(%[t]), %[lo]\n\t"
        "adox %[h2], %[lo]\n\t"
        "mov %[lo], 8(%[t])\n\t"
        "mulx 16(%[a]), %[lo], %[h2]\n\t"
        "adcx 16(%[t]), %[lo]\n\t"
        "adox %[h], %[lo]\n\t"
        "mov %[lo], 16(%[t])\n\t"
        "mulx 24(%[a]), %[lo], %[h]\n\t"
        "adcx 24(%[t]), %[lo]\n\t"
        "adox %[h2], %[lo]\n\t"
        "mov %[lo], 24(%[t])\n\t"
        "lea 32(%[a]), %[a]\n\t"
        "lea 32(%[t]), %[t]\n\t"
        "lea -1(%%rcx), %%rcx\n\t"
        "jrcxz 2f\n\t"
        "jmp 1b\n"
        "2:\n\t"
        "mov %[r], %%rcx\n\t"
        "jrcxz 4f\n"
        "3:\n\t"
        "mulx 0(%[a]), %[lo], %[h2]\n\t"
        "adcx 0(%[t]), %[lo]\n\t"
        "adox %[h], %[lo]\n\t"
        "mov %[lo], 0(%[t])\n\t"
        "mov %[h2], %[h]\n\t"
        "lea 8(%[a]), %[a]\n\t"
        "lea 8(%[t]), %[t]\n\t"
        "lea -1(%%rcx), %%rcx\n\t"
        "jrcxz 4f\n\t"
        "jmp 3b\n"
        "4:\n\t"
        "adcx %[z], %[h]\n\t"
        "adox %[z], %[h]\n\t"
        : [t] "+r"(t), [a] "+r"(a), [lo] "=&r"(lo), [h] "=&r"(hi), [h2] "=&r"(hi2), [z] "=&r"(zero)
        : [q] "r"(quads), [r] "r"(rest), "d"(b)
        : "rcx", "cc", "memory");
    return hi;
}

/* Two limbs of a fully unrolled row at byte offsets o and o8 of t and a: the high half of the
 * previous limb's product comes in through register h and leaves through h again. */
#define ADX_PAIR(o, o8)                                                                            \
    "mulx " o "(%[a]), %[lo], %[h2]\n\t"                                                           \
    "adcx " o "(%[t]), %[lo]\n\t"                                                                  \
    "adox %[h], %[lo]\n\t"                                                                         \
    "mov %[lo], " o "(%[t])\n\t"                                                                   \
    "mulx " o8 "(%[a]), %[lo], %[h]\n\t"                                                           \
    "adcx " o8 "(%[t]), %[lo]\n\t"                                                                 \
    "adox %[h2], %[lo]\n\t"                                                                        \
    "mov %[lo], " o8 "(%[t])\n\t"
#define ADX_ROW16(b)                                                                               \
    ADX_PAIR(b "+0", b "+8")                                                                       \
    ADX_PAIR(b "+16", b "+24")                                                                     \
    ADX_PAIR(b "+32", b "+40")                                                                     \
    ADX_PAIR(b "+48", b "+56")                                                                     \
    ADX_PAIR(b "+64", b "+72")                                                                     \
    ADX_PAIR(b "+80", b "+88")                                                                     \
    ADX_PAIR(b "+96", b "+104")                                                                    \
    ADX_PAIR(b "+112", b "+120")
#define ADX_ROW_ASM(body)                                                                          \
    __asm__ volatile("xor %k[z], %k[z]\n\t"                                                        \
                     "mov %[z], %[h]\n\t" body "adcx %[z], %[h]\n\t"                               \
                     "adox %[z], %[h]\n\t"                                                         \
                     : [lo] "=&r"(lo), [h] "=&r"(hi), [h2] "=&r"(hi2), [z] "=&r"(zero)             \
                     : [t] "r"(t), [a] "r"(a), "d"(b)                                              \
                     : "cc", "memory")

/* adx_addmul_row for k = 16 or 32 (a compile-time constant once inlined), without loop code. */
static inline __attribute__((always_inline)) uint64_t
adx_addmul_fixed(uint64_t *t, const uint64_t *a, uint64_t b, size_t k)
{
    uint64_t lo, hi, hi2, zero;
    if (k == 16)
        ADX_ROW_ASM(ADX_ROW16("0"));
    else if (k == 32)
        ADX_ROW_ASM(ADX_ROW16("0") ADX_ROW16("128"));
    else
        return adx_addmul_row(t, a, b, k);
    return hi;
}

/* Montgomery reduction of the 2k-limb t (t < n R) into r (< n), one limb per row:
 * m = t[i] * n0 makes t[i] zero after adding m n at limb i. */
static inline __attribute__((always_inline)) void adx_redc(const bn_mont *ctx, uint64_t *r,
                                                           uint64_t *t, size_t k)
{
    uint64_t hi = 0;
    for (size_t i = 0; i < k; i++) {
        uint64_t c = adx_addmul_fixed(t + i, ctx->n, t[i] * ctx->n0, k);
        bn_u128 s = (bn_u128)t[i + k] + c + hi;
        t[i + k] = (uint64_t)s;
        hi = (uint64_t)(s >> 64);
    }
    /* t / R < 2n: subtract n when the carry is set or the subtraction does not borrow. */
    uint64_t d[BN_MOD_LIMBS];
    uint64_t bw = bn_limbs_sub(d, t + k, ctx->n, k);
    bn_limbs_select(r, ((uint64_t)0 - hi) | (bw - 1), d, t + k, k);
}

static inline __attribute__((always_inline)) void
adx_mul_core(const bn_mont *ctx, uint64_t *r, const uint64_t *a, const uint64_t *b, size_t k)
{
    uint64_t t[2 * BN_MOD_LIMBS];
    memset(t, 0, 2 * k * sizeof t[0]);
    for (size_t i = 0; i < k; i++) /* row i fills t[i, i + k) and its carry limb t[i + k] */
        t[i + k] = adx_addmul_fixed(t + i, a, b[i], k);
    adx_redc(ctx, r, t, k);
}

/* t[0..2k) = 2 t + the squares a[i]^2 at limb 2i, in one pass: ADCX doubles (t + t + CF) while
 * ADOX adds the squares. The result is a square below 2^(128k), so both chains end without carry.
 */
static void adx_double_add_squares(uint64_t *t, const uint64_t *a, size_t k)
{
    uint64_t lo, hi, x, zero;
    __asm__ volatile(
        "xor %k[z], %k[z]\n\t"
        "mov %[k], %%rcx\n"
        "1:\n\t"
        "mov 0(%[a]), %%rdx\n\t"
        "mulx %%rdx, %[lo], %[hi]\n\t"
        "mov 0(%[t]), %[x]\n\t"
        "adcx %[x], %[x]\n\t"
        "adox %[lo], %[x]\n\t"
        "mov %[x], 0(%[t])\n\t"
        "mov 8(%[t]), %[x]\n\t"
        "adcx %[x], %[x]\n\t"
        "adox %[hi], %[x]\n\t"
        "mov %[x], 8(%[t])\n\t"
        "lea 8(%[a]), %[a]\n\t"
        "lea 16(%[t]), %[t]\n\t"
        "lea -1(%%rcx), %%rcx\n\t"
        "jrcxz 2f\n\t"
        "jmp 1b\n"
        "2:\n\t"
        : [t] "+r"(t), [a] "+r"(a), [lo] "=&r"(lo), [hi] "=&r"(hi), [x] "=&r"(x), [z] "=&r"(zero)
        : [k] "r"(k)
        : "rcx", "rdx", "cc", "memory");
}

/* The cross products a[i] a[j] (j > i) by rows, each rounded up to a multiple of 4 limbs so the
 * row needs no remainder loop: a is copied with 3 zero limbs after it, so the extra products are
 * zero, and the limbs they touch above the partial sum (which stays below 2^(64(i + k))) are zero
 * before and after. */
static inline __attribute__((always_inline)) void adx_sqr_core(const bn_mont *ctx, uint64_t *r,
                                                               const uint64_t *a, size_t k)
{
    uint64_t t[2 * BN_MOD_LIMBS + 4], ap[BN_MOD_LIMBS + 3];
    memset(t, 0, (2 * k + 4) * sizeof t[0]);
    memcpy(ap, a, k * sizeof ap[0]);
    memset(ap + k, 0, 3 * sizeof ap[0]);
    for (size_t i = 0; i + 1 < k; i++) {
        size_t len = (k - i - 1 + 3) & ~(size_t)3;
        t[2 * i + 1 + len] = adx_addmul_row(t + 2 * i + 1, ap + i + 1, ap[i], len);
    }
    adx_double_add_squares(t, a, k);
    adx_redc(ctx, r, t, k);
}

/* Separate instances for 16 limbs (RSA-2048 CRT halves, 1024-bit) and 32 (2048-bit). */
static void adx_mul_16(const bn_mont *c, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    adx_mul_core(c, r, a, b, 16);
}
static void adx_mul_32(const bn_mont *c, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    adx_mul_core(c, r, a, b, 32);
}
static void adx_sqr_16(const bn_mont *c, uint64_t *r, const uint64_t *a)
{
    adx_sqr_core(c, r, a, 16);
}
static void adx_sqr_32(const bn_mont *c, uint64_t *r, const uint64_t *a)
{
    adx_sqr_core(c, r, a, 32);
}

void bn_mont_mul_adx(const bn_mont *ctx, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    if (ctx->nlimbs == 16)
        adx_mul_16(ctx, r, a, b);
    else if (ctx->nlimbs == 32)
        adx_mul_32(ctx, r, a, b);
    else
        adx_mul_core(ctx, r, a, b, ctx->nlimbs);
}

void bn_mont_sqr_adx(const bn_mont *ctx, uint64_t *r, const uint64_t *a)
{
    if (ctx->nlimbs == 16)
        adx_sqr_16(ctx, r, a);
    else if (ctx->nlimbs == 32)
        adx_sqr_32(ctx, r, a);
    else
        adx_sqr_core(ctx, r, a, ctx->nlimbs);
}

#endif
