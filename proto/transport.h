/*
 * MTProto transports as sans-I/O engines (spec/mtproto-notes.md §6; page
 * mtproto/mtproto-transports).
 *
 * One engine is one side (client or server) of one connection: it turns payloads into wire bytes
 * (mt_transport_frame) and wire bytes into events (mt_transport_feed). Input may arrive split at
 * any byte; the engine copies what it consumes into its own buffers, so the caller may drop its
 * input after each call. Framings: abridged (0xef), intermediate (ee ee ee ee), padded
 * intermediate (dd dd dd dd), full (len|seq|payload|crc32), each optionally inside obfuscated2
 * (AES-256-CTR streams keyed by a 64-byte init). A server engine may start in MT_TRANSPORT_AUTO
 * and pick the framing from the first bytes (transport_detect.c).
 *
 * Memory: the payload buffer is the caller's (given at init, used only by the engine until it is
 * dropped); nothing is allocated. A frame longer than MT_TRANSPORT_MAX_FRAME is a rule violation
 * (TRANSPORT_FRAME_TOO_LONG), refused as soon as its length is read; a frame within the limit but
 * longer than the caller's buffer is limit_exceeded. Errors are sticky: after one, every call
 * returns it again, and the caller reacts as the rule says (mt_rule_of(err): -404, close).
 * Randomness (padding, the obfuscated2 init) comes from the injected mt_rng only.
 */
#ifndef MTPROOF_PROTO_TRANSPORT_H
#define MTPROOF_PROTO_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/ctr.h"
#include "crypto/rng.h"

/* The longest payload (between framing header and trailer) an engine accepts or produces:
 * upload.getFile returns up to 1 MiB of bytes plus TL overhead, so 16 MiB leaves room while
 * staying far below the 64 MiB the abridged 3-byte length could claim. */
#define MT_TRANSPORT_MAX_FRAME ((size_t)16 << 20)
/* The most bytes framing adds to one payload: a 64-byte obfuscated2 init (first frame only),
 * an 8-byte header, 15 bytes of padding or a 4-byte CRC. */
#define MT_TRANSPORT_MAX_OVERHEAD 96
/* Wire sizes. */
#define MT_OBF2_INIT_LEN   64
#define MT_OBF2_SECRET_LEN 16
#define MT_PADDED_MAX_PAD  15
/* Payloads shorter than this cannot be MTProto packets (an unencrypted one has a 20-byte
 * header): the client reads them as transport errors or padded quick acks. */
#define MT_TRANSPORT_SHORT_PACKET 16

/* Transport errors (4-byte packets holding a negative int32 LE). */
#define MT_TRANSPORT_ERR_NOT_FOUND  (-404) /* auth key unknown, malformed packet */
#define MT_TRANSPORT_ERR_FLOOD      (-429) /* too many connections, a limit reached */
#define MT_TRANSPORT_ERR_INVALID_DC (-444)

typedef enum mt_transport_kind {
    MT_TRANSPORT_ABRIDGED,
    MT_TRANSPORT_INTERMEDIATE,
    MT_TRANSPORT_PADDED,
    MT_TRANSPORT_FULL,
    MT_TRANSPORT_HTTP, /* detected only: the HTTP engine is proto/http */
    MT_TRANSPORT_AUTO, /* server only: decided by the first bytes */
} mt_transport_kind;

typedef enum mt_transport_role { MT_ROLE_CLIENT, MT_ROLE_SERVER } mt_transport_role;

/* Frame flags (mt_transport_frame and FRAME events). */
enum {
    /* Client to server: ask for a quick ack (abridged bit 7 / 0xff, intermediate bit 31). */
    MT_TF_QUICK_ACK = 1,
};

typedef enum mt_transport_event_type {
    MT_TEV_NEED_MORE, /* all input consumed, no event yet */
    MT_TEV_FRAME,     /* payload/len: one packet (padded: payload and padding); flags */
    MT_TEV_QUICK_ACK, /* client side: the server's quick-ack token */
    MT_TEV_ERROR,     /* client side: a transport error packet; code (e.g. -404) */
    MT_TEV_HTTP,      /* AUTO server: the connection is HTTP; payload/len = the bytes read */
} mt_transport_event_type;

typedef struct mt_transport_event {
    mt_transport_event_type type;
    const uint8_t *payload; /* into the engine's buffer: valid until the next feed */
    size_t len;
    unsigned flags;
    uint32_t token; /* MT_TEV_QUICK_ACK */
    int32_t code;   /* MT_TEV_ERROR */
} mt_transport_event;

/* Receive state (internal; a flat struct so the engine copies with memcpy). */
typedef struct mt_transport_rx {
    uint8_t phase;
    uint8_t hdr[MT_OBF2_INIT_LEN]; /* tag, header, trailer or obfuscated2 init being read */
    size_t hdr_have, hdr_need;
    size_t body_len, body_have;
    unsigned flags;
    uint32_t seq; /* full: the next expected seq */
} mt_transport_rx;

typedef struct mt_transport {
    mt_transport_kind kind;
    mt_transport_role role;
    bool obfuscated;
    bool tag_sent; /* client: the tag / init has gone out (servers never send one) */
    int err;       /* sticky */
    uint32_t tx_seq;
    int16_t dc_id; /* obfuscated2: init[60:62] */
    mt_transport_rx rx;
    aes_ctr_ctx enc, dec;           /* obfuscated2 streams, one per direction */
    uint8_t init[MT_OBF2_INIT_LEN]; /* client: the init as sent on the wire */
    uint8_t secret[MT_OBF2_SECRET_LEN];
    bool has_secret;
    uint8_t *buf; /* the caller's payload buffer */
    size_t cap;
    mt_rng *rng;
} mt_transport;

/*
 * A plain engine. kind: a framing, or MT_TRANSPORT_AUTO (server only: plain or obfuscated2
 * decided from the first bytes; secret, when not NULL, is the 16-byte MTProxy secret an
 * obfuscated2 client must use). buf/cap: the payload buffer (cap >= 16). rng: padding.
 * Errors: bad_argument.
 */
MT_WUR int mt_transport_init(mt_transport *t, mt_transport_kind kind, mt_transport_role role,
                             uint8_t *buf, size_t cap, mt_rng *rng);
/* Sets the MTProxy secret (16 bytes) of an AUTO or obfuscated2 server before any input. */
MT_WUR int mt_transport_set_secret(mt_transport *t, const uint8_t *secret, size_t secret_len);

/*
 * An obfuscated2 client: draws the 64-byte init from rng (regenerated while forbidden), puts the
 * framing's tag at init[56:60] and, when dc_id != 0, the DC id at init[60:62]; secret: NULL or 16
 * bytes. kind: abridged, intermediate or padded. Errors: bad_argument, bad_key_size, rng_failure.
 */
MT_WUR int mt_transport_init_obf2_client(mt_transport *t, mt_transport_kind kind, int16_t dc_id,
                                         const uint8_t *secret, size_t secret_len, uint8_t *buf,
                                         size_t cap, mt_rng *rng);
/* An obfuscated2 server: reads the init, checks it (OBF2_FORBIDDEN_INIT, OBF2_BAD_TAG), learns
 * the framing from the tag and the DC id. secret: NULL or 16 bytes. */
MT_WUR int mt_transport_init_obf2_server(mt_transport *t, const uint8_t *secret, size_t secret_len,
                                         uint8_t *buf, size_t cap, mt_rng *rng);

/* Marks the connection as started: no tag is sent or expected. For framing single packets
 * mid-connection (the shim's frame/unframe); no effect on obfuscated2. */
void mt_transport_skip_tag(mt_transport *t);

/*
 * Consumes input until one event is ready or the input ends. *consumed: bytes used (the rest
 * belongs to the next call). Returns MT_OK with ev set, or the error (a rule ID such as
 * MT_E_FULL_BAD_CRC, or limit_exceeded); errors are sticky.
 */
MT_WUR int mt_transport_feed(mt_transport *t, const uint8_t *in, size_t len, size_t *consumed,
                             mt_transport_event *ev);

/*
 * Frames one payload into out (cap bytes; MT_TRANSPORT_MAX_OVERHEAD + len always suffices),
 * preceded on a client's first frame by the tag or the obfuscated2 init. flags: MT_TF_QUICK_ACK
 * (client; not full). Padded: 0..15 random padding bytes from the rng. Errors: no_space,
 * bad_argument, TRANSPORT_FRAME_TOO_LONG, TRANSPORT_LENGTH_NOT_ALIGNED, rng_failure; a failed
 * call leaves the engine unchanged (except for rng_failure).
 */
MT_WUR int mt_transport_frame(mt_transport *t, const uint8_t *payload, size_t len, unsigned flags,
                              uint8_t *out, size_t cap, size_t *out_len);
/* As mt_transport_frame, with the padded framing's padding given (pad_len <= 15; other framings
 * need pad_len 0). For deterministic output and for tests. */
MT_WUR int mt_transport_frame_padding(mt_transport *t, const uint8_t *payload, size_t len,
                                      unsigned flags, const uint8_t *pad, size_t pad_len,
                                      uint8_t *out, size_t cap, size_t *out_len);
/* Server: a quick ack for token (MSB set): abridged 4 bytes big-endian, intermediate 4 bytes LE,
 * padded a packet ff ff ff ff | token LE. Full has none (bad_argument). */
MT_WUR int mt_transport_quick_ack(mt_transport *t, uint32_t token, uint8_t *out, size_t cap,
                                  size_t *out_len);
/* A transport error packet (code < 0, e.g. MT_TRANSPORT_ERR_NOT_FOUND) in the engine's framing. */
MT_WUR int mt_transport_error(mt_transport *t, int32_t code, uint8_t *out, size_t cap,
                              size_t *out_len);

/* Wipes keys and state (not the caller's buffer). */
void mt_transport_wipe(mt_transport *t);
const char *mt_transport_kind_name(mt_transport_kind k);
/* The kind named "abridged", "intermediate", "padded", "full", "http", or -1. */
int mt_transport_kind_from_name(const char *name);

/* ---- obfuscated2 (transport_obf2.c) ---- */

typedef struct mt_obf2_keys {
    uint8_t enc_key[32], enc_iv[16]; /* client to server */
    uint8_t dec_key[32], dec_iv[16]; /* server to client */
} mt_obf2_keys;

/* enc = init[8:40], init[40:56]; dec = the same slices of reverse(init); with a secret,
 * key = SHA256(key ‖ secret) for both. secret: NULL or 16 bytes (bad_key_size). */
MT_WUR int mt_obf2_derive(const uint8_t init[MT_OBF2_INIT_LEN], const uint8_t *secret,
                          size_t secret_len, mt_obf2_keys *k);
/* Whether a client must not send this init (it would look like another transport). */
bool mt_obf2_init_forbidden(const uint8_t init[MT_OBF2_INIT_LEN]);
/* The 4-byte tag of a framing at init[56:60] (efefefef, eeeeeeee, dddddddd); 0 for others. */
uint32_t mt_obf2_tag(mt_transport_kind kind);

/* ---- detection (transport_detect.c) ---- */

typedef struct mt_detected {
    mt_transport_kind kind; /* abridged, intermediate, padded, full, http; AUTO when obfuscated */
    bool obfuscated;        /* obfuscated2: the framing comes from its init */
    size_t tag_len;         /* bytes of the plain tag (1 or 4; 0 for full, http, obfuscated2) */
} mt_detected;

/* Picks the transport from a connection's first n bytes: true and *d when decided, false when
 * more bytes are needed (at most 8 are ever needed). Never fails: anything else is obfuscated2. */
bool mt_transport_detect(const uint8_t *head, size_t n, mt_detected *d);

#endif
