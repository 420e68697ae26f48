/*
 * Target: xfail_parse, xfail_match, xfail_finish, xfail_free (harness/xfail.c), the expect-fail
 * file reader of `mtproof conform --expect-fail`.
 * Input: the text of an expect-fail file (no NUL terminator).
 * Property: never overruns or leaks; a refusal names "path:line:" inside the input; an accepted
 * file's entries have a non-empty pattern without spaces and a non-empty reason, and every entry
 * that matches none of a fixed set of names comes back from xfail_finish as a stale entry.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report.h"

static const char *const names[] = {"hs_retry_1", "msgid_too_old", "container_nested", "a", ""};

static void check_accepted(xfail_list *l)
{
    size_t matched = 0;
    for (size_t i = 0; i < l->n; i++) {
        const xfail_entry *e = &l->e[i];
        if (!e->pattern[0] || strpbrk(e->pattern, " \t") || !e->reason[0] || e->line == 0)
            abort();
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        (void)xfail_match(l, names[i]);
    for (size_t i = 0; i < l->n; i++)
        matched += l->e[i].matched;
    conform_run r;
    conform_run_init(&r, "fuzz", "fast", 0);
    if (xfail_finish(l, &r) != MT_OK || r.n_stale != l->n - matched)
        abort();
    conform_run_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > XFAIL_MAX_INPUT)
        return 0;
    /* An exact-size copy: the parser must not read past the end (there is no NUL). */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    xfail_list l;
    char why[256];
    int err = xfail_parse(text, size, "f.txt", &l, why, sizeof why);
    if (err == MT_OK) {
        check_accepted(&l);
        xfail_free(&l);
    } else if (err != MT_E_no_memory) {
        char *end;
        if (strncmp(why, "f.txt:", 6) != 0)
            abort();
        unsigned long line = strtoul(why + 6, &end, 10);
        size_t lines = 1;
        for (size_t i = 0; i < size; i++)
            lines += text[i] == '\n';
        if (err != MT_E_bad_field || line == 0 || line > lines || *end != ':' || l.e || l.path)
            abort();
    }
    free(text);
    return 0;
}
