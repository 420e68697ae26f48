/*
 * gzip_packed (page service_messages; spec/mtproto-notes.md §3):
 *   gzip_packed#3072cfa1 packed_data:bytes = Object;
 * packed_data is a gzip stream (RFC 1952) of one serialised TL object. The unpacked size is
 * bounded three ways: the caller's buffer, GZIP_MAX_UNPACKED, and GZIP_MAX_RATIO times the packed
 * size. zlib inflates into the caller's buffer only, so a bomb is a rule violation (GZIP_BOMB)
 * found after at most `limit` bytes, never an allocation of the declared size. zlib's own state
 * (about 40 KiB) is of fixed size.
 */
#ifndef MTPROOF_PROTO_GZIP_H
#define MTPROOF_PROTO_GZIP_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* The largest unpacked object accepted (16 MiB). */
#define GZIP_MAX_UNPACKED (16u << 20)
/* The largest unpacked/packed ratio accepted (deflate's own limit is 1032:1). */
#define GZIP_MAX_RATIO 1024u

/* The limit gzip_unpack applies for a packed size and a buffer capacity. */
size_t gzip_limit(size_t packed_len, size_t cap);

/* Inflates one complete gzip stream in[0..in_len) into out. Errors: GZIP_BOMB (the output would
 * exceed gzip_limit), GZIP_INVALID (not gzip, corrupt, truncated, or bytes after the stream),
 * no_memory (zlib could not get its fixed-size state). */
MT_WUR int gzip_unpack(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *out_len);

/* Deflates in[0..in_len) into a gzip stream in out (level 6, no name, mtime 0: deterministic).
 * no_space when out is too small. */
MT_WUR int gzip_pack(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *out_len);

/* Unpacks a whole gzip_packed object (its id, then packed_data) into out: GZIP_INVALID when it is
 * not a well-formed gzip_packed, then as gzip_unpack. */
MT_WUR int gzip_packed_unpack(const uint8_t *body, size_t len, uint8_t *out, size_t cap,
                              size_t *out_len);

/* Writes a gzip_packed object packing in[0..in_len) to out. */
MT_WUR int gzip_packed_pack(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
                            size_t *out_len);

#endif
