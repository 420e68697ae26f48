/*
 * RSA (RFC 8017) as MTProto uses it: raw public and private operations (no PKCS#1 padding: MTProto
 * pads with RSA_PAD, crypto/rsa_pad.h), key generation, key loading with a consistency check,
 * PEM output, and the MTProto key fingerprint.
 *
 * Keys are flat structs (no allocation) holding their Montgomery contexts. The private operation
 * uses the CRT with constant-time exponentiation (bn_mod_exp_ct), optional base blinding, and
 * checks its result with the public operation before releasing it (a fault in the CRT would
 * otherwise leak a factor of n: Boneh–DeMillo–Lipton).
 *
 * Timing: the private operation and qInv are constant time. Key loading (the consistency check)
 * and key generation (d = e^-1 mod lcm(p-1, q-1), dP, dQ) use variable-time division and
 * inversion on secret values; they run once per key, locally, not on attacker-chosen input.
 */
#ifndef MTPROOF_CRYPTO_RSA_H
#define MTPROOF_CRYPTO_RSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/bn.h"
#include "crypto/rng.h"
#include "crypto/rsa_asn1.h"

#define RSA_MIN_BITS        512  /* smallest modulus loaded (tests, fuzzing); keygen makes 2048 */
#define RSA_MAX_BITS        4096 /* largest modulus (BN_MOD_MAX_BITS) */
#define RSA_MAX_BYTES       (RSA_MAX_BITS / 8)
#define RSA_KEYGEN_BITS     2048
#define RSA_KEYGEN_E        65537
#define RSA_FINGERPRINT_LEN 8
/* Miller–Rabin rounds for p and q when a private key is loaded (FIPS 186-5 B.3.1 for 1024-bit
 * primes of a 2048-bit key; the key file is trusted not to be adversarial). */
#define RSA_LOAD_MR_ROUNDS 5

_Static_assert(RSA_MAX_BITS <= BN_MOD_MAX_BITS, "RSA moduli fit a bn_mont");

typedef struct rsa_public {
    bn n, e;
    bn_mont mont_n;
    size_t bits;  /* bit length of n */
    size_t bytes; /* byte length of n: the size of every input and output */
} rsa_public;

typedef struct rsa_private {
    rsa_public pub;
    bn d, p, q, dp, dq, qinv;
    bn_mont mont_p, mont_q;
} rsa_private;

/* Sets up a public key from big-endian n and e. Errors: key_bad_size (n even, under
 * RSA_MIN_BITS or over RSA_MAX_BITS bits; e even, e < 3 or e >= n). */
MT_WUR int rsa_public_init(rsa_public *k, const uint8_t *n, size_t n_len, const uint8_t *e,
                           size_t e_len);

/* Sets up a private key from the eight PKCS#1 values and checks that they belong together:
 * n = p*q with p != q both probable primes (rng draws the Miller–Rabin bases), dP = d mod (p-1),
 * dQ = d mod (q-1), e*dP = 1 mod (p-1), e*dQ = 1 mod (q-1), q*qInv = 1 mod p. Errors: those of
 * rsa_public_init, key_inconsistent, rng_failure. On error k is wiped. */
MT_WUR int rsa_private_init(rsa_private *k, const rsa_key_der *v, mt_rng *rng);

/* Loads any of the four PEM forms (crypto/rsa_asn1.h). For the public loader a private key gives
 * its public half. *form (may be NULL) gets the form, *err_off (may be NULL) the DER offset of a
 * DER error. Errors: those of rsa_pem_parse, rsa_public_init, rsa_private_init; the private
 * loader refuses a public form with key_not_private. */
MT_WUR int rsa_public_load_pem(rsa_public *k, const char *text, size_t len, rsa_key_form *form,
                               size_t *err_off);
MT_WUR int rsa_private_load_pem(rsa_private *k, const char *text, size_t len, mt_rng *rng,
                                rsa_key_form *form, size_t *err_off);

/* Writes a key as PEM in a form (public forms for rsa_public_to_pem, any form for the private
 * key; a public form writes its public half). Errors: no_space, key_not_private. */
MT_WUR int rsa_public_to_pem(const rsa_public *k, rsa_key_form form, char *out, size_t cap,
                             size_t *out_len);
MT_WUR int rsa_private_to_pem(const rsa_private *k, rsa_key_form form, char *out, size_t cap,
                              size_t *out_len);

/* Generates a key of `bits` bits (a multiple of 16 in 1024..RSA_MAX_BITS; MTProto: 2048) with
 * e = RSA_KEYGEN_E from rng: p and q from prime_generate with gcd(e, p-1) = gcd(e, q-1) = 1,
 * |p - q| > 2^(bits/2 - 100) (FIPS 186-5 A.1.3), p > q, d = e^-1 mod lcm(p-1, q-1). The result
 * passes rsa_private_init's check. Errors: bad_argument, rng_failure. */
MT_WUR int rsa_generate(rsa_private *k, size_t bits, mt_rng *rng);

/* out = in^e mod n. in and out are k->bytes long (in big-endian, left-padded with zeros);
 * in must be below n (rsa_input_range). in == out is allowed. Variable time (public values). */
MT_WUR int rsa_public_op(const rsa_public *k, const uint8_t *in, size_t len, uint8_t *out);

/* out = in^d mod n by the CRT, constant time; with rng non-NULL the input is blinded by r^e for a
 * random r. The result is checked with the public operation (rsa_fault). in == out allowed.
 * Errors: bad_argument (len != k->bytes), rsa_input_range, rsa_fault, rng_failure. On error out
 * is zeroed. */
MT_WUR int rsa_private_op(const rsa_private *k, const uint8_t *in, size_t len, uint8_t *out,
                          mt_rng *rng);

/* The MTProto fingerprint (mtproto/auth_key): "the lower 64 bits of SHA1(server_public_key)",
 * where the key is the bare TL `rsa_public_key n:string e:string` with n and e as minimal
 * big-endian bytes. out gets the last 8 bytes of the SHA-1 as sent on the wire; read
 * little-endian they are the int64 (0xd09d1d85de64fd85 for Telegram's production key). */
void rsa_fingerprint(const rsa_public *k, uint8_t out[RSA_FINGERPRINT_LEN]);
uint64_t rsa_fingerprint_u64(const rsa_public *k);

void rsa_public_wipe(rsa_public *k);
void rsa_private_wipe(rsa_private *k);

#endif
