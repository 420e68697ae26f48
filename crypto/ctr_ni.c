/*
 * AES-CTR key stream with AES-NI: eight counter blocks encrypted at once (CTR blocks are
 * independent, so eight aesenc chains overlap and the units run at throughput, not latency).
 * The 128-bit big-endian counter is kept as two 64-bit halves; the carry from the low half into
 * the high half is computed for every block, so wrapping at 2^64 and at 2^128 is exact.
 */
#include "crypto/aes_impl.h"

#if AES_HAVE_NI

#include <immintrin.h>

#include "common/ct.h"
#include "common/endian.h"

#define NI __attribute__((target("aes,sse4.1")))

/* The counter block for hi:lo, in big-endian byte order. */
NI static inline __m128i counter_block(uint64_t hi, uint64_t lo)
{
    const __m128i bswap64 = _mm_set_epi8(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
    return _mm_shuffle_epi8(_mm_set_epi64x((long long)lo, (long long)hi), bswap64);
}

NI static inline __attribute__((always_inline)) void ctr_loop(const uint8_t *sched, int nr,
                                                              uint64_t *hi, uint64_t *lo,
                                                              const uint8_t *in, uint8_t *out,
                                                              size_t blocks)
{
    __m128i k[AES_MAX_ROUNDS + 1];
    for (int r = 0; r <= nr; r++)
        k[r] = _mm_load_si128((const __m128i *)(sched + 16 * r));
    for (; blocks >= 8; blocks -= 8, in += 128, out += 128) {
        __m128i x[8];
        for (int j = 0; j < 8; j++) {
            uint64_t l = *lo + (uint64_t)j;
            x[j] = _mm_xor_si128(counter_block(*hi + (l < *lo), l), k[0]);
        }
        *hi += (*lo + 8 < *lo);
        *lo += 8;
        for (int r = 1; r < nr; r++)
            for (int j = 0; j < 8; j++)
                x[j] = _mm_aesenc_si128(x[j], k[r]);
        for (int j = 0; j < 8; j++) {
            x[j] = _mm_aesenclast_si128(x[j], k[nr]);
            __m128i d = _mm_loadu_si128((const __m128i *)(in + 16 * j));
            _mm_storeu_si128((__m128i *)(out + 16 * j), _mm_xor_si128(x[j], d));
        }
    }
    for (; blocks > 0; blocks--, in += 16, out += 16) {
        __m128i x = _mm_xor_si128(counter_block(*hi, *lo), k[0]);
        *hi += (*lo + 1 < *lo);
        *lo += 1;
        for (int r = 1; r < nr; r++)
            x = _mm_aesenc_si128(x, k[r]);
        x = _mm_aesenclast_si128(x, k[nr]);
        __m128i d = _mm_loadu_si128((const __m128i *)in);
        _mm_storeu_si128((__m128i *)out, _mm_xor_si128(x, d));
    }
    ct_wipe(k, sizeof k);
}

NI void aes_ni_ctr_blocks(const aes_ctx *c, uint8_t counter[AES_BLOCK_LEN], const uint8_t *in,
                          uint8_t *out, size_t blocks)
{
    uint64_t hi = ld64be(counter), lo = ld64be(counter + 8);
    if (c->rounds == 14)
        ctr_loop(c->enc, 14, &hi, &lo, in, out, blocks);
    else
        ctr_loop(c->enc, 10, &hi, &lo, in, out, blocks);
    st64be(counter, hi);
    st64be(counter + 8, lo);
}

#endif
