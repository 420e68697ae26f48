/* gcd, modular inverse, constant-time modular add/sub, and random values below a bound. */
#include "crypto/bn.h"

#include <string.h>

#include "common/ct.h"
#include "crypto/bn_internal.h"

/* Number of trailing zero bits of a nonzero a. */
static size_t trailing_zeros(const bn *a)
{
    size_t i = 0;
    while (a->limb[i] == 0)
        i++;
    return i * BN_LIMB_BITS + (size_t)__builtin_ctzll(a->limb[i]);
}

int bn_gcd(bn *r, const bn *a, const bn *b)
{
    if (bn_is_zero(a)) {
        bn_copy(r, b);
        return MT_OK;
    }
    if (bn_is_zero(b)) {
        bn_copy(r, a);
        return MT_OK;
    }
    bn u, v;
    size_t za = trailing_zeros(a), zb = trailing_zeros(b);
    size_t shift = za < zb ? za : zb;
    bn_shr(&u, a, za);
    bn_shr(&v, b, zb);
    /* Stein: both odd; replace the larger by the (even) difference, strip its zeros. */
    for (;;) {
        int c = bn_cmp(&u, &v);
        if (c == 0)
            break;
        bn *hi = c > 0 ? &u : &v;
        const bn *lo = c > 0 ? &v : &u;
        int err = bn_sub(hi, hi, lo);
        if (err != MT_OK)
            return err;
        bn_shr(hi, hi, trailing_zeros(hi));
    }
    return bn_shl(r, &u, shift); /* gcd <= min(a, b): the shift fits */
}

/* Signed values as magnitude + sign, for the extended Euclid coefficients. */
typedef struct sbn {
    bn mag;
    bool neg;
} sbn;

/* r = x - q * y (signed); |r| <= m keeps every value within capacity. */
static int sbn_sub_mul(sbn *r, const sbn *x, const bn *q, const sbn *y)
{
    bn qy;
    int err = bn_mul(&qy, q, &y->mag);
    if (err != MT_OK)
        return err;
    bool qy_neg = y->neg && !bn_is_zero(&qy);
    if (x->neg != qy_neg) { /* x - (-|qy|) or -|x| - |qy|: magnitudes add */
        r->neg = x->neg;
        return bn_add(&r->mag, &x->mag, &qy);
    }
    if (bn_cmp(&x->mag, &qy) >= 0) {
        r->neg = x->neg;
        return bn_sub(&r->mag, &x->mag, &qy);
    }
    r->neg = !x->neg;
    return bn_sub(&r->mag, &qy, &x->mag);
}

int bn_mod_inverse(bn *r, const bn *a, const bn *m)
{
    if (bn_cmp_u64(m, 2) < 0) {
        r->top = 0;
        return MT_E_bad_argument;
    }
    /* Invariant: r_i = t_i * a (mod m). Ends with r0 = gcd(a, m) and t0 its coefficient. */
    static const sbn zero_s = {.mag = {.top = 0}, .neg = false};
    bn r0, r1, q, rem;
    sbn t0 = zero_s, t1 = zero_s, t2;
    bn_copy(&r0, m);
    int err = bn_mod(&r1, a, m);
    bn_set_u64(&t1.mag, 1);
    while (err == MT_OK && !bn_is_zero(&r1)) {
        err = bn_divmod(&q, &rem, &r0, &r1);
        if (err == MT_OK)
            err = sbn_sub_mul(&t2, &t0, &q, &t1);
        bn_copy(&r0, &r1);
        bn_copy(&r1, &rem);
        t0 = t1;
        t1 = t2;
    }
    if (err == MT_OK && !bn_is_one(&r0))
        err = MT_E_not_invertible;
    if (err == MT_OK && t0.neg && !bn_is_zero(&t0.mag))
        err = bn_sub(r, m, &t0.mag);
    else if (err == MT_OK)
        err = bn_mod(r, &t0.mag, m);
    if (err != MT_OK)
        r->top = 0;
    bn_wipe(&t0.mag);
    bn_wipe(&t1.mag);
    bn_wipe(&r0);
    bn_wipe(&r1);
    return err;
}

/* Loads a and b (both must be < m) into n-limb arrays; returns bad_argument otherwise. */
static int load_below(uint64_t *x, uint64_t *y, const bn *a, const bn *b, const bn *m)
{
    size_t n = m->top;
    if (n == 0 || a->top > n || b->top > n)
        return MT_E_bad_argument;
    bn_to_limbs(x, a, n);
    bn_to_limbs(y, b, n);
    uint64_t ok = bn_limbs_lt_mask(x, m->limb, n) & bn_limbs_lt_mask(y, m->limb, n);
    return ok ? MT_OK : MT_E_bad_argument;
}

int bn_mod_add(bn *r, const bn *a, const bn *b, const bn *m)
{
    uint64_t x[BN_LIMBS], y[BN_LIMBS], d[BN_LIMBS];
    int err = load_below(x, y, a, b, m);
    if (err != MT_OK) {
        r->top = 0;
        return err;
    }
    size_t n = m->top;
    uint64_t c = bn_limbs_add(x, x, y, n);
    uint64_t bw = bn_limbs_sub(d, x, m->limb, n);
    /* x + y >= m exactly when the add carried out or the subtraction did not borrow. */
    bn_limbs_select(x, ((uint64_t)0 - c) | (bw - 1), d, x, n);
    bn_from_limbs(r, x, n);
    ct_wipe(x, sizeof x);
    ct_wipe(y, sizeof y);
    ct_wipe(d, sizeof d);
    return MT_OK;
}

int bn_mod_sub(bn *r, const bn *a, const bn *b, const bn *m)
{
    uint64_t x[BN_LIMBS], y[BN_LIMBS], d[BN_LIMBS];
    int err = load_below(x, y, a, b, m);
    if (err != MT_OK) {
        r->top = 0;
        return err;
    }
    size_t n = m->top;
    uint64_t bw = bn_limbs_sub(x, x, y, n);
    bn_limbs_add(d, x, m->limb, n);
    bn_limbs_select(x, (uint64_t)0 - bw, d, x, n);
    bn_from_limbs(r, x, n);
    ct_wipe(x, sizeof x);
    ct_wipe(y, sizeof y);
    ct_wipe(d, sizeof d);
    return MT_OK;
}

int bn_rand_bits(bn *r, size_t bits, mt_rng *rng)
{
    uint8_t buf[BN_MAX_BYTES];
    r->top = 0;
    if (bits > BN_MAX_BITS)
        return MT_E_limit_exceeded;
    size_t nbytes = (bits + 7) / 8;
    if (nbytes == 0)
        return MT_OK;
    int err = rng_fill(rng, buf, nbytes);
    if (err == MT_OK) {
        buf[0] &= (uint8_t)(0xFFu >> (8 * nbytes - bits));
        err = bn_from_bytes(r, buf, nbytes);
    }
    ct_wipe(buf, nbytes);
    if (err != MT_OK)
        r->top = 0;
    return err;
}

/* A working RNG passes the rejection test with probability > 1/2 per draw: this many failures in
 * a row means the RNG is broken (probability 2^-256 otherwise). */
#define RAND_BELOW_MAX_DRAWS 256

int bn_rand_below(bn *r, const bn *bound, mt_rng *rng)
{
    if (bn_is_zero(bound)) {
        r->top = 0;
        return MT_E_bad_argument;
    }
    bn t;
    size_t bits = bn_num_bits(bound);
    for (int i = 0; i < RAND_BELOW_MAX_DRAWS; i++) {
        int err = bn_rand_bits(&t, bits, rng);
        if (err != MT_OK) {
            r->top = 0;
            bn_wipe(&t);
            return err;
        }
        if (bn_cmp(&t, bound) < 0) {
            bn_copy(r, &t);
            bn_wipe(&t);
            return MT_OK;
        }
    }
    r->top = 0;
    bn_wipe(&t);
    return MT_E_rng_failure;
}

int bn_rand_range(bn *r, const bn *lo, const bn *hi, mt_rng *rng)
{
    bn width;
    int err = bn_sub(&width, hi, lo);
    if (err == MT_OK)
        err = bn_add_u64(&width, &width, 1);
    if (err == MT_OK)
        err = bn_rand_below(&width, &width, rng);
    if (err == MT_OK)
        err = bn_add(r, &width, lo);
    if (err != MT_OK)
        r->top = 0;
    bn_wipe(&width);
    return err;
}
