/* The client engine (proto/session.h): sends, checks server messages (mtproto-notes §5.7: odd,
 * not a duplicate, not below the window, inside the time window once synced) and reacts to the
 * service messages of §3. */
#include <stddef.h>
#include <string.h>

#include "common/rules.h"
#include "proto/session_internal.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"

int sess_client_init(sess_client *c, const sess_client_cfg *cfg)
{
    memset(c, 0, offsetof(sess_client, core)); /* core_init zeroes the core but its arena */
    core_init(&c->core, cfg->clock, cfg->rng, false, cfg->work, cfg->work_cap);
    c->on_event = cfg->on_event;
    c->event_ctx = cfg->event_ctx;
    c->session_id = cfg->session_id;
    c->salt = cfg->salt;
    salts_init(&c->future);
    return MT_OK;
}

static void emit_event(sess_client *c, const sess_event *ev)
{
    if (c->on_event)
        c->on_event(c->event_ctx, ev);
}

static uint32_t server_seconds(const sess_client *c)
{
    return (uint32_t)(core_now(&c->core) / NS_PER_S);
}

int64_t sess_client_salt(sess_client *c)
{
    int64_t salt;
    uint64_t now = core_now(&c->core);
    /* A stored future salt takes over once its valid_since has come. */
    if (salts_current(&c->future, now, &salt)) {
        for (uint32_t i = 0; i < c->future.n; i++) {
            const sess_salt *e = &c->future.s[i];
            if (e->salt == salt && e->valid_since > c->salt_since) {
                c->salt = salt;
                c->salt_since = e->valid_since;
            }
        }
    }
    return c->salt;
}

int sess_client_send(sess_client *c, const uint8_t *body, size_t len, sess_out *out,
                     uint64_t *msg_id)
{
    if (c->fatal)
        return c->fatal;
    return core_emit(&c->core, out, false, body, len, msg_id);
}

int sess_client_ping(sess_client *c, int64_t ping_id, int32_t disconnect_delay, sess_out *out,
                     uint64_t *msg_id)
{
    uint8_t b[20];
    mt_wr w = wr_init(b, sizeof b);
    wr_u32le(&w, disconnect_delay > 0 ? MTP_ID_ping_delay_disconnect : MTP_ID_ping);
    tl_wr_long(&w, ping_id);
    if (disconnect_delay > 0)
        tl_wr_int(&w, disconnect_delay);
    return sess_client_send(c, b, wr_len(&w), out, msg_id);
}

/* Sends a kept message again with a new msg_id and seqno (its old id is forgotten). */
static int resend(sess_client *c, uint64_t old_id, int code, sess_out *out)
{
    sess_stored *e = core_store_find(&c->core, old_id);
    if (!e)
        return MT_OK; /* not kept (an ack): nothing to resend */
    uint8_t body[SESS_STORE_BODY_MAX];
    size_t len = e->len;
    memcpy(body, core_store_body(&c->core, e), len);
    core_store_drop(&c->core, e);
    uint64_t new_id;
    int err = core_emit(&c->core, out, false, body, len, &new_id);
    if (err)
        return err;
    emit_event(
        c, &(sess_event){.kind = SESS_EV_RESENT, .msg_id = new_id, .ref_id = old_id, .code = code});
    return MT_OK;
}

/* The rule behind a fatal bad_msg_notification code, 0 for one the client recovers from, -1 for
 * a code the spec does not define. */
static int fatal_rule_of_code(int32_t code)
{
    switch (code) {
    case 16:
    case 17:
    case 20:
        return 0;
    case 18:
        return MT_E_MSGID_BAD_PARITY;
    case 19:
        return MT_E_CONTAINER_MSGID_REUSED;
    case 32:
        return MT_E_SEQNO_TOO_LOW;
    case 33:
        return MT_E_SEQNO_TOO_HIGH;
    case 34:
        return MT_E_SEQNO_EXPECTED_EVEN;
    case 35:
        return MT_E_SEQNO_EXPECTED_ODD;
    case 64:
        return MT_E_CONTAINER_INVALID;
    default:
        return -1;
    }
}

/* bad_msg_notification / bad_server_salt: "before trusting one, the client must check that it
 * really sent bad_msg_id recently, then correct its clock offset from the notification's msg_id
 * and/or take the new salt". */
static int on_bad_msg(sess_client *c, const mt_msg *m, mt_rd *r, bool salt, sess_out *out)
{
    uint64_t bad_id = (uint64_t)tl_rd_long(r);
    (void)tl_rd_int(r); /* bad_msg_seqno */
    int32_t code = tl_rd_int(r);
    int64_t new_salt = salt ? tl_rd_long(r) : 0;
    if (rd_done(r) != MT_OK)
        return MT_E_MSG_BODY_MALFORMED;
    if (!core_sent_recently(&c->core, bad_id))
        return MT_E_BAD_MSG_NOTIFICATION_UNKNOWN_ID;
    if (salt) {
        c->salt = new_salt;
        c->salt_since = server_seconds(c);
        return resend(c, bad_id, 48, out);
    }
    int rule = fatal_rule_of_code(code);
    if (rule < 0)
        return MT_E_BAD_MSG_NOTIFICATION_UNKNOWN_CODE;
    if (rule == 0) {
        if (code != 20)
            msgid_sync(&c->core.gen, c->core.clock, m->msg_id);
        return resend(c, bad_id, code, out);
    }
    c->fatal = rule;
    emit_event(c,
               &(sess_event){.kind = SESS_EV_FATAL, .msg_id = bad_id, .rule = rule, .code = code});
    return MT_OK;
}

/* new_session_created: take its salt, note first_msg_id, and resend what was sent before it. */
static int on_new_session(sess_client *c, mt_rd *r, sess_out *out)
{
    uint64_t first = (uint64_t)tl_rd_long(r);
    (void)tl_rd_long(r); /* unique_id */
    int64_t salt = tl_rd_long(r);
    if (rd_done(r) != MT_OK)
        return MT_E_MSG_BODY_MALFORMED;
    c->first_msg_id = first;
    c->salt = salt;
    c->salt_since = server_seconds(c);
    emit_event(c, &(sess_event){.kind = SESS_EV_NEW_SESSION, .value = (int64_t)first});
    for (uint32_t i = 0; i < c->core.nstore;) {
        uint64_t id = c->core.store[i].msg_id;
        if (id >= first) {
            i++;
            continue;
        }
        int err = resend(c, id, 0, out); /* removes entry i, appends at the end */
        if (err)
            return err;
    }
    return MT_OK;
}

/* pong {msg_id, ping_id}: matches a kept ping with that msg_id and ping_id. */
static int on_pong(sess_client *c, mt_rd *r)
{
    uint64_t ping_msg = (uint64_t)tl_rd_long(r);
    int64_t ping_id = tl_rd_long(r);
    if (rd_done(r) != MT_OK)
        return MT_E_MSG_BODY_MALFORMED;
    sess_stored *e = core_store_find(&c->core, ping_msg);
    if (!e || e->len < 12 || (int64_t)ld64le(core_store_body(&c->core, e) + 4) != ping_id)
        return MT_OK; /* an unsolicited pong carries nothing to act on */
    core_store_drop(&c->core, e);
    emit_event(c, &(sess_event){.kind = SESS_EV_PONG, .msg_id = ping_msg, .value = ping_id});
    return MT_OK;
}

static int on_ack(sess_client *c, mt_rd *r)
{
    sess_ids ids;
    int err = sess_rd_ids(r, &ids);
    if (err)
        return err;
    for (uint32_t i = 0; i < ids.n; i++) {
        sess_stored *e = core_store_find(&c->core, sess_id_at(&ids, i));
        if (e)
            e->acked = true;
    }
    return MT_OK;
}

/* rpc_result {req_msg_id, result}: the query is answered; a gzip_packed result is unpacked. */
static int on_rpc_result(sess_client *c, mt_rd *r)
{
    uint64_t req = (uint64_t)tl_rd_long(r);
    if (r->err || rd_left(r) < 4)
        return MT_E_MSG_BODY_MALFORMED;
    const uint8_t *res = r->p;
    size_t len = rd_left(r);
    if (ld32le(res) == MTP_ID_gzip_packed) {
        int err = core_gunzip(&c->core, r->p, rd_left(r), &res, &len);
        if (err)
            return err;
    }
    sess_stored *e = core_store_find(&c->core, req);
    if (e)
        core_store_drop(&c->core, e);
    emit_event(c,
               &(sess_event){.kind = SESS_EV_RPC_RESULT, .msg_id = req, .body = res, .len = len});
    return MT_OK;
}

/* future_salts {req_msg_id, now, salts}: stored for sess_client_salt. */
static int on_future_salts(sess_client *c, mt_rd *r)
{
    uint64_t req = (uint64_t)tl_rd_long(r);
    (void)tl_rd_int(r); /* now */
    uint32_t n = tl_rd_vector(r, false, SALT_FUTURE_MAX, 16);
    sess_salt list[SALT_FUTURE_MAX];
    for (uint32_t i = 0; i < n; i++) {
        list[i].valid_since = (uint32_t)tl_rd_int(r);
        list[i].valid_until = (uint32_t)tl_rd_int(r);
        list[i].salt = tl_rd_long(r);
    }
    if (rd_done(r) != MT_OK)
        return MT_E_MSG_BODY_MALFORMED;
    for (uint32_t i = 0; i < n; i++)
        salts_learn(&c->future, list[i].salt, list[i].valid_since, list[i].valid_until);
    sess_stored *e = core_store_find(&c->core, req);
    if (e)
        core_store_drop(&c->core, e);
    emit_event(c, &(sess_event){.kind = SESS_EV_FUTURE_SALTS, .msg_id = req, .value = n});
    return MT_OK;
}

int client_dispatch(sess_client *c, const mt_msg *m, const uint8_t *body, size_t len, sess_out *out)
{
    mt_rd r = rd_init(body, len);
    uint32_t id = rd_u32le(&r);
    if (r.err)
        return MT_E_MSG_BODY_MALFORMED;
    switch (id) {
    case MTP_ID_bad_msg_notification:
        return on_bad_msg(c, m, &r, false, out);
    case MTP_ID_bad_server_salt:
        return on_bad_msg(c, m, &r, true, out);
    case MTP_ID_new_session_created:
        return on_new_session(c, &r, out);
    case MTP_ID_pong:
        return on_pong(c, &r);
    case MTP_ID_msgs_ack:
        return on_ack(c, &r);
    case MTP_ID_rpc_result:
        return on_rpc_result(c, &r);
    case MTP_ID_future_salts:
        return on_future_salts(c, &r);
    case MTP_ID_msgs_state_info:
    case MTP_ID_msgs_all_info:
    case MTP_ID_msg_detailed_info:
    case MTP_ID_msg_new_detailed_info:
    case MTP_ID_destroy_session_ok:
    case MTP_ID_destroy_session_none:
        emit_event(c, &(sess_event){
                          .kind = SESS_EV_SERVICE, .msg_id = m->msg_id, .body = body, .len = len});
        return MT_OK;
    default:
        emit_event(c, &(sess_event){
                          .kind = SESS_EV_UPDATE, .msg_id = m->msg_id, .body = body, .len = len});
        return MT_OK;
    }
}
