/*
 * Intermediate and padded intermediate framings (mtproto-notes §6). "Intermediate: first send
 * ee ee ee ee. Packet = [len:uint32 LE][payload]. Quick-ack request: len |= 0x80000000. The
 * server's ack is a bare 4-byte token (LE value >= 0x80000000)." "Padded intermediate: first send
 * dd dd dd dd. Packet = [tlen:uint32 LE = payload+pad][payload][0..15 random]." The padded
 * receiver cannot tell payload from padding, so a FRAME event carries both: the MTProto layer
 * reads its own lengths and ignores the tail (tdlib and mtcute decrypt len - len%16).
 */
#include "common/endian.h"
#include "proto/transport_internal.h"

#define INTERMEDIATE_FLAG 0x80000000u

int intermediate_header(mt_transport *t, mt_transport_event *ev, hdr_next *next)
{
    uint32_t v = ld32le(t->rx.hdr);
    if (v & INTERMEDIATE_FLAG) {
        if (t->role == MT_ROLE_CLIENT) {
            /* The server's bare token; tdlib also reads it this way on padded connections. */
            ev->type = MT_TEV_QUICK_ACK;
            ev->token = v;
            *next = HDR_EVENT;
            return MT_OK;
        }
        t->rx.flags = MT_TF_QUICK_ACK;
        v &= ~INTERMEDIATE_FLAG;
    }
    if (v > MT_TRANSPORT_MAX_FRAME)
        return MT_E_TRANSPORT_FRAME_TOO_LONG;
    if (t->kind == MT_TRANSPORT_INTERMEDIATE && v % 4 != 0)
        return MT_E_TRANSPORT_LENGTH_NOT_ALIGNED;
    t->rx.body_len = v;
    *next = HDR_BODY;
    return MT_OK;
}

size_t intermediate_write_header(uint8_t *out, size_t body_len, unsigned flags)
{
    uint32_t v = (uint32_t)body_len;
    if (flags & MT_TF_QUICK_ACK)
        v |= INTERMEDIATE_FLAG;
    st32le(out, v);
    return 4;
}

size_t framing_first_header(mt_transport_kind kind)
{
    switch (kind) {
    case MT_TRANSPORT_ABRIDGED:
        return 1;
    case MT_TRANSPORT_FULL:
        return 8;
    default:
        return 4;
    }
}

size_t framing_tag(mt_transport_kind kind, uint8_t tag_out[4])
{
    switch (kind) {
    case MT_TRANSPORT_ABRIDGED:
        tag_out[0] = 0xEF;
        return 1;
    case MT_TRANSPORT_INTERMEDIATE:
        st32le(tag_out, 0xEEEEEEEEu);
        return 4;
    case MT_TRANSPORT_PADDED:
        st32le(tag_out, 0xDDDDDDDDu);
        return 4;
    default:
        return 0;
    }
}

int framing_check_len(mt_transport_kind kind, size_t len)
{
    if (len > MT_TRANSPORT_MAX_FRAME)
        return MT_E_TRANSPORT_FRAME_TOO_LONG;
    /* Abridged counts 4-byte units; intermediate and full carry MTProto packets, whose length
     * is a multiple of 4. Padded adds 0..15 bytes, so its length has no such rule. */
    if (kind != MT_TRANSPORT_PADDED && len % 4 != 0)
        return MT_E_TRANSPORT_LENGTH_NOT_ALIGNED;
    return MT_OK;
}
