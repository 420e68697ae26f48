/*
 * The transport engine's sending side: tag or obfuscated2 init on a client's first frame, the
 * framing's header, the payload, padding or CRC, then encryption of everything after the init.
 */
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "proto/transport_internal.h"

static bool can_send(const mt_transport *t)
{
    return t->kind == MT_TRANSPORT_ABRIDGED || t->kind == MT_TRANSPORT_INTERMEDIATE ||
           t->kind == MT_TRANSPORT_PADDED || t->kind == MT_TRANSPORT_FULL;
}

/* Bytes that go before the first frame: the client's tag or obfuscated2 init. */
static size_t prefix_len(const mt_transport *t)
{
    uint8_t tag[4];
    if (t->role != MT_ROLE_CLIENT || t->tag_sent)
        return 0;
    return t->obfuscated ? MT_OBF2_INIT_LEN : framing_tag(t->kind, tag);
}

static size_t write_prefix(const mt_transport *t, uint8_t *out)
{
    size_t n = prefix_len(t);
    if (t->obfuscated)
        memcpy(out, t->init, n);
    else
        framing_tag(t->kind, out);
    return n;
}

static size_t write_header(const mt_transport *t, uint8_t *out, size_t body_len, unsigned flags)
{
    switch (t->kind) {
    case MT_TRANSPORT_ABRIDGED:
        return abridged_write_header(out, body_len, flags);
    case MT_TRANSPORT_FULL:
        return full_write_header(out, body_len, t->tx_seq);
    default:
        return intermediate_write_header(out, body_len, flags);
    }
}

/* The length of header, body and trailer for a body of body_len bytes. */
static size_t framed_len(const mt_transport *t, size_t body_len)
{
    uint8_t scratch[8];
    size_t n = write_header(t, scratch, body_len, 0) + body_len;
    return t->kind == MT_TRANSPORT_FULL ? n + 4 : n;
}

static int check_frame_args(const mt_transport *t, size_t len, unsigned flags, size_t pad_len)
{
    if (!can_send(t) || (flags & ~(unsigned)MT_TF_QUICK_ACK))
        return MT_E_bad_argument;
    if ((flags & MT_TF_QUICK_ACK) && (t->role != MT_ROLE_CLIENT || t->kind == MT_TRANSPORT_FULL))
        return MT_E_bad_argument;
    if (pad_len > MT_PADDED_MAX_PAD || (pad_len && t->kind != MT_TRANSPORT_PADDED))
        return MT_E_bad_argument;
    return framing_check_len(t->kind, len);
}

int mt_transport_frame_padding(mt_transport *t, const uint8_t *payload, size_t len, unsigned flags,
                               const uint8_t *pad, size_t pad_len, uint8_t *out, size_t cap,
                               size_t *out_len)
{
    if (!t || !out || !out_len || (len && !payload) || (pad_len && !pad))
        return MT_E_bad_argument;
    *out_len = 0;
    int err = check_frame_args(t, len, flags, pad_len);
    if (err)
        return err;
    size_t pre = prefix_len(t), body = len + pad_len;
    size_t total = pre + framed_len(t, body);
    if (total > cap)
        return MT_E_no_space;
    size_t o = write_prefix(t, out);
    o += write_header(t, out + o, body, flags);
    if (len)
        memmove(out + o, payload, len);
    if (pad_len)
        memcpy(out + o + len, pad, pad_len);
    o += body;
    if (t->kind == MT_TRANSPORT_FULL)
        o += full_write_crc(out + pre, o - pre);
    if (t->obfuscated)
        aes_ctr_xor(&t->enc, out + pre, out + pre, o - pre);
    t->tag_sent = true;
    if (t->kind == MT_TRANSPORT_FULL)
        t->tx_seq++;
    *out_len = o;
    return MT_OK;
}

int mt_transport_frame(mt_transport *t, const uint8_t *payload, size_t len, unsigned flags,
                       uint8_t *out, size_t cap, size_t *out_len)
{
    uint8_t pad[MT_PADDED_MAX_PAD];
    size_t pad_len = 0;
    if (t && t->kind == MT_TRANSPORT_PADDED) {
        /* "0..15 random bytes": the count and the bytes both come from the injected RNG. */
        uint8_t count;
        int err = rng_fill(t->rng, &count, 1);
        if (!err)
            err = rng_fill(t->rng, pad, pad_len = count % (MT_PADDED_MAX_PAD + 1));
        if (err)
            return err;
    }
    return mt_transport_frame_padding(t, payload, len, flags, pad, pad_len, out, cap, out_len);
}

/* Bare bytes outside any framing (the abridged and intermediate quick acks). */
static int send_bare(mt_transport *t, const uint8_t b[4], uint8_t *out, size_t cap, size_t *out_len)
{
    if (cap < 4)
        return MT_E_no_space;
    memcpy(out, b, 4);
    if (t->obfuscated)
        aes_ctr_xor(&t->enc, out, out, 4);
    *out_len = 4;
    return MT_OK;
}

int mt_transport_quick_ack(mt_transport *t, uint32_t token, uint8_t *out, size_t cap,
                           size_t *out_len)
{
    if (!t || !out || !out_len || t->role != MT_ROLE_SERVER || !(token & 0x80000000u))
        return MT_E_bad_argument;
    *out_len = 0;
    uint8_t b[8];
    switch (t->kind) {
    case MT_TRANSPORT_ABRIDGED:
        /* "4 bytes with no length, byte-swapped, so its first byte has MSB set". */
        st32be(b, token);
        return send_bare(t, b, out, cap, out_len);
    case MT_TRANSPORT_INTERMEDIATE:
        st32le(b, token);
        return send_bare(t, b, out, cap, out_len);
    case MT_TRANSPORT_PADDED:
        /* "a normal packet of total length <= 16: tlen | FFFFFFFF | token | 0..8 pad". */
        st32le(b, 0xFFFFFFFFu);
        st32le(b + 4, token);
        return mt_transport_frame_padding(t, b, sizeof b, 0, NULL, 0, out, cap, out_len);
    default:
        return MT_E_bad_argument;
    }
}

int mt_transport_error(mt_transport *t, int32_t code, uint8_t *out, size_t cap, size_t *out_len)
{
    if (!t || code >= 0)
        return MT_E_bad_argument;
    uint8_t b[4];
    st32le(b, (uint32_t)code);
    return mt_transport_frame_padding(t, b, sizeof b, 0, NULL, 0, out, cap, out_len);
}

static const char *const KIND_NAMES[] = {"abridged", "intermediate", "padded",
                                         "full",     "http",         "auto"};

const char *mt_transport_kind_name(mt_transport_kind k)
{
    return (unsigned)k < sizeof KIND_NAMES / sizeof KIND_NAMES[0] ? KIND_NAMES[k] : "unknown";
}

int mt_transport_kind_from_name(const char *name)
{
    for (int k = 0; k <= MT_TRANSPORT_HTTP; k++)
        if (name && strcmp(name, KIND_NAMES[k]) == 0)
            return k;
    return -1;
}
