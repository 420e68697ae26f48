/*
 * Temporary keys and binding: auth.bindTempAuthKey on both sides (spec/mtproto-notes.md §7;
 * pages api/pfs, method/auth.bindTempAuthKey).
 *
 *   auth.bindTempAuthKey#cdd42a05 perm_auth_key_id:long nonce:long expires_at:int
 *                                 encrypted_message:bytes = Bool;
 *   "sent over the temp key, in session temp_session_id". encrypted_message is
 *   bind_auth_key_inner#75a3f765 nonce temp_auth_key_id perm_auth_key_id temp_session_id
 *   expires_at (40 bytes boxed) encrypted MTProto 1.0-style under the PERMANENT key:
 *   plaintext = random:int128 ‖ msg_id (the request's) ‖ seqno 0 ‖ msg_len 40 ‖ object,
 *   msg_key = SHA1(plaintext)[4:20], padding to 16, AES-IGE with the v1 KDF (x = 0),
 *   then perm_auth_key_id ‖ msg_key prepended.
 *
 * Client side: mt_bind_encrypt / mt_bind_build_query, and mt_bind_client_react, the decision on
 * the server's answer. Server side: mt_bind_verify (every check, its rule), the binding table
 * (one temporary key per permanent key, a new bind replaces the old one, expiry), and
 * mt_bind_gate_rpc, a sess_rpc_fn that puts all of it in front of an application's handler and
 * keeps unbound temporary keys to the three methods they may call.
 * Sans-I/O: the clock and the RNG are injected, nothing is allocated.
 */
#ifndef MTPROOF_PROTO_BIND_H
#define MTPROOF_PROTO_BIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"
#include "proto/kdf.h"
#include "proto/msgid.h"
#include "proto/session.h"

#define MT_BIND_INNER_LEN  40u /* boxed bind_auth_key_inner */
#define MT_BIND_PLAIN_LEN  72u /* random 16, msg_id 8, seqno 4, msg_len 4, object 40 */
#define MT_BIND_PAD_LEN    8u  /* 72 padded to a multiple of 16 */
#define MT_BIND_RANDOM_LEN 16u
#define MT_BIND_ENC_LEN    104u /* auth_key_id 8, msg_key 16, 80 encrypted bytes */
/* The query: id, perm_auth_key_id, nonce, expires_at, bytes(104) = 1 + 104 + 3 zero bytes. */
#define MT_BIND_QUERY_LEN 132u
/* "If the permanent key is more than 60 seconds old", ENCRYPTED_MESSAGE_INVALID means the
 * server lost it: the client recreates both keys (api/pfs). */
#define MT_BIND_PERM_KEY_FRESH_S 60u
/* Bindings the server keeps (a named limit; the table never grows). */
#define MT_BIND_TABLE_MAX 64u
/* Arena for decoding a wrapped query (invokeWithLayer, initConnection and its JSON params). */
#define MT_BIND_ARENA_LEN 4096u

/* The auth_key_id of a key as the TL long that carries it (its 8 wire bytes, little-endian). */
int64_t mt_bind_key_id(const mt_auth_key *k);

/* bind_auth_key_inner, field for field. */
typedef struct mt_bind_inner {
    int64_t nonce;
    int64_t temp_auth_key_id;
    int64_t perm_auth_key_id;
    int64_t temp_session_id;
    int32_t expires_at;
} mt_bind_inner;

/* ---- client ---- */

/* encrypted_message for `in` under the permanent key, with msg_id the msg_id of the request that
 * will carry it. rng gives the random int128 first, then the 8 padding bytes (24 bytes in all).
 * Secrets (aes key/iv) are wiped. */
MT_WUR int mt_bind_encrypt(const mt_auth_key *perm, const mt_bind_inner *in, uint64_t msg_id,
                           mt_rng *rng, uint8_t out[MT_BIND_ENC_LEN]);
/* The whole auth.bindTempAuthKey query (MT_BIND_QUERY_LEN bytes) into out (cap), *out_len set.
 * in->perm_auth_key_id is used for the outer field too. no_space when cap is short. */
MT_WUR int mt_bind_build_query(const mt_auth_key *perm, const mt_bind_inner *in, uint64_t msg_id,
                               mt_rng *rng, uint8_t *out, size_t cap, size_t *out_len);

/* Sends the bind through a session engine: the query is queued with sess_client_send, then
 * encrypted for the msg_id it got (in out and in the engine's resend store). A resend by the
 * engine takes a new msg_id, which the server refuses (BIND_MSG_ID_MISMATCH): on any resend the
 * client builds a new bind (MT_BIND_RETRY). */
MT_WUR int mt_bind_client_send(sess_client *c, const mt_auth_key *perm, const mt_bind_inner *in,
                               mt_rng *rng, sess_out *out, uint64_t *msg_id);

/* What the client does with the server's answer to its bind. */
typedef enum mt_bind_action {
    MT_BIND_DONE,          /* boolTrue: bound; repeat initConnection (api/pfs) */
    MT_BIND_RETRY,         /* send the bind again (new msg_id, nonce) over the same keys */
    MT_BIND_NEW_TEMP_KEY,  /* create a new temporary key, then bind it */
    MT_BIND_RECREATE_KEYS, /* drop both keys, create a new permanent and temporary key, bind */
    MT_BIND_FAIL,          /* an answer binding cannot recover from (a client bug) */
} mt_bind_action;

/*
 * The decision on the result object of auth.bindTempAuthKey (boolTrue, boolFalse or rpc_error).
 * perm_age_s: seconds since the permanent key was created. Per api/pfs, ENCRYPTED_MESSAGE_INVALID
 * -> MT_BIND_RECREATE_KEYS when the permanent key is more than 60 s old, else MT_BIND_RETRY.
 * The spec gives no reaction to the other errors; mtproof's: EXPIRES_AT_INVALID and
 * TEMP_AUTH_KEY_ALREADY_BOUND -> MT_BIND_NEW_TEMP_KEY (a fresh key has a fresh lifetime and no
 * binding); TEMP_AUTH_KEY_EMPTY (bind sent over a permanent key), boolFalse, any other error or an
 * undecodable result -> MT_BIND_FAIL.
 */
mt_bind_action mt_bind_client_react(const uint8_t *result, size_t len, uint64_t perm_age_s);
const char *mt_bind_action_name(mt_bind_action a);

/* ---- server ---- */

/* The permanent key with this auth_key_id, or NULL when the server holds none. */
typedef const mt_auth_key *(*mt_bind_find_key_fn)(void *ctx, int64_t auth_key_id);

typedef struct mt_bind_entry {
    int64_t perm_id;
    int64_t temp_id;
    int32_t expires_at;
} mt_bind_entry;

/* Bindings: at most one per permanent key and one per temporary key. Flat and copyable. */
typedef struct mt_bind_table {
    mt_bind_entry e[MT_BIND_TABLE_MAX];
    uint32_t n;
} mt_bind_table;

void mt_bind_table_init(mt_bind_table *t);
/* The live binding of a temporary key at unix time now (expires_at > now), or NULL. */
const mt_bind_entry *mt_bind_table_find_temp(const mt_bind_table *t, int64_t temp_id, int64_t now);
/* Binds temp to perm until expires_at: replaces perm's earlier binding ("one permanent key is
 * bound to at most one temporary key; a new bind replaces the old one"); forgets expired ones.
 * limit_exceeded when MT_BIND_TABLE_MAX live bindings exist. */
MT_WUR int mt_bind_table_set(mt_bind_table *t, int64_t perm_id, int64_t temp_id, int32_t expires_at,
                             int64_t now);

/* Forgets the binding of a temporary key (the key itself is gone: it expired). */
void mt_bind_table_drop_temp(mt_bind_table *t, int64_t temp_id);

/* The connection a request came in on. */
typedef struct mt_bind_conn {
    int64_t auth_key_id;    /* the key the request was encrypted with */
    bool temporary;         /* created with p_q_inner_data_temp_dc */
    int64_t key_expires_at; /* a temporary key's own expiry: created + expires_in */
    uint64_t session_id;
} mt_bind_conn;

/* The outer fields of auth.bindTempAuthKey. enc points into the query. */
typedef struct mt_bind_request {
    int64_t perm_auth_key_id;
    int64_t nonce;
    int32_t expires_at;
    const uint8_t *enc;
    size_t enc_len;
} mt_bind_request;

/* Parses an auth.bindTempAuthKey query that fills query[0..len) exactly (BIND_QUERY_MALFORMED). */
MT_WUR int mt_bind_parse_query(const uint8_t *query, size_t len, mt_bind_request *out);

/*
 * Every check of a bind request received on conn in message req_msg_id at unix time now, in this
 * order: BIND_TEMP_KEY_EMPTY, BIND_ENCRYPTED_LENGTH, BIND_PERM_KEY_UNKNOWN, BIND_MSG_KEY (constant
 * time), BIND_INNER_MALFORMED, BIND_MSG_ID_MISMATCH, BIND_TEMP_KEY_MISMATCH, BIND_PERM_ID_MISMATCH,
 * BIND_SESSION_MISMATCH, BIND_NONCE_MISMATCH, BIND_EXPIRES_MISMATCH, BIND_EXPIRES_AT_INVALID,
 * BIND_TEMP_KEY_ALREADY_BOUND (table may be NULL: not checked). The decrypted plaintext is wiped.
 */
MT_WUR int mt_bind_verify(mt_bind_find_key_fn find_perm, void *keys_ctx, const mt_bind_table *table,
                          const mt_bind_conn *conn, uint64_t req_msg_id, int64_t now,
                          const mt_bind_request *req);

/* The shared server state: keys, bindings, clock, and the application's handler. */
typedef struct mt_bind_server {
    const mt_clock *clock;
    mt_bind_find_key_fn find_perm;
    void *keys_ctx;
    mt_bind_table table;
    int32_t this_dc;  /* for the Config and NearestDc answers */
    sess_rpc_fn next; /* queries of bound keys and permanent keys; NULL: none */
    void *next_ctx;
} mt_bind_server;

/* One connection's view: sess_server_cfg.rpc = mt_bind_gate_rpc, rpc_ctx = the gate. */
typedef struct mt_bind_gate {
    mt_bind_server *srv;
    mt_bind_conn conn;       /* conn.session_id is taken from sess when sess is set */
    const sess_server *sess; /* the session engine the gate serves, or NULL */
    int last_rule;           /* the rule the last query broke, or 0 */
} mt_bind_gate;

/*
 * A sess_rpc_fn. Unwraps invokeWithLayer / initConnection to find the method, then:
 * auth.bindTempAuthKey -> mt_bind_verify, the binding stored, boolTrue; help.getConfig -> a
 * minimal Config; help.getNearestDc -> nearestDc; any other method on an unbound temporary key ->
 * rpc_error 401 AUTH_KEY_PERM_EMPTY; everything else -> srv->next (unimplemented when NULL).
 * A broken rule is answered with its rpc_error as the result object and kept in last_rule.
 */
int mt_bind_gate_rpc(void *ctx, uint64_t req_msg_id, const uint8_t *query, size_t len, uint8_t *out,
                     size_t cap, size_t *out_len);

/* The error code and text of a bind rule's rpc_error (400 ENCRYPTED_MESSAGE_INVALID ...), or
 * false when rule is not one of them. */
bool mt_bind_rule_error(int rule, int32_t *code, const char **text);

#endif
