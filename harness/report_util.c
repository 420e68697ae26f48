/*
 * Shared by the report writers (harness/report_internal.h): escaping of untrusted text for the
 * terminal, XML and HTML, UTF-8 repair for JSON, per-area counts and transcript excerpts.
 *
 * XML 1.0 section 2.2: "Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]" — the other control characters cannot appear even as character
 * references, so they are written as visible text ("\x01") instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report_internal.h"

/* Length of the valid UTF-8 sequence at s (at most len bytes) and its code point, or 0 when the
 * bytes there are not valid UTF-8 (overlong forms, surrogates and values over U+10FFFF
 * included: RFC 3629 section 4). */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char b = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2;
        *cp = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3;
        *cp = b & 0x0Fu;
        lo = b == 0xE0 ? 0xA0 : 0x80;
        hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4;
        *cp = b & 0x07u;
        lo = b == 0xF0 ? 0x90 : 0x80;
        hi = b == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (len < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3Fu);
    }
    return n;
}

/* Whether cp is written as an escape in mode (beyond the markup characters). */
static bool escaped_cp(uint32_t cp, rp_esc mode)
{
    if (cp == '\n')
        return mode == RP_TEXT_LINE;
    if (cp == '\t')
        return mode == RP_TEXT_LINE || mode == RP_TEXT_BLOCK;
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF;
}

/* The replacement for a markup character in mode, or NULL. */
static const char *markup(uint32_t cp, rp_esc mode)
{
    if (mode == RP_TEXT_LINE || mode == RP_TEXT_BLOCK)
        return NULL;
    bool attr = mode == RP_XML_ATTR || mode == RP_HTML;
    switch (cp) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return attr ? "&quot;" : NULL;
    case '\'':
        return attr ? "&#39;" : NULL;
    case '\n': /* attribute-value normalisation would turn these into spaces */
        return mode == RP_XML_ATTR ? "&#10;" : NULL;
    case '\t':
        return mode == RP_XML_ATTR ? "&#9;" : NULL;
    default:
        return NULL;
    }
}

void rp_putn(FILE *f, const char *s, size_t len, rp_esc mode)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (s && i < len) {
        uint32_t cp;
        size_t n = utf8_next(p + i, len - i, &cp);
        const char *m = n ? markup(cp, mode) : NULL;
        if (n == 0)
            fprintf(f, "\\x%02x", p[i]);
        else if (m)
            fputs(m, f);
        else if (escaped_cp(cp, mode))
            fprintf(f, cp < 0x80 ? "\\x%02x" : "\\u%04X", (unsigned)cp);
        else
            fwrite(p + i, 1, n, f);
        i += n ? n : 1;
    }
}

void rp_put(FILE *f, const char *s, rp_esc mode)
{
    if (s)
        rp_putn(f, s, strlen(s), mode);
}

char *rp_utf8_clean(const char *s)
{
    if (!s)
        return NULL;
    size_t len = strlen(s);
    if (len > (SIZE_MAX - 1) / 4)
        return NULL;
    char *out = malloc(len * 4 + 1); /* each invalid byte grows to 4 characters */
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_next((const unsigned char *)s + i, len - i, &cp);
        if (n) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        } else {
            snprintf(out + o, 5, "\\x%02x", (unsigned char)s[i]);
            o += 4;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

const char *rp_area_name(const conform_case *c)
{
    return c->area && c->area[0] ? c->area : "(none)";
}

static int area_cmp(const void *a, const void *b)
{
    return strcmp(((const rp_area *)a)->name, ((const rp_area *)b)->name);
}

int rp_areas(const conform_run *r, rp_area **out, size_t *n)
{
    rp_area *a = calloc(r->n ? r->n : 1, sizeof *a);
    size_t k = 0;
    if (!a)
        return MT_E_no_memory;
    for (size_t i = 0; i < r->n; i++) {
        const conform_case *c = &r->cases[i];
        const char *name = rp_area_name(c);
        size_t j = 0;
        while (j < k && strcmp(a[j].name, name) != 0)
            j++;
        if (j == k)
            a[k++].name = name;
        unsigned o = (unsigned)c->outcome < CO_OUTCOME_COUNT ? c->outcome : CO_ERROR;
        a[j].counts[o]++;
        a[j].total++;
        a[j].elapsed_ns += c->elapsed_ns;
    }
    qsort(a, k, sizeof *a, area_cmp);
    *out = a;
    *n = k;
    return MT_OK;
}

const char *rp_excerpt(const char *text, size_t max_lines, size_t *skipped)
{
    size_t len = strlen(text), lines = 0;
    /* A final newline ends the last line rather than starting an empty one. */
    size_t end = len && text[len - 1] == '\n' ? len - 1 : len;
    size_t i = end;
    while (i > 0) {
        if (text[i - 1] == '\n' && ++lines == max_lines)
            break;
        i--;
    }
    size_t before = 0;
    for (size_t j = 0; j < i; j++)
        before += text[j] == '\n';
    *skipped = before;
    return text + i;
}

const char *rp_rule_id(int err)
{
    if (err == 0)
        return NULL;
    const mt_rule *rule = mt_rule_of(err);
    return rule ? rule->id : mt_err_name(err);
}

double rp_seconds(uint64_t ns)
{
    return (double)ns / 1e9;
}

int rp_io_error(const char *path, char *why, size_t why_cap)
{
    if (why && why_cap)
        snprintf(why, why_cap, "%s: %s", path, strerror(errno ? errno : EIO));
    return MT_E_io_error;
}
