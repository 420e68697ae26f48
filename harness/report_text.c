/*
 * The terminal report (harness/report.h): a line per finished case, then the summary — counts
 * by outcome, a table by area, every failure with its rule, the rule's spec sentence and source,
 * the message, the end of its transcript and the command that reproduces it; XPASS cases and
 * stale expect-fail entries; the verdict. Colour only on a terminal. Every string from a case
 * goes through rp_put, so a target cannot write escape sequences to the user's terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/report_internal.h"

/* Transcript lines the summary shows per failure (the failing exchange is at the end). */
#define TEXT_EXCERPT_LINES 12

static const char *const outcome_color[CO_OUTCOME_COUNT] = {
    [CO_PASS] = "\033[32m",    [CO_FAIL] = "\033[1;31m", [CO_XFAIL] = "\033[33m",
    [CO_XPASS] = "\033[1;31m", [CO_SKIP] = "\033[36m",   [CO_ERROR] = "\033[1;35m",
};

static void put_outcome(FILE *f, conform_outcome o, bool tty)
{
    char up[8] = {0};
    const char *name = conform_outcome_name(o);
    for (size_t i = 0; i < sizeof up - 1 && name[i]; i++)
        up[i] = (char)(name[i] - 'a' + 'A');
    bool color = tty && (unsigned)o < CO_OUTCOME_COUNT;
    fprintf(f, "%s%-5s%s", color ? outcome_color[o] : "", up, color ? "\033[0m" : "");
}

static void put_time(FILE *f, uint64_t ns)
{
    if (ns < 1000000)
        fprintf(f, "%.0f us", (double)ns / 1e3);
    else if (ns < 1000000000)
        fprintf(f, "%.1f ms", (double)ns / 1e6);
    else
        fprintf(f, "%.2f s", rp_seconds(ns));
}

void report_text_case(FILE *f, const conform_case *c, bool tty)
{
    put_outcome(f, c->outcome, tty);
    fputc(' ', f);
    rp_put(f, c->name ? c->name : "(unnamed)", RP_TEXT_LINE);
    fputs(" [", f);
    rp_put(f, rp_area_name(c), RP_TEXT_LINE);
    fputc(']', f);
    const char *rule = rp_rule_id(c->failed_rule);
    if (rule && c->outcome != CO_PASS && c->outcome != CO_SKIP)
        fprintf(f, " %s", rule);
    if (c->reason && (c->outcome == CO_SKIP || c->outcome == CO_XFAIL || c->outcome == CO_XPASS)) {
        fputs(" (", f);
        rp_put(f, c->reason, RP_TEXT_LINE);
        fputc(')', f);
    }
    fputs("  ", f);
    put_time(f, c->elapsed_ns);
    fputc('\n', f);
}

static void put_counts(FILE *f, const size_t counts[CO_OUTCOME_COUNT], size_t width)
{
    for (int o = 0; o < CO_OUTCOME_COUNT; o++)
        fprintf(f, " %*zu", (int)width, counts[o]);
}

static void put_area_table(FILE *f, const conform_run *r)
{
    rp_area *a;
    size_t n, w = 4; /* "area" */
    if (rp_areas(r, &a, &n) != MT_OK) {
        fputs("(area table: out of memory)\n", f);
        return;
    }
    for (size_t i = 0; i < n; i++)
        w = strlen(a[i].name) > w ? strlen(a[i].name) : w;
    fprintf(f, "\n  %-*s", (int)w, "area");
    for (int o = 0; o < CO_OUTCOME_COUNT; o++)
        fprintf(f, " %5s", conform_outcome_name((conform_outcome)o));
    fputs("  total\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("  ", f);
        rp_put(f, a[i].name, RP_TEXT_LINE);
        fprintf(f, "%*s", (int)(w - strlen(a[i].name)), "");
        put_counts(f, a[i].counts, 5);
        fprintf(f, "  %5zu\n", a[i].total);
    }
    free(a);
}

/* The transcript's last lines, indented; earlier lines are counted, not shown. */
static void put_excerpt(FILE *f, const char *transcript)
{
    size_t skipped;
    const char *p = rp_excerpt(transcript, TEXT_EXCERPT_LINES, &skipped);
    fputs("    transcript", f);
    if (skipped)
        fprintf(f, " (last %d lines; %zu earlier)", TEXT_EXCERPT_LINES, skipped);
    fputs(":\n", f);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        fputs("      ", f);
        rp_putn(f, p, len, RP_TEXT_LINE);
        fputc('\n', f);
        p += len + (nl != NULL);
    }
}

static void put_failure(FILE *f, const conform_case *c, bool tty)
{
    fputs("\n  ", f);
    put_outcome(f, c->outcome, tty);
    fputc(' ', f);
    rp_put(f, c->name ? c->name : "(unnamed)", RP_TEXT_LINE);
    fputs(" [", f);
    rp_put(f, rp_area_name(c), RP_TEXT_LINE);
    fputs("]", f);
    if (c->file) {
        fputs(" ", f);
        rp_put(f, c->file, RP_TEXT_LINE);
        fprintf(f, ":%u", c->line);
    }
    fputc('\n', f);
    const mt_rule *rule = mt_rule_of(c->failed_rule);
    if (rule) {
        fprintf(f, "    rule: %s (%s)\n    spec: %s\n    source: %s\n", rule->id,
                mt_severity_name(rule->severity), rule->sentence, rule->source);
    } else if (c->failed_rule) {
        fprintf(f, "    error: %s\n", rp_rule_id(c->failed_rule));
    }
    if (c->outcome == CO_XPASS && c->reason) {
        fputs("    listed as expected to fail: ", f);
        rp_put(f, c->reason, RP_TEXT_LINE);
        fputc('\n', f);
    }
    if (c->message) {
        fputs("    ", f);
        rp_put(f, c->message, RP_TEXT_LINE);
        fputc('\n', f);
    }
    if (c->transcript && c->transcript[0])
        put_excerpt(f, c->transcript);
    if (c->repro) {
        fputs("    repro: ", f);
        rp_put(f, c->repro, RP_TEXT_LINE);
        fputc('\n', f);
    }
}

void report_text_summary(FILE *f, const conform_run *r, bool tty)
{
    size_t counts[CO_OUTCOME_COUNT];
    conform_run_counts(r, counts);
    fputs("\nconform: target ", f);
    rp_put(f, r->target ? r->target : "?", RP_TEXT_LINE);
    fputs(", tier ", f);
    rp_put(f, r->tier ? r->tier : "?", RP_TEXT_LINE);
    fprintf(f, ", seed %llu: %zu cases in ", (unsigned long long)r->seed, r->n);
    put_time(f, r->elapsed_ns);
    fputs("\n ", f);
    for (int o = 0; o < CO_OUTCOME_COUNT; o++)
        fprintf(f, " %s %zu", conform_outcome_name((conform_outcome)o), counts[o]);
    fputc('\n', f);
    put_area_table(f, r);
    size_t bad = counts[CO_FAIL] + counts[CO_XPASS] + counts[CO_ERROR];
    if (bad)
        fprintf(f, "\nFailures, XPASS and errors (%zu):\n", bad);
    for (size_t i = 0; i < r->n; i++)
        if (conform_outcome_bad(r->cases[i].outcome))
            put_failure(f, &r->cases[i], tty);
    if (r->n_stale)
        fprintf(f, "\nStale expect-fail entries (matched no scenario run) (%zu):\n", r->n_stale);
    for (size_t i = 0; i < r->n_stale; i++) {
        fputs("  ", f);
        rp_put(f, r->stale[i], RP_TEXT_LINE);
        fputc('\n', f);
    }
    bool ok = conform_run_ok(r);
    fprintf(f, "\n%s%s%s\n", tty ? (ok ? "\033[1;32m" : "\033[1;31m") : "",
            ok ? "conform: OK" : "conform: FAILED", tty ? "\033[0m" : "");
}
