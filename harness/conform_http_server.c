/*
 * The HTTP transport of the harness as server (docs/scenarios.md "Transports"; mtproto-notes §6
 * "HTTP"): the client under test sends each packet as the body of one `POST /api` request
 * (proto/http.h server engine); the harness answers a request with a 200 whose body is its next
 * payload. "The server answers in the response body": a payload sent while no request waits is
 * held until the client's next request (a long poll). `send wire` writes raw response bytes — a
 * bad status line, a response without Content-Length, a response nobody asked for — which the
 * engine would refuse to write.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/conform_peer.h"

void cf_http_srv_open(cf_peer *p)
{
    cf_http_srv_free(p);
    http_server_init(&p->hs, p->rx, sizeof p->rx);
}

void cf_http_srv_free(cf_peer *p)
{
    for (size_t i = 0; i < p->n_hout; i++)
        free(p->hout[i]);
    p->n_hout = 0;
    p->hin_len = 0;
}

static int answer(cf_peer *p, const uint8_t *pl, size_t n)
{
    size_t cap = n + 512, len = 0; /* the head: status line and four fields */
    uint8_t *w = malloc(cap);
    if (!w)
        return MT_E_no_memory;
    int err = http_server_respond(&p->hs, pl, n, w, cap, &len);
    if (!err) {
        cf_logf(p, "> http 200 (%zu bytes)", n);
        err = cf_send_wire(p, w, len, 0);
    }
    free(w);
    return err;
}

int cf_http_srv_send(cf_peer *p, const uint8_t *pl, size_t n)
{
    if (http_server_request(&p->hs))
        return answer(p, pl, n);
    if (p->n_hout == CF_HTTP_HELD)
        return MT_E_limit_exceeded;
    uint8_t *c = malloc(n ? n : 1);
    if (!c)
        return MT_E_no_memory;
    memcpy(c, pl, n);
    p->hout[p->n_hout] = c;
    p->hout_len[p->n_hout++] = n;
    cf_logf(p, "-- http: %zu bytes held for the client's next request", n);
    return 0;
}

/* A waiting request takes the oldest held payload. */
static int answer_held(cf_peer *p)
{
    uint8_t *c = p->hout[0];
    size_t n = p->hout_len[0];
    p->n_hout--;
    memmove(p->hout, p->hout + 1, p->n_hout * sizeof p->hout[0]);
    memmove(p->hout_len, p->hout_len + 1, p->n_hout * sizeof p->hout_len[0]);
    int err = answer(p, c, n);
    free(c);
    return err;
}

/* Reads the buffered request bytes while no request waits for its answer. */
static int drain(cf_peer *p)
{
    for (;;) {
        const http_request *r = http_server_request(&p->hs);
        if (r && !p->n_hout)
            return 0;
        int err = r ? answer_held(p) : 0;
        if (r) {
            if (err)
                return err;
            continue;
        }
        if (!p->hin_len)
            return 0;
        size_t used = 0;
        err = http_server_feed(&p->hs, p->hin, p->hin_len, &used);
        memmove(p->hin, p->hin + used, p->hin_len - used);
        p->hin_len -= used;
        if (err == HTTP_INCOMPLETE)
            return 0;
        if (err) {
            cf_logf(p, "< bad HTTP request from the peer: %s", mt_err_name(err));
            p->closed = true;
            return 0;
        }
        r = http_server_request(&p->hs);
        cf_logf(p, "< http %s (%zu bytes)", r->method == HTTP_POST ? "POST" : "OPTIONS",
                r->body_len);
        err = r->body_len ? cf_packet(p, r->body, r->body_len) : answer(p, NULL, 0);
        if (err)
            return err;
    }
}

int cf_http_srv_feed(cf_peer *p, const uint8_t *in, size_t n)
{
    if (n > sizeof p->hin - p->hin_len) {
        cf_logf(p, "< more than %zu request bytes unread: closing", sizeof p->hin);
        p->closed = true;
        return 0;
    }
    memcpy(p->hin + p->hin_len, in, n);
    p->hin_len += n;
    return drain(p);
}
