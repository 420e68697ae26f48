/*
 * Portable, constant-time AES (FIPS-197), used when the CPU has no AES-NI or when tests force
 * it with cpu_set_mask(0).
 *
 * Choice: an arithmetic S-box in SWAR form. The classic T-table or S-box table implementation
 * indexes memory with secret bytes, which leaks key bits through the cache (Bernstein 2005,
 * Osvik-Shamir-Tromer 2006). FIPS-197 5.1.1 defines SubBytes arithmetically — "taking the
 * multiplicative inverse in the finite field GF(2^8) ... {00} is mapped to itself", then an
 * affine transform — so we compute exactly that: the inverse as x^254 by multiplications in
 * GF(2^8), eight bytes at a time in a uint64_t (shifts, masks and multiplications by 0/1-byte
 * masks only; no branch and no memory access depends on a secret). A bitsliced circuit
 * (Boyar-Peralta) would be several times faster but is far harder to review; this path is a
 * fallback whose job is to be obviously correct and constant-time, the fast path is AES-NI.
 * MixColumns uses xtime by mask arithmetic for the same reason.
 *
 * The state and round keys are bytes in FIPS-197 order (state[r][c] = byte r + 4c).
 * Decryption is the "equivalent inverse cipher" of FIPS-197 5.3.5 with the dec schedule, the
 * same schedule the AES-NI aesdec instruction takes, so both paths share one aes_ctx layout.
 */
#include "crypto/aes_impl.h"

#include <string.h>

#include "common/ct.h"
#include "common/endian.h"

#define LO1 0x0101010101010101ull
#define LO7 0x7f7f7f7f7f7f7f7full

/* Multiplication by x (FIPS-197 4.2.1, xtime) of eight packed bytes. */
static uint64_t xtime8(uint64_t a)
{
    return ((a & LO7) << 1) ^ (((a >> 7) & LO1) * 0x1b);
}

/* Eight products in GF(2^8) at once, bytewise a_i * b_i. */
static uint64_t gmul8(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int i = 0; i < 8; i++) {
        r ^= a & (((b >> i) & LO1) * 0xff);
        a = xtime8(a);
    }
    return r;
}

/* Bytewise x^254 = x^-1 (and 0 -> 0): x^2, x^3, x^12, x^14, x^15, x^240, x^254. */
static uint64_t ginv8(uint64_t x)
{
    uint64_t x2 = gmul8(x, x);
    uint64_t x3 = gmul8(x2, x);
    uint64_t x6 = gmul8(x3, x3);
    uint64_t x12 = gmul8(x6, x6);
    uint64_t x14 = gmul8(x12, x2);
    uint64_t x15 = gmul8(x12, x3);
    uint64_t x30 = gmul8(x15, x15);
    uint64_t x60 = gmul8(x30, x30);
    uint64_t x120 = gmul8(x60, x60);
    uint64_t x240 = gmul8(x120, x120);
    return gmul8(x240, x14);
}

/* Bytewise rotate left by k (1..7). */
static uint64_t rotl8(uint64_t x, unsigned k)
{
    uint64_t hi = LO1 * (uint64_t)((0xffu << k) & 0xffu);
    uint64_t lo = LO1 * (uint64_t)(0xffu >> (8 - k));
    return ((x << k) & hi) | ((x >> (8 - k)) & lo);
}

/* FIPS-197 5.1.1: inverse, then b ^ rotl1 ^ rotl2 ^ rotl3 ^ rotl4 ^ {63}. */
static uint64_t sbox8(uint64_t x)
{
    uint64_t v = ginv8(x);
    return v ^ rotl8(v, 1) ^ rotl8(v, 2) ^ rotl8(v, 3) ^ rotl8(v, 4) ^ (LO1 * 0x63);
}

/* FIPS-197 5.3.2: the inverse affine map (rotl1 ^ rotl3 ^ rotl6 ^ {05}), then the inverse. */
static uint64_t inv_sbox8(uint64_t x)
{
    return ginv8(rotl8(x, 1) ^ rotl8(x, 3) ^ rotl8(x, 6) ^ (LO1 * 0x05));
}

static void sub_bytes(uint8_t s[16], uint64_t (*box)(uint64_t))
{
    st64le(s, box(ld64le(s)));
    st64le(s + 8, box(ld64le(s + 8)));
}

static uint8_t xtime(uint8_t a)
{
    return (uint8_t)((a << 1) ^ ((a >> 7) * 0x1b));
}

/* FIPS-197 5.1.2 / 5.3.1: row r rotates left (dir = 1) or right (dir = 3) by r. */
static void shift_rows(uint8_t s[16], int dir)
{
    uint8_t t[16];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++)
            t[r + 4 * c] = s[r + 4 * ((c + dir * r) % 4)];
    memcpy(s, t, 16);
}

/* FIPS-197 5.1.3, with the {02}{03}{01}{01} matrix written as xor and xtime. */
static void mix_columns(uint8_t s[16])
{
    for (int c = 0; c < 16; c += 4) {
        uint8_t a0 = s[c], a1 = s[c + 1], a2 = s[c + 2], a3 = s[c + 3];
        uint8_t t = a0 ^ a1 ^ a2 ^ a3;
        s[c] = a0 ^ t ^ xtime(a0 ^ a1);
        s[c + 1] = a1 ^ t ^ xtime(a1 ^ a2);
        s[c + 2] = a2 ^ t ^ xtime(a2 ^ a3);
        s[c + 3] = a3 ^ t ^ xtime(a3 ^ a0);
    }
}

/* FIPS-197 5.3.3: {0e}{0b}{0d}{09} = ({02}{03}{01}{01}) x ({05}{00}{04}{00}), so pre-multiply
 * by the sparse second matrix and reuse MixColumns. */
static void inv_mix_columns(uint8_t s[16])
{
    for (int c = 0; c < 16; c += 4) {
        uint8_t u = xtime(xtime(s[c] ^ s[c + 2]));
        uint8_t v = xtime(xtime(s[c + 1] ^ s[c + 3]));
        s[c] ^= u;
        s[c + 1] ^= v;
        s[c + 2] ^= u;
        s[c + 3] ^= v;
    }
    mix_columns(s);
}

static void add_round_key(uint8_t s[16], const uint8_t *rk)
{
    for (int i = 0; i < 16; i++)
        s[i] ^= rk[i];
}

/* FIPS-197 5.2 KeyExpansion, on bytes; then the dec schedule of 5.3.5. */
void aes_soft_expand(aes_ctx *c, const uint8_t *key, size_t key_len)
{
    unsigned nk = (unsigned)(key_len / 4), nr = nk + 6, words = 4 * (nr + 1);
    uint8_t rcon = 1;
    c->rounds = (int)nr;
    memcpy(c->enc, key, key_len);
    for (unsigned i = nk; i < words; i++) {
        uint8_t t[8] = {0};
        memcpy(t, c->enc + 4 * (i - 1), 4);
        if (i % nk == 0) {
            uint8_t t0 = t[0]; /* RotWord */
            memmove(t, t + 1, 3);
            t[3] = t0;
        }
        if (i % nk == 0 || (nk > 6 && i % nk == 4))
            st64le(t, sbox8(ld64le(t))); /* SubWord */
        if (i % nk == 0) {
            t[0] ^= rcon;
            rcon = xtime(rcon);
        }
        for (int j = 0; j < 4; j++)
            c->enc[4 * i + j] = c->enc[4 * (i - nk) + j] ^ t[j];
        ct_wipe(t, sizeof t);
    }
    memcpy(c->dec, c->enc + 16 * nr, 16);
    for (unsigned r = 1; r < nr; r++) {
        memcpy(c->dec + 16 * r, c->enc + 16 * (nr - r), 16);
        inv_mix_columns(c->dec + 16 * r);
    }
    memcpy(c->dec + 16 * nr, c->enc, 16);
}

void aes_soft_encrypt_block(const aes_ctx *c, const uint8_t in[AES_BLOCK_LEN],
                            uint8_t out[AES_BLOCK_LEN])
{
    uint8_t s[16];
    memcpy(s, in, 16);
    add_round_key(s, c->enc);
    for (int r = 1; r <= c->rounds; r++) {
        sub_bytes(s, sbox8);
        shift_rows(s, 1);
        if (r != c->rounds)
            mix_columns(s);
        add_round_key(s, c->enc + 16 * r);
    }
    memcpy(out, s, 16);
    ct_wipe(s, sizeof s);
}

void aes_soft_decrypt_block(const aes_ctx *c, const uint8_t in[AES_BLOCK_LEN],
                            uint8_t out[AES_BLOCK_LEN])
{
    uint8_t s[16];
    memcpy(s, in, 16);
    add_round_key(s, c->dec);
    for (int r = 1; r <= c->rounds; r++) {
        sub_bytes(s, inv_sbox8);
        shift_rows(s, 3);
        if (r != c->rounds)
            inv_mix_columns(s);
        add_round_key(s, c->dec + 16 * r);
    }
    memcpy(out, s, 16);
    ct_wipe(s, sizeof s);
}
