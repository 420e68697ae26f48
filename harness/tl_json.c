/* JSON -> TL objects through the generated descriptor tables (harness/tl_json.h). */
#include "harness/tl_json.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "proto/tl_e2e.h"
#include "proto/tl_mtp.h"

typedef struct conv {
    const tl_schema *s;
    tl_arena *arena;
    int arena_full;
    int err;
    char *why;
    size_t why_len;
    char path[160];
    size_t plen;
} conv;

const tl_schema *tl_json_schema(const char *name)
{
    if (!name || strcmp(name, "mtproto") == 0)
        return &mtp_schema;
    if (strcmp(name, "secret") == 0)
        return &e2e_schema;
    return NULL;
}

__attribute__((format(printf, 3, 4))) static void fail(conv *c, int err, const char *fmt, ...)
{
    if (c->err)
        return;
    c->err = err;
    if (!c->why || !c->why_len)
        return;
    char msg[TL_JSON_WHY];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->why, c->why_len, "$%s: %s", c->path, msg);
}

/* Appends ".name" or "[i]" to the path; returns the length to restore. */
static size_t push(conv *c, const char *name, long idx)
{
    size_t old = c->plen, room = sizeof c->path - c->plen;
    int n = name ? snprintf(c->path + old, room, ".%s", name)
                 : snprintf(c->path + old, room, "[%ld]", idx);
    c->plen = n > 0 && (size_t)n < room ? old + (size_t)n : old;
    c->path[c->plen] = '\0';
    return old;
}

static void pop(conv *c, size_t old)
{
    c->plen = old;
    c->path[old] = '\0';
}

static void *alloc(conv *c, size_t n)
{
    void *p = tl_arena_alloc(c->arena, n);
    if (!p) {
        c->arena_full = 1;
        fail(c, MT_E_limit_exceeded, "out of arena memory");
    }
    return p;
}

/* Lowercase hex only: the printer's form. n: exact byte count wanted, or SIZE_MAX for any. */
static const uint8_t *get_hex(conv *c, const json_t *v, size_t want, size_t *n)
{
    const char *h = json_string_value(v);
    size_t len = json_string_length(v);
    if (!h) {
        fail(c, MT_E_bad_field, "expected a hex string");
        return NULL;
    }
    for (size_t i = 0; i < len; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f'))) {
            fail(c, MT_E_bad_hex, "not lowercase hex at character %zu", i);
            return NULL;
        }
    if (len % 2 || (want != SIZE_MAX && len != 2 * want)) {
        fail(c, len % 2 ? MT_E_bad_hex : MT_E_bad_field, "%zu hex digits, want %zu", len,
             want == SIZE_MAX ? len + 1 : 2 * want);
        return NULL;
    }
    if (len / 2 > TL_STRING_MAX) {
        fail(c, MT_E_limit_exceeded, "%zu bytes, over the TL limit of %u", len / 2, TL_STRING_MAX);
        return NULL;
    }
    uint8_t *p = alloc(c, len / 2);
    size_t got = 0;
    if (!p || hex_decode(h, len, p, len / 2, &got) != MT_OK) {
        fail(c, MT_E_bad_hex, "not hex");
        return NULL;
    }
    *n = got;
    return p;
}

/* A long: the printer's decimal string ("-12", never "012", "-0" or "+1"). */
static int64_t get_long(conv *c, const json_t *v)
{
    const char *t = json_string_value(v);
    size_t len = json_string_length(v);
    bool neg = t && t[0] == '-';
    const char *d = t ? t + neg : NULL;
    size_t nd = t ? len - neg : 0;
    bool ok = t && nd >= 1 && nd <= 19 && !(d[0] == '0' && (nd > 1 || neg));
    uint64_t mag = 0;
    for (size_t i = 0; ok && i < nd; i++) {
        ok = d[i] >= '0' && d[i] <= '9';
        mag = mag * 10 + (uint64_t)(d[i] - '0'); /* 19 digits cannot overflow 64 bits */
    }
    if (ok && mag > (uint64_t)INT64_MAX + neg)
        ok = false;
    if (!ok) {
        fail(c, MT_E_bad_field, "expected a long as a decimal string in int64 range");
        return 0;
    }
    return neg ? (int64_t)(0 - mag) : (int64_t)mag;
}

/* A double: a JSON real, or one of the printer's strings for NaN and infinity. */
static double get_double(conv *c, const json_t *v)
{
    if (json_is_real(v))
        return json_real_value(v);
    const char *t = json_string_value(v);
    if (t && (strcmp(t, "nan") == 0 || strcmp(t, "-nan") == 0))
        return t[0] == '-' ? -NAN : NAN;
    if (t && (strcmp(t, "inf") == 0 || strcmp(t, "-inf") == 0))
        return t[0] == '-' ? -INFINITY : INFINITY;
    fail(c, MT_E_bad_field, "expected a real (1.0, not 1), \"nan\", \"-nan\", \"inf\" or \"-inf\"");
    return 0;
}

static int32_t get_int(conv *c, const json_t *v)
{
    json_int_t x = json_integer_value(v);
    if (!json_is_integer(v) || x < INT32_MIN || x > INT32_MAX) {
        fail(c, MT_E_bad_field, "expected an integer in int32 range");
        return 0;
    }
    return (int32_t)x;
}

static void conv_obj(conv *c, const json_t *v, int16_t want, bool tail, unsigned depth,
                     tl_obj *out);
static void conv_body(conv *c, const json_t *v, const tl_ctor *k, void *body, bool tail,
                      unsigned depth);

/* A bare constructor (vector<future_salt> elements): printed as {"_": name, fields...}. */
static void conv_bare(conv *c, const json_t *v, const tl_ctor *k, void *slot, unsigned depth)
{
    const char *name = json_string_value(json_object_get(v, "_"));
    if (depth > TL_MAX_DEPTH)
        fail(c, MT_E_tl_depth_exceeded, "nested deeper than %d", TL_MAX_DEPTH);
    else if (!json_is_object(v) || !name || strcmp(name, k->name) != 0)
        fail(c, MT_E_bad_field, "expected a bare {\"_\":\"%s\", ...}", k->name);
    else
        conv_body(c, v, k, slot, false, depth);
}

/* One value of a field's kind (a plain field or a vector element) into slot. */
static void conv_value(conv *c, const json_t *v, const tl_field *f, void *slot, bool tail,
                       unsigned depth)
{
    int32_t i32;
    int64_t i64;
    double dbl;
    tl_str str = {NULL, 0};
    size_t n = 0;
    switch (f->kind) {
    case TL_K_INT:
    case TL_K_FLAGS:
        i32 = get_int(c, v);
        memcpy(slot, &i32, sizeof i32);
        break;
    case TL_K_LONG:
        i64 = get_long(c, v);
        memcpy(slot, &i64, sizeof i64);
        break;
    case TL_K_DOUBLE:
        dbl = get_double(c, v);
        memcpy(slot, &dbl, sizeof dbl);
        break;
    case TL_K_INT128:
    case TL_K_INT256: {
        size_t want = f->kind == TL_K_INT128 ? 16 : 32;
        const uint8_t *p = get_hex(c, v, want, &n);
        if (p)
            memcpy(slot, p, want);
        break;
    }
    case TL_K_STRING:
    case TL_K_BYTES:
        str.p = get_hex(c, v, SIZE_MAX, &str.len);
        memcpy(slot, &str, sizeof str);
        break;
    case TL_K_BOOL:
    case TL_K_TRUE: {
        bool b = json_is_true(v);
        if (!json_is_boolean(v))
            fail(c, MT_E_bad_field, "expected true or false");
        memcpy(slot, &b, sizeof b);
        break;
    }
    case TL_K_OBJ:
        conv_obj(c, v, f->ref, tail, depth + 1, slot);
        break;
    case TL_K_BARE:
        conv_bare(c, v, &c->s->ctors[f->ref], slot, depth + 1);
        break;
    }
}

static void conv_vector(conv *c, const json_t *v, const tl_field *f, tl_vec *out, unsigned depth)
{
    tl_field one = *f;
    one.attr = 0;
    size_t n = json_array_size(v);
    if (!json_is_array(v)) {
        fail(c, MT_E_bad_field, "expected an array");
        return;
    }
    if (n > f->max_count) {
        fail(c, MT_E_limit_exceeded, "%zu elements, over the limit of %" PRIu32, n, f->max_count);
        return;
    }
    if (n == 0)
        return;
    size_t esz = tl_elem_size(c->s, f);
    uint8_t *elems = alloc(c, n * esz);
    if (!elems)
        return;
    out->v = elems;
    out->n = (uint32_t)n;
    for (size_t i = 0; i < n && !c->err; i++) {
        size_t old = push(c, NULL, (long)i);
        conv_value(c, json_array_get(v, i), &one, elems + i * esz, false, depth);
        pop(c, old);
    }
}

/* The wire length of an object: message.bytes must equal it (the decoder reads the body within
 * exactly that many bytes). Encodes into a growing heap buffer. */
static int encoded_len(const tl_obj *o, size_t *n)
{
    for (size_t cap = 4096; cap <= TL_JSON_MAX_OUT; cap *= 2) {
        uint8_t *buf = malloc(cap);
        if (!buf)
            return MT_E_no_memory;
        mt_wr w = wr_init(buf, cap);
        int err = tl_encode(&w, o);
        *n = wr_len(&w);
        free(buf);
        if (err != MT_E_no_space)
            return err;
    }
    return MT_E_limit_exceeded;
}

/* "bytes:int body:Object" of message: converts the body, then checks the length against it. */
static void conv_sized(conv *c, const json_t *len_v, const tl_field *len_f, const json_t *v,
                       const tl_field *f, void *body, unsigned depth)
{
    size_t old = push(c, f->name, 0);
    conv_value(c, v, f, tl_field_ptr(body, f), true, depth);
    pop(c, old);
    old = push(c, len_f->name, 0);
    int32_t want = get_int(c, len_v);
    memcpy(tl_field_ptr(body, len_f), &want, sizeof want);
    size_t n = 0;
    int err = c->err;
    if (!err && f->kind != TL_K_OBJ)
        fail(c, MT_E_unimplemented, "a length field before a non-object");
    else if (!err && (err = encoded_len(tl_field_cptr(body, f), &n)) != MT_OK)
        fail(c, err, "the measured field cannot be encoded");
    else if (!err && (size_t)want != n)
        fail(c, MT_E_bad_field, "%" PRId32 ", but '%s' encodes to %zu bytes", want, f->name, n);
    pop(c, old);
}

/* Every JSON key must be "_" or a field of the constructor. */
static void check_keys(conv *c, const json_t *v, const tl_ctor *k)
{
    const char *key;
    json_t *x;
    json_object_foreach((json_t *)v, key, x)
    {
        bool known = strcmp(key, "_") == 0;
        for (uint16_t i = 0; i < k->nfields && !known; i++)
            known = strcmp(key, k->fields[i].name) == 0;
        if (!known) {
            fail(c, MT_E_bad_field, "'%s' is not a field of %s", key, k->name);
            return;
        }
    }
}

/* One field: presence by the flags word converted before it (flags:# precedes its fields). */
static void conv_field(conv *c, const json_t *v, const tl_ctor *k, void *body, uint16_t *i,
                       bool tail, unsigned depth)
{
    const tl_field *f = &k->fields[*i];
    const json_t *x = json_object_get(v, f->name);
    bool present = tl_field_present(k, body, f);
    size_t old = push(c, f->name, 0);
    if (f->kind == TL_K_TRUE) {
        if (!x)
            fail(c, MT_E_missing_field, "missing (write %s)", present ? "true" : "false");
        else if (!json_is_boolean(x) || json_is_true(x) != present)
            fail(c, MT_E_bad_field, "must be %s: it mirrors flags.%d", present ? "true" : "false",
                 f->flag);
        memcpy(tl_field_ptr(body, f), &present, sizeof present);
    } else if (!present && x) {
        fail(c, MT_E_bad_field, "present, but flags.%d is clear", f->flag);
    } else if (present && !x) {
        fail(c, MT_E_missing_field, "missing");
    } else if (!present) {
        /* absent optional field: nothing on the wire */
    } else if ((f->attr & TL_FA_LENGTH) && *i + 1 < k->nfields) {
        pop(c, old);
        const tl_field *next = &k->fields[*i + 1];
        const json_t *nx = json_object_get(v, next->name);
        if (!nx)
            fail(c, MT_E_missing_field, "$.%s missing", next->name);
        else
            conv_sized(c, x, f, nx, next, body, depth);
        (*i)++;
        return;
    } else if (f->attr & TL_FA_VECTOR) {
        conv_vector(c, x, f, tl_field_ptr(body, f), depth);
    } else {
        conv_value(c, x, f, tl_field_ptr(body, f), tail && *i + 1 == k->nfields, depth);
    }
    pop(c, old);
}

static void conv_body(conv *c, const json_t *v, const tl_ctor *k, void *body, bool tail,
                      unsigned depth)
{
    check_keys(c, v, k);
    for (uint16_t i = 0; i < k->nfields && !c->err; i++)
        conv_field(c, v, k, body, &i, tail, depth);
}

/* {"_":"opaque","id":"0x....","data":"hex"}: only where the decoder keeps an unknown id. */
static void conv_opaque(conv *c, const json_t *v, int16_t want, bool tail, tl_obj *out)
{
    const char *id = json_string_value(json_object_get(v, "id"));
    const json_t *data = json_object_get(v, "data");
    unsigned long x = 0;
    bool id_ok = id && strlen(id) == 10 && id[0] == '0' && id[1] == 'x' &&
                 strspn(id + 2, "0123456789abcdef") == 8;
    if (id_ok)
        x = strtoul(id + 2, NULL, 16);
    if (json_object_size(v) != 3 || !id_ok || !data)
        fail(c, MT_E_bad_field,
             "an opaque object is exactly {\"_\":\"opaque\",\"id\":\"0x"
             "<8 lowercase hex digits>\",\"data\":\"<hex>\"}");
    else if (tl_schema_find(c->s, (uint32_t)x))
        fail(c, MT_E_bad_field, "id %s is %s: write it by name", id,
             tl_schema_find(c->s, (uint32_t)x)->name);
    else if (!tail || want >= 0)
        fail(c, MT_E_tl_unknown_constructor,
             "an unknown constructor is only decodable as the last value, typed Object");
    if (c->err)
        return;
    out->id = (uint32_t)x;
    out->opaque.p = get_hex(c, data, SIZE_MAX, &out->opaque.len);
}

static void conv_obj(conv *c, const json_t *v, int16_t want, bool tail, unsigned depth, tl_obj *out)
{
    memset(out, 0, sizeof *out);
    const char *name = json_string_value(json_object_get(v, "_"));
    const tl_ctor *k = name ? tl_schema_find_name(c->s, name) : NULL;
    if (depth > TL_MAX_DEPTH) {
        fail(c, MT_E_tl_depth_exceeded, "nested deeper than %d", TL_MAX_DEPTH);
    } else if (!json_is_object(v)) {
        fail(c, MT_E_bad_field, "expected an object {\"_\": constructor, ...}");
    } else if (!name) {
        fail(c, json_object_get(v, "_") ? MT_E_bad_field : MT_E_missing_field,
             "needs \"_\": the constructor name");
    } else if (!k && strcmp(name, "opaque") == 0) {
        conv_opaque(c, v, want, tail, out);
    } else if (!k) {
        fail(c, MT_E_tl_unknown_constructor, "no constructor '%.60s' in the %s schema", name,
             c->s->name);
    } else if (want >= 0 && (k->type != want || k->function)) {
        fail(c, MT_E_tl_unexpected_constructor, "%s is not of type %s", k->name, c->s->types[want]);
    } else if ((out->body = alloc(c, k->size)) != NULL) {
        out->id = k->id;
        out->ctor = k;
        conv_body(c, v, k, out->body, tail, depth);
    }
}

int tl_json_to_obj(const tl_schema *s, const json_t *v, tl_arena *arena, tl_obj *o, int *arena_full,
                   char *why, size_t why_len)
{
    conv c = {s, arena, 0, 0, why, why_len, "", 0};
    if (why && why_len)
        why[0] = '\0';
    conv_obj(&c, v, -1, true, 1, o);
    if (arena_full)
        *arena_full = c.arena_full;
    return c.err;
}
