/*
 * HTTP transport, client side: writes `POST /api` requests (tdlib HttpTransport.cpp: the body is
 * the raw packet) and reads their responses in order. A 200 carries the answer; any other final
 * status is a transport error -status (-404, -429 ...) whose body is skipped unread.
 */
#include <stdio.h>
#include <string.h>

#include "proto/http.h"

enum { CLI_HEAD, CLI_BODY, CLI_CLOSED };

int http_client_init(http_client *c, const char *host, uint8_t *body_buf, size_t cap)
{
    memset(c, 0, sizeof *c);
    size_t n = host ? strlen(host) : 0;
    if (n == 0 || n > HTTP_MAX_HOST)
        return MT_E_bad_argument;
    for (size_t i = 0; i < n; i++)
        if ((uint8_t)host[i] < 0x21 || (uint8_t)host[i] > 0x7e)
            return MT_E_bad_argument;
    memcpy(c->host, host, n + 1);
    c->body = body_buf;
    c->body_cap = cap < HTTP_MAX_BODY ? cap : HTTP_MAX_BODY;
    c->state = CLI_HEAD;
    return MT_OK;
}

int http_client_request(http_client *c, const uint8_t *packet, size_t len, uint8_t *out, size_t cap,
                        size_t *n)
{
    if (c->state == CLI_CLOSED)
        return HTTP_CLOSED;
    if (!packet || len == 0 || len % 4 != 0 || len > HTTP_MAX_BODY)
        return MT_E_bad_argument;
    int k = snprintf((char *)out, cap,
                     "POST /api HTTP/1.1\r\nHost: %s\r\nConnection: keep-alive\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     c->host, len);
    if (k < 0 || (size_t)k >= cap || len > cap - (size_t)k)
        return MT_E_no_space;
    memcpy(out + k, packet, len);
    *n = (size_t)k + len;
    c->outstanding++;
    return MT_OK;
}

/* Interprets a complete response head; returns HTTP_INCOMPLETE for a 1xx to skip. */
static int start_response(http_client *c, const http_head *h)
{
    const uint8_t *buf = c->head.buf;
    http_framing f;
    /* A 1xx has no body (RFC 9112 §6.3); a client MUST parse and skip unexpected ones. */
    if (h->status < 200)
        return http_framing_of(buf, h, 0, &f) == MT_OK ? HTTP_INCOMPLETE
                                                       : MT_E_HTTP_BAD_CONTENT_LENGTH;
    bool ok = h->status == 200;
    int err = http_framing_of(buf, h, ok ? c->body_cap : HTTP_MAX_BODY, &f);
    if (err)
        return err;
    memset(&c->resp, 0, sizeof c->resp);
    c->resp.status = h->status;
    c->resp.transport_error = ok ? 0 : -h->status;
    c->resp.keep_alive = f.keep_alive;
    if (!f.has_length) {
        if (ok)
            return MT_E_HTTP_RESPONSE_NO_LENGTH;
        /* An error without a length runs to the close (RFC 9112 §6.3 item 8); its body is
         * ignored anyway, so report it now and read no more. */
        c->resp.keep_alive = false;
    }
    c->body_need = f.length;
    c->body_fill = 0;
    c->state = CLI_BODY;
    return MT_OK;
}

static int read_body(http_client *c, const uint8_t *in, size_t len, size_t *used, http_response *r)
{
    uint64_t want = c->body_need - c->body_fill;
    size_t take = len < want ? len : (size_t)want;
    if (c->resp.transport_error == 0 && take > 0)
        memcpy(c->body + c->body_fill, in, take);
    c->body_fill += take;
    *used = take;
    if (c->body_fill < c->body_need)
        return HTTP_INCOMPLETE;
    if (c->resp.transport_error == 0) {
        c->resp.body = c->body;
        c->resp.body_len = (size_t)c->body_need;
    }
    *r = c->resp;
    c->outstanding--;
    c->state = c->resp.keep_alive ? CLI_HEAD : CLI_CLOSED;
    return MT_OK;
}

int http_client_feed(http_client *c, const uint8_t *in, size_t len, size_t *consumed,
                     http_response *r)
{
    *consumed = 0;
    while (c->state == CLI_HEAD) {
        if (c->head.fill == 0 && *consumed == len)
            return HTTP_INCOMPLETE;
        if (c->outstanding == 0) {
            c->state = CLI_CLOSED;
            return MT_E_HTTP_UNSOLICITED_RESPONSE;
        }
        http_head h;
        size_t used;
        int err = http_headbuf_feed(&c->head, http_parse_response, in + *consumed, len - *consumed,
                                    &used, &h);
        *consumed += used;
        if (err == MT_OK) {
            err = start_response(c, &h);
            if (err == HTTP_INCOMPLETE)
                continue; /* a 1xx was skipped; read the final response */
        }
        if (err == HTTP_INCOMPLETE)
            return err;
        if (err) {
            c->state = CLI_CLOSED;
            return err;
        }
    }
    if (c->state == CLI_CLOSED)
        return HTTP_CLOSED;
    size_t used;
    int err = read_body(c, in + *consumed, len - *consumed, &used, r);
    *consumed += used;
    return err;
}

bool http_client_closed(const http_client *c)
{
    return c->state == CLI_CLOSED;
}
