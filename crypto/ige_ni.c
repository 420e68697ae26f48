/*
 * AES-IGE with AES-NI. IGE is serial in both directions
 *   c_i = E(p_i ^ c_{i-1}) ^ p_{i-1};   p_i = D(c_i ^ p_{i-1}) ^ c_{i-1}
 * so its speed bound is the latency of one block's aesenc chain, as for CBC encryption. To reach
 * it: round keys are loaded once before the loop, the chain values live in registers, the
 * whitening key is xored into the input off the critical path, and the trailing xor with
 * p_{i-1} (c_{i-1}) is folded into the last round key, so the dependency chain per block is one
 * pxor plus the Nr aes rounds, exactly as in CBC encryption. The round count is a constant in
 * each instantiation so the compiler unrolls the rounds.
 */
#include "crypto/aes_impl.h"

#if AES_HAVE_NI

#include <immintrin.h>

#include "common/ct.h"

#define NI __attribute__((target("aes,sse4.1")))

/* One direction of IGE for a fixed round count. For encryption, `x` is the plaintext, `a` the
 * chain input c_{i-1} and `b` the chain output partner p_{i-1}; for decryption the roles of
 * plaintext and ciphertext swap and aesdec replaces aesenc. */
NI static inline __attribute__((always_inline)) void ige_loop(const uint8_t *sched, int nr, int dec,
                                                              uint8_t iv[32], const uint8_t *in,
                                                              uint8_t *out, size_t blocks)
{
    __m128i k[AES_MAX_ROUNDS + 1];
    for (int r = 0; r <= nr; r++)
        k[r] = _mm_load_si128((const __m128i *)(sched + 16 * r));
    /* enc: a = c_{-1}, b = p_{-1}; dec: a = p_{-1}, b = c_{-1} (iv = c_{-1} ‖ p_{-1}). */
    __m128i a = _mm_loadu_si128((const __m128i *)(iv + (dec ? 16 : 0)));
    __m128i b = _mm_loadu_si128((const __m128i *)(iv + (dec ? 0 : 16)));
    for (size_t i = 0; i < blocks; i++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(in + 16 * i));
        __m128i s = _mm_xor_si128(_mm_xor_si128(x, k[0]), a);
        __m128i last = _mm_xor_si128(k[nr], b);
        for (int r = 1; r < nr; r++)
            s = dec ? _mm_aesdec_si128(s, k[r]) : _mm_aesenc_si128(s, k[r]);
        s = dec ? _mm_aesdeclast_si128(s, last) : _mm_aesenclast_si128(s, last);
        _mm_storeu_si128((__m128i *)(out + 16 * i), s);
        a = s;
        b = x;
    }
    _mm_storeu_si128((__m128i *)(iv + (dec ? 16 : 0)), a);
    _mm_storeu_si128((__m128i *)(iv + (dec ? 0 : 16)), b);
    ct_wipe(k, sizeof k);
}

NI void aes_ni_ige_encrypt(const aes_ctx *c, uint8_t iv[32], const uint8_t *in, uint8_t *out,
                           size_t blocks)
{
    if (c->rounds == 14)
        ige_loop(c->enc, 14, 0, iv, in, out, blocks);
    else
        ige_loop(c->enc, 10, 0, iv, in, out, blocks);
}

NI void aes_ni_ige_decrypt(const aes_ctx *c, uint8_t iv[32], const uint8_t *in, uint8_t *out,
                           size_t blocks)
{
    if (c->rounds == 14)
        ige_loop(c->dec, 14, 1, iv, in, out, blocks);
    else
        ige_loop(c->dec, 10, 1, iv, in, out, blocks);
}

#endif
