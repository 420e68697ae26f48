/*
 * Inbound checks of the session layer (spec/mtproto-notes.md §3, §4; pages mtproto/description,
 * service_messages_about_messages, security_guidelines). Each function returns 0 or the rule the
 * message breaks (MT_E_<RULE>); the engines (proto/session.h) turn rules into wire reactions.
 *
 * msg_id: "A receiver ignores msg_ids more than 30 s in the future or more than 300 s in the past,
 * keeps the last N ids and ignores an id that is lower than all of them or equal to any."
 * seqno (error codes 32/33): "the server has already received a message with a lower msg_id but
 * with either a higher or an equal and odd seqno" (32), and the mirror case (33). Salts: "changed
 * every 30 min; the old salt is accepted for another 1800 s".
 */
#ifndef MTPROOF_PROTO_SESSION_CHECK_H
#define MTPROOF_PROTO_SESSION_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"
#include "proto/msgid.h"

/* N, the number of msg_ids a receiver keeps (tdlib MessageIdDuplicateChecker<1000>). */
#define SESS_MSGID_WINDOW 1000u
/* The inbound time window (-300 s, +30 s); both edges are still accepted. */
#define SESS_PAST_NS   (300ull * NS_PER_S)
#define SESS_FUTURE_NS (30ull * NS_PER_S)

/* What a receiver remembers of a message (the msgs_state_info status byte, §3). */
enum {
    SEEN_RECEIVED = 4,    /* received */
    SEEN_ACKED = 8,       /* already acked */
    SEEN_NO_ACK = 16,     /* needs no ack */
    SEEN_ANSWERED = 64,   /* content-related answer already generated */
    SEEN_CONTAINER = 0x80 /* internal: the id was a container's (not sent on the wire) */
};

typedef struct sess_seen {
    uint64_t id;
    uint32_t seqno;
    uint8_t state; /* SEEN_* */
} sess_seen;

/* The last SESS_MSGID_WINDOW ids received, sorted ascending (the lowest falls out when full). */
typedef struct sess_window {
    sess_seen e[SESS_MSGID_WINDOW];
    uint32_t n;
} sess_window;

void sess_window_init(sess_window *w);
/* The entry for id, or NULL. */
sess_seen *sess_window_find(sess_window *w, uint64_t id);
/* Records id (not already present). When full, the lowest id is forgotten. */
void sess_window_add(sess_window *w, uint64_t id, uint32_t seqno, uint8_t state);
/* Whether an id is lower than every stored id of a full window (nothing can be said of it). */
bool sess_window_below(const sess_window *w, uint64_t id);

/* Forgets id: a message the receiver refused after all (it was never accepted). */
void sess_window_forget(sess_window *w, uint64_t id);
/* The msgs_state_info status byte (§3) of a client's id in a server's window of the client's ids:
 * its SEEN_* state when stored; 1 "nothing known" below a full window or for an id that is not a
 * client's; 3 "not received, too high" above every stored id; 2 "not received" otherwise. */
uint8_t sess_window_status(const sess_window *w, uint64_t id);

/* Two low bits: from a client, id % 4 == 0 (else MSGID_BAD_PARITY); from a server, id odd (else
 * SERVER_MSGID_EVEN). */
MT_WUR int sess_check_parity(uint64_t msg_id, bool from_client);
/* The time window around now_ns (the receiver's idea of server time): MSGID_TOO_LOW below
 * now - 300 s, MSGID_TOO_HIGH above now + 30 s. */
MT_WUR int sess_check_time(uint64_t msg_id, uint64_t now_ns);
/* Against the stored ids: MSG_TOO_OLD when below a full window, CONTAINER_MSGID_REUSED when a
 * container's id was seen, MSGID_DUPLICATE when any other id was. */
MT_WUR int sess_check_window(const sess_window *w, uint64_t msg_id, bool is_container);
/* seqno parity by content-relatedness (SEQNO_EXPECTED_EVEN / _ODD), then order against the
 * neighbours in the window: SEQNO_TOO_LOW when a lower id has a higher seqno (or the same odd one),
 * SEQNO_TOO_HIGH when a higher id has a lower seqno (or the same odd one). */
MT_WUR int sess_check_seqno(const sess_window *w, uint64_t msg_id, uint32_t seqno,
                            bool content_related);

/* "msgs_ack, msg_container, msg_copy and gzip_packed must not be marked content-related"; every
 * other message is (a gzip_packed is judged by the object it packs: see session.c). */
bool sess_is_content_related(uint32_t ctor_id);
/* What a server sends: the same, except bad_msg_notification and bad_server_salt, which "need no
 * ack" (service_messages_about_messages) and so are not content-related ("a message requiring an
 * explicit acknowledgment", mtproto/description). One predicate for both ends: the engines' seqno
 * of what they send (session.c) and the client's check of what it receives
 * (sess_check_server_seqno). */
bool sess_server_content_related(uint32_t ctor_id);
/* A server message's seqno parity: odd when content-related, even otherwise; ctor_id is the
 * object's (a gzip_packed's is that of the object it packs; a container is never content-related,
 * its messages are checked one by one). SERVER_SEQNO_PARITY when wrong. */
MT_WUR int sess_check_server_seqno(uint32_t ctor_id, uint32_t seqno);

/* ---- server salts ---- */

/* Salts change every 30 min; a salt stays accepted for 1800 s after its period. */
#define SALT_PERIOD_S 1800u
#define SALT_GRACE_S  1800u
/* get_future_salts: "num ... between 1 and 64". */
#define SALT_FUTURE_MAX 64u
/* The server keeps the salts of the grace period, the current one and 64 future ones. */
#define SALT_SCHED_MAX (SALT_FUTURE_MAX + 3u)

typedef struct sess_salt {
    int64_t salt;
    uint32_t valid_since; /* Unix seconds */
    uint32_t valid_until;
} sess_salt;

typedef struct sess_salts {
    sess_salt s[SALT_SCHED_MAX]; /* ascending valid_since */
    uint32_t n;
    /* The second of the last salts_refresh, +1 (0: none since init or salts_learn). A refresh is
     * a function of the second and the schedule, so a second one in the same second is skipped:
     * a busy server refreshes once a second per key, not once per message. */
    uint32_t refreshed;
} sess_salts;

void salts_init(sess_salts *s);
/* Server: forgets salts past their grace and appends random ones (one per SALT_PERIOD_S, aligned to
 * the period) until SALT_FUTURE_MAX salts start after now. */
MT_WUR int salts_refresh(sess_salts *s, uint64_t now_ns, mt_rng *rng);
/* Appends (or replaces from valid_since on) a salt learned from future_salts/new_session_created;
 * the schedule stays sorted and bounded (the oldest is dropped when full). */
void salts_learn(sess_salts *s, int64_t salt, uint32_t valid_since, uint32_t valid_until);
/* The salt in force at now (the one with the latest valid_since <= now); false when none. */
bool salts_current(const sess_salts *s, uint64_t now_ns, int64_t *salt);
/* 0 when some salt with valid_since <= now < valid_until + SALT_GRACE_S equals salt, else
 * BAD_SERVER_SALT. */
MT_WUR int salts_check(const sess_salts *s, uint64_t now_ns, int64_t salt);
/* Up to num salts (1..64) whose period has not ended, current first. Returns the count. */
uint32_t salts_future(const sess_salts *s, uint64_t now_ns, uint32_t num, sess_salt *out);

#endif
