/*
 * MTProto message keys and key derivation (mtproto-notes §4; page mtproto/description):
 *   MTProto 2.0: msg_key_large = SHA256(auth_key[88+x : 120+x] ‖ plaintext incl. padding),
 *                msg_key = msg_key_large[8:24];
 *                sha256_a = SHA256(msg_key ‖ auth_key[x : x+36]),
 *                sha256_b = SHA256(auth_key[40+x : 76+x] ‖ msg_key),
 *                aes_key = a[0:8] ‖ b[8:24] ‖ a[24:32], aes_iv = b[0:8] ‖ a[8:24] ‖ b[24:32].
 *   MTProto 1.0 (only to encrypt bind_auth_key_inner, §7): msg_key = SHA1(plaintext without
 *                padding)[4:20] and the four-SHA1 KDF.
 * x = 0 for messages from client to server, x = 8 from server to client (in secret chats: 0 from
 * the chat's creator, 8 the other way). Only auth_key bytes 0..127 feed the KDFs.
 * Every function wipes its intermediate hashes; the caller wipes the aes_key/aes_iv it receives.
 */
#ifndef MTPROOF_PROTO_KDF_H
#define MTPROOF_PROTO_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define MT_AUTH_KEY_LEN      256
#define MT_AUTH_KEY_ID_LEN   8
#define MT_MSG_KEY_LEN       16
#define MT_MSG_KEY_LARGE_LEN 32
#define MT_AES_KEY_LEN       32
#define MT_AES_IV_LEN        32

/* The two values of x. */
enum { MT_X_CLIENT = 0, MT_X_SERVER = 8 };

/* An auth key with its hashes computed once (SHA1(auth_key) per message would be waste). */
typedef struct mt_auth_key {
    uint8_t key[MT_AUTH_KEY_LEN];
    uint8_t id[MT_AUTH_KEY_ID_LEN]; /* auth_key_id as on the wire: SHA1(auth_key)[12:20] */
    uint8_t aux_hash[8];            /* auth_key_aux_hash: SHA1(auth_key)[0:8] */
} mt_auth_key;

/* Copies the key and computes its id and aux_hash. */
void mt_auth_key_init(mt_auth_key *k, const uint8_t key[MT_AUTH_KEY_LEN]);
void mt_auth_key_wipe(mt_auth_key *k);

/* msg_key (and, when large is not NULL, msg_key_large) of a padded plaintext. bad_argument when x
 * is neither 0 nor 8. */
MT_WUR int mt_msg_key_v2(const uint8_t auth_key[MT_AUTH_KEY_LEN], unsigned x, const uint8_t *plain,
                         size_t n, uint8_t msg_key[MT_MSG_KEY_LEN],
                         uint8_t large[MT_MSG_KEY_LARGE_LEN]);

/* aes_key and aes_iv of MTProto 2.0 (bad_argument when x is neither 0 nor 8). */
MT_WUR int mt_kdf_v2(const uint8_t auth_key[MT_AUTH_KEY_LEN], unsigned x,
                     const uint8_t msg_key[MT_MSG_KEY_LEN], uint8_t aes_key[MT_AES_KEY_LEN],
                     uint8_t aes_iv[MT_AES_IV_LEN]);

/* msg_key of MTProto 1.0: SHA1 of the plaintext *without* padding, bytes 4..19. */
void mt_msg_key_v1(const uint8_t *plain, size_t n, uint8_t msg_key[MT_MSG_KEY_LEN]);

/* aes_key and aes_iv of MTProto 1.0 (bad_argument when x is neither 0 nor 8):
 *   sha1_a = SHA1(msg_key ‖ ak[x:x+32]), sha1_b = SHA1(ak[32+x:48+x] ‖ msg_key ‖ ak[48+x:64+x]),
 *   sha1_c = SHA1(ak[64+x:96+x] ‖ msg_key), sha1_d = SHA1(msg_key ‖ ak[96+x:128+x]);
 *   aes_key = a[0:8] ‖ b[8:20] ‖ c[4:16]; aes_iv = a[8:20] ‖ b[0:8] ‖ c[16:20] ‖ d[0:8]. */
MT_WUR int mt_kdf_v1(const uint8_t auth_key[MT_AUTH_KEY_LEN], unsigned x,
                     const uint8_t msg_key[MT_MSG_KEY_LEN], uint8_t aes_key[MT_AES_KEY_LEN],
                     uint8_t aes_iv[MT_AES_IV_LEN]);

/* The quick-ack token of a message: the little-endian uint32 of msg_key_large[0:4] with its top
 * bit set (tdlib calc_message_key2), which the server sends back when asked for a quick ack. */
uint32_t mt_quick_ack_token(const uint8_t large[MT_MSG_KEY_LARGE_LEN]);

#endif
