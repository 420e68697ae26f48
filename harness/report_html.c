/*
 * The HTML report (harness/report.h, docs/reports.md): one self-contained page — inline CSS, no
 * external assets, no script (the outcome filter of the case list is pure CSS: checkboxes and
 * the :checked selector). Summary, table by area, each failure with its rule, spec sentence,
 * message, transcript excerpt and one-line repro command, stale expect-fail entries, all cases.
 * Every string from a case is escaped by rp_put (RP_HTML).
 */
#include <stdlib.h>
#include <string.h>

#include "harness/report_internal.h"

/* Transcript lines shown per failure (the whole transcript is in the JSON report). */
#define HTML_EXCERPT_LINES 40

static const char html_style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;"
    "text-align:left;vertical-align:top}th{background:#eee}td.n{text-align:right}"
    "pre{background:#f6f6f6;border:1px solid #ddd;padding:.5em;overflow-x:auto;"
    "white-space:pre-wrap;word-break:break-all}"
    ".pass{color:#171}.fail,.xpass,.error{color:#b00;font-weight:bold}.xfail{color:#a60}"
    ".skip{color:#268}.ok{color:#171}.bad{color:#b00}"
    "section.f{border-left:4px solid #b00;padding-left:1em;margin:1em 0}"
    ".spec{font-style:italic}.src{color:#666;font-size:90%}"
    ".filter label{margin-right:1em}"
    "#f-pass:not(:checked)~table tr.o-pass,#f-fail:not(:checked)~table tr.o-fail,"
    "#f-xfail:not(:checked)~table tr.o-xfail,#f-xpass:not(:checked)~table tr.o-xpass,"
    "#f-skip:not(:checked)~table tr.o-skip,#f-error:not(:checked)~table tr.o-error"
    "{display:none}";

static void put_counts_table(FILE *f, const conform_run *r)
{
    size_t counts[CO_OUTCOME_COUNT];
    conform_run_counts(r, counts);
    fputs("<table><tr>", f);
    for (int o = 0; o < CO_OUTCOME_COUNT; o++)
        fprintf(f, "<th class=\"%s\">%s</th>", conform_outcome_name((conform_outcome)o),
                conform_outcome_name((conform_outcome)o));
    fputs("<th>total</th></tr>\n<tr>", f);
    for (int o = 0; o < CO_OUTCOME_COUNT; o++)
        fprintf(f, "<td class=\"n\">%zu</td>", counts[o]);
    fprintf(f, "<td class=\"n\">%zu</td></tr></table>\n", r->n);
}

static void put_area_table(FILE *f, const conform_run *r)
{
    rp_area *a;
    size_t n;
    fputs("<h2>By area</h2>\n", f);
    if (rp_areas(r, &a, &n) != MT_OK) {
        fputs("<p>(out of memory)</p>\n", f);
        return;
    }
    fputs("<table><tr><th>area</th>", f);
    for (int o = 0; o < CO_OUTCOME_COUNT; o++)
        fprintf(f, "<th>%s</th>", conform_outcome_name((conform_outcome)o));
    fputs("<th>total</th><th>time (s)</th></tr>\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr><td>", f);
        rp_put(f, a[i].name, RP_HTML);
        fputs("</td>", f);
        for (int o = 0; o < CO_OUTCOME_COUNT; o++)
            fprintf(f, "<td class=\"n\">%zu</td>", a[i].counts[o]);
        fprintf(f, "<td class=\"n\">%zu</td><td class=\"n\">%.3f</td></tr>\n", a[i].total,
                rp_seconds(a[i].elapsed_ns));
    }
    fputs("</table>\n", f);
    free(a);
}

static void put_rule(FILE *f, int err)
{
    const mt_rule *rule = mt_rule_of(err);
    if (rule) {
        fprintf(f, "<p><b>%s</b> (%s)<br><span class=\"spec\">", rule->id,
                mt_severity_name(rule->severity));
        rp_put(f, rule->sentence, RP_HTML);
        fputs("</span><br><span class=\"src\">", f);
        rp_put(f, rule->source, RP_HTML);
        fputs("</span></p>\n", f);
    } else if (err) {
        fprintf(f, "<p>error: <b>%s</b></p>\n", rp_rule_id(err));
    }
}

static void put_failure(FILE *f, const conform_case *c, size_t idx)
{
    const char *o = conform_outcome_name(c->outcome);
    fprintf(f, "<section class=\"f\" id=\"case-%zu\"><h3><span class=\"%s\">%s</span> ", idx, o, o);
    rp_put(f, c->name, RP_HTML);
    fputs(" <small>[", f);
    rp_put(f, rp_area_name(c), RP_HTML);
    fputs("] ", f);
    rp_put(f, c->file, RP_HTML);
    if (c->file)
        fprintf(f, ":%u", c->line);
    fputs("</small></h3>\n", f);
    put_rule(f, c->failed_rule);
    if (c->outcome == CO_XPASS) {
        fputs("<p>Passed, but listed as an expected failure: ", f);
        rp_put(f, c->reason, RP_HTML);
        fputs("</p>\n", f);
    }
    if (c->message) {
        fputs("<p>", f);
        rp_put(f, c->message, RP_HTML);
        fputs("</p>\n", f);
    }
    if (c->transcript && c->transcript[0]) {
        size_t skipped;
        const char *ex = rp_excerpt(c->transcript, HTML_EXCERPT_LINES, &skipped);
        fputs("<details open><summary>transcript", f);
        if (skipped)
            fprintf(f, " (last %d lines; %zu earlier)", HTML_EXCERPT_LINES, skipped);
        fputs("</summary><pre>", f);
        rp_put(f, ex, RP_HTML);
        fputs("</pre></details>\n", f);
    }
    fputs("<p>Reproduce:</p><pre>", f);
    rp_put(f, c->repro ? c->repro : "(no command)", RP_HTML);
    fputs("</pre></section>\n", f);
}

static void put_case_row(FILE *f, const conform_case *c, size_t idx)
{
    const char *o = conform_outcome_name(c->outcome);
    const char *rule = rp_rule_id(c->failed_rule);
    fprintf(f, "<tr class=\"o-%s\"><td class=\"%s\">", o, o);
    if (conform_outcome_bad(c->outcome))
        fprintf(f, "<a href=\"#case-%zu\">%s</a>", idx, o);
    else
        fputs(o, f);
    fputs("</td><td>", f);
    rp_put(f, c->name, RP_HTML);
    fputs("</td><td>", f);
    rp_put(f, rp_area_name(c), RP_HTML);
    fprintf(f, "</td><td>%s</td><td class=\"n\">%.3f</td><td>",
            rule && c->outcome != CO_PASS ? rule : "", rp_seconds(c->elapsed_ns));
    rp_put(f, c->outcome == CO_PASS ? NULL : c->reason ? c->reason : c->message, RP_HTML);
    fputs("</td></tr>\n", f);
}

static void put_cases(FILE *f, const conform_run *r)
{
    fputs("<h2>All cases</h2>\n<div class=\"filter\">Show: ", f);
    for (int o = 0; o < CO_OUTCOME_COUNT; o++) {
        const char *n = conform_outcome_name((conform_outcome)o);
        fprintf(f, "<input type=\"checkbox\" id=\"f-%s\" checked><label for=\"f-%s\">%s</label>", n,
                n, n);
    }
    /* The inputs and the table are siblings, so "#f-x:not(:checked) ~ table" reaches it. */
    fputs("\n<table><tr><th>outcome</th><th>scenario</th><th>area</th><th>rule</th>"
          "<th>time (s)</th><th>reason / message</th></tr>\n",
          f);
    for (size_t i = 0; i < r->n; i++)
        put_case_row(f, &r->cases[i], i);
    fputs("</table></div>\n", f);
}

static void put_page(FILE *f, const conform_run *r)
{
    bool ok = conform_run_ok(r);
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>mtproof conform: %s</title>\n<style>%s</style></head><body>\n"
            "<h1>mtproof conform: <span class=\"%s\">%s</span></h1>\n<p>Target <code>",
            ok ? "OK" : "FAILED", html_style, ok ? "ok" : "bad", ok ? "OK" : "FAILED");
    rp_put(f, r->target, RP_HTML);
    fputs("</code>, tier <code>", f);
    rp_put(f, r->tier, RP_HTML);
    fprintf(f, "</code>, seed <code>%llu</code>: %zu cases in %.3f s (mtproof %s).</p>\n",
            (unsigned long long)r->seed, r->n, rp_seconds(r->elapsed_ns), MTPROOF_VERSION);
    put_counts_table(f, r);
    put_area_table(f, r);
    fputs("<h2>Failures, XPASS and errors</h2>\n", f);
    size_t bad = 0;
    for (size_t i = 0; i < r->n; i++)
        if (conform_outcome_bad(r->cases[i].outcome))
            put_failure(f, &r->cases[i], i), bad++;
    if (!bad)
        fputs("<p>None.</p>\n", f);
    if (r->n_stale) {
        fputs("<h2>Stale expect-fail entries</h2>\n<p>These entries matched no scenario run."
              "</p><ul>\n",
              f);
        for (size_t i = 0; i < r->n_stale; i++) {
            fputs("<li><code>", f);
            rp_put(f, r->stale[i], RP_HTML);
            fputs("</code></li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    put_cases(f, r);
    fputs("</body></html>\n", f);
}

int report_html(const char *path, const conform_run *r, char *why, size_t why_cap)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return rp_io_error(path, why, why_cap);
    put_page(f, r);
    int bad = ferror(f) != 0;
    bad |= fclose(f) != 0;
    return bad ? rp_io_error(path, why, why_cap) : MT_OK;
}
