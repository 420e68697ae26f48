/*
 * The parser's side of scenarios with several connections (docs/scenarios.md "connection" and
 * "limits"): the grammar of the `connection NAME [transport=T] [close]` step and the stanza line
 * `limits max_conns=N ...`, which sets the builtin relay's limits for one scenario (the flags of
 * `mtproof relay`: --max-conns, --max-frame, --max-pending, --idle-timeout, --handshakes-per-sec).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "harness/scenario_internal.h"
#include "proto/msgid.h"

static bool conn_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SC_CONN_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
            return false;
    return strcmp(s, "close") != 0;
}

int sc_check_connection(const sc_step *s, unsigned *col, char *why, size_t cap)
{
    *col = s->col;
    if (s->n == 0 || s->toks[0].key || !conn_name_ok(s->toks[0].val)) {
        *col = s->n ? s->toks[0].col : s->col;
        snprintf(why, cap,
                 "write 'connection NAME [transport=T] [close]' (NAME: 1..%d of "
                 "[A-Za-z0-9_.-])",
                 SC_CONN_NAME_MAX);
        return MT_E_bad_field;
    }
    bool closing = false, transport = false;
    for (size_t i = 1; i < s->n; i++) {
        const sc_tok *t = &s->toks[i];
        *col = t->col;
        if (!t->key && strcmp(t->val, "close") == 0 && !closing) {
            closing = true;
        } else if (t->key && strcmp(t->key, "transport") == 0 && !transport) {
            if (!sc_transport_ok(t->val)) {
                snprintf(why, cap, "unknown transport '%s'", t->val);
                return MT_E_bad_field;
            }
            transport = true;
        } else {
            snprintf(why, cap, "only transport=NAME or close after the name (once each)");
            return MT_E_bad_field;
        }
    }
    if (closing && transport) {
        snprintf(why, cap, "close takes no transport");
        return MT_E_bad_field;
    }
    return 0;
}

static bool num(const char *v, uint64_t lo, uint64_t hi, uint32_t *out)
{
    int64_t x;
    if (!sc_int64(v, &x) || x < (int64_t)lo || (uint64_t)x > hi)
        return false;
    *out = (uint32_t)x;
    return true;
}

/* One key=value of a limits line; the bounds are those of `mtproof relay`'s flags. */
static bool limit_set(sc_limits *l, const char *k, const char *v, char *why, size_t cap)
{
    int64_t ns = 0;
    bool ok;
    if (!strcmp(k, "max_conns"))
        ok = num(v, 1, 1000000, &l->max_conns);
    else if (!strcmp(k, "max_frame"))
        ok = num(v, 64, 16u << 20, &l->max_frame);
    else if (!strcmp(k, "max_pending"))
        ok = num(v, 4096, UINT32_MAX, &l->max_pending);
    else if (!strcmp(k, "handshakes_per_sec"))
        ok = num(v, 1, 1000000, &l->handshake_rate);
    else if (!strcmp(k, "idle_timeout")) {
        ok = sc_duration(v, &ns) && ns >= (int64_t)NS_PER_S && ns % (int64_t)NS_PER_S == 0 &&
             ns <= 86400 * (int64_t)NS_PER_S;
        l->idle_ns = (uint64_t)ns;
    } else {
        snprintf(why, cap,
                 "unknown limit '%s' (max_conns, max_frame, max_pending, idle_timeout, "
                 "handshakes_per_sec)",
                 k);
        return false;
    }
    if (!ok)
        snprintf(why, cap, "bad value '%s' for %s (the bounds of mtproof relay's flag)", v, k);
    return ok;
}

static void text_add(sc_limits *l, const char *k, const char *v)
{
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "%s%s=%s", n ? " " : "", k, v);
}

int sc_header_limits(scenario *c, const sc_tok *t, size_t n, unsigned *col, char *why, size_t cap)
{
    *col = t[0].col;
    if (n < 2) {
        snprintf(why, cap, "write 'limits KEY=VALUE...'");
        return MT_E_bad_field;
    }
    if (c->limits.set || c->n_steps) {
        snprintf(why, cap, "one 'limits' line, before the first step");
        return MT_E_bad_field;
    }
    for (size_t i = 1; i < n; i++) {
        *col = t[i].col;
        if (!t[i].key) {
            snprintf(why, cap, "write KEY=VALUE ('%s')", t[i].val);
            return MT_E_bad_field;
        }
        if (!limit_set(&c->limits, t[i].key, t[i].val, why, cap))
            return MT_E_bad_field;
        text_add(&c->limits, t[i].key, t[i].val);
    }
    c->limits.set = true;
    c->relay_only = true; /* limits are the relay's */
    return 0;
}

bool sc_limits_parse(const char *text, sc_limits *l, char *why, size_t cap)
{
    memset(l, 0, sizeof *l);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,\t", &save); w; w = strtok_r(NULL, " ,\t", &save)) {
        char *eq = strchr(w, '=');
        if (!eq) {
            snprintf(why, cap, "write KEY=VALUE ('%s')", w);
            return false;
        }
        *eq = '\0';
        if (!limit_set(l, w, eq + 1, why, cap))
            return false;
        text_add(l, w, eq + 1);
    }
    l->set = l->text[0] != '\0';
    if (!l->set)
        snprintf(why, cap, "no limits given");
    return l->set;
}

bool sc_limits_equal(const sc_limits *a, const sc_limits *b)
{
    return a->set == b->set && a->max_conns == b->max_conns && a->max_frame == b->max_frame &&
           a->max_pending == b->max_pending && a->handshake_rate == b->handshake_rate &&
           a->idle_ns == b->idle_ns;
}

bool sc_fill_len(const char *name, size_t *n)
{
    int64_t v;
    if (strncmp(name, "fill:", 5) != 0 || !sc_int64(name + 5, &v) || v < 0 || v > SC_FILL_MAX)
        return false;
    *n = (size_t)v;
    return true;
}
