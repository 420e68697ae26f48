/*
 * Expect-fail files (harness/report.h, docs/reports.md): one entry per line,
 *     SCENARIO-NAME-OR-GLOB  reason text...
 * '#' starts a comment line; blank lines are ignored. Issue 8: "entries with a reason; a listed
 * scenario that passes, and an entry that matches nothing, are reported" — so an entry without a
 * reason, or listed twice, is an error with its file and line, not something to guess around.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int fail_at(const char *path, unsigned line, char *why, size_t why_cap, const char *msg,
                   const char *detail)
{
    if (why && why_cap)
        snprintf(why, why_cap, "%s:%u: %s%s", path, line, msg, detail ? detail : "");
    return MT_E_bad_field;
}

static int read_failed(char *why, size_t why_cap, const char *path)
{
    if (why && why_cap)
        snprintf(why, why_cap, "%s: read error", path);
    return MT_E_io_error;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Parses one line (without its newline) into l; blank and comment lines add nothing. */
static int parse_line(const char *s, size_t n, unsigned line, xfail_list *l, char *why,
                      size_t why_cap)
{
    while (n && is_space(*s))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    if (n == 0 || s[0] == '#')
        return MT_OK;
    if (memchr(s, '\0', n))
        return fail_at(l->path, line, why, why_cap, "NUL byte in the line", NULL);
    size_t plen = 0;
    while (plen < n && !is_space(s[plen]))
        plen++;
    size_t r = plen;
    while (r < n && is_space(s[r]))
        r++;
    char *pattern = dup_n(s, plen);
    if (!pattern)
        return MT_E_no_memory;
    if (r == n) {
        int err = fail_at(l->path, line, why, why_cap,
                          "an entry needs a reason after the scenario name: ", pattern);
        free(pattern);
        return err;
    }
    if (l->n == XFAIL_MAX_ENTRIES) {
        free(pattern);
        return fail_at(l->path, line, why, why_cap, "too many entries", NULL);
    }
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->e[i].pattern, pattern) == 0) {
            char first[32];
            snprintf(first, sizeof first, "%u", l->e[i].line);
            free(pattern);
            return fail_at(l->path, line, why, why_cap, "duplicate entry, first at line ", first);
        }
    }
    xfail_entry *e = realloc(l->e, (l->n + 1) * sizeof *e);
    char *reason = dup_n(s + r, n - r);
    if (e)
        l->e = e;
    if (!e || !reason) {
        free(pattern);
        free(reason);
        return MT_E_no_memory;
    }
    l->e[l->n++] = (xfail_entry){.pattern = pattern, .reason = reason, .line = line};
    return MT_OK;
}

int xfail_parse(const char *text, size_t len, const char *path, xfail_list *l, char *why,
                size_t why_cap)
{
    memset(l, 0, sizeof *l);
    if (why && why_cap)
        why[0] = '\0';
    if (!path)
        path = "(expect-fail)";
    if (len > XFAIL_MAX_INPUT)
        return fail_at(path, 1, why, why_cap, "file is over the size limit", NULL);
    l->path = strdup(path);
    if (!l->path)
        return MT_E_no_memory;
    unsigned line = 1;
    for (size_t i = 0; i < len; line++) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        int err = parse_line(text + i, end - i, line, l, why, why_cap);
        if (err) {
            xfail_free(l);
            return err;
        }
        i = end + 1;
    }
    return MT_OK;
}

int xfail_load(const char *path, xfail_list *l, char *why, size_t why_cap)
{
    memset(l, 0, sizeof *l);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (why && why_cap)
            snprintf(why, why_cap, "%s: %s", path, strerror(errno));
        return MT_E_io_error;
    }
    char *buf = malloc(XFAIL_MAX_INPUT + 1);
    size_t n = buf ? fread(buf, 1, XFAIL_MAX_INPUT + 1, f) : 0;
    bool bad = !buf || ferror(f);
    fclose(f);
    int err;
    if (!buf)
        err = MT_E_no_memory;
    else if (bad)
        err = read_failed(why, why_cap, path);
    else
        err = xfail_parse(buf, n, path, l, why, why_cap); /* n over the limit is refused there */
    free(buf);
    return err;
}

const xfail_entry *xfail_match(xfail_list *l, const char *name)
{
    const xfail_entry *first = NULL;
    /* Every matching entry is marked, so an overlapping glob is not reported stale. */
    for (size_t i = 0; name && i < l->n; i++) {
        if (fnmatch(l->e[i].pattern, name, 0) == 0) {
            l->e[i].matched = true;
            if (!first)
                first = &l->e[i];
        }
    }
    return first;
}

int xfail_finish(const xfail_list *l, conform_run *r)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->e[i].matched)
            continue;
        const char *path = l->path ? l->path : "(expect-fail)";
        size_t need = strlen(path) + strlen(l->e[i].pattern) + 16;
        char *s = malloc(need);
        char **p = realloc(r->stale, (r->n_stale + 1) * sizeof *p);
        if (p)
            r->stale = p;
        if (!s || !p) {
            free(s);
            return MT_E_no_memory;
        }
        snprintf(s, need, "%s:%u: %s", path, l->e[i].line, l->e[i].pattern);
        r->stale[r->n_stale++] = s;
    }
    return MT_OK;
}

void xfail_free(xfail_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->e[i].pattern);
        free(l->e[i].reason);
    }
    free(l->e);
    free(l->path);
    memset(l, 0, sizeof *l);
}
