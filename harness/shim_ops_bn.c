/*
 * Shim ops of the public-key arithmetic (issue 3): modexp, bn_mul, bn_divmod, mod_inverse,
 * factor_pq, dh_check. Big integers are big-endian hex; outputs are minimal (zero is "").
 */
#include <string.h>

#include "crypto/bn.h"
#include "crypto/dh.h"
#include "crypto/pq.h"
#include "crypto/prime.h"
#include "harness/shim.h"

static const char *const F_MODEXP[] = {"base", "exp", "mod", NULL};
static const char *const F_AB[] = {"a", "b", NULL};
static const char *const F_INVERSE[] = {"a", "mod", NULL};
static const char *const F_PQ[] = {"pq", NULL};
static const char *const F_DH[] = {"p", "g", "g_a", NULL};

/* Reads big-endian hex field `name` into r. */
static int get_bn(shim_call *c, const char *name, bn *r)
{
    const uint8_t *p;
    size_t n;
    int err = shim_get_bytes(c, name, &p, &n);
    if (!err)
        err = bn_from_bytes(r, p, n);
    if (err == MT_E_limit_exceeded)
        shim_detail(c, "field '%s': more than %d bits", name, BN_MAX_BITS);
    return err;
}

/* Puts r as minimal big-endian bytes. */
static int put_bn(shim_call *c, const char *name, const bn *r)
{
    uint8_t buf[BN_MAX_BYTES];
    size_t n = bn_num_bytes(r);
    int err = bn_to_bytes(r, buf, n);
    if (!err)
        err = shim_put_bytes(c, name, buf, n);
    return err;
}

static int op_modexp(shim_call *c)
{
    bn base, exp, mod, r;
    bn_mont m;
    int err = get_bn(c, "base", &base);
    if (!err)
        err = get_bn(c, "exp", &exp);
    if (!err)
        err = get_bn(c, "mod", &mod);
    if (!err)
        err = bn_mont_init(&m, &mod);
    if (err == MT_E_bad_argument)
        shim_detail(c, "the modulus must be odd and at least 3");
    /* The exponent's size is public here; the constant-time ladder is the path MTProto uses. */
    size_t bits = bn_num_bits(&exp);
    if (!err && bits > BN_MOD_MAX_BITS)
        err = bn_mod_exp_vartime(&m, &r, &base, &exp);
    else if (!err)
        err = bn_mod_exp_ct(&m, &r, &base, &exp, bits ? bits : 1);
    if (!err)
        err = put_bn(c, "out", &r);
    bn_wipe(&exp);
    return err;
}

static int op_bn_mul(shim_call *c)
{
    bn a, b, r;
    int err = get_bn(c, "a", &a);
    if (!err)
        err = get_bn(c, "b", &b);
    if (!err)
        err = bn_mul(&r, &a, &b);
    return err ? err : put_bn(c, "out", &r);
}

static int op_bn_divmod(shim_call *c)
{
    bn a, b, q, r;
    int err = get_bn(c, "a", &a);
    if (!err)
        err = get_bn(c, "b", &b);
    if (!err)
        err = bn_divmod(&q, &r, &a, &b);
    if (err == MT_E_bad_argument)
        shim_detail(c, "division by zero");
    if (!err)
        err = put_bn(c, "q", &q);
    return err ? err : put_bn(c, "r", &r);
}

static int op_mod_inverse(shim_call *c)
{
    bn a, mod, r;
    int err = get_bn(c, "a", &a);
    if (!err)
        err = get_bn(c, "mod", &mod);
    if (!err)
        err = bn_mod_inverse(&r, &a, &mod);
    return err ? err : put_bn(c, "out", &r);
}

static int put_u64(shim_call *c, const char *name, uint64_t v)
{
    bn b;
    bn_set_u64(&b, v);
    return put_bn(c, name, &b);
}

static int op_factor_pq(shim_call *c)
{
    const uint8_t *pq;
    size_t n;
    uint64_t p, q;
    int err = shim_get_bytes(c, "pq", &pq, &n);
    if (!err)
        err = pq_factor_bytes(pq, n, &p, &q);
    if (!err)
        err = put_u64(c, "p", p);
    return err ? err : put_u64(c, "q", q);
}

/* Primes found good stay cached for the life of the shim process, as a client caches them. */
static prime_cache dh_cache;
static int dh_cache_ready;

static int op_dh_check(shim_call *c)
{
    const uint8_t *p, *g_a;
    size_t p_len, g_a_len;
    int64_t g;
    int err = shim_get_bytes(c, "p", &p, &p_len);
    if (!err)
        err = shim_get_int(c, "g", INT32_MIN, INT32_MAX, &g); /* a TL int */
    if (!err)
        err = shim_get_bytes(c, "g_a", &g_a, &g_a_len);
    if (err)
        return err;
    if (!dh_cache_ready) {
        prime_cache_init(&dh_cache);
        dh_cache_ready = 1;
    }
    return dh_check(p, p_len, g, g_a, g_a_len, &dh_cache, 0, rng_os());
}

static const shim_op bn_ops[] = {
    {"modexp", F_MODEXP, op_modexp},   {"bn_mul", F_AB, op_bn_mul},
    {"bn_divmod", F_AB, op_bn_divmod}, {"mod_inverse", F_INVERSE, op_mod_inverse},
    {"factor_pq", F_PQ, op_factor_pq}, {"dh_check", F_DH, op_dh_check},
};

const shim_op_table shim_ops_bn = {"bignum", bn_ops, sizeof bn_ops / sizeof bn_ops[0]};
