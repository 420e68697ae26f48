/*
 * The JUnit XML report (harness/report.h, docs/reports.md) in the shape Jenkins, GitLab,
 * GitHub test-report actions and Azure read: <testsuites> holding one <testsuite> per area (and
 * one named "expect-fail" for stale entries), one <testcase> per scenario with classname
 * "mtproof.conform.<area>". fail → <failure type=RULE_ID>, xpass → <failure type="XPASS">,
 * error → <error>, skip and xfail → <skipped>; the transcript goes to <system-out>.
 * Text is escaped by rp_put, which also rewrites the characters XML 1.0 forbids.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/report_internal.h"

#define JUNIT_STALE_SUITE "expect-fail"

static void attr(FILE *f, const char *name, const char *value)
{
    fprintf(f, " %s=\"", name);
    rp_put(f, value ? value : "", RP_XML_ATTR);
    fputc('"', f);
}

/* The element for a non-passing case: failure, error or skipped. */
static void case_result(FILE *f, const conform_case *c)
{
    const char *rule = rp_rule_id(c->failed_rule);
    switch (c->outcome) {
    case CO_PASS:
        return;
    case CO_SKIP:
    case CO_XFAIL:
        fputs("      <skipped", f);
        attr(f, "message", c->outcome == CO_XFAIL ? "expected failure" : "skipped");
        fputc('>', f);
        rp_put(f, c->reason, RP_XML);
        fputs("</skipped>\n", f);
        return;
    case CO_XPASS:
        fputs("      <failure", f);
        attr(f, "message", "passed, but listed as an expected failure");
        attr(f, "type", "XPASS");
        fputc('>', f);
        rp_put(f, c->reason, RP_XML);
        fputs("</failure>\n", f);
        return;
    default: /* CO_FAIL, CO_ERROR and anything out of range */
        fprintf(f, "      <%s", c->outcome == CO_FAIL ? "failure" : "error");
        attr(f, "message", c->message ? c->message : conform_outcome_name(c->outcome));
        attr(f, "type", rule ? rule : (c->outcome == CO_FAIL ? "FAIL" : "ERROR"));
        fputc('>', f);
        const mt_rule *rr = mt_rule_of(c->failed_rule);
        if (rr)
            fprintf(f, "%s (%s): %s [%s]\n", rr->id, mt_severity_name(rr->severity), rr->sentence,
                    rr->source);
        rp_put(f, c->message, RP_XML);
        fputs("\nrepro: ", f);
        rp_put(f, c->repro, RP_XML);
        fprintf(f, "\n</%s>\n", c->outcome == CO_FAIL ? "failure" : "error");
    }
}

static void put_case(FILE *f, const conform_case *c)
{
    char t[32], where[32];
    snprintf(t, sizeof t, "%.6f", rp_seconds(c->elapsed_ns));
    fputs("    <testcase", f);
    attr(f, "name", c->name ? c->name : "(unnamed)");
    fputs(" classname=\"mtproof.conform.", f);
    rp_put(f, rp_area_name(c), RP_XML_ATTR);
    fputc('"', f);
    attr(f, "time", t);
    fputs(">\n", f);
    case_result(f, c);
    fputs("      <system-out>", f);
    rp_put(f, c->file, RP_XML);
    snprintf(where, sizeof where, ":%u", c->line);
    fprintf(f, "%s role=", c->file ? where : "");
    rp_put(f, c->role, RP_XML);
    fputs(" tier=", f);
    rp_put(f, c->tier, RP_XML);
    fputs("\nrepro: ", f);
    rp_put(f, c->repro, RP_XML);
    fputc('\n', f);
    rp_put(f, c->transcript, RP_XML);
    fputs("</system-out>\n    </testcase>\n", f);
}

static void put_suite_head(FILE *f, const char *name, size_t tests, size_t failures, size_t errors,
                           size_t skipped, uint64_t ns)
{
    fputs("  <testsuite", f);
    attr(f, "name", name);
    fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n",
            tests, failures, errors, skipped, rp_seconds(ns));
}

static void put_properties(FILE *f, const conform_run *r)
{
    char seed[24];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->seed);
    fputs("    <properties>\n      <property name=\"target\"", f);
    attr(f, "value", r->target);
    fputs("/>\n      <property name=\"tier\"", f);
    attr(f, "value", r->tier);
    fputs("/>\n      <property name=\"seed\"", f);
    attr(f, "value", seed);
    fputs("/>\n    </properties>\n", f);
}

static void put_stale(FILE *f, const conform_run *r)
{
    put_suite_head(f, JUNIT_STALE_SUITE, r->n_stale, r->n_stale, 0, 0, 0);
    for (size_t i = 0; i < r->n_stale; i++) {
        fputs("    <testcase", f);
        attr(f, "name", r->stale[i]);
        fputs(" classname=\"mtproof.conform." JUNIT_STALE_SUITE "\" time=\"0\">\n"
              "      <failure message=\"expect-fail entry matched no scenario\" type=\"STALE\"/>\n"
              "    </testcase>\n",
              f);
    }
    fputs("  </testsuite>\n", f);
}

static void put_document(FILE *f, const conform_run *r, const rp_area *a, size_t n)
{
    size_t c[CO_OUTCOME_COUNT];
    conform_run_counts(r, c);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mtproof conform\"", f);
    fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n",
            r->n + r->n_stale, c[CO_FAIL] + c[CO_XPASS] + r->n_stale, c[CO_ERROR],
            c[CO_SKIP] + c[CO_XFAIL], rp_seconds(r->elapsed_ns));
    for (size_t i = 0; i < n; i++) {
        const size_t *k = a[i].counts;
        put_suite_head(f, a[i].name, a[i].total, k[CO_FAIL] + k[CO_XPASS], k[CO_ERROR],
                       k[CO_SKIP] + k[CO_XFAIL], a[i].elapsed_ns);
        put_properties(f, r);
        for (size_t j = 0; j < r->n; j++)
            if (strcmp(rp_area_name(&r->cases[j]), a[i].name) == 0)
                put_case(f, &r->cases[j]);
        fputs("  </testsuite>\n", f);
    }
    if (r->n_stale)
        put_stale(f, r);
    fputs("</testsuites>\n", f);
}

int report_junit(const char *path, const conform_run *r, char *why, size_t why_cap)
{
    rp_area *a;
    size_t n;
    if (rp_areas(r, &a, &n) != MT_OK) {
        if (why && why_cap)
            snprintf(why, why_cap, "%s: out of memory", path);
        return MT_E_no_memory;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        free(a);
        return rp_io_error(path, why, why_cap);
    }
    put_document(f, r, a, n);
    free(a);
    int bad = ferror(f) != 0;
    bad |= fclose(f) != 0;
    return bad ? rp_io_error(path, why, why_cap) : MT_OK;
}
