/* The server's answers to service messages and queries (page service_messages; mtproto-notes
 * §3). Each handler reads its body with the cursor, refusing a body that does not fill it exactly
 * (MSG_BODY_MALFORMED). */
#include <string.h>

#include "proto/session_server_internal.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"

/* Starts an answer: the writer covers the rest of out. */
static mt_wr answer_begin(sess_out *out)
{
    size_t room;
    uint8_t *p = core_begin(out, &room);
    return wr_init(p, room);
}

static int answer_commit(sess_server *s, mt_wr *w, bool response, sess_out *out)
{
    if (w->err)
        return w->err;
    return core_commit(&s->core, out, response, wr_len(w), NULL);
}

int server_rpc_error(sess_server *s, uint64_t req_msg_id, int32_t code, const char *text,
                     sess_out *out)
{
    mt_wr w = answer_begin(out);
    wr_u32le(&w, MTP_ID_rpc_result);
    tl_wr_long(&w, (int64_t)req_msg_id);
    wr_u32le(&w, MTP_ID_rpc_error);
    tl_wr_int(&w, code);
    tl_wr_string(&w, (const uint8_t *)text, strlen(text));
    return answer_commit(s, &w, true, out);
}

/* ping / ping_delay_disconnect -> pong {msg_id, ping_id}. "The server closes the connection
 * disconnect_delay s after the last such ping." */
static int on_ping(sess_server *s, const mt_msg *m, mt_rd *r, bool delay, sess_out *out)
{
    int64_t ping_id = tl_rd_long(r);
    int32_t seconds = delay ? tl_rd_int(r) : 0;
    if (rd_done(r) != MT_OK)
        return MT_E_MSG_BODY_MALFORMED;
    if (delay)
        s->close_at_ns =
            clock_now(s->core.clock) + (uint64_t)(seconds > 0 ? seconds : 0) * NS_PER_S;
    mt_wr w = answer_begin(out);
    wr_u32le(&w, MTP_ID_pong);
    tl_wr_long(&w, (int64_t)m->msg_id);
    tl_wr_long(&w, ping_id);
    return answer_commit(s, &w, true, out);
}

static int on_ack(sess_server *s, mt_rd *r)
{
    sess_ids ids;
    int err = sess_rd_ids(r, &ids);
    if (err)
        return err;
    for (uint32_t i = 0; i < ids.n; i++) {
        sess_stored *e = core_store_find(&s->core, sess_id_at(&ids, i));
        if (e)
            e->acked = true;
    }
    return MT_OK;
}

/* Status of a server message the client asks to have resent. */
static uint8_t status_sent(sess_server *s, uint64_t id)
{
    sess_stored *e = core_store_find(&s->core, id);
    if (e)
        return (uint8_t)(4 | (e->acked ? 8 : 0));
    return id > s->core.gen.last ? 3 : 1;
}

/* msgs_state_info {req_msg_id, info: one status byte per id}. */
static int state_info(sess_server *s, const mt_msg *m, const sess_ids *ids, bool sent,
                      sess_out *out)
{
    mt_wr w = answer_begin(out);
    wr_u32le(&w, MTP_ID_msgs_state_info);
    tl_wr_long(&w, (int64_t)m->msg_id);
    /* The bytes header, then the status bytes, then zero padding (tl_string_size). */
    size_t total = tl_string_size(ids->n);
    size_t hdr = ids->n <= TL_SHORT_STRING_MAX ? 1 : 4;
    if (hdr == 1) {
        wr_u8(&w, (uint8_t)ids->n);
    } else {
        wr_u8(&w, TL_LONG_STRING_MARK);
        wr_u24le(&w, ids->n);
    }
    for (uint32_t i = 0; i < ids->n; i++) {
        uint64_t id = sess_id_at(ids, i);
        wr_u8(&w, sent ? status_sent(s, id) : sess_window_status(&s->core.seen, id));
    }
    wr_zeros(&w, total - hdr - ids->n);
    return answer_commit(s, &w, true, out);
}

/* msg_resend_req: resend every id we still hold; "if any id is unknown, forgotten, or of the
 * requester's own parity, the answer is msgs_state_info for all the ids". */
static int on_resend_req(sess_server *s, const mt_msg *m, mt_rd *r, sess_out *out)
{
    sess_ids ids;
    int err = sess_rd_ids(r, &ids);
    if (err)
        return err;
    bool all = true;
    for (uint32_t i = 0; i < ids.n && all; i++)
        all = core_store_find(&s->core, sess_id_at(&ids, i)) != NULL;
    if (!all)
        return state_info(s, m, &ids, true, out);
    for (uint32_t i = 0; i < ids.n && !err; i++) {
        const sess_stored *e = core_store_find(&s->core, sess_id_at(&ids, i));
        err = core_emit_raw(out, e->msg_id, e->seqno, core_store_body(&s->core, e), e->len);
    }
    return err;
}

static int on_state_req(sess_server *s, const mt_msg *m, mt_rd *r, sess_out *out)
{
    sess_ids ids;
    int err = sess_rd_ids(r, &ids);
    return err ? err : state_info(s, m, &ids, false, out);
}

/* destroy_session -> destroy_session_ok for an earlier session of this key, else _none. */
static int on_destroy_session(sess_server *s, mt_rd *r, sess_out *out)
{
    uint64_t sid = (uint64_t)tl_rd_long(r);
    if (rd_done(r) != MT_OK)
        return MT_E_MSG_BODY_MALFORMED;
    uint32_t ctor = MTP_ID_destroy_session_none;
    for (uint32_t i = 0; i < s->nold; i++) {
        if (s->old_sessions[i] == sid) {
            memmove(&s->old_sessions[i], &s->old_sessions[i + 1],
                    (s->nold - i - 1) * sizeof s->old_sessions[0]);
            s->nold--;
            ctor = MTP_ID_destroy_session_ok;
            break;
        }
    }
    mt_wr w = answer_begin(out);
    wr_u32le(&w, ctor);
    tl_wr_long(&w, (int64_t)sid);
    return answer_commit(s, &w, true, out);
}

/* get_future_salts num -> future_salts {req_msg_id, now, salts: vector<future_salt> (bare)}. */
static int on_future_salts(sess_server *s, const mt_msg *m, mt_rd *r, sess_out *out)
{
    int32_t num = tl_rd_int(r);
    if (rd_done(r) != MT_OK)
        return MT_E_MSG_BODY_MALFORMED;
    if (num < 1 || num > (int32_t)SALT_FUTURE_MAX) {
        int err = server_rpc_error(s, m->msg_id, 400, "FUTURE_SALTS_NUM_INVALID", out);
        return err ? err : MT_E_FUTURE_SALTS_NUM_RANGE;
    }
    sess_salt list[SALT_FUTURE_MAX];
    uint64_t now = core_now(&s->core);
    uint32_t n = salts_future(sess_server_salts(s), now, (uint32_t)num, list);
    mt_wr w = answer_begin(out);
    wr_u32le(&w, MTP_ID_future_salts);
    tl_wr_long(&w, (int64_t)m->msg_id);
    tl_wr_int(&w, (int32_t)(now / NS_PER_S));
    tl_wr_vector(&w, false, n);
    for (uint32_t i = 0; i < n; i++) {
        tl_wr_int(&w, (int32_t)list[i].valid_since);
        tl_wr_int(&w, (int32_t)list[i].valid_until);
        tl_wr_long(&w, list[i].salt);
    }
    return answer_commit(s, &w, true, out);
}

static int on_http_wait(sess_server *s, mt_rd *r)
{
    int32_t v[3] = {tl_rd_int(r), tl_rd_int(r), tl_rd_int(r)};
    if (rd_done(r) != MT_OK)
        return MT_E_MSG_BODY_MALFORMED;
    memcpy(s->http_wait, v, sizeof v);
    return MT_OK;
}

/* A query for the caller's handler, answered with rpc_result {req_msg_id, result}. */
static int on_query(sess_server *s, const mt_msg *m, const uint8_t *body, size_t len, sess_out *out)
{
    mt_wr w = answer_begin(out);
    wr_u32le(&w, MTP_ID_rpc_result);
    tl_wr_long(&w, (int64_t)m->msg_id);
    if (w.err)
        return w.err;
    size_t res_len = 0;
    int err = s->rpc
                  ? s->rpc(s->rpc_ctx, m->msg_id, body, len, w.p, (size_t)(w.end - w.p), &res_len)
                  : MT_E_unimplemented;
    if (err == MT_E_unimplemented) {
        err = server_rpc_error(s, m->msg_id, 400, "INPUT_METHOD_INVALID", out);
        return err ? err : MT_E_RPC_METHOD_UNKNOWN;
    }
    if (err)
        return server_rpc_error(s, m->msg_id, 500, "INTERNAL", out);
    if (res_len > (size_t)(w.end - w.p))
        return MT_E_no_space;
    w.p += res_len;
    return answer_commit(s, &w, true, out);
}

int server_dispatch(sess_server *s, const mt_msg *m, const uint8_t *body, size_t len, sess_out *out)
{
    if (len < 4)
        return MT_E_MSG_BODY_MALFORMED;
    mt_rd r = rd_init(body, len);
    uint32_t id = rd_u32le(&r);
    switch (id) {
    case MTP_ID_msgs_ack:
        return on_ack(s, &r);
    case MTP_ID_ping:
        return on_ping(s, m, &r, false, out);
    case MTP_ID_ping_delay_disconnect:
        return on_ping(s, m, &r, true, out);
    case MTP_ID_msg_resend_req:
        return on_resend_req(s, m, &r, out);
    case MTP_ID_msgs_state_req:
        return on_state_req(s, m, &r, out);
    case MTP_ID_destroy_session:
        return on_destroy_session(s, &r, out);
    case MTP_ID_get_future_salts:
        return on_future_salts(s, m, &r, out);
    case MTP_ID_http_wait:
        return on_http_wait(s, &r);
    default:
        return on_query(s, m, body, len, out);
    }
}
