/*
 * SHA-256 compression with the x86-64 SHA extensions (SHA256RNDS2, SHA256MSG1/2). Chosen at run
 * time by crypto/sha256.c when cpu_has(CPU_SHANI); compiled only on x86-64. The state stays in
 * two registers (ABEF, CDGH: the layout SHA256RNDS2 works on) across all blocks of a call.
 */
#include "crypto/sha_impl.h"

#if MTPROOF_HAVE_SHANI

#include <immintrin.h>

#define SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* W[t..t+3] from the four previous schedule words (FIPS 180-4 §6.2.2 step 1):
 * MSG1 adds sigma0(W[t-15]), the ALIGNR brings in W[t-7], MSG2 adds sigma1(W[t-2]). */
static inline SHANI_TARGET __m128i sched(__m128i w0, __m128i w1, __m128i w2, __m128i w3)
{
    __m128i t = _mm_sha256msg1_epu32(w0, w1);
    t = _mm_add_epi32(t, _mm_alignr_epi8(w3, w2, 4));
    return _mm_sha256msg2_epu32(t, w3);
}

/* Four rounds: each SHA256RNDS2 does two, taking W+K from the low half of its third operand. */
static inline SHANI_TARGET void rounds4(__m128i *abef, __m128i *cdgh, __m128i w, int g)
{
    __m128i wk = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)(sha256_k + 4 * g)));
    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

SHANI_TARGET void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
    /* Big-endian words: byte-swap each 32-bit lane. */
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0xB1);
    __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(h + 4)), 0x1B);
    __m128i abef = _mm_alignr_epi8(dcba, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, dcba, 0xF0);

    for (; nblocks; nblocks--, p += 64) {
        __m128i abef0 = abef, cdgh0 = cdgh;
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), bswap);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), bswap);
        rounds4(&abef, &cdgh, w0, 0);
        rounds4(&abef, &cdgh, w1, 1);
        rounds4(&abef, &cdgh, w2, 2);
        rounds4(&abef, &cdgh, w3, 3);
        for (int g = 4; g < 16; g += 4) {
            w0 = sched(w0, w1, w2, w3);
            rounds4(&abef, &cdgh, w0, g);
            w1 = sched(w1, w2, w3, w0);
            rounds4(&abef, &cdgh, w1, g + 1);
            w2 = sched(w2, w3, w0, w1);
            rounds4(&abef, &cdgh, w2, g + 2);
            w3 = sched(w3, w0, w1, w2);
            rounds4(&abef, &cdgh, w3, g + 3);
        }
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
    }

    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)h, _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)(h + 4), _mm_alignr_epi8(dchg, feba, 8));
}

#else
typedef int sha256_ni_not_built; /* ISO C forbids an empty translation unit */
#endif
