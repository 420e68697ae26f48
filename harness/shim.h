/*
 * The shim protocol (docs/shim.md): one JSON request object per line in, one response object per
 * line out. This header is the in-process API: shim_handle_line answers one request, shim_serve
 * runs the line loop of `mtproof shim`, and the shim_* helpers below are what an op uses to read
 * its fields and write its outputs.
 *
 * Ops live in per-area tables (harness/shim_ops_<area>.c); harness/shim_ops.c lists the tables.
 * A new area adds one file with a shim_op_table and one line in that list.
 */
#ifndef MTPROOF_HARNESS_SHIM_H
#define MTPROOF_HARNESS_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/err.h"

/* Longest request line, newline excluded. A longer line is answered with limit_exceeded and
 * dropped without being held in memory. */
#define SHIM_MAX_LINE ((size_t)32 << 20)
/* Most bytes one byte-string field may decode to. */
#define SHIM_MAX_FIELD ((size_t)16 << 20)
/* Most bytes an op may be asked to produce through a length field (hkdf, drbg). */
#define SHIM_MAX_OUTPUT ((size_t)16 << 20)
/* Longest "detail" text of an error response. */
#define SHIM_MAX_DETAIL 160

typedef struct shim_call shim_call;

typedef struct shim_op {
    const char *name;
    /* The request fields besides "id" and "op", NULL-terminated. A name starting with '?' is
     * optional (the op checks shim_has); the others are required. A request with any other field
     * is refused (bad_field), so a misspelt field never goes unnoticed. */
    const char *const *fields;
    /* Reads the fields, computes, writes the outputs; returns MT_OK or the error to report. */
    int (*run)(shim_call *c);
} shim_op;

typedef struct shim_op_table {
    const char *area;
    const shim_op *ops;
    size_t count;
} shim_op_table;

/* The per-area tables, NULL-terminated (harness/shim_ops.c). */
extern const shim_op_table *const shim_op_tables[];
/* Areas (one file each). */
extern const shim_op_table shim_ops_meta; /* list_ops (harness/shim_ops.c) */
extern const shim_op_table shim_ops_sym;  /* hashes, MACs, KDFs, AES modes, CRC32, DRBG */
extern const shim_op_table shim_ops_bn;   /* bignum, pq factoring, DH checks */
extern const shim_op_table shim_ops_rsa;  /* RSA_PAD, RSA key fingerprint */
extern const shim_op_table shim_ops_tl;   /* TL encode/decode (JSON form of harness/tl_json.h) */
/* msg_key, KDFs, message encryption (issue 4, harness/shim_ops_framing.c) */
extern const shim_op_table shim_ops_framing;
extern const shim_op_table shim_ops_transport; /* frame, unframe, obfuscated2_keys */
extern const shim_op_table shim_ops_bind;      /* bind_encrypt (harness/shim_ops_bind.c) */
extern const shim_op_table shim_ops_handshake; /* tmp_aes_kdf, auth_key_ids, ... (issue 5) */
/* handshake_server_step (issue 5, harness/shim_ops_handshake_server.c) */
extern const shim_op_table shim_ops_handshake_server;
extern const shim_op_table shim_ops_e2e; /* e2e_fingerprint, e2e_encrypt, e2e_decrypt */

/* The op named `name`, or NULL. */
const shim_op *shim_find_op(const char *name);

/*
 * Answers one request line (len bytes, no newline needed; need not be NUL-terminated).
 * *response gets a malloc'd NUL-terminated response object without newline (free() it), or NULL
 * when out of memory. Returns MT_OK when the response says ok, else the error it names.
 */
int shim_handle_line(const char *line, size_t len, char **response);

/* Whether a line holds only blanks (space, tab, CR): the line loop ignores such lines. */
int shim_line_is_blank(const char *line, size_t len);

/*
 * The line loop of `mtproof shim`: reads requests from in_fd until end of input and writes one
 * response line per request to out_fd. Returns MT_OK at end of input, io_error when reading or
 * writing fails (e.g. the reader went away), no_memory.
 */
MT_WUR int shim_serve(int in_fd, int out_fd);

/* ---- for ops ---- */

/* The bytes of hex field `field` (declared in the op's fields). The buffer belongs to the call and
 * is wiped and freed after the response is made. Errors (with a detail set): bad_field (not a
 * string), bad_hex, limit_exceeded (over SHIM_MAX_FIELD), no_memory. */
MT_WUR int shim_get_bytes(shim_call *c, const char *field, const uint8_t **p, size_t *n);

/* The JSON value of field `field` (any type), borrowed from the request: valid until the op
 * returns. Errors: missing_field. */
MT_WUR int shim_get_json(shim_call *c, const char *field, json_t **out);
/* A string field (borrowed, NUL-terminated). Errors: missing_field, bad_field. */
MT_WUR int shim_get_string(shim_call *c, const char *field, const char **out);

/* Whether the request has field `field` (for optional fields). */
int shim_has(shim_call *c, const char *field);
/* An integer field in [min, max]. Errors: bad_field (not an integer), limit_exceeded (outside). */
MT_WUR int shim_get_int(shim_call *c, const char *field, int64_t min, int64_t max, int64_t *out);
/* A non-negative integer field of at most `max`. Errors: bad_field, limit_exceeded. */
MT_WUR int shim_get_size(shim_call *c, const char *field, size_t max, size_t *out);

/* n bytes (n may be 0) of scratch owned by the call, wiped and freed with it; NULL when out of
 * memory or n is over SHIM_MAX_OUTPUT. */
uint8_t *shim_alloc(shim_call *c, size_t n);

/* Output fields of the response, in the order they are put. */
MT_WUR int shim_put_bytes(shim_call *c, const char *field, const uint8_t *p, size_t n);
MT_WUR int shim_put_uint(shim_call *c, const char *field, uint64_t v);
/* Puts a JSON value, taking the caller's reference (also when it fails). */
MT_WUR int shim_put_json(shim_call *c, const char *field, json_t *v);

/* Sets the "detail" text of an error response (the first one set wins). */
void shim_detail(shim_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
