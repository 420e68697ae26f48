/*
 * The reference client without I/O: one connection of `mtproof client` as a sans-I/O engine
 * (DESIGN.md "Reference peers"; issue 7). The libuv program (client_uv.c), the harness's builtin
 * client target (the client under test when the harness plays the server) and the load benchmark
 * drive this core; only they touch sockets.
 *
 * Lifecycle: pclient_new → pclient_start (the transport tag / obfuscated2 init and req_pq_multi,
 * or, with a saved key, the first encrypted messages) → feed the socket's bytes, send the output,
 * tick the timers. Stages, each reported as an event: auth key created (or loaded) → [temporary
 * key bound] → relay.join → waiting → ready (originator or not) → end-to-end key exchange
 * (proto/e2e.h) → chat (pclient_send_text ↔ PCLIENT_EV_MESSAGE) → peer left / closed.
 * With cfg.stop_after set, the client stops at that stage (the harness tests one layer at a time).
 *
 * Every check the client makes on what the server sends is the engines' own (handshake client,
 * session client, e2e); a broken rule ends the run with PCLIENT_EV_ERROR naming the rule.
 */
#ifndef MTPROOF_PEERS_CLIENT_CORE_H
#define MTPROOF_PEERS_CLIENT_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"
#include "crypto/rsa.h"
#include "proto/handshake.h"
#include "proto/msgid.h"
#include "proto/transport.h"

#define PCLIENT_TEXT_MAX    4096u
#define PCLIENT_REKEY_EVERY 100u /* messages between re-keys (issue 7) */

typedef enum pclient_stage {
    PCLIENT_STAGE_KEY,   /* auth key created or loaded */
    PCLIENT_STAGE_BOUND, /* temporary key bound (temp_key only) */
    PCLIENT_STAGE_JOINED,
    PCLIENT_STAGE_READY, /* room ready */
    PCLIENT_STAGE_CHAT,  /* end-to-end key agreed */
    PCLIENT_STAGE_ALL    /* never stop */
} pclient_stage;

typedef enum pclient_ev_kind {
    PCLIENT_EV_KEY,       /* key: the auth key (created or loaded), to persist with --state */
    PCLIENT_EV_BOUND,     /* the temporary key is bound */
    PCLIENT_EV_WAITING,   /* text: the room; "Waiting for peer..." */
    PCLIENT_EV_READY,     /* text: the room; originator */
    PCLIENT_EV_E2E_READY, /* fingerprint, visual (the key visualisation, text lines) */
    PCLIENT_EV_MESSAGE,   /* text/len: a message from the peer */
    PCLIENT_EV_REKEYED,   /* fingerprint: the new e2e key's */
    PCLIENT_EV_PEER_LEFT,
    PCLIENT_EV_STOPPED, /* the stage of cfg.stop_after was reached */
    PCLIENT_EV_ERROR,   /* rule: the rule broken (by the server or the peer), or a tool error */
} pclient_ev_kind;

typedef struct pclient_event {
    pclient_ev_kind kind;
    const char *text; /* valid during the callback */
    size_t len;
    bool originator;
    int64_t fingerprint;
    const char *visual;
    const hs_result *key;
    int rule;
} pclient_event;

typedef struct pclient_config {
    const rsa_public *const *keys; /* the server's public keys; outlive the core */
    size_t n_keys;
    const mt_clock *clock;
    mt_rng *rng;
    mt_transport_kind transport; /* abridged, intermediate, padded, full */
    bool obfuscated;             /* obfuscated2 around abridged/intermediate/padded */
    bool http;                   /* the HTTP transport instead (transport ignored) */
    const char *room;            /* NULL: any free room */
    const hs_result *saved_key;  /* a permanent key from --state, or NULL to create one */
    bool temp_key;               /* use a temporary key bound to the permanent one (PFS) */
    int32_t temp_expires_in;     /* seconds; 0 = 86400 */
    unsigned rekey_every;        /* 0 = PCLIENT_REKEY_EVERY */
    pclient_stage stop_after;    /* PCLIENT_STAGE_ALL to run the chat */
    void (*on_event)(void *ctx, const pclient_event *ev);
    void *event_ctx;
} pclient_config;

typedef struct pclient pclient;

MT_WUR int pclient_new(pclient **out, const pclient_config *cfg);
void pclient_free(pclient *c);
/* Writes the first bytes to send. */
MT_WUR int pclient_start(pclient *c);
/* Bytes read from the socket; all consumed. Returns 0, or the rule broken (also an ERROR event). */
MT_WUR int pclient_feed(pclient *c, const uint8_t *in, size_t n);
/* Unsent output (NULL, 0 when none), and how much of it was written. */
const uint8_t *pclient_output(pclient *c, size_t *n);
void pclient_output_done(pclient *c, size_t n);
/* Runs timers; returns the next deadline (clock ns) or UINT64_MAX. */
uint64_t pclient_tick(pclient *c);
/* Sends one chat message (once the e2e key is agreed; bad_argument before). */
MT_WUR int pclient_send_text(pclient *c, const char *text, size_t len);
/* Starts a re-key now (once in the chat). */
MT_WUR int pclient_rekey(pclient *c);
/* Leaves the room (relay.leave) and finishes. */
MT_WUR int pclient_leave(pclient *c);
/* The connection should be closed (the run ended: error, stop, leave). */
bool pclient_done(const pclient *c);

#endif
