/*
 * The harness as the room peer of the client under test (docs/scenarios.md "e2e"): in role
 * server scenarios it already plays the relay; the `e2e` step adds the other member of the room,
 * so the E2E_* rules, which a client checks on what its peer put inside relay.send, can be
 * provoked on the wire. The crypto is proto/e2e.h's (e2e_seal_raw, e2e_open,
 * e2e_key_fingerprint) and crypto/dh.h; what is built here is the peer's side of the protocol
 * with every field open to an override, and the reading of what the client sends back (its
 * relay.send queries, answered boolTrue, their envelopes decrypted with the chat key).
 */
#ifndef MTPROOF_HARNESS_CONFORM_E2E_H
#define MTPROOF_HARNESS_CONFORM_E2E_H

#include <jansson.h>

#include "crypto/dh.h"
#include "harness/conform_run.h"
#include "proto/e2e.h"

#define CF_E2E_ROOM 64

/* The peer's state: its side of the room, the chat key, its seq counters, a running re-key. */
typedef struct cf_e2e {
    bool ready;      /* `e2e ready` ran: the room is open */
    bool originator; /* the harness is the originator (the client under test is not) */
    char room[CF_E2E_ROOM];
    bool has_dh; /* dh holds the harness's exponent of the first exchange */
    dh_ctx dh;
    bool has_key;
    uint8_t key[E2E_KEY_LEN];
    uint32_t out_raw; /* the raw out seq number of the harness's next message */
    uint32_t in_raw;  /* messages of the client processed (its next raw out seq number) */
    bool has_rk;      /* a re-key the harness requested */
    int64_t rk_id;
    dh_ctx rk_dh;
    bool has_new; /* the client accepted it: new_key is agreed */
    uint8_t new_key[E2E_KEY_LEN];
    uint8_t data[E2E_ENVELOPE_MAX + 64];
    uint8_t plain[E2E_DATA_MAX];
} cf_e2e;

/* Runs one `e2e` step (ready, exchange, send, expect). */
MT_WUR int cf_e2e_step(cf_peer *p, const sc_step *st, uint64_t timeout_ns, char *why, size_t cap);
/* Wipes and frees the peer's state (NULL is fine). */
void cf_e2e_free(cf_e2e *e);

/* ---- shared by harness/conform_e2e*.c ---- */
/* The state of p (made on first use); NULL when out of memory. */
cf_e2e *cf_e2e_of(cf_peer *p);
/* x of what the harness sends and of what the client sends. */
unsigned cf_e2e_x_out(const cf_e2e *e);
unsigned cf_e2e_x_in(const cf_e2e *e);
/* Sends envelope bytes to the client as relay.updatePayload(room, data). */
MT_WUR int cf_e2e_deliver(cf_peer *p, const uint8_t *env, size_t n);
/* `e2e send KIND ...`: builds and delivers one envelope (harness/conform_e2e_send.c). */
MT_WUR int cf_e2e_send(cf_peer *p, const sc_step *st, char *why, size_t cap);
/* Waits for the client's next relay.send (answered boolTrue) and decodes its envelope: *env
 * gets it as JSON (relay schema), and for e2e.encrypted *layer the decrypted
 * decryptedMessageLayer (secret schema), else NULL. A close or the timeout: MT_E_mismatch. */
MT_WUR int cf_e2e_next(cf_peer *p, uint64_t timeout_ns, json_t **env, json_t **layer, char *why,
                       size_t cap);
/* `e2e expect KIND ...` (harness/conform_e2e_expect.c). */
MT_WUR int cf_e2e_expect(cf_peer *p, const sc_step *st, uint64_t timeout_ns, char *why, size_t cap);
/* A step's option key=..., or NULL. */
const char *cf_e2e_opt(const sc_step *st, const char *key);
/* Bytes of a JSON hex string field into out (at most cap); false when absent or malformed. */
bool cf_e2e_json_bytes(const json_t *o, const char *field, uint8_t *out, size_t cap, size_t *n);

#endif
