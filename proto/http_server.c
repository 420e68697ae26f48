/*
 * HTTP transport, server side: bytes in, one request {method, body} at a time out; the caller
 * answers it (now, or later for a long poll) and only then is the next pipelined request read, so
 * answers leave in request order (RFC 9112 §9.3.2).
 */
#include <stdio.h>
#include <string.h>

#include "proto/http.h"

enum { SRV_HEAD, SRV_BODY, SRV_READY, SRV_FAILED, SRV_CLOSED };

void http_server_init(http_server *s, uint8_t *body_buf, size_t cap)
{
    memset(s, 0, sizeof *s);
    s->body = body_buf;
    s->body_cap = cap < HTTP_MAX_BODY ? cap : HTTP_MAX_BODY;
    s->state = SRV_HEAD;
}

/* The path part of the request-target: origin-form "/api", or absolute-form
 * "http://host/api" that a server MUST accept (RFC 9112 §3.2.2). Query strings are ignored, as
 * MTProxy ignores them. Sets *web for /apiw. */
static int check_target(const uint8_t *buf, http_span t, bool *web)
{
    const char *p = (const char *)buf + t.off;
    size_t n = t.len;
    if (n > 7 && memcmp(p, "http://", 7) == 0) {
        const char *slash = memchr(p + 7, '/', n - 7);
        if (!slash)
            return MT_E_HTTP_NOT_API_PATH;
        n -= (size_t)(slash - p);
        p = slash;
    }
    const char *q = memchr(p, '?', n);
    if (q)
        n = (size_t)(q - p);
    *web = n == 5 && memcmp(p, "/apiw", 5) == 0;
    if (*web || (n == 4 && memcmp(p, "/api", 4) == 0))
        return MT_OK;
    return MT_E_HTTP_NOT_API_PATH;
}

static int check_method(const uint8_t *buf, http_span m, http_method *out)
{
    /* The method token is case-sensitive (RFC 9110 §9.1). */
    if (m.len == 4 && memcmp(buf + m.off, "POST", 4) == 0)
        *out = HTTP_POST;
    else if (m.len == 7 && memcmp(buf + m.off, "OPTIONS", 7) == 0)
        *out = HTTP_OPTIONS;
    else
        return MT_E_HTTP_BAD_METHOD;
    return MT_OK;
}

static int check_request(http_server *s, const http_head *h)
{
    const uint8_t *buf = s->head.buf;
    http_framing f;
    int err = http_framing_of(buf, h, s->body_cap, &f);
    if (err)
        return err;
    if (f.hosts > 1 || (h->minor >= 1 && f.hosts == 0))
        return MT_E_HTTP_BAD_HOST;
    err = check_method(buf, h->method, &s->req.method);
    if (err)
        return err;
    err = check_target(buf, h->target, &s->req.web);
    if (err)
        return err;
    if (s->req.method == HTTP_POST) {
        if (!f.has_length)
            return MT_E_HTTP_NO_CONTENT_LENGTH;
        if (f.length == 0 || f.length % 4 != 0)
            return MT_E_HTTP_BODY_NOT_PACKET;
    }
    s->req.keep_alive = f.keep_alive;
    s->req.body = s->body;
    s->req.body_len = (size_t)f.length;
    s->body_fill = 0;
    return MT_OK;
}

static int read_body(http_server *s, const uint8_t *in, size_t len, size_t *consumed)
{
    size_t want = s->req.body_len - s->body_fill;
    size_t take = len < want ? len : want;
    if (take > 0)
        memcpy(s->body + s->body_fill, in, take);
    s->body_fill += take;
    *consumed = take;
    if (s->body_fill < s->req.body_len)
        return HTTP_INCOMPLETE;
    s->state = SRV_READY;
    return MT_OK;
}

int http_server_feed(http_server *s, const uint8_t *in, size_t len, size_t *consumed)
{
    *consumed = 0;
    if (s->state == SRV_READY)
        return HTTP_PENDING;
    if (s->state == SRV_FAILED || s->state == SRV_CLOSED)
        return HTTP_CLOSED;
    size_t used = 0;
    if (s->state == SRV_HEAD) {
        http_head h;
        int err = http_headbuf_feed(&s->head, http_parse_request, in, len, &used, &h);
        if (err == MT_OK)
            err = check_request(s, &h);
        *consumed = used;
        if (err == HTTP_INCOMPLETE)
            return err;
        if (err) {
            s->state = SRV_FAILED;
            return err;
        }
        s->state = SRV_BODY;
    }
    size_t body_used;
    int err = read_body(s, in + used, len - used, &body_used);
    *consumed = used + body_used;
    return err;
}

const http_request *http_server_request(const http_server *s)
{
    return s->state == SRV_READY ? &s->req : NULL;
}

/* MTProxy sends these on /apiw so browsers may call the API across origins. */
static const char cors_fields[] = "Access-Control-Allow-Origin: *\r\n"
                                  "Access-Control-Allow-Methods: POST, OPTIONS\r\n"
                                  "Access-Control-Allow-Headers: origin, content-type\r\n"
                                  "Access-Control-Max-Age: 1728000\r\n";

int http_server_respond(http_server *s, const uint8_t *body, size_t body_len, uint8_t *out,
                        size_t cap, size_t *n)
{
    if (s->state != SRV_READY || (body_len > 0 && !body) || body_len > HTTP_MAX_BODY)
        return MT_E_bad_argument;
    if (s->req.method == HTTP_OPTIONS && body_len != 0)
        return MT_E_bad_argument;
    size_t w;
    int err = http_write_status(out, cap, &w, 200);
    if (err)
        return err;
    const char *type = s->req.method == HTTP_POST ? "application/octet-stream" : "text/plain";
    int k = snprintf((char *)out + w, cap - w,
                     "Connection: %s\r\nContent-Type: %s\r\n%sContent-Length: %zu\r\n\r\n",
                     s->req.keep_alive ? "keep-alive" : "close", type,
                     s->req.web ? cors_fields : "", body_len);
    if (k < 0 || (size_t)k >= cap - w || body_len > cap - w - (size_t)k)
        return MT_E_no_space;
    w += (size_t)k;
    if (body_len > 0)
        memcpy(out + w, body, body_len);
    *n = w + body_len;
    s->held = false;
    s->state = s->req.keep_alive ? SRV_HEAD : SRV_CLOSED;
    return MT_OK;
}

int http_server_error(http_server *s, int status, uint8_t *out, size_t cap, size_t *n)
{
    if (s->state == SRV_CLOSED || status < 400 || status > 599)
        return MT_E_bad_argument;
    size_t w;
    int err = http_write_status(out, cap, &w, status);
    if (err)
        return err;
    /* The body of an error is ignored (mtproto-notes §6); the connection closes, as MTProxy
     * clears keep-alive on every transport error. */
    static const char tail[] = "Connection: close\r\nContent-Length: 0\r\n\r\n";
    if (cap - w < sizeof tail - 1)
        return MT_E_no_space;
    memcpy(out + w, tail, sizeof tail - 1);
    *n = w + sizeof tail - 1;
    s->held = false;
    s->state = SRV_CLOSED;
    return MT_OK;
}

void http_server_hold(http_server *s, int64_t now_ms, uint32_t max_wait_ms)
{
    if (s->state != SRV_READY)
        return;
    s->held = true;
    s->deadline_ms = now_ms + (int64_t)max_wait_ms;
}

bool http_server_poll_due(const http_server *s, int64_t now_ms)
{
    return s->state == SRV_READY && s->held && now_ms >= s->deadline_ms;
}

bool http_server_closed(const http_server *s)
{
    return s->state == SRV_CLOSED || s->state == SRV_FAILED;
}
