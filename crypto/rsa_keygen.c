/* RSA key generation (FIPS 186-5 A.1.3 in outline: random probable primes of half the size with
 * their two top bits set, gcd(e, p-1) = 1, |p - q| large enough, d = e^-1 mod lcm(p-1, q-1)). */
#include <string.h>

#include "common/ct.h"
#include "crypto/prime.h"
#include "crypto/rsa.h"

/* A prime of `bits` bits with gcd(e, prime - 1) = 1. */
static int gen_prime(bn *p, size_t bits, const bn *e, mt_rng *rng)
{
    bn p1, g;
    int err;
    for (;;) {
        err = prime_generate(p, bits, 0, rng);
        if (!err)
            err = bn_sub_u64(&p1, p, 1);
        if (!err)
            err = bn_gcd(&g, e, &p1);
        if (err || bn_is_one(&g))
            break;
    }
    bn_wipe(&p1);
    bn_wipe(&g);
    return err;
}

/* FIPS 186-5 A.1.3 step 5.4: |p - q| > 2^(nlen/2 - 100). p > q on entry. */
static bool far_apart(const bn *p, const bn *q, size_t bits)
{
    bn diff;
    bool ok = bn_sub(&diff, p, q) == 0 && bn_num_bits(&diff) > bits / 2 - 100;
    bn_wipe(&diff);
    return ok;
}

/* d = e^-1 mod lcm(p-1, q-1); dP, dQ; qInv = q^-1 mod p (constant time, p prime). */
static int derive(rsa_private *k)
{
    bn p1, q1, g, lambda, t;
    int err = bn_sub_u64(&p1, &k->p, 1);
    if (!err)
        err = bn_sub_u64(&q1, &k->q, 1);
    if (!err)
        err = bn_gcd(&g, &p1, &q1);
    if (!err)
        err = bn_mul(&t, &p1, &q1);
    if (!err)
        err = bn_divmod(&lambda, NULL, &t, &g);
    if (!err)
        err = bn_mod_inverse(&k->d, &k->pub.e, &lambda);
    if (!err)
        err = bn_mod(&k->dp, &k->d, &p1);
    if (!err)
        err = bn_mod(&k->dq, &k->d, &q1);
    if (!err)
        err = bn_mont_init(&k->mont_p, &k->p);
    if (!err)
        err = bn_mont_init(&k->mont_q, &k->q);
    if (!err)
        err = bn_mont_reduce(&k->mont_p, &t, &k->q);
    if (!err)
        err = bn_mont_inverse_prime(&k->mont_p, &k->qinv, &t);
    bn_wipe(&p1);
    bn_wipe(&q1);
    bn_wipe(&g);
    bn_wipe(&lambda);
    bn_wipe(&t);
    return err;
}

/* One attempt: fills k->p, k->q, n and the private values; *retry when the primes must be
 * drawn again. */
static int attempt(rsa_private *k, size_t bits, mt_rng *rng, bool *retry)
{
    bn e;
    bn_set_u64(&e, RSA_KEYGEN_E);
    *retry = true;
    int err = gen_prime(&k->p, bits / 2, &e, rng);
    if (!err)
        err = gen_prime(&k->q, bits / 2, &e, rng);
    if (err)
        return err;
    if (bn_cmp(&k->p, &k->q) < 0) {
        bn t;
        bn_copy(&t, &k->p);
        bn_copy(&k->p, &k->q);
        bn_copy(&k->q, &t);
        bn_wipe(&t);
    }
    if (!far_apart(&k->p, &k->q, bits))
        return 0;
    bn n;
    err = bn_mul(&n, &k->p, &k->q);
    uint8_t nb[RSA_MAX_BYTES], eb[4] = {0, 1, 0, 1};
    _Static_assert(RSA_KEYGEN_E == 0x010001, "eb holds e");
    if (!err)
        err = bn_to_bytes(&n, nb, bits / 8);
    if (!err)
        err = rsa_public_init(&k->pub, nb, bits / 8, eb, sizeof eb);
    if (!err)
        err = derive(k);
    *retry = false;
    return err;
}

int rsa_generate(rsa_private *k, size_t bits, mt_rng *rng)
{
    memset(k, 0, sizeof *k);
    if (bits < 1024 || bits > RSA_MAX_BITS || bits % 16 != 0)
        return MT_E_bad_argument;
    bool retry = true;
    int err = 0;
    while (!err && retry)
        err = attempt(k, bits, rng, &retry);
    if (err)
        rsa_private_wipe(k);
    return err;
}
