/*
 * Differential target: crypto/bn*.c against OpenSSL's BN_* as the oracle.
 * Targets: bn_mul, bn_divmod, bn_mod_mul, bn_mod_add, bn_mod_sub, bn_gcd, bn_mod_inverse
 * (bn.c, bn_div.c, bn_gcd.c); bn_mont_init, bn_mont_reduce, bn_mont_mul, bn_mod_exp_ct,
 * bn_mod_exp_vartime, bn_mod_exp_ct_x2 (bn_mont.c, bn_mont_adx.c, bn_exp.c, bn_exp_x2.c,
 * bn_ifma.c), on the MULX/ADX + IFMA paths or the portable one (cpu_set_mask(0)).
 * Property: every result equals OpenSSL's (BN_mul, BN_div, BN_mod_mul, BN_mod_add, BN_mod_sub,
 * BN_gcd, BN_mod_inverse, BN_nnmod, BN_mod_exp); every refusal is the documented one (zero
 * divisor, even or tiny Montgomery modulus, over-wide base, modulus < 2, no inverse exactly when
 * OpenSSL finds none). Any difference aborts with a message naming the operation.
 * Input: [op][x][len a: 2 bytes BE][a][len b][b][len c][c][len d][d]; lengths are taken modulo
 * 513 (operands up to 4096 bits) and cut to the bytes left. op & 7 picks the operation
 * (0 mul, 1 divmod, 2 modexp ct, 3 modexp vartime, 4 inverse, 5 gcd, 6 mod_mul/add/sub and
 * Montgomery mul/reduce, 7 modexp ct x2), op & 8 forces the portable path; x widens exp_bits.
 */
#include <openssl/bn.h>
#include <openssl/err.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/bn.h"
#include "crypto/cpu.h"

enum { OPERAND_MAX = BN_MOD_MAX_BYTES, NOPS = 4 };

typedef struct operands {
    bn v[NOPS];        /* ours */
    BIGNUM *ref[NOPS]; /* OpenSSL's, same values */
    BN_CTX *ctx;
} operands;

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_diff_bn: %s differs from OpenSSL\n", what);
    abort();
}

/* Our r must equal OpenSSL's ref (compared as fixed-width big-endian bytes). */
static void same(const bn *r, const BIGNUM *ref, const char *what)
{
    static uint8_t x[BN_MAX_BYTES], y[BN_MAX_BYTES];
    if (bn_to_bytes(r, x, sizeof x) != MT_OK || BN_bn2binpad(ref, y, sizeof y) < 0 ||
        memcmp(x, y, sizeof x) != 0)
        fail(what);
}

static void diff_mul(operands *o, BIGNUM *t)
{
    bn r;
    if (bn_mul(&r, &o->v[0], &o->v[1]) != MT_OK || !BN_mul(t, o->ref[0], o->ref[1], o->ctx))
        fail("bn_mul");
    same(&r, t, "bn_mul");
}

static void diff_divmod(operands *o, BIGNUM *t, BIGNUM *u)
{
    bn q, r;
    int err = bn_divmod(&q, &r, &o->v[0], &o->v[1]);
    if (bn_is_zero(&o->v[1])) {
        if (err != MT_E_bad_argument)
            fail("bn_divmod by zero");
        return;
    }
    if (err != MT_OK || !BN_div(t, u, o->ref[0], o->ref[1], o->ctx))
        fail("bn_divmod");
    same(&q, t, "bn_divmod quotient");
    same(&r, u, "bn_divmod remainder");
}

static void diff_gcd(operands *o, BIGNUM *t)
{
    bn r;
    if (bn_gcd(&r, &o->v[0], &o->v[1]) != MT_OK || !BN_gcd(t, o->ref[0], o->ref[1], o->ctx))
        fail("bn_gcd");
    same(&r, t, "bn_gcd");
}

static void diff_inverse(operands *o, BIGNUM *t)
{
    bn r;
    int err = bn_mod_inverse(&r, &o->v[0], &o->v[1]);
    if (bn_cmp_u64(&o->v[1], 2) < 0) {
        if (err != MT_E_bad_argument)
            fail("bn_mod_inverse modulus < 2");
        return;
    }
    BIGNUM *ok = BN_mod_inverse(t, o->ref[0], o->ref[1], o->ctx);
    ERR_clear_error();
    if (ok == NULL) {
        if (err != MT_E_not_invertible)
            fail("bn_mod_inverse of a non-invertible value");
        return;
    }
    if (err != MT_OK)
        fail("bn_mod_inverse (refused an invertible value)");
    same(&r, t, "bn_mod_inverse");
}

/* bn_mod_mul, bn_mod_add, bn_mod_sub modulo c (any nonzero c); Montgomery mul and reduce when
 * c is an odd modulus >= 3. */
static void diff_modular(operands *o, BIGNUM *t, BIGNUM *u, BIGNUM *w)
{
    const bn *m = &o->v[2];
    bn a, b, r;
    if (bn_is_zero(m)) {
        if (bn_mod_mul(&r, &o->v[0], &o->v[1], m) != MT_E_bad_argument)
            fail("bn_mod_mul by zero");
        return;
    }
    if (bn_mod_mul(&r, &o->v[0], &o->v[1], m) != MT_OK ||
        !BN_mod_mul(t, o->ref[0], o->ref[1], o->ref[2], o->ctx))
        fail("bn_mod_mul");
    same(&r, t, "bn_mod_mul");
    if (bn_mod(&a, &o->v[0], m) != MT_OK || bn_mod(&b, &o->v[1], m) != MT_OK ||
        !BN_nnmod(u, o->ref[0], o->ref[2], o->ctx) || !BN_nnmod(w, o->ref[1], o->ref[2], o->ctx))
        fail("bn_mod");
    same(&a, u, "bn_mod");
    if (bn_mod_add(&r, &a, &b, m) != MT_OK || !BN_mod_add(t, u, w, o->ref[2], o->ctx))
        fail("bn_mod_add");
    same(&r, t, "bn_mod_add");
    if (bn_mod_sub(&r, &a, &b, m) != MT_OK || !BN_mod_sub(t, u, w, o->ref[2], o->ctx))
        fail("bn_mod_sub");
    same(&r, t, "bn_mod_sub");
    bn_mont mont;
    if (bn_mont_init(&mont, m) != MT_OK)
        return;
    if (bn_mont_mul(&mont, &r, &a, &b) != MT_OK || !BN_mod_mul(t, u, w, o->ref[2], o->ctx))
        fail("bn_mont_mul");
    same(&r, t, "bn_mont_mul");
    int err = bn_mont_reduce(&mont, &r, &o->v[0]);
    if (bn_num_bits(&o->v[0]) > 128 * mont.nlimbs) {
        if (err != MT_E_limit_exceeded)
            fail("bn_mont_reduce of an over-wide value");
        return;
    }
    if (err != MT_OK)
        fail("bn_mont_reduce");
    same(&r, u, "bn_mont_reduce");
}

/* Sets up Montgomery for m; false (after checking the refusal is the documented one) when m is
 * not an odd modulus >= 3. */
static bool mont_or_refusal(bn_mont *mont, const bn *m)
{
    int err = bn_mont_init(mont, m);
    bool usable = bn_is_odd(m) && bn_cmp_u64(m, 3) >= 0;
    if (usable != (err == MT_OK) || (!usable && err != MT_E_bad_argument))
        fail("bn_mont_init's refusal");
    return usable;
}

/* a^b mod c, constant time (exp_bits >= bits of b, widened by x) or vartime. */
static void diff_modexp(operands *o, BIGNUM *t, bool ct, unsigned x)
{
    bn_mont mont;
    bn r;
    if (!mont_or_refusal(&mont, &o->v[2]))
        return;
    size_t exp_bits = bn_num_bits(&o->v[1]) + x;
    exp_bits = exp_bits == 0 ? 1 : exp_bits > BN_MOD_MAX_BITS ? BN_MOD_MAX_BITS : exp_bits;
    int err = ct ? bn_mod_exp_ct(&mont, &r, &o->v[0], &o->v[1], exp_bits)
                 : bn_mod_exp_vartime(&mont, &r, &o->v[0], &o->v[1]);
    const char *what = ct ? "bn_mod_exp_ct" : "bn_mod_exp_vartime";
    if (bn_num_bits(&o->v[0]) > 128 * mont.nlimbs) {
        if (err != MT_E_limit_exceeded)
            fail(what);
        return;
    }
    if (err != MT_OK || !BN_mod_exp(t, o->ref[0], o->ref[1], o->ref[2], o->ctx))
        fail(what);
    same(&r, t, what);
}

/* r1 = a^b mod c and r2 = b^a mod d in one bn_mod_exp_ct_x2 call. */
static void diff_modexp_x2(operands *o, BIGNUM *t, BIGNUM *u, unsigned x)
{
    bn_mont m1, m2;
    bn r1, r2;
    if (!mont_or_refusal(&m1, &o->v[2]) || !mont_or_refusal(&m2, &o->v[3]))
        return;
    size_t ea = bn_num_bits(&o->v[0]), eb = bn_num_bits(&o->v[1]);
    size_t exp_bits = (ea > eb ? ea : eb) + x;
    exp_bits = exp_bits == 0 ? 1 : exp_bits > BN_MOD_MAX_BITS ? BN_MOD_MAX_BITS : exp_bits;
    int err =
        bn_mod_exp_ct_x2(&m1, &r1, &o->v[0], &o->v[1], &m2, &r2, &o->v[1], &o->v[0], exp_bits);
    if (ea > 128 * m1.nlimbs || eb > 128 * m2.nlimbs || ea > exp_bits || eb > exp_bits) {
        if (err == MT_OK || !bn_is_zero(&r1) || !bn_is_zero(&r2))
            fail("bn_mod_exp_ct_x2 refusal");
        return;
    }
    if (err != MT_OK || !BN_mod_exp(t, o->ref[0], o->ref[1], o->ref[2], o->ctx) ||
        !BN_mod_exp(u, o->ref[1], o->ref[0], o->ref[3], o->ctx))
        fail("bn_mod_exp_ct_x2");
    same(&r1, t, "bn_mod_exp_ct_x2 first");
    same(&r2, u, "bn_mod_exp_ct_x2 second");
}

/* Reads the operands; missing ones are zero. */
static void parse(operands *o, const uint8_t *p, size_t n)
{
    for (int i = 0; i < NOPS; i++) {
        size_t len = 0;
        if (n >= 2) {
            len = (((size_t)p[0] << 8) | p[1]) % (OPERAND_MAX + 1);
            p += 2;
            n -= 2;
        } else {
            n = 0;
        }
        len = len > n ? n : len;
        if (bn_from_bytes(&o->v[i], p, len) != MT_OK || !BN_bin2bn(p, (int)len, o->ref[i]))
            fail("import");
        p += len;
        n -= len;
    }
}

static void run(operands *o, unsigned op, unsigned x, BIGNUM *t, BIGNUM *u, BIGNUM *w)
{
    switch (op & 7) {
    case 0:
        diff_mul(o, t);
        break;
    case 1:
        diff_divmod(o, t, u);
        break;
    case 2:
        diff_modexp(o, t, true, x);
        break;
    case 3:
        diff_modexp(o, t, false, x);
        break;
    case 4:
        diff_inverse(o, t);
        break;
    case 5:
        diff_gcd(o, t);
        break;
    case 6:
        diff_modular(o, t, u, w);
        break;
    default:
        diff_modexp_x2(o, t, u, x);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static operands o;
    o.ctx = BN_CTX_new();
    BIGNUM *t = BN_new(), *u = BN_new(), *w = BN_new();
    for (int i = 0; i < NOPS; i++)
        o.ref[i] = BN_new();
    if (!o.ctx || !t || !u || !w || !o.ref[0] || !o.ref[1] || !o.ref[2] || !o.ref[3])
        abort();
    parse(&o, data + 2, size - 2);
    uint32_t old = cpu_set_mask((data[0] & 8) ? 0 : ~0u);
    run(&o, data[0], data[1], t, u, w);
    cpu_set_mask(old);
    for (int i = 0; i < NOPS; i++)
        BN_free(o.ref[i]);
    BN_free(t);
    BN_free(u);
    BN_free(w);
    BN_CTX_free(o.ctx);
    return 0;
}
