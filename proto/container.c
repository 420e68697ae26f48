#include "proto/container.h"

#include "common/endian.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"

/* Reads one message header and body view; CONTAINER_INVALID on any framing fault. */
static int read_message(mt_rd *r, mt_msg *m)
{
    m->msg_id = (uint64_t)tl_rd_long(r);
    m->seqno = (uint32_t)tl_rd_int(r);
    int32_t bytes = tl_rd_int(r);
    if (r->err)
        return MT_E_CONTAINER_INVALID;
    /* "bytes" holds a boxed object: at least its 4-byte id, in whole 32-bit words. */
    if (bytes < 4 || bytes % 4 != 0 || (size_t)bytes > rd_left(r))
        return MT_E_CONTAINER_INVALID;
    m->len = (size_t)bytes;
    m->body = rd_bytes(r, m->len);
    if (ld32le(m->body) == MTP_ID_msg_container)
        return MT_E_CONTAINER_NESTED;
    return MT_OK;
}

int container_unpack(const uint8_t *body, size_t len, uint64_t container_id,
                     uint32_t container_seqno, mt_msg *out, size_t cap, size_t *n)
{
    *n = 0;
    mt_rd r = rd_init(body, len);
    if (rd_u32le(&r) != MTP_ID_msg_container || r.err)
        return MT_E_CONTAINER_INVALID;
    uint32_t count = rd_u32le(&r);
    if (r.err)
        return MT_E_CONTAINER_INVALID;
    if (count > CONTAINER_MAX_MESSAGES)
        return MT_E_CONTAINER_TOO_MANY;
    /* A count the remaining bytes cannot hold is refused before the loop. */
    if ((size_t)count > rd_left(&r) / (CONTAINER_MSG_HDR_SIZE + 4))
        return MT_E_CONTAINER_INVALID;
    if (count > cap)
        return MT_E_no_space;
    for (uint32_t i = 0; i < count; i++) {
        int err = read_message(&r, &out[i]);
        if (err)
            return err;
        if (out[i].msg_id >= container_id)
            return MT_E_CONTAINER_INNER_ID_NOT_BELOW;
        if (out[i].seqno > container_seqno)
            return MT_E_CONTAINER_SEQNO_BELOW_INNER;
    }
    if (rd_done(&r) != MT_OK)
        return MT_E_CONTAINER_INVALID;
    *n = count;
    return MT_OK;
}

size_t container_size(const mt_msg *msgs, size_t n)
{
    size_t total = CONTAINER_HEADER_SIZE;
    for (size_t i = 0; i < n; i++)
        total += CONTAINER_MSG_HDR_SIZE + msgs[i].len;
    return total;
}

int container_pack(mt_wr *w, const mt_msg *msgs, size_t n)
{
    if (n > UINT32_MAX)
        return MT_E_limit_exceeded;
    wr_u32le(w, MTP_ID_msg_container);
    wr_u32le(w, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        if (msgs[i].len > INT32_MAX)
            return MT_E_limit_exceeded;
        tl_wr_long(w, (int64_t)msgs[i].msg_id);
        tl_wr_int(w, (int32_t)msgs[i].seqno);
        tl_wr_int(w, (int32_t)msgs[i].len);
        wr_bytes(w, msgs[i].body, msgs[i].len);
    }
    return w->err;
}
