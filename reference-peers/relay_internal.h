/*
 * Internal state of the relay core (reference-peers/relay_core.h), shared by its files:
 *   relay_core.c     life cycle, connection table, output queues, timers, stats
 *   relay_keys.c     the auth-key table (hash by auth_key_id)
 *   relay_conn.c     transport detection and framing, plain vs encrypted dispatch, limits
 *   relay_http.c     connections of the HTTP transport
 *   relay_hs.c       one handshake server engine per connection, keys created
 *   relay_sess.c     encrypted packets: unpack, session engine, packing the answers, pushes
 *   relay_rpc.c      the RPC handler: wrappers, help.*, the bind gate, relay.* dispatch
 *   relay_rooms.c    rooms: join, send, leave
 *   relay_room_table.c  rooms by name (hash table) and the waiting list
 *   relay_violate.c  rules broken on purpose (--violate)
 * Not a public API.
 */
#ifndef MTPROOF_PEERS_RELAY_INTERNAL_H
#define MTPROOF_PEERS_RELAY_INTERNAL_H

#include "proto/bind.h"
#include "proto/handshake_server.h"
#include "proto/http.h"
#include "proto/message.h"
#include "proto/session.h"
#include "proto/transport.h"
#include "reference-peers/relay_core.h"

/* The relay answers as DC 2 (help.getConfig, help.getNearestDc). */
#define RELAY_THIS_DC 2
/* Messages one session feed may produce, and their bytes (a relay.updatePayload is the largest
 * single answer; acks and service answers are small). */
#define RELAY_OUT_MSGS  256u
#define RELAY_OUT_BYTES (RELAY_PAYLOAD_MAX + (64u << 10))
/* The gzip work buffer shared by every session (one feed runs at a time). */
#define RELAY_WORK_BYTES (64u << 10)
/* Bytes a connection reads before its transport is known. */
#define RELAY_DETECT_MAX 8u
/* The smallest receive buffer, whatever max_frame says. */
#define RELAY_MIN_FRAME 4096u

typedef struct relay_key {
    mt_auth_key key;
    bool temp;
    int64_t expires_at; /* unix seconds, 0 for permanent keys */
    /* The key's server salts, shared by all its sessions (sess_server_cfg.salts): the
     * handshake's server_salt first ("server_salt: the first salt"), then one per 30 min. */
    sess_salts salts;
} relay_key;

typedef struct relay_room relay_room;
typedef struct relay_conn relay_conn;

/* A connection's session: the engine, the key it runs under, the bind gate in front of the
 * relay's handler. */
typedef struct relay_sess {
    sess_server s;
    mt_auth_key key;
    mt_bind_gate gate;
    relay_conn *conn;
    struct relay *r;
    uint32_t packets_out;   /* encrypted packets sent (some violations spare the first) */
    uint64_t reply_session; /* the session_id our packets carry */
} relay_sess;

typedef enum relay_conn_state {
    RC_DETECT, /* reading the first bytes */
    RC_FRAMED, /* an mt_transport engine */
    RC_HTTP,   /* the HTTP server engine */
} relay_conn_state;

struct relay_conn {
    uint32_t id;
    relay_conn_kind kind;
    relay_conn_state state;
    bool closing;
    bool counted;      /* holds one of max_conns */
    bool transport;    /* t is initialised */
    bool quick_ack;    /* the packet being handled asked for a quick ack (its framing's flag) */
    int32_t fail_code; /* a transport error waiting for the client's first bytes (its framing) */
    uint8_t head[RELAY_DETECT_MAX];
    size_t head_len;
    mt_transport t;
    http_server http;
    uint8_t *rx; /* payload buffer of the transport or HTTP engine */
    size_t rx_cap;
    hss *hs;          /* the handshake in progress, or NULL */
    relay_sess *sess; /* the encrypted session, or NULL */
    relay_room *room;
    uint64_t opened_ns, last_input_ns;
    /* Output not yet written: out[off..len). */
    uint8_t *out;
    size_t out_off, out_len, out_cap;
    /* HTTP: answers waiting for a request (whole packets, each prefixed by its u32 length). */
    uint8_t *hq;
    size_t hq_len, hq_cap;
    bool http_held;
    relay_conn *prev, *next; /* the list of open connections */
};

struct relay_room {
    char name[RELAY_ROOM_NAME_MAX + 1];
    relay_conn *member[2]; /* member[0] joined first */
    relay_room *chain;     /* the next room of its hash bucket */
    bool waiting;          /* one member: on the waiting list */
    relay_room *wprev, *wnext;
};

struct relay {
    relay_config cfg;
    relay_limits lim;
    int *violate; /* copy of cfg.violate */
    relay_stats st;
    /* connections: slots[id - 1] (ids are never reused), and the open list */
    relay_conn **slots;
    uint32_t nslots, slots_cap;
    relay_conn *open;
    /* keys */
    relay_key **keys;
    uint32_t nkeys, keys_cap; /* open addressing; keys_cap a power of two */
    int64_t keys_expire_at;   /* the earliest expires_at of a temporary key, or INT64_MAX */
    /* rooms: hash buckets (rooms_cap, a power of two) by name, and the waiting list */
    relay_room **rooms;
    uint32_t nrooms, rooms_cap;
    uint64_t room_seed; /* keys the name hash (from the RNG at relay_new) */
    relay_room *wait_head, *wait_tail;
    uint32_t room_seq;
    /* handshake rate: starts within the current second */
    uint64_t hs_second;
    uint32_t hs_count;
    /* binding table and gate shared by every session */
    mt_bind_server bind;
    /* scratch, one feed at a time */
    uint8_t *plain; /* decrypted packets (rx_cap of the largest frame) */
    size_t plain_cap;
    uint8_t *work;                     /* gzip */
    uint8_t *obuf, *pbuf, *cbuf, *pkt; /* session outputs, container body, packed packet */
    mt_msg omsgs[RELAY_OUT_MSGS], pmsgs[RELAY_OUT_MSGS];
    sess_out out, push;
    uint8_t *body; /* building pushed objects */
};

/* relay_core.c */
relay_conn *relay_conn_get(const relay *r, uint32_t id);
void relay_log(relay *r, relay_log_level lv, uint32_t conn, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
uint64_t relay_now(const relay *r);
/* Room for n wire bytes at the end of conn's output; NULL when that would pass max_pending
 * (unless force) or memory is short. relay_out_commit appends what was written there. */
uint8_t *relay_out_reserve(relay *r, relay_conn *c, size_t n, bool force);
void relay_out_commit(relay *r, relay_conn *c, size_t n);
/* Sends transport error code (or nothing when 0) and marks the connection closing. */
void relay_fail(relay *r, relay_conn *c, int32_t code);
/* Sends the transport error held in fail_code, now that the framing is known, and closes. */
void relay_fail_deferred(relay *r, relay_conn *c);
/* The reaction of a rule: its transport error (or a plain close) and closing. */
void relay_fail_rule(relay *r, relay_conn *c, int rule);

/* relay_keys.c */
relay_key *relay_key_find(const relay *r, const uint8_t id[MT_AUTH_KEY_ID_LEN]);
/* Adds (or updates) a key. first_salt: the handshake's server_salt, which opens the key's salt
 * schedule (valid from now for SALT_PERIOD_S); NULL: a random schedule (a reloaded key). */
MT_WUR int relay_key_put(relay *r, const mt_auth_key *k, bool temp, int64_t expires_at,
                         const int64_t *first_salt);
/* Removes the temporary keys expired at unix time now: the connections using one are closed
 * (-404, as their next packet would get), its binding is dropped. Returns the next expiry
 * (unix seconds) or INT64_MAX. */
int64_t relay_keys_expire(relay *r, int64_t now);
bool relay_key_exists_cb(void *ctx, const uint8_t id[MT_AUTH_KEY_ID_LEN]);
const mt_auth_key *relay_find_perm_cb(void *ctx, int64_t auth_key_id);
void relay_keys_free(relay *r);

/* relay_conn.c */
/* One transport payload (an MTProto packet) from conn. Returns 0 or the rule it broke. */
int relay_packet(relay *r, relay_conn *c, const uint8_t *p, size_t n);
/* Frames one packet into conn's output (or queues it for an HTTP request). False: the
 * connection is slow and now closing. */
bool relay_send_packet(relay *r, relay_conn *c, const uint8_t *p, size_t n);
int relay_feed_framed(relay *r, relay_conn *c, const uint8_t *in, size_t n);
/* Sends the quick-ack token of an accepted packet that asked for one (not full, not HTTP). */
void relay_quick_ack(relay *r, relay_conn *c, uint32_t token);

/* relay_http.c */
int relay_feed_http(relay *r, relay_conn *c, const uint8_t *in, size_t n);
bool relay_http_queue(relay *r, relay_conn *c, const uint8_t *p, size_t n);
void relay_http_tick(relay *r, relay_conn *c, uint64_t now, uint64_t *next);

/* relay_hs.c */
int relay_handshake(relay *r, relay_conn *c, const uint8_t *p, size_t n);

/* relay_sess.c */
/* The session of conn for key k: kept while the client uses the same key, a new one otherwise. */
MT_WUR int relay_sess_attach(relay *r, relay_conn *c, relay_key *k);
int relay_encrypted(relay *r, relay_conn *c, const uint8_t *p, size_t n);
/* Packs every message of o for conn's session and sends them; clears o. */
MT_WUR int relay_flush(relay *r, relay_conn *c, sess_out *o);
/* Pushes one object to conn as a non-RPC message (relay.update*). false: conn is slow. */
bool relay_push(relay *r, relay_conn *c, const uint8_t *body, size_t len);
void relay_sess_free(relay_sess *s);
void relay_sess_tick(relay *r, relay_conn *c, uint64_t now, uint64_t *next);

/* relay_rpc.c */
int relay_rpc(void *ctx, uint64_t req_msg_id, const uint8_t *query, size_t len, uint8_t *out,
              size_t cap, size_t *out_len);
/* An rpc_error object into out. */
MT_WUR int relay_rpc_error(int32_t code, const char *text, uint8_t *out, size_t cap,
                           size_t *out_len);

/* relay_rpc.c: the minimal updates.state answering updates.getState. */
int relay_updates_state(relay *r, uint8_t *out, size_t cap, size_t *out_len);

/* relay_rooms.c: the relay.* methods (and updates.getState); query starts with the method id. */
int relay_api(void *ctx, uint64_t req_msg_id, const uint8_t *query, size_t len, uint8_t *out,
              size_t cap, size_t *out_len);
void relay_room_leave(relay *r, relay_conn *c);

/* relay_room_table.c: rooms by name (hash table) and the waiting list. */
relay_room *relay_room_find(const relay *r, const uint8_t *name, size_t len);
/* A new room named name, or a fresh "room-N" when name is NULL; NULL when memory is short. */
relay_room *relay_room_new(relay *r, const uint8_t *name, size_t len);
/* After a member change: the room joins or leaves the waiting list. */
void relay_room_update(relay *r, relay_room *room);
/* The room waiting longest for a second member, or NULL. */
relay_room *relay_room_waiting(const relay *r);
void relay_room_drop(relay *r, relay_room *room);
void relay_rooms_free(relay *r);

/* relay_violate.c */
bool relay_violating(const relay *r, int rule);
hss_fault relay_hss_fault(const relay *r);
/* Packs one message (or container) under the session's key, with the session violations. */
MT_WUR int relay_pack(relay *r, relay_sess *s, const mt_msg *m, uint8_t *out, size_t cap,
                      size_t *out_len);
/* Framing violations: before a packet is framed (full transport seq) and on the framed bytes
 * (full transport CRC). */
void relay_violate_preframe(relay *r, relay_conn *c);
void relay_violate_frame(relay *r, relay_conn *c, uint8_t *wire, size_t n);
/* Changes to the answers of one feed of client message in (which broke rule, or 0): a wrong
 * salt in bad_server_salt, silence for unknown methods, bad_msg_notification added. */
MT_WUR int relay_violate_extra(relay *r, relay_sess *s, const mt_msg *in, int rule, sess_out *o);

#endif
