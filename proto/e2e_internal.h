/* The end-to-end engine's state, shared by proto/e2e*.c only (the public API is proto/e2e.h). */
#ifndef MTPROOF_PROTO_E2E_INTERNAL_H
#define MTPROOF_PROTO_E2E_INTERNAL_H

#include "crypto/dh.h"
#include "proto/e2e.h"
#include "proto/tl_obj.h"

#define E2E_ARENA_BYTES (E2E_LAYER_OBJ_MAX * 2u + 4096u)

typedef enum e2e_state { ST_IDLE, ST_REQUESTED, ST_CHAT, ST_CLOSED } e2e_state;
typedef enum e2e_rk_state { RK_NONE, RK_REQUESTED, RK_ACCEPTED } e2e_rk_state;

typedef struct e2e_key {
    uint8_t key[E2E_KEY_LEN];
    int64_t fp;
    bool set;
} e2e_key;

/* A serialized decryptedMessageLayer: a sent one kept for resend requests, or a received one
 * held after a gap. */
typedef struct e2e_stored {
    uint32_t raw; /* its raw out seq number */
    size_t len;
    bool used;
    uint8_t obj[E2E_LAYER_OBJ_MAX];
} e2e_stored;

struct e2e {
    e2e_config cfg;
    uint8_t prime[E2E_KEY_LEN];
    uint32_t g;
    int32_t layer;
    unsigned rekey_every;
    e2e_state st;
    dh_ctx dh; /* the first exchange */
    uint8_t original[E2E_KEY_LEN];
    e2e_key cur, old;
    uint64_t old_since_ns;
    char visual[E2E_VISUAL_MAX];
    uint32_t uses, rekeys;
    /* seq numbers (api/end-to-end/seq_no): raw counts of messages sent and received in order */
    uint32_t out_raw, in_raw, peer_in_raw;
    int32_t peer_layer;
    bool gap_open;
    uint32_t gap_end; /* the last raw seq number asked for */
    /* re-keying (api/end-to-end/pfs) */
    e2e_rk_state rk;
    int64_t rk_id;
    dh_ctx rk_dh;
    e2e_key rk_new;
    e2e_stored hist[E2E_HISTORY]; /* by raw % E2E_HISTORY */
    e2e_stored pend[E2E_PENDING];
    uint8_t obj[E2E_LAYER_OBJ_MAX];  /* the message being built */
    uint8_t held[E2E_LAYER_OBJ_MAX]; /* a held message being processed */
    uint8_t data[E2E_DATA_MAX];      /* sealed output */
    uint8_t rx[E2E_DATA_MAX];        /* decrypted input */
    uint8_t env[E2E_ENVELOPE_MAX];
    _Alignas(16) uint8_t arena[E2E_ARENA_BYTES];
};

/* x for what we send and for what we receive ("x = 0 for messages from the chat originator"). */
static inline unsigned e2e_x_out(const e2e *e)
{
    return e->cfg.originator ? MT_X_CLIENT : MT_X_SERVER;
}
static inline unsigned e2e_x_in(const e2e *e)
{
    return e->cfg.originator ? MT_X_SERVER : MT_X_CLIENT;
}
/* The parity bit of out_seq_no as sent by the originator (1) or the other side (0); in_seq_no
 * has the other bit (api/end-to-end/seq_no table). */
static inline uint32_t e2e_out_bit(bool originator)
{
    return originator ? 1u : 0u;
}

/* e2e.c */
void e2e_emit(e2e *e, const e2e_event *ev);
int e2e_output(e2e *e, const uint8_t *env, size_t n);
/* Reports rule (ERROR event); a fatal one closes the chat with e2e.discard. Returns rule. */
int e2e_fail(e2e *e, int rule, bool fatal);
/* Encodes one e2e.* envelope (relay.tl) and hands it to on_output. */
MT_WUR int e2e_send_envelope(e2e *e, const tl_obj *o);
/* The first key is agreed: the chat opens (READY event). */
void e2e_become_ready(e2e *e, const uint8_t key[E2E_KEY_LEN]);
/* e2e_exchange.c: the envelopes of the first key exchange. */
MT_WUR int e2e_on_request(e2e *e, const tl_obj *o);
MT_WUR int e2e_on_accept(e2e *e, const tl_obj *o);
void e2e_set_key(e2e *e, e2e_key *dst, const uint8_t key[E2E_KEY_LEN]);
void e2e_switch_key(e2e *e, const uint8_t key[E2E_KEY_LEN]);
/* e2e_send.c: builds, stores and sends one message (text, or a service action when action is
 * not NULL) under the current key with the next seq numbers. */
MT_WUR int e2e_send_obj(e2e *e, const char *text, size_t len, const tl_obj *action);
/* Re-encrypts and sends a stored layer object under the current key. */
MT_WUR int e2e_send_stored(e2e *e, const uint8_t *obj, size_t len);
/* e2e_recv.c */
MT_WUR int e2e_recv_encrypted(e2e *e, const uint8_t *data, size_t n);
/* e2e_rekey.c */
MT_WUR int e2e_rekey_action(e2e *e, const tl_obj *action);
void e2e_rekey_wipe(e2e *e);
/* Switches to the pending new key (the other side of a re-key, on commit or first use). */
void e2e_rekey_commit(e2e *e);

#endif
