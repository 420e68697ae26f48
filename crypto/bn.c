/* bn basics: set/copy/inspect, big-endian import/export, add/sub/compare/shift. */
#include "crypto/bn.h"

#include <string.h>

#include "common/ct.h"
#include "crypto/bn_internal.h"

void bn_zero(bn *a)
{
    a->top = 0;
}

void bn_set_u64(bn *a, uint64_t v)
{
    a->limb[0] = v;
    a->top = v != 0;
}

void bn_copy(bn *dst, const bn *src)
{
    if (dst == src)
        return;
    memcpy(dst->limb, src->limb, src->top * sizeof src->limb[0]);
    dst->top = src->top;
}

void bn_wipe(bn *a)
{
    ct_wipe(a, sizeof *a);
}

bool bn_is_zero(const bn *a)
{
    return a->top == 0;
}

bool bn_is_one(const bn *a)
{
    return a->top == 1 && a->limb[0] == 1;
}

bool bn_is_odd(const bn *a)
{
    return a->top > 0 && (a->limb[0] & 1) != 0;
}

bool bn_bit(const bn *a, size_t i)
{
    size_t l = i / BN_LIMB_BITS;
    if (l >= a->top)
        return false;
    return ((a->limb[l] >> (i % BN_LIMB_BITS)) & 1) != 0;
}

size_t bn_num_bits(const bn *a)
{
    if (a->top == 0)
        return 0;
    return a->top * BN_LIMB_BITS - (size_t)__builtin_clzll(a->limb[a->top - 1]);
}

size_t bn_num_bytes(const bn *a)
{
    return (bn_num_bits(a) + 7) / 8;
}

uint64_t bn_get_u64(const bn *a, bool *fits)
{
    if (fits != NULL)
        *fits = a->top <= 1;
    return a->top > 0 ? a->limb[0] : 0;
}

int bn_cmp(const bn *a, const bn *b)
{
    if (a->top != b->top)
        return a->top < b->top ? -1 : 1;
    for (size_t i = a->top; i-- > 0;) {
        if (a->limb[i] != b->limb[i])
            return a->limb[i] < b->limb[i] ? -1 : 1;
    }
    return 0;
}

int bn_cmp_u64(const bn *a, uint64_t v)
{
    if (a->top > 1)
        return 1;
    uint64_t x = a->top ? a->limb[0] : 0;
    return x < v ? -1 : x > v;
}

int bn_from_bytes(bn *a, const uint8_t *in, size_t len)
{
    while (len > 0 && in[0] == 0) {
        in++;
        len--;
    }
    if (len > BN_MAX_BYTES) {
        a->top = 0;
        return MT_E_limit_exceeded;
    }
    size_t n = (len + 7) / 8;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = 0;
        for (size_t j = 0; j < 8; j++) {
            size_t k = i * 8 + j; /* byte k counting from the least significant end */
            if (k < len)
                v |= (uint64_t)in[len - 1 - k] << (8 * j);
        }
        a->limb[i] = v;
    }
    a->top = n;
    bn_normalize(a);
    return MT_OK;
}

int bn_to_bytes(const bn *a, uint8_t *out, size_t len)
{
    if (bn_num_bytes(a) > len) {
        memset(out, 0, len);
        return MT_E_no_space;
    }
    for (size_t k = 0; k < len; k++) {
        size_t l = k / 8;
        uint64_t v = l < a->top ? a->limb[l] : 0;
        out[len - 1 - k] = (uint8_t)(v >> (8 * (k % 8)));
    }
    return MT_OK;
}

/* r = x + y where x->top >= y->top. */
static int add_ordered(bn *r, const bn *x, const bn *y)
{
    uint64_t c = bn_limbs_add(r->limb, x->limb, y->limb, y->top);
    size_t i = y->top;
    for (; i < x->top; i++) {
        bn_u128 t = (bn_u128)x->limb[i] + c;
        r->limb[i] = (uint64_t)t;
        c = (uint64_t)(t >> 64);
    }
    if (c != 0) {
        if (i == BN_LIMBS) {
            r->top = 0;
            return MT_E_limit_exceeded;
        }
        r->limb[i++] = c;
    }
    r->top = i;
    return MT_OK;
}

int bn_add(bn *r, const bn *a, const bn *b)
{
    return a->top >= b->top ? add_ordered(r, a, b) : add_ordered(r, b, a);
}

int bn_add_u64(bn *r, const bn *a, uint64_t v)
{
    bn t;
    bn_set_u64(&t, v);
    return bn_add(r, a, &t);
}

int bn_sub(bn *r, const bn *a, const bn *b)
{
    if (bn_cmp(a, b) < 0) {
        r->top = 0;
        return MT_E_bad_argument;
    }
    uint64_t bw = bn_limbs_sub(r->limb, a->limb, b->limb, b->top);
    for (size_t i = b->top; i < a->top; i++) {
        uint64_t v = a->limb[i];
        r->limb[i] = v - bw;
        bw = bw & (v == 0);
    }
    r->top = a->top;
    bn_normalize(r);
    return MT_OK;
}

int bn_sub_u64(bn *r, const bn *a, uint64_t v)
{
    bn t;
    bn_set_u64(&t, v);
    return bn_sub(r, a, &t);
}

int bn_shl(bn *r, const bn *a, size_t bits)
{
    if (a->top == 0) {
        r->top = 0;
        return MT_OK;
    }
    if (bits > BN_MAX_BITS || bn_num_bits(a) + bits > BN_MAX_BITS) {
        r->top = 0;
        return MT_E_limit_exceeded;
    }
    size_t ls = bits / BN_LIMB_BITS, bs = bits % BN_LIMB_BITS;
    size_t top = a->top + ls + (bs != 0);
    if (top > BN_LIMBS)
        top = BN_LIMBS; /* the extra limb would be zero: the bit count fits */
    /* High to low so that r may alias a. */
    for (size_t i = top; i-- > 0;) {
        uint64_t hi = (i >= ls && i - ls < a->top) ? a->limb[i - ls] : 0;
        uint64_t lo = (bs != 0 && i >= ls + 1 && i - ls - 1 < a->top) ? a->limb[i - ls - 1] : 0;
        r->limb[i] = bs ? (hi << bs) | (lo >> (BN_LIMB_BITS - bs)) : hi;
    }
    r->top = top;
    bn_normalize(r);
    return MT_OK;
}

void bn_shr(bn *r, const bn *a, size_t bits)
{
    size_t ls = bits / BN_LIMB_BITS, bs = bits % BN_LIMB_BITS;
    if (ls >= a->top) {
        r->top = 0;
        return;
    }
    size_t top = a->top - ls;
    /* Low to high so that r may alias a. */
    for (size_t i = 0; i < top; i++) {
        uint64_t lo = a->limb[i + ls];
        uint64_t hi = (bs != 0 && i + ls + 1 < a->top) ? a->limb[i + ls + 1] : 0;
        r->limb[i] = bs ? (lo >> bs) | (hi << (BN_LIMB_BITS - bs)) : lo;
    }
    r->top = top;
    bn_normalize(r);
}
