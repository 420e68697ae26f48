/*
 * The relay without I/O: every connection of `mtproof relay` as a sans-I/O engine (DESIGN.md
 * "Reference peers"; issue 7). The libuv program (relay_uv.c), the conformance harness's builtin
 * target (harness/) and the load benchmark all drive this one core; only they touch sockets.
 *
 * A connection is opened (relay_open), fed the bytes its socket read (relay_feed), and its output
 * is taken with relay_output / relay_output_done. Output can appear on a connection that was not
 * fed (a room peer's payload, relay.updateReady, relay.updatePeerLeft): hooks.wake names it.
 * Timers (acks, idle timeouts, ping_delay_disconnect, salt rotation, temporary keys expiring,
 * the wait of a connection over max_conns) run in relay_tick, which returns the next deadline. The
 * clock and the RNG are injected; a virtual clock and a DRBG make a run byte-exact (the harness),
 * the monotonic clock and the OS RNG serve the program.
 *
 * Per connection: the transport is detected from the first bytes (abridged, intermediate, padded,
 * full, obfuscated2; HTTP when opened with RELAY_CONN_HTTP), unencrypted packets go to a
 * handshake server engine (proto/handshake_server.h; permanent and temporary keys), encrypted
 * ones are looked up by auth_key_id (unknown: -404), unpacked (proto/message.h) and handed to the
 * session engine (proto/session.h), whose RPC handler is the relay API (proto/schema/relay.tl,
 * auth.bindTempAuthKey, invokeWithLayer / initConnection / help.getConfig, rpc_error for the rest).
 *
 * Memory: the core allocates per connection and per room, bounded by relay_limits (a connection
 * over a limit is closed with the rule's reaction); never by a size a peer sends.
 */
#ifndef MTPROOF_PEERS_RELAY_CORE_H
#define MTPROOF_PEERS_RELAY_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"
#include "crypto/rsa.h"
#include "proto/kdf.h"
#include "proto/msgid.h"

/* Defaults of the limits (flags of `mtproof relay`). */
#define RELAY_DEF_MAX_CONNS        4096u
#define RELAY_DEF_MAX_FRAME        ((uint32_t)1 << 20)
#define RELAY_DEF_MAX_PENDING      ((uint32_t)4 << 20)
#define RELAY_DEF_IDLE_NS          (300ull * NS_PER_S)
#define RELAY_DEF_HANDSHAKES_PER_S 2000u
#define RELAY_ROOM_NAME_MAX        64u /* bytes of [A-Za-z0-9_.-] */
#define RELAY_PAYLOAD_MAX          ((uint32_t)256 << 10)
/* How long a connection over max_conns may stay silent before it is closed without its -429
 * (relay_open). */
#define RELAY_OVERLIMIT_WAIT_NS (2ull * NS_PER_S)

typedef struct relay_limits {
    uint32_t max_conns;        /* open connections; one more gets -429 and is closed */
    uint32_t max_frame;        /* transport payload bytes */
    uint32_t max_pending;      /* unsent output bytes per connection; over it the reader is slow:
                                  its room peer's sends get FLOOD and it is closed (-429) */
    uint64_t idle_timeout_ns;  /* no input for this long: closed */
    uint32_t handshakes_per_s; /* new handshakes started per second, relay-wide; more get -429 */
} relay_limits;

typedef enum relay_log_level {
    RELAY_LOG_ERROR,
    RELAY_LOG_WARN,
    RELAY_LOG_INFO, /* one line per event: open, transport, key created, join, ready, leave, close
                     */
    RELAY_LOG_DEBUG /* and per message */
} relay_log_level;

typedef enum relay_dir { RELAY_IN, RELAY_OUT } relay_dir;

/* Callbacks; any may be NULL. conn is the connection's id. */
typedef struct relay_hooks {
    void *ctx;
    /* conn has new output (it may not be the connection being fed). */
    void (*wake)(void *ctx, uint32_t conn);
    /* One line per event, without a newline. The core never logs payload contents. */
    void (*log)(void *ctx, relay_log_level level, uint32_t conn, const char *line);
    /* Every transport payload received or sent, after framing is removed (for --record), at
     * clock time t_ns; and the wire bytes as read or written (wire = true) for exact replays. */
    void (*frame)(void *ctx, uint32_t conn, relay_dir dir, bool wire, const uint8_t *p, size_t n,
                  uint64_t t_ns);
    /* conn now uses this auth key (for --record: the transcript gets the key to decrypt). */
    void (*key_used)(void *ctx, uint32_t conn, const mt_auth_key *key);
    /* A key was created (to persist with --state). expires_at: unix seconds, 0 for permanent. */
    void (*key_created)(void *ctx, const mt_auth_key *key, bool temp, int64_t expires_at);
} relay_hooks;

typedef struct relay_config {
    const rsa_private *const *keys; /* 1..8 RSA-2048 keys; outlive the core */
    size_t n_keys;
    const mt_clock *clock;
    mt_rng *rng;
    relay_limits limits; /* zero fields take the defaults */
    /* Rules to break on purpose (`--violate`): MT_E_<ID> values from relay_violations(). */
    const int *violate;
    size_t n_violate;
    bool strict; /* refuse deprecated handshake forms */
    /* dh_gen_retry to the first N attempts of every handshake (hss_config.forced_retries): a
     * server that met auth_key_hash collisions, for tests of clients' retry path; 0 normally. */
    unsigned hs_retries;
    relay_log_level log_level;
    relay_hooks hooks;
    /* The address help.getConfig names as DC 2's option (the relay's own); NULL / 0 give
     * 127.0.0.1 and 443. */
    const char *dc_ip;
    int32_t dc_port;
} relay_config;

typedef enum relay_conn_kind {
    RELAY_CONN_TCP, /* transport detected from the first bytes */
    RELAY_CONN_HTTP /* the HTTP transport (proto/http.h) */
} relay_conn_kind;

typedef struct relay relay;

/* Errors: bad_argument (no keys, a violate rule not in relay_violations()), out_of_memory. */
MT_WUR int relay_new(relay **out, const relay_config *cfg);
void relay_free(relay *r);

/* Makes a persisted key known again (--state). temp: a temporary key expiring at expires_at
 * (unix seconds; relay_tick removes it then). Its salt schedule starts random: the handshake's
 * server_salt, which a key created here starts with, is not persisted. */
MT_WUR int relay_add_key(relay *r, const mt_auth_key *key, bool temp, int64_t expires_at);

/* A new connection: *conn gets its id (never reused while the core lives).
 * Over max_conns ("-429: too many connections") the connection is opened but not counted, and
 * relay_closing is NOT yet true: a transport error is framed in the client's transport
 * (abridged 0x01 + 4 bytes, intermediate 4 + 4, padded, obfuscated2 streams, an HTTP 429
 * status), which only the client's first bytes choose, and closing at once would leave the
 * client with a bare disconnect. So the connection waits for its first bytes: the first
 * relay_feed (with enough bytes to pick the framing; 4 KiB are buffered at most) queues
 * the -429 and sets relay_closing; if nothing arrives within RELAY_OVERLIMIT_WAIT_NS, relay_tick
 * (whose deadline includes it) sets relay_closing with no output. Nothing is handshaken or
 * decrypted on such a connection. */
MT_WUR int relay_open(relay *r, relay_conn_kind kind, uint32_t *conn);
/* Bytes read from conn's socket; all are consumed (the core buffers up to its limits). Returns 0,
 * or the rule the input broke (the reaction is already queued: -404, bad_msg_notification, a
 * close...), or bad_argument for an unknown conn. */
MT_WUR int relay_feed(relay *r, uint32_t conn, const uint8_t *in, size_t n);
/* conn's unsent output (NULL, 0 when none); valid until the next call on the core. */
const uint8_t *relay_output(relay *r, uint32_t conn, size_t *n);
/* n bytes of that output were written to the socket. */
void relay_output_done(relay *r, uint32_t conn, size_t n);
/* The connection must be closed once its output is written (a transport error, ping_delay_
 * disconnect, idle timeout, a limit, destroy). */
bool relay_closing(const relay *r, uint32_t conn);
/* The socket is gone (peer closed, error, or after relay_closing): frees the connection and
 * announces the leave to its room peer. */
void relay_close(relay *r, uint32_t conn);
/* Runs every timer due at the clock's now; returns the next deadline (clock ns), or UINT64_MAX. */
uint64_t relay_tick(relay *r);
/* relay_tick for one connection (and the key table): runs its due timers and returns the earlier
 * of its next deadline and the next key expiry. Only an event on a connection (relay_feed, a wake)
 * moves its deadlines, so a pump calls this after each event and relay_tick when its timer fires:
 * an event then costs the same with ten or ten thousand connections open. */
uint64_t relay_tick_conn(relay *r, uint32_t conn);

/* The rules the relay can break on purpose (each with a way to break it), in catalogue order. */
const int *relay_violations(size_t *n);

/* Counters for logs, the load benchmark and tests. */
typedef struct relay_stats {
    uint64_t conns_open, conns_total, handshakes, keys, rooms, relayed_msgs, relayed_bytes, errors;
} relay_stats;
void relay_get_stats(const relay *r, relay_stats *s);

#endif
