/*
 * Tokens of one scenario line (docs/scenarios.md "Lexical structure"): words separated by blanks;
 * a token runs on through balanced (), [] and {} and "quoted strings" (with \" and \\), so
 * `ping(ping_id = 1)` and `{"_": "ping"}` are one token each; `#` outside those starts a comment.
 * A token `key=value` splits at its first '=' outside brackets when key is a plain identifier.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/scenario_internal.h"

/* Scans one token from p; returns its length, or 0 with why set (unbalanced, bad quote). */
static size_t scan_token(const char *p, size_t n, char *why, size_t why_cap)
{
    char stack[32];
    size_t depth = 0, i = 0;
    bool quoted = false;
    for (; i < n; i++) {
        char c = p[i];
        if (quoted) {
            if (c == '\\' && i + 1 < n)
                i++;
            else if (c == '"')
                quoted = false;
            continue;
        }
        if (depth == 0 && (c == ' ' || c == '\t' || c == '#'))
            break;
        if (c == '"') {
            quoted = true;
        } else if (c == '(' || c == '[' || c == '{') {
            if (depth == sizeof stack) {
                snprintf(why, why_cap, "brackets nested too deeply");
                return 0;
            }
            stack[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
        } else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0 || stack[depth - 1] != c) {
                snprintf(why, why_cap, "unbalanced '%c'", c);
                return 0;
            }
            depth--;
        }
    }
    if (quoted) {
        snprintf(why, why_cap, "unterminated string");
        return 0;
    }
    if (depth) {
        snprintf(why, why_cap, "missing '%c'", stack[depth - 1]);
        return 0;
    }
    return i;
}

/* Splits key=value when the part before '=' is an identifier. */
static int split_kv(sc_tok *t, const char *p, size_t n)
{
    size_t k = 0;
    while (k < n && (isalnum((unsigned char)p[k]) || p[k] == '_'))
        k++;
    if (k > 0 && k < n && p[k] == '=' && !isdigit((unsigned char)p[0])) {
        t->key = strndup(p, k);
        t->val = strndup(p + k + 1, n - k - 1);
        return t->key && t->val ? 0 : MT_E_no_memory;
    }
    t->key = NULL;
    t->val = strndup(p, n);
    return t->val ? 0 : MT_E_no_memory;
}

int sc_lex_line(const char *line, size_t n, sc_tok *toks, size_t max, size_t *count,
                unsigned *bad_col, char *why, size_t why_cap)
{
    size_t i = 0;
    *count = 0;
    while (i < n) {
        while (i < n && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i == n || line[i] == '#')
            break;
        size_t len = scan_token(line + i, n - i, why, why_cap);
        if (len == 0) {
            *bad_col = (unsigned)i + 1;
            return MT_E_bad_field;
        }
        if (*count == max) {
            *bad_col = (unsigned)i + 1;
            snprintf(why, why_cap, "more than %zu tokens on one line", max);
            return MT_E_limit_exceeded;
        }
        sc_tok *t = &toks[(*count)++];
        t->col = (unsigned)i + 1;
        int err = split_kv(t, line + i, len);
        if (err)
            return err;
        i += len;
    }
    return 0;
}

void sc_toks_free(sc_tok *toks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(toks[i].key);
        free(toks[i].val);
    }
}
