/* bn multiplication, division with remainder (Knuth, TAOCP vol. 2, 4.3.1 Algorithm D) and the
 * plain modular helpers built on them. */
#include "crypto/bn.h"

#include <string.h>

#include "common/ct.h"
#include "crypto/bn_internal.h"

int bn_mul(bn *r, const bn *a, const bn *b)
{
    if (a->top == 0 || b->top == 0) {
        r->top = 0;
        return MT_OK;
    }
    /* The product has a.top + b.top - 1 or a.top + b.top limbs: one limb of slack covers the
     * case where the top limb turns out to be zero. */
    if (a->top + b->top > BN_LIMBS + 1) {
        r->top = 0;
        return MT_E_limit_exceeded;
    }
    uint64_t t[BN_LIMBS + 1];
    size_t n = a->top + b->top;
    memset(t, 0, n * sizeof t[0]);
    for (size_t i = 0; i < a->top; i++) {
        uint64_t c = 0, ai = a->limb[i];
        for (size_t j = 0; j < b->top; j++) {
            bn_u128 p = (bn_u128)ai * b->limb[j] + t[i + j] + c;
            t[i + j] = (uint64_t)p;
            c = (uint64_t)(p >> 64);
        }
        t[i + b->top] = c;
    }
    if (n > BN_LIMBS && t[BN_LIMBS] != 0) {
        r->top = 0;
        ct_wipe(t, sizeof t);
        return MT_E_limit_exceeded;
    }
    bn_from_limbs(r, t, n > BN_LIMBS ? BN_LIMBS : n);
    ct_wipe(t, n * sizeof t[0]);
    return MT_OK;
}

int bn_mul_u64(bn *r, const bn *a, uint64_t v)
{
    bn t;
    bn_set_u64(&t, v);
    return bn_mul(r, a, &t);
}

int bn_mod_u64(const bn *a, uint64_t m, uint64_t *rem)
{
    *rem = 0;
    if (m == 0)
        return MT_E_bad_argument;
    uint64_t r = 0;
    for (size_t i = a->top; i-- > 0;)
        r = (uint64_t)((((bn_u128)r << 64) | a->limb[i]) % m);
    *rem = r;
    return MT_OK;
}

/* Division by one limb: q = a / d, returns a mod d. */
static uint64_t div_1(uint64_t *q, const bn *a, uint64_t d)
{
    uint64_t r = 0;
    for (size_t i = a->top; i-- > 0;) {
        bn_u128 cur = ((bn_u128)r << 64) | a->limb[i];
        q[i] = (uint64_t)(cur / d);
        r = (uint64_t)(cur % d);
    }
    return r;
}

/* u[j..j+n] -= qhat * v[0..n); returns whether it went negative (then adds v back once and the
 * caller decrements qhat). */
static int mul_sub_step(uint64_t *u, const uint64_t *v, size_t n, uint64_t qhat)
{
    uint64_t borrow = 0, carry = 0;
    for (size_t i = 0; i < n; i++) {
        bn_u128 p = (bn_u128)qhat * v[i] + carry;
        carry = (uint64_t)(p >> 64);
        bn_u128 t = (bn_u128)u[i] - (uint64_t)p - borrow;
        u[i] = (uint64_t)t;
        borrow = (uint64_t)(t >> 64) & 1;
    }
    bn_u128 t = (bn_u128)u[n] - carry - borrow;
    u[n] = (uint64_t)t;
    if (((uint64_t)(t >> 64) & 1) == 0)
        return 0;
    uint64_t c = bn_limbs_add(u, u, v, n);
    u[n] += c;
    return 1;
}

/* Knuth D for a divisor of n >= 2 limbs; u holds the normalised dividend (m + n + 1 limbs), v the
 * normalised divisor. Writes m + 1 quotient limbs; u keeps the normalised remainder. */
static void knuth_d(uint64_t *q, uint64_t *u, const uint64_t *v, size_t m, size_t n)
{
    uint64_t v1 = v[n - 1], v2 = v[n - 2];
    for (size_t j = m + 1; j-- > 0;) {
        bn_u128 num = ((bn_u128)u[j + n] << 64) | u[j + n - 1];
        bn_u128 qhat = num / v1, rhat = num % v1;
        while (qhat >> 64 != 0 || qhat * v2 > ((rhat << 64) | u[j + n - 2])) {
            qhat--;
            rhat += v1;
            if (rhat >> 64 != 0)
                break;
        }
        uint64_t qd = (uint64_t)qhat;
        qd -= (uint64_t)mul_sub_step(u + j, v, n, qd);
        q[j] = qd;
    }
}

int bn_divmod(bn *q, bn *r, const bn *a, const bn *d)
{
    if (d->top == 0) {
        if (q != NULL)
            q->top = 0;
        if (r != NULL)
            r->top = 0;
        return MT_E_bad_argument;
    }
    if (q != NULL && q == r)
        return MT_E_bad_argument;
    uint64_t qt[BN_LIMBS + 1] = {0}, u[BN_LIMBS + 2], v[BN_LIMBS];
    uint64_t rem1 = 0;
    size_t n = d->top, rt = 0, qn = 0;
    if (bn_cmp(a, d) < 0) {
        memcpy(u, a->limb, a->top * sizeof u[0]);
        rt = a->top;
    } else if (n == 1) {
        rem1 = div_1(qt, a, d->limb[0]);
        u[0] = rem1;
        rt = 1;
        qn = a->top;
    } else {
        unsigned s = (unsigned)__builtin_clzll(d->limb[n - 1]);
        size_t m = a->top - n;
        for (size_t i = n; i-- > 0;)
            v[i] = (d->limb[i] << s) | (s && i ? d->limb[i - 1] >> (64 - s) : 0);
        u[a->top] = s ? a->limb[a->top - 1] >> (64 - s) : 0;
        for (size_t i = a->top; i-- > 0;)
            u[i] = (a->limb[i] << s) | (s && i ? a->limb[i - 1] >> (64 - s) : 0);
        knuth_d(qt, u, v, m, n);
        for (size_t i = 0; i < n; i++) /* un-normalise the remainder */
            u[i] = (u[i] >> s) | (s ? u[i + 1] << (64 - s) : 0);
        rt = n;
        qn = m + 1;
    }
    if (q != NULL)
        bn_from_limbs(q, qt, qn);
    if (r != NULL)
        bn_from_limbs(r, u, rt);
    ct_wipe(u, sizeof u);
    ct_wipe(qt, sizeof qt);
    return MT_OK;
}

int bn_mod(bn *r, const bn *a, const bn *m)
{
    return bn_divmod(NULL, r, a, m);
}

int bn_mod_mul(bn *r, const bn *a, const bn *b, const bn *m)
{
    if (m->top == 0) {
        r->top = 0;
        return MT_E_bad_argument;
    }
    bn t;
    int err = bn_mul(&t, a, b);
    if (err == MT_OK)
        err = bn_mod(r, &t, m);
    bn_wipe(&t);
    return err;
}
