/*
 * Targets of `mtproof conform` (issue 8 "Runner and targets"): a byte pipe to the peer under test.
 * The runner keeps all MTProto state on its side and only moves bytes through a target, so one
 * runner drives in-process engines (virtual time, no sockets) and real peers over TCP alike.
 *
 *   builtin server  the reference server engines in-process (the harness plays the client)
 *   builtin client  the reference client engine in-process (the harness plays the server)
 *   net server      a running server at HOST:PORT (--server)
 *   net client      a client command launched per connection, connecting to --listen
 */
#ifndef MTPROOF_HARNESS_TARGET_H
#define MTPROOF_HARNESS_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"
#include "crypto/rsa.h"
#include "proto/msgid.h"
#include "proto/transport.h"

typedef struct target target;

typedef struct target_ops {
    /* A new connection (any previous one is closed first). transport: the scenario's transport
     * ("intermediate", "obf2-padded"...), used by a client target; servers detect it. */
    int (*open)(target *t, const char *transport, char *why, size_t cap);
    /* Bytes to the peer. io_error when the connection is gone. */
    int (*send)(target *t, const uint8_t *p, size_t n);
    /* Waits at most timeout_ns (virtual time in process, real time over the network) for bytes:
     * *n of them in buf, or *n = 0 on timeout; *closed when the peer has closed (after its last
     * bytes were returned). */
    int (*recv)(target *t, uint8_t *buf, size_t cap, size_t *n, bool *closed, uint64_t timeout_ns);
    /* Lets ns of time pass (the peer's timers run). */
    void (*pass)(target *t, uint64_t ns);
    void (*close)(target *t);
    void (*free)(target *t);
    /* A further connection to the same peer (the `connection` step, harness/conform_multi.c):
     * *out shares this target's peer, clock and keys and has its own open/send/recv/close, so
     * bytes for one connection never reach another; pass() on either lets time pass for both.
     * Free it (ops->free) before the target it came from. NULL: one connection only (the
     * targets where the harness plays the server). */
    int (*another)(target *t, target **out);
} target_ops;

struct target {
    const target_ops *ops;
    const mt_clock *clock; /* the peer's clock; the harness's is this plus its skew */
    bool virtual_time;
    char desc[96]; /* "builtin", "server 127.0.0.1:4430" */
    /* Set by a client target when its peer broke a rule it could name (builtin only), else 0. */
    int peer_rule;
    /* Set by the net client target when the client command exited 3 before connecting: it has
     * no such transport (or feature), and the scenario is reported as skipped. */
    bool unsupported;
};

/* What every target needs: the seed for in-process randomness, the start of virtual time, keys. */
typedef struct target_cfg {
    uint64_t seed;
    uint64_t t0_ns;         /* virtual time at the start (in process) */
    const rsa_private *key; /* builtin server: its key */
    const rsa_public *pub;  /* builtin client: the server key it trusts */
    const char *addr;       /* net: HOST:PORT */
    const char *client_cmd; /* net client: "CMD {host} {port}" */
    bool temp_key;          /* net client: the scenario binds a temporary key ({temp-key}) */
    const char *scenario;   /* net client: the scenario's name ({scenario}) */
    uint64_t timeout_ns;    /* net: connect limit (--server); --listen waits at least
                               CF_ACCEPT_MIN_NS for the client to connect */
    const int *violate;     /* relay: rules to break on purpose (--violate) */
    size_t n_violate;
    unsigned hs_retries; /* builtin servers: dh_gen_retry to the first N attempts */
    /* relay: the scenario's `limits` (0: the default; reference-peers/relay_core.h) */
    uint32_t max_conns, max_frame, max_pending, handshakes_per_s;
    uint64_t idle_timeout_ns;
} target_cfg;

/* The relay core (reference-peers/relay_core.h): `--target relay`. */
MT_WUR int target_relay(const target_cfg *cfg, target **out);
/* The server engines wired directly (no relay API): the default builtin server. */
MT_WUR int target_builtin_server(const target_cfg *cfg, target **out);
/* The handshake client engine alone (first message a ping): `--target engines`. */
MT_WUR int target_builtin_client(const target_cfg *cfg, target **out);
/* The reference client core (reference-peers/client_core.h), configured from the scenario:
 * the default builtin client (harness/target_pclient.c). */
struct scenario;
MT_WUR int target_pclient(const target_cfg *cfg, const struct scenario *s, target **out);
MT_WUR int target_net_server(const target_cfg *cfg, target **out, char *why, size_t cap);
MT_WUR int target_net_client(const target_cfg *cfg, target **out, char *why, size_t cap);

/* The padded intermediate framing adds 0..15 random bytes after the packet: the length of the
 * packet itself (an unencrypted one by its message_data_length, an encrypted one by whole
 * 16-byte blocks after its 24-byte header). Other framings: n. */
size_t mt_padded_trim(const mt_transport *t, const uint8_t *p, size_t n);

#endif
