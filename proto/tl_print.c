/* Printers for decoded TL objects: an indented readable tree and one-line JSON. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto/tl_obj.h"

typedef struct tl_pr {
    char *buf;
    size_t cap;
    size_t len;
    int err;
    bool json;
} tl_pr;

__attribute__((format(printf, 2, 3))) static void pr(tl_pr *p, const char *fmt, ...)
{
    if (p->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    size_t room = p->cap > p->len ? p->cap - p->len : 0;
    int n = vsnprintf(room ? p->buf + p->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room) {
        p->err = MT_E_no_space;
        return;
    }
    p->len += (size_t)n;
}

static void pr_hex(tl_pr *p, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n && !p->err; i++)
        pr(p, "%02x", b[i]);
}

static bool printable(tl_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] < 0x20 || s.p[i] > 0x7e || s.p[i] == '"' || s.p[i] == '\\')
            return false;
    return true;
}

static void pr_obj(tl_pr *p, const tl_obj *o, unsigned depth);

/* %.17g gives back the same double. In JSON an integral value gets ".0" so that a JSON reader
 * sees a real (and keeps -0.0): the JSON form must convert back to the same bytes. NaN and
 * infinity are not JSON numbers and are written as the strings "nan", "-nan", "inf", "-inf". */
static void pr_double(tl_pr *p, double v)
{
    if (v != v || v - v != 0) {
        pr(p, p->json ? "\"%s%s\"" : "%s%s", signbit(v) ? "-" : "", v != v ? "nan" : "inf");
        return;
    }
    char num[40];
    snprintf(num, sizeof num, "%.17g", v);
    pr(p, "%s%s", num, p->json && !strpbrk(num, ".e") ? ".0" : "");
}

static void pr_value(tl_pr *p, const tl_schema *s, const tl_field *f, const void *slot,
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
        pr(p, "%" PRId32, i32);
        break;
    case TL_K_LONG:
        memcpy(&i64, slot, sizeof i64);
        pr(p, p->json ? "\"%" PRId64 "\"" : "%" PRId64, i64);
        break;
    case TL_K_DOUBLE:
        memcpy(&dbl, slot, sizeof dbl);
        pr_double(p, dbl);
        break;
    case TL_K_INT128:
    case TL_K_INT256:
        pr(p, p->json ? "\"" : "0x");
        pr_hex(p, slot, f->kind == TL_K_INT128 ? 16 : 32);
        if (p->json)
            pr(p, "\"");
        break;
    case TL_K_STRING:
    case TL_K_BYTES:
        memcpy(&str, slot, sizeof str);
        if (!p->json && f->kind == TL_K_STRING && printable(str)) {
            if (str.len)
                pr(p, "\"%.*s\"", (int)str.len, (const char *)str.p);
            else
                pr(p, "\"\"");
        } else {
            pr(p, p->json ? "\"" : "#");
            pr_hex(p, str.p, str.len);
            if (p->json)
                pr(p, "\"");
        }
        break;
    case TL_K_BOOL:
    case TL_K_TRUE:
        memcpy(&b, slot, sizeof b);
        pr(p, "%s", b ? "true" : "false");
        break;
    case TL_K_OBJ:
        pr_obj(p, slot, depth + 1);
        break;
    case TL_K_BARE: {
        tl_obj bare = {s->ctors[f->ref].id, &s->ctors[f->ref], (void *)(uintptr_t)slot, {0, 0}};
        pr_obj(p, &bare, depth + 1);
        break;
    }
    }
}

static void pr_indent(tl_pr *p, unsigned depth)
{
    if (!p->json)
        pr(p, "\n%*s", (int)(2 * depth), "");
}

static void pr_vector(tl_pr *p, const tl_schema *s, const tl_field *f, const tl_vec *v,
                      unsigned depth)
{
    tl_field one = *f;
    one.attr = 0;
    /* Element stride: sizes as the decoder allocates them. */
    size_t esz = f->kind == TL_K_INT      ? sizeof(int32_t)
                 : f->kind == TL_K_LONG   ? sizeof(int64_t)
                 : f->kind == TL_K_DOUBLE ? sizeof(double)
                 : f->kind == TL_K_INT128 ? 16
                 : f->kind == TL_K_INT256 ? 32
                 : f->kind == TL_K_OBJ    ? sizeof(tl_obj)
                 : f->kind == TL_K_BARE   ? s->ctors[f->ref].size
                 : f->kind == TL_K_BOOL   ? sizeof(bool)
                                          : sizeof(tl_str);
    pr(p, "[");
    for (uint32_t i = 0; i < v->n && !p->err; i++) {
        pr(p, "%s", i ? (p->json ? "," : ", ") : "");
        pr_value(p, s, &one, (const uint8_t *)v->v + (size_t)i * esz, depth);
    }
    pr(p, "]");
}

static void pr_opaque(tl_pr *p, const tl_obj *o)
{
    if (p->json) {
        pr(p, "{\"_\":\"opaque\",\"id\":\"0x%08" PRIx32 "\",\"data\":\"", o->id);
        pr_hex(p, o->opaque.p, o->opaque.len);
        pr(p, "\"}");
    } else {
        pr(p, "opaque#%08" PRIx32 " #", o->id);
        pr_hex(p, o->opaque.p, o->opaque.len);
    }
}

static void pr_obj(tl_pr *p, const tl_obj *o, unsigned depth)
{
    if (depth > 2 * TL_MAX_DEPTH) {
        p->err = MT_E_tl_depth_exceeded;
        return;
    }
    if (!o->ctor || !o->body) {
        pr_opaque(p, o);
        return;
    }
    const tl_ctor *c = o->ctor;
    if (p->json)
        pr(p, "{\"_\":\"%s\"", c->name);
    else
        pr(p, "%s#%08" PRIx32 " {", c->name, c->id);
    for (uint16_t i = 0; i < c->nfields && !p->err; i++) {
        const tl_field *f = &c->fields[i];
        if (f->kind != TL_K_TRUE && !tl_field_present(c, o->body, f))
            continue;
        if (p->json) {
            pr(p, ",\"%s\":", f->name);
        } else {
            pr_indent(p, depth);
            pr(p, "%s: ", f->name);
        }
        const void *slot = tl_field_cptr(o->body, f);
        if (f->attr & TL_FA_VECTOR)
            pr_vector(p, c->schema, f, slot, depth);
        else
            pr_value(p, c->schema, f, slot, depth);
    }
    if (!p->json && c->nfields)
        pr_indent(p, depth - 1);
    pr(p, "}");
}

static int print(const tl_obj *o, char *buf, size_t cap, size_t *out_len, bool json)
{
    tl_pr p = {buf, cap, 0, 0, json};
    if (cap)
        buf[0] = '\0';
    pr_obj(&p, o, 1);
    if (p.err && cap)
        buf[p.len < cap ? p.len : cap - 1] = '\0';
    if (out_len)
        *out_len = p.len;
    return p.err;
}

int tl_print_text(const tl_obj *o, char *buf, size_t cap, size_t *out_len)
{
    return print(o, buf, cap, out_len, false);
}

int tl_print_json(const tl_obj *o, char *buf, size_t cap, size_t *out_len)
{
    return print(o, buf, cap, out_len, true);
}
