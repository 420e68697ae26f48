/*
 * The bind step (docs/scenarios.md "bind"; page api/pfs; mtproto-notes §1 "Temporary keys"):
 * auth.bindTempAuthKey for the current key (a temporary one) to the key the handshake before
 * it created (the permanent one), with encrypted_message built by proto/bind.h. fault= breaks
 * one thing on purpose, so each BIND_* check of the server can be reached from the wire:
 *
 *   perm_id      inner perm_auth_key_id differs from the query's     BIND_PERM_ID_MISMATCH
 *   temp_id      inner temp_auth_key_id is not the key in use         BIND_TEMP_KEY_MISMATCH
 *   session      inner temp_session_id is not the session in use      BIND_SESSION_MISMATCH
 *   nonce        query nonce differs from the inner one               BIND_NONCE_MISMATCH
 *   expires      query expires_at differs from the inner one          BIND_EXPIRES_MISMATCH
 *   msg_id       the outer msg_id is not the inner one                BIND_MSG_ID_MISMATCH
 *   msg_key      a flipped byte of encrypted_message's msg_key        BIND_MSG_KEY
 *   length       encrypted_message cut to 88 bytes                    BIND_ENCRYPTED_LENGTH
 *   perm_unknown a perm_auth_key_id and key the server never made     BIND_PERM_KEY_UNKNOWN
 *   malformed    the query ends after its nonce                       BIND_QUERY_MALFORMED
 *   expired      expires_at in the past                               BIND_EXPIRES_AT_INVALID
 *   inner        the inner message has seqno 1 (it must be 0)         BIND_INNER_MALFORMED
 *   other_perm   the key two handshakes back as the permanent key     (a second binding)
 */
#include <stdio.h>
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "harness/conform_run.h"
#include "proto/bind.h"
#include "proto/message.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"

#define BIND_ID         0xcdd42a05u /* auth.bindTempAuthKey */
#define BIND_LIFETIME_S 600         /* expires_at = now + this: inside a temp key of 3600 s */

static const char *const faults[] = {
    "perm_id", "temp_id",      "session",   "nonce",   "expires",    "msg_id", "msg_key",
    "length",  "perm_unknown", "malformed", "expired", "other_perm", "inner"};

bool sc_bind_fault_ok(const char *f)
{
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
        if (strcmp(f, faults[i]) == 0)
            return true;
    return false;
}

static bool is(const char *f, const char *name)
{
    return f && strcmp(f, name) == 0;
}

/* The query body; enc is encrypted_message (MT_BIND_ENC_LEN bytes). */
static size_t write_query(uint8_t *out, size_t cap, const mt_bind_inner *in, const uint8_t *enc,
                          size_t enc_len, const char *f)
{
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, BIND_ID);
    wr_u64le(&w, (uint64_t)in->perm_auth_key_id);
    wr_u64le(&w, (uint64_t)(in->nonce ^ (is(f, "nonce") ? 1 : 0)));
    if (!is(f, "malformed")) {
        wr_u32le(&w, (uint32_t)(in->expires_at + (is(f, "expires") ? 1 : 0)));
        tl_wr_string(&w, enc, enc_len);
    }
    return w.err ? 0 : (size_t)(w.p - w.start);
}

/* encrypted_message whose inner message has seqno 1: well encrypted, malformed inside. The
 * layout of proto/bind.h: random 16, msg_id 8, seqno 4, msg_len 4, bind_auth_key_inner 40. */
static int encrypt_bad_inner(cf_peer *p, const mt_auth_key *perm, const mt_bind_inner *in,
                             uint64_t msg_id, uint8_t enc[MT_BIND_ENC_LEN])
{
    uint8_t plain[MT_BIND_PLAIN_LEN];
    mt_wr w = wr_init(plain, sizeof plain);
    drbg_generate(&p->drbg, wr_reserve(&w, MT_BIND_RANDOM_LEN), MT_BIND_RANDOM_LEN);
    wr_u64le(&w, msg_id);
    wr_u32le(&w, 1);
    wr_u32le(&w, MT_BIND_INNER_LEN);
    wr_u32le(&w, MTP_ID_bind_auth_key_inner);
    wr_u64le(&w, (uint64_t)in->nonce);
    wr_u64le(&w, (uint64_t)in->temp_auth_key_id);
    wr_u64le(&w, (uint64_t)in->perm_auth_key_id);
    wr_u64le(&w, (uint64_t)in->temp_session_id);
    wr_u32le(&w, (uint32_t)in->expires_at);
    size_t n = 0;
    int err = w.err ? w.err
                    : mt_msg_encrypt_v1(perm, MT_X_CLIENT, plain, sizeof plain, &p->drbg.rng, enc,
                                        MT_BIND_ENC_LEN, &n);
    ct_wipe(plain, sizeof plain);
    return err;
}

static void pick_perm(cf_peer *p, const char *f, mt_auth_key *perm)
{
    *perm = is(f, "other_perm") ? p->perm2 : p->perm;
    if (is(f, "perm_unknown")) {
        uint8_t raw[MT_AUTH_KEY_LEN];
        drbg_generate(&p->drbg, raw, sizeof raw);
        mt_auth_key_init(perm, raw);
    }
}

int cf_bind(cf_peer *p, const char *f, char *why, size_t cap)
{
    if (!p->has_perm || !p->has_key || (is(f, "other_perm") && !p->has_perm2)) {
        snprintf(why, cap, "bind needs a permanent key from an earlier handshake");
        return MT_E_bad_argument;
    }
    mt_auth_key perm;
    pick_perm(p, f, &perm);
    uint8_t nonce[8];
    drbg_generate(&p->drbg, nonce, sizeof nonce);
    int64_t now_s = (int64_t)(clock_now(p->tg->clock) / NS_PER_S);
    mt_bind_inner in = {.nonce = (int64_t)ld64le(nonce),
                        .temp_auth_key_id = mt_bind_key_id(&p->key) ^ (is(f, "temp_id") ? 1 : 0),
                        .perm_auth_key_id = mt_bind_key_id(&perm),
                        .temp_session_id = (int64_t)p->session_id ^ (is(f, "session") ? 1 : 0),
                        .expires_at = (int32_t)(now_s + (is(f, "expired") ? -1 : BIND_LIFETIME_S))};
    uint64_t msg_id;
    int err = cf_next_msg_id(p, &msg_id);
    int64_t query_perm = in.perm_auth_key_id;
    if (is(f, "perm_id"))
        in.perm_auth_key_id ^= 1;
    uint8_t enc[MT_BIND_ENC_LEN], q[MT_BIND_QUERY_LEN + 16];
    if (!err)
        err = is(f, "inner") ? encrypt_bad_inner(p, &perm, &in, msg_id, enc)
                             : mt_bind_encrypt(&perm, &in, msg_id, &p->drbg.rng, enc);
    mt_auth_key_wipe(&perm);
    if (err) {
        snprintf(why, cap, "mt_bind_encrypt: %s", mt_err_name(err));
        return err;
    }
    in.perm_auth_key_id = query_perm;
    if (is(f, "msg_key"))
        enc[MT_AUTH_KEY_ID_LEN] ^= 0x01;
    size_t n = write_query(q, sizeof q, &in, enc, is(f, "length") ? 88 : sizeof enc, f);
    cf_env e = {.has_msg_id = true, .msg_id = msg_id};
    if (is(f, "msg_id") && (err = cf_next_msg_id(p, &e.msg_id)) != 0)
        return err;
    cf_logf(p, "-- bind%s%s", f ? " fault=" : "", f ? f : "");
    return cf_send_msg(p, q, n, &e);
}
