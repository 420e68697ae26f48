/* `mtproof decode`: shared state of its modes (harness/cmd_decode*.c). */
#ifndef MTPROOF_HARNESS_DECODE_H
#define MTPROOF_HARNESS_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "proto/tl_obj.h"

/* The most input bytes decode reads (hex text is twice that, plus whitespace). */
#define DECODE_MAX_INPUT ((size_t)16 << 20)

typedef struct decode_opts {
    const tl_schema *schema;
    bool json;
    bool have_key;
    uint8_t auth_key[256];
    unsigned x; /* 0: client -> server, 8: server -> client */
} decode_opts;

/* Decodes data[0..len) as one boxed TL object. Text: the tree to stdout with offsets from base,
 * indented by indent levels. JSON: *out gets {"value": ...} or {"error","message","offset"}.
 * Returns MT_OK or the decode error; *err_at the offset where decoding stopped. */
int decode_tl_part(const decode_opts *o, const uint8_t *base, const uint8_t *data, size_t len,
                   unsigned indent, json_t *out, size_t *err_at);
/* Reports a decode failure: text to stderr ("stopped at byte offset N (0xN): NAME: message"),
 * and in JSON mode the members error/message/offset on obj. */
void decode_report(const decode_opts *o, json_t *obj, int err, size_t at);

/* Prints obj (JSON mode) and frees it; maps err to the exit code. */
int decode_finish(const decode_opts *o, json_t *obj, int err);

/* The packet and transport modes (harness/cmd_decode_packet.c); return exit codes. */
int decode_run_packet(const decode_opts *o, const uint8_t *data, size_t len);
int decode_run_transport(const decode_opts *o, const uint8_t *data, size_t len);

#endif
