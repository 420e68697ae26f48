/*
 * The transcript parser (docs/transcripts.md): one line at a time, one keyword per line, strict
 * about every value, and the first fault reported as line:column with what was expected.
 * Header lines (transcript_parse_hdr.c) precede the frames; frame lines come after.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "harness/transcript.h"
#include "harness/transcript_parse.h"

int tp_fail(tp_state *s, const char *at, int code, const char *fmt, ...)
{
    if (s->e->code)
        return s->e->code;
    s->e->code = code;
    s->e->line = s->line;
    s->e->col = (uint32_t)(at - s->ls) + 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->e->msg, sizeof s->e->msg, fmt, ap);
    va_end(ap);
    return code;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

bool tp_token(tp_state *s, const char **tok, size_t *n)
{
    while (s->p < s->le && is_blank(*s->p))
        s->p++;
    *tok = s->p;
    while (s->p < s->le && !is_blank(*s->p))
        s->p++;
    *n = (size_t)(s->p - *tok);
    return *n > 0;
}

int tp_end(tp_state *s)
{
    const char *tok;
    size_t n;
    if (tp_token(s, &tok, &n))
        return tp_fail(s, tok, MT_E_transcript_syntax, "unexpected '%.*s' at the end of the line",
                       (int)(n > 32 ? 32 : n), tok);
    return MT_OK;
}

int tp_text(tp_state *s, char **out)
{
    while (s->p < s->le && is_blank(*s->p))
        s->p++;
    const char *start = s->p, *end = s->le;
    while (end > start && is_blank(end[-1]))
        end--;
    if (end == start)
        return tp_fail(s, start, MT_E_transcript_syntax, "expected text");
    if ((size_t)(end - start) > TRANSCRIPT_MAX_TEXT)
        return tp_fail(s, start, MT_E_transcript_syntax, "text longer than %u bytes",
                       TRANSCRIPT_MAX_TEXT);
    s->p = s->le;
    *out = strndup(start, (size_t)(end - start));
    return *out ? MT_OK : tp_fail(s, start, MT_E_no_memory, "out of memory");
}

static int hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Grows b (capacity *cap) to hold `more` more bytes, up to max. */
static int grow(tp_state *s, const char *at, tr_bytes *b, size_t *cap, size_t more, size_t max)
{
    if (more > max - b->len)
        return tp_fail(s, at, MT_E_limit_exceeded, "value longer than %zu bytes", max);
    if (b->len + more <= *cap)
        return MT_OK;
    size_t c = *cap ? *cap : 64;
    while (c < b->len + more)
        c *= 2;
    uint8_t *p = realloc(b->p, c);
    if (!p)
        return tp_fail(s, at, MT_E_no_memory, "out of memory");
    b->p = p;
    *cap = c;
    return MT_OK;
}

int tp_hex_append(tp_state *s, tr_bytes *b, size_t *cap, size_t max)
{
    const char *tok;
    size_t n, tokens = 0;
    while (tp_token(s, &tok, &n)) {
        tokens++;
        for (size_t i = 0; i < n; i++)
            if (hex_val(tok[i]) < 0)
                return tp_fail(s, tok + i, MT_E_transcript_bad_hex, "'%c' is not a hex digit",
                               tok[i]);
        if (n % 2)
            return tp_fail(s, tok + n - 1, MT_E_transcript_bad_hex,
                           "odd number of hex digits (%zu)", n);
        int err = grow(s, tok, b, cap, n / 2, max);
        if (err)
            return err;
        for (size_t i = 0; i < n; i += 2)
            b->p[b->len++] = (uint8_t)(hex_val(tok[i]) << 4 | hex_val(tok[i + 1]));
    }
    if (!tokens)
        return tp_fail(s, s->p, MT_E_transcript_bad_hex, "expected hex digits");
    return MT_OK;
}

int tp_hex(tp_state *s, tr_bytes *b, size_t max)
{
    size_t cap = 0;
    b->p = NULL;
    b->len = 0;
    int err = tp_hex_append(s, b, &cap, max);
    if (err) {
        free(b->p);
        b->p = NULL;
        b->len = 0;
    }
    return err;
}

int tp_uint(tp_state *s, const char *tok, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0 || (n > 1 && tok[0] == '0'))
        return tp_fail(s, tok, MT_E_transcript_syntax,
                       "expected a decimal number without leading zeros");
    for (size_t i = 0; i < n; i++) {
        if (tok[i] < '0' || tok[i] > '9')
            return tp_fail(s, tok + i, MT_E_transcript_syntax, "'%c' is not a decimal digit",
                           tok[i]);
        unsigned d = (unsigned)(tok[i] - '0');
        if (v > (max - d) / 10)
            return tp_fail(s, tok, MT_E_transcript_syntax, "number over %llu",
                           (unsigned long long)max);
        v = v * 10 + d;
    }
    *out = v;
    return MT_OK;
}

int tp_int(tp_state *s, const char *tok, size_t n, int64_t *out)
{
    bool neg = n > 0 && tok[0] == '-';
    uint64_t v = 0;
    int err = tp_uint(s, tok + neg, n - neg, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX, &v);
    if (err)
        return err;
    if (neg && v == 0)
        return tp_fail(s, tok, MT_E_transcript_syntax, "'-0' is not a number");
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return MT_OK;
}

int tp_side(tp_state *s, unsigned *side)
{
    const char *tok;
    size_t n;
    tp_token(s, &tok, &n);
    if (n == 6 && memcmp(tok, "client", 6) == 0)
        *side = TR_CLIENT;
    else if (n == 6 && memcmp(tok, "server", 6) == 0)
        *side = TR_SERVER;
    else
        return tp_fail(s, tok, MT_E_transcript_syntax, "expected a side: client or server");
    return MT_OK;
}

/* A control byte anywhere (tab aside) is refused before the line is read. */
static int check_bytes(tp_state *s)
{
    for (const char *c = s->ls; c < s->le; c++)
        if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
            return tp_fail(s, c, MT_E_transcript_syntax, "control character 0x%02x",
                           (unsigned char)*c);
    return MT_OK;
}

/* Checks what only the whole transcript can show. */
static int finish(tp_state *s)
{
    int err = tp_frame_close(s);
    if (err)
        return err;
    s->ls = s->p = s->le = s->end;
    if (!s->have_version)
        return tp_fail(s, s->end, MT_E_transcript_version, "empty transcript: expected '%s %d'",
                       "mtproof-transcript", TRANSCRIPT_VERSION);
    if (!s->t->records)
        return tp_fail(s, s->end, MT_E_transcript_missing, "no 'records' line");
    if (!s->have_layer)
        return tp_fail(s, s->end, MT_E_transcript_missing, "no 'layer' line");
    if (s->t->layer == TR_LAYER_TRANSPORT && !s->t->transport)
        return tp_fail(s, s->end, MT_E_transcript_missing, "'layer transport' without 'transport'");
    if (s->t->layer == TR_LAYER_PACKET && s->t->transport)
        return tp_fail(s, s->end, MT_E_transcript_misplaced, "'transport' with 'layer packet'");
    return MT_OK;
}

/* One line: blank, comment, decoded view, or a keyword. */
static int parse_line(tp_state *s)
{
    int err = check_bytes(s);
    if (err)
        return err;
    while (s->p < s->le && is_blank(*s->p))
        s->p++;
    if (s->p == s->le || *s->p == '#')
        return MT_OK;
    if (*s->p == '|') /* the decoded view: for readers only */
        return s->frame ? MT_OK
                        : tp_fail(s, s->p, MT_E_transcript_misplaced,
                                  "a decoded view line ('|') outside a frame");
    const char *kw;
    size_t n;
    tp_token(s, &kw, &n);
    if (!s->have_version)
        return tp_version(s, kw, n);
    if ((err = tp_frame_line(s, kw, n)) != MT_E_transcript_keyword)
        return err;
    return tp_header_line(s, kw, n);
}

int transcript_parse(const char *text, size_t len, mt_transcript *t, tr_error *e)
{
    transcript_init(t);
    memset(e, 0, sizeof *e);
    tp_state s = {.text = text, .end = text + len, .ls = text, .le = text, .t = t, .e = e};
    if (len > TRANSCRIPT_MAX_INPUT)
        return tp_fail(&s, text, MT_E_limit_exceeded, "input over %zu bytes", TRANSCRIPT_MAX_INPUT);
    const char *p = text;
    int err = MT_OK;
    while (!err && p < s.end) {
        const char *nl = memchr(p, '\n', (size_t)(s.end - p));
        s.ls = s.p = p;
        s.le = nl ? nl : s.end;
        if (s.le > s.ls && s.le[-1] == '\r' && nl) /* CRLF files read as LF */
            s.le--;
        s.line++;
        err = parse_line(&s);
        p = nl ? nl + 1 : s.end;
    }
    if (!err) {
        s.line++;
        err = finish(&s);
    }
    free(s.hex_frame.p);
    return err;
}

int transcript_load(const char *path, mt_transcript *t, tr_error *e)
{
    transcript_init(t);
    memset(e, 0, sizeof *e);
    FILE *f = fopen(path, "rb");
    if (!f) {
        e->code = MT_E_io_error;
        snprintf(e->msg, sizeof e->msg, "cannot open: %s", strerror(errno));
        return e->code;
    }
    /* Read in growing chunks: the file's size is not trusted (it may be a pipe). */
    size_t cap = (size_t)1 << 16, n = 0;
    char *buf = malloc(cap);
    int err = buf ? MT_OK : MT_E_no_memory;
    while (!err) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (cap > TRANSCRIPT_MAX_INPUT) {
            err = MT_E_limit_exceeded;
            break;
        }
        char *b = realloc(buf, 2 * cap);
        if (!b)
            err = MT_E_no_memory;
        else
            buf = b, cap *= 2;
    }
    if (!err && ferror(f))
        err = MT_E_io_error;
    fclose(f);
    if (err) {
        e->code = err;
        snprintf(e->msg, sizeof e->msg, "%s", mt_err_message(err));
    } else {
        err = transcript_parse(buf, n, t, e);
    }
    free(buf);
    return err;
}
