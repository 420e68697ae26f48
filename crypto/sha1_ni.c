/*
 * SHA-1 compression with the x86-64 SHA extensions (SHA1RNDS4, SHA1NEXTE, SHA1MSG1/2). Chosen at
 * run time by crypto/sha1.c when cpu_has(CPU_SHANI); compiled only on x86-64. ABCD stays in one
 * register (A in the top lane) and E in the top lane of another across all blocks of a call.
 */
#include "crypto/sha_impl.h"

#if MTPROOF_HAVE_SHANI

#include <immintrin.h>

#define SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* W[t..t+3] (FIPS 180-4 §6.1.2: W[t] = ROTL1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16])) replacing the
 * oldest group `w` in place: MSG1 gives W[t-16] ^ W[t-14], the XOR adds W[t-8], MSG2 adds W[t-3]
 * and rotates. Arguments: the groups for t-16, t-12, t-8, t-4. */
#define SHA1_SCHED(w, w12, w8, w4)                                                                 \
    w = _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(w, w12), w8), w4)

/* Four rounds with function/constant F (0..3, one per 20 rounds); `ewk` holds E + W for them.
 * SHA1NEXTE then derives the next four rounds' E (ROTL30 of the A from before) plus `wnext`. */
#define SHA1_ROUNDS(F, wnext)                                                                      \
    do {                                                                                           \
        __m128i prev = abcd;                                                                       \
        abcd = _mm_sha1rnds4_epu32(abcd, ewk, F);                                                  \
        ewk = _mm_sha1nexte_epu32(prev, wnext);                                                    \
    } while (0)

SHANI_TARGET void sha1_blocks_ni(uint32_t h[5], const uint8_t *p, size_t nblocks)
{
    /* Big-endian words with word 0 in the top lane: reverse all 16 bytes. */
    const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0x1B);
    __m128i e = _mm_set_epi32((int)h[4], 0, 0, 0);

    for (; nblocks; nblocks--, p += 64) {
        __m128i abcd0 = abcd;
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), bswap);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), bswap);
        __m128i ewk = _mm_add_epi32(e, w0);
        /* The last SHA1NEXTE adds the saved E: the feed-forward H4 += E of §6.1.2 step 4. */
        SHA1_ROUNDS(0, w1);         /* rounds 0..3 */
        SHA1_ROUNDS(0, w2);         /* rounds 4..7 */
        SHA1_ROUNDS(0, w3);         /* rounds 8..11 */
        SHA1_SCHED(w0, w1, w2, w3); /* W4 */
        SHA1_ROUNDS(0, w0);         /* rounds 12..15 */
        SHA1_SCHED(w1, w2, w3, w0); /* W5 */
        SHA1_ROUNDS(0, w1);         /* rounds 16..19 */
        SHA1_SCHED(w2, w3, w0, w1); /* W6 */
        SHA1_ROUNDS(1, w2);         /* rounds 20..23 */
        SHA1_SCHED(w3, w0, w1, w2); /* W7 */
        SHA1_ROUNDS(1, w3);         /* rounds 24..27 */
        SHA1_SCHED(w0, w1, w2, w3); /* W8 */
        SHA1_ROUNDS(1, w0);         /* rounds 28..31 */
        SHA1_SCHED(w1, w2, w3, w0); /* W9 */
        SHA1_ROUNDS(1, w1);         /* rounds 32..35 */
        SHA1_SCHED(w2, w3, w0, w1); /* W10 */
        SHA1_ROUNDS(1, w2);         /* rounds 36..39 */
        SHA1_SCHED(w3, w0, w1, w2); /* W11 */
        SHA1_ROUNDS(2, w3);         /* rounds 40..43 */
        SHA1_SCHED(w0, w1, w2, w3); /* W12 */
        SHA1_ROUNDS(2, w0);         /* rounds 44..47 */
        SHA1_SCHED(w1, w2, w3, w0); /* W13 */
        SHA1_ROUNDS(2, w1);         /* rounds 48..51 */
        SHA1_SCHED(w2, w3, w0, w1); /* W14 */
        SHA1_ROUNDS(2, w2);         /* rounds 52..55 */
        SHA1_SCHED(w3, w0, w1, w2); /* W15 */
        SHA1_ROUNDS(2, w3);         /* rounds 56..59 */
        SHA1_SCHED(w0, w1, w2, w3); /* W16 */
        SHA1_ROUNDS(3, w0);         /* rounds 60..63 */
        SHA1_SCHED(w1, w2, w3, w0); /* W17 */
        SHA1_ROUNDS(3, w1);         /* rounds 64..67 */
        SHA1_SCHED(w2, w3, w0, w1); /* W18 */
        SHA1_ROUNDS(3, w2);         /* rounds 68..71 */
        SHA1_SCHED(w3, w0, w1, w2); /* W19 */
        SHA1_ROUNDS(3, w3);         /* rounds 72..75 */
        SHA1_ROUNDS(3, e);          /* rounds 76..79 */
        e = ewk;
        abcd = _mm_add_epi32(abcd, abcd0);
    }

    _mm_storeu_si128((__m128i *)h, _mm_shuffle_epi32(abcd, 0x1B));
    h[4] = (uint32_t)_mm_extract_epi32(e, 3);
}

#else
typedef int sha1_ni_not_built; /* ISO C forbids an empty translation unit */
#endif
