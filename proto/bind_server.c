/* The server side of auth.bindTempAuthKey: parsing, every check of bind_auth_key_inner, and the
 * binding table (proto/bind.h; mtproto-notes §7, pages api/pfs, method/auth.bindTempAuthKey). */
#include <string.h>

#include "common/ct.h"
#include "common/cursor.h"
#include "crypto/ige.h"
#include "proto/bind.h"
#include "proto/message.h"
#include "proto/tl.h"
#include "proto/tl_api.h"
#include "proto/tl_mtp.h"

int mt_bind_parse_query(const uint8_t *query, size_t len, mt_bind_request *out)
{
    memset(out, 0, sizeof *out);
    mt_rd r = rd_init(query, len);
    if (rd_u32le(&r) != API_ID_auth_bindTempAuthKey)
        return MT_E_BIND_QUERY_MALFORMED;
    out->perm_auth_key_id = tl_rd_long(&r);
    out->nonce = tl_rd_long(&r);
    out->expires_at = tl_rd_int(&r);
    tl_str enc = tl_rd_string(&r, TL_STRICT);
    if (rd_done(&r) != MT_OK) {
        memset(out, 0, sizeof *out);
        return MT_E_BIND_QUERY_MALFORMED;
    }
    out->enc = enc.p;
    out->enc_len = enc.len;
    return MT_OK;
}

/* Decrypts the 80 encrypted bytes under the permanent key (v1 KDF, x = 0) and checks msg_key in
 * constant time. msg_key covers the 72 bytes a correct bind has (32 + msg_len 40): a message
 * claiming another msg_len fails here or at the inner checks, both ENCRYPTED_MESSAGE_INVALID. */
static int decrypt_inner(const mt_auth_key *perm, const uint8_t *enc,
                         uint8_t plain[MT_BIND_PLAIN_LEN + MT_BIND_PAD_LEN])
{
    const uint8_t *msg_key = enc + MT_AUTH_KEY_ID_LEN;
    uint8_t key[MT_AES_KEY_LEN], iv[MT_AES_IV_LEN], want[MT_MSG_KEY_LEN];
    int err = mt_kdf_v1(perm->key, MT_X_CLIENT, msg_key, key, iv);
    if (!err)
        err = aes256_ige_decrypt(key, sizeof key, iv, sizeof iv, enc + MT_MSG_OUTER_LEN, plain,
                                 MT_BIND_PLAIN_LEN + MT_BIND_PAD_LEN);
    ct_wipe(key, sizeof key);
    ct_wipe(iv, sizeof iv);
    if (err)
        return err;
    mt_msg_key_v1(plain, MT_BIND_PLAIN_LEN, want);
    bool ok = ct_eq(want, msg_key, MT_MSG_KEY_LEN);
    ct_wipe(want, sizeof want);
    return ok ? MT_OK : MT_E_BIND_MSG_KEY;
}

/* Reads random, msg_id, seqno, msg_len and the object (BIND_INNER_MALFORMED). */
static int read_inner(const uint8_t *plain, uint64_t *msg_id, mt_bind_inner *in)
{
    mt_rd r = rd_init(plain + MT_BIND_RANDOM_LEN, MT_BIND_PLAIN_LEN - MT_BIND_RANDOM_LEN);
    *msg_id = (uint64_t)tl_rd_long(&r);
    int32_t seqno = tl_rd_int(&r);
    int32_t msg_len = tl_rd_int(&r);
    uint32_t id = rd_u32le(&r);
    in->nonce = tl_rd_long(&r);
    in->temp_auth_key_id = tl_rd_long(&r);
    in->perm_auth_key_id = tl_rd_long(&r);
    in->temp_session_id = tl_rd_long(&r);
    in->expires_at = tl_rd_int(&r);
    if (rd_done(&r) != MT_OK || seqno != 0 || msg_len != (int32_t)MT_BIND_INNER_LEN ||
        id != MTP_ID_bind_auth_key_inner)
        return MT_E_BIND_INNER_MALFORMED;
    return MT_OK;
}

/* The inner object against the request and the connection, in the documented order. */
static int check_inner(const mt_bind_inner *in, uint64_t inner_msg_id, const mt_bind_conn *conn,
                       uint64_t req_msg_id, const mt_bind_request *req)
{
    if (inner_msg_id != req_msg_id)
        return MT_E_BIND_MSG_ID_MISMATCH;
    if (in->temp_auth_key_id != conn->auth_key_id)
        return MT_E_BIND_TEMP_KEY_MISMATCH;
    if (in->perm_auth_key_id != req->perm_auth_key_id)
        return MT_E_BIND_PERM_ID_MISMATCH;
    if ((uint64_t)in->temp_session_id != conn->session_id)
        return MT_E_BIND_SESSION_MISMATCH;
    if (in->nonce != req->nonce)
        return MT_E_BIND_NONCE_MISMATCH;
    if (in->expires_at != req->expires_at)
        return MT_E_BIND_EXPIRES_MISMATCH;
    return MT_OK;
}

int mt_bind_verify(mt_bind_find_key_fn find_perm, void *keys_ctx, const mt_bind_table *table,
                   const mt_bind_conn *conn, uint64_t req_msg_id, int64_t now,
                   const mt_bind_request *req)
{
    if (!conn->temporary)
        return MT_E_BIND_TEMP_KEY_EMPTY;
    if (req->enc_len != MT_BIND_ENC_LEN)
        return MT_E_BIND_ENCRYPTED_LENGTH;
    const mt_auth_key *perm = find_perm ? find_perm(keys_ctx, req->perm_auth_key_id) : NULL;
    if (!perm || mt_bind_key_id(perm) != req->perm_auth_key_id ||
        !ct_eq(req->enc, perm->id, MT_AUTH_KEY_ID_LEN))
        return MT_E_BIND_PERM_KEY_UNKNOWN;
    uint8_t plain[MT_BIND_PLAIN_LEN + MT_BIND_PAD_LEN];
    mt_bind_inner in;
    uint64_t inner_msg_id = 0;
    int err = decrypt_inner(perm, req->enc, plain);
    if (!err)
        err = read_inner(plain, &inner_msg_id, &in);
    ct_wipe(plain, sizeof plain);
    if (!err)
        err = check_inner(&in, inner_msg_id, conn, req_msg_id, req);
    if (err)
        return err;
    /* "expires_at: Unix timestamp to invalidate the temporary key"; a binding cannot outlive it. */
    if ((int64_t)req->expires_at <= now || (int64_t)req->expires_at > conn->key_expires_at)
        return MT_E_BIND_EXPIRES_AT_INVALID;
    const mt_bind_entry *e = table ? mt_bind_table_find_temp(table, conn->auth_key_id, now) : NULL;
    if (e && e->perm_id != req->perm_auth_key_id)
        return MT_E_BIND_TEMP_KEY_ALREADY_BOUND;
    return MT_OK;
}

/* ---- the binding table ---- */

void mt_bind_table_init(mt_bind_table *t)
{
    memset(t, 0, sizeof *t);
}

const mt_bind_entry *mt_bind_table_find_temp(const mt_bind_table *t, int64_t temp_id, int64_t now)
{
    for (uint32_t i = 0; i < t->n; i++)
        if (t->e[i].temp_id == temp_id && (int64_t)t->e[i].expires_at > now)
            return &t->e[i];
    return NULL;
}

int mt_bind_table_set(mt_bind_table *t, int64_t perm_id, int64_t temp_id, int32_t expires_at,
                      int64_t now)
{
    uint32_t keep = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        const mt_bind_entry *e = &t->e[i];
        /* Expired bindings go; so does perm's old binding ("a new bind replaces the old one")
         * and any earlier binding of this temporary key (to the same perm: a rebind). */
        if ((int64_t)e->expires_at <= now || e->perm_id == perm_id || e->temp_id == temp_id)
            continue;
        t->e[keep++] = *e;
    }
    memset(&t->e[keep], 0, (t->n - keep) * sizeof t->e[0]);
    t->n = keep;
    if (t->n >= MT_BIND_TABLE_MAX)
        return MT_E_limit_exceeded;
    t->e[t->n++] = (mt_bind_entry){perm_id, temp_id, expires_at};
    return MT_OK;
}

void mt_bind_table_drop_temp(mt_bind_table *t, int64_t temp_id)
{
    uint32_t keep = 0;
    for (uint32_t i = 0; i < t->n; i++)
        if (t->e[i].temp_id != temp_id)
            t->e[keep++] = t->e[i];
    memset(&t->e[keep], 0, (t->n - keep) * sizeof t->e[0]);
    t->n = keep;
}
