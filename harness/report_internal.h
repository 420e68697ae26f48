/*
 * Helpers shared by the report writers (harness/report_*.c): escaping of untrusted text, per-area
 * counts, transcript excerpts and rule lookup. Not part of the report API (harness/report.h).
 *
 * Every string of a conform_case may come from the target under test (a message quoting its
 * bytes, a transcript), so each writer passes it through rp_put / rp_utf8_clean: invalid UTF-8
 * bytes become the four characters "\xNN", and control characters that the output format forbids
 * or that a terminal would act on become "\xNN" (C0, DEL) or "\uNNNN" (C1, U+FFFE, U+FFFF).
 */
#ifndef MTPROOF_HARNESS_REPORT_INTERNAL_H
#define MTPROOF_HARNESS_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/rules.h"
#include "harness/report.h"

typedef enum rp_esc {
    RP_TEXT_LINE,  /* terminal, one line: every control character escaped, newlines included */
    RP_TEXT_BLOCK, /* terminal, several lines: as RP_TEXT_LINE but '\n' kept */
    RP_XML,        /* XML 1.0 character data: & < > escaped, '\n' and '\t' kept */
    RP_XML_ATTR,   /* XML attribute value in double quotes: also " ' and \t \n \r as references */
    RP_HTML,       /* HTML text or attribute: & < > " ' escaped, '\n' and '\t' kept */
} rp_esc;

/* Writes len bytes of s escaped for mode (s may hold NUL bytes; NULL writes nothing). */
void rp_putn(FILE *f, const char *s, size_t len, rp_esc mode);
void rp_put(FILE *f, const char *s, rp_esc mode);
/* A valid UTF-8 copy of s (invalid bytes as "\xNN"), for JSON; NULL on NULL or no memory. */
char *rp_utf8_clean(const char *s);

/* One area of a run with its counts. */
typedef struct rp_area {
    const char *name; /* points into the run; "(none)" when a case has no area */
    size_t counts[CO_OUTCOME_COUNT];
    size_t total;
    uint64_t elapsed_ns;
} rp_area;

/* The run's areas sorted by name (free *out with free()); no_memory on failure. */
MT_WUR int rp_areas(const conform_run *r, rp_area **out, size_t *n);
const char *rp_area_name(const conform_case *c);

/* Where the last max_lines lines of text begin (0: all of it); *skipped gets the count of lines
 * before them. */
const char *rp_excerpt(const char *text, size_t max_lines, size_t *skipped);

/* The failed rule's ID: the catalogue ID, another error's name, or NULL when failed_rule is 0. */
const char *rp_rule_id(int err);

/* Seconds, for reports that want them ("0.012"). */
double rp_seconds(uint64_t ns);

/* Fills why with "path: strerror(errno)" and returns io_error. */
int rp_io_error(const char *path, char *why, size_t why_cap);

#endif
