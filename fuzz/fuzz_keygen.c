/*
 * Targets: prime_generate (crypto/prime.c) and rsa_generate (crypto/rsa_keygen.c), with the key
 * writing and loading behind them (rsa_private_to_pem, rsa_public_to_pem, rsa_private_load_pem's
 * consistency check and rsa_public_load_pem in crypto/rsa_key.c, rsa_public_op / rsa_private_op
 * in crypto/rsa.c): a property target whose input is the randomness.
 * Input: [mode:u8][k:u8][rest]: the DRBG is seeded with rest. mode & 1 = 0: prime_generate of
 * 16 + 2k bits (16..526); 1: rsa_generate of a 1024-bit key (the slow mode: two 512-bit primes).
 * mode & 2: the RNG fails after 64k bytes have been drawn.
 * Properties: a prime has exactly the bits asked for, its two top bits set, and passes an
 * independent Miller-Rabin check; a key has p > q and n = p * q of 1024 bits, is written and
 * loaded back in both private PEM forms with the same n and d (the loader checks that the eight
 * values belong together) and in both public forms with the same n and e (which the private
 * loader refuses), and decrypts what its public half encrypts; a failing RNG gives rng_failure
 * (never another error) and a wiped key; sizes outside the limits give bad_argument.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/drbg.h"
#include "crypto/prime.h"
#include "crypto/rsa.h"
#include "crypto/rsa_asn1.h"

/* A DRBG that fails once `budget` bytes have been drawn (when limited). */
typedef struct limited_rng {
    mt_rng rng; /* first member */
    mt_drbg drbg;
    bool limited;
    size_t budget;
} limited_rng;

static int limited_fill(mt_rng *self, uint8_t *out, size_t n)
{
    limited_rng *l = (limited_rng *)self;
    if (l->limited && n > l->budget) {
        memset(out, 0, n);
        return MT_E_rng_failure;
    }
    l->budget -= l->limited ? n : 0;
    drbg_generate(&l->drbg, out, n);
    return MT_OK;
}

static void check_prime(const bn *p, size_t bits)
{
    mt_drbg other;
    bool is_prime = false;
    drbg_init_u64(&other, 7);
    if (bn_num_bits(p) != bits || !bn_bit(p, bits - 1) || !bn_bit(p, bits - 2) ||
        prime_is_probable(p, 8, &other.rng, &is_prime) || !is_prime)
        abort();
}

/* Writes k in a private form, loads it back and compares. */
static void round_trip(const rsa_private *k, rsa_key_form form, mt_rng *rng)
{
    static char pem[8192];
    static rsa_private back;
    size_t n;
    if (rsa_private_to_pem(k, form, pem, sizeof pem, &n) ||
        rsa_private_load_pem(&back, pem, n, rng, NULL, NULL) || bn_cmp(&back.pub.n, &k->pub.n) ||
        bn_cmp(&back.d, &k->d))
        abort();
    rsa_private_wipe(&back);
}

/* Writes k's public half in a public form; it loads back as that form with the same n and e, and
 * the private loader refuses it. */
static void round_trip_public(const rsa_private *k, rsa_key_form form, mt_rng *rng)
{
    static char pem[4096];
    static rsa_public pub;
    static rsa_private priv;
    size_t n;
    rsa_key_form got = RSA_FORM_PKCS8;
    if (rsa_private_to_pem(k, form, pem, sizeof pem, &n) ||
        rsa_public_load_pem(&pub, pem, n, &got, NULL) || got != form || bn_cmp(&pub.n, &k->pub.n) ||
        bn_cmp(&pub.e, &k->pub.e) ||
        rsa_private_load_pem(&priv, pem, n, rng, NULL, NULL) != MT_E_key_not_private)
        abort();
    rsa_public_wipe(&pub);
}

static void check_key(const rsa_private *k, mt_rng *rng)
{
    bn n;
    uint8_t msg[128] = {0, 1, 2, 3}, enc[128], dec[128];
    if (bn_cmp(&k->p, &k->q) <= 0 || bn_mul(&n, &k->p, &k->q) || bn_cmp(&n, &k->pub.n) ||
        k->pub.bits != 1024 || k->pub.bytes != sizeof msg)
        abort();
    round_trip(k, RSA_FORM_PKCS1_PRIVATE, rng);
    round_trip(k, RSA_FORM_PKCS8, rng);
    round_trip_public(k, RSA_FORM_PKCS1_PUBLIC, rng);
    round_trip_public(k, RSA_FORM_SPKI, rng);
    if (rsa_public_op(&k->pub, msg, sizeof msg, enc) ||
        rsa_private_op(k, enc, sizeof enc, dec, rng) || memcmp(msg, dec, sizeof msg) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rsa_private key;
    static limited_rng lr = {.rng = {.fill = limited_fill}};
    if (size < 2)
        return 0;
    unsigned mode = data[0], k = data[1];
    drbg_init(&lr.drbg, data + 2, size - 2);
    lr.limited = (mode & 2) != 0;
    lr.budget = (size_t)k * 64;
    if (mode & 1) {
        if (rsa_generate(&key, 1000, &lr.rng) != MT_E_bad_argument)
            abort();
        int err = rsa_generate(&key, 1024, &lr.rng);
        if (err == MT_OK && !lr.limited)
            check_key(&key, &lr.rng);
        else if (err && (err != MT_E_rng_failure || key.pub.bytes != 0 || !bn_is_zero(&key.d)))
            abort();
        rsa_private_wipe(&key);
    } else {
        bn p;
        size_t bits = PRIME_GEN_MIN_BITS + 2 * (size_t)k;
        if (prime_generate(&p, PRIME_GEN_MIN_BITS - 1, 0, &lr.rng) != MT_E_bad_argument)
            abort();
        int err = prime_generate(&p, bits, 0, &lr.rng);
        if (err == MT_OK)
            check_prime(&p, bits);
        else if (err != MT_E_rng_failure)
            abort();
        bn_wipe(&p);
    }
    drbg_wipe(&lr.drbg);
    return 0;
}
