/*
 * Sample conformance runs for the report tests (tests/test_report.c): one case of every outcome
 * over three areas, and a run whose every string is hostile (markup, quotes, control bytes,
 * invalid UTF-8, characters XML 1.0 forbids). Header-only: one test includes it.
 */
#ifndef MTPROOF_TESTS_REPORT_SAMPLE_H
#define MTPROOF_TESTS_REPORT_SAMPLE_H

#include <stdlib.h>
#include <string.h>

#include "common/rules.h"
#include "harness/report.h"

/* Expected totals of sample_run (checked by the tests and by tests/cli/report_junit.sh). */
enum {
    SAMPLE_CASES = 7,
    SAMPLE_STALE = 1,
    SAMPLE_FAILURES = 3, /* 1 fail + 1 xpass + 1 stale entry */
    SAMPLE_ERRORS = 1,
    SAMPLE_SKIPPED = 3, /* 1 skip + 1 xfail + the second area's skip */
};

/* A transcript of n lines "frame i ...". */
static inline char *sample_transcript(char *buf, size_t cap, unsigned n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (unsigned i = 1; i <= n && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "frame %u c>s 0.%03u 00112233\n", i, i);
    return buf;
}

static inline conform_case sample_case(const char *name, const char *area, conform_outcome o,
                                       int rule)
{
    conform_case c;
    memset(&c, 0, sizeof c);
    c.name = (char *)name;
    c.area = (char *)area;
    c.file = (char *)"harness/scenarios/sample.scn";
    c.line = 10;
    c.role = (char *)"client";
    c.tier = (char *)"fast";
    c.rules[0] = rule;
    c.n_rules = 1;
    c.outcome = o;
    c.elapsed_ns = 1500000;
    c.repro = (char *)"mtproof conform --only sample --seed 7";
    return c;
}

/* The rule used for failures: the catalogue's first rule. */
static inline const mt_rule *sample_rule(void)
{
    size_t n;
    return &mt_rules(&n)[0];
}

/* Fills r with SAMPLE_CASES cases and one stale entry; returns 0 on success. */
static inline int sample_run(conform_run *r)
{
    static char tr[4096];
    int rule = sample_rule()->err, err = 0;
    conform_run_init(r, "builtin", "fast", 7);
    conform_case c = sample_case("hs_pass", "handshake", CO_PASS, rule);
    err |= conform_run_add(r, &c);
    c = sample_case("hs_fail", "handshake", CO_FAIL, rule);
    c.failed_rule = rule;
    c.message = (char *)"step 4: expected bad_msg_notification 16, got silence (5 s)";
    c.transcript = sample_transcript(tr, sizeof tr, 60);
    err |= conform_run_add(r, &c);
    c = sample_case("hs_xfail", "handshake", CO_XFAIL, rule);
    c.failed_rule = rule;
    c.reason = (char *)"known bug 12";
    err |= conform_run_add(r, &c);
    c = sample_case("msgid_xpass", "msgid", CO_XPASS, rule);
    c.reason = (char *)"was broken before 1.2";
    err |= conform_run_add(r, &c);
    c = sample_case("msgid_skip", "msgid", CO_SKIP, rule);
    c.reason = (char *)"nightly tier";
    err |= conform_run_add(r, &c);
    c = sample_case("tr_error", "transport", CO_ERROR, 0);
    c.n_rules = 0;
    c.message = (char *)"target unreachable: connection refused";
    err |= conform_run_add(r, &c);
    c = sample_case("tr_skip", "transport", CO_SKIP, rule);
    err |= conform_run_add(r, &c);
    r->stale = calloc(1, sizeof *r->stale);
    if (!r->stale)
        return -1;
    r->stale[0] = strdup("xf.txt:3: old_*");
    r->n_stale = r->stale[0] ? 1 : 0;
    r->elapsed_ns = 2500000000u;
    return err || r->n_stale != 1;
}

/* Markup, quotes, escape sequences, control bytes, invalid UTF-8 (a lone 0xFF, an overlong NUL,
 * an encoded surrogate), U+FFFE, and a CDATA end. */
#define HOSTILE                                                                                    \
    "q\"'<script>alert(1)</script>&amp;]]>\x01\x1b[31m\x7f\xff\xc0\x80\xed\xa0\x80\xef\xbf\xbe"

static inline int hostile_run(conform_run *r)
{
    int rule = sample_rule()->err, err = 0;
    conform_run_init(r, "client '" HOSTILE "'", HOSTILE, 1);
    conform_case c = sample_case("n" HOSTILE, "a" HOSTILE, CO_FAIL, rule);
    c.failed_rule = rule;
    c.message = (char *)"m" HOSTILE;
    c.transcript = (char *)"t" HOSTILE "\nline2\r\n\ttab";
    c.repro = (char *)"r" HOSTILE;
    c.file = (char *)"f" HOSTILE;
    err |= conform_run_add(r, &c);
    c = sample_case("s" HOSTILE, "a" HOSTILE, CO_SKIP, rule);
    c.reason = (char *)"why" HOSTILE;
    err |= conform_run_add(r, &c);
    return err;
}

#endif
