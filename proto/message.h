/*
 * Message framing (mtproto-notes §4, §5; page mtproto/description, mtproto/security_guidelines).
 *
 *   unencrypted:  auth_key_id = 0 (8) ‖ msg_id (8) ‖ message_data_length (4) ‖ message_data
 *   encrypted:    auth_key_id (8) ‖ msg_key (16) ‖ AES-256-IGE(plaintext)
 *   plaintext:    salt (8) ‖ session_id (8) ‖ msg_id (8) ‖ seq_no (4) ‖ message_data_length (4) ‖
 *                 message_data ‖ padding (12..1024 bytes, the total a multiple of 16)
 *
 * The caller provides every buffer; nothing here allocates. Rejections return rule IDs of the
 * "message framing" section of common/rules.def. The unpacker follows the order of the security
 * guidelines and, once it has decrypted, always runs the msg_key check before it reports any
 * later error, and it reports nothing else when msg_key is wrong: a peer sees one reaction for all
 * of them (no oracle; see the rules). On any failure the plaintext buffer is wiped.
 */
#ifndef MTPROOF_PROTO_MESSAGE_H
#define MTPROOF_PROTO_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"
#include "proto/kdf.h"

#define MT_PLAIN_HEADER_LEN 20 /* auth_key_id 0, msg_id, message_data_length */
#define MT_MSG_OUTER_LEN    24 /* auth_key_id, msg_key */
#define MT_MSG_INNER_LEN    32 /* salt, session_id, msg_id, seq_no, message_data_length */
#define MT_MSG_PAD_MIN      12
#define MT_MSG_PAD_MAX      1024
/* Random padding adds up to this many 16-byte blocks above the minimum (tdlib adds 0..255
 * bytes); the total stays within MT_MSG_PAD_MAX. */
#define MT_MSG_PAD_RANDOM_BLOCKS 15
/* The smallest packet mt_msg_unpack decrypts: auth_key_id, msg_key and the inner header. */
#define MT_MSG_MIN_PACKET (MT_MSG_OUTER_LEN + MT_MSG_INNER_LEN)
/* The largest message_data the packer takes (the length field is an int32). */
#define MT_MSG_MAX_BODY ((size_t)1 << 30)
/* Bytes a packed message needs for a body of n bytes and pad bytes of padding. */
#define MT_MSG_PACKED_LEN(n, pad) (MT_MSG_OUTER_LEN + MT_MSG_INNER_LEN + (n) + (pad))
/* Upper bound of MT_MSG_PACKED_LEN over every padding the packer may choose. */
#define MT_MSG_PACKED_MAX(n) MT_MSG_PACKED_LEN((n), MT_MSG_PAD_MAX)

/* ---- unencrypted messages (message_plain.c) ---- */

typedef struct mt_plain_view {
    uint64_t msg_id;
    const uint8_t *body; /* points into the packet */
    size_t body_len;
} mt_plain_view;

/* Writes an unencrypted message into out (cap bytes); *out_len gets its length. no_space when
 * cap is short, bad_argument when body_len is over MT_MSG_MAX_BODY. */
MT_WUR int mt_plain_pack(uint64_t msg_id, const uint8_t *body, size_t body_len, uint8_t *out,
                         size_t cap, size_t *out_len);
/* Parses an unencrypted message strictly: PLAIN_TOO_SHORT, PLAIN_AUTH_KEY_ID_NOT_ZERO,
 * PLAIN_LENGTH_MISMATCH (the length is not exactly the rest of the packet),
 * PLAIN_LENGTH_NOT_ALIGNED. On failure *out is zeroed. */
MT_WUR int mt_plain_unpack(const uint8_t *packet, size_t n, mt_plain_view *out);

/* ---- encrypted messages, MTProto 2.0 (message_crypt.c) ---- */

/* The inner header. salt and session_id are int64 values (little-endian on the wire). */
typedef struct mt_msg_hdr {
    uint64_t salt;
    uint64_t session_id;
    uint64_t msg_id;
    uint32_t seq_no;
} mt_msg_hdr;

/* Fields a test tool forces when packing, to build a wrong message on purpose. */
enum {
    MT_OVR_AUTH_KEY_ID = 1, /* write auth_key_id instead of the key's id */
    MT_OVR_MSG_KEY = 2,     /* write msg_key (and derive aes_key/aes_iv from it) instead of the
                               true one: the receiver decrypts the true plaintext but its msg_key
                               check fails, which is what a receiver skipping the check misses */
    MT_OVR_LENGTH = 4,      /* write length as message_data_length (msg_key stays consistent) */
    MT_OVR_PAD_ANY = 8,     /* accept an exact padding length outside 12..1024 */
};
typedef struct mt_msg_override {
    unsigned flags; /* MT_OVR_* */
    uint8_t auth_key_id[MT_AUTH_KEY_ID_LEN];
    uint8_t msg_key[MT_MSG_KEY_LEN];
    uint32_t length;
} mt_msg_override;

/* How the packer pads. pad_len = MT_PAD_RANDOM: the smallest length >= 12 that aligns the total
 * to 16, plus 0..MT_MSG_PAD_RANDOM_BLOCKS random blocks, random bytes from rng. Otherwise exactly
 * pad_len bytes, taken from pad_bytes (when not NULL) or from rng. */
#define MT_PAD_RANDOM ((size_t)-1)
typedef struct mt_msg_pack_opts {
    mt_rng *rng;                /* for random padding; may be NULL with exact pad_bytes */
    size_t pad_len;             /* MT_PAD_RANDOM or an exact length */
    const uint8_t *pad_bytes;   /* exactly pad_len bytes, or NULL */
    const mt_msg_override *ovr; /* NULL: a correct message */
} mt_msg_pack_opts;

/*
 * Packs an MTProto 2.0 message with x (0 client→server, 8 server→client) into out (cap bytes,
 * MT_MSG_PACKED_MAX(body_len) always suffices); *out_len gets its length. Errors: bad_argument
 * (x, body_len not a multiple of 4 or over MT_MSG_MAX_BODY, padding outside 12..1024 without
 * MT_OVR_PAD_ANY, no rng when one is needed), bad_data_size (an exact padding that leaves the
 * total unaligned), no_space, rng errors. aes_key and aes_iv are wiped.
 */
MT_WUR int mt_msg_pack(const mt_auth_key *k, unsigned x, const mt_msg_hdr *hdr, const uint8_t *body,
                       size_t body_len, const mt_msg_pack_opts *opts, uint8_t *out, size_t cap,
                       size_t *out_len);

typedef struct mt_msg_view {
    mt_msg_hdr hdr;
    const uint8_t *body; /* points into the caller's plaintext buffer */
    size_t body_len;
    size_t pad_len;
} mt_msg_view;

/*
 * Unpacks an MTProto 2.0 message sent with x. plain (cap bytes, at least n - 24) receives the
 * decrypted plaintext; the view points into it. expect_session: the session_id the message must
 * carry (a client checks its own), or NULL (a server, for which a new session_id opens a session).
 * Checks, in this order (security guidelines; tdlib Transport::read_crypto_impl):
 *   MSG_TOO_SHORT, MSG_AUTH_KEY_ID_UNKNOWN                — before decrypting, reported at once;
 *   MSG_KEY_MISMATCH (constant-time compare), MSG_NOT_BLOCK_ALIGNED, MSG_LENGTH_TOO_BIG,
 *   MSG_LENGTH_NOT_ALIGNED, MSG_PADDING_TOO_SHORT, MSG_PADDING_TOO_LONG, MSG_SESSION_MISMATCH
 *                                                          — all evaluated, the first reported.
 * A packet whose size is not 24 + a multiple of 16 is decrypted over its whole blocks and the
 * msg_key is checked over them before MSG_NOT_BLOCK_ALIGNED is reported.
 * Tool errors: bad_argument (x), no_space (cap). On a rule failure after MSG_TOO_SHORT, the
 * first n - 24 bytes of plain are wiped; *out is zeroed on every failure.
 */
MT_WUR int mt_msg_unpack(const mt_auth_key *k, unsigned x, const uint64_t *expect_session,
                         const uint8_t *packet, size_t n, uint8_t *plain, size_t cap,
                         mt_msg_view *out);

/* ---- the raw layer: encryption of an already padded plaintext ---- */

/* out (cap >= n + 24) = auth_key_id ‖ msg_key ‖ AES-256-IGE(plain); n a multiple of 16
 * (bad_data_size). ovr may force auth_key_id and msg_key (MT_OVR_AUTH_KEY_ID, MT_OVR_MSG_KEY);
 * NULL for none. */
MT_WUR int mt_msg_encrypt_raw(const mt_auth_key *k, unsigned x, const uint8_t *plain, size_t n,
                              const mt_msg_override *ovr, uint8_t *out, size_t cap);

/* Decrypts packet (24 + a multiple of 16 bytes; MSG_TOO_SHORT below 24 + 16, MSG_NOT_BLOCK_ALIGNED
 * otherwise) into plain (cap >= n - 24) and checks msg_key only (MSG_KEY_MISMATCH); the first 8
 * bytes are not looked at. On a failure after MSG_TOO_SHORT, plain[0 : n - 24] is wiped. */
MT_WUR int mt_msg_decrypt_raw(const mt_auth_key *k, unsigned x, const uint8_t *packet, size_t n,
                              uint8_t *plain, size_t cap);

/* ---- MTProto 1.0 (bind_auth_key_inner, mtproto-notes §7) ---- */

/* out (cap >= 24 + n rounded up to 16) = auth_key_id ‖ msg_key_v1 ‖ AES-256-IGE(plain ‖ pad) with
 * the v1 KDF; the 0..15 padding bytes come from rng. *out_len gets the length. */
MT_WUR int mt_msg_encrypt_v1(const mt_auth_key *k, unsigned x, const uint8_t *plain, size_t n,
                             mt_rng *rng, uint8_t *out, size_t cap, size_t *out_len);

#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
/* Fuzzer mode only (the normal build has no such switch): when on, mt_msg_unpack treats every
 * msg_key as correct, so a fuzzer reaches the checks and parsers behind the encryption. */
void mt_msg_fuzzing_skip_msg_key(bool on);
#endif

#endif
