/*
 * The text form of TL objects in scenarios (docs/scenarios.md "TL objects"), converted to the JSON
 * form of harness/tl_json.h so one encoder serves both:
 *
 *     obj   := NAME [ '(' [ NAME '=' value { ',' NAME '=' value } ] ')' ] | JSON object
 *     value := obj | '[' [ value { ',' value } ] ']' | "text" | 0xHEX | number | symbol | '*'
 *
 * The schema gives each field its type: int/long take numbers or symbols the runner resolves
 * (`last`, `recv`, `now`...), int128/int256/bytes take 0xHEX or a symbol (`random`, `nonce`...),
 * string takes "text" or 0xHEX. Left out: `flags` (computed from the fields present) and
 * message.bytes (the body's encoded length). In a pattern (expect) fields may be left out and `*`
 * matches anything.
 */
#include <ctype.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/scenario_internal.h"
#include "proto/msgid.h"

typedef struct tparse {
    const char *p, *end, *start;
    const sc_resolver *res;
    bool pattern;
    int err;
    char *why;
    size_t why_cap;
    unsigned depth;
} tparse;

__attribute__((format(printf, 2, 3))) static void fail(tparse *t, const char *fmt, ...)
{
    if (t->err)
        return;
    t->err = MT_E_bad_field;
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(t->why, t->why_cap, "+%zu: %s", (size_t)(t->p - t->start), msg);
}

static void skip_ws(tparse *t)
{
    while (t->p < t->end && isspace((unsigned char)*t->p))
        t->p++;
}

static bool eat(tparse *t, char c)
{
    skip_ws(t);
    if (t->p < t->end && *t->p == c) {
        t->p++;
        return true;
    }
    return false;
}

/* An identifier (letters, digits, _ . -), copied into out. */
static bool ident(tparse *t, char *out, size_t cap)
{
    skip_ws(t);
    size_t n = 0;
    while (t->p + n < t->end && (isalnum((unsigned char)t->p[n]) || t->p[n] == '_' ||
                                 t->p[n] == '.' || ((t->p[n] == '-' || t->p[n] == '+') && n > 0)))
        n++;
    if (n == 0 || n >= cap)
        return false;
    memcpy(out, t->p, n);
    out[n] = '\0';
    t->p += n;
    return true;
}

static json_t *parse_obj(tparse *t, const tl_schema *s);

/* A scalar word up to ',' ')' ']' (numbers, symbols, 0xHEX, *). */
static bool scalar(tparse *t, char *out, size_t cap)
{
    skip_ws(t);
    size_t n = 0;
    while (t->p + n < t->end && !strchr(",)]( \t", t->p[n]))
        n++;
    if (n == 0 || n >= cap)
        return false;
    memcpy(out, t->p, n);
    out[n] = '\0';
    t->p += n;
    return true;
}

/* "text" with \" and \\ escapes, as lowercase hex of its bytes. */
static json_t *quoted_hex(tparse *t)
{
    static const char hx[] = "0123456789abcdef";
    size_t cap = 2 * (size_t)(t->end - t->p) + 1;
    char *buf = malloc(cap), *o = buf;
    if (!buf)
        return NULL;
    t->p++; /* the opening quote */
    while (t->p < t->end && *t->p != '"') {
        if (*t->p == '\\' && t->p + 1 < t->end)
            t->p++;
        unsigned char c = (unsigned char)*t->p++;
        *o++ = hx[c >> 4];
        *o++ = hx[c & 15];
    }
    *o = '\0';
    json_t *j = NULL;
    if (t->p < t->end) {
        t->p++;
        j = json_string(buf);
    } else {
        fail(t, "unterminated string%s", "");
    }
    free(buf);
    return j;
}

static json_t *hex_value(tparse *t, const char *w, size_t want)
{
    const char *h = (w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) ? w + 2 : w;
    size_t n = strlen(h);
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)h[i]) || isupper((unsigned char)h[i])) {
            if (strncmp(w, "fill:", 5) == 0) /* a fill:N the resolver refused: N out of range */
                fail(t, "'%s': fill:N takes N from 0 to %d", w, SC_FILL_MAX);
            else
                fail(t, "'%s' is not lowercase hex", w);
            return NULL;
        }
    if ((n & 1) || (want && n != 2 * want)) {
        fail(t, "'%s' has the wrong number of hex digits", w);
        return NULL;
    }
    return json_string(h);
}

/* A long written as SYMBOL+-OFFSET ("first-4096", "now+31s"): the symbol's value shifted as in
 * the envelope (a duration moves a msg_id by seconds * 2^32). */
static bool long_expr(tparse *t, const char *w, int64_t *v)
{
    sc_expr e;
    json_t *j = NULL;
    if (!sc_expr_parse(w, &e) || !e.base[0] || !t->res || !t->res->sym ||
        t->res->sym(t->res->ctx, e.base, TL_K_LONG, &j) != 0)
        return false;
    int64_t base = 0;
    bool ok = sc_int64(json_string_value(j) ? json_string_value(j) : "", &base);
    json_decref(j);
    uint64_t shift = msgid_from_ns((uint64_t)(e.ns < 0 ? -e.ns : e.ns)) & ~(uint64_t)3;
    *v = (int64_t)((uint64_t)base + (uint64_t)e.plus + (e.ns < 0 ? -shift : shift));
    return ok;
}

/* One value of field f (not a vector). */
static json_t *parse_value(tparse *t, const tl_schema *s, const tl_field *f)
{
    char w[256];
    skip_ws(t);
    if (f->kind == TL_K_OBJ || f->kind == TL_K_BARE)
        return parse_obj(t, s);
    if (t->p < t->end && *t->p == '"' && (f->kind == TL_K_STRING || f->kind == TL_K_BYTES))
        return quoted_hex(t);
    if (!scalar(t, w, sizeof w)) {
        fail(t, "expected a value for '%s'", f->name);
        return NULL;
    }
    if (strcmp(w, "*") == 0) {
        if (!t->pattern)
            fail(t, "'*' is only allowed in expect%s", "");
        return t->pattern ? json_null() : NULL;
    }
    json_t *j = NULL;
    if (t->res && t->res->sym && t->res->sym(t->res->ctx, w, f->kind, &j) == 0)
        return j;
    int64_t v;
    if (f->kind == TL_K_LONG && long_expr(t, w, &v)) {
        char d[24];
        snprintf(d, sizeof d, "%" PRId64, v);
        return json_string(d);
    }
    switch (f->kind) {
    case TL_K_INT:
    case TL_K_FLAGS:
        if (sc_int64(w, &v) && v >= INT32_MIN && v <= (int64_t)UINT32_MAX)
            return json_integer((int32_t)(uint32_t)v);
        break;
    case TL_K_LONG:
        if (sc_int64(w, &v)) {
            char d[24];
            snprintf(d, sizeof d, "%" PRId64, v);
            return json_string(d);
        }
        break;
    case TL_K_DOUBLE:
        return json_real(strtod(w, NULL));
    case TL_K_INT128:
        return hex_value(t, w, 16);
    case TL_K_INT256:
        return hex_value(t, w, 32);
    case TL_K_STRING:
    case TL_K_BYTES:
        return hex_value(t, w, 0);
    case TL_K_BOOL:
    case TL_K_TRUE:
        if (strcmp(w, "true") == 0 || strcmp(w, "false") == 0)
            return json_boolean(w[0] == 't');
        break;
    }
    fail(t, "bad value '%s'", w);
    return NULL;
}

static json_t *parse_field(tparse *t, const tl_schema *s, const tl_field *f)
{
    if (!(f->attr & TL_FA_VECTOR))
        return parse_value(t, s, f);
    if (!eat(t, '[')) {
        fail(t, "'%s' is a vector: write [a, b, ...]", f->name);
        return NULL;
    }
    json_t *arr = json_array();
    tl_field one = *f;
    one.attr = 0;
    if (!eat(t, ']')) {
        do {
            json_t *e = parse_value(t, s, &one);
            if (!e || json_array_append_new(arr, e) != 0)
                break;
        } while (eat(t, ','));
        if (!t->err && !eat(t, ']'))
            fail(t, "expected ',' or ']'%s", "");
    }
    if (t->err) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

/* flags words left out: the bits of the optional fields present; `true` fields left out: false. */
static void fill_flags(const tl_ctor *k, json_t *o)
{
    for (size_t i = 0; i < k->nfields; i++) {
        const tl_field *f = &k->fields[i];
        if (f->kind != TL_K_FLAGS || json_object_get(o, f->name))
            continue;
        uint32_t bits = 0;
        for (size_t j = i + 1; j < k->nfields; j++) {
            const tl_field *g = &k->fields[j];
            json_t *x = json_object_get(o, g->name);
            if (g->flag < 0)
                continue;
            if (g->kind == TL_K_TRUE) {
                if (!x)
                    json_object_set_new(o, g->name, json_false());
                else if (json_is_true(x))
                    bits |= 1u << g->flag;
            } else if (x) {
                bits |= 1u << g->flag;
            }
        }
        json_object_set_new(o, f->name, json_integer((int32_t)bits));
    }
}

/* message.bytes left out: the encoded length of the body that follows it. */
static void fill_lengths(tparse *t, const tl_schema *s, const tl_ctor *k, json_t *o)
{
    for (size_t i = 0; i + 1 < k->nfields; i++) {
        const tl_field *f = &k->fields[i];
        json_t *body = json_object_get(o, k->fields[i + 1].name);
        if (!(f->attr & TL_FA_LENGTH) || json_object_get(o, f->name) || !body)
            continue;
        uint8_t *enc = NULL;
        size_t len = 0;
        char why[TL_JSON_WHY];
        if (tl_json_encode(s, body, &enc, &len, why, sizeof why) != 0) {
            fail(t, "body of message: %s", why);
            return;
        }
        free(enc);
        json_object_set_new(o, f->name, json_integer((json_int_t)len));
    }
}

static json_t *parse_json_obj(tparse *t)
{
    json_error_t e;
    json_t *j = json_loadb(t->p, (size_t)(t->end - t->p), JSON_DISABLE_EOF_CHECK, &e);
    if (!j) {
        fail(t, "bad JSON: %s", e.text);
        return NULL;
    }
    t->p += e.position;
    return j;
}

static json_t *parse_fields(tparse *t, const tl_schema *s, const tl_ctor *k, json_t *o)
{
    if (!eat(t, '(') || eat(t, ')'))
        return o;
    do {
        char name[64];
        skip_ws(t);
        const char *at = t->p;
        if (!ident(t, name, sizeof name) || !eat(t, '=')) {
            fail(t, "expected field=value in %s(...)", k->name);
            break;
        }
        const tl_field *f = NULL;
        for (size_t i = 0; i < k->nfields && !f; i++)
            if (strcmp(k->fields[i].name, name) == 0)
                f = &k->fields[i];
        if (!f) {
            t->p = at;
            fail(t, "no field '%s' here", name);
            break;
        }
        if (json_object_get(o, name)) {
            fail(t, "field '%s' given twice", name);
            break;
        }
        json_t *v = parse_field(t, s, f);
        if (!v)
            break;
        if (json_is_null(v))
            json_decref(v); /* '*': matches anything */
        else
            json_object_set_new(o, name, v);
    } while (eat(t, ','));
    if (!t->err && !eat(t, ')'))
        fail(t, "expected ',' or ')' in %s(...)", k->name);
    return o;
}

static json_t *parse_obj(tparse *t, const tl_schema *s)
{
    char name[96];
    skip_ws(t);
    if (t->p < t->end && *t->p == '{')
        return parse_json_obj(t);
    if (++t->depth > TL_MAX_DEPTH) {
        fail(t, "nested deeper than %s", "16");
        return NULL;
    }
    const tl_ctor *k = NULL;
    if (ident(t, name, sizeof name))
        k = sc_tl_ctor(name, &s);
    if (!k) {
        fail(t, "unknown TL constructor '%s'", name);
        return NULL;
    }
    json_t *o = json_object();
    json_object_set_new(o, "_", json_string(k->name));
    parse_fields(t, s, k, o);
    if (!t->err && !t->pattern) {
        fill_flags(k, o);
        fill_lengths(t, s, k, o);
    }
    t->depth--;
    if (t->err) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int sc_tl_parse(const char *text, const sc_resolver *res, bool pattern, json_t **out, char *why,
                size_t why_cap)
{
    tparse t = {.p = text,
                .end = text + strlen(text),
                .start = text,
                .res = res,
                .pattern = pattern,
                .why = why,
                .why_cap = why_cap};
    *out = parse_obj(&t, tl_json_schema(NULL));
    if (!t.err) {
        skip_ws(&t);
        if (t.p != t.end)
            fail(&t, "unexpected text after the object%s", "");
    }
    if (t.err) {
        json_decref(*out);
        *out = NULL;
        return t.err;
    }
    return 0;
}
