/* Values and helpers shared by the scenario parser and the runner (harness/scenario.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/rules.h"
#include "harness/scenario_internal.h"
#include "proto/msgid.h"

static const char *const verbs[SV_VERB_COUNT] = {
    "handshake", "send",    "expect", "clock", "wait",       "reconnect",
    "transport", "session", "bind",   "e2e",   "connection",
};

const char *sc_verb_name(sc_verb v)
{
    return (unsigned)v < SV_VERB_COUNT ? verbs[v] : "?";
}

int sc_verb_by_name(const char *name)
{
    for (int i = 0; i < SV_VERB_COUNT; i++)
        if (strcmp(verbs[i], name) == 0)
            return i;
    return -1;
}

const sc_tok *sc_step_get(const sc_step *s, const char *key)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->toks[i].key && strcmp(s->toks[i].key, key) == 0)
            return &s->toks[i];
    return NULL;
}

bool sc_int64(const char *s, int64_t *v)
{
    char *end;
    errno = 0;
    if (!s[0])
        return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (!s[2])
            return false;
        unsigned long long u = strtoull(s + 2, &end, 16);
        *v = (int64_t)u;
    } else {
        *v = strtoll(s, &end, 10);
    }
    return errno == 0 && *end == '\0';
}

bool sc_duration(const char *s, int64_t *ns)
{
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return false;
    double v = strtod(s, &end);
    uint64_t unit = NS_PER_S;
    if (strcmp(end, "ms") == 0)
        unit = NS_PER_S / 1000;
    else if (strcmp(end, "m") == 0)
        unit = 60 * NS_PER_S;
    else if (strcmp(end, "h") == 0)
        unit = 3600 * NS_PER_S;
    else if (strcmp(end, "s") != 0 && *end != '\0')
        return false;
    if (errno || v < 0 || v > 1e6)
        return false;
    *ns = sign * (int64_t)(v * (double)unit);
    return true;
}

int sc_rule_by_id(const char *id)
{
    size_t n;
    const mt_rule *r = mt_rules(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].id, id) == 0)
            return r[i].err;
    return 0;
}

void sc_set_init(sc_set *s)
{
    memset(s, 0, sizeof *s);
}

static void scenario_free(scenario *c)
{
    for (size_t i = 0; i < c->n_steps; i++) {
        for (size_t j = 0; j < c->steps[i].n; j++) {
            free(c->steps[i].toks[j].key);
            free(c->steps[i].toks[j].val);
        }
        free(c->steps[i].toks);
    }
    free(c->steps);
    free(c->name);
    free(c->about);
    free(c->file);
    free(c->area);
    free(c->transport);
}

void sc_set_free(sc_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        scenario_free(&s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

void sc_scenario_free(scenario *c)
{
    scenario_free(c);
}

bool sc_expr_parse(const char *s, sc_expr *e)
{
    memset(e, 0, sizeof *e);
    size_t n = strcspn(s + (s[0] == '-'), "+-") + (s[0] == '-');
    char part[40];
    if (n == 0 || n >= sizeof part)
        return false;
    memcpy(part, s, n);
    part[n] = '\0';
    if ((part[0] >= '0' && part[0] <= '9') || part[0] == '-') {
        if (!sc_int64(part, &e->num))
            return false;
    } else {
        if (n >= sizeof e->base)
            return false;
        for (size_t i = 0; i < n; i++)
            if (!((part[i] >= 'a' && part[i] <= 'z') || part[i] == '_'))
                return false;
        memcpy(e->base, part, n + 1);
    }
    for (s += n; *s;) {
        size_t m = 1 + strcspn(s + 1, "+-");
        if (m >= sizeof part || m < 2)
            return false;
        memcpy(part, s, m);
        part[m] = '\0';
        int64_t v;
        char last = part[m - 1];
        if (last >= '0' && last <= '9') {
            if (!sc_int64(part + 1, &v))
                return false;
            e->plus += part[0] == '-' ? -v : v;
        } else {
            if (!sc_duration(part, &v))
                return false;
            e->ns += v;
        }
        s += m;
    }
    return true;
}

/* ---- schemas of the TL text form ---- */

const tl_ctor *sc_tl_ctor(const char *name, const tl_schema **s)
{
    const tl_schema *all[] = {tl_json_schema(NULL), &rly_schema};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        const tl_ctor *k = tl_schema_find_name(all[i], name);
        if (k) {
            *s = all[i];
            return k;
        }
    }
    return NULL;
}

const tl_schema *sc_tl_schema_of(const json_t *o)
{
    const tl_schema *s = tl_json_schema(NULL);
    const char *name = json_string_value(json_object_get(o, "_"));
    if (name)
        (void)sc_tl_ctor(name, &s);
    return s;
}
