/* RSA private key setup with its consistency check; loading keys from PEM and writing them. */
#include <string.h>

#include "common/ct.h"
#include "crypto/prime.h"
#include "crypto/rsa.h"

static int load_int(bn *x, const rsa_int *v)
{
    return bn_from_bytes(x, v->p, v->len);
}

/* Whether x = y mod m (y is reduced first). Variable time. */
static bool mod_equals(const bn *x, const bn *y, const bn *m)
{
    bn t;
    bool eq = bn_mod(&t, y, m) == 0 && bn_cmp(&t, x) == 0;
    bn_wipe(&t);
    return eq;
}

/* Whether a * b = 1 mod m. Variable time. */
static bool mod_mul_is_one(const bn *a, const bn *b, const bn *m)
{
    bn t;
    bool one = bn_mod_mul(&t, a, b, m) == 0 && bn_is_one(&t);
    bn_wipe(&t);
    return one;
}

/* RFC 8017 §3.2: n = p q; e dP = 1 (mod p-1); e dQ = 1 (mod q-1); q qInv = 1 (mod p).
 * dP = d mod (p-1) and dQ = d mod (q-1) tie d to them. */
static int check_values(const rsa_private *k, mt_rng *rng)
{
    bn t, p1, q1;
    int err = MT_E_key_inconsistent;
    bool prime_p = false, prime_q = false;
    if (bn_mul(&t, &k->p, &k->q) != 0 || bn_cmp(&t, &k->pub.n) != 0 || bn_cmp(&k->p, &k->q) == 0)
        goto out;
    if (bn_sub_u64(&p1, &k->p, 1) != 0 || bn_sub_u64(&q1, &k->q, 1) != 0)
        goto out;
    if (bn_cmp(&k->dp, &p1) >= 0 || bn_cmp(&k->dq, &q1) >= 0 || bn_cmp(&k->qinv, &k->p) >= 0)
        goto out;
    if (!mod_equals(&k->dp, &k->d, &p1) || !mod_equals(&k->dq, &k->d, &q1) ||
        !mod_mul_is_one(&k->pub.e, &k->dp, &p1) || !mod_mul_is_one(&k->pub.e, &k->dq, &q1) ||
        !mod_mul_is_one(&k->q, &k->qinv, &k->p))
        goto out;
    err = prime_is_probable(&k->p, RSA_LOAD_MR_ROUNDS, rng, &prime_p);
    if (!err)
        err = prime_is_probable(&k->q, RSA_LOAD_MR_ROUNDS, rng, &prime_q);
    if (!err && (!prime_p || !prime_q))
        err = MT_E_key_inconsistent;
out:
    bn_wipe(&t);
    bn_wipe(&p1);
    bn_wipe(&q1);
    return err;
}

int rsa_private_init(rsa_private *k, const rsa_key_der *v, mt_rng *rng)
{
    memset(k, 0, sizeof *k);
    int err = rsa_public_init(&k->pub, v->n.p, v->n.len, v->e.p, v->e.len);
    if (err)
        goto out;
    bn *dst[] = {&k->d, &k->p, &k->q, &k->dp, &k->dq, &k->qinv};
    const rsa_int *src[] = {&v->d, &v->p, &v->q, &v->dp, &v->dq, &v->qinv};
    for (size_t i = 0; i < 6 && !err; i++)
        err = load_int(dst[i], src[i]);
    if (err || bn_mont_init(&k->mont_p, &k->p) != 0 || bn_mont_init(&k->mont_q, &k->q) != 0) {
        err = MT_E_key_inconsistent;
        goto out;
    }
    /* The CRT reduces a value below n modulo p and q in constant time, which needs n to be at
     * most twice as wide (in limbs) as each prime: refuse badly unbalanced primes. */
    if (k->pub.bits > 128 * k->mont_p.nlimbs || k->pub.bits > 128 * k->mont_q.nlimbs) {
        err = MT_E_key_bad_size;
        goto out;
    }
    err = check_values(k, rng);
out:
    if (err)
        rsa_private_wipe(k);
    return err;
}

int rsa_public_load_pem(rsa_public *k, const char *text, size_t len, rsa_key_form *form,
                        size_t *err_off)
{
    uint8_t der[PEM_MAX_DER];
    rsa_key_der v;
    memset(k, 0, sizeof *k);
    int err = rsa_pem_parse(text, len, der, sizeof der, &v, err_off);
    if (!err && form)
        *form = v.form;
    if (!err)
        err = rsa_public_init(k, v.n.p, v.n.len, v.e.p, v.e.len);
    ct_wipe(der, sizeof der);
    ct_wipe(&v, sizeof v);
    return err;
}

int rsa_private_load_pem(rsa_private *k, const char *text, size_t len, mt_rng *rng,
                         rsa_key_form *form, size_t *err_off)
{
    uint8_t der[PEM_MAX_DER];
    rsa_key_der v;
    memset(k, 0, sizeof *k);
    int err = rsa_pem_parse(text, len, der, sizeof der, &v, err_off);
    if (!err && form)
        *form = v.form;
    if (!err && !rsa_form_is_private(v.form))
        err = MT_E_key_not_private;
    if (!err)
        err = rsa_private_init(k, &v, rng);
    ct_wipe(der, sizeof der);
    ct_wipe(&v, sizeof v);
    return err;
}

/* Big-endian minimal bytes of a bn, stored in buf (RSA_MAX_BYTES per value). */
static rsa_int export_int(const bn *x, uint8_t *buf)
{
    rsa_int v = {buf, bn_num_bytes(x)};
    if (v.len > RSA_MAX_BYTES || bn_to_bytes(x, buf, v.len) != 0)
        v.len = 0;
    return v;
}

int rsa_public_to_pem(const rsa_public *k, rsa_key_form form, char *out, size_t cap,
                      size_t *out_len)
{
    *out_len = 0;
    if (rsa_form_is_private(form))
        return MT_E_key_not_private;
    uint8_t buf[2][RSA_MAX_BYTES];
    rsa_key_der v;
    memset(&v, 0, sizeof v);
    v.form = form;
    v.n = export_int(&k->n, buf[0]);
    v.e = export_int(&k->e, buf[1]);
    return rsa_pem_write(&v, out, cap, out_len);
}

int rsa_private_to_pem(const rsa_private *k, rsa_key_form form, char *out, size_t cap,
                       size_t *out_len)
{
    if (!rsa_form_is_private(form))
        return rsa_public_to_pem(&k->pub, form, out, cap, out_len);
    uint8_t buf[8][RSA_MAX_BYTES];
    rsa_key_der v;
    v.form = form;
    const bn *src[] = {&k->pub.n, &k->pub.e, &k->d, &k->p, &k->q, &k->dp, &k->dq, &k->qinv};
    rsa_int *dst[] = {&v.n, &v.e, &v.d, &v.p, &v.q, &v.dp, &v.dq, &v.qinv};
    for (size_t i = 0; i < 8; i++)
        *dst[i] = export_int(src[i], buf[i]);
    int err = rsa_pem_write(&v, out, cap, out_len);
    ct_wipe(buf, sizeof buf);
    return err;
}
