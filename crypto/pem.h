/*
 * PEM armor (RFC 7468): one "-----BEGIN LABEL-----" line, base64 (RFC 4648 §4) lines, and the
 * matching "-----END LABEL-----" line. The decoder is strict where RFC 7468 §3 allows a parser to
 * be: characters outside the alphabet, '=' anywhere but the end, a length that is not a multiple
 * of 4, and non-zero padding bits are refused; the END label must equal the BEGIN label. Text
 * before the BEGIN line is skipped (RFC 7468 §5.2: "data before the encapsulation boundaries are
 * permitted"); after the END line only whitespace may follow. RFC 1421 header lines
 * ("Proc-Type: 4,ENCRYPTED") and the "ENCRYPTED PRIVATE KEY" label mean an encrypted key, which
 * mtproof does not read: they give pem_encrypted. Which labels a caller accepts is its business
 * (crypto/rsa_asn1.h for keys). The caller owns every buffer; nothing is allocated.
 */
#ifndef MTPROOF_CRYPTO_PEM_H
#define MTPROOF_CRYPTO_PEM_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define PEM_MAX_TEXT  16384 /* longest PEM text read (a 4096-bit PKCS#8 key is ~3.3 KB) */
#define PEM_MAX_DER   4096  /* longest DER body (a 4096-bit private key is ~2.4 KB) */
#define PEM_LABEL_MAX 40    /* longest label, without the NUL */
#define PEM_LINE_LEN  64    /* base64 characters per line written (RFC 7468 §2) */

/* Decodes the PEM block in text[0..len). label gets the BEGIN label (NUL-terminated), der[0..cap)
 * the decoded bytes, *der_len their count. Errors: limit_exceeded (len > PEM_MAX_TEXT),
 * pem_not_pem, pem_bad_label, pem_encrypted, pem_bad_base64, no_space. On error der is wiped. */
MT_WUR int pem_decode(const char *text, size_t len, char label[PEM_LABEL_MAX + 1], uint8_t *der,
                      size_t cap, size_t *der_len);

/* The PEM text length pem_encode writes for n bytes and a label of label_len characters. */
size_t pem_encoded_len(size_t label_len, size_t n);

/* Writes der[0..n) as PEM with `label` into out[0..cap): lines of PEM_LINE_LEN, "\n" line ends,
 * then a NUL (not counted in *out_len). Errors: bad_argument (label), no_space. */
MT_WUR int pem_encode(const char *label, const uint8_t *der, size_t n, char *out, size_t cap,
                      size_t *out_len);

#endif
