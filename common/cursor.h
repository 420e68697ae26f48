/*
 * The one bounds-checked reader and writer (STYLE.md rule 1).
 *
 * A reader's error is sticky: a read past the end sets err, yields zeros, and every later read
 * fails too, so a decoder reads like its schema and checks err once at the end. Nested lengths
 * get a child cursor that cannot see past them. The writer works the same way on an output
 * buffer owned by the caller; it never allocates.
 */
#ifndef MTPROOF_COMMON_CURSOR_H
#define MTPROOF_COMMON_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

typedef struct mt_rd {
    const uint8_t *p;   /* next unread byte */
    const uint8_t *end; /* one past the last readable byte */
    int err;            /* 0, or the first error (sticky) */
} mt_rd;

typedef struct mt_wr {
    uint8_t *start; /* first byte of the buffer */
    uint8_t *p;     /* next byte to write */
    uint8_t *end;   /* one past the last writable byte */
    int err;        /* 0, or the first error (sticky) */
} mt_wr;

/* ---- reader ---- */

static inline mt_rd rd_init(const uint8_t *p, size_t n)
{
    mt_rd r = {p, p + n, 0};
    return r;
}
static inline size_t rd_left(const mt_rd *r)
{
    return r->err ? 0 : (size_t)(r->end - r->p);
}
/* Sets err (if not already set) and makes every later read fail. */
void rd_fail(mt_rd *r, int err);
/* Returns a pointer to the next n bytes and advances, or NULL (err set) when fewer remain. */
const uint8_t *rd_bytes(mt_rd *r, size_t n);
/* Copies n bytes to out (zeros on failure). */
void rd_copy(mt_rd *r, void *out, size_t n);
/* Skips n bytes. */
void rd_skip(mt_rd *r, size_t n);
uint8_t rd_u8(mt_rd *r);
uint16_t rd_u16le(mt_rd *r);
uint32_t rd_u24le(mt_rd *r);
uint32_t rd_u32le(mt_rd *r);
uint64_t rd_u64le(mt_rd *r);
uint16_t rd_u16be(mt_rd *r);
uint32_t rd_u32be(mt_rd *r);
uint64_t rd_u64be(mt_rd *r);
/* A child reader over the next n bytes; the parent advances past them. On failure the child
 * carries the error too. */
mt_rd rd_sub(mt_rd *r, size_t n);
/* Checks that r was read to its end without error: returns 0, truncated, or trailing_data. */
MT_WUR int rd_done(const mt_rd *r);

/* ---- writer ---- */

static inline mt_wr wr_init(uint8_t *buf, size_t cap)
{
    mt_wr w = {buf, buf, buf + cap, 0};
    return w;
}
static inline size_t wr_len(const mt_wr *w)
{
    return (size_t)(w->p - w->start);
}
/* Reserves n bytes and returns a pointer to them (to fill in later), or NULL (err = no_space). */
uint8_t *wr_reserve(mt_wr *w, size_t n);
void wr_bytes(mt_wr *w, const void *data, size_t n);
void wr_zeros(mt_wr *w, size_t n);
void wr_u8(mt_wr *w, uint8_t v);
void wr_u16le(mt_wr *w, uint16_t v);
void wr_u24le(mt_wr *w, uint32_t v);
void wr_u32le(mt_wr *w, uint32_t v);
void wr_u64le(mt_wr *w, uint64_t v);
void wr_u16be(mt_wr *w, uint16_t v);
void wr_u32be(mt_wr *w, uint32_t v);
void wr_u64be(mt_wr *w, uint64_t v);

#endif
