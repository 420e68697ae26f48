/*
 * Target: http_server_feed, http_server_respond, http_server_error (proto/http_server.c) through
 * http_parse_request and http_framing_of (proto/http_parse.c, proto/http_engine.c).
 * Input: the bytes a peer sends on one connection; the first byte picks the split size.
 * Properties: every accepted request is POST or OPTIONS, its body length equals its
 * Content-Length (re-read from the head bytes) and its bytes are the input's; feeding the same
 * input in one piece gives the same requests and the same final result; a refusal maps to a
 * 4xx/5xx answer and the engine then reads nothing more.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/http.h"

static uint8_t body[1 << 16];
static uint8_t out[1 << 17];

/* The request's head, parsed again on its own, declares exactly body_len bytes. */
static void check_length(const uint8_t *req, size_t len, size_t body_len)
{
    http_head h;
    http_framing f;
    if (http_parse_request(req, len, &h) != MT_OK || h.len + body_len != len ||
        http_framing_of(req, &h, HTTP_MAX_BODY, &f) != MT_OK || f.length != body_len)
        abort();
}

/* Runs the engine over data in pieces of `step`; returns the final result and counts requests. */
static int run(const uint8_t *data, size_t size, size_t step, size_t *requests, uint64_t *digest)
{
    http_server s;
    http_server_init(&s, body, sizeof body);
    size_t pos = 0, lim = 0, req_start = 0;
    int err = HTTP_INCOMPLETE;
    *requests = 0;
    *digest = 0;
    while (pos < size || err == MT_OK) {
        if (lim <= pos)
            lim = pos + step < size ? pos + step : size;
        size_t used;
        err = http_server_feed(&s, data + pos, lim - pos, &used);
        pos += used;
        if (err == MT_OK) {
            const http_request *r = http_server_request(&s);
            if (!r || r->body_len > sizeof body || (r->method == HTTP_POST && r->body_len % 4))
                abort();
            /* The body is the last body_len bytes consumed so far. */
            if (r->body_len > pos || memcmp(r->body, data + pos - r->body_len, r->body_len))
                abort();
            check_length(data + req_start, pos - req_start, r->body_len);
            req_start = pos;
            (*requests)++;
            *digest = *digest * 31 + r->body_len + 7 * (uint64_t)r->method;
            size_t n;
            if (http_server_respond(&s, r->body, r->method == HTTP_POST ? r->body_len : 0, out,
                                    sizeof out, &n) != MT_OK)
                abort();
            continue;
        }
        if (err == HTTP_INCOMPLETE && pos < size)
            continue;
        break;
    }
    if (err > 0) {
        size_t n;
        int st = http_rule_status(err);
        if (st < 400 || http_server_error(&s, st, out, sizeof out, &n) != MT_OK ||
            !http_server_closed(&s))
            abort();
        size_t used;
        if (http_server_feed(&s, data, size, &used) != HTTP_CLOSED || used != 0)
            abort();
    }
    return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1 << 18))
        return 0;
    size_t step = (size_t)data[0] % 17 + 1;
    size_t ra, rb;
    uint64_t da, db;
    int ea = run(data + 1, size - 1, step, &ra, &da);
    int eb = run(data + 1, size - 1, size, &rb, &db);
    if (ea != eb || ra != rb || da != db)
        abort();
    return 0;
}
