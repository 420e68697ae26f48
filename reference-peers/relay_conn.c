/* A connection's framing: the transport picked from the first bytes (MT_TRANSPORT_AUTO: abridged,
 * intermediate, padded, full, each plain or inside obfuscated2; HTTP handed to relay_http.c),
 * each packet sent to the handshake (auth_key_id 0) or the session, transport errors and the
 * frame-size and pending-output limits. */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "reference-peers/relay_internal.h"

static void send_error(relay *r, relay_conn *c, int32_t code)
{
    size_t n = 0;
    if (c->state == RC_HTTP) {
        uint8_t *o = relay_out_reserve(r, c, 512, true);
        if (o && http_server_error(&c->http, -code, o, 512, &n) == MT_OK)
            relay_out_commit(r, c, n);
        return;
    }
    uint8_t *o = relay_out_reserve(r, c, MT_TRANSPORT_MAX_OVERHEAD + 4, true);
    if (o && mt_transport_error(&c->t, code, o, MT_TRANSPORT_MAX_OVERHEAD + 4, &n) == MT_OK)
        relay_out_commit(r, c, n);
}

void relay_fail(relay *r, relay_conn *c, int32_t code)
{
    if (c->closing)
        return;
    if (code && c->state == RC_DETECT) {
        /* The framing of the error (abridged, intermediate, obfuscated2, an HTTP status) is
         * not known before the client's first bytes: it goes out then (relay_fail_deferred), or
         * relay_tick closes the connection after RELAY_OVERLIMIT_WAIT_NS. */
        c->fail_code = code;
        return;
    }
    if (code)
        send_error(r, c, code);
    c->closing = true;
    if (r->cfg.hooks.wake)
        r->cfg.hooks.wake(r->cfg.hooks.ctx, c->id);
}

void relay_fail_deferred(relay *r, relay_conn *c)
{
    int32_t code = c->fail_code;
    c->fail_code = 0;
    relay_fail(r, c, code);
}

void relay_fail_rule(relay *r, relay_conn *c, int rule)
{
    const mt_rule *m = mt_rule_of(rule);
    int32_t code = 0;
    if (m && m->reaction == RX_TRANSPORT_ERROR)
        code = m->code;
    else if (m && m->reaction == RX_HTTP_STATUS && c->state == RC_HTTP)
        code = -m->code;
    relay_log(r, RELAY_LOG_INFO, c->id, "%s: %s", mt_err_name(rule),
              code ? "transport error, close" : "close");
    relay_fail(r, c, code);
}

int relay_packet(relay *r, relay_conn *c, const uint8_t *p, size_t n)
{
    if (r->cfg.hooks.frame)
        r->cfg.hooks.frame(r->cfg.hooks.ctx, c->id, RELAY_IN, false, p, n, relay_now(r));
    if (n < MT_AUTH_KEY_ID_LEN) {
        relay_fail_rule(r, c, MT_E_MSG_TOO_SHORT);
        return MT_E_MSG_TOO_SHORT;
    }
    if (ld64le(p) == 0)
        return relay_handshake(r, c, p, n);
    return relay_encrypted(r, c, p, n);
}

bool relay_send_packet(relay *r, relay_conn *c, const uint8_t *p, size_t n)
{
    if (c->closing)
        return false;
    if (r->cfg.hooks.frame)
        r->cfg.hooks.frame(r->cfg.hooks.ctx, c->id, RELAY_OUT, false, p, n, relay_now(r));
    if (c->state == RC_HTTP)
        return relay_http_queue(r, c, p, n);
    if (c->state != RC_FRAMED)
        return false; /* no framing known yet: nothing can be sent */
    size_t cap = n + MT_TRANSPORT_MAX_OVERHEAD, w = 0;
    uint8_t *o = relay_out_reserve(r, c, cap, false);
    if (!o) {
        /* A slow reader: its output would pass max_pending. */
        r->st.errors++;
        relay_fail_rule(r, c, MT_E_RELAY_SLOW_READER);
        return false;
    }
    relay_violate_preframe(r, c);
    int err = mt_transport_frame(&c->t, p, n, 0, o, cap, &w);
    if (err) {
        relay_log(r, RELAY_LOG_ERROR, c->id, "frame: %s", mt_err_name(err));
        return false;
    }
    relay_violate_frame(r, c, o, w);
    relay_out_commit(r, c, w);
    return true;
}

void relay_quick_ack(relay *r, relay_conn *c, uint32_t token)
{
    if (c->closing || c->state != RC_FRAMED || c->t.kind == MT_TRANSPORT_FULL)
        return;
    size_t w = 0;
    uint8_t *o = relay_out_reserve(r, c, MT_TRANSPORT_MAX_OVERHEAD + 4, false);
    if (!o) {
        r->st.errors++;
        relay_fail_rule(r, c, MT_E_RELAY_SLOW_READER);
        return;
    }
    int err = mt_transport_quick_ack(&c->t, token, o, MT_TRANSPORT_MAX_OVERHEAD + 4, &w);
    if (err)
        relay_log(r, RELAY_LOG_ERROR, c->id, "quick ack: %s", mt_err_name(err));
    else
        relay_out_commit(r, c, w);
}

static int start_transport(relay *r, relay_conn *c)
{
    /* A connection over max_conns reads only enough to learn its framing. */
    c->rx_cap = c->fail_code ? RELAY_MIN_FRAME : r->lim.max_frame;
    c->rx = malloc(c->rx_cap);
    if (!c->rx)
        return MT_E_no_memory;
    int err =
        mt_transport_init(&c->t, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, c->rx, c->rx_cap, r->cfg.rng);
    if (err)
        return err;
    c->state = RC_FRAMED;
    return MT_OK;
}

/* The AUTO engine saw an HTTP request: the connection becomes an HTTP one, fed from its start. */
static int switch_to_http(relay *r, relay_conn *c, const mt_transport_event *ev, const uint8_t *in,
                          size_t n)
{
    uint8_t head[MT_OBF2_INIT_LEN]; /* the detector reads at most 8 bytes */
    size_t hn = ev->len < sizeof head ? ev->len : sizeof head;
    memcpy(head, ev->payload, hn);
    mt_transport_wipe(&c->t);
    c->kind = RELAY_CONN_HTTP;
    c->state = RC_DETECT;
    relay_log(r, RELAY_LOG_INFO, c->id, "transport http");
    int err = relay_feed_http(r, c, head, hn);
    if (!err && !c->closing && n)
        err = relay_feed_http(r, c, in, n);
    return err;
}

/* The padded intermediate framing appends 0..15 random bytes to each packet: the MTProto packet
 * is what its own header says (unencrypted: 20 + message_data_length) or, encrypted, its whole
 * 16-byte blocks after auth_key_id and msg_key. */
static size_t unpadded_len(const uint8_t *p, size_t n)
{
    if (n < MT_PLAIN_HEADER_LEN)
        return n;
    if (ld64le(p) == 0) {
        uint32_t len = ld32le(p + 16);
        return len <= n - MT_PLAIN_HEADER_LEN ? MT_PLAIN_HEADER_LEN + len : n;
    }
    if (n < MT_MSG_OUTER_LEN)
        return n;
    return MT_MSG_OUTER_LEN + (n - MT_MSG_OUTER_LEN) / 16 * 16;
}

static int transport_error(relay *r, relay_conn *c, int err)
{
    int rule = err == MT_E_limit_exceeded ? MT_E_RELAY_FRAME_TOO_LONG : err;
    if (!mt_err_is_rule(rule))
        return rule;
    r->st.errors++;
    relay_fail_rule(r, c, rule);
    return rule;
}

int relay_feed_framed(relay *r, relay_conn *c, const uint8_t *in, size_t n)
{
    if (c->state == RC_DETECT) {
        int err = start_transport(r, c);
        if (err)
            return err;
    }
    int first = MT_OK;
    bool logged = c->transport;
    while (!c->closing) {
        size_t used = 0;
        mt_transport_event ev;
        int err = mt_transport_feed(&c->t, in, n, &used, &ev);
        in += used;
        n -= used;
        if (!logged && c->t.kind != MT_TRANSPORT_AUTO) {
            logged = c->transport = true;
            relay_log(r, RELAY_LOG_INFO, c->id, "transport %s%s",
                      c->t.obfuscated ? "obfuscated2 " : "", mt_transport_kind_name(c->t.kind));
            if (c->fail_code && c->t.kind != MT_TRANSPORT_HTTP) {
                relay_fail_deferred(r, c); /* HTTP: once switched (relay_http.c) */
                return MT_OK;
            }
        }
        if (err)
            return first ? first : transport_error(r, c, err);
        if (ev.type == MT_TEV_HTTP)
            return switch_to_http(r, c, &ev, in, n);
        if (ev.type != MT_TEV_FRAME)
            break;
        size_t len = c->t.kind == MT_TRANSPORT_PADDED ? unpadded_len(ev.payload, ev.len) : ev.len;
        c->quick_ack = (ev.flags & MT_TF_QUICK_ACK) != 0;
        int rule = relay_packet(r, c, ev.payload, len);
        c->quick_ack = false;
        if (!first)
            first = rule;
    }
    return first;
}
