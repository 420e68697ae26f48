/*
 * conform_run: outcome names, deep copies of cases, counts and the run's verdict
 * (harness/report.h). Issue 8: "Exit code 0 only when nothing unexpected happened."
 */
#include <stdlib.h>
#include <string.h>

#include "harness/report.h"

static const char *const outcome_names[CO_OUTCOME_COUNT] = {
    [CO_PASS] = "pass",   [CO_FAIL] = "fail", [CO_XFAIL] = "xfail",
    [CO_XPASS] = "xpass", [CO_SKIP] = "skip", [CO_ERROR] = "error",
};

const char *conform_outcome_name(conform_outcome o)
{
    if ((unsigned)o >= CO_OUTCOME_COUNT)
        return "unknown";
    return outcome_names[o];
}

bool conform_outcome_bad(conform_outcome o)
{
    /* An unknown value is treated as bad: a runner bug must not pass silently. */
    return o != CO_PASS && o != CO_XFAIL && o != CO_SKIP;
}

/* strdup that keeps NULL; *ok turns false when a copy fails. */
static char *dup_or_null(const char *s, bool *ok)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *ok = false;
    return d;
}

void conform_run_init(conform_run *r, const char *target, const char *tier, uint64_t seed)
{
    bool ok = true;
    memset(r, 0, sizeof *r);
    /* A failed copy leaves NULL, which every writer prints as absent. */
    r->target = dup_or_null(target, &ok);
    r->tier = dup_or_null(tier, &ok);
    r->seed = seed;
}

static void case_free(conform_case *c)
{
    free(c->name);
    free(c->area);
    free(c->file);
    free(c->role);
    free(c->tier);
    free(c->message);
    free(c->transcript);
    free(c->repro);
    free(c->reason);
    memset(c, 0, sizeof *c);
}

int conform_run_add(conform_run *r, const conform_case *c)
{
    if (!r || !c || c->n_rules > CONFORM_MAX_RULES)
        return MT_E_bad_argument;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        conform_case *p = realloc(r->cases, cap * sizeof *p);
        if (!p)
            return MT_E_no_memory;
        r->cases = p;
        r->cap = cap;
    }
    conform_case d = *c; /* scalars and the rule list */
    bool ok = true;
    d.name = dup_or_null(c->name, &ok);
    d.area = dup_or_null(c->area, &ok);
    d.file = dup_or_null(c->file, &ok);
    d.role = dup_or_null(c->role, &ok);
    d.tier = dup_or_null(c->tier, &ok);
    d.message = dup_or_null(c->message, &ok);
    d.transcript = dup_or_null(c->transcript, &ok);
    d.repro = dup_or_null(c->repro, &ok);
    d.reason = dup_or_null(c->reason, &ok);
    if (!ok) {
        case_free(&d);
        return MT_E_no_memory;
    }
    r->cases[r->n++] = d;
    return MT_OK;
}

void conform_run_free(conform_run *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        case_free(&r->cases[i]);
    free(r->cases);
    for (size_t i = 0; i < r->n_stale; i++)
        free(r->stale[i]);
    free(r->stale);
    free(r->target);
    free(r->tier);
    memset(r, 0, sizeof *r);
}

void conform_run_counts(const conform_run *r, size_t counts[CO_OUTCOME_COUNT])
{
    memset(counts, 0, CO_OUTCOME_COUNT * sizeof counts[0]);
    for (size_t i = 0; i < r->n; i++) {
        conform_outcome o = r->cases[i].outcome;
        /* An out-of-range outcome counts as an error (and conform_run_ok fails on it). */
        counts[(unsigned)o < CO_OUTCOME_COUNT ? o : CO_ERROR]++;
    }
}

bool conform_run_ok(const conform_run *r)
{
    if (r->n_stale)
        return false;
    for (size_t i = 0; i < r->n; i++)
        if (conform_outcome_bad(r->cases[i].outcome))
            return false;
    return true;
}
