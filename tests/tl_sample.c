#include "tl_sample.h"

#include "testutil.h"

/* Objects below this depth are picked among constructors without object fields, so samples stay
 * well inside TL_MAX_DEPTH. */
#define SAMPLE_DEPTH 5

static bool has_objects(const tl_ctor *c)
{
    for (uint16_t i = 0; i < c->nfields; i++)
        if (c->fields[i].kind == TL_K_OBJ || c->fields[i].kind == TL_K_BARE)
            return true;
    return false;
}

/* A constructor that fits a field expecting type `want` (-1: any Object). */
static const tl_ctor *pick(const tl_schema *s, int want, unsigned depth)
{
    const tl_ctor *fit[512];
    size_t n = 0;
    for (int pass = 0; pass < 2 && n == 0; pass++) {
        for (size_t i = 0; i < s->nctors && n < 512; i++) {
            const tl_ctor *c = &s->ctors[i];
            if (want >= 0 && (c->type != want || c->function))
                continue;
            if (pass == 0 && depth >= SAMPLE_DEPTH && has_objects(c))
                continue;
            fit[n++] = c;
        }
    }
    return n ? fit[tu_rand_below(n)] : NULL;
}

static size_t elem_size(const tl_schema *s, const tl_field *f)
{
    switch (f->kind) {
    case TL_K_INT:
        return 4;
    case TL_K_LONG:
    case TL_K_DOUBLE:
        return 8;
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

static bool sample_value(const tl_ctor *c, const tl_field *f, void *slot, tl_arena *a,
                         unsigned depth)
{
    switch (f->kind) {
    case TL_K_STRING:
    case TL_K_BYTES: {
        /* Mostly short, sometimes over the 253-byte boundary of the long form. */
        size_t len = tu_rand_below(4) ? tu_rand_below(20) : 250 + tu_rand_below(10);
        uint8_t *p = tl_arena_alloc(a, len ? len : 1);
        if (!p)
            return false;
        tu_rand_bytes(p, len);
        tl_str s = {p, len};
        memcpy(slot, &s, sizeof s);
        return true;
    }
    case TL_K_BOOL: {
        bool b = tu_rand_below(2);
        memcpy(slot, &b, sizeof b);
        return true;
    }
    case TL_K_TRUE:
        return true; /* the flags word carries it */
    case TL_K_OBJ: {
        const tl_ctor *n = pick(c->schema, f->ref, depth);
        return n && tl_sample_obj(n, slot, a, depth + 1);
    }
    case TL_K_BARE:
        return tl_sample_body(&c->schema->ctors[f->ref], slot, a, depth + 1);
    default: /* fixed-width numbers and flags: any bits */
        tu_rand_bytes(slot, elem_size(c->schema, f));
        return true;
    }
}

bool tl_sample_body(const tl_ctor *c, void *body, tl_arena *a, unsigned depth)
{
    for (uint16_t i = 0; i < c->nfields; i++) {
        const tl_field *f = &c->fields[i];
        void *slot = tl_field_ptr(body, f);
        if (!(f->attr & TL_FA_VECTOR)) {
            if (!sample_value(c, f, slot, a, depth))
                return false;
            continue;
        }
        tl_field one = *f;
        one.attr = 0;
        tl_vec v = {NULL, (uint32_t)tu_rand_below(4)};
        size_t esz = elem_size(c->schema, f);
        v.v = tl_arena_alloc(a, v.n * esz + 1);
        if (!v.v)
            return false;
        for (uint32_t k = 0; k < v.n; k++)
            if (!sample_value(c, &one, (uint8_t *)v.v + k * esz, a, depth))
                return false;
        memcpy(slot, &v, sizeof v);
    }
    return true;
}

bool tl_sample_obj(const tl_ctor *c, tl_obj *out, tl_arena *a, unsigned depth)
{
    memset(out, 0, sizeof *out);
    out->id = c->id;
    out->ctor = c;
    out->body = tl_arena_alloc(a, c->size);
    return out->body && tl_sample_body(c, out->body, a, depth);
}
