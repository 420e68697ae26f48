/*
 * Full framing (mtproto-notes §6): "[len:uint32 LE = 4+4+payload+4][seq:uint32 LE, the connection
 * packet counter starting at 0][payload][crc32 over len|seq|payload, LE]. No init byte." Each
 * direction counts its own packets. grammers rejects len < 12, a wrong seq and a bad CRC; so do
 * we, each with its rule.
 */
#include "common/endian.h"
#include "crypto/crc32.h"
#include "proto/transport_internal.h"

#define FULL_OVERHEAD 12 /* len, seq, crc */

int full_header(mt_transport *t, mt_transport_event *ev, hdr_next *next)
{
    (void)ev;
    uint32_t len = ld32le(t->rx.hdr);
    uint32_t seq = ld32le(t->rx.hdr + 4);
    if (len < FULL_OVERHEAD)
        return MT_E_FULL_TOO_SHORT;
    if (len - FULL_OVERHEAD > MT_TRANSPORT_MAX_FRAME)
        return MT_E_TRANSPORT_FRAME_TOO_LONG;
    if (len % 4 != 0)
        return MT_E_TRANSPORT_LENGTH_NOT_ALIGNED;
    if (seq != t->rx.seq)
        return MT_E_FULL_BAD_SEQ;
    t->rx.body_len = len - FULL_OVERHEAD;
    *next = HDR_BODY;
    return MT_OK;
}

int full_check_crc(const mt_transport *t)
{
    uint32_t crc = crc32_update(0, t->rx.hdr, 8);
    crc = crc32_update(crc, t->buf, t->rx.body_len);
    return crc == ld32le(t->rx.hdr + 8) ? MT_OK : MT_E_FULL_BAD_CRC;
}

size_t full_write_header(uint8_t *out, size_t body_len, uint32_t seq)
{
    st32le(out, (uint32_t)(body_len + FULL_OVERHEAD));
    st32le(out + 4, seq);
    return 8;
}

size_t full_write_crc(uint8_t *out, size_t n)
{
    st32le(out + n, crc32_compute(out, n));
    return 4;
}
