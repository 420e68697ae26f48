/* Two constant-time modular exponentiations at once (bn_mod_exp_ct_x2): the two halves of an RSA
 * CRT private operation. On CPUs with AVX-512 IFMA and two 1024-bit moduli both run together in
 * radix 2^52 (bn_ifma.c fills the vector lanes with the pair); otherwise two bn_mod_exp_ct. */
#include <string.h>

#include "common/ct.h"
#include "crypto/bn.h"
#include "crypto/bn_internal.h"
#include "crypto/cpu.h"

/* The preconditions of bn_mod_exp_ct, checked before any work so that both results fail alike. */
static int check_args(const bn_mont *m, const bn *base, const bn *exp, size_t exp_bits)
{
    if (m->nlimbs == 0 || exp_bits == 0 || exp_bits > BN_MOD_MAX_BITS ||
        bn_num_bits(exp) > exp_bits)
        return MT_E_bad_argument;
    return base->top > 2 * m->nlimbs ? MT_E_limit_exceeded : MT_OK;
}

#if BN_HAVE_IFMA

void bn_ifma_from64(uint64_t out[BN_IFMA_LANES], const uint64_t in[16])
{
    bn_u128 acc = 0;
    unsigned have = 0; /* bits waiting in acc */
    size_t next = 0;
    for (size_t j = 0; j < BN_IFMA_LANES; j++) {
        if (have < 52 && next < 16) {
            acc |= (bn_u128)in[next++] << have;
            have += 64;
        }
        out[j] = (uint64_t)acc & 0xFFFFFFFFFFFFFull;
        acc >>= 52;
        have = have > 52 ? have - 52 : 0;
    }
}

void bn_ifma_to64(uint64_t out[16], const uint64_t in[BN_IFMA_LANES])
{
    bn_u128 acc = 0;
    unsigned have = 0;
    size_t next = 0;
    for (size_t i = 0; i < 16; i++) {
        while (have < 64) {
            acc |= (bn_u128)in[next++] << have;
            have += 52;
        }
        out[i] = (uint64_t)acc;
        acc >>= 64;
        have -= 64;
    }
}

/* Everything the dual ladder needs, wiped at the end. */
typedef struct x2_state {
    uint64_t table[BN_IFMA_TABLE][2][BN_IFMA_LANES];
    uint64_t acc[2][BN_IFMA_LANES], sel[2][BN_IFMA_LANES], base[2][BN_IFMA_LANES];
    uint64_t rr[2][BN_IFMA_LANES], unit[2][BN_IFMA_LANES];
    uint64_t e[2][BN_MOD_LIMBS];
    bn_ifma_pair pair;
} x2_state;

/* Loads modulus u: n and k0 = -n^-1 mod 2^52 (the low bits of bn_mont's n0), R^2 mod n for
 * R = 2^1040 (2^2048 mod n times 2^32, reduced in constant time) and base mod n. */
static int load_one(x2_state *s, int u, const bn_mont *m, const bn *base)
{
    bn t;
    uint64_t x[16];
    int err = bn_mont_reduce(m, &t, base);
    if (err == MT_OK) {
        bn_to_limbs(x, &t, 16);
        bn_ifma_from64(s->base[u], x);
        t.limb[0] = m->rr[0] << 32;
        for (size_t i = 1; i < 16; i++)
            t.limb[i] = (m->rr[i] << 32) | (m->rr[i - 1] >> 32);
        t.limb[16] = m->rr[15] >> 32;
        t.top = 17;
        err = bn_mont_reduce(m, &t, &t);
    }
    if (err == MT_OK) {
        bn_to_limbs(x, &t, 16);
        bn_ifma_from64(s->rr[u], x);
        bn_ifma_from64(s->pair.n[u], m->n);
        s->pair.k0[u] = m->n0 & 0xFFFFFFFFFFFFFull;
        memset(s->unit[u], 0, sizeof s->unit[u]);
        s->unit[u][0] = 1;
    }
    bn_wipe(&t);
    ct_wipe(x, sizeof x);
    return err;
}

/* The bits [pos, pos + BN_IFMA_WINDOW) of e (public pos, secret value). */
static unsigned window_at(const uint64_t *e, size_t elimbs, size_t pos)
{
    size_t l = pos / 64, s = pos % 64;
    uint64_t v = e[l] >> s;
    if (s + BN_IFMA_WINDOW > 64 && l + 1 < elimbs)
        v |= e[l + 1] << (64 - s);
    return (unsigned)(v & (BN_IFMA_TABLE - 1));
}

/* Writes acc[u] (Montgomery form, < 2n) out of the domain: AMM by 1 gives a value in [0, n], then
 * n is subtracted under a mask when the value is n (a base that is 0 mod n). */
static void store_one(x2_state *s, int u, const bn_mont *m, bn *r)
{
    uint64_t x[16], d[16];
    bn_ifma_to64(x, s->acc[u]);
    uint64_t bw = bn_limbs_sub(d, x, m->n, 16);
    bn_limbs_select(x, bw - 1, d, x, 16);
    bn_from_limbs(r, x, 16);
    ct_wipe(x, sizeof x);
    ct_wipe(d, sizeof d);
}

/* The fixed-window ladder over both exponents: exactly ceil(exp_bits / 5) windows. */
static void ladder(x2_state *s, size_t exp_bits)
{
    const size_t elimbs = (exp_bits + 63) / 64;
    bn_ifma_amm_x2(&s->pair, s->table[0], (const uint64_t(*)[BN_IFMA_LANES])s->rr,
                   (const uint64_t(*)[BN_IFMA_LANES])s->unit); /* R mod n */
    bn_ifma_amm_x2(&s->pair, s->table[1], (const uint64_t(*)[BN_IFMA_LANES])s->base,
                   (const uint64_t(*)[BN_IFMA_LANES])s->rr); /* base R mod n */
    for (unsigned i = 2; i < BN_IFMA_TABLE; i++)
        bn_ifma_amm_x2(&s->pair, s->table[i], (const uint64_t(*)[BN_IFMA_LANES])s->table[i - 1],
                       (const uint64_t(*)[BN_IFMA_LANES])s->table[1]);
    memcpy(s->acc, s->table[0], sizeof s->acc);
    const size_t windows = (exp_bits + BN_IFMA_WINDOW - 1) / BN_IFMA_WINDOW;
    for (size_t w = windows; w-- > 0;) {
        if (w + 1 != windows) { /* public: the first window needs no squaring */
            for (int q = 0; q < BN_IFMA_WINDOW; q++)
                bn_ifma_amm_x2(&s->pair, s->acc, (const uint64_t(*)[BN_IFMA_LANES])s->acc,
                               (const uint64_t(*)[BN_IFMA_LANES])s->acc);
        }
        const unsigned idx[2] = {window_at(s->e[0], elimbs, w * BN_IFMA_WINDOW),
                                 window_at(s->e[1], elimbs, w * BN_IFMA_WINDOW)};
        bn_ifma_lookup_x2(s->sel, (const uint64_t(*)[2][BN_IFMA_LANES])s->table, idx);
        bn_ifma_amm_x2(&s->pair, s->acc, (const uint64_t(*)[BN_IFMA_LANES])s->acc,
                       (const uint64_t(*)[BN_IFMA_LANES])s->sel);
    }
    bn_ifma_amm_x2(&s->pair, s->acc, (const uint64_t(*)[BN_IFMA_LANES])s->acc,
                   (const uint64_t(*)[BN_IFMA_LANES])s->unit);
}

int bn_mod_exp_x2_ifma(const bn_mont *m1, bn *r1, const bn *b1, const bn *e1, const bn_mont *m2,
                       bn *r2, const bn *b2, const bn *e2, size_t exp_bits)
{
    x2_state s; /* about 13 KiB, wiped before returning */
    const size_t elimbs = (exp_bits + 63) / 64;
    int err = load_one(&s, 0, m1, b1);
    if (err == MT_OK)
        err = load_one(&s, 1, m2, b2);
    if (err == MT_OK) {
        bn_to_limbs(s.e[0], e1, elimbs);
        bn_to_limbs(s.e[1], e2, elimbs);
        ladder(&s, exp_bits);
        store_one(&s, 0, m1, r1);
        store_one(&s, 1, m2, r2);
    } else {
        r1->top = r2->top = 0;
    }
    ct_wipe(&s, sizeof s);
    return err;
}

#endif

/* Two bn_mod_exp_ct into locals (so that r1 may alias the inputs of the second one). */
static int exp_x2_portable(const bn_mont *m1, bn *r1, const bn *b1, const bn *e1, const bn_mont *m2,
                           bn *r2, const bn *b2, const bn *e2, size_t exp_bits)
{
    bn t1, t2;
    int err = bn_mod_exp_ct(m1, &t1, b1, e1, exp_bits);
    if (err == MT_OK)
        err = bn_mod_exp_ct(m2, &t2, b2, e2, exp_bits);
    if (err == MT_OK) {
        bn_copy(r1, &t1);
        bn_copy(r2, &t2);
    } else {
        r1->top = r2->top = 0;
    }
    bn_wipe(&t1);
    bn_wipe(&t2);
    return err;
}

int bn_mod_exp_ct_x2(const bn_mont *m1, bn *r1, const bn *b1, const bn *e1, const bn_mont *m2,
                     bn *r2, const bn *b2, const bn *e2, size_t exp_bits)
{
    int err = check_args(m1, b1, e1, exp_bits);
    if (err == MT_OK)
        err = check_args(m2, b2, e2, exp_bits);
    if (err != MT_OK) {
        r1->top = r2->top = 0;
        return err;
    }
#if BN_HAVE_IFMA
    if (cpu_has(CPU_AVX512IFMA) && m1->bits == 1024 && m2->bits == 1024)
        return bn_mod_exp_x2_ifma(m1, r1, b1, e1, m2, r2, b2, e2, exp_bits);
#endif
    return exp_x2_portable(m1, r1, b1, e1, m2, r2, b2, e2, exp_bits);
}
