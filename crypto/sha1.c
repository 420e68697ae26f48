/* SHA-1 (FIPS 180-4 §6.1): streaming, one-shot, and the run-time choice of compression path. */
#include "crypto/sha1.h"

#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "crypto/cpu.h"
#include "crypto/md_buffer.h"
#include "crypto/sha_impl.h"

_Static_assert(SHA1_BLOCK_LEN == 64, "SHA-1 blocks are 512 bits");

static inline uint32_t rol32(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

/* One block, FIPS 180-4 §6.1.2, with a rolling 16-word schedule
 * (W[t] = ROTL1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16])). */
static void sha1_block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = ld32be(p + 4 * i);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; t++) {
        if (t >= 16)
            w[t & 15] = rol32(w[(t + 13) & 15] ^ w[(t + 8) & 15] ^ w[(t + 2) & 15] ^ w[t & 15], 1);
        uint32_t f, k;
        if (t < 20) {
            f = (b & c) | (~b & d); /* Ch */
            k = 0x5a827999;
        } else if (t < 40) {
            f = b ^ c ^ d; /* Parity */
            k = 0x6ed9eba1;
        } else if (t < 60) {
            f = (b & c) | (b & d) | (c & d); /* Maj */
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        uint32_t tmp = rol32(a, 5) + f + e + k + w[t & 15];
        e = d;
        d = c;
        c = rol32(b, 30);
        b = a;
        a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    ct_wipe(w, sizeof w);
}

void sha1_blocks_portable(uint32_t h[5], const uint8_t *p, size_t nblocks)
{
    for (size_t i = 0; i < nblocks; i++)
        sha1_block(h, p + 64 * i);
}

static void sha1_blocks(uint32_t h[5], const uint8_t *p, size_t nblocks)
{
#if MTPROOF_HAVE_SHANI
    if (cpu_has(CPU_SHANI)) {
        sha1_blocks_ni(h, p, nblocks);
        return;
    }
#endif
    sha1_blocks_portable(h, p, nblocks);
}

void sha1_init(sha1_ctx *c)
{
    /* FIPS 180-4 §5.3.1: the initial hash value H(0). */
    static const uint32_t iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    memcpy(c->h, iv, sizeof iv);
    c->total = 0;
    c->buf_len = 0;
    memset(c->buf, 0, sizeof c->buf);
}

/* The shared buffering, bound to this context. */
static md_state sha1_md(sha1_ctx *c)
{
    md_state s = {c->h, c->buf, &c->buf_len, &c->total, sha1_blocks};
    return s;
}

void sha1_update(sha1_ctx *c, const void *data, size_t n)
{
    md_state s = sha1_md(c);
    md_update(&s, data, n);
}

void sha1_final(sha1_ctx *c, uint8_t out[SHA1_DIGEST_LEN])
{
    md_state s = sha1_md(c);
    md_pad(&s);
    for (int i = 0; i < 5; i++)
        st32be(out + 4 * i, c->h[i]);
    ct_wipe(c, sizeof *c);
}

void sha1(const void *data, size_t n, uint8_t out[SHA1_DIGEST_LEN])
{
    sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, data, n);
    sha1_final(&c, out);
}
