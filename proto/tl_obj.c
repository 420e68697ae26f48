/* The generic TL engine: decode and encode any constructor from its generated descriptor. */
#include "proto/tl_obj.h"

#include <string.h>

#include "common/endian.h"

/* Every arena allocation is aligned for the widest field type a struct can hold. */
#define TL_ARENA_ALIGN 16u

void tl_arena_init(tl_arena *a, void *buf, size_t cap)
{
    a->base = buf;
    a->cap = buf ? cap : 0;
    a->used = 0;
}

void *tl_arena_alloc(tl_arena *a, size_t n)
{
    uintptr_t at = (uintptr_t)(a->base + a->used);
    size_t skip = (size_t)((TL_ARENA_ALIGN - (at % TL_ARENA_ALIGN)) % TL_ARENA_ALIGN);
    if (a->cap - a->used < skip || a->cap - a->used - skip < n)
        return NULL;
    void *p = a->base + a->used + skip;
    a->used += skip + n;
    if (n)
        memset(p, 0, n);
    return p;
}

const tl_ctor *tl_schema_find(const tl_schema *s, uint32_t id)
{
    size_t lo = 0, hi = s->nctors;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const tl_ctor *c = &s->ctors[s->by_id[mid]];
        if (c->id == id)
            return c;
        if (c->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const tl_ctor *tl_schema_find_name(const tl_schema *s, const char *name)
{
    for (size_t i = 0; i < s->nctors; i++)
        if (strcmp(s->ctors[i].name, name) == 0)
            return &s->ctors[i];
    return NULL;
}

bool tl_field_present(const tl_ctor *c, const void *body, const tl_field *f)
{
    if (f->flag < 0)
        return true;
    for (uint16_t i = 0; i < c->nfields; i++) {
        if (c->fields[i].kind == TL_K_FLAGS) {
            uint32_t word;
            memcpy(&word, tl_field_cptr(body, &c->fields[i]), sizeof word);
            return (word >> f->flag) & 1u;
        }
    }
    return false;
}

size_t tl_elem_size(const tl_schema *s, const tl_field *f)
{
    switch (f->kind) {
    case TL_K_INT:
    case TL_K_FLAGS:
        return sizeof(int32_t);
    case TL_K_LONG:
        return sizeof(int64_t);
    case TL_K_DOUBLE:
        return sizeof(double);
    case TL_K_INT128:
        return 16;
    case TL_K_INT256:
        return 32;
    case TL_K_STRING:
    case TL_K_BYTES:
        return sizeof(tl_str);
    case TL_K_OBJ:
        return sizeof(tl_obj);
    case TL_K_BARE:
        return s->ctors[f->ref].size;
    default:
        return sizeof(bool);
    }
}

size_t tl_wire_min(const tl_schema *s, const tl_field *f, unsigned depth)
{
    static const uint8_t fixed[] = {
        [TL_K_INT] = 4,     [TL_K_LONG] = 8,   [TL_K_DOUBLE] = 8, [TL_K_INT128] = 16,
        [TL_K_INT256] = 32, [TL_K_STRING] = 4, [TL_K_BYTES] = 4,  [TL_K_BOOL] = 4,
        [TL_K_FLAGS] = 4,   [TL_K_TRUE] = 0,   [TL_K_OBJ] = 4,    [TL_K_BARE] = 0,
    };
    if (f->attr & TL_FA_VECTOR)
        return (f->attr & TL_FA_BARE_VECTOR) ? 4 : 8;
    if (f->kind != TL_K_BARE || depth > TL_MAX_DEPTH)
        return fixed[f->kind];
    const tl_ctor *c = &s->ctors[f->ref];
    size_t n = 0;
    for (uint16_t i = 0; i < c->nfields; i++)
        if (c->fields[i].flag < 0)
            n += tl_wire_min(s, &c->fields[i], depth + 1);
    return n;
}

typedef struct tl_dec {
    const tl_schema *s;
    tl_arena *arena;
    unsigned flags;
    unsigned depth;
} tl_dec;

static void dec_obj(tl_dec *d, mt_rd *r, bool tail, int16_t want, tl_obj *out);
static void dec_body(tl_dec *d, mt_rd *r, const tl_ctor *c, void *body, bool tail);

static void *dec_alloc(tl_dec *d, mt_rd *r, size_t n)
{
    void *p = tl_arena_alloc(d->arena, n);
    if (!p)
        rd_fail(r, MT_E_limit_exceeded);
    return p;
}

/* One value of a field's kind (a vector element or a plain field) into slot. */
static void dec_value(tl_dec *d, mt_rd *r, const tl_field *f, void *slot, bool tail)
{
    switch (f->kind) {
    case TL_K_INT: {
        int32_t v = tl_rd_int(r);
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TL_K_LONG: {
        int64_t v = tl_rd_long(r);
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TL_K_DOUBLE: {
        double v = tl_rd_double(r);
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TL_K_INT128:
        tl_rd_int128(r, slot);
        break;
    case TL_K_INT256:
        tl_rd_int256(r, slot);
        break;
    case TL_K_STRING:
    case TL_K_BYTES: {
        tl_str v = tl_rd_string(r, d->flags);
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TL_K_BOOL:
    case TL_K_TRUE: {
        bool v = tl_rd_bool(r);
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TL_K_FLAGS: {
        uint32_t v = rd_u32le(r);
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TL_K_OBJ:
        dec_obj(d, r, tail, f->ref, slot);
        break;
    case TL_K_BARE:
        if (++d->depth > TL_MAX_DEPTH)
            rd_fail(r, MT_E_tl_depth_exceeded);
        else
            dec_body(d, r, &d->s->ctors[f->ref], slot, false);
        d->depth--;
        break;
    }
}

static void dec_vector(tl_dec *d, mt_rd *r, const tl_field *f, tl_vec *v)
{
    tl_field one = *f; /* the element: same kind, not a vector */
    one.attr = 0;
    bool boxed = !(f->attr & TL_FA_BARE_VECTOR);
    uint32_t n = tl_rd_vector(r, boxed, f->max_count, tl_wire_min(d->s, &one, 0));
    size_t esz = tl_elem_size(d->s, f);
    if (r->err || n == 0)
        return;
    uint8_t *elems = dec_alloc(d, r, (size_t)n * esz);
    if (!elems)
        return;
    v->v = elems;
    v->n = n;
    for (uint32_t i = 0; i < n && !r->err; i++)
        dec_value(d, r, &one, elems + (size_t)i * esz, false);
}

/* A length field (message.bytes) followed by the field it measures, read within exactly that
 * many bytes: "bytes:int body" of msg_container's message. */
static void dec_sized(tl_dec *d, mt_rd *r, const tl_field *len_f, const tl_field *f, void *body)
{
    int32_t n = tl_rd_int(r);
    memcpy(tl_field_ptr(body, len_f), &n, sizeof n);
    if (!r->err && (n < 0 || (size_t)n > rd_left(r)))
        rd_fail(r, MT_E_truncated);
    mt_rd sub = rd_sub(r, r->err ? 0 : (size_t)n);
    dec_value(d, &sub, f, tl_field_ptr(body, f), true);
    int err = rd_done(&sub);
    if (err)
        rd_fail(r, err);
}

static void dec_body(tl_dec *d, mt_rd *r, const tl_ctor *c, void *body, bool tail)
{
    for (uint16_t i = 0; i < c->nfields && !r->err; i++) {
        const tl_field *f = &c->fields[i];
        bool present = tl_field_present(c, body, f);
        if (f->kind == TL_K_TRUE) {
            memcpy(tl_field_ptr(body, f), &present, sizeof present);
            continue;
        }
        if (!present)
            continue;
        if ((f->attr & TL_FA_LENGTH) && i + 1 < c->nfields) {
            dec_sized(d, r, f, &c->fields[i + 1], body);
            i++;
        } else if (f->attr & TL_FA_VECTOR) {
            dec_vector(d, r, f, tl_field_ptr(body, f));
        } else {
            dec_value(d, r, f, tl_field_ptr(body, f), tail && i + 1 == c->nfields);
        }
    }
}

static void dec_obj(tl_dec *d, mt_rd *r, bool tail, int16_t want, tl_obj *out)
{
    memset(out, 0, sizeof *out);
    if (++d->depth > TL_MAX_DEPTH) {
        rd_fail(r, MT_E_tl_depth_exceeded);
        d->depth--;
        return;
    }
    out->id = rd_u32le(r);
    const tl_ctor *c = r->err ? NULL : tl_schema_find(d->s, out->id);
    if (r->err) {
        /* nothing: the error is already in r */
    } else if (!c) {
        /* An unknown id has an unknown length: keep it only when it runs to a known end. */
        if (tail && want < 0) {
            size_t n = rd_left(r);
            out->opaque.p = rd_bytes(r, n);
            out->opaque.len = n;
        } else {
            rd_fail(r, MT_E_tl_unknown_constructor);
        }
    } else if (want >= 0 && (c->type != want || c->function)) {
        rd_fail(r, MT_E_tl_unexpected_constructor);
    } else {
        out->body = dec_alloc(d, r, c->size);
        if (out->body) {
            out->ctor = c;
            dec_body(d, r, c, out->body, tail);
        }
    }
    d->depth--;
}

void tl_decode_obj(const tl_schema *s, mt_rd *r, tl_arena *arena, unsigned flags, bool tail,
                   tl_obj *out)
{
    tl_dec d = {s, arena, flags, 0};
    dec_obj(&d, r, tail, -1, out);
}

int tl_decode(const tl_schema *s, const uint8_t *data, size_t len, tl_arena *arena, unsigned flags,
              tl_obj *out)
{
    mt_rd r = rd_init(data, len);
    tl_decode_obj(s, &r, arena, flags, true, out);
    return rd_done(&r);
}
