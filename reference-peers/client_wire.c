/* The reference client's wire: a client transport engine (abridged, intermediate, padded, full,
 * each but full optionally inside obfuscated2; proto/transport.h) or the HTTP client engine
 * (proto/http.h), between the socket's bytes and whole MTProto packets. */
#include <stdio.h>
#include <string.h>

#include "common/endian.h"
#include "proto/message.h"
#include "reference-peers/client_internal.h"

/* The Host field when the pump names none ("Host" is required in HTTP/1.1, RFC 9112 §3.2). */
#define PCLIENT_HTTP_HOST "localhost"

int pc_wire_init(pclient *c)
{
    const pclient_config *cfg = &c->cfg;
    if (cfg->http) {
        const char *host = cfg->http_host ? cfg->http_host : PCLIENT_HTTP_HOST;
        return http_client_init(&c->http, host, c->rx, sizeof c->rx);
    }
    if (cfg->obfuscated)
        return mt_transport_init_obf2_client(&c->tr, cfg->transport, 0, NULL, 0, c->rx,
                                             sizeof c->rx, cfg->rng);
    return mt_transport_init(&c->tr, cfg->transport, MT_ROLE_CLIENT, c->rx, sizeof c->rx, cfg->rng);
}

bool pc_wire_busy(const pclient *c)
{
    return c->cfg.http && c->http.outstanding > 0;
}

int pc_wire_send(pclient *c, const uint8_t *packet, size_t n)
{
    /* Compact first: what was written to the socket is gone. */
    if (c->out_off) {
        memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
        c->out_len -= c->out_off;
        c->out_off = 0;
    }
    uint8_t *dst = c->out + c->out_len;
    size_t room = sizeof c->out - c->out_len, wrote = 0;
    int err = c->cfg.http ? http_client_request(&c->http, packet, n, dst, room, &wrote)
                          : mt_transport_frame(&c->tr, packet, n, 0, dst, room, &wrote);
    if (err)
        return err;
    c->out_len += wrote;
    return MT_OK;
}

/* A transport error from the server: "-404 ... the MTProto packet is malformed or the auth key is
 * unknown", -429 a limit, -444 a wrong DC. Nothing more will come; the run ends naming it. */
static int server_error(pclient *c, int32_t code)
{
    char what[48];
    snprintf(what, sizeof what, "transport error %d from the server", (int)code);
    return pc_fail(c, MT_E_PCLIENT_TRANSPORT_ERROR, what);
}

static int feed_http(pclient *c, const uint8_t *in, size_t n)
{
    size_t off = 0;
    while (!c->done) {
        http_response r;
        size_t used = 0;
        int err = http_client_feed(&c->http, in + off, n - off, &used, &r);
        off += used;
        if (err == HTTP_INCOMPLETE)
            return MT_OK;
        if (err == HTTP_CLOSED)
            return off == n ? MT_OK : pc_fail(c, MT_E_HTTP_UNSOLICITED_RESPONSE, "http");
        if (err)
            return err;
        if (r.transport_error)
            return server_error(c, r.transport_error);
        /* An empty 200 answers a long poll with nothing to say. */
        if (r.body_len) {
            err = pc_on_packet(c, r.body, r.body_len);
            if (err)
                return err;
        }
        if (!c->done) {
            err = pc_flush(c);
            if (err)
                return err;
        }
    }
    return MT_OK;
}

/* Padded intermediate: "random padding 0..15 bytes" follows the packet inside the frame, so the
 * packet's own length says where it ends: an unencrypted message carries message_data_length,
 * an encrypted one is 24 bytes plus whole 16-byte blocks. */
static size_t unpadded_len(const uint8_t *p, size_t n)
{
    if (n >= MT_PLAIN_HEADER_LEN && ld64le(p) == 0) {
        uint32_t body = ld32le(p + 16);
        return body <= n - MT_PLAIN_HEADER_LEN ? MT_PLAIN_HEADER_LEN + body : n;
    }
    return n >= MT_MSG_OUTER_LEN ? n - (n - MT_MSG_OUTER_LEN) % 16 : n;
}

static int feed_transport(pclient *c, const uint8_t *in, size_t n)
{
    size_t off = 0;
    while (off < n && !c->done) {
        mt_transport_event ev;
        size_t used = 0;
        int err = mt_transport_feed(&c->tr, in + off, n - off, &used, &ev);
        off += used;
        if (err)
            return err;
        if (ev.type == MT_TEV_NEED_MORE)
            break;
        if (ev.type == MT_TEV_ERROR)
            return server_error(c, ev.code);
        if (ev.type != MT_TEV_FRAME)
            continue; /* a quick ack: we never ask for one, and it changes nothing */
        size_t len =
            c->cfg.transport == MT_TRANSPORT_PADDED ? unpadded_len(ev.payload, ev.len) : ev.len;
        err = pc_on_packet(c, ev.payload, len);
        if (err)
            return err;
    }
    return MT_OK;
}

int pc_wire_feed(pclient *c, const uint8_t *in, size_t n)
{
    return c->cfg.http ? feed_http(c, in, n) : feed_transport(c, in, n);
}

int pc_on_packet(pclient *c, const uint8_t *p, size_t n)
{
    switch (c->phase) {
    case PC_HS_PERM:
    case PC_HS_TEMP:
        return pc_auth_packet(c, p, n);
    case PC_INIT:
    case PC_DONE:
        return MT_OK;
    default:
        return pc_sess_packet(c, p, n);
    }
}
