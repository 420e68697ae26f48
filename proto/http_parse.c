/*
 * Strict HTTP/1.1 head parser (RFC 9112). Stateless and copy-free like picohttpparser: it is run
 * over everything received so far and returns HTTP_INCOMPLETE when the buffer ends inside the
 * head, so input may arrive split at any byte. A complete line is judged as soon as it is there.
 */
#include <string.h>

#include "common/rules.h"
#include "proto/http.h"

#define CR   0x0d
#define LF   0x0a
#define SP   0x20
#define HTAB 0x09

/* tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" /
 * "~" / DIGIT / ALPHA (RFC 9110 §5.6.2) */
static bool is_tchar(uint8_t c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* field-vchar = VCHAR / obs-text; also SP and HTAB inside a value (RFC 9110 §5.5) */
static bool is_value_char(uint8_t c)
{
    return (c >= 0x21 && c != 0x7f) || c == SP || c == HTAB;
}

static http_span span(size_t off, size_t len)
{
    return (http_span){(uint32_t)off, (uint32_t)len};
}

/* Finds the line starting at pos: *end = its CR, *next = after its LF. A bare CR or LF anywhere is
 * refused (RFC 9112 §2.2). A line longer than max is refused even before it ends. */
static int next_line(const uint8_t *buf, size_t len, size_t pos, size_t max, int too_long,
                     size_t *end, size_t *next)
{
    for (size_t i = pos; i < len; i++) {
        if (i - pos > max)
            return too_long;
        if (buf[i] == LF)
            return MT_E_HTTP_BAD_LINE_ENDING;
        if (buf[i] != CR)
            continue;
        if (i + 1 == len)
            return HTTP_INCOMPLETE;
        if (buf[i + 1] != LF)
            return MT_E_HTTP_BAD_LINE_ENDING;
        *end = i;
        *next = i + 2;
        return MT_OK;
    }
    return len - pos > max ? too_long : HTTP_INCOMPLETE;
}

/* HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3), exactly 8 bytes at p. */
static bool parse_version(const uint8_t *p, size_t n, http_head *h)
{
    if (n != 8 || memcmp(p, "HTTP/", 5) != 0 || p[6] != '.')
        return false;
    if (p[5] < '0' || p[5] > '9' || p[7] < '0' || p[7] > '9')
        return false;
    h->major = p[5] - '0';
    h->minor = p[7] - '0';
    return true;
}

/* request-line = method SP request-target SP HTTP-version (RFC 9112 §3): single spaces only. */
static int parse_request_line(const uint8_t *buf, size_t start, size_t end, http_head *h)
{
    size_t i = start;
    while (i < end && is_tchar(buf[i]))
        i++;
    if (i == start || i == end || buf[i] != SP)
        return MT_E_HTTP_BAD_REQUEST_LINE;
    h->method = span(start, i - start);
    size_t t = ++i;
    while (i < end && buf[i] >= 0x21 && buf[i] <= 0x7e)
        i++;
    if (i == t || i == end || buf[i] != SP)
        return MT_E_HTTP_BAD_REQUEST_LINE;
    if (i - t > HTTP_MAX_TARGET)
        return MT_E_HTTP_TARGET_TOO_LONG;
    h->target = span(t, i - t);
    i++;
    if (!parse_version(buf + i, end - i, h))
        return MT_E_HTTP_BAD_REQUEST_LINE;
    if (h->major != 1)
        return MT_E_HTTP_VERSION_UNSUPPORTED;
    return MT_OK;
}

/* status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). */
static int parse_status_line(const uint8_t *buf, size_t start, size_t end, http_head *h)
{
    if (end - start < 13 || !parse_version(buf + start, 8, h) || buf[start + 8] != SP ||
        buf[start + 12] != SP || h->major != 1)
        return MT_E_HTTP_BAD_STATUS_LINE;
    int status = 0;
    for (size_t i = start + 9; i < start + 12; i++) {
        if (buf[i] < '0' || buf[i] > '9')
            return MT_E_HTTP_BAD_STATUS_LINE;
        status = status * 10 + (buf[i] - '0');
    }
    if (status < 100)
        return MT_E_HTTP_BAD_STATUS_LINE;
    for (size_t i = start + 13; i < end; i++)
        if (!is_value_char(buf[i]))
            return MT_E_HTTP_BAD_STATUS_LINE;
    h->status = status;
    h->reason = span(start + 13, end - start - 13);
    return MT_OK;
}

/* field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). */
static int parse_field(const uint8_t *buf, size_t start, size_t end, http_field *f)
{
    if (buf[start] == SP || buf[start] == HTAB)
        return MT_E_HTTP_OBS_FOLD; /* RFC 9112 §5.2, and whitespace before the first field */
    size_t i = start;
    while (i < end && is_tchar(buf[i]))
        i++;
    if (i == start || i == end || buf[i] != ':')
        return MT_E_HTTP_BAD_HEADER; /* also "Name :" (§5.1) */
    f->name = span(start, i - start);
    i++;
    while (i < end && (buf[i] == SP || buf[i] == HTAB))
        i++;
    size_t v = i, last = i;
    for (; i < end; i++) {
        if (!is_value_char(buf[i]))
            return MT_E_HTTP_BAD_HEADER;
        if (buf[i] != SP && buf[i] != HTAB)
            last = i + 1;
    }
    f->value = span(v, last - v);
    return MT_OK;
}

static int parse_fields(const uint8_t *buf, size_t len, size_t pos, http_head *h)
{
    for (;;) {
        size_t end, next;
        int err =
            next_line(buf, len, pos, HTTP_MAX_FIELD_LINE, MT_E_HTTP_HEAD_TOO_LARGE, &end, &next);
        if (err)
            return err;
        if (end == pos) {
            h->len = next;
            return MT_OK;
        }
        if (h->nfields == HTTP_MAX_HEADERS)
            return MT_E_HTTP_HEAD_TOO_LARGE;
        err = parse_field(buf, pos, end, &h->fields[h->nfields]);
        if (err)
            return err;
        h->nfields++;
        pos = next;
    }
}

typedef int (*start_line_fn)(const uint8_t *buf, size_t start, size_t end, http_head *h);

static int parse_head(const uint8_t *buf, size_t len, http_head *h, bool request)
{
    memset(h, 0, sizeof *h);
    size_t pos = 0, end, next;
    /* A server SHOULD ignore at least one empty line before the request-line (RFC 9112 §2.2). */
    while (request && len - pos >= 2 && buf[pos] == CR && buf[pos + 1] == LF)
        pos += 2;
    int err =
        next_line(buf, len, pos, HTTP_MAX_FIELD_LINE,
                  request ? MT_E_HTTP_TARGET_TOO_LONG : MT_E_HTTP_BAD_STATUS_LINE, &end, &next);
    if (err)
        return err;
    start_line_fn fn = request ? parse_request_line : parse_status_line;
    err = fn(buf, pos, end, h);
    if (err)
        return err;
    return parse_fields(buf, len, next, h);
}

int http_parse_request(const uint8_t *buf, size_t len, http_head *h)
{
    return parse_head(buf, len, h, true);
}

int http_parse_response(const uint8_t *buf, size_t len, http_head *h)
{
    return parse_head(buf, len, h, false);
}

bool http_span_is(const uint8_t *buf, http_span s, const char *lower)
{
    size_t n = strlen(lower);
    if (s.len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = buf[s.off + i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        if (c != (uint8_t)lower[i])
            return false;
    }
    return true;
}

/* Content-Length = 1*DIGIT (RFC 9110 §8.6). Saturates above HTTP_MAX_BODY, so no overflow. */
static int parse_length(const uint8_t *buf, http_span v, uint64_t *out)
{
    if (v.len == 0)
        return MT_E_HTTP_BAD_CONTENT_LENGTH;
    uint64_t n = 0;
    for (size_t i = 0; i < v.len; i++) {
        uint8_t c = buf[v.off + i];
        if (c < '0' || c > '9')
            return MT_E_HTTP_BAD_CONTENT_LENGTH; /* sign, list ("4, 4"), space, hex ... */
        n = n * 10 + (uint64_t)(c - '0');
        if (n > HTTP_MAX_BODY)
            n = (uint64_t)HTTP_MAX_BODY + 1;
    }
    *out = n;
    return MT_OK;
}

/* Connection = #connection-option (RFC 9110 §7.6.1): comma-separated tokens, any case. */
static void parse_connection(const uint8_t *buf, http_span v, bool *close, bool *keep)
{
    size_t i = v.off, end = (size_t)v.off + v.len;
    while (i < end) {
        while (i < end && (buf[i] == SP || buf[i] == HTAB || buf[i] == ','))
            i++;
        size_t t = i;
        while (i < end && buf[i] != ',' && buf[i] != SP && buf[i] != HTAB)
            i++;
        http_span tok = span(t, i - t);
        *close = *close || http_span_is(buf, tok, "close");
        *keep = *keep || http_span_is(buf, tok, "keep-alive");
    }
}

int http_framing_of(const uint8_t *buf, const http_head *h, uint64_t max_body, http_framing *f)
{
    memset(f, 0, sizeof *f);
    bool close = false, keep = false, coded = false;
    for (size_t i = 0; i < h->nfields; i++) {
        const http_field *fl = &h->fields[i];
        if (http_span_is(buf, fl->name, "content-length")) {
            /* Strict: a second Content-Length line is refused even with the same value (RFC
             * 9110 §8.6 lets a recipient either reject or merge; we reject). */
            if (f->has_length)
                return MT_E_HTTP_BAD_CONTENT_LENGTH;
            int err = parse_length(buf, fl->value, &f->length);
            if (err)
                return err;
            f->has_length = true;
        } else if (http_span_is(buf, fl->name, "transfer-encoding")) {
            coded = true;
        } else if (http_span_is(buf, fl->name, "connection")) {
            parse_connection(buf, fl->value, &close, &keep);
        } else if (http_span_is(buf, fl->name, "host")) {
            f->hosts++;
        }
    }
    if (coded)
        return MT_E_HTTP_CHUNKED_UNSUPPORTED;
    if (f->length > max_body)
        return MT_E_HTTP_BODY_TOO_LONG;
    f->keep_alive = !close && (h->minor >= 1 || keep);
    return MT_OK;
}

int http_rule_status(int err)
{
    const mt_rule *r = mt_rule_of(err);
    if (r && r->reaction == RX_HTTP_STATUS)
        return r->code;
    return 400;
}
