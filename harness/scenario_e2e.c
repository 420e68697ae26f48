/*
 * The grammar of the `e2e` step (docs/scenarios.md "e2e"), checked when a file is parsed:
 *   e2e ready originator=true|false [room=NAME]
 *   e2e exchange [fingerprint=N]
 *   e2e send KIND [ARG] [override=value...]
 *   e2e expect KIND [field=value...] [within=DURATION]  |  e2e expect abort RULE_ID
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "harness/scenario_internal.h"
#include "proto/e2e.h"

static const char *const send_kinds[] = {
    "request", "accept",      "discard",    "envelope",   "object",    "noop", "text",
    "resend",  "request_key", "accept_key", "commit_key", "abort_key", NULL};
static const char *const expect_kinds[] = {
    "request",     "accept",     "discard",    "text",      "noop", "resend", "notify_layer",
    "request_key", "accept_key", "commit_key", "abort_key", "any",  "abort",  NULL};

static bool in(const char *const *l, const char *s)
{
    for (; *l; l++)
        if (!strcmp(*l, s))
            return true;
    return false;
}

__attribute__((format(printf, 5, 6))) static int bad(unsigned *col, const sc_tok *t, char *why,
                                                     size_t cap, const char *msg, ...)
{
    *col = t->col;
    va_list ap;
    va_start(ap, msg);
    vsnprintf(why, cap, msg, ap);
    va_end(ap);
    return MT_E_bad_field;
}

static bool hex_ok(const char *v, size_t want)
{
    v += v[0] == '0' && v[1] == 'x' ? 2 : 0;
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)v[i]))
            return false;
    return n % 2 == 0 && (!want || n == 2 * want);
}

static bool quoted(const char *v)
{
    size_t n = strlen(v);
    return n >= 2 && v[0] == '"' && v[n - 1] == '"' && !memchr(v + 1, '"', n - 2);
}

/* An override of `e2e send` (or exchange) and its value's range. */
static bool override_ok(const char *k, const char *v)
{
    static const char *const ints[] = {"out_seq",     "in_seq",      "length", "layer",
                                       "key_fp",      "exchange_id", "start",  "end",
                                       "fingerprint", "ctor",        NULL};
    int64_t n;
    if (in(ints, k))
        return sc_int64(v, &n);
    if (!strcmp(k, "out_raw") || !strcmp(k, "in_raw"))
        return sc_int64(v, &n) && n >= 0 && n < (1 << 30);
    if (!strcmp(k, "random_bytes"))
        return sc_int64(v, &n) && n >= 0 && n <= 255;
    if (!strcmp(k, "padding") || !strcmp(k, "data_len"))
        return sc_int64(v, &n) && n >= 0 && n <= (int64_t)E2E_DATA_MAX - 64;
    if (!strcmp(k, "size"))
        return sc_int64(v, &n) && n >= 0 && n <= (int64_t)E2E_TEXT_MAX + 512;
    if (!strcmp(k, "msg_key"))
        return hex_ok(v, 16) || !strcmp(v, "random");
    if (!strcmp(k, "g_a") || !strcmp(k, "g_b"))
        return hex_ok(v, 0) && strlen(v) <= 2 + 2 * 512;
    return false;
}

static int check_send(const sc_step *s, unsigned *col, char *why, size_t cap)
{
    const char *kind = s->toks[1].val;
    if (s->toks[1].key || !in(send_kinds, kind))
        return bad(col, &s->toks[1], why, cap,
                   "e2e send what? ('%s': request, accept, discard, envelope, object, noop, "
                   "text, resend, request_key, accept_key, commit_key, abort_key)",
                   s->toks[1].val);
    bool hex = !strcmp(kind, "envelope") || !strcmp(kind, "object");
    bool text = !strcmp(kind, "text") || !strcmp(kind, "discard");
    size_t bare = 0;
    for (size_t i = 2; i < s->n; i++) {
        const sc_tok *t = &s->toks[i];
        if (t->key && !override_ok(t->key, t->val))
            return bad(col, t, why, cap, "unknown override or bad value: %s", t->key);
        if (t->key)
            continue;
        if (++bare > 1 || (!hex && !text))
            return bad(col, t, why, cap, "unexpected '%s'", t->val);
        if (hex && !hex_ok(t->val, 0))
            return bad(col, t, why, cap, "'%s' is not hex bytes", t->val);
        if (text && !quoted(t->val))
            return bad(col, t, why, cap, "write the text in quotes ('%s')", t->val);
    }
    if (hex && !bare)
        return bad(col, &s->toks[1], why, cap, "e2e send %s needs the bytes (0xHEX)", kind);
    return 0;
}

static int check_expect(const sc_step *s, unsigned *col, char *why, size_t cap)
{
    const char *kind = s->toks[1].val;
    int64_t d;
    if (s->toks[1].key || !in(expect_kinds, kind))
        return bad(col, &s->toks[1], why, cap, "e2e expect what? ('%s')", s->toks[1].val);
    for (size_t i = 2; i < s->n; i++) {
        const sc_tok *t = &s->toks[i];
        if (t->key && !strcmp(t->key, "within") && !sc_duration(t->val, &d))
            return bad(col, t, why, cap, "bad duration '%s'", t->val);
        bool rule = !strcmp(kind, "abort") && i == 2 && !t->key;
        if (rule && !sc_rule_by_id(t->val))
            return bad(col, t, why, cap, "unknown rule '%s'", t->val);
        if (!t->key && !rule)
            return bad(col, t, why, cap, "unexpected '%s' (write field=value)", t->val);
    }
    if (!strcmp(kind, "abort") && (s->n < 3 || s->toks[2].key))
        return bad(col, &s->toks[1], why, cap, "write 'e2e expect abort RULE_ID'%s", "");
    return 0;
}

static int check_ready(const sc_step *s, unsigned *col, char *why, size_t cap)
{
    bool orig = false;
    for (size_t i = 1; i < s->n; i++) {
        const sc_tok *t = &s->toks[i];
        const char *k = t->key ? t->key : "";
        bool ok = false;
        if (!strcmp(k, "originator"))
            ok = orig = !strcmp(t->val, "true") || !strcmp(t->val, "false");
        else if (!strcmp(k, "room"))
            ok = t->val[0] && strlen(t->val) < 64 &&
                 strspn(t->val, "abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789_.-") == strlen(t->val);
        if (!ok)
            return bad(col, t, why, cap, "e2e ready takes originator=true|false [room=NAME] ('%s')",
                       t->key ? t->key : t->val);
    }
    return orig ? 0
                : bad(col, &s->toks[0], why, cap, "e2e ready needs originator=true|false%s", "");
}

int sc_check_e2e(const sc_step *s, unsigned *col, char *why, size_t cap)
{
    if (s->n == 0 || s->toks[0].key) {
        *col = s->n ? s->toks[0].col : s->col;
        snprintf(why, cap, "e2e what? (ready, exchange, send, expect)");
        return MT_E_bad_field;
    }
    const char *w = s->toks[0].val;
    if (!strcmp(w, "ready"))
        return check_ready(s, col, why, cap);
    if (!strcmp(w, "exchange")) {
        for (size_t i = 1; i < s->n; i++)
            if (!s->toks[i].key || strcmp(s->toks[i].key, "fingerprint") != 0 ||
                !override_ok("fingerprint", s->toks[i].val))
                return bad(col, &s->toks[i], why, cap, "e2e exchange takes fingerprint=N only%s",
                           "");
        return 0;
    }
    if (strcmp(w, "send") != 0 && strcmp(w, "expect") != 0)
        return bad(col, &s->toks[0], why, cap, "e2e '%s'? (ready, exchange, send, expect)", w);
    if (s->n < 2)
        return bad(col, &s->toks[0], why, cap, "e2e %s what?", w);
    return w[0] == 's' ? check_send(s, col, why, cap) : check_expect(s, col, why, cap);
}
