/*
 * What the server sends, checked as a strict client checks it (issue 8 "Fault-injection proof";
 * mtproto-notes §5.7): a server that breaks a rule must be named by that rule, not only by the
 * scenario's expectation going unmet. The harness as client runs these on every server message;
 * the first rule broken ends the scenario (conform_run.c) with failed_rule set to it.
 *
 * "Incoming msg_id is odd (server -> client), not a duplicate"; the +-30/300 s window; seqno
 * parity of rpc_result, acks and containers; "before trusting a bad_msg_notification, the client
 * must check that it really sent bad_msg_id recently"; bad_server_salt carries the salt to use from
 * now on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "harness/conform_peer.h"
#include "proto/container.h"
#include "proto/session_check.h"
#include "proto/tl_mtp.h"

void cf_violation(cf_peer *p, int rule, const char *fmt, ...)
{
    const mt_rule *r = mt_rule_of(rule);
    if (p->violation || !r)
        return;
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    p->violation = rule;
    snprintf(p->vwhy, sizeof p->vwhy, "the %s broke %s: %s", p->server ? "client" : "server", r->id,
             what);
    cf_logf(p, "! %s", p->vwhy);
}

static void note_id(cf_peer *p, uint64_t id, int64_t salt)
{
    size_t i = p->n_sent++ % CF_SENT;
    p->sent[i].id = id;
    p->sent[i].salt = salt;
}

void cf_check_sent(cf_peer *p, const mt_msg_hdr *h, const uint8_t *body, size_t len)
{
    if (p->server)
        cf_client_sent(p, h, body, len);
    note_id(p, h->msg_id, (int64_t)h->salt);
    bool known = false;
    for (size_t i = 0; i < p->n_sess && !known; i++)
        known = p->sessions[i] == h->session_id;
    if (!known)
        p->sessions[p->n_sess++ % CF_SESS] = h->session_id;
    uint32_t ctor = len >= 4 ? ld32le(body) : 0;
    if (ctor == MTP_ID_gzip_packed)
        p->opaque = true; /* it may pack a container whose ids we do not read */
    if (ctor != MTP_ID_msg_container)
        return;
    mt_msg in[64];
    size_t k = 0;
    if (container_unpack(body, len, h->msg_id, h->seq_no, in, 64, &k) != 0)
        p->opaque = true; /* a broken or huge container: its ids are not all known */
    for (size_t i = 0; i < k; i++)
        note_id(p, in[i].msg_id, (int64_t)h->salt);
}

/* The salt a sent message carried, or false when the harness does not remember it. */
static bool sent_salt(const cf_peer *p, uint64_t id, int64_t *salt)
{
    size_t n = p->n_sent < CF_SENT ? p->n_sent : CF_SENT;
    for (size_t i = 0; i < n; i++)
        if (p->sent[i].id == id) {
            *salt = p->sent[i].salt;
            return true;
        }
    return false;
}

void cf_check_session(cf_peer *p, uint64_t session_id)
{
    for (size_t i = 0; i < p->n_sess; i++)
        if (p->sessions[i] == session_id)
            return;
    if (p->n_sess)
        cf_violation(p, MT_E_MSG_SESSION_MISMATCH, "session_id %#llx is none the client used",
                     (unsigned long long)session_id);
}

static bool known_code(int32_t c)
{
    return (c >= 16 && c <= 20) || (c >= 32 && c <= 35) || c == 48 || c == 64;
}

/* bad_msg_notification and bad_server_salt: the id must be one we sent, the code one the spec
 * defines; a new salt is taken, and a salt the server named less than a salt period ago must not
 * be refused ("the old salt is accepted for another 1800 s"). */
static void check_bad_msg(cf_peer *p, const uint8_t *b, size_t n)
{
    bool salt = ld32le(b) == MTP_ID_bad_server_salt;
    if (n != (salt ? 28u : 20u)) {
        cf_violation(p, MT_E_MSG_BODY_MALFORMED, "%s of %zu bytes",
                     salt ? "bad_server_salt" : "bad_msg_notification", n);
        return;
    }
    uint64_t bad_id = ld64le(b + 4);
    int32_t code = (int32_t)ld32le(b + 16);
    int64_t used = 0;
    bool sent = sent_salt(p, bad_id, &used);
    if (!sent && !p->opaque)
        cf_violation(p, MT_E_BAD_MSG_NOTIFICATION_UNKNOWN_ID, "bad_msg_id %#llx was never sent",
                     (unsigned long long)bad_id);
    else if (!salt && !known_code(code))
        cf_violation(p, MT_E_BAD_MSG_NOTIFICATION_UNKNOWN_CODE, "error_code %d", (int)code);
    if (!salt)
        return;
    uint64_t now = clock_now(p->tg->clock);
    if (code != 48)
        cf_violation(p, MT_E_BAD_MSG_NOTIFICATION_UNKNOWN_CODE, "bad_server_salt with code %d",
                     (int)code);
    else if (sent && p->has_named && used == p->named_salt &&
             now - p->named_at < (uint64_t)SALT_PERIOD_S * NS_PER_S)
        cf_violation(p, MT_E_BAD_SERVER_SALT, "it refused the salt %#llx it named %llus before",
                     (unsigned long long)used,
                     (unsigned long long)((now - p->named_at) / NS_PER_S));
    p->prev_salt = p->salt;
    p->salt = p->named_salt = (int64_t)ld64le(b + 20);
    p->has_named = true;
    p->named_at = now;
}

/* msg_id: odd, inside the time window of the server's clock, not seen before. */
static void check_id(cf_peer *p, uint64_t id, bool top)
{
    if (sess_check_parity(id, false) != 0) {
        cf_violation(p, MT_E_SERVER_MSGID_EVEN, "msg_id %#llx is even", (unsigned long long)id);
        return;
    }
    if (top && sess_check_time(id, clock_now(p->tg->clock)) != 0) {
        cf_violation(
            p, MT_E_SERVER_MSGID_TIME_WINDOW, "msg_id %#llx is %+llds from now",
            (unsigned long long)id,
            (long long)((int64_t)(id >> 32) - (int64_t)(clock_now(p->tg->clock) / NS_PER_S)));
        return;
    }
    size_t n = p->n_recv < CF_RECV ? p->n_recv : CF_RECV;
    for (size_t i = 0; i < n; i++)
        if (p->recv[i] == id) {
            cf_violation(p, MT_E_MSGID_DUPLICATE, "msg_id %#llx received twice",
                         (unsigned long long)id);
            return;
        }
    p->recv[p->n_recv++ % CF_RECV] = id;
}

void cf_check_msg(cf_peer *p, uint64_t msg_id, uint32_t seqno, const uint8_t *b, size_t n, bool top)
{
    if (p->server)
        return;
    check_id(p, msg_id, top);
    uint32_t ctor = n >= 4 ? ld32le(b) : 0;
    /* Only what is certain: rpc_result "must itself be acked" (content-related, odd); acks and
     * containers "must not be marked content-related" (even). Service notifications are left
     * alone: servers differ on them. */
    if (ctor == MTP_ID_rpc_result && !(seqno & 1))
        cf_violation(p, MT_E_SEQNO_EXPECTED_ODD, "rpc_result with seqno %u", seqno);
    else if ((ctor == MTP_ID_msgs_ack || ctor == MTP_ID_msg_container) && (seqno & 1))
        cf_violation(p, MT_E_SEQNO_EXPECTED_EVEN, "%s with seqno %u",
                     ctor == MTP_ID_msgs_ack ? "msgs_ack" : "msg_container", seqno);
    if (ctor == MTP_ID_bad_msg_notification || ctor == MTP_ID_bad_server_salt)
        check_bad_msg(p, b, n);
}
