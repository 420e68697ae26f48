/* The offset-annotated TL tree of `mtproof decode` (harness/tl_tree.h). */
#include "harness/tl_tree.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

typedef struct tree {
    const tl_schema *s;
    const uint8_t *base;
    FILE *out;
    int err;
    size_t err_at;
} tree;

static size_t off(const tree *t, const mt_rd *r)
{
    return (size_t)(r->p - t->base);
}

/* Records the first error with the offset of the value being read, and stops r. */
static void stop(tree *t, mt_rd *r, size_t at, int err)
{
    if (!t->err) {
        t->err = err;
        t->err_at = at;
    }
    rd_fail(r, err);
}

/* Checks r after a read that started at `at`. */
static bool ok(tree *t, mt_rd *r, size_t at)
{
    if (r->err && !t->err) {
        t->err = r->err;
        t->err_at = at;
    }
    return !r->err;
}

__attribute__((format(printf, 4, 5))) static void line(tree *t, size_t at, unsigned indent,
                                                       const char *fmt, ...)
{
    if (!t->out)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(t->out, "%06zx  %*s", at, (int)(2 * indent), "");
    vfprintf(t->out, fmt, ap);
    fputc('\n', t->out);
    va_end(ap);
}

static void bytes_text(const uint8_t *p, size_t n, bool string, char *buf, size_t cap)
{
    bool text = string && n > 0;
    for (size_t i = 0; text && i < n; i++)
        text = p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\';
    size_t show = n > TL_TREE_SHOW_BYTES ? TL_TREE_SHOW_BYTES : n;
    size_t k = 0;
    if (text) {
        k = (size_t)snprintf(buf, cap, "\"%.*s\"", (int)show, (const char *)p);
    } else {
        k = (size_t)snprintf(buf, cap, "#");
        for (size_t i = 0; i < show && k + 3 < cap; i++)
            k += (size_t)snprintf(buf + k, cap - k, "%02x", p[i]);
    }
    if (k < cap)
        snprintf(buf + k, cap - k, "%s (%zu bytes)", show < n ? "..." : "", n);
}

static void walk_obj(tree *t, mt_rd *r, int16_t want, bool tail, unsigned depth, unsigned indent,
                     const char *label);
static void walk_body(tree *t, mt_rd *r, const tl_ctor *c, bool tail, unsigned depth,
                      unsigned indent);

/* One scalar value (or a nested object) of a field's kind, printed as "label: value". */
static void walk_value(tree *t, mt_rd *r, const tl_field *f, bool tail, unsigned depth,
                       unsigned indent, const char *label)
{
    size_t at = off(t, r);
    uint8_t big[32];
    char text[2 * TL_TREE_SHOW_BYTES + 40];
    switch (f->kind) {
    case TL_K_INT: {
        int32_t v = tl_rd_int(r);
        if (ok(t, r, at))
            line(t, at, indent, "%s: %" PRId32, label, v);
        break;
    }
    case TL_K_FLAGS: {
        uint32_t v = rd_u32le(r);
        if (ok(t, r, at))
            line(t, at, indent, "%s: 0x%08" PRIx32, label, v);
        break;
    }
    case TL_K_LONG: {
        int64_t v = tl_rd_long(r);
        if (ok(t, r, at))
            line(t, at, indent, "%s: %" PRId64, label, v);
        break;
    }
    case TL_K_DOUBLE: {
        double v = tl_rd_double(r);
        if (ok(t, r, at))
            line(t, at, indent, "%s: %.17g", label, v);
        break;
    }
    case TL_K_INT128:
    case TL_K_INT256: {
        size_t n = f->kind == TL_K_INT128 ? 16 : 32;
        rd_copy(r, big, n);
        bytes_text(big, n, false, text, sizeof text);
        if (ok(t, r, at))
            line(t, at, indent, "%s: %s", label, text);
        break;
    }
    case TL_K_STRING:
    case TL_K_BYTES: {
        tl_str v = tl_rd_string(r, TL_STRICT);
        if (ok(t, r, at)) {
            bytes_text(v.p, v.len, f->kind == TL_K_STRING, text, sizeof text);
            line(t, at, indent, "%s: %s", label, text);
        }
        break;
    }
    case TL_K_BOOL:
    case TL_K_TRUE: {
        bool v = tl_rd_bool(r);
        if (ok(t, r, at))
            line(t, at, indent, "%s: %s", label, v ? "true" : "false");
        break;
    }
    case TL_K_OBJ:
        walk_obj(t, r, f->ref, tail, depth + 1, indent, label);
        break;
    case TL_K_BARE:
        if (depth + 1 > TL_MAX_DEPTH) {
            stop(t, r, at, MT_E_tl_depth_exceeded);
            break;
        }
        line(t, at, indent, "%s: %s (bare)", label, t->s->ctors[f->ref].name);
        walk_body(t, r, &t->s->ctors[f->ref], false, depth + 1, indent + 1);
        break;
    }
}

static void walk_vector(tree *t, mt_rd *r, const tl_field *f, unsigned depth, unsigned indent)
{
    size_t at = off(t, r);
    tl_field one = *f;
    one.attr = 0;
    bool boxed = !(f->attr & TL_FA_BARE_VECTOR);
    uint32_t n = tl_rd_vector(r, boxed, f->max_count, tl_wire_min(t->s, &one, 0));
    if (!ok(t, r, at))
        return;
    line(t, at, indent, "%s: %s[%" PRIu32 "]", f->name, boxed ? "vector#1cb5c415 " : "", n);
    for (uint32_t i = 0; i < n && !r->err; i++) {
        char label[24];
        snprintf(label, sizeof label, "[%" PRIu32 "]", i);
        walk_value(t, r, &one, false, depth, indent + 1, label);
    }
}

/* "bytes:int body" of message: the body is read within exactly that many bytes. */
static void walk_sized(tree *t, mt_rd *r, const tl_field *len_f, const tl_field *f, unsigned depth,
                       unsigned indent)
{
    size_t at = off(t, r);
    int32_t n = tl_rd_int(r);
    if (!ok(t, r, at))
        return;
    line(t, at, indent, "%s: %" PRId32, len_f->name, n);
    if (n < 0 || (size_t)n > rd_left(r)) {
        stop(t, r, at, MT_E_truncated);
        return;
    }
    mt_rd sub = rd_sub(r, (size_t)n);
    walk_value(t, &sub, f, true, depth, indent, f->name);
    size_t end = off(t, &sub);
    int err = sub.err ? sub.err : rd_done(&sub);
    if (err)
        stop(t, r, sub.err ? t->err_at : end, err);
}

static void walk_body(tree *t, mt_rd *r, const tl_ctor *c, bool tail, unsigned depth,
                      unsigned indent)
{
    uint32_t flags = 0;
    bool have_flags = false;
    for (uint16_t i = 0; i < c->nfields && !r->err; i++) {
        const tl_field *f = &c->fields[i];
        bool present = f->flag < 0 || (have_flags && ((flags >> f->flag) & 1u));
        if (f->kind == TL_K_TRUE) {
            line(t, off(t, r), indent, "%s: %s (flags.%d)", f->name, present ? "true" : "false",
                 f->flag);
            continue;
        }
        if (!present)
            continue;
        if (f->kind == TL_K_FLAGS && !have_flags && !(f->attr & TL_FA_VECTOR) && rd_left(r) >= 4) {
            flags = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
                    (uint32_t)r->p[3] << 24;
            have_flags = true;
        }
        if ((f->attr & TL_FA_LENGTH) && i + 1 < c->nfields) {
            walk_sized(t, r, f, &c->fields[i + 1], depth, indent);
            i++;
        } else if (f->attr & TL_FA_VECTOR) {
            walk_vector(t, r, f, depth, indent);
        } else {
            walk_value(t, r, f, tail && i + 1 == c->nfields, depth, indent, f->name);
        }
    }
}

static const char *type_name(const tl_schema *s, int16_t type)
{
    return type >= 0 && (size_t)type < s->ntypes ? s->types[type] : "?";
}

static void walk_obj(tree *t, mt_rd *r, int16_t want, bool tail, unsigned depth, unsigned indent,
                     const char *label)
{
    size_t at = off(t, r);
    if (depth > TL_MAX_DEPTH) {
        stop(t, r, at, MT_E_tl_depth_exceeded);
        return;
    }
    uint32_t id = rd_u32le(r);
    if (!ok(t, r, at))
        return;
    const tl_ctor *c = tl_schema_find(t->s, id);
    if (!c && tail && want < 0) {
        size_t n = rd_left(r);
        char text[2 * TL_TREE_SHOW_BYTES + 40];
        bytes_text(rd_bytes(r, n), n, false, text, sizeof text);
        line(t, at, indent, "%s: opaque#%08" PRIx32 " (unknown constructor) %s", label, id, text);
    } else if (!c) {
        line(t, at, indent, "%s: #%08" PRIx32 " (unknown constructor)", label, id);
        stop(t, r, at, MT_E_tl_unknown_constructor);
    } else if (want >= 0 && (c->type != want || c->function)) {
        line(t, at, indent, "%s: %s#%08" PRIx32 " (a %s%s, but the field is a %s)", label, c->name,
             id, c->function ? "function returning " : "", type_name(t->s, c->type),
             type_name(t->s, want));
        stop(t, r, at, MT_E_tl_unexpected_constructor);
    } else {
        line(t, at, indent, "%s: %s#%08" PRIx32, label, c->name, id);
        walk_body(t, r, c, tail, depth, indent + 1);
    }
}

int tl_tree_print(const tl_schema *s, const uint8_t *base, const uint8_t *data, size_t len,
                  FILE *out, unsigned indent, size_t *err_at)
{
    tree t = {s, base, out, 0, 0};
    mt_rd r = rd_init(data, len);
    walk_obj(&t, &r, -1, true, 1, indent, "object");
    size_t end = off(&t, &r);
    if (!t.err && rd_done(&r)) {
        t.err = rd_done(&r);
        t.err_at = end;
    }
    if (err_at)
        *err_at = t.err_at;
    return t.err;
}
