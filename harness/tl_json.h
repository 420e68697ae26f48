/*
 * JSON -> TL: the inverse of tl_print_json (proto/tl_obj.h). The JSON form accepted is exactly the
 * one the printer emits, so that print(decode(encode(J))) == J for every J that converts:
 *   - an object is {"_": constructor name, field: value ...} with every field of the constructor
 *     whose flag bit is set (and no other), `true` flags as JSON booleans equal to their bit;
 *   - int and flags: JSON integers in int32 range (flags as the signed 32-bit value);
 *   - long: a decimal string ("-5", not 5 or "05"); double: a JSON real (1.0, not 1), or "nan",
 *     "-nan", "inf", "-inf"; int128/int256/string/bytes: lowercase hex; Bool: true/false;
 *   - an unknown constructor: {"_":"opaque","id":"0x0000abcd","data":"hex"}, only where the
 *     decoder can keep one (the last value of the input, typed Object); a known id must be written
 *     by name;
 *   - message.bytes (msg_container) must equal the encoded length of its body.
 * Everything the decoder would refuse is refused here too (field types, vector limits, depth),
 * with the decoder's error name. The harness may allocate (malloc); proto/ stays jansson-free.
 */
#ifndef MTPROOF_HARNESS_TL_JSON_H
#define MTPROOF_HARNESS_TL_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "proto/tl_obj.h"

/* Most bytes an encoding or a JSON text may take here. */
#define TL_JSON_MAX_OUT ((size_t)64 << 20)
/* Room for an error description with the JSON path of the offending value. */
#define TL_JSON_WHY 200

/* "mtproto" (also NULL) or "secret" -> the schema, else NULL. */
const tl_schema *tl_json_schema(const char *name);

/* Converts v into o, every struct and string taken from arena. Errors: missing_field,
 * bad_field, bad_hex, limit_exceeded (a vector over its limit, a string over TL_STRING_MAX, or
 * the arena full: *arena_full tells which), tl_unknown_constructor, tl_unexpected_constructor,
 * tl_depth_exceeded. why (may be NULL) gets "$.path: reason". */
MT_WUR int tl_json_to_obj(const tl_schema *s, const json_t *v, tl_arena *arena, tl_obj *o,
                          int *arena_full, char *why, size_t why_len);

/* JSON -> bytes: converts (with a growing heap arena) and encodes. *out is malloc'd (free it). */
MT_WUR int tl_json_encode(const tl_schema *s, const json_t *v, uint8_t **out, size_t *len,
                          char *why, size_t why_len);

/* Bytes -> JSON: strict tl_decode, then tl_print_json, parsed into *out (json_decref it). */
MT_WUR int tl_json_decode(const tl_schema *s, const uint8_t *data, size_t len, json_t **out);

#endif
