/* RSA public key setup, the raw public and private (CRT) operations, and the MTProto fingerprint.
 * Key loading and checks: rsa_key.c; generation: rsa_keygen.c. */
#include "crypto/rsa.h"

#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "common/tlbytes.h"
#include "crypto/sha1.h"

int rsa_public_init(rsa_public *k, const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len)
{
    memset(k, 0, sizeof *k);
    int err = bn_from_bytes(&k->n, n, n_len);
    if (!err)
        err = bn_from_bytes(&k->e, e, e_len);
    if (err)
        goto bad;
    k->bits = bn_num_bits(&k->n);
    k->bytes = (k->bits + 7) / 8;
    /* RFC 8017 §3.1: "the RSA public exponent e is an integer between 3 and n - 1". An even n or
     * e cannot belong to a working key. */
    if (k->bits < RSA_MIN_BITS || k->bits > RSA_MAX_BITS || !bn_is_odd(&k->n) ||
        !bn_is_odd(&k->e) || bn_cmp_u64(&k->e, 3) < 0 || bn_cmp(&k->e, &k->n) >= 0)
        goto bad;
    if (bn_mont_init(&k->mont_n, &k->n) != 0)
        goto bad;
    return 0;
bad:
    rsa_public_wipe(k);
    return MT_E_key_bad_size;
}

/* Reads a k->bytes-long big-endian input and checks it is below n. */
static int read_input(const rsa_public *k, const uint8_t *in, size_t len, bn *x)
{
    if (len != k->bytes)
        return MT_E_bad_argument;
    int err = bn_from_bytes(x, in, len);
    if (err)
        return err;
    return bn_cmp(x, &k->n) < 0 ? 0 : MT_E_rsa_input_range;
}

int rsa_public_op(const rsa_public *k, const uint8_t *in, size_t len, uint8_t *out)
{
    bn x;
    int err = read_input(k, in, len, &x);
    if (!err)
        err = bn_mod_exp_vartime(&k->mont_n, &x, &x, &k->e);
    if (!err)
        err = bn_to_bytes(&x, out, len);
    return err;
}

/* m = c^d mod n by Garner's CRT: m1 = c^dP mod p, m2 = c^dQ mod q,
 * h = qInv (m1 - m2) mod p, m = m2 + h q (RFC 8017 §5.1.2, step 2.b). Constant time. */
static int crt(const rsa_private *k, bn *m, const bn *c)
{
    bn m1, m2, t;
    /* Both halves at once (AVX-512 IFMA when available); dP < p and dQ < q, so the larger prime
     * size bounds both exponents. */
    size_t exp_bits = k->mont_p.bits > k->mont_q.bits ? k->mont_p.bits : k->mont_q.bits;
    int err = bn_mod_exp_ct_x2(&k->mont_p, &m1, c, &k->dp, &k->mont_q, &m2, c, &k->dq, exp_bits);
    if (!err)
        err = bn_mont_reduce(&k->mont_p, &t, &m2); /* m2 mod p: q may exceed p */
    if (!err)
        err = bn_mod_sub(&t, &m1, &t, &k->p);
    if (!err)
        err = bn_mont_mul(&k->mont_p, &t, &t, &k->qinv);
    if (!err)
        err = bn_mul(&t, &t, &k->q);
    if (!err)
        err = bn_add(m, &t, &m2);
    bn_wipe(&m1);
    bn_wipe(&m2);
    bn_wipe(&t);
    return err;
}

/* Blinding: c' = c r^e mod n for a random r in [1, n), unblinded by r^-1 afterwards. */
static int blind(const rsa_private *k, bn *c, bn *r_inv, mt_rng *rng)
{
    bn r, one, re;
    bn_set_u64(&one, 1);
    int err = bn_rand_range(&r, &one, &k->pub.n, rng); /* [1, n]; n itself is refused below */
    if (!err && bn_cmp(&r, &k->pub.n) == 0)
        bn_copy(&r, &one);
    if (!err)
        err = bn_mod_inverse(r_inv, &r, &k->pub.n); /* fails only when r shares p or q */
    if (!err)
        err = bn_mod_exp_vartime(&k->pub.mont_n, &re, &r, &k->pub.e);
    if (!err)
        err = bn_mont_mul(&k->pub.mont_n, c, c, &re);
    bn_wipe(&r);
    bn_wipe(&re);
    return err;
}

int rsa_private_op(const rsa_private *k, const uint8_t *in, size_t len, uint8_t *out, mt_rng *rng)
{
    bn c, c0, m, r_inv, check;
    int err = read_input(&k->pub, in, len, &c);
    if (err)
        goto out;
    bn_copy(&c0, &c);
    if (rng)
        err = blind(k, &c, &r_inv, rng);
    if (!err)
        err = crt(k, &m, &c);
    if (!err && rng)
        err = bn_mont_mul(&k->pub.mont_n, &m, &m, &r_inv);
    /* Fault check: m^e must give back the input. */
    if (!err)
        err = bn_mod_exp_vartime(&k->pub.mont_n, &check, &m, &k->pub.e);
    if (!err && bn_cmp(&check, &c0) != 0)
        err = MT_E_rsa_fault;
    if (!err)
        err = bn_to_bytes(&m, out, len);
out:
    if (err && len == k->pub.bytes)
        ct_wipe(out, len);
    bn_wipe(&c);
    bn_wipe(&c0);
    bn_wipe(&m);
    bn_wipe(&r_inv);
    bn_wipe(&check);
    return err;
}

void rsa_fingerprint(const rsa_public *k, uint8_t out[RSA_FINGERPRINT_LEN])
{
    /* Bare rsa_public_key n:string e:string; both at most RSA_MAX_BYTES long. */
    uint8_t buf[2 * (4 + RSA_MAX_BYTES + 3)], nb[RSA_MAX_BYTES], eb[RSA_MAX_BYTES];
    size_t nl = bn_num_bytes(&k->n), el = bn_num_bytes(&k->e);
    mt_wr w = wr_init(buf, sizeof buf);
    if (bn_to_bytes(&k->n, nb, nl) == 0 && bn_to_bytes(&k->e, eb, el) == 0) {
        wr_tl_bytes(&w, nb, nl);
        wr_tl_bytes(&w, eb, el);
    }
    uint8_t h[SHA1_DIGEST_LEN];
    sha1(buf, wr_len(&w), h);
    /* "lower 64 bits": the last 8 bytes of the digest, an int64 in TL's little-endian order. */
    memcpy(out, h + SHA1_DIGEST_LEN - RSA_FINGERPRINT_LEN, RSA_FINGERPRINT_LEN);
}

uint64_t rsa_fingerprint_u64(const rsa_public *k)
{
    uint8_t fp[RSA_FINGERPRINT_LEN];
    rsa_fingerprint(k, fp);
    return ld64le(fp);
}

void rsa_public_wipe(rsa_public *k)
{
    ct_wipe(k, sizeof *k);
}

void rsa_private_wipe(rsa_private *k)
{
    ct_wipe(k, sizeof *k);
}
