/* Connections of the HTTP transport (proto/http.h): each `POST /api` body is one MTProto packet;
 * its answer is the body of the 200 response. The relay's answers wait for a request (at most
 * one packet per response, a container when several messages are due); with none due the request
 * is held until http_wait's max_wait, then answered with an empty container. Transport errors are
 * HTTP statuses (-404 -> 404) and close. */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "proto/tl_mtp.h"
#include "reference-peers/relay_internal.h"

#define HTTP_RESP_OVERHEAD 512 /* status line and our fields */

static int64_t now_ms(const relay *r)
{
    return (int64_t)(relay_now(r) / 1000000u);
}

/* Answers the waiting request with the first queued packet. */
static void answer(relay *r, relay_conn *c)
{
    if (!c->hq_len || !http_server_request(&c->http))
        return;
    size_t n = ld32le(c->hq), w = 0;
    uint8_t *o = relay_out_reserve(r, c, n + HTTP_RESP_OVERHEAD, false);
    if (!o) {
        r->st.errors++;
        relay_fail_rule(r, c, MT_E_RELAY_SLOW_READER);
        return;
    }
    if (http_server_respond(&c->http, c->hq + 4, n, o, n + HTTP_RESP_OVERHEAD, &w) != MT_OK)
        return;
    relay_out_commit(r, c, w);
    c->hq_len -= 4 + n;
    memmove(c->hq, c->hq + 4 + n, c->hq_len);
    c->http_held = false;
}

bool relay_http_queue(relay *r, relay_conn *c, const uint8_t *p, size_t n)
{
    if (c->hq_len + 4 + n > r->lim.max_pending) {
        r->st.errors++;
        relay_fail_rule(r, c, MT_E_RELAY_SLOW_READER);
        return false;
    }
    if (c->hq_len + 4 + n > c->hq_cap) {
        size_t cap = c->hq_cap ? c->hq_cap : 4096;
        while (cap < c->hq_len + 4 + n)
            cap *= 2;
        uint8_t *q = realloc(c->hq, cap);
        if (!q)
            return false;
        c->hq = q;
        c->hq_cap = cap;
    }
    st32le(c->hq + c->hq_len, (uint32_t)n);
    if (n)
        memcpy(c->hq + c->hq_len + 4, p, n);
    c->hq_len += 4 + n;
    answer(r, c);
    return true;
}

/* A request whose packet produced nothing to send: held for the session's http_wait.max_wait. */
static void hold(relay *r, relay_conn *c)
{
    uint32_t max_wait = c->sess ? (uint32_t)c->sess->s.http_wait[2] : 0;
    http_server_hold(&c->http, now_ms(r), max_wait);
    c->http_held = true;
}

/* One complete request. */
static int request(relay *r, relay_conn *c)
{
    const http_request *req = http_server_request(&c->http);
    if (req->method == HTTP_OPTIONS) {
        size_t w = 0;
        uint8_t *o = relay_out_reserve(r, c, HTTP_RESP_OVERHEAD, true);
        if (o && http_server_respond(&c->http, NULL, 0, o, HTTP_RESP_OVERHEAD, &w) == MT_OK)
            relay_out_commit(r, c, w);
        return MT_OK;
    }
    int rule = relay_packet(r, c, req->body, req->body_len);
    if (!c->closing && http_server_request(&c->http)) {
        if (c->hq_len)
            answer(r, c);
        else
            hold(r, c);
    }
    return rule;
}

static void answer_empty(relay *r, relay_conn *c);

static int start(relay *r, relay_conn *c)
{
    if (!c->rx) { /* a TCP connection switched to HTTP keeps its buffer */
        c->rx_cap = c->fail_code ? RELAY_MIN_FRAME : r->lim.max_frame;
        c->rx = malloc(c->rx_cap);
        if (!c->rx)
            return MT_E_no_memory;
    }
    http_server_init(&c->http, c->rx, c->rx_cap);
    c->state = RC_HTTP;
    return MT_OK;
}

int relay_feed_http(relay *r, relay_conn *c, const uint8_t *in, size_t n)
{
    if (c->state == RC_DETECT) {
        int err = start(r, c);
        if (err)
            return err;
    }
    if (c->fail_code) { /* over max_conns: the -429 as a 429 status, then close */
        relay_fail_deferred(r, c);
        return MT_OK;
    }
    int first = MT_OK;
    while (!c->closing) {
        size_t used = 0;
        int rc = http_server_feed(&c->http, in, n, &used);
        in += used;
        n -= used;
        if (rc == HTTP_INCOMPLETE)
            break;
        if (rc == HTTP_PENDING) {
            /* The next request while one is held (a query after a long poll): the held one is
             * answered now, with what is due or an empty container, and reading goes on. */
            if (!n || !c->http_held)
                break;
            answer_empty(r, c);
            continue;
        }
        if (rc == HTTP_CLOSED) {
            relay_fail(r, c, 0);
            break;
        }
        if (rc != MT_OK) {
            r->st.errors++;
            relay_fail_rule(r, c, rc);
            return mt_err_is_rule(rc) ? rc : first;
        }
        int rule = request(r, c);
        if (!first)
            first = rule;
    }
    return first;
}

/* An empty msg_container: what a held request gets when max_wait passes with nothing to say. */
static void answer_empty(relay *r, relay_conn *c)
{
    relay_sess *s = c->sess;
    if (!s) {
        (void)relay_http_queue(r, c, NULL, 0);
        return;
    }
    uint8_t body[8];
    s->reply_session = s->s.session_id;
    st32le(body, MTP_ID_msg_container);
    st32le(body + 4, 0);
    mt_msg m = {0, 0, body, sizeof body};
    size_t plen = 0;
    if (sess_server_container_id(&s->s, &m.msg_id, &m.seqno) == MT_OK &&
        relay_pack(r, s, &m, r->pkt, MT_MSG_PACKED_MAX(sizeof body) + 64, &plen) == MT_OK)
        (void)relay_send_packet(r, c, r->pkt, plen);
}

void relay_http_tick(relay *r, relay_conn *c, uint64_t now, uint64_t *next)
{
    if (!c->http_held || !http_server_request(&c->http))
        return;
    if (http_server_poll_due(&c->http, (int64_t)(now / 1000000u))) {
        answer_empty(r, c);
        return;
    }
    uint64_t due = (uint64_t)c->http.deadline_ms * 1000000u;
    if (due < *next)
        *next = due;
}
