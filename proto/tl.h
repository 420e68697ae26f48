/*
 * TL primitives on the common cursor (page mtproto/serialize; spec/mtproto-notes.md §3).
 *
 * "Values are sequences of 32-bit little-endian words": int is 4 bytes LE, long 8 bytes LE,
 * double 8 bytes IEEE-754 LE, int128/int256 16/32 raw bytes. A string (or bytes) of length
 * L <= 253 is [L][data][0..3 zero bytes] and of L >= 254 is [0xFE][L as 3 bytes LE][data][pad],
 * padded to a multiple of 4. Readers share the cursor's sticky error: a failed read returns zeros
 * and every later read fails, so a decoder reads like the schema and checks the error once.
 *
 * Strictness. Telegram's own parsers ignore the content of string padding and accept the 0xFE
 * form for short strings. mtproof is a conformance tool: by default it refuses both
 * (tl_nonzero_padding, tl_noncanonical_length), because a value that decodes must re-encode to the
 * same bytes (the fuzz targets and round-trip tests rely on that) and because a peer that emits
 * such bytes is worth flagging. TL_LENIENT accepts both, for inspecting real traffic.
 */
#ifndef MTPROOF_PROTO_TL_H
#define MTPROOF_PROTO_TL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/cursor.h"

#define TL_ID_VECTOR     0x1cb5c415u
#define TL_ID_BOOL_TRUE  0x997275b5u
#define TL_ID_BOOL_FALSE 0xbc799737u

/* The longest string the 3-byte length form can carry. */
#define TL_STRING_MAX 0xFFFFFFu
/* Lengths up to this use the 1-byte form; 254 is the 0xFE marker, 255 is invalid. */
#define TL_SHORT_STRING_MAX 253u
#define TL_LONG_STRING_MARK 0xFEu
/* Element count limit of tl_rd_vector when the caller has no tighter one. */
#define TL_VECTOR_MAX 65536u

/* Reader flags. */
enum {
    TL_STRICT = 0,
    /* Accept non-zero string padding and the 0xFE form for lengths <= 253. */
    TL_LENIENT = 1u << 0,
};

/* A string or bytes value: a view into the input, never a copy. */
typedef struct tl_str {
    const uint8_t *p;
    size_t len;
} tl_str;

int32_t tl_rd_int(mt_rd *r);
int64_t tl_rd_long(mt_rd *r);
double tl_rd_double(mt_rd *r);
void tl_rd_int128(mt_rd *r, uint8_t out[16]);
void tl_rd_int256(mt_rd *r, uint8_t out[32]);
/* Reads a string/bytes value; on error returns {NULL, 0} with r->err set (truncated, tl_bad_string,
 * tl_noncanonical_length, tl_nonzero_padding). */
tl_str tl_rd_string(mt_rd *r, unsigned flags);
/* Reads a boxed Bool; any id but boolTrue/boolFalse fails with tl_bad_bool. */
bool tl_rd_bool(mt_rd *r);
/* Reads a vector header: the 0x1cb5c415 id when boxed (else tl_bad_vector), then the count.
 * Fails with limit_exceeded when count > max, and with truncated when fewer than
 * count * min_elem_size bytes remain (so no caller sizes memory by a count the input cannot hold).
 * Returns the count, or 0 on error. */
uint32_t tl_rd_vector(mt_rd *r, bool boxed, uint32_t max, size_t min_elem_size);

void tl_wr_int(mt_wr *w, int32_t v);
void tl_wr_long(mt_wr *w, int64_t v);
void tl_wr_double(mt_wr *w, double v);
void tl_wr_int128(mt_wr *w, const uint8_t v[16]);
void tl_wr_int256(mt_wr *w, const uint8_t v[32]);
/* Writes a string in its canonical form; len > TL_STRING_MAX sets w->err = limit_exceeded. */
void tl_wr_string(mt_wr *w, const uint8_t *p, size_t len);
/* Writes the non-canonical 0xFE form even for short strings (to build wrong messages on purpose).
 */
void tl_wr_string_long_form(mt_wr *w, const uint8_t *p, size_t len);
void tl_wr_bool(mt_wr *w, bool v);
/* Writes a vector header (id when boxed, then count). */
void tl_wr_vector(mt_wr *w, bool boxed, uint32_t count);
/* Bytes a string of length len takes on the wire (header, data and padding). */
size_t tl_string_size(size_t len);

#endif
