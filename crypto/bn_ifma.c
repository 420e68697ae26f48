/*
 * Two independent 1024-bit Montgomery products at once in radix 2^52 with AVX-512 IFMA
 * (vpmadd52luq / vpmadd52huq): the kernel of bn_mod_exp_ct_x2 (the ladder is in bn_exp_x2.c).
 *
 * A 1024-bit value is 20 limbs of 52 bits (1040 bits), held in three 8-lane vectors (lanes 20..23
 * are zero). The product is "almost Montgomery" (AMM): with R = 2^1040 it returns a value
 * congruent to a b R^-1 mod n and below 2n whenever a, b < 2n (since 4n < R), without the final
 * subtraction; only the conversion out of the domain subtracts n. Word-by-word reduction: for
 * each limb b[i], x += a b[i] + n m with m = x[0] (-n^-1) mod 2^52 chosen so that the lowest limb
 * becomes 0 mod 2^52, then x is shifted down one limb. The low halves of the 104-bit products
 * land in the lane of their operand limb, the high halves one lane up, i.e. in the same lane
 * after the shift. Limbs are left unnormalised (they stay below 2^59 over 20 steps: at most four
 * 52-bit terms and a carry per step) and carries are propagated once at the end.
 *
 * Constant time: no branch and no memory index depends on the operands; the only data-dependent
 * quantities are combined with integer arithmetic (carry masks) and vector instructions.
 */
#include "common/ct.h"
#include "crypto/bn_internal.h"

#if BN_HAVE_IFMA

#include <immintrin.h>

#define IFMA_TARGET __attribute__((target("avx512f,avx512vl,avx512ifma")))
#define IFMA_INLINE static inline __attribute__((always_inline)) IFMA_TARGET
#define MASK52      ((uint64_t)0xFFFFFFFFFFFFF)
#define NVEC        (BN_IFMA_LANES / 8)

_Static_assert(BN_IFMA_LANES % 8 == 0, "whole vectors");
_Static_assert(BN_IFMA_LIMBS * 52 >= 1024 + 2 + 4, "R = 2^1040 > 4n for a 1024-bit n, with room");

/* Fully normalises x (limbs below 2^59, value below 2^1040) to 52-bit limbs. One shift-and-add
 * round leaves limbs below 2^52 + 2^12; what still overflows then carries at most 1 into the next
 * limb, and that 1 ripples through limbs equal to 2^52 - 1. The ripple is an addition of bit masks
 * over the 20 lanes (generate g = limb > 2^52 - 1, propagate p = limb == 2^52 - 1):
 * carry-in = ((g << 1) + p) ^ p, as in a carry-lookahead adder; no branch on the values. */
IFMA_INLINE void normalise(__m512i x[NVEC])
{
    const __m512i mask = _mm512_set1_epi64((long long)MASK52), zero = _mm512_setzero_si512();
    __m512i c[NVEC];
    for (int j = 0; j < NVEC; j++) {
        c[j] = _mm512_srli_epi64(x[j], 52);
        x[j] = _mm512_and_si512(x[j], mask);
    }
    /* carries move up one lane: lane i of the shifted vector is lane i - 1 of the carries */
    for (int j = NVEC - 1; j >= 0; j--)
        x[j] = _mm512_add_epi64(x[j], _mm512_alignr_epi64(c[j], j > 0 ? c[j - 1] : zero, 7));
    uint64_t g = 0, p = 0;
    for (int j = 0; j < NVEC; j++) {
        g |= (uint64_t)_mm512_cmpgt_epu64_mask(x[j], mask) << (8 * j);
        p |= (uint64_t)_mm512_cmpeq_epi64_mask(x[j], mask) << (8 * j);
    }
    uint64_t cin = ((g << 1) + p) ^ p;
    const __m512i one = _mm512_set1_epi64(1);
    for (int j = 0; j < NVEC; j++) {
        x[j] = _mm512_mask_add_epi64(x[j], (__mmask8)(cin >> (8 * j)), x[j], one);
        x[j] = _mm512_and_si512(x[j], mask);
    }
}

/* One step of the word-by-word AMM for limb bi of b. x0 (lane 0 of x) is computed in scalar to
 * choose m; the low 52 bits of x0 + a0 bi + n0 m are zero by that choice, and its carry enters the
 * new lane 0 after the shift. */
IFMA_INLINE void amm_step(__m512i x[NVEC], const __m512i a[NVEC], const __m512i n[NVEC],
                          uint64_t a0, uint64_t n0, uint64_t k0, uint64_t bi)
{
    uint64_t x0 = (uint64_t)_mm_cvtsi128_si64(_mm512_castsi512_si128(x[0]));
    uint64_t t = x0 + ((a0 * bi) & MASK52);
    uint64_t m = (t * k0) & MASK52;
    uint64_t carry = (t + ((m * n0) & MASK52)) >> 52;
    const __m512i vb = _mm512_set1_epi64((long long)bi), vm = _mm512_set1_epi64((long long)m);
    for (int j = 0; j < NVEC; j++) {
        x[j] = _mm512_madd52lo_epu64(x[j], a[j], vb);
        x[j] = _mm512_madd52lo_epu64(x[j], n[j], vm);
    }
    for (int j = 0; j < NVEC; j++) /* divide by 2^52: lane i takes lane i + 1 */
        x[j] = _mm512_alignr_epi64(j + 1 < NVEC ? x[j + 1] : _mm512_setzero_si512(), x[j], 1);
    x[0] = _mm512_mask_add_epi64(x[0], 1, x[0], _mm512_set1_epi64((long long)carry));
    for (int j = 0; j < NVEC; j++) {
        x[j] = _mm512_madd52hi_epu64(x[j], a[j], vb);
        x[j] = _mm512_madd52hi_epu64(x[j], n[j], vm);
    }
}

IFMA_TARGET void bn_ifma_amm_x2(const bn_ifma_pair *p, uint64_t r[2][BN_IFMA_LANES],
                                const uint64_t a[2][BN_IFMA_LANES],
                                const uint64_t b[2][BN_IFMA_LANES])
{
    __m512i x0[NVEC], x1[NVEC], a0[NVEC], a1[NVEC], n0[NVEC], n1[NVEC];
    for (int j = 0; j < NVEC; j++) {
        x0[j] = x1[j] = _mm512_setzero_si512();
        a0[j] = _mm512_loadu_si512((const void *)(a[0] + 8 * j));
        a1[j] = _mm512_loadu_si512((const void *)(a[1] + 8 * j));
        n0[j] = _mm512_loadu_si512((const void *)(p->n[0] + 8 * j));
        n1[j] = _mm512_loadu_si512((const void *)(p->n[1] + 8 * j));
    }
    /* The two products are independent chains: interleaving them hides the IFMA latency. */
    for (size_t i = 0; i < BN_IFMA_LIMBS; i++) {
        amm_step(x0, a0, n0, a[0][0], p->n[0][0], p->k0[0], b[0][i]);
        amm_step(x1, a1, n1, a[1][0], p->n[1][0], p->k0[1], b[1][i]);
    }
    normalise(x0);
    normalise(x1);
    for (int j = 0; j < NVEC; j++) {
        _mm512_storeu_si512((void *)(r[0] + 8 * j), x0[j]);
        _mm512_storeu_si512((void *)(r[1] + 8 * j), x1[j]);
    }
}

/* out = table[idx[u]] for each of the two moduli u, reading all BN_IFMA_TABLE entries under a
 * mask (no secret-dependent index or branch). */
IFMA_TARGET void bn_ifma_lookup_x2(uint64_t out[2][BN_IFMA_LANES],
                                   const uint64_t (*table)[2][BN_IFMA_LANES], const unsigned idx[2])
{
    __m512i acc[2][NVEC];
    for (int u = 0; u < 2; u++)
        for (int j = 0; j < NVEC; j++)
            acc[u][j] = _mm512_setzero_si512();
    for (unsigned i = 0; i < BN_IFMA_TABLE; i++) {
        for (int u = 0; u < 2; u++) {
            uint64_t eq = ct_eq32(i, idx[u]);
            const __m512i mask = _mm512_set1_epi64((long long)(eq | (eq << 32)));
            for (int j = 0; j < NVEC; j++) {
                __m512i v = _mm512_loadu_si512((const void *)(table[i][u] + 8 * j));
                acc[u][j] = _mm512_or_si512(acc[u][j], _mm512_and_si512(v, mask));
            }
        }
    }
    for (int u = 0; u < 2; u++)
        for (int j = 0; j < NVEC; j++)
            _mm512_storeu_si512((void *)(out[u] + 8 * j), acc[u][j]);
}

#endif
