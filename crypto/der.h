/*
 * A strict DER reader and a DER writer (X.690 §8 and §10), only what RSA keys need: SEQUENCE,
 * INTEGER, NULL, OBJECT IDENTIFIER, BIT STRING, OCTET STRING.
 *
 * The reader sits on the cursor of common/cursor.h (STYLE.md rule 1). It refuses what DER
 * forbids: indefinite lengths (X.690 §10.1 "the definite form of length encoding shall be used"),
 * non-minimal lengths (§10.1 "encoded in the minimum number of octets"), negative or non-minimal
 * INTEGERs (§8.3.2 "the bits of the first octet and bit 8 of the second octet shall not all be
 * ones and shall not all be zero"), a BIT STRING with unused bits, NULL with contents, wrong tags,
 * and trailing data. Every reader of one input shares a der_status that keeps the first error and
 * the byte offset where it was found, so a caller can say "bad DER at offset N".
 */
#ifndef MTPROOF_CRYPTO_DER_H
#define MTPROOF_CRYPTO_DER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/cursor.h"
#include "common/err.h"

#define DER_TAG_INTEGER      0x02
#define DER_TAG_BIT_STRING   0x03
#define DER_TAG_OCTET_STRING 0x04
#define DER_TAG_NULL         0x05
#define DER_TAG_OID          0x06
#define DER_TAG_SEQUENCE     0x30

/* Longest element the reader and the writer handle (a 4096-bit private key is ~2.4 KB). */
#define DER_MAX_LEN 0xffff

/* The first error of a parse and where it happened (offset from the start of the input). */
typedef struct der_status {
    const uint8_t *base; /* start of the whole input */
    size_t off;          /* offset of the element (or byte) that failed */
    int err;             /* 0, or the first error */
} der_status;

/* A reader over one element's contents; all readers of one input share one der_status. */
typedef struct der_rd {
    mt_rd r;
    der_status *st;
} der_rd;

/* A reader over the whole input p[0..n). */
der_rd der_reader(const uint8_t *p, size_t n, der_status *st);

/* Records err at the reader's current position (first error wins) and stops the reader. */
void der_fail(der_rd *d, int err);
/* The same, recording the offset of `at` (the start of the element that was wrong). */
void der_fail_at(der_rd *d, const uint8_t *at, int err);

/* Reads one element with tag `tag` and returns a reader over its contents. Errors:
 * der_bad_tag, der_bad_length, truncated. */
der_rd der_enter(der_rd *d, uint8_t tag);

/* Reads a non-negative INTEGER and returns its magnitude without the sign byte (*len bytes,
 * big-endian, no leading zero; zero has *len == 0). NULL on error (der_bad_integer for
 * negative, empty or non-minimal encodings). */
const uint8_t *der_uint(der_rd *d, size_t *len);

/* Reads a non-negative INTEGER that must fit in 32 bits (a version number). */
uint32_t der_small_uint(der_rd *d);

/* Reads NULL (no contents). */
void der_null(der_rd *d);

/* Reads an OBJECT IDENTIFIER and returns whether its contents equal oid[0..n). */
bool der_oid_is(der_rd *d, const uint8_t *oid, size_t n);

/* Reads a BIT STRING whose unused-bits count is 0 and returns a reader over its bytes. */
der_rd der_bit_string(der_rd *d);

/* True when the next element has tag `tag` (no error when not, or at the end). */
bool der_peek(const der_rd *d, uint8_t tag);

/* Finishes a reader: every byte must have been read. Returns the shared first error, or
 * trailing_data (recorded at the first unread byte), or 0. */
MT_WUR int der_done(der_rd *d);
/* The same for a nested reader whose error the outermost der_done reports (the status is
 * shared), so a decoder checks once at the end. */
void der_end(der_rd *d);

/* ---- writer: begin reserves the length, the body is written, end fills the length in ---- */

/* Writes `tag` and reserves room for the longest length form; returns the mark to pass to
 * der_wr_end. */
size_t der_wr_begin(mt_wr *w, uint8_t tag);
/* Fills in the length of the element begun at `mark` in its minimal form (moving the body back
 * over the unused reserve). Bodies over DER_MAX_LEN fail with limit_exceeded. */
void der_wr_end(mt_wr *w, size_t mark);
/* Writes a non-negative INTEGER from big-endian magnitude bytes (leading zeros allowed). */
void der_wr_uint(mt_wr *w, const uint8_t *be, size_t n);
void der_wr_small_uint(mt_wr *w, uint32_t v);
void der_wr_null(mt_wr *w);
void der_wr_oid(mt_wr *w, const uint8_t *oid, size_t n);

#endif
