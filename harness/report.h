/*
 * Conformance results and their reports (issue 8 "Reports"; DESIGN.md "The harness").
 *
 * The runner (harness/conform*.c) fills one conform_run with a conform_case per scenario run and
 * hands it to the writers: text on the terminal (a line per scenario as it finishes, then a
 * summary with counts by area), JSON, JUnit XML and one self-contained HTML page. Each failure
 * carries its rule (ID and spec sentence from common/rules.def), what was expected and seen, the
 * transcript excerpt of the failing exchange and a one-line command that reproduces it.
 *
 * Expected failures (--expect-fail FILE): a text file, one entry per line,
 *     SCENARIO-NAME-OR-GLOB  reason text…
 * ('#' comments, blank lines ignored). A listed scenario that fails is XFAIL (not an error); one
 * that passes is XPASS (reported, exit code non-zero); an entry that matches no scenario run is
 * reported as stale (exit code non-zero).
 */
#ifndef MTPROOF_HARNESS_REPORT_H
#define MTPROOF_HARNESS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"

typedef enum conform_outcome {
    CO_PASS,
    CO_FAIL,  /* the target broke a rule (or the scenario's expectation) */
    CO_XFAIL, /* failed, and listed in the expect-fail file */
    CO_XPASS, /* passed, but listed in the expect-fail file: unexpected */
    CO_SKIP,  /* not run (filtered by tier/role/target capability, with a reason) */
    CO_ERROR, /* the harness could not run it (target unreachable, bad scenario) */
    CO_OUTCOME_COUNT
} conform_outcome;

const char *conform_outcome_name(conform_outcome o); /* "pass", "fail", "xfail", ... */
/* Whether the outcome makes the run fail (fail, xpass, error). */
bool conform_outcome_bad(conform_outcome o);

#define CONFORM_MAX_RULES 8

typedef struct conform_case {
    char *name; /* scenario name, unique */
    char *area; /* e.g. "handshake", "msgid", "transport" (the scenario file's area) */
    char *file; /* scenario file and line of its stanza */
    unsigned line;
    char *role;                   /* "client" or "server": the role the harness plays */
    char *tier;                   /* "fast" or "nightly" */
    int rules[CONFORM_MAX_RULES]; /* MT_E_<ID> the scenario tests */
    size_t n_rules;
    conform_outcome outcome;
    int failed_rule;  /* the rule the failure is attributed to (0: none, e.g. a harness error) */
    char *message;    /* one line: "step 4: expected bad_msg_notification 16, got silence (5 s)" */
    char *transcript; /* the exchange, as text lines (may be NULL) */
    char *repro;      /* one-line command reproducing this scenario */
    char *reason;     /* skip reason or the expect-fail entry's reason (may be NULL) */
    uint64_t elapsed_ns;
} conform_case;

typedef struct conform_run {
    char *target;  /* "builtin", "server 127.0.0.1:4430", "client 'cmd'" */
    char *tier;    /* "fast", "nightly", "all" */
    uint64_t seed; /* the run's seed (--seed) */
    conform_case *cases;
    size_t n, cap;
    char **stale; /* expect-fail entries that matched nothing: "file:line: pattern" */
    size_t n_stale;
    uint64_t elapsed_ns;
} conform_run;

/* Allocation helpers (the strings are copied; NULL stays NULL). */
void conform_run_init(conform_run *r, const char *target, const char *tier, uint64_t seed);
MT_WUR int conform_run_add(conform_run *r, const conform_case *c); /* deep copy */
void conform_run_free(conform_run *r);
/* Counts per outcome; and whether the run is a success (no bad outcome, nothing stale). */
void conform_run_counts(const conform_run *r, size_t counts[CO_OUTCOME_COUNT]);
bool conform_run_ok(const conform_run *r);

/* ---- expect-fail files ---- */
typedef struct xfail_entry {
    char *pattern; /* a name or a glob (fnmatch) */
    char *reason;
    unsigned line;
    bool matched;
} xfail_entry;

typedef struct xfail_list {
    char *path;
    xfail_entry *e;
    size_t n;
} xfail_list;

/* The largest expect-fail file xfail_load reads. */
#define XFAIL_MAX_INPUT ((size_t)1 << 20)
/* The most entries one file may hold. */
#define XFAIL_MAX_ENTRIES 4096u
/* Loads path; a malformed line (no reason) is bad_field with "path:line: why" in why. */
MT_WUR int xfail_load(const char *path, xfail_list *l, char *why, size_t why_cap);
/* The same over text already in memory (len bytes, no NUL needed); path names it in messages. */
MT_WUR int xfail_parse(const char *text, size_t len, const char *path, xfail_list *l, char *why,
                       size_t why_cap);
/* The entry matching name (marking it matched), or NULL. */
const xfail_entry *xfail_match(xfail_list *l, const char *name);
/* After the run: moves pass→xpass / fail→xfail already done by the runner; this adds the entries
 * that matched nothing to r->stale. */
MT_WUR int xfail_finish(const xfail_list *l, conform_run *r);
void xfail_free(xfail_list *l);

/* ---- writers ---- */
/* One line for a finished case (color when tty). */
void report_text_case(FILE *f, const conform_case *c, bool tty);
/* The summary: counts by outcome and by area, each failure with rule, sentence and repro. */
void report_text_summary(FILE *f, const conform_run *r, bool tty);
/* Files; errors (io) explained in why. */
MT_WUR int report_json(const char *path, const conform_run *r, char *why, size_t why_cap);
MT_WUR int report_junit(const char *path, const conform_run *r, char *why, size_t why_cap);
MT_WUR int report_html(const char *path, const conform_run *r, char *why, size_t why_cap);

#endif
