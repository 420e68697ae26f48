/*
 * The four RSA key forms in DER and PEM, as byte spans (no big-number arithmetic here):
 *  - PKCS#1 RSAPublicKey, PEM "RSA PUBLIC KEY" (RFC 8017 A.1.1): SEQUENCE { n, e };
 *  - SubjectPublicKeyInfo, PEM "PUBLIC KEY" (RFC 5280 §4.1, RFC 3279 §2.3.1): SEQUENCE {
 *    SEQUENCE { rsaEncryption, NULL }, BIT STRING { RSAPublicKey } };
 *  - PKCS#1 RSAPrivateKey, PEM "RSA PRIVATE KEY" (RFC 8017 A.1.2): SEQUENCE { version 0, n, e,
 *    d, p, q, dP, dQ, qInv } (version 1, multi-prime, is refused);
 *  - unencrypted PKCS#8 PrivateKeyInfo, PEM "PRIVATE KEY" (RFC 5208 §5): SEQUENCE { version 0,
 *    SEQUENCE { rsaEncryption, NULL }, OCTET STRING { RSAPrivateKey } } (attributes refused).
 * RFC 3279 §2.3.1: rsaEncryption "parameters field MUST have ASN.1 type NULL".
 */
#ifndef MTPROOF_CRYPTO_RSA_ASN1_H
#define MTPROOF_CRYPTO_RSA_ASN1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/pem.h"

typedef enum rsa_key_form {
    RSA_FORM_PKCS1_PUBLIC,  /* "RSA PUBLIC KEY" */
    RSA_FORM_SPKI,          /* "PUBLIC KEY" */
    RSA_FORM_PKCS1_PRIVATE, /* "RSA PRIVATE KEY" */
    RSA_FORM_PKCS8,         /* "PRIVATE KEY" */
} rsa_key_form;

/* A non-negative integer as big-endian bytes without leading zeros (len 0 = zero). */
typedef struct rsa_int {
    const uint8_t *p;
    size_t len;
} rsa_int;

/* A parsed key: spans point into the DER buffer it was read from. Public forms fill n and e. */
typedef struct rsa_key_der {
    rsa_key_form form;
    rsa_int n, e, d, p, q, dp, dq, qinv;
} rsa_key_der;

/* The 9 content bytes of OID 1.2.840.113549.1.1.1 (rsaEncryption). */
extern const uint8_t RSA_OID_RSA_ENCRYPTION[9];

bool rsa_form_is_private(rsa_key_form f);
/* The PEM label of a form, and a short description ("PKCS#1 public key"). */
const char *rsa_form_label(rsa_key_form f);
const char *rsa_form_name(rsa_key_form f);
/* The form whose label is `label`; pem_unknown_label when none. */
MT_WUR int rsa_form_from_label(const char *label, rsa_key_form *f);

/* Parses der[0..n) in the given form. On error *err_off (may be NULL) gets the byte offset of the
 * offending element. Errors: the der_* ones, truncated, trailing_data, key_not_rsa. */
MT_WUR int rsa_der_parse(rsa_key_form form, const uint8_t *der, size_t n, rsa_key_der *out,
                         size_t *err_off);

/* Decodes PEM text into der[0..cap) and parses it in the form its label names. Errors: those of
 * pem_decode and rsa_der_parse, and pem_unknown_label. *err_off as for rsa_der_parse (an offset
 * into the decoded DER). */
MT_WUR int rsa_pem_parse(const char *text, size_t len, uint8_t *der, size_t cap, rsa_key_der *out,
                         size_t *err_off);

/* Writes k in k->form as DER into out[0..cap). Errors: no_space, limit_exceeded. */
MT_WUR int rsa_der_write(const rsa_key_der *k, uint8_t *out, size_t cap, size_t *out_len);

/* Writes k in k->form as PEM (NUL-terminated) into out[0..cap). The DER intermediate is wiped. */
MT_WUR int rsa_pem_write(const rsa_key_der *k, char *out, size_t cap, size_t *out_len);

#endif
