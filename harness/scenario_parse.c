/*
 * Scenario files: stanzas of header lines and steps (docs/scenarios.md "Files and stanzas").
 * Lines before the first `scenario` set the file's defaults (role, tier, transport). Every error
 * is "path:line:col: message", the first one ends the parse.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/scenario_internal.h"
#include "proto/handshake.h"
#include "proto/transport.h"

typedef struct pstate {
    sc_set *set;
    const char *path;
    const char *area;
    unsigned line;
    char *why;
    size_t why_cap;
    scenario cur;
    bool open;
    scenario defaults; /* role, tier, transport from the file's head */
} pstate;

__attribute__((format(printf, 4, 5))) static int perr(pstate *p, unsigned col, int err,
                                                      const char *fmt, ...)
{
    char msg[SC_WHY];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(p->why, p->why_cap, "%s:%u:%u: %s", p->path, p->line, col, msg);
    return err;
}

static bool name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SC_MAX_NAME)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
            return false;
    return true;
}

/* Closes the open stanza: checks it is complete and moves it into the set. */
static int finish(pstate *p)
{
    if (!p->open)
        return 0;
    scenario *c = &p->cur;
    p->open = false;
    int err = 0;
    if (c->n_rules == 0)
        err = perr(p, 1, MT_E_bad_field, "scenario %s has no 'rules' line", c->name);
    else if (c->n_steps == 0)
        err = perr(p, 1, MT_E_bad_field, "scenario %s has no steps", c->name);
    else if (p->set->n == SC_MAX_SCENARIOS)
        err = perr(p, 1, MT_E_limit_exceeded, "more than %d scenarios", SC_MAX_SCENARIOS);
    if (!err && p->set->n == p->set->cap) {
        size_t cap = p->set->cap ? 2 * p->set->cap : 64;
        scenario *v = realloc(p->set->v, cap * sizeof *v);
        if (!v)
            err = MT_E_no_memory;
        else {
            p->set->v = v;
            p->set->cap = cap;
        }
    }
    if (err) {
        sc_scenario_free(c);
        return err;
    }
    p->set->v[p->set->n++] = *c;
    memset(c, 0, sizeof *c);
    return 0;
}

static int start(pstate *p, const sc_tok *t, size_t n)
{
    int err = finish(p);
    if (err)
        return err;
    if (n != 2 || t[1].key || !name_ok(t[1].val))
        return perr(p, n > 1 ? t[1].col : t[0].col, MT_E_bad_field,
                    "write 'scenario NAME' (NAME: 1..%d of [A-Za-z0-9_.-])", SC_MAX_NAME);
    for (size_t i = 0; i < p->set->n; i++)
        if (strcmp(p->set->v[i].name, t[1].val) == 0)
            return perr(p, t[1].col, MT_E_bad_field, "scenario %s already defined at %s:%u",
                        t[1].val, p->set->v[i].file, p->set->v[i].line);
    scenario *c = &p->cur;
    memset(c, 0, sizeof *c);
    p->open = true;
    c->name = strdup(t[1].val);
    c->file = strdup(p->path);
    c->area = strdup(p->area);
    c->line = p->line;
    c->role = p->defaults.role;
    c->tier = p->defaults.tier;
    c->relay_only = p->defaults.relay_only;
    c->server_retries = p->defaults.server_retries;
    c->builtin_only = p->defaults.builtin_only;
    c->transport = strdup(p->defaults.transport ? p->defaults.transport : "intermediate");
    return c->name && c->file && c->area && c->transport ? 0 : MT_E_no_memory;
}

/* Transports a scenario may name: a framing, obf2-<framing>, or http. */
bool sc_transport_ok(const char *s)
{
    if (strncmp(s, "obf2-", 5) == 0)
        s += 5;
    int k = mt_transport_kind_from_name(s);
    return k >= 0 && k != MT_TRANSPORT_AUTO;
}

static int header_value(pstate *p, scenario *c, const sc_tok *t, size_t n)
{
    const char *k = t[0].val;
    if (n != 2 || t[1].key)
        return perr(p, t[0].col, MT_E_bad_field, "write '%s VALUE'", k);
    const char *v = t[1].val;
    if (strcmp(k, "role") == 0) {
        if (strcmp(v, "client") != 0 && strcmp(v, "server") != 0)
            return perr(p, t[1].col, MT_E_bad_field, "role is client or server");
        c->role = v[0] == 'c' ? SC_ROLE_CLIENT : SC_ROLE_SERVER;
    } else if (strcmp(k, "tier") == 0) {
        if (strcmp(v, "fast") != 0 && strcmp(v, "nightly") != 0)
            return perr(p, t[1].col, MT_E_bad_field, "tier is fast or nightly");
        c->tier = v[0] == 'f' ? SC_TIER_FAST : SC_TIER_NIGHTLY;
    } else if (strcmp(k, "server-retries") == 0) {
        int64_t r;
        if (!sc_int64(v, &r) || r < 0 || r > HS_MAX_RETRIES)
            return perr(p, t[1].col, MT_E_bad_field, "server-retries is 0..%d", HS_MAX_RETRIES);
        c->server_retries = (unsigned)r;
    } else if (strcmp(k, "target") == 0) {
        if (strcmp(v, "relay") != 0 && strcmp(v, "builtin") != 0)
            return perr(p, t[1].col, MT_E_bad_field, "a target requirement is relay or builtin");
        c->relay_only |= v[0] == 'r';
        c->builtin_only |= v[0] == 'b';
    } else {
        if (!sc_transport_ok(v))
            return perr(p, t[1].col, MT_E_bad_field, "unknown transport '%s'", v);
        free(c->transport);
        c->transport = strdup(v);
        c->transport_named = c == &p->cur;
        if (!c->transport)
            return MT_E_no_memory;
    }
    return 0;
}

static int header_rules(pstate *p, scenario *c, const sc_tok *t, size_t n)
{
    if (n < 2)
        return perr(p, t[0].col, MT_E_bad_field, "write 'rules ID [ID...]'");
    for (size_t i = 1; i < n; i++) {
        int r = t[i].key ? 0 : sc_rule_by_id(t[i].val);
        if (!r)
            return perr(p, t[i].col, MT_E_bad_field, "'%s' is not a rule of common/rules.def",
                        t[i].val);
        if (c->n_rules == SC_MAX_RULES)
            return perr(p, t[i].col, MT_E_limit_exceeded, "more than %d rules", SC_MAX_RULES);
        c->rules[c->n_rules++] = r;
    }
    return 0;
}

static int add_step(pstate *p, int verb, sc_tok *t, size_t n)
{
    scenario *c = &p->cur;
    if (c->n_steps == SC_MAX_STEPS)
        return perr(p, t[0].col, MT_E_limit_exceeded, "more than %d steps", SC_MAX_STEPS);
    sc_step st = {.verb = (sc_verb)verb, .line = p->line, .col = t[0].col, .n = n - 1};
    st.toks = calloc(n, sizeof *st.toks);
    if (!st.toks)
        return MT_E_no_memory;
    memcpy(st.toks, t + 1, (n - 1) * sizeof *t);
    unsigned col = st.col;
    char why[SC_WHY] = "";
    int err = sc_check_step(&st, &col, why, sizeof why);
    /* Steps of one role only: refused here rather than failing at run time. */
    if (!err && st.verb == SV_E2E && c->role != SC_ROLE_SERVER) {
        err = MT_E_bad_field;
        snprintf(why, sizeof why, "needs `role server` (the harness plays the client's room peer)");
    } else if (!err && st.verb == SV_CONNECTION && c->role != SC_ROLE_CLIENT) {
        err = MT_E_bad_field;
        snprintf(why, sizeof why, "needs `role client` (a client under test has one connection)");
    }
    if (err) {
        free(st.toks);
        return perr(p, col, err, "%s: %s", sc_verb_name(st.verb), why);
    }
    if (!(c->n_steps & (c->n_steps - 1))) { /* grow at powers of two */
        sc_step *v = realloc(c->steps, (c->n_steps ? 2 * c->n_steps : 1) * sizeof *v);
        if (!v) {
            free(st.toks);
            return MT_E_no_memory;
        }
        c->steps = v;
    }
    c->steps[c->n_steps++] = st;
    memset(t + 1, 0, (n - 1) * sizeof *t); /* the step owns them now */
    return 0;
}

static int about(pstate *p, const char *line, size_t len, const sc_tok *t)
{
    size_t at = t[0].col - 1 + 5;
    while (at < len && (line[at] == ' ' || line[at] == '\t'))
        at++;
    free(p->cur.about);
    p->cur.about = strndup(line + at, len - at);
    return p->cur.about ? 0 : MT_E_no_memory;
}

/* One line's tokens t[0..n). */
static int line_tokens(pstate *p, const char *line, size_t len, sc_tok *t, size_t n)
{
    const char *w = t[0].key ? "" : t[0].val;
    if (strcmp(w, "scenario") == 0)
        return start(p, t, n);
    bool head = strcmp(w, "role") == 0 || strcmp(w, "tier") == 0 || strcmp(w, "transport") == 0 ||
                strcmp(w, "target") == 0 || strcmp(w, "server-retries") == 0;
    if (!p->open) {
        if (head)
            return header_value(p, &p->defaults, t, n);
        return perr(p, t[0].col, MT_E_bad_field, "expected 'scenario NAME' or a file default");
    }
    if (head && !(strcmp(w, "transport") == 0 && p->cur.n_steps > 0))
        return header_value(p, &p->cur, t, n);
    if (strcmp(w, "rules") == 0)
        return header_rules(p, &p->cur, t, n);
    if (strcmp(w, "about") == 0)
        return about(p, line, len, t);
    if (strcmp(w, "limits") == 0) {
        unsigned col = t[0].col;
        char why[SC_WHY];
        int err = sc_header_limits(&p->cur, t, n, &col, why, sizeof why);
        return err ? perr(p, col, err, "limits: %s", why) : 0;
    }
    int verb = sc_verb_by_name(w);
    if (verb < 0)
        return perr(p, t[0].col, MT_E_bad_field, "unknown step '%s'", t[0].key ? t[0].key : w);
    return add_step(p, verb, t, n);
}

static int one_line(pstate *p, const char *line, size_t len)
{
    if (len > SC_MAX_LINE)
        return perr(p, SC_MAX_LINE, MT_E_limit_exceeded, "line longer than %d bytes", SC_MAX_LINE);
    sc_tok t[SC_MAX_TOKENS + 1];
    size_t n = 0;
    unsigned col = 1;
    char why[SC_WHY];
    int err = sc_lex_line(line, len, t, SC_MAX_TOKENS + 1, &n, &col, why, sizeof why);
    if (err)
        err = err == MT_E_no_memory ? err : perr(p, col, err, "%s", why);
    else if (n > 0)
        err = line_tokens(p, line, len, t, n);
    sc_toks_free(t, n);
    return err;
}

int sc_parse(sc_set *set, const char *path, const char *area, const char *text, size_t n, char *why,
             size_t why_cap)
{
    pstate p = {.set = set, .path = path, .area = area, .why = why, .why_cap = why_cap};
    p.defaults.role = SC_ROLE_CLIENT;
    p.defaults.tier = SC_TIER_FAST;
    int err = 0;
    if (n > SC_MAX_FILE)
        err = perr(&p, 1, MT_E_limit_exceeded, "file larger than %zu bytes", SC_MAX_FILE);
    for (size_t at = 0; !err && at < n;) {
        const char *nl = memchr(text + at, '\n', n - at);
        size_t len = nl ? (size_t)(nl - (text + at)) : n - at;
        p.line++;
        if (memchr(text + at, '\0', len))
            err = perr(&p, 1, MT_E_bad_field, "NUL byte in the file");
        else
            err = one_line(&p, text + at, len && text[at + len - 1] == '\r' ? len - 1 : len);
        at += len + 1;
    }
    if (!err)
        err = finish(&p);
    if (p.open)
        sc_scenario_free(&p.cur);
    free(p.defaults.transport);
    return err;
}
