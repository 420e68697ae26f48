/*
 * The reference client's private state (reference-peers/client_core.h), shared by its files:
 * client_core.c (lifecycle, events, the public calls), client_wire.c (transport / HTTP),
 * client_auth.c (handshakes and auth.bindTempAuthKey), client_session.c (encrypted session,
 * query queue), client_relay.c (the relay API and the end-to-end engine).
 *
 * Memory: one allocation per client, every buffer a named constant; nothing is sized by what the
 * server sends (a packet over PCLIENT_PACKET_MAX is the transport's limit_exceeded).
 */
#ifndef MTPROOF_PEERS_CLIENT_INTERNAL_H
#define MTPROOF_PEERS_CLIENT_INTERNAL_H

#include "common/rules.h"
#include "crypto/prime.h"
#include "proto/e2e.h"
#include "proto/http.h"
#include "proto/session.h"
#include "reference-peers/client_core.h"

/* The largest packet the client reads: e2e envelopes are at most E2E_ENVELOPE_MAX, so 64 KiB
 * holds a container of several updatePayloads with room to spare. */
#define PCLIENT_PACKET_MAX ((size_t)64 << 10)
/* Unsent wire bytes: a few packets. Over it, calls that send return no_space (drain output). */
#define PCLIENT_OUT_MAX ((size_t)4 * (PCLIENT_PACKET_MAX + MT_TRANSPORT_MAX_OVERHEAD + 512))
/* Queries waiting to enter the session (kind, length, body each). */
#define PCLIENT_QUEUE_MAX ((size_t)64 << 10)
/* Queries sent and not yet answered, tracked by msg_id. */
#define PCLIENT_PENDING_MAX SESS_STORE_MAX
/* Messages the session engine may write per call (acks, resends, queries). */
#define PCLIENT_SESS_MSGS 64u
#define PCLIENT_SESS_BUF  ((size_t)48 << 10)
/* HTTP long poll: how long the server may hold our empty request (http_wait max_wait). Short,
 * because one connection carries both directions and our sends wait behind the held request. */
#define PCLIENT_HTTP_WAIT_MS 500
/* auth.bindTempAuthKey retries and new temporary keys before giving up. */
#define PCLIENT_BIND_TRIES 3u
#define PCLIENT_ROOM_MAX   64u /* RELAY_ROOM_NAME_MAX */

typedef enum pc_phase {
    PC_INIT,
    PC_HS_PERM, /* creating the permanent key */
    PC_HS_TEMP, /* creating the temporary key */
    PC_BIND,    /* auth.bindTempAuthKey sent */
    PC_JOIN,    /* relay.join sent */
    PC_WAITING, /* joinedWaiting: until updateReady */
    PC_READY,   /* room ready: the e2e key exchange runs */
    PC_CHAT,    /* e2e key agreed */
    PC_LEAVING, /* relay.leave sent */
    PC_DONE,
} pc_phase;

/* What a queued or pending query is. */
typedef enum pc_query_kind { PCQ_NONE, PCQ_BIND, PCQ_JOIN, PCQ_SEND, PCQ_LEAVE } pc_query_kind;

typedef struct pc_pending {
    uint64_t msg_id;
    pc_query_kind kind;
} pc_pending;

struct pclient {
    pclient_config cfg;
    pc_phase phase;
    bool done;
    int err;       /* the rule (or tool error) that ended the run, 0 otherwise */
    bool in_event; /* inside a session or e2e callback: sends are queued, not made */

    /* wire */
    mt_transport tr;
    http_client http;
    uint8_t rx[PCLIENT_PACKET_MAX]; /* the transport's (or HTTP's) payload buffer */
    uint8_t out[PCLIENT_OUT_MAX];
    size_t out_off, out_len;

    /* keys */
    prime_cache primes;
    hs_client hs;
    hs_result perm, temp;
    bool have_perm, have_temp;
    uint64_t perm_at_ns; /* when the permanent key was created or loaded */
    unsigned bind_tries;
    const mt_auth_key *key; /* the key the session uses (perm or temp) */

    /* session */
    bool sess_up;
    sess_client sess;
    uint64_t session_id;
    uint8_t sbuf[PCLIENT_SESS_BUF];
    mt_msg smsgs[PCLIENT_SESS_MSGS];
    sess_out so;
    uint8_t work[PCLIENT_PACKET_MAX]; /* gzip_packed answers */
    uint8_t plain[PCLIENT_PACKET_MAX];
    uint8_t pkt[PCLIENT_PACKET_MAX + 1024]; /* a packet being built */
    uint8_t queue[PCLIENT_QUEUE_MAX];
    size_t queue_len;
    pc_pending pending[PCLIENT_PENDING_MAX];

    /* relay and e2e */
    char room[PCLIENT_ROOM_MAX + 1];
    bool originator;
    e2e *e2e;
};

/* client_core.c */
void pc_emit(pclient *c, const pclient_event *ev);
/* Ends the run with an ERROR event naming err; returns err. */
int pc_fail(pclient *c, int err, const char *what);
/* Whether the run stops at this stage (cfg.stop_after): then STOPPED is sent and the run ends. */
bool pc_reached(pclient *c, pclient_stage stage);

/* client_wire.c */
MT_WUR int pc_wire_init(pclient *c);
/* Frames one packet into the output (HTTP: one request). */
MT_WUR int pc_wire_send(pclient *c, const uint8_t *packet, size_t n);
/* Socket bytes in; each whole packet goes to pc_on_packet. */
MT_WUR int pc_wire_feed(pclient *c, const uint8_t *in, size_t n);
/* HTTP: a request is out and unanswered (packets must wait). Always false otherwise. */
bool pc_wire_busy(const pclient *c);
MT_WUR int pc_on_packet(pclient *c, const uint8_t *p, size_t n);

/* client_auth.c */
MT_WUR int pc_auth_start(pclient *c);
MT_WUR int pc_auth_packet(pclient *c, const uint8_t *p, size_t n);
/* The answer to our auth.bindTempAuthKey. */
/* Sends the queued bind through the session (from pc_flush). */
MT_WUR int pc_auth_bind_send(pclient *c, uint64_t *msg_id);
MT_WUR int pc_auth_bind_result(pclient *c, const uint8_t *res, size_t n);

/* client_session.c */
MT_WUR int pc_sess_start(pclient *c, const hs_result *key);
MT_WUR int pc_sess_packet(pclient *c, const uint8_t *p, size_t n);
/* Queues a query (body may be NULL for PCQ_BIND). */
MT_WUR int pc_query(pclient *c, pc_query_kind kind, const uint8_t *body, size_t n);
/* Moves queued queries into the session and sends what the session wrote. */
MT_WUR int pc_flush(pclient *c);
MT_WUR int pc_sess_tick(pclient *c, uint64_t *deadline);

/* client_relay.c */
MT_WUR int pc_relay_join(pclient *c);
MT_WUR int pc_relay_result(pclient *c, pc_query_kind kind, const uint8_t *res, size_t n);
MT_WUR int pc_relay_update(pclient *c, const uint8_t *body, size_t n);
MT_WUR int pc_relay_leave(pclient *c);

/* client_e2e.c */
MT_WUR int pc_e2e_start(pclient *c);
MT_WUR int pc_e2e_feed(pclient *c, const uint8_t *data, size_t n);
void pc_e2e_tick(pclient *c);
void pc_e2e_free(pclient *c);

#endif
