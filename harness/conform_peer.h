/*
 * The harness's own side of a conversation (issue 8 "Runner"): its transport engine, auth key,
 * session, salt, msg_id generator and seqno counter, from which it builds every message, with any
 * field overridden, out of the primitives (proto/message.h, proto/transport.h); and the queue of
 * what came back, decrypted and split out of containers, for expect steps to match.
 */
#ifndef MTPROOF_HARNESS_CONFORM_PEER_H
#define MTPROOF_HARNESS_CONFORM_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/drbg.h"
#include "harness/target.h"
#include "proto/handshake.h"
#include "proto/handshake_server.h"
#include "proto/http.h"
#include "proto/kdf.h"
#include "proto/message.h"
#include "proto/msgid.h"
#include "proto/session_check.h"
#include "proto/transport.h"

#define CF_QUEUE     128
#define CF_PAYLOAD   ((size_t)1 << 18)
#define CF_SENT      512               /* ids the harness sent, for bad_msg_notification checks */
#define CF_RECV      256               /* ids the server sent, for duplicates */
#define CF_SESS      8                 /* session ids the harness used */
#define CF_HTTP_HELD 16                /* payloads the harness as HTTP server holds */
#define CF_HTTP_IN   ((size_t)1 << 16) /* request bytes buffered while one waits */

typedef enum cf_kind { CF_MSG, CF_PLAIN, CF_TERR, CF_QACK } cf_kind;

typedef struct cf_item {
    cf_kind kind;
    uint64_t msg_id;
    uint32_t seqno;
    int32_t code;  /* CF_TERR: the transport error; CF_QACK: the token */
    uint8_t *body; /* CF_MSG: message_data; CF_PLAIN: the whole unencrypted packet */
    size_t len;
} cf_item;

typedef struct cf_peer cf_peer;
typedef struct cf_clock {
    mt_clock c;
    cf_peer *p;
} cf_clock;

struct cf_peer {
    bool server; /* the harness plays the server */
    target *tg;
    cf_clock clock; /* the target's clock plus skew_ns */
    int64_t skew_ns;
    mt_drbg drbg;
    char transport[32];
    mt_transport tr;
    bool http;      /* transport "http": hc instead of tr (harness/conform_http.c) */
    http_client hc; /* its body buffer is rx */
    bool connected, closed;
    bool has_key;
    mt_auth_key key;
    bool has_perm, has_perm2; /* the keys of the two handshakes before (the bind step) */
    mt_auth_key perm, perm2;
    bool has_session;
    uint64_t session_id;
    int64_t salt, prev_salt;
    mt_msgid_gen ids;
    uint32_t content_sent;
    uint32_t last_seqno;
    uint64_t first_sent, last_sent, prev_sent, last_recv;
    uint8_t nonce[HS_NONCE_LEN], server_nonce[HS_NONCE_LEN], new_nonce[HS_NEW_NONCE_LEN];
    cf_item q[CF_QUEUE];
    size_t nq;
    /* The server's messages checked as a strict client would (conform_check.c): the first rule
     * the server broke, which ends the scenario naming it. */
    int violation;
    char vwhy[200];
    struct {
        uint64_t id;
        int64_t salt;
    } sent[CF_SENT];
    size_t n_sent;
    uint64_t recv[CF_RECV];
    size_t n_recv;
    uint64_t sessions[CF_SESS];
    size_t n_sess;
    bool framed;        /* server: the client's framing was checked against `transport` */
    bool opaque;        /* sent bytes whose msg_ids the harness does not know (raw, frame, wire) */
    bool has_named;     /* the server named a salt (handshake or bad_server_salt) ... */
    int64_t named_salt; /* ... this one ... */
    uint64_t named_at;  /* ... at this time of its clock */
    /* Harness as server (conform_check_client.c): the ids of the client's current session, kept
     * as the server engine keeps them, for the checks a server makes of what a client sends. */
    sess_window cwin;
    uint64_t csession;
    bool has_csession;
    struct cf_e2e *e2e;     /* the harness as room peer (harness/conform_e2e.h), or NULL */
    struct cf_peer *log_to; /* a further connection logs into the first's transcript ... */
    char tag[24];           /* ... its lines starting "[tag] " (harness/conform_multi.c) */
    char *log;              /* the transcript, text lines */
    size_t log_len, log_cap;
    /* Harness as HTTP server (conform_http_server.c): the request engine (its body buffer is rx),
     * the request bytes not read yet, and payloads held until the client's next request. */
    http_server hs;
    size_t hin_len;
    uint8_t *hout[CF_HTTP_HELD];
    size_t hout_len[CF_HTTP_HELD], n_hout;
    uint8_t rx[CF_PAYLOAD];
    uint8_t plain[CF_PAYLOAD];
    uint8_t hin[CF_HTTP_IN];
};

/* Envelope overrides of one send (docs/scenarios.md "Envelope overrides"); has_* say which. */
typedef struct cf_env {
    bool has_msg_id, has_seqno, has_salt, has_session, has_len, has_pad;
    uint64_t msg_id;
    uint32_t seqno;
    int64_t salt;
    uint64_t session;
    uint32_t length;
    size_t padding;
    mt_msg_override ovr; /* auth_key_id, msg_key */
    size_t split;        /* write the wire bytes in chunks of this many (0: at once) */
    bool quick_ack;
} cf_env;

void cf_peer_init(cf_peer *p, target *tg, bool server, uint64_t seed);
void cf_peer_free(cf_peer *p);
void cf_logf(cf_peer *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint64_t cf_now(cf_peer *p);

/* Opens a connection with transport name ("intermediate", "obf2-abridged"). */
MT_WUR int cf_connect(cf_peer *p, const char *transport, char *why, size_t cap);
/* Frames and writes one transport payload. */
MT_WUR int cf_send_payload(cf_peer *p, const uint8_t *pl, size_t n, const cf_env *env);
/* Raw bytes onto the connection. */
MT_WUR int cf_send_wire(cf_peer *p, const uint8_t *b, size_t n, size_t split);
/* An encrypted message with body; the envelope's derived fields unless overridden. */
MT_WUR int cf_send_msg(cf_peer *p, const uint8_t *body, size_t len, const cf_env *env);
/* An unencrypted message. */
MT_WUR int cf_send_plain(cf_peer *p, const uint8_t *body, size_t len, const cf_env *env);
/* The next msg_id of the harness's kind, and the seqno a body of ctor id gets. */
MT_WUR int cf_next_msg_id(cf_peer *p, uint64_t *id);
uint32_t cf_next_seqno(cf_peer *p, uint32_t ctor_id);
/* Records a sent message (for `last`, `prev`, `first`). */
void cf_note_sent(cf_peer *p, uint64_t id, uint32_t seqno);

/* ---- checks of what the server sends (conform_check.c), harness as client ---- */
/* Records that the server broke rule (the first one is kept). */
void cf_violation(cf_peer *p, int rule, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Notes a sent encrypted message: its id, salt, session, and a container's inner ids. */
void cf_check_sent(cf_peer *p, const mt_msg_hdr *h, const uint8_t *body, size_t len);
/* The server's message (top-level or inside a container): ids, seqno, service messages. */
void cf_check_msg(cf_peer *p, uint64_t msg_id, uint32_t seqno, const uint8_t *b, size_t n,
                  bool top);
/* A packet's session_id against the sessions the harness used. */
void cf_check_session(cf_peer *p, uint64_t session_id);

/* ---- checks of what the client sends (conform_check_client.c), harness as server ---- */
/* The client's encrypted message (container split inside): msg_id parity and time window, the
 * stored ids, seqno parity and order, container structure. */
void cf_check_client(cf_peer *p, const mt_msg_hdr *h, const uint8_t *body, size_t len);
/* A message the harness as server sent: the client's ids it says it refused are forgotten. */
void cf_client_sent(cf_peer *p, const mt_msg_hdr *h, const uint8_t *body, size_t len);
/* msgs_state_req of the client (it, whose object is b[0..n)) answered with msgs_state_info: one
 * status byte per id, from what the harness received (sess_window_status). */
MT_WUR int cf_answer_state_req(cf_peer *p, const cf_item *it, const uint8_t *b, size_t n);

/* One transport payload from the peer: a 4-byte transport error, a plain or encrypted packet. */
MT_WUR int cf_packet(cf_peer *p, const uint8_t *pl, size_t n);
/* The HTTP transport of the harness as client (harness/conform_http.c). */
MT_WUR int cf_http_open(cf_peer *p);
MT_WUR int cf_http_frame(cf_peer *p, const uint8_t *pl, size_t n, uint8_t *w, size_t cap,
                         size_t *len);
MT_WUR int cf_http_feed(cf_peer *p, const uint8_t *in, size_t n);
/* The HTTP transport of the harness as server (harness/conform_http_server.c): each request body
 * is one payload; each payload answers the waiting request, or waits for the next one. */
void cf_http_srv_open(cf_peer *p);
void cf_http_srv_free(cf_peer *p);
MT_WUR int cf_http_srv_send(cf_peer *p, const uint8_t *pl, size_t n);
MT_WUR int cf_http_srv_feed(cf_peer *p, const uint8_t *in, size_t n);
/* Reads for at most timeout_ns until the queue grows or the peer closes. */
MT_WUR int cf_pump(cf_peer *p, uint64_t timeout_ns);
/* Drops queue item i. */
void cf_drop(cf_peer *p, size_t i);

/* The handshake (harness as client: create a key; as server: answer the client's). fault: a
 * client fault of replay_fault.c or an hss_fault name; stop: "req_pq", "req_dh", "set_dh" (return
 * after sending it). Returns 0, or a rule/tool error with why set. */
typedef struct cf_hs_opts {
    const char *fault;
    const char *stop;
    bool temp;
    int32_t expires;
    int32_t dc;
    const char *b_hex;      /* harness as client: the DH exponent b, 512 hex digits, or NULL */
    const char *steer;      /* harness as client: "key0" or "gb0" (conform_steer.c), or NULL */
    const char *a_hex;      /* harness as server: its exponent a (g_a steered), or NULL */
    const char *prime_hex;  /* harness as server: dh_prime offered (512 hex digits), or NULL */
    int32_t g;              /* harness as server: g offered (0: the engine's default 3) */
    bool strict;            /* harness as server: refuse the deprecated handshake forms */
    const rsa_public *pub;  /* harness as client */
    const rsa_private *key; /* harness as server */
    uint64_t timeout_ns;
} cf_hs_opts;
/* The bind step (harness/conform_bind.c): auth.bindTempAuthKey of the current key to perm;
 * fault: NULL or one of its fault names. */
MT_WUR int cf_bind(cf_peer *p, const char *fault, char *why, size_t cap);
MT_WUR int cf_handshake(cf_peer *p, const cf_hs_opts *o, char *why, size_t cap);
/* hs_client_fixed.choose_b of `steer=` (harness/conform_steer.c): b of every attempt such that
 * auth_key (key0) or g_b (gb0) has a zero first byte; ctx is a cf_steer. */
typedef struct cf_steer {
    cf_peer *p;
    bool key0;
} cf_steer;
bool cf_steer_b(void *ctx, unsigned attempt, const uint8_t dh_prime[DH_BYTES], int32_t g,
                const uint8_t g_a[DH_BYTES], uint8_t b[DH_BYTES]);
/* Harness as server (conform_hs_edges.c): a transcript line naming the edges the new key and g_a
 * reached (leading zero bytes). */
void cf_hs_log_edges(cf_peer *p, const hss *hs);

#endif
