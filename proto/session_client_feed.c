/* The client engine's inbound path (proto/session.h): the checks of mtproto-notes §5.7 on every
 * server message, the parity of its seqno (SERVER_SEQNO_PARITY), containers, gzip_packed, acks,
 * and the timer. */
#include "proto/session_internal.h"
#include "proto/tl_mtp.h"

/* "Incoming msg_id is odd (server -> client), not a duplicate, and not lower than every stored
 * id; the +-30/300 s window applies once the clock is synced." */
static int check_server_id(sess_client *c, uint64_t msg_id, bool is_container)
{
    int err = sess_check_parity(msg_id, false);
    if (err)
        return err;
    if (c->synced && sess_check_time(msg_id, core_now(&c->core)) != MT_OK)
        return MT_E_SERVER_MSGID_TIME_WINDOW;
    err = sess_check_window(&c->core.seen, msg_id, is_container);
    if (err == MT_E_MSG_TOO_OLD)
        return MT_E_SERVER_MSGID_BELOW_WINDOW;
    if (err == MT_E_CONTAINER_MSGID_REUSED)
        return MT_E_MSGID_DUPLICATE;
    return err;
}

static int client_one(sess_client *c, const mt_msg *m, sess_out *out)
{
    int err = check_server_id(c, m->msg_id, false);
    if (err)
        return err;
    const uint8_t *body = m->body;
    size_t len = m->len;
    if (body_id(body, len) == MTP_ID_gzip_packed) {
        err = core_gunzip(&c->core, m->body, m->len, &body, &len);
        if (err)
            return err;
    }
    if (body_id(body, len) == MTP_ID_msg_container)
        return MT_E_CONTAINER_NESTED;
    /* The parity follows the object, a gzip_packed's being the one it packs. */
    err = sess_check_server_seqno(body_id(body, len), m->seqno);
    if (err)
        return err;
    sess_window_add(&c->core.seen, m->msg_id, m->seqno, SEEN_RECEIVED);
    /* Content-related server messages (odd seqno) are acked; rpc_result "must itself be acked",
     * new_session_created "must be acked". */
    if (m->seqno & 1) {
        err = core_ack(&c->core, out, m->msg_id);
        if (err)
            return err;
    }
    return client_dispatch(c, m, body, len, out);
}

int sess_client_feed(sess_client *c, const mt_msg *in, sess_out *out)
{
    bool container = body_id(in->body, in->len) == MTP_ID_msg_container;
    int err = check_server_id(c, in->msg_id, container);
    if (err)
        return err;
    if (!c->synced) {
        /* The first server msg_id sets the clock offset. */
        msgid_sync(&c->core.gen, c->core.clock, in->msg_id);
        c->synced = true;
    }
    if (!container)
        return client_one(c, in, out);
    /* "A container is not content-related": even, whatever it holds. */
    err = sess_check_server_seqno(MTP_ID_msg_container, in->seqno);
    if (err)
        return err;
    mt_msg inner[CONTAINER_MAX_MESSAGES];
    size_t n = 0;
    err = container_unpack(in->body, in->len, in->msg_id, in->seqno, inner, CONTAINER_MAX_MESSAGES,
                           &n);
    if (err)
        return err;
    sess_window_add(&c->core.seen, in->msg_id, in->seqno, SEEN_RECEIVED | SEEN_CONTAINER);
    int first = MT_OK;
    for (size_t i = 0; i < n; i++) {
        err = client_one(c, &inner[i], out);
        if (err && !mt_err_is_rule(err))
            return err;
        if (!first)
            first = err;
    }
    return first;
}

int sess_client_tick(sess_client *c, sess_out *out)
{
    return core_tick(&c->core, out);
}
