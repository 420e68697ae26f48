/* Encrypted packets: the key by auth_key_id ("-404: auth key unknown"), mt_msg_unpack with x = 0,
 * the connection's session engine (proto/session.h) with the relay's RPC handler, and the answers
 * packed with x = 8: one packet per feed, a msg_container when there are several messages. */
#include <stdlib.h>
#include <string.h>

#include "common/cursor.h"
#include "common/rules.h"
#include "reference-peers/relay_internal.h"

void relay_sess_free(relay_sess *s)
{
    mt_auth_key_wipe(&s->key);
    free(s);
}

int relay_sess_attach(relay *r, relay_conn *c, relay_key *k)
{
    if (c->sess && memcmp(c->sess->key.id, k->key.id, MT_AUTH_KEY_ID_LEN) == 0)
        return MT_OK;
    if (c->sess)
        relay_sess_free(c->sess);
    relay_sess *s = c->sess = calloc(1, sizeof *s);
    if (!s)
        return MT_E_no_memory;
    s->key = k->key;
    s->conn = c;
    s->r = r;
    sess_server_cfg sc = {r->cfg.clock, r->cfg.rng,       relay_rpc, s,
                          r->work,      RELAY_WORK_BYTES, &k->salts};
    int err = sess_server_init(&s->s, &sc);
    if (err)
        return err;
    s->gate = (mt_bind_gate){.srv = &r->bind,
                             .conn = {.auth_key_id = mt_bind_key_id(&k->key),
                                      .temporary = k->temp,
                                      .key_expires_at = k->expires_at},
                             .sess = &s->s};
    if (r->cfg.hooks.key_used)
        r->cfg.hooks.key_used(r->cfg.hooks.ctx, c->id, &s->key);
    return MT_OK;
}

/* The key an encrypted packet names, if the relay holds it and it has not expired. */
static relay_key *live_key(relay *r, const uint8_t *p)
{
    relay_key *k = relay_key_find(r, p);
    if (k && k->temp && k->expires_at <= (int64_t)(relay_now(r) / NS_PER_S))
        return NULL;
    return k;
}

/* A quick ack, sent once the packet decrypted and its msg_key matched: "Quick-ack token =
 * little-endian uint32 of msg_key_large[0:4], OR 0x80000000" (mtproto-notes §6; kdf.h), where
 * msg_key_large = SHA256(auth_key[88:120] ‖ plaintext with padding). */
static void send_quick_ack(relay *r, relay_conn *c, size_t plain_len)
{
    uint8_t msg_key[MT_MSG_KEY_LEN], large[MT_MSG_KEY_LARGE_LEN];
    if (mt_msg_key_v2(c->sess->key.key, MT_X_CLIENT, r->plain, plain_len, msg_key, large) == MT_OK)
        relay_quick_ack(r, c, mt_quick_ack_token(large));
    memset(large, 0, sizeof large);
}

static int reject(relay *r, relay_conn *c, int rule)
{
    r->st.errors++;
    relay_fail_rule(r, c, rule);
    return rule;
}

int relay_encrypted(relay *r, relay_conn *c, const uint8_t *p, size_t n)
{
    relay_key *k = live_key(r, p);
    if (!k)
        return reject(r, c, MT_E_MSG_AUTH_KEY_ID_UNKNOWN);
    int err = relay_sess_attach(r, c, k);
    if (err)
        return err;
    relay_sess *s = c->sess;
    mt_msg_view v;
    int rule = mt_msg_unpack(&s->key, MT_X_CLIENT, NULL, p, n, r->plain, r->plain_cap, &v);
    if (rule)
        return mt_err_is_rule(rule) ? reject(r, c, rule) : rule;
    if (c->quick_ack)
        send_quick_ack(r, c, n - MT_MSG_OUTER_LEN);
    mt_msg m = {v.hdr.msg_id, v.hdr.seq_no, v.body, v.body_len};
    sess_out_clear(&r->out);
    /* Answers go to the session the client used, even those sent before the engine adopts it
     * (bad_server_salt, bad_msg_notification). */
    s->reply_session = v.hdr.session_id;
    rule = sess_server_feed(&s->s, (int64_t)v.hdr.salt, v.hdr.session_id, &m, &r->out);
    if (rule && !mt_err_is_rule(rule))
        relay_log(r, RELAY_LOG_ERROR, c->id, "session: %s", mt_err_name(rule));
    err = relay_violate_extra(r, s, &m, mt_err_is_rule(rule) ? rule : 0, &r->out);
    if (!err)
        err = relay_flush(r, c, &r->out);
    memset(r->plain, 0, n - MT_MSG_OUTER_LEN);
    if (s->s.close_at_ns && s->s.close_at_ns <= relay_now(r))
        relay_fail(r, c, s->s.close_code);
    if (err)
        return err;
    return mt_err_is_rule(rule) ? rule : MT_OK;
}

/* Several messages travel in one msg_container: "a container's msg_id is strictly greater than
 * the msg_ids of the messages it holds" and its seqno is even (not content-related). */
static int container(relay *r, relay_sess *s, const sess_out *o, mt_msg *m)
{
    mt_wr w = wr_init(r->cbuf, RELAY_OUT_BYTES + 16u * RELAY_OUT_MSGS + 64);
    int err = container_pack(&w, o->msgs, o->n);
    if (!err)
        err = w.err;
    if (err)
        return err;
    err = sess_server_container_id(&s->s, &m->msg_id, &m->seqno);
    if (relay_violating(r, MT_E_CONTAINER_INNER_ID_NOT_BELOW))
        m->msg_id = o->msgs[0].msg_id - 2; /* odd still, but below the message it holds */
    m->body = r->cbuf;
    m->len = wr_len(&w);
    return err;
}

int relay_flush(relay *r, relay_conn *c, sess_out *o)
{
    relay_sess *s = c->sess;
    if (!s || o->n == 0 || c->closing) {
        sess_out_clear(o);
        return MT_OK;
    }
    mt_msg m = o->msgs[0];
    bool wrap = o->n > 1 || relay_violating(r, MT_E_CONTAINER_INNER_ID_NOT_BELOW);
    int err = wrap ? container(r, s, o, &m) : MT_OK;
    size_t plen = 0;
    if (!err)
        err = relay_pack(r, s, &m, r->pkt, MT_MSG_PACKED_MAX(m.len) + 64, &plen);
    sess_out_clear(o);
    if (err)
        return err;
    s->packets_out++;
    /* The same packet twice: its msg_ids are duplicates the second time. */
    int copies = relay_violating(r, MT_E_MSGID_DUPLICATE) ? 2 : 1;
    for (int i = 0; i < copies; i++)
        (void)relay_send_packet(r, c, r->pkt, plen);
    return MT_OK;
}

bool relay_push(relay *r, relay_conn *c, const uint8_t *body, size_t len)
{
    if (!c->sess || c->closing)
        return false;
    sess_out_clear(&r->push);
    c->sess->reply_session = c->sess->s.session_id;
    int err = sess_server_push(&c->sess->s, body, len, &r->push, NULL);
    if (!err)
        err = relay_flush(r, c, &r->push);
    if (err)
        relay_log(r, RELAY_LOG_ERROR, c->id, "push: %s", mt_err_name(err));
    return !err && !c->closing;
}

void relay_sess_tick(relay *r, relay_conn *c, uint64_t now, uint64_t *next)
{
    relay_sess *s = c->sess;
    if (!s)
        return;
    if (s->s.close_at_ns && now >= s->s.close_at_ns) {
        /* ping_delay_disconnect ran out, or a limit closed the session. */
        relay_log(r, RELAY_LOG_INFO, c->id, "session close");
        relay_fail(r, c, s->s.close_code);
        return;
    }
    sess_out_clear(&r->out);
    s->reply_session = s->s.session_id;
    int err = sess_server_tick(&s->s, &r->out);
    if (!err)
        err = relay_flush(r, c, &r->out);
    if (err)
        relay_log(r, RELAY_LOG_ERROR, c->id, "tick: %s", mt_err_name(err));
    uint64_t at = sess_server_next_timer(&s->s);
    if (at < *next)
        *next = at;
}
