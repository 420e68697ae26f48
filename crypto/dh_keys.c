/* DH key agreement: the secret exponent, g^a and the shared key (constant time in the exponent). */
#include <string.h>

#include "common/ct.h"
#include "crypto/dh.h"

/* Draws of a before giving up: g^a misses the bounds with probability about 2^-63 per draw. */
#define DH_MAX_DRAWS 16

int dh_init(dh_ctx *c, const uint8_t *p, size_t p_len, uint32_t g)
{
    memset(c, 0, sizeof *c);
    bn pb;
    while (p_len > 0 && p[0] == 0) {
        p++;
        p_len--;
    }
    if (p_len != DH_BYTES || (p[0] & 0x80) == 0)
        return MT_E_DH_PRIME_SIZE;
    int err = bn_from_bytes(&pb, p, p_len);
    if (err != MT_OK)
        return err;
    if (!bn_is_odd(&pb))
        return MT_E_DH_PRIME_NOT_PRIME;
    if (g < 2 || g > 7)
        return MT_E_DH_G_UNSUPPORTED;
    c->g = g;
    return bn_mont_init(&c->mont, &pb);
}

/* pub = g^secret mod p as DH_BYTES bytes. */
static int compute_pub(dh_ctx *c, uint8_t pub[DH_BYTES])
{
    bn g, y;
    bn_set_u64(&g, c->g);
    int err = bn_mod_exp_ct(&c->mont, &y, &g, &c->secret, DH_BITS);
    if (err == MT_OK)
        err = bn_to_bytes(&y, pub, DH_BYTES);
    if (err == MT_OK)
        memcpy(c->pub, pub, DH_BYTES);
    bn_wipe(&y);
    return err;
}

int dh_generate(dh_ctx *c, mt_rng *rng, uint8_t pub_out[DH_BYTES])
{
    uint8_t p[DH_BYTES];
    bn pb;
    bn_mont_modulus(&c->mont, &pb);
    int err = c->mont.nlimbs == 0 ? MT_E_bad_argument : bn_to_bytes(&pb, p, DH_BYTES);
    for (int i = 0; err == MT_OK && i < DH_MAX_DRAWS; i++) {
        err = bn_rand_bits(&c->secret, DH_BITS, rng);
        if (err == MT_OK)
            err = compute_pub(c, pub_out);
        if (err == MT_OK && dh_check_value(p, DH_BYTES, pub_out, DH_BYTES, DH_VALUE_GA) == MT_OK) {
            c->have_secret = true;
            return MT_OK;
        }
    }
    if (err == MT_OK)
        err = MT_E_rng_failure;
    bn_wipe(&c->secret);
    memset(pub_out, 0, DH_BYTES);
    return err;
}

int dh_set_secret(dh_ctx *c, const uint8_t secret[DH_BYTES], uint8_t pub_out[DH_BYTES])
{
    int err = c->mont.nlimbs == 0 ? MT_E_bad_argument : bn_from_bytes(&c->secret, secret, DH_BYTES);
    if (err == MT_OK)
        err = compute_pub(c, pub_out);
    c->have_secret = err == MT_OK;
    if (err != MT_OK)
        bn_wipe(&c->secret);
    return err;
}

int dh_compute_key(dh_ctx *c, const uint8_t *peer, size_t peer_len, dh_value_kind kind,
                   uint8_t key[DH_BYTES])
{
    memset(key, 0, DH_BYTES);
    if (!c->have_secret)
        return MT_E_bad_argument;
    uint8_t p[DH_BYTES];
    bn pb, y, k;
    bn_mont_modulus(&c->mont, &pb);
    int err = bn_to_bytes(&pb, p, DH_BYTES);
    if (err == MT_OK)
        err = dh_check_value(p, DH_BYTES, peer, peer_len, kind);
    if (err == MT_OK)
        err = bn_from_bytes(&y, peer, peer_len);
    if (err == MT_OK)
        err = bn_mod_exp_ct(&c->mont, &k, &y, &c->secret, DH_BITS);
    if (err == MT_OK)
        err = bn_to_bytes(&k, key, DH_BYTES);
    bn_wipe(&k);
    return err;
}

void dh_wipe(dh_ctx *c)
{
    ct_wipe(c, sizeof *c);
}
