/*
 * The end-to-end layer: one chat between two peers, modelled on Telegram secret chats
 * (mtproto-notes §8; pages api/end-to-end, api/end-to-end/seq_no, api/end-to-end/pfs), as a
 * sans-I/O engine. The relay only forwards opaque bytes; what the peers exchange are the e2e.*
 * envelopes of proto/schema/relay.tl (generated as rly_e2e_*):
 *   e2e.request g_a                      originator → other: starts the key exchange
 *   e2e.accept g_b key_fingerprint       other → originator
 *   e2e.encrypted data                   data = key_fingerprint (8) ‖ msg_key (16) ‖
 *                                        AES-256-IGE(int32 length ‖ decryptedMessageLayer ‖ pad)
 *   e2e.discard reason                   either side ends the chat (reason: the rule ID)
 *
 * key = g_ab mod p as 256 big-endian bytes; key_fingerprint = the last 64 bits of SHA1(key)
 * (SHA1 even in MTProto 2.0), i.e. SHA1(key)[12:20] read as a little-endian int64 — the same
 * bytes as an auth_key_id. msg_key and aes_key/aes_iv are MTProto 2.0's (proto/kdf.h) with
 * "x = 0 for messages from the chat originator, x = 8 for the other direction".
 *
 * Inside: decryptedMessageLayer random_bytes (>= 15 bytes) layer in_seq_no out_seq_no message,
 * message = decryptedMessage (text) or decryptedMessageService (Resend, NotifyLayer, the
 * re-keying actions RequestKey / AcceptKey / CommitKey / AbortKey, Noop). Seq numbers follow
 * api/end-to-end/seq_no: raw counters count every message; transmitted value = 2·raw + bit, where
 * the originator sends out_seq_no odd and in_seq_no even, the other side the reverse.
 *
 * Lifecycle: e2e_new → e2e_start (the originator writes e2e.request; the other side waits) →
 * e2e_feed every envelope the relay delivers → events (READY, MESSAGE, REKEYED, RESEND_REQUESTED,
 * DISCARDED, ERROR) and output envelopes, both through the config's callbacks, synchronously →
 * e2e_send_text / e2e_rekey / e2e_tick → e2e_free. Output bytes are valid during the callback
 * only; the client puts them in relay.send.
 *
 * Memory: e2e_new makes one fixed-size allocation (history of sent messages for resend requests,
 * a small queue for messages after a gap); nothing is sized by peer input. Keys, DH exponents
 * and plaintexts are wiped (e2e_free wipes everything).
 *
 * Every rejection of peer input returns (and reports in an ERROR event) a rule ID of the
 * "end-to-end layer" section of common/rules.def (MT_E_E2E_*), or a DH_* rule for g_a / g_b.
 * Fatal rules (reaction RX_ABORT) end the chat: the engine sends e2e.discard with the rule's ID
 * as reason and every later call returns MT_E_e2e_closed; RX_DROP rules drop the envelope.
 */
#ifndef MTPROOF_PROTO_E2E_H
#define MTPROOF_PROTO_E2E_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"
#include "proto/kdf.h"
#include "proto/msgid.h"

#define E2E_KEY_LEN          256   /* the chat key, DH_BYTES */
#define E2E_TEXT_MAX         4096u /* longest chat message text we send or accept */
#define E2E_LAYER            73    /* the layer we send (>= 73: MTProto 2.0 only, spec §8) */
#define E2E_LAYER_MIN        46    /* "layer >= 46 at creation": lower layers are refused */
#define E2E_RANDOM_BYTES     16    /* random_bytes we send */
#define E2E_RANDOM_BYTES_MIN 15    /* random_bytes shorter than this are refused */
#define E2E_REKEY_EVERY      100u  /* messages under one key before re-keying (spec §8) */
#define E2E_HISTORY          128u  /* sent messages kept to answer resend requests */
#define E2E_PENDING          16u   /* messages after a gap held until it is filled */
#define E2E_OLD_KEY_NS       (30ull * 1000000000ull) /* old key kept this long after a switch */
#define E2E_PAD_MIN          12
#define E2E_PAD_MAX          1024
/* The largest decryptedMessageLayer we build or accept (text, TL overhead and random_bytes). */
#define E2E_LAYER_OBJ_MAX (E2E_TEXT_MAX + 1024u)
/* The largest e2e.encrypted data: fingerprint, msg_key, length, object, padding. */
#define E2E_DATA_MAX (8u + 16u + 4u + E2E_LAYER_OBJ_MAX + E2E_PAD_MAX + 16u)
/* The largest envelope the engine writes or accepts (TL header and string overhead added). */
#define E2E_ENVELOPE_MAX (E2E_DATA_MAX + 16u)
/* Lines of text of the key visualisation (e2e_visualise), NUL-terminated, '\n' between lines. */
#define E2E_VISUAL_MAX 512u

typedef enum e2e_ev_kind {
    E2E_EV_READY,            /* fingerprint, visual: the key is agreed */
    E2E_EV_MESSAGE,          /* text/len: a chat message from the peer, in seq order */
    E2E_EV_REKEYED,          /* fingerprint, visual: a new key is in use */
    E2E_EV_RESEND_REQUESTED, /* seq_start/seq_end: we asked the peer to resend (a gap), or
                                answered the peer's request (peer_asked) */
    E2E_EV_DISCARDED,        /* text/len: the peer ended the chat with this reason */
    E2E_EV_ERROR,            /* rule: peer input broke a rule (fatal: the chat is closed) */
} e2e_ev_kind;

typedef struct e2e_event {
    e2e_ev_kind kind;
    const char *text; /* MESSAGE, DISCARDED: not NUL-terminated; valid during the callback */
    size_t len;
    int64_t fingerprint; /* READY, REKEYED */
    const char *visual;  /* READY, REKEYED: the key visualisation text (NUL-terminated) */
    int32_t seq_start;   /* RESEND_REQUESTED: wire seq numbers, inclusive */
    int32_t seq_end;
    bool peer_asked; /* RESEND_REQUESTED: true when the peer asked us */
    int rule;        /* ERROR: MT_E_<ID> */
    bool fatal;      /* ERROR: the chat is closed */
} e2e_event;

typedef struct e2e_config {
    bool originator; /* the room's originator: starts the exchange, x = 0 for what it sends */
    mt_rng *rng;
    const mt_clock *clock;   /* for the old key's lifetime; NULL: the old key goes on the first
                                message under the new one */
    const uint8_t *dh_prime; /* 256 big-endian bytes; NULL: Telegram's (crypto/prime.h) */
    size_t dh_prime_len;
    uint32_t g;           /* 0: 3 */
    unsigned rekey_every; /* 0: E2E_REKEY_EVERY; UINT32_MAX (or larger): never by count */
    int32_t layer;        /* 0: E2E_LAYER; tests set lower values to provoke the peer */
    /* Events and output envelopes, called synchronously from every e2e_* that acts. A non-zero
     * return from on_output is passed back to the caller of that e2e_* function. */
    void (*on_event)(void *ctx, const e2e_event *ev);
    int (*on_output)(void *ctx, const uint8_t *envelope, size_t n);
    void *ctx;
} e2e_config;

typedef struct e2e e2e;

/* Creates an engine (one fixed-size allocation). bad_argument: no rng or callbacks, g outside
 * 2..7, a dh_prime that is not 256 bytes; the parameters are checked with dh_check_params (DH_*
 * rules) so a wrong prime fails here rather than in the peer. */
MT_WUR int e2e_new(e2e **out, const e2e_config *cfg);
/* Wipes and frees (NULL is fine). */
void e2e_free(e2e *e);

/* Originator: draws a, writes e2e.request g_a. The other side: nothing to do, returns 0. */
MT_WUR int e2e_start(e2e *e);
/* One envelope from the peer (a whole relay.updatePayload data). Returns 0 or the rule broken
 * (also reported as an ERROR event); tool errors (no_space, rng) are returned as such. */
MT_WUR int e2e_feed(e2e *e, const uint8_t *envelope, size_t n);
/* Sends a chat message (e2e_not_ready before the key is agreed, bad_argument when len >
 * E2E_TEXT_MAX). Starts a re-key first when the current key has reached rekey_every messages. */
MT_WUR int e2e_send_text(e2e *e, const char *text, size_t len);
/* Starts a re-key now (e2e_not_ready before the key is agreed; 0 and nothing sent when one is
 * already running). */
MT_WUR int e2e_rekey(e2e *e);
/* Ends the chat: writes e2e.discard reason. */
MT_WUR int e2e_discard(e2e *e, const char *reason);
/* Drops the previous key once E2E_OLD_KEY_NS have passed since the switch. */
void e2e_tick(e2e *e);

bool e2e_ready(const e2e *e);  /* a key is agreed and the chat is open */
bool e2e_closed(const e2e *e); /* discarded (by either side) or a fatal rule */
/* The current key's fingerprint (0 before the key is agreed). */
int64_t e2e_fingerprint(const e2e *e);
/* The current key visualisation ("" before the key is agreed). */
const char *e2e_visual(const e2e *e);
/* Messages sent / received under the current key, and re-keys done (tests, the client's status). */
uint32_t e2e_key_uses(const e2e *e);
uint32_t e2e_rekeys(const e2e *e);

/* ---- the primitives (shim ops, vectors, the engine itself) ---- */

/* key_fingerprint: SHA1(key)[12:20] as a little-endian int64. */
int64_t e2e_key_fingerprint(const uint8_t key[E2E_KEY_LEN]);

/* data = fingerprint ‖ msg_key ‖ AES-256-IGE(int32 obj_len ‖ obj ‖ pad) with x (0 or 8), where
 * pad (pad_len bytes, 12..1024, making 4 + obj_len + pad_len a multiple of 16) is given by the
 * caller (the engine draws it). bad_argument for x, obj_len not a multiple of 4 or over
 * E2E_LAYER_OBJ_MAX, a bad pad_len; no_space when cap is short. *out_len gets the length. */
MT_WUR int e2e_seal(const uint8_t key[E2E_KEY_LEN], unsigned x, const uint8_t *obj, size_t obj_len,
                    const uint8_t *pad, size_t pad_len, uint8_t *out, size_t cap, size_t *out_len);

/* The sealing under e2e_seal, for a peer that builds faulty data on purpose (the conformance
 * harness plays a room peer that breaks the E2E_* rules): data = fingerprint ‖ msg_key ‖
 * AES-256-IGE(plain) for any plaintext of m bytes (a non-zero multiple of 16 up to
 * E2E_DATA_MAX - 24), whatever its length field and padding say. msg_key: NULL derives the true
 * one from plain; given, it is used as it is (the receiver's msg_key check must then fail).
 * plain may lie inside out at offset 24. */
MT_WUR int e2e_seal_raw(const uint8_t key[E2E_KEY_LEN], unsigned x, const uint8_t *plain, size_t m,
                        const uint8_t *msg_key, uint8_t *out, size_t cap, size_t *out_len);

/* Checks and decrypts data sent with x: E2E_DATA_LENGTH (shorter than 8 + 16 + 16, or not
 * 24 + a multiple of 16, or over E2E_DATA_MAX), E2E_FINGERPRINT_UNKNOWN (not this key's),
 * E2E_MSG_KEY_MISMATCH (constant-time), E2E_LENGTH_INVALID (the int32 length exceeds the
 * plaintext or is not a multiple of 4), E2E_PADDING_INVALID (padding outside 12..1024).
 * plain (cap >= n - 24) receives the plaintext; *obj_off / *obj_len locate the object in it.
 * On failure plain is wiped. */
MT_WUR int e2e_open(const uint8_t key[E2E_KEY_LEN], unsigned x, const uint8_t *data, size_t n,
                    uint8_t *plain, size_t cap, size_t *obj_off, size_t *obj_len);

/* The key visualisation (spec §8: SHA1(original key)[0:16] ‖ SHA256(key in use)[0:20]) as text
 * lines both sides print identically: the 36 bytes as hex groups, then an ASCII grid drawn from
 * them. original and current may be the same key. Writes a NUL-terminated string to out. */
void e2e_visualise(const uint8_t original[E2E_KEY_LEN], const uint8_t current[E2E_KEY_LEN],
                   char out[E2E_VISUAL_MAX]);

#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
/* Fuzzer mode only: e2e_open treats every msg_key as correct. */
void e2e_fuzzing_skip_msg_key(bool on);
#endif

#endif
