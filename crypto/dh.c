/* DH-2048 parameter and value checks (mtproto-notes §1, §5.1), exponent generation and the
 * shared key. */
#include "crypto/dh.h"

#include <string.h>

#include "common/ct.h"
#include "crypto/bn_internal.h"

#define DH_LIMBS (DH_BITS / 64)

/* Skips leading zero bytes of a big-endian value. */
static void strip_zeros(const uint8_t **p, size_t *len)
{
    while (*len > 0 && (*p)[0] == 0) {
        (*p)++;
        (*len)--;
    }
}

/* "2^2047 < p < 2^2048": exactly 256 significant bytes, top bit set, and not 2^2047 itself. */
static int check_prime_size(const uint8_t *p, size_t len, bn *out)
{
    strip_zeros(&p, &len);
    if (len != DH_BYTES || (p[0] & 0x80) == 0)
        return MT_E_DH_PRIME_SIZE;
    if (p[0] == 0x80 && ct_is_zero(p + 1, len - 1))
        return MT_E_DH_PRIME_SIZE;
    return bn_from_bytes(out, p, len);
}

/* The quadratic-residue rule: g generates the subgroup of prime order (p-1)/2. */
static int check_residue(const bn *p, int64_t g)
{
    uint64_t m24 = 0, m5 = 0, m7 = 0;
    int err = bn_mod_u64(p, 24, &m24);
    if (err == MT_OK)
        err = bn_mod_u64(p, 5, &m5);
    if (err == MT_OK)
        err = bn_mod_u64(p, 7, &m7);
    if (err != MT_OK)
        return err;
    bool ok;
    switch (g) {
    case 2:
        ok = m24 % 8 == 7;
        break;
    case 3:
        ok = m24 % 3 == 2;
        break;
    case 4:
        ok = true;
        break;
    case 5:
        ok = m5 == 1 || m5 == 4;
        break;
    case 6:
        ok = m24 == 19 || m24 == 23;
        break;
    case 7:
        ok = m7 == 3 || m7 == 5 || m7 == 6;
        break;
    default:
        return MT_E_DH_G_UNSUPPORTED;
    }
    return ok ? MT_OK : MT_E_DH_G_NOT_RESIDUE;
}

int dh_check_params(const uint8_t *p, size_t p_len, int64_t g, prime_cache *cache, unsigned rounds,
                    mt_rng *rng)
{
    bn pb;
    int err = check_prime_size(p, p_len, &pb);
    if (err != MT_OK)
        return err;
    if (g < 2 || g > 7)
        return MT_E_DH_G_UNSUPPORTED;
    strip_zeros(&p, &p_len); /* now exactly DH_BYTES */
    if (!prime_cache_has(cache, p)) {
        prime_safety verdict;
        err = prime_check_safe(&pb, rounds ? rounds : PRIME_MR_ROUNDS_ADVERSARIAL, rng, &verdict);
        if (err != MT_OK)
            return err;
        if (verdict == PRIME_NOT_PRIME)
            return MT_E_DH_PRIME_NOT_PRIME;
        if (verdict == PRIME_NOT_SAFE)
            return MT_E_DH_PRIME_NOT_SAFE;
        prime_cache_add(cache, p);
    }
    return check_residue(&pb, g);
}

/* Range (1 < v < p - 1) and bounds (2^1984 <= v <= p - 2^1984) of v against p, in constant time
 * over DH_LIMBS limbs. */
static int check_value_bn(const bn *p, const bn *v, dh_value_kind kind)
{
    int range_rule = kind == DH_VALUE_GA ? MT_E_DH_GA_RANGE : MT_E_DH_GB_RANGE;
    int bounds_rule = kind == DH_VALUE_GA ? MT_E_DH_GA_BOUNDS : MT_E_DH_GB_BOUNDS;
    if (v->top > DH_LIMBS)
        return range_rule;
    uint64_t x[DH_LIMBS], pm1[DH_LIMBS], two[DH_LIMBS] = {2}, lo[DH_LIMBS] = {0}, hi[DH_LIMBS];
    uint64_t one[DH_LIMBS] = {1};
    bn_to_limbs(x, v, DH_LIMBS);
    bn_to_limbs(pm1, p, DH_LIMBS);
    bn_limbs_sub(pm1, pm1, one, DH_LIMBS);
    lo[DH_BOUND_BITS / 64] = (uint64_t)1 << (DH_BOUND_BITS % 64);
    bn_to_limbs(hi, p, DH_LIMBS);
    bn_limbs_sub(hi, hi, lo, DH_LIMBS);
    uint64_t range_ok = ~bn_limbs_lt_mask(x, two, DH_LIMBS) & bn_limbs_lt_mask(x, pm1, DH_LIMBS);
    uint64_t bounds_ok = ~bn_limbs_lt_mask(x, lo, DH_LIMBS) & ~bn_limbs_lt_mask(hi, x, DH_LIMBS);
    ct_wipe(x, sizeof x);
    if (!range_ok)
        return range_rule;
    return bounds_ok ? MT_OK : bounds_rule;
}

int dh_check_value(const uint8_t *p, size_t p_len, const uint8_t *v, size_t v_len,
                   dh_value_kind kind)
{
    bn pb, vb;
    int err = check_prime_size(p, p_len, &pb);
    if (err != MT_OK)
        return err;
    strip_zeros(&v, &v_len);
    if (v_len > DH_BYTES)
        return kind == DH_VALUE_GA ? MT_E_DH_GA_RANGE : MT_E_DH_GB_RANGE;
    err = bn_from_bytes(&vb, v, v_len);
    if (err == MT_OK)
        err = check_value_bn(&pb, &vb, kind);
    bn_wipe(&vb);
    return err;
}

int dh_check(const uint8_t *p, size_t p_len, int64_t g, const uint8_t *g_a, size_t g_a_len,
             prime_cache *cache, unsigned rounds, mt_rng *rng)
{
    int err = dh_check_params(p, p_len, g, cache, rounds, rng);
    if (err != MT_OK)
        return err;
    return dh_check_value(p, p_len, g_a, g_a_len, DH_VALUE_GA);
}
