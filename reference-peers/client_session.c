/* The reference client's encrypted session: MTProto 2.0 messages (x = 0 out, x = 8 in;
 * proto/message.h) around the session client engine (proto/session.h), the queue of queries
 * waiting to enter it, and the table matching answers to queries.
 *
 * Queries are queued and enter the session only in pc_flush, outside the engine's callbacks, so
 * the engine is never re-entered from its own event. Several messages go out in one
 * msg_container; over HTTP one request is out at a time and an empty one carries http_wait
 * ("the server holds the request until a message arrives or max_wait passes"). */
#include <string.h>

#include "common/endian.h"
#include "proto/message.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"
#include "reference-peers/client_internal.h"

static pc_pending *pending_find(pclient *c, uint64_t msg_id)
{
    for (size_t i = 0; i < PCLIENT_PENDING_MAX; i++)
        if (c->pending[i].kind != PCQ_NONE && c->pending[i].msg_id == msg_id)
            return &c->pending[i];
    return NULL;
}

static int pending_add(pclient *c, uint64_t msg_id, pc_query_kind kind)
{
    for (size_t i = 0; i < PCLIENT_PENDING_MAX; i++)
        if (c->pending[i].kind == PCQ_NONE) {
            c->pending[i] = (pc_pending){msg_id, kind};
            return MT_OK;
        }
    return MT_E_limit_exceeded;
}

static void on_result(pclient *c, const sess_event *ev)
{
    pc_pending *p = pending_find(c, ev->msg_id);
    if (!p)
        return; /* an answer to a query we no longer track (answered before a resend) */
    pc_query_kind kind = p->kind;
    p->kind = PCQ_NONE;
    int err = kind == PCQ_BIND ? pc_auth_bind_result(c, ev->body, ev->len)
                               : pc_relay_result(c, kind, ev->body, ev->len);
    if (err && !c->done)
        pc_fail(c, err, "answer");
}

static void on_sess_event(void *ctx, const sess_event *ev)
{
    pclient *c = ctx;
    if (c->done || !c->sess_up)
        return;
    if (ev->kind == SESS_EV_RPC_RESULT) {
        on_result(c, ev);
    } else if (ev->kind == SESS_EV_RESENT) {
        /* The same query under a new msg_id: its answer will name the new one. */
        pc_pending *p = pending_find(c, ev->ref_id);
        if (p)
            p->msg_id = ev->msg_id;
    } else if (ev->kind == SESS_EV_FATAL) {
        pc_fail(c, ev->rule, "session");
    } else if (ev->kind == SESS_EV_UPDATE) {
        int err = pc_relay_update(c, ev->body, ev->len);
        if (err && !c->done)
            pc_fail(c, err, "update");
    }
}

int pc_sess_start(pclient *c, const hs_result *key)
{
    uint8_t sid[8];
    int err = c->cfg.rng->fill(c->cfg.rng, sid, sizeof sid);
    if (err)
        return err;
    c->session_id = ld64le(sid);
    sess_client_cfg cc = {
        .clock = c->cfg.clock,
        .rng = c->cfg.rng,
        .session_id = c->session_id,
        .salt = (int64_t)ld64le(key->server_salt),
        .on_event = on_sess_event,
        .event_ctx = c,
        .work = c->work,
        .work_cap = sizeof c->work,
    };
    err = sess_client_init(&c->sess, &cc);
    if (err)
        return err;
    /* Server time from the handshake, until the first server msg_id corrects it. */
    c->sess.core.gen.offset_ns = key->time_offset_ns;
    sess_out_clear(&c->so);
    memset(c->pending, 0, sizeof c->pending);
    c->key = &key->key;
    c->sess_up = true;
    return MT_OK;
}

int pc_sess_packet(pclient *c, const uint8_t *p, size_t n)
{
    mt_msg_view v;
    int err =
        mt_msg_unpack(c->key, MT_X_SERVER, &c->session_id, p, n, c->plain, sizeof c->plain, &v);
    if (err)
        return mt_err_is_rule(err) ? pc_fail(c, err, "message") : err;
    mt_msg m = {v.hdr.msg_id, v.hdr.seq_no, v.body, v.body_len};
    c->in_event = true;
    err = sess_client_feed(&c->sess, &m, &c->so);
    c->in_event = false;
    if (c->done)
        return c->err;
    /* Strict: a message the engine dropped (a duplicate, a msg_id outside the window...) broke
     * a rule, and the reference client reports every broken rule. */
    if (err)
        return mt_err_is_rule(err) ? pc_fail(c, err, "session") : err;
    return MT_OK;
}

int pc_query(pclient *c, pc_query_kind kind, const uint8_t *body, size_t n)
{
    if (n > SESS_STORE_BODY_MAX)
        return MT_E_limit_exceeded;
    if (sizeof c->queue - c->queue_len < 5 + n)
        return MT_E_no_space;
    uint8_t *q = c->queue + c->queue_len;
    q[0] = (uint8_t)kind;
    st32le(q + 1, (uint32_t)n);
    if (n)
        memcpy(q + 5, body, n);
    c->queue_len += 5 + n;
    return MT_OK;
}

/* Whether the session can take one more query: a free slot for matching its answer and room in
 * the engine's resend store (both free up as answers arrive, and drain_queue runs again then). */
static bool session_has_room(const pclient *c)
{
    if (c->sess.core.nstore >= SESS_STORE_MAX)
        return false;
    for (size_t i = 0; i < PCLIENT_PENDING_MAX; i++)
        if (c->pending[i].kind == PCQ_NONE)
            return true;
    return false;
}

/* Moves queued queries into the session while it has room. */
static int drain_queue(pclient *c)
{
    while (c->queue_len && !c->done && c->sess_up) {
        if (!session_has_room(c))
            return MT_OK; /* a burst waits in the queue instead of failing the run */
        pc_query_kind kind = (pc_query_kind)c->queue[0];
        size_t n = ld32le(c->queue + 1);
        uint64_t id = 0;
        int err = kind == PCQ_BIND ? pc_auth_bind_send(c, &id)
                                   : sess_client_send(&c->sess, c->queue + 5, n, &c->so, &id);
        if (err == MT_E_no_space)
            return MT_OK; /* the session's output is full: the rest waits for the next flush */
        if (!err)
            err = pending_add(c, id, kind);
        if (err)
            return err;
        memmove(c->queue, c->queue + 5 + n, c->queue_len - 5 - n);
        c->queue_len -= 5 + n;
    }
    return MT_OK;
}

/* An http_wait for the server to hold our otherwise empty request (a long poll). */
static int http_poll(pclient *c)
{
    uint8_t body[16];
    st32le(body, MTP_ID_http_wait);
    st32le(body + 4, 0);                     /* max_delay */
    st32le(body + 8, 0);                     /* wait_after */
    st32le(body + 12, PCLIENT_HTTP_WAIT_MS); /* max_wait */
    uint64_t id;
    return sess_client_send(&c->sess, body, sizeof body, &c->so, &id);
}

/* The body of the next packet: the one message, or a container of them all. */
static int packet_body(pclient *c, mt_msg_hdr *hdr, const uint8_t **body, size_t *len)
{
    if (c->so.n == 1) {
        hdr->msg_id = c->so.msgs[0].msg_id;
        hdr->seq_no = c->so.msgs[0].seqno;
        *body = c->so.msgs[0].body;
        *len = c->so.msgs[0].len;
        return MT_OK;
    }
    mt_wr w = wr_init(c->plain, sizeof c->plain);
    int err = container_pack(&w, c->so.msgs, c->so.n);
    if (!err)
        err = w.err;
    if (!err)
        err = msgid_next(&c->sess.core.gen, c->cfg.clock, c->cfg.rng, MSGID_CLIENT, &hdr->msg_id);
    /* "A container is not content-related": an even seqno, not below its messages'. */
    hdr->seq_no = 2 * c->sess.core.sent_count;
    *body = c->plain;
    *len = wr_len(&w);
    return err;
}

static int send_output(pclient *c)
{
    if (!c->so.n)
        return MT_OK;
    mt_msg_hdr hdr = {.salt = (uint64_t)sess_client_salt(&c->sess), .session_id = c->session_id};
    const uint8_t *body;
    size_t len, plen;
    int err = packet_body(c, &hdr, &body, &len);
    mt_msg_pack_opts opts = {.rng = c->cfg.rng, .pad_len = MT_PAD_RANDOM};
    if (!err)
        err =
            mt_msg_pack(c->key, MT_X_CLIENT, &hdr, body, len, &opts, c->pkt, sizeof c->pkt, &plen);
    if (!err)
        err = pc_wire_send(c, c->pkt, plen);
    if (!err)
        sess_out_clear(&c->so);
    return err;
}

int pc_flush(pclient *c)
{
    if (c->done || !c->sess_up || c->in_event || pc_wire_busy(c))
        return MT_OK;
    int err = drain_queue(c);
    if (!err && c->cfg.http && !c->so.n)
        err = http_poll(c);
    return err ? err : send_output(c);
}

int pc_sess_tick(pclient *c, uint64_t *deadline)
{
    *deadline = UINT64_MAX;
    if (!c->sess_up || c->done)
        return MT_OK;
    int err = sess_client_tick(&c->sess, &c->so);
    if (!err)
        err = pc_flush(c);
    if (err)
        return err;
    if (c->sess.core.nacks)
        *deadline = c->sess.core.acks_since_ns + SESS_ACK_DELAY_NS;
    return MT_OK;
}
