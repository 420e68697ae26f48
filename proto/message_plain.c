/*
 * Unencrypted messages, used only for the auth-key handshake (page mtproto/description):
 *   auth_key_id = 0 (int64) ‖ message_id (int64) ‖ message_data_length (int32) ‖ message_data
 * The parser is strict: the length must be exactly what follows, so a packet can carry nothing
 * unaccounted for. msg_id checks belong to the session rules, not here.
 */
#include "proto/message.h"

#include <string.h>

#include "common/cursor.h"

int mt_plain_pack(uint64_t msg_id, const uint8_t *body, size_t body_len, uint8_t *out, size_t cap,
                  size_t *out_len)
{
    *out_len = 0;
    if (body_len > MT_MSG_MAX_BODY)
        return MT_E_bad_argument;
    mt_wr w = wr_init(out, cap);
    wr_u64le(&w, 0);
    wr_u64le(&w, msg_id);
    wr_u32le(&w, (uint32_t)body_len);
    wr_bytes(&w, body, body_len);
    if (w.err)
        return w.err;
    *out_len = wr_len(&w);
    return MT_OK;
}

int mt_plain_unpack(const uint8_t *packet, size_t n, mt_plain_view *out)
{
    memset(out, 0, sizeof *out);
    if (n < MT_PLAIN_HEADER_LEN)
        return MT_E_PLAIN_TOO_SHORT;
    mt_rd r = rd_init(packet, n);
    uint64_t auth_key_id = rd_u64le(&r);
    uint64_t msg_id = rd_u64le(&r);
    uint32_t length = rd_u32le(&r);
    if (auth_key_id != 0)
        return MT_E_PLAIN_AUTH_KEY_ID_NOT_ZERO;
    if (length != rd_left(&r))
        return MT_E_PLAIN_LENGTH_MISMATCH;
    /* message_data is a TL object: a whole number of 32-bit words. */
    if (length % 4)
        return MT_E_PLAIN_LENGTH_NOT_ALIGNED;
    const uint8_t *body = rd_bytes(&r, length);
    int err = rd_done(&r);
    if (err)
        return err;
    out->msg_id = msg_id;
    out->body = body;
    out->body_len = length;
    return MT_OK;
}
