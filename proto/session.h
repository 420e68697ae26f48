/*
 * The session layer's two engines, server and client (spec/mtproto-notes.md §3, §4; pages
 * service_messages, service_messages_about_messages). Sans-I/O: they take decrypted messages
 * {msg_id, seqno, body} with the packet's salt and session_id (from the framing layer), and write
 * the messages to send into a caller's sess_out. The clock and the RNG are injected; nothing here
 * reads the wall clock, the system RNG or a socket, and nothing is allocated.
 *
 * The server answers each client message per the rules: bad_msg_notification (16..64),
 * bad_server_salt (48) with the right salt, new_session_created, pong, ping_delay_disconnect
 * (close_at_ns), msgs_ack, msg_resend_req, msgs_state_req -> msgs_state_info, destroy_session,
 * get_future_salts, http_wait, and rpc_result / rpc_error around a caller's RPC handler.
 * The client sends queries and pings, and reacts: bad_server_salt -> new salt and resend;
 * bad_msg_notification 16/17 -> clock correction and resend, 20 -> resend, 18/19/32..35/64 ->
 * fatal; new_session_created -> ack and resend older queries; pong; rpc_result -> ack and deliver;
 * future_salts kept. Both ack content-related messages within SESS_ACK_DELAY_NS.
 * docs/session.md has the reaction table.
 */
#ifndef MTPROOF_PROTO_SESSION_H
#define MTPROOF_PROTO_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"
#include "proto/container.h"
#include "proto/msgid.h"
#include "proto/session_check.h"

/* "A standalone ack when more than 16 are pending"; otherwise acks wait at most this long. */
#define SESS_ACK_BATCH    16u
#define SESS_ACK_DELAY_NS (1ull * NS_PER_S)
/* "Each of msgs_ack, msgs_state_req and msg_resend_req carries at most 8192 ids." */
#define SESS_MAX_IDS 8192u
/* Messages kept for resend and matching (queries, pings, content-related answers). */
#define SESS_STORE_MAX      32u
#define SESS_STORE_BODY_MAX 4096u
/* Ids of recent non-stored sends (acks), to check bad_msg_id against. */
#define SESS_SENT_RING 64u
/* Earlier sessions the server remembers for destroy_session. */
#define SESS_OLD_SESSIONS 8u

/* ---- output: messages written into caller buffers ---- */
typedef struct sess_out {
    uint8_t *buf; /* message bodies */
    size_t cap;
    size_t used;
    mt_msg *msgs; /* msgs[i].body points into buf */
    size_t max;
    size_t n;
} sess_out;

void sess_out_init(sess_out *o, uint8_t *buf, size_t cap, mt_msg *msgs, size_t max);
/* Forgets the messages written (after the caller has sent them). */
void sess_out_clear(sess_out *o);

/* ---- shared engine state (internal; flat and copyable) ---- */
typedef struct sess_stored {
    uint64_t msg_id;
    uint32_t seqno;
    uint32_t len;
    uint32_t off; /* the body: sess_core.arena[off .. off + len) */
    bool acked;
} sess_stored;

typedef struct sess_core {
    const mt_clock *clock;
    mt_rng *rng;
    bool server;
    mt_msgid_gen gen;
    uint32_t sent_count; /* content-related messages sent: the next one gets 2 * count + 1 */
    sess_window seen;    /* ids received */
    uint64_t acks[SESS_ACK_BATCH + 1];
    uint32_t nacks;
    uint64_t acks_since_ns;
    sess_stored store[SESS_STORE_MAX];
    uint32_t nstore;
    uint32_t arena_used; /* bytes of arena holding the kept bodies */
    uint64_t sent_ring[SESS_SENT_RING];
    uint32_t sent_pos;
    uint8_t *work; /* caller's buffer for unpacked gzip_packed objects */
    size_t work_cap;
    /* The kept bodies, packed in store order (dropping one moves only the bodies after it). Last,
     * and never zeroed as a whole: only arena[0 .. arena_used) is ever read, so an engine touches
     * as many bytes as its kept messages need (a relay connection keeps small messages), not
     * SESS_STORE_MAX full-size ones. */
    uint8_t arena[SESS_STORE_MAX * SESS_STORE_BODY_MAX];
} sess_core;

/* ---- server ---- */

/* The caller's RPC handler: writes the result object for query[0..len) to out (at most cap
 * bytes) and sets *out_len. Returns 0, MT_E_unimplemented for an unknown method (the engine then
 * answers rpc_error 400 INPUT_METHOD_INVALID), or another error (rpc_error 500). */
typedef int (*sess_rpc_fn)(void *ctx, uint64_t req_msg_id, const uint8_t *query, size_t len,
                           uint8_t *out, size_t cap, size_t *out_len);

typedef struct sess_server_cfg {
    const mt_clock *clock;
    mt_rng *rng;
    sess_rpc_fn rpc; /* may be NULL: every query is unknown */
    void *rpc_ctx;
    uint8_t *work; /* for gzip_packed queries; NULL refuses them (GZIP_BOMB) */
    size_t work_cap;
    /* The auth key's salt schedule, shared by every session of the key ("salts belong to the auth
     * key, not the session", mtproto-notes §4), owned by the caller and outliving the
     * engine; seed it with the handshake's server_salt (salts_learn). NULL: the engine keeps a
     * schedule of its own, random from the start. */
    sess_salts *salts;
} sess_server_cfg;

typedef struct sess_server {
    sess_rpc_fn rpc;
    void *rpc_ctx;
    sess_salts salts;         /* used when shared_salts is NULL */
    sess_salts *shared_salts; /* sess_server_cfg.salts */
    bool has_session;
    uint64_t session_id;
    uint64_t old_sessions[SESS_OLD_SESSIONS];
    uint32_t nold;
    uint64_t close_at_ns; /* ping_delay_disconnect or a limit: close the connection then; 0 none */
    int close_code;       /* a transport error to send before closing (-429), or 0 */
    int32_t http_wait[3]; /* max_delay, wait_after, max_wait (ms) of the last http_wait */
    sess_core core;       /* last: its arena is not zeroed at init */
} sess_server;

MT_WUR int sess_server_init(sess_server *s, const sess_server_cfg *cfg);
/* One decrypted client message with the salt and session_id of its packet. Answers go to out.
 * Returns 0 when everything was accepted, else the first rule broken (the reaction is already in
 * out: bad_msg_notification, bad_server_salt, rpc_error, or nothing for a drop), or a tool error
 * (no_space when out is full: enlarge it; the state is then partly updated). */
MT_WUR int sess_server_feed(sess_server *s, int64_t salt, uint64_t session_id, const mt_msg *in,
                            sess_out *out);
/* Timers: sends the pending msgs_ack when due and renews the salt schedule. */
MT_WUR int sess_server_tick(sess_server *s, sess_out *out);
/* The salt the server's own packets carry now. */
int64_t sess_server_salt(sess_server *s);
/* The schedule the engine checks salts against (its own or the shared one). */
sess_salts *sess_server_salts(sess_server *s);

/*
 * Messages the caller adds to the engine's output (the session keeps msg_ids increasing and
 * seqnos counted, so they go through it):
 * sess_server_push: a message the server sends on its own (an update): a fresh msg_id with
 *   "msg_id mod 4 = 3" (not a response), seqno 2n + 1 when content-related (it is kept for
 *   msg_resend_req and must be acked) or 2n (msgs_ack, bad_msg_notification...).
 * sess_server_reply: the same for an answer to a client message ("mod 4 = 1").
 * msg_id may be NULL. Errors: no_space (out full), rng_failure.
 */
MT_WUR int sess_server_push(sess_server *s, const uint8_t *body, size_t len, sess_out *out,
                            uint64_t *msg_id);
MT_WUR int sess_server_reply(sess_server *s, const uint8_t *body, size_t len, sess_out *out,
                             uint64_t *msg_id);
/* msg_id and seqno for a msg_container the caller builds around messages of out: a fresh id
 * ("mod 4 = 3"), greater than theirs, and an even seqno ("not content-related") that does not
 * advance the count. */
MT_WUR int sess_server_container_id(sess_server *s, uint64_t *msg_id, uint32_t *seqno);
/* When sess_server_tick next has work (pending acks due) or the connection must close
 * (close_at_ns), in clock ns; UINT64_MAX when neither. */
uint64_t sess_server_next_timer(const sess_server *s);

/* ---- client ---- */

enum sess_ev_kind {
    SESS_EV_RPC_RESULT,   /* msg_id = req_msg_id; body = the result (unpacked if gzip_packed) */
    SESS_EV_PONG,         /* msg_id = the ping's msg_id; value = ping_id */
    SESS_EV_NEW_SESSION,  /* value = first_msg_id */
    SESS_EV_FUTURE_SALTS, /* value = how many were stored */
    SESS_EV_RESENT,  /* ref_id = old msg_id, msg_id = new one; code = why (16, 17, 20, 48, 0) */
    SESS_EV_FATAL,   /* rule = the rule of the code; code = the bad_msg_notification code */
    SESS_EV_SERVICE, /* msgs_state_info, destroy_session_*, msg_detailed_info ...: body */
    SESS_EV_UPDATE,  /* any other object from the server: body */
};

typedef struct sess_event {
    enum sess_ev_kind kind;
    uint64_t msg_id;
    uint64_t ref_id;
    int64_t value;
    int rule;
    int code;
    const uint8_t *body;
    size_t len;
} sess_event;

typedef void (*sess_event_fn)(void *ctx, const sess_event *ev);

typedef struct sess_client_cfg {
    const mt_clock *clock;
    mt_rng *rng;
    uint64_t session_id;
    int64_t salt; /* the first salt (from the handshake's server_salt) */
    sess_event_fn on_event;
    void *event_ctx;
    uint8_t *work; /* for gzip_packed answers; NULL refuses them (GZIP_BOMB) */
    size_t work_cap;
} sess_client_cfg;

typedef struct sess_client {
    sess_event_fn on_event;
    void *event_ctx;
    uint64_t session_id;
    int64_t salt;
    uint32_t salt_since; /* server seconds when salt was taken */
    sess_salts future;   /* from future_salts */
    bool synced;         /* the time offset came from a server msg_id */
    int fatal;           /* 0, or the rule that ended the session */
    uint64_t first_msg_id;
    sess_core core; /* last: its arena is not zeroed at init */
} sess_client;

MT_WUR int sess_client_init(sess_client *c, const sess_client_cfg *cfg);
/* Sends one message (a query or any object). Content-related ones (sess_is_content_related) are
 * kept (body up to SESS_STORE_BODY_MAX, else limit_exceeded) until answered, for resends.
 * Refused with the fatal rule once the session has failed. */
MT_WUR int sess_client_send(sess_client *c, const uint8_t *body, size_t len, sess_out *out,
                            uint64_t *msg_id);
/* ping (disconnect_delay <= 0) or ping_delay_disconnect. */
MT_WUR int sess_client_ping(sess_client *c, int64_t ping_id, int32_t disconnect_delay,
                            sess_out *out, uint64_t *msg_id);
/* One decrypted server message. Reactions go to out, results to on_event. Returns 0, the rule of
 * a dropped message, or a tool error. */
MT_WUR int sess_client_feed(sess_client *c, const mt_msg *in, sess_out *out);
/* Timers: sends the pending msgs_ack when due. */
MT_WUR int sess_client_tick(sess_client *c, sess_out *out);
/* The salt for the client's next packet (switches to a stored future salt when its time comes). */
int64_t sess_client_salt(sess_client *c);

#endif
