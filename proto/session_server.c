/* The server engine: inbound checks in the order of mtproto-notes §5.7 and the bad_msg codes of
 * §3, sessions, and timers (proto/session.h). Service messages: session_server_svc.c. */
#include <stddef.h>
#include <string.h>

#include "common/rules.h"
#include "proto/session_server_internal.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"

int sess_server_init(sess_server *s, const sess_server_cfg *cfg)
{
    memset(s, 0, offsetof(sess_server, core)); /* core_init zeroes the core but its arena */
    core_init(&s->core, cfg->clock, cfg->rng, true, cfg->work, cfg->work_cap);
    s->rpc = cfg->rpc;
    s->rpc_ctx = cfg->rpc_ctx;
    /* http_wait defaults: "max_delay=0, wait_after=0, max_wait=25000 ms". */
    s->http_wait[2] = 25000;
    salts_init(&s->salts);
    s->shared_salts = cfg->salts;
    return salts_refresh(sess_server_salts(s), core_now(&s->core), s->core.rng);
}

sess_salts *sess_server_salts(sess_server *s)
{
    return s->shared_salts ? s->shared_salts : &s->salts;
}

int64_t sess_server_salt(sess_server *s)
{
    int64_t salt = 0;
    (void)salts_current(sess_server_salts(s), core_now(&s->core), &salt);
    return salt;
}

int sess_server_push(sess_server *s, const uint8_t *body, size_t len, sess_out *out,
                     uint64_t *msg_id)
{
    return core_emit(&s->core, out, false, body, len, msg_id);
}

int sess_server_reply(sess_server *s, const uint8_t *body, size_t len, sess_out *out,
                      uint64_t *msg_id)
{
    return core_emit(&s->core, out, true, body, len, msg_id);
}

int sess_server_container_id(sess_server *s, uint64_t *msg_id, uint32_t *seqno)
{
    sess_core *k = &s->core;
    *seqno = 2 * k->sent_count;
    return msgid_next(&k->gen, k->clock, k->rng, MSGID_SERVER_OTHER, msg_id);
}

uint64_t sess_server_next_timer(const sess_server *s)
{
    uint64_t at = s->close_at_ns ? s->close_at_ns : UINT64_MAX;
    if (s->core.nacks) {
        uint64_t ack_at = s->core.acks_since_ns + SESS_ACK_DELAY_NS;
        at = ack_at < at ? ack_at : at;
    }
    return at;
}

/* bad_msg_notification {bad_msg_id, bad_msg_seqno, error_code} (or bad_server_salt with the
 * right salt for code 48), for the rule the message broke. Returns the rule. */
static int reject(sess_server *s, const mt_msg *m, int rule, sess_out *out)
{
    const mt_rule *r = mt_rule_of(rule);
    if (!r || (r->reaction != RX_BAD_MSG && r->reaction != RX_BAD_SERVER_SALT))
        return rule; /* a silent drop */
    size_t room;
    uint8_t *p = core_begin(out, &room); /* before room is read: argument order is unspecified */
    mt_wr w = wr_init(p, room);
    wr_u32le(&w, r->reaction == RX_BAD_MSG ? MTP_ID_bad_msg_notification : MTP_ID_bad_server_salt);
    tl_wr_long(&w, (int64_t)m->msg_id);
    tl_wr_int(&w, (int32_t)m->seqno);
    tl_wr_int(&w, r->code);
    if (r->reaction == RX_BAD_SERVER_SALT)
        tl_wr_long(&w, sess_server_salt(s));
    if (w.err)
        return w.err;
    int err = core_commit(&s->core, out, true, wr_len(&w), NULL);
    return err ? err : rule;
}

/* A session_id the server has not seen starts a new session: "new_session_created ... means
 * messages older than first_msg_id must be resent". It must be acked (content-related). */
static int new_session(sess_server *s, uint64_t session_id, uint64_t first_msg_id, sess_out *out)
{
    if (s->has_session) {
        memmove(&s->old_sessions[1], &s->old_sessions[0],
                (SESS_OLD_SESSIONS - 1) * sizeof s->old_sessions[0]);
        s->old_sessions[0] = s->session_id;
        if (s->nold < SESS_OLD_SESSIONS)
            s->nold++;
    }
    s->has_session = true;
    s->session_id = session_id;
    core_reset_session(&s->core);
    uint8_t r[8];
    int err = rng_fill(s->core.rng, r, sizeof r);
    if (err)
        return err;
    size_t room;
    uint8_t *p = core_begin(out, &room); /* before room is read: argument order is unspecified */
    mt_wr w = wr_init(p, room);
    wr_u32le(&w, MTP_ID_new_session_created);
    tl_wr_long(&w, (int64_t)first_msg_id);
    tl_wr_long(&w, (int64_t)ld64le(r));
    tl_wr_long(&w, sess_server_salt(s));
    if (w.err)
        return w.err;
    return core_commit(&s->core, out, false, wr_len(&w), NULL);
}

/* The checks every message gets, inner ones included: parity, time, window, seqno. */
static int check_one(sess_server *s, const mt_msg *m, bool cr)
{
    int err = sess_check_parity(m->msg_id, true);
    if (!err)
        err = sess_check_time(m->msg_id, core_now(&s->core));
    if (!err)
        err = sess_check_window(&s->core.seen, m->msg_id, false);
    if (!err)
        err = sess_check_seqno(&s->core.seen, m->msg_id, m->seqno, cr);
    return err;
}

/* One message (top level or inside a container): gzip_packed is judged by what it packs. */
static int handle_one(sess_server *s, const mt_msg *m, sess_out *out)
{
    const uint8_t *body = m->body;
    size_t len = m->len;
    if (body_id(body, len) == MTP_ID_gzip_packed) {
        int gerr = core_gunzip(&s->core, m->body, m->len, &body, &len);
        if (gerr)
            return gerr;
    }
    /* Containers do not nest, and gzip_packed is no way around that. */
    if (body_id(body, len) == MTP_ID_msg_container)
        return reject(s, m, MT_E_CONTAINER_NESTED, out);
    bool cr = sess_is_content_related(body_id(body, len));
    int err = check_one(s, m, cr);
    if (err)
        return reject(s, m, err, out);
    sess_window_add(&s->core.seen, m->msg_id, m->seqno,
                    (uint8_t)(SEEN_RECEIVED | (cr ? 0 : SEEN_NO_ACK)));
    if (cr) {
        err = core_ack(&s->core, out, m->msg_id);
        if (err)
            return err;
    }
    err = server_dispatch(s, m, body, len, out);
    if (err == MT_E_ACK_TOO_MANY_IDS) {
        /* -429: "a container or service-message limit reached"; then the connection closes. */
        s->close_code = mt_rule_of(err)->code;
        s->close_at_ns = clock_now(s->core.clock);
    }
    return err;
}

/* A container: its own id and seqno, then its structure (accepted or refused whole), then each
 * message on its own. */
static int handle_container(sess_server *s, const mt_msg *in, sess_out *out)
{
    static const size_t cap = CONTAINER_MAX_MESSAGES;
    mt_msg inner[CONTAINER_MAX_MESSAGES];
    size_t n = 0;
    int err = sess_check_window(&s->core.seen, in->msg_id, true);
    if (!err && (in->seqno & 1))
        err = MT_E_SEQNO_EXPECTED_EVEN;
    if (!err)
        err = container_unpack(in->body, in->len, in->msg_id, in->seqno, inner, cap, &n);
    if (err)
        return reject(s, in, err, out);
    sess_window_add(&s->core.seen, in->msg_id, in->seqno,
                    SEEN_RECEIVED | SEEN_NO_ACK | SEEN_CONTAINER);
    int first = MT_OK;
    for (size_t i = 0; i < n; i++) {
        err = handle_one(s, &inner[i], out);
        if (err && !mt_err_is_rule(err))
            return err;
        if (!first)
            first = err;
    }
    return first;
}

/* The lowest msg_id a packet carries: the session's first message. */
static uint64_t first_id(const mt_msg *in, bool container)
{
    uint64_t first = in->msg_id;
    mt_msg inner[CONTAINER_MAX_MESSAGES];
    size_t n = 0;
    if (container && container_unpack(in->body, in->len, in->msg_id, in->seqno, inner,
                                      CONTAINER_MAX_MESSAGES, &n) == MT_OK)
        for (size_t i = 0; i < n; i++)
            first = inner[i].msg_id < first ? inner[i].msg_id : first;
    return first;
}

int sess_server_feed(sess_server *s, int64_t salt, uint64_t session_id, const mt_msg *in,
                     sess_out *out)
{
    uint64_t now = core_now(&s->core);
    int err = salts_refresh(sess_server_salts(s), now, s->core.rng);
    if (err)
        return err;
    err = sess_check_parity(in->msg_id, true);
    if (!err)
        err = sess_check_time(in->msg_id, now);
    if (!err)
        err = salts_check(sess_server_salts(s), now, salt);
    if (err)
        return reject(s, in, err, out);
    bool container = body_id(in->body, in->len) == MTP_ID_msg_container;
    if (!s->has_session || session_id != s->session_id) {
        err = new_session(s, session_id, first_id(in, container), out);
        if (err)
            return err;
    }
    return container ? handle_container(s, in, out) : handle_one(s, in, out);
}

int sess_server_tick(sess_server *s, sess_out *out)
{
    int err = salts_refresh(sess_server_salts(s), core_now(&s->core), s->core.rng);
    return err ? err : core_tick(&s->core, out);
}
