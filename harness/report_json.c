/*
 * The JSON report (harness/report.h; the fields are documented in docs/reports.md, format
 * "mtproof-conform-1"). Strings are made valid UTF-8 first (rp_utf8_clean) because JSON text
 * is Unicode and jansson refuses anything else; control characters are escaped by jansson.
 */
#include <stdlib.h>

#include <jansson.h>

#include "harness/report_internal.h"

#define REPORT_JSON_FORMAT "mtproof-conform-1"

/* A JSON string from untrusted text, or null for NULL. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    char *clean = rp_utf8_clean(s);
    json_t *v = clean ? json_string(clean) : NULL;
    free(clean);
    return v;
}

/* Nanoseconds as a JSON integer (saturating: json_int_t is signed). */
static json_t *jns(uint64_t ns)
{
    return json_integer(ns > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)ns);
}

/* Sets o[k] = v; a NULL v or failed set clears *ok (v is always consumed). */
static void put(json_t *o, const char *k, json_t *v, bool *ok)
{
    if (!v || json_object_set_new(o, k, v) != 0)
        *ok = false;
}

static json_t *counts_json(const size_t counts[CO_OUTCOME_COUNT], size_t total)
{
    json_t *o = json_object();
    bool ok = o != NULL;
    for (int i = 0; ok && i < CO_OUTCOME_COUNT; i++)
        put(o, conform_outcome_name((conform_outcome)i), json_integer((json_int_t)counts[i]), &ok);
    if (ok)
        put(o, "total", json_integer((json_int_t)total), &ok);
    if (!ok)
        json_decref(o);
    return ok ? o : NULL;
}

/* The failed rule with its catalogue entry, or null. */
static json_t *rule_json(int err)
{
    const mt_rule *rule = mt_rule_of(err);
    if (!rule)
        return err ? json_pack("{s:s}", "id", mt_err_name(err)) : json_null();
    return json_pack("{s:s, s:s, s:s, s:i, s:s, s:s}", "id", rule->id, "severity",
                     mt_severity_name(rule->severity), "reaction", mt_reaction_name(rule->reaction),
                     "code", rule->code, "sentence", rule->sentence, "source", rule->source);
}

static json_t *case_json(const conform_case *c)
{
    json_t *o = json_object(), *rules = json_array();
    bool ok = o && rules;
    for (size_t i = 0; ok && i < c->n_rules && i < CONFORM_MAX_RULES; i++)
        if (json_array_append_new(rules, json_string(rp_rule_id(c->rules[i]))) != 0)
            ok = false;
    if (!ok) {
        json_decref(o);
        json_decref(rules);
        return NULL;
    }
    put(o, "name", jstr(c->name), &ok);
    put(o, "area", jstr(c->area), &ok);
    put(o, "file", jstr(c->file), &ok);
    put(o, "line", json_integer(c->line), &ok);
    put(o, "role", jstr(c->role), &ok);
    put(o, "tier", jstr(c->tier), &ok);
    put(o, "rules", rules, &ok);
    put(o, "outcome", json_string(conform_outcome_name(c->outcome)), &ok);
    put(o, "failed_rule", rule_json(c->failed_rule), &ok);
    put(o, "message", jstr(c->message), &ok);
    put(o, "transcript", jstr(c->transcript), &ok);
    put(o, "repro", jstr(c->repro), &ok);
    put(o, "reason", jstr(c->reason), &ok);
    put(o, "elapsed_ns", jns(c->elapsed_ns), &ok);
    if (!ok)
        json_decref(o);
    return ok ? o : NULL;
}

static json_t *areas_json(const conform_run *r)
{
    rp_area *a;
    size_t n;
    if (rp_areas(r, &a, &n) != MT_OK)
        return NULL;
    json_t *arr = json_array();
    bool ok = arr != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        json_t *o = json_object();
        ok = o != NULL;
        if (ok) {
            put(o, "area", jstr(a[i].name), &ok);
            put(o, "counts", counts_json(a[i].counts, a[i].total), &ok);
            put(o, "elapsed_ns", jns(a[i].elapsed_ns), &ok);
        }
        if (!o || json_array_append_new(arr, o) != 0)
            ok = false;
    }
    free(a);
    if (!ok)
        json_decref(arr);
    return ok ? arr : NULL;
}

static json_t *run_json(const conform_run *r)
{
    size_t counts[CO_OUTCOME_COUNT];
    char seed[24];
    conform_run_counts(r, counts);
    /* A 64-bit seed as a decimal string: JSON numbers lose precision past 2^53 in most readers. */
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->seed);
    json_t *o = json_object(), *cases = json_array(), *stale = json_array();
    bool ok = o && cases && stale;
    for (size_t i = 0; ok && i < r->n; i++)
        ok = json_array_append_new(cases, case_json(&r->cases[i])) == 0;
    for (size_t i = 0; ok && i < r->n_stale; i++)
        ok = json_array_append_new(stale, jstr(r->stale[i])) == 0;
    if (!ok) {
        json_decref(o);
        json_decref(cases);
        json_decref(stale);
        return NULL;
    }
    put(o, "format", json_string(REPORT_JSON_FORMAT), &ok);
    put(o, "mtproof_version", json_string(MTPROOF_VERSION), &ok);
    put(o, "target", jstr(r->target), &ok);
    put(o, "tier", jstr(r->tier), &ok);
    put(o, "seed", json_string(seed), &ok);
    put(o, "ok", json_boolean(conform_run_ok(r)), &ok);
    put(o, "elapsed_ns", jns(r->elapsed_ns), &ok);
    put(o, "counts", counts_json(counts, r->n), &ok);
    put(o, "areas", areas_json(r), &ok);
    put(o, "cases", cases, &ok);
    put(o, "stale", stale, &ok);
    if (!ok)
        json_decref(o);
    return ok ? o : NULL;
}

int report_json(const char *path, const conform_run *r, char *why, size_t why_cap)
{
    json_t *doc = run_json(r);
    if (!doc) {
        if (why && why_cap)
            snprintf(why, why_cap, "%s: out of memory building the report", path);
        return MT_E_no_memory;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        json_decref(doc);
        return rp_io_error(path, why, why_cap);
    }
    int bad = json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0;
    bad |= fputc('\n', f) == EOF;
    bad |= ferror(f) != 0;
    bad |= fclose(f) != 0;
    json_decref(doc);
    return bad ? rp_io_error(path, why, why_cap) : MT_OK;
}
