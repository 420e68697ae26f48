/*
 * AES with the AES-NI instructions (Intel, "Advanced Encryption Standard (AES) New Instructions
 * Set", 2010): key expansion with aeskeygenassist, the dec schedule with aesimc, and ECB with
 * eight independent blocks in flight so the pipelined aesenc units stay busy (aesenc has a
 * latency of several cycles but a throughput of one or two per cycle).
 * Every function here is compiled for the aes+sse4.1 target and only called after
 * cpu_has(CPU_AESNI) said yes.
 */
#include "crypto/aes_impl.h"

#if AES_HAVE_NI

#include <immintrin.h>

#include "common/ct.h"

#define NI __attribute__((target("aes,sse4.1")))

/* One AES-128 / AES-256 schedule step (FIPS-197 5.2): w[i] = w[i-Nk] ^ temp, four words at
 * once: xor in the three shifted copies so each word is the prefix xor, then the broadcast
 * temp word. */
NI static __m128i prefix_xor(__m128i k)
{
    k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
    k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
    return _mm_xor_si128(k, _mm_slli_si128(k, 4));
}

/* aeskeygenassist needs an immediate round constant, hence macros rather than a loop. */
#define STEP128(prev, rcon)                                                                        \
    _mm_xor_si128(prefix_xor(prev), _mm_shuffle_epi32(_mm_aeskeygenassist_si128(prev, rcon), 0xff))
#define STEP256_A(prev2, prev1, rcon)                                                              \
    _mm_xor_si128(prefix_xor(prev2),                                                               \
                  _mm_shuffle_epi32(_mm_aeskeygenassist_si128(prev1, rcon), 0xff))
#define STEP256_B(prev2, prev1)                                                                    \
    _mm_xor_si128(prefix_xor(prev2), _mm_shuffle_epi32(_mm_aeskeygenassist_si128(prev1, 0), 0xaa))

NI static void expand128(__m128i k[11], const uint8_t *key)
{
    k[0] = _mm_loadu_si128((const __m128i *)key);
    k[1] = STEP128(k[0], 0x01);
    k[2] = STEP128(k[1], 0x02);
    k[3] = STEP128(k[2], 0x04);
    k[4] = STEP128(k[3], 0x08);
    k[5] = STEP128(k[4], 0x10);
    k[6] = STEP128(k[5], 0x20);
    k[7] = STEP128(k[6], 0x40);
    k[8] = STEP128(k[7], 0x80);
    k[9] = STEP128(k[8], 0x1b);
    k[10] = STEP128(k[9], 0x36);
}

/* For Nk = 8, every second 4-word group applies SubWord without RotWord or Rcon (the
 * "i mod Nk = 4" case of FIPS-197 5.2): aeskeygenassist's word 2 is exactly SubWord(w3). */
NI static void expand256(__m128i k[15], const uint8_t *key)
{
    k[0] = _mm_loadu_si128((const __m128i *)key);
    k[1] = _mm_loadu_si128((const __m128i *)(key + 16));
    k[2] = STEP256_A(k[0], k[1], 0x01);
    k[3] = STEP256_B(k[1], k[2]);
    k[4] = STEP256_A(k[2], k[3], 0x02);
    k[5] = STEP256_B(k[3], k[4]);
    k[6] = STEP256_A(k[4], k[5], 0x04);
    k[7] = STEP256_B(k[5], k[6]);
    k[8] = STEP256_A(k[6], k[7], 0x08);
    k[9] = STEP256_B(k[7], k[8]);
    k[10] = STEP256_A(k[8], k[9], 0x10);
    k[11] = STEP256_B(k[9], k[10]);
    k[12] = STEP256_A(k[10], k[11], 0x20);
    k[13] = STEP256_B(k[11], k[12]);
    k[14] = STEP256_A(k[12], k[13], 0x40);
}

NI void aes_ni_expand(aes_ctx *c, const uint8_t *key, size_t key_len)
{
    __m128i k[AES_MAX_ROUNDS + 1];
    int nr = key_len == 32 ? 14 : 10;
    if (nr == 14)
        expand256(k, key);
    else
        expand128(k, key);
    c->rounds = nr;
    for (int r = 0; r <= nr; r++) {
        _mm_store_si128((__m128i *)(c->enc + 16 * r), k[r]);
        /* Equivalent inverse cipher (FIPS-197 5.3.5): reversed, InvMixColumns inside. */
        __m128i d = (r == 0 || r == nr) ? k[nr - r] : _mm_aesimc_si128(k[nr - r]);
        _mm_store_si128((__m128i *)(c->dec + 16 * r), d);
    }
    ct_wipe(k, sizeof k);
}

/* One round on eight independent blocks, so eight aesenc are in flight at once. */
NI static inline void round8(__m128i x[8], __m128i k, int dec, int last)
{
    for (int j = 0; j < 8; j++) {
        if (dec)
            x[j] = last ? _mm_aesdeclast_si128(x[j], k) : _mm_aesdec_si128(x[j], k);
        else
            x[j] = last ? _mm_aesenclast_si128(x[j], k) : _mm_aesenc_si128(x[j], k);
    }
}

NI static void blocks8(const uint8_t *sched, int nr, int dec, const uint8_t *in, uint8_t *out)
{
    __m128i x[8], k = _mm_load_si128((const __m128i *)sched);
    for (int j = 0; j < 8; j++)
        x[j] = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(in + 16 * j)), k);
    for (int r = 1; r <= nr; r++)
        round8(x, _mm_load_si128((const __m128i *)(sched + 16 * r)), dec, r == nr);
    for (int j = 0; j < 8; j++)
        _mm_storeu_si128((__m128i *)(out + 16 * j), x[j]);
}

NI static void block1(const uint8_t *sched, int nr, int dec, const uint8_t *in, uint8_t *out)
{
    __m128i x = _mm_loadu_si128((const __m128i *)in);
    x = _mm_xor_si128(x, _mm_load_si128((const __m128i *)sched));
    for (int r = 1; r < nr; r++) {
        __m128i k = _mm_load_si128((const __m128i *)(sched + 16 * r));
        x = dec ? _mm_aesdec_si128(x, k) : _mm_aesenc_si128(x, k);
    }
    __m128i k = _mm_load_si128((const __m128i *)(sched + 16 * nr));
    x = dec ? _mm_aesdeclast_si128(x, k) : _mm_aesenclast_si128(x, k);
    _mm_storeu_si128((__m128i *)out, x);
}

NI static void run(const aes_ctx *c, int dec, const uint8_t *in, uint8_t *out, size_t blocks)
{
    const uint8_t *sched = dec ? c->dec : c->enc;
    for (; blocks >= 8; blocks -= 8, in += 128, out += 128)
        blocks8(sched, c->rounds, dec, in, out);
    for (; blocks > 0; blocks--, in += 16, out += 16)
        block1(sched, c->rounds, dec, in, out);
}

void aes_ni_encrypt_blocks(const aes_ctx *c, const uint8_t *in, uint8_t *out, size_t blocks)
{
    run(c, 0, in, out, blocks);
}

void aes_ni_decrypt_blocks(const aes_ctx *c, const uint8_t *in, uint8_t *out, size_t blocks)
{
    run(c, 1, in, out, blocks);
}

#endif
