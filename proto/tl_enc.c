/* The generic TL encoder: writes any constructor from its generated descriptor. */
#include <string.h>

#include "common/endian.h"
#include "proto/tl_obj.h"

static void enc_obj(mt_wr *w, const tl_obj *o, unsigned depth);
static void enc_body(mt_wr *w, const tl_ctor *c, const void *body, unsigned depth);

static void wr_fail(mt_wr *w, int err)
{
    if (!w->err)
        w->err = err;
}

static void enc_value(mt_wr *w, const tl_ctor *c, const tl_field *f, const void *slot,
                      unsigned depth)
{
    int32_t i32;
    int64_t i64;
    double dbl;
    tl_str str;
    bool b;
    switch (f->kind) {
    case TL_K_INT:
    case TL_K_FLAGS:
        memcpy(&i32, slot, sizeof i32);
        tl_wr_int(w, i32);
        break;
    case TL_K_LONG:
        memcpy(&i64, slot, sizeof i64);
        tl_wr_long(w, i64);
        break;
    case TL_K_DOUBLE:
        memcpy(&dbl, slot, sizeof dbl);
        tl_wr_double(w, dbl);
        break;
    case TL_K_INT128:
        tl_wr_int128(w, slot);
        break;
    case TL_K_INT256:
        tl_wr_int256(w, slot);
        break;
    case TL_K_STRING:
    case TL_K_BYTES:
        memcpy(&str, slot, sizeof str);
        if (str.len && !str.p)
            wr_fail(w, MT_E_bad_argument);
        else
            tl_wr_string(w, str.p, str.len);
        break;
    case TL_K_BOOL:
        memcpy(&b, slot, sizeof b);
        tl_wr_bool(w, b);
        break;
    case TL_K_TRUE: /* no bytes: the flag bit is the value */
        break;
    case TL_K_OBJ:
        enc_obj(w, slot, depth + 1);
        break;
    case TL_K_BARE:
        if (depth + 1 > TL_MAX_DEPTH)
            wr_fail(w, MT_E_tl_depth_exceeded);
        else
            enc_body(w, &c->schema->ctors[f->ref], slot, depth + 1);
        break;
    }
}

static void enc_vector(mt_wr *w, const tl_ctor *c, const tl_field *f, const tl_vec *v,
                       unsigned depth)
{
    tl_field one = *f;
    one.attr = 0;
    if (v->n && !v->v) {
        wr_fail(w, MT_E_bad_argument);
        return;
    }
    tl_wr_vector(w, !(f->attr & TL_FA_BARE_VECTOR), v->n);
    /* Element stride: the same sizes the decoder allocates. */
    size_t esz = 0;
    switch (f->kind) {
    case TL_K_INT:
        esz = sizeof(int32_t);
        break;
    case TL_K_LONG:
        esz = sizeof(int64_t);
        break;
    case TL_K_DOUBLE:
        esz = sizeof(double);
        break;
    case TL_K_INT128:
        esz = 16;
        break;
    case TL_K_INT256:
        esz = 32;
        break;
    case TL_K_STRING:
    case TL_K_BYTES:
        esz = sizeof(tl_str);
        break;
    case TL_K_OBJ:
        esz = sizeof(tl_obj);
        break;
    case TL_K_BARE:
        esz = c->schema->ctors[f->ref].size;
        break;
    default:
        esz = sizeof(bool);
        break;
    }
    for (uint32_t i = 0; i < v->n && !w->err; i++)
        enc_value(w, c, &one, (const uint8_t *)v->v + (size_t)i * esz, depth);
}

/* message.bytes: reserve the length, write the body, then fill the length in. */
static void enc_sized(mt_wr *w, const tl_ctor *c, const tl_field *f, const void *body,
                      unsigned depth)
{
    uint8_t *len = wr_reserve(w, 4);
    size_t start = wr_len(w);
    enc_value(w, c, f, tl_field_cptr(body, f), depth);
    if (len && !w->err)
        st32le(len, (uint32_t)(wr_len(w) - start));
}

static void enc_body(mt_wr *w, const tl_ctor *c, const void *body, unsigned depth)
{
    for (uint16_t i = 0; i < c->nfields && !w->err; i++) {
        const tl_field *f = &c->fields[i];
        if (!tl_field_present(c, body, f))
            continue;
        if ((f->attr & TL_FA_LENGTH) && i + 1 < c->nfields) {
            enc_sized(w, c, &c->fields[i + 1], body, depth);
            i++;
        } else if (f->attr & TL_FA_VECTOR) {
            enc_vector(w, c, f, tl_field_cptr(body, f), depth);
        } else {
            enc_value(w, c, f, tl_field_cptr(body, f), depth);
        }
    }
}

static void enc_obj(mt_wr *w, const tl_obj *o, unsigned depth)
{
    if (depth > TL_MAX_DEPTH) {
        wr_fail(w, MT_E_tl_depth_exceeded);
        return;
    }
    wr_u32le(w, o->id);
    if (!o->ctor) {
        if (o->opaque.len && !o->opaque.p)
            wr_fail(w, MT_E_bad_argument);
        else
            wr_bytes(w, o->opaque.p, o->opaque.len);
    } else if (!o->body || o->ctor->id != o->id) {
        wr_fail(w, MT_E_bad_argument);
    } else {
        enc_body(w, o->ctor, o->body, depth);
    }
}

int tl_encode(mt_wr *w, const tl_obj *o)
{
    enc_obj(w, o, 1);
    return w->err;
}

int tl_encode_bare(mt_wr *w, const tl_ctor *c, const void *body)
{
    enc_body(w, c, body, 1);
    return w->err;
}
