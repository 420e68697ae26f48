/*
 * Abridged framing (mtproto-notes §6): the client first sends 0xef once. "Packet = [len/4 as 1
 * byte] if len/4 < 127, else [0x7f][len/4 as 3 bytes LE], then the payload." A quick-ack request
 * sets bit 7 of the first byte (0xff instead of 0x7f in the long form). "The server's quick ack is
 * 4 bytes with no length, byte-swapped, so its first byte has MSB set; normal server length bytes
 * are <= 0x7f."
 */
#include "common/endian.h"
#include "proto/transport_internal.h"

#define ABRIDGED_LONG 0x7Fu /* the 3-byte length follows */
#define ABRIDGED_FLAG 0x80u /* client: quick-ack request; server: a quick-ack token */

int abridged_header(mt_transport *t, mt_transport_event *ev, hdr_next *next)
{
    mt_transport_rx *rx = &t->rx;
    uint8_t first = rx->hdr[0];
    if (t->role == MT_ROLE_CLIENT && (first & ABRIDGED_FLAG)) {
        if (rx->hdr_have < 4) {
            rx->hdr_need = 4;
            *next = HDR_MORE;
            return MT_OK;
        }
        ev->type = MT_TEV_QUICK_ACK;
        ev->token = ld32be(rx->hdr);
        *next = HDR_EVENT;
        return MT_OK;
    }
    rx->flags = (first & ABRIDGED_FLAG) ? MT_TF_QUICK_ACK : 0;
    uint32_t units = first & ~ABRIDGED_FLAG;
    if (units == ABRIDGED_LONG) {
        if (rx->hdr_have < 4) {
            rx->hdr_need = 4;
            *next = HDR_MORE;
            return MT_OK;
        }
        units = ld24le(rx->hdr + 1);
    }
    rx->body_len = (size_t)units * 4;
    *next = HDR_BODY;
    return MT_OK;
}

size_t abridged_write_header(uint8_t *out, size_t body_len, unsigned flags)
{
    uint8_t flag = (flags & MT_TF_QUICK_ACK) ? ABRIDGED_FLAG : 0;
    size_t units = body_len / 4;
    if (units < ABRIDGED_LONG) {
        out[0] = (uint8_t)(units | flag);
        return 1;
    }
    out[0] = (uint8_t)(ABRIDGED_LONG | flag);
    st24le(out + 1, (uint32_t)units);
    return 4;
}
