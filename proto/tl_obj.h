/*
 * TL objects: the descriptors proto/gen/tlc.py generates from a schema, and the one engine that
 * encodes, decodes and prints any constructor from its descriptor.
 *
 * Each generated constructor has a plain C struct (e.g. mtp_resPQ) and a tl_ctor describing its
 * fields (kind, offset in the struct, flag bit, nested type). Decoding never calls malloc: every
 * struct, vector and nested object comes from a caller-provided arena with a hard size limit, and
 * strings point into the input. Depth and element counts are bounded by the constants below.
 */
#ifndef MTPROOF_PROTO_TL_OBJ_H
#define MTPROOF_PROTO_TL_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/cursor.h"
#include "common/err.h"
#include "proto/tl.h"

/* Objects nested deeper than this (a boxed object inside a boxed object ...) are refused. */
#define TL_MAX_DEPTH 16
/* "msgs_ack, msg_resend_req and msgs_state_req carry at most 8192 ids" (service_messages). */
#define TL_MAX_MSG_IDS 8192u
/* "A container holds at most 1024 messages" (service_messages). */
#define TL_MAX_CONTAINER_MESSAGES 1024u
/* get_future_salts: "num ... between 1 and 64". */
#define TL_MAX_FUTURE_SALTS 64u

/* Field kinds. */
enum tl_kind {
    TL_K_INT,    /* int32_t */
    TL_K_LONG,   /* int64_t */
    TL_K_DOUBLE, /* double */
    TL_K_INT128, /* uint8_t[16] */
    TL_K_INT256, /* uint8_t[32] */
    TL_K_STRING, /* tl_str (schema type string) */
    TL_K_BYTES,  /* tl_str (schema type bytes) */
    TL_K_BOOL,   /* bool, boxed boolTrue/boolFalse */
    TL_K_FLAGS,  /* uint32_t, the `flags:#` word; authoritative for conditional fields */
    TL_K_TRUE,   /* bool, `flags.N?true`: no bytes on the wire, mirrors the flag bit on decode */
    TL_K_OBJ,    /* tl_obj by value (boxed object; all zero when an absent optional) */
    TL_K_BARE,   /* bare constructor (only as vector element): struct of the constructor */
};

/* Field attributes. */
enum {
    TL_FA_VECTOR = 1u << 0,      /* a vector of the kind (tl_vec) */
    TL_FA_BARE_VECTOR = 1u << 1, /* with TL_FA_VECTOR: `vector` (no 0x1cb5c415 id) */
    TL_FA_LENGTH = 1u << 2,      /* int holding the byte length of the next field (message.bytes) */
};

struct tl_ctor;
struct tl_schema;

typedef struct tl_field {
    const char *name;
    uint8_t kind;       /* enum tl_kind */
    uint8_t attr;       /* TL_FA_* */
    int8_t flag;        /* bit of the flags word that enables the field, or -1 */
    uint16_t offset;    /* in the constructor's struct */
    int16_t ref;        /* TL_K_OBJ: expected type index (-1 = any Object); TL_K_BARE: ctor index */
    uint32_t max_count; /* element limit for vectors */
} tl_field;

typedef struct tl_ctor {
    const char *name; /* as in the schema, e.g. "resPQ", "test.dummyFunction" */
    uint32_t id;      /* constructor id (verified against the CRC32 by tlc.py) */
    int16_t type;     /* result type index in the schema's type table */
    bool function;    /* declared under ---functions--- */
    uint16_t size;    /* sizeof the struct */
    uint16_t nfields;
    const tl_field *fields;
    const struct tl_schema *schema;
} tl_ctor;

typedef struct tl_schema {
    const char *name;
    const tl_ctor *ctors;
    size_t nctors;
    const uint16_t *by_id; /* ctor indices sorted by id */
    const char *const *types;
    size_t ntypes;
} tl_schema;

/* A boxed object: a known constructor with its struct, or an opaque one (unknown id) whose bytes
 * after the id are kept as they are. */
typedef struct tl_obj {
    uint32_t id;
    const tl_ctor *ctor; /* NULL for an opaque object */
    void *body;          /* the constructor's struct; NULL when opaque */
    tl_str opaque;       /* the bytes after the id of an opaque object */
} tl_obj;

/* A vector: n elements of the field's kind (int32_t, int64_t, double, tl_str, tl_obj, or the bare
 * constructor's struct). */
typedef struct tl_vec {
    void *v;
    uint32_t n;
} tl_vec;

/* The arena decoding allocates from. Allocations are zeroed and aligned for any field type. */
typedef struct tl_arena {
    uint8_t *base;
    size_t cap;
    size_t used;
} tl_arena;

void tl_arena_init(tl_arena *a, void *buf, size_t cap);
/* n zeroed bytes, or NULL when the arena cannot hold them. */
void *tl_arena_alloc(tl_arena *a, size_t n);

/* The constructor with this id, or NULL. */
const tl_ctor *tl_schema_find(const tl_schema *s, uint32_t id);
/* The constructor with this name, or NULL. */
const tl_ctor *tl_schema_find_name(const tl_schema *s, const char *name);

/* In-memory size of one element of field f (a vector's element, or the field itself): what the
 * decoder allocates and what anything building decoded structs (harness/tl_json.c) must use. */
size_t tl_elem_size(const tl_schema *s, const tl_field *f);
/* Fewest wire bytes one element of field f can take (depth: of bare objects, 0 at the top): bounds
 * a vector's count by the input left (proto/tl_obj.c, harness/tl_tree.c). */
size_t tl_wire_min(const tl_schema *s, const tl_field *f, unsigned depth);

/* Decodes one boxed object that fills data[0..len) exactly. Known constructors are decoded into
 * structs from the arena; an unknown id gives an opaque object holding the rest of the input.
 * Errors: truncated, trailing_data, limit_exceeded (a vector over its limit or the arena full),
 * tl_* errors of proto/tl.h, tl_unknown_constructor (an unknown id where its length cannot be
 * known), tl_unexpected_constructor, tl_depth_exceeded. flags: TL_STRICT or TL_LENIENT. */
MT_WUR int tl_decode(const tl_schema *s, const uint8_t *data, size_t len, tl_arena *arena,
                     unsigned flags, tl_obj *out);
/* Decodes a boxed object from r; `tail` says the object extends to the end of r (so an unknown id
 * can be kept as opaque bytes). Errors are left in r->err. */
void tl_decode_obj(const tl_schema *s, mt_rd *r, tl_arena *arena, unsigned flags, bool tail,
                   tl_obj *out);

/* Encodes a boxed object (its id, then its fields). The flags word decides which conditional
 * fields are written; a length field (message.bytes) is computed, not taken from the struct. */
MT_WUR int tl_encode(mt_wr *w, const tl_obj *o);
/* Encodes the fields of a constructor's struct without the id (a bare object). */
MT_WUR int tl_encode_bare(mt_wr *w, const tl_ctor *c, const void *body);

/* Prints an object as an indented readable tree / as one line of JSON into buf (always
 * NUL-terminated when cap > 0). Returns no_space when it did not fit. JSON: constructor name
 * in "_", int and double as numbers, long as a decimal string, int128/int256/string/bytes as
 * lowercase hex strings, Bool and true as JSON booleans, opaque objects as
 * {"_":"opaque","id":"0x...","data":"hex"}. *out_len (may be NULL) gets the length written. */
MT_WUR int tl_print_text(const tl_obj *o, char *buf, size_t cap, size_t *out_len);
MT_WUR int tl_print_json(const tl_obj *o, char *buf, size_t cap, size_t *out_len);

/* A field's value slot inside a constructor's struct. */
static inline void *tl_field_ptr(void *body, const tl_field *f)
{
    return (uint8_t *)body + f->offset;
}
static inline const void *tl_field_cptr(const void *body, const tl_field *f)
{
    return (const uint8_t *)body + f->offset;
}
/* Whether a (possibly conditional) field is present in body, by its flags word. */
bool tl_field_present(const tl_ctor *c, const void *body, const tl_field *f);

#endif
