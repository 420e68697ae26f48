/*
 * The readable tree of `mtproof decode`: walks TL bytes with the generated descriptors and prints
 * each value with its byte offset, as it reads it, so that garbage input shows everything up to
 * the point where decoding stopped. Its verdict (error and where) must agree with tl_decode's;
 * `mtproof decode` and fuzz/fuzz_tl_tree.c check that it does.
 */
#ifndef MTPROOF_HARNESS_TL_TREE_H
#define MTPROOF_HARNESS_TL_TREE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "proto/tl_obj.h"

/* Byte strings longer than this are printed cut, with their length. */
#define TL_TREE_SHOW_BYTES 48

/* Walks one boxed object filling data[0..len) (strict, like tl_decode), printing to out (NULL:
 * print nothing). Offsets printed are data - base + position; indent: leading levels. Returns
 * MT_OK or the error; *err_at (may be NULL) gets the offset (from base) of the value being read
 * when decoding stopped. */
MT_WUR int tl_tree_print(const tl_schema *s, const uint8_t *base, const uint8_t *data, size_t len,
                         FILE *out, unsigned indent, size_t *err_at);

#endif
