/*
 * The transport engine's common part: initialisation and the receive loop. Every byte the loop
 * consumes is copied into the engine (a header, the init, or the caller's payload buffer) and, on
 * an obfuscated2 connection, decrypted there, so each byte goes through the CTR stream exactly
 * once whatever the split of the input. Framing specifics are in transport_<framing>.c.
 */
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "proto/transport_internal.h"

static bool is_framing(mt_transport_kind k)
{
    return k == MT_TRANSPORT_ABRIDGED || k == MT_TRANSPORT_INTERMEDIATE ||
           k == MT_TRANSPORT_PADDED || k == MT_TRANSPORT_FULL;
}

/* Starts reading the next packet's header. */
static void rx_next_packet(mt_transport *t)
{
    t->rx.phase = RX_HEAD;
    t->rx.hdr_have = 0;
    t->rx.hdr_need = framing_first_header(t->kind);
    t->rx.body_len = 0;
    t->rx.body_have = 0;
    t->rx.flags = 0;
}

static int init_common(mt_transport *t, mt_transport_role role, uint8_t *buf, size_t cap,
                       mt_rng *rng)
{
    if (!t || !buf || cap < MT_TRANSPORT_SHORT_PACKET || !rng ||
        (role != MT_ROLE_CLIENT && role != MT_ROLE_SERVER))
        return MT_E_bad_argument;
    memset(t, 0, sizeof *t);
    t->role = role;
    t->buf = buf;
    t->cap = cap;
    t->rng = rng;
    return MT_OK;
}

int mt_transport_init(mt_transport *t, mt_transport_kind kind, mt_transport_role role, uint8_t *buf,
                      size_t cap, mt_rng *rng)
{
    bool auto_ok = kind == MT_TRANSPORT_AUTO && role == MT_ROLE_SERVER;
    if (!is_framing(kind) && !auto_ok)
        return MT_E_bad_argument;
    int err = init_common(t, role, buf, cap, rng);
    if (err)
        return err;
    t->kind = kind;
    if (kind == MT_TRANSPORT_AUTO) {
        t->rx.phase = RX_DETECT;
        t->rx.hdr_need = 1;
    } else if (role == MT_ROLE_SERVER && kind != MT_TRANSPORT_FULL) {
        uint8_t tag[4];
        t->rx.phase = RX_TAG;
        t->rx.hdr_need = framing_tag(kind, tag);
    } else {
        rx_next_packet(t);
    }
    return MT_OK;
}

int mt_transport_set_secret(mt_transport *t, const uint8_t *secret, size_t secret_len)
{
    if (!t || t->role != MT_ROLE_SERVER || (t->rx.phase != RX_DETECT && t->rx.phase != RX_INIT) ||
        t->rx.hdr_have != 0)
        return MT_E_bad_argument;
    if (!secret || secret_len != MT_OBF2_SECRET_LEN)
        return MT_E_bad_key_size;
    memcpy(t->secret, secret, MT_OBF2_SECRET_LEN);
    t->has_secret = true;
    return MT_OK;
}

int mt_transport_init_obf2_server(mt_transport *t, const uint8_t *secret, size_t secret_len,
                                  uint8_t *buf, size_t cap, mt_rng *rng)
{
    int err = init_common(t, MT_ROLE_SERVER, buf, cap, rng);
    if (err)
        return err;
    t->kind = MT_TRANSPORT_AUTO; /* until the init's tag names the framing */
    t->obfuscated = true;
    t->rx.phase = RX_INIT;
    t->rx.hdr_need = MT_OBF2_INIT_LEN;
    return secret ? mt_transport_set_secret(t, secret, secret_len) : MT_OK;
}

void mt_transport_skip_tag(mt_transport *t)
{
    if (t->obfuscated)
        return;
    t->tag_sent = true;
    if (t->rx.phase == RX_TAG)
        rx_next_packet(t);
}

void mt_transport_wipe(mt_transport *t)
{
    aes_ctr_wipe(&t->enc);
    aes_ctr_wipe(&t->dec);
    ct_wipe(t, sizeof *t);
}

/* Copies up to need - *have bytes of input into dst + *have, decrypting them on an obfuscated2
 * connection once the init is behind us. */
static void take(mt_transport *t, const uint8_t *in, size_t len, size_t *used, uint8_t *dst,
                 size_t *have, size_t need, bool decrypt)
{
    size_t n = need - *have;
    if (n > len - *used)
        n = len - *used;
    memcpy(dst + *have, in + *used, n);
    if (decrypt)
        aes_ctr_xor(&t->dec, dst + *have, dst + *have, n);
    *have += n;
    *used += n;
}

/* A packet shorter than any MTProto packet, read by a client: -1 and a token is a quick ack
 * (padded intermediate), another negative int32 a transport error (mtproto-notes §6). */
static void classify_short(const mt_transport *t, mt_transport_event *ev)
{
    if (t->role != MT_ROLE_CLIENT || ev->len >= MT_TRANSPORT_SHORT_PACKET || ev->len < 4)
        return;
    int32_t v = (int32_t)ld32le(ev->payload);
    if (v == -1 && ev->len >= 8) {
        ev->type = MT_TEV_QUICK_ACK;
        ev->token = ld32le(ev->payload + 4);
    } else if (v < 0) {
        ev->type = MT_TEV_ERROR;
        ev->code = v;
    }
}

static void finish_frame(mt_transport *t, mt_transport_event *ev)
{
    ev->type = MT_TEV_FRAME;
    ev->payload = t->buf;
    ev->len = t->rx.body_len;
    ev->flags = t->rx.flags;
    if (t->kind == MT_TRANSPORT_FULL)
        t->rx.seq++;
    classify_short(t, ev);
    rx_next_packet(t);
}

static int parse_header(mt_transport *t, mt_transport_event *ev, hdr_next *next)
{
    switch (t->kind) {
    case MT_TRANSPORT_ABRIDGED:
        return abridged_header(t, ev, next);
    case MT_TRANSPORT_INTERMEDIATE:
    case MT_TRANSPORT_PADDED:
        return intermediate_header(t, ev, next);
    case MT_TRANSPORT_FULL:
        return full_header(t, ev, next);
    default:
        return MT_E_bad_argument;
    }
}

/* A complete header: on to the body (or a frame with an empty body), more header, or an event. */
static int header_done(mt_transport *t, mt_transport_event *ev)
{
    hdr_next next;
    int err = parse_header(t, ev, &next);
    if (err || next == HDR_MORE)
        return err;
    if (next == HDR_EVENT) {
        rx_next_packet(t);
        return MT_OK;
    }
    t->rx.phase = RX_BODY;
    if (t->rx.body_len > MT_TRANSPORT_MAX_FRAME)
        return MT_E_TRANSPORT_FRAME_TOO_LONG;
    if (t->rx.body_len > t->cap)
        return MT_E_limit_exceeded;
    if (t->rx.body_len == 0 && t->kind != MT_TRANSPORT_FULL)
        finish_frame(t, ev);
    return MT_OK;
}

/* The detector decided on the first bytes in rx.hdr. */
static int detected(mt_transport *t, const mt_detected *d, mt_transport_event *ev)
{
    if (d->kind == MT_TRANSPORT_HTTP) {
        t->kind = MT_TRANSPORT_HTTP;
        t->rx.phase = RX_HTTP;
        ev->type = MT_TEV_HTTP;
        ev->payload = t->rx.hdr;
        ev->len = t->rx.hdr_have;
        return MT_OK;
    }
    if (d->obfuscated) {
        t->obfuscated = true;
        t->rx.phase = RX_INIT;
        t->rx.hdr_need = MT_OBF2_INIT_LEN;
        return MT_OK;
    }
    t->kind = d->kind;
    if (d->kind != MT_TRANSPORT_FULL) {
        rx_next_packet(t);
        return MT_OK;
    }
    /* The 8 bytes read are the first full header. */
    t->rx.phase = RX_HEAD;
    return header_done(t, ev);
}

/* The tag, detection and init phases, once rx.hdr holds rx.hdr_need bytes. */
static int prologue_done(mt_transport *t, mt_transport_event *ev)
{
    mt_transport_rx *rx = &t->rx;
    if (rx->phase == RX_TAG) {
        uint8_t tag[4];
        size_t n = framing_tag(t->kind, tag);
        if (n != rx->hdr_have || memcmp(tag, rx->hdr, n) != 0)
            return MT_E_TRANSPORT_BAD_TAG;
        rx_next_packet(t);
        return MT_OK;
    }
    if (rx->phase == RX_INIT) {
        int err = obf2_server_accept(t);
        if (!err)
            rx_next_packet(t);
        return err;
    }
    mt_detected d;
    if (!mt_transport_detect(rx->hdr, rx->hdr_have, &d)) {
        rx->hdr_need = rx->hdr_have < 4 ? 4 : 8; /* decisions fall at 1, 4 and 8 bytes */
        return MT_OK;
    }
    return detected(t, &d, ev);
}

/* Reads input into the current phase; when the phase's bytes are complete, acts on them. */
static int rx_step(mt_transport *t, const uint8_t *in, size_t len, size_t *used,
                   mt_transport_event *ev)
{
    mt_transport_rx *rx = &t->rx;
    bool dec = t->obfuscated;
    switch (rx->phase) {
    case RX_TAG:
    case RX_DETECT:
    case RX_INIT:
        take(t, in, len, used, rx->hdr, &rx->hdr_have, rx->hdr_need, false);
        return rx->hdr_have == rx->hdr_need ? prologue_done(t, ev) : MT_OK;
    case RX_HEAD:
        take(t, in, len, used, rx->hdr, &rx->hdr_have, rx->hdr_need, dec);
        return rx->hdr_have == rx->hdr_need ? header_done(t, ev) : MT_OK;
    case RX_BODY:
        take(t, in, len, used, t->buf, &rx->body_have, rx->body_len, dec);
        if (rx->body_have < rx->body_len)
            return MT_OK;
        if (t->kind != MT_TRANSPORT_FULL) {
            finish_frame(t, ev);
            return MT_OK;
        }
        rx->phase = RX_TRAIL; /* the CRC follows the header kept in hdr[0:8] */
        rx->hdr_need = 12;
        return MT_OK;
    case RX_TRAIL:
        take(t, in, len, used, rx->hdr, &rx->hdr_have, rx->hdr_need, dec);
        if (rx->hdr_have < rx->hdr_need)
            return MT_OK;
        if (full_check_crc(t))
            return MT_E_FULL_BAD_CRC;
        finish_frame(t, ev);
        return MT_OK;
    default: /* RX_HTTP: the bytes belong to the HTTP engine */
        return MT_E_bad_argument;
    }
}

int mt_transport_feed(mt_transport *t, const uint8_t *in, size_t len, size_t *consumed,
                      mt_transport_event *ev)
{
    if (!t || !consumed || !ev || (len && !in))
        return MT_E_bad_argument;
    *consumed = 0;
    memset(ev, 0, sizeof *ev);
    ev->type = MT_TEV_NEED_MORE;
    if (t->err)
        return t->err;
    size_t used = 0;
    int err = MT_OK;
    /* An empty body completes without input, so loop while there is input or a phase to finish. */
    while (!err && ev->type == MT_TEV_NEED_MORE) {
        if (used == len && !(t->rx.phase == RX_BODY && t->rx.body_len == 0))
            break;
        err = rx_step(t, in, len, &used, ev);
    }
    *consumed = used;
    if (err) {
        t->err = err;
        memset(ev, 0, sizeof *ev);
        ev->type = MT_TEV_NEED_MORE;
    }
    return err;
}
