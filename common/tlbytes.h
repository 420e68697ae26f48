/*
 * The TL `bytes`/`string` encoding (page mtproto/serialize): "If L <= 253, the serialization
 * contains one byte with the value of L, then L bytes of the string followed by 0 to 3 characters
 * containing 0, such that the overall length of the value be divisible by 4 ... If L >= 254, the
 * serialization contains byte 254, followed by 3 bytes with the string length L, followed by L
 * bytes of the string, further followed by 0 to 3 null padding bytes."
 */
#ifndef MTPROOF_COMMON_TLBYTES_H
#define MTPROOF_COMMON_TLBYTES_H

#include <stddef.h>
#include <stdint.h>

#include "common/cursor.h"

#define TL_BYTES_SHORT_MAX 253       /* longest length in the one-byte form */
#define TL_BYTES_MAX       0xffffffu /* longest length the three-byte form can carry */

/* The serialised size of n bytes (header, data and padding). */
size_t tl_bytes_size(size_t n);

/* Writes p[0..n) as TL bytes; n over TL_BYTES_MAX sets w->err = limit_exceeded. */
void wr_tl_bytes(mt_wr *w, const uint8_t *p, size_t n);

#endif
