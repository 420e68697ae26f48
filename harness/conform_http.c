/*
 * The HTTP transport of the harness as client (docs/scenarios.md "Transports"; mtproto-notes §6
 * "HTTP"): each payload goes out as one `POST /api` request (proto/http.h client engine), each
 * response comes back as one payload. A response with an error status becomes the transport
 * error -STATUS (404 -> -404, 501 -> -501), so `expect transport_error -404` reads the same on
 * every transport. `send wire` writes raw request bytes, for requests the engine would refuse
 * to write (a bad method, a bare LF, chunked bodies).
 */
#include <stdio.h>
#include <string.h>

#include "common/endian.h"
#include "harness/conform_peer.h"

int cf_http_open(cf_peer *p)
{
    return http_client_init(&p->hc, "mtproof.test", p->rx, sizeof p->rx);
}

int cf_http_frame(cf_peer *p, const uint8_t *pl, size_t n, uint8_t *w, size_t cap, size_t *len)
{
    /* The request head is at most a few hundred bytes; the caller's cap is n + a transport's
     * overhead, so it is written to a buffer of its own size first when it would not fit. */
    return http_client_request(&p->hc, pl, n, w, cap, len);
}

/* One complete response: a packet for 200, a transport error otherwise. */
static int response(cf_peer *p, const http_response *r)
{
    cf_logf(p, "< http %d (%zu bytes)", r->status, r->body_len);
    if (r->transport_error) {
        uint8_t code[4];
        st32le(code, (uint32_t)r->transport_error);
        return cf_packet(p, code, sizeof code);
    }
    if (r->body_len == 0)
        return 0; /* an empty answer to a long poll */
    return cf_packet(p, r->body, r->body_len);
}

int cf_http_feed(cf_peer *p, const uint8_t *in, size_t n)
{
    while (n > 0) {
        size_t used = 0;
        http_response r;
        /* Requests written by `send wire` passed the engine by: count one for any response. */
        if (p->hc.outstanding == 0)
            p->hc.outstanding = 1;
        int err = http_client_feed(&p->hc, in, n, &used, &r);
        if (err == HTTP_INCOMPLETE)
            break;
        if (err) {
            cf_logf(p, "< %s from the peer: %s", err == HTTP_CLOSED ? "close" : "bad HTTP",
                    err == HTTP_CLOSED ? "-" : mt_err_name(err));
            p->closed = true;
            return 0;
        }
        in += used;
        n -= used;
        if ((err = response(p, &r)) != 0)
            return err;
    }
    return 0;
}
