/* The client side of auth.bindTempAuthKey (proto/bind.h; mtproto-notes §7, page api/pfs). */
#include <string.h>

#include "common/ct.h"
#include "common/cursor.h"
#include "common/endian.h"
#include "proto/bind.h"
#include "proto/message.h"
#include "proto/session_internal.h"
#include "proto/tl.h"
#include "proto/tl_api.h"
#include "proto/tl_mtp.h"

_Static_assert(MT_BIND_ENC_LEN == MT_MSG_OUTER_LEN + MT_BIND_PLAIN_LEN + MT_BIND_PAD_LEN,
               "72 plaintext bytes pad to 80");
_Static_assert(MT_BIND_QUERY_LEN == 4 + 8 + 8 + 4 + 1 + MT_BIND_ENC_LEN + 3, "bytes(104) is 108");

int64_t mt_bind_key_id(const mt_auth_key *k)
{
    return (int64_t)ld64le(k->id);
}

/* plaintext = random:int128 ‖ msg_id ‖ seqno 0 ‖ msg_len 40 ‖ bind_auth_key_inner: "random
 * salt and session_id, seq_no 0" (tdlib SessionConnection::encrypted_bind). */
static int write_plain(const mt_bind_inner *in, uint64_t msg_id, mt_rng *rng,
                       uint8_t plain[MT_BIND_PLAIN_LEN])
{
    int err = rng_fill(rng, plain, MT_BIND_RANDOM_LEN);
    if (err)
        return err;
    mt_wr w = wr_init(plain + MT_BIND_RANDOM_LEN, MT_BIND_PLAIN_LEN - MT_BIND_RANDOM_LEN);
    tl_wr_long(&w, (int64_t)msg_id);
    tl_wr_int(&w, 0);
    tl_wr_int(&w, (int32_t)MT_BIND_INNER_LEN);
    wr_u32le(&w, MTP_ID_bind_auth_key_inner);
    tl_wr_long(&w, in->nonce);
    tl_wr_long(&w, in->temp_auth_key_id);
    tl_wr_long(&w, in->perm_auth_key_id);
    tl_wr_long(&w, in->temp_session_id);
    tl_wr_int(&w, in->expires_at);
    return w.err;
}

/* The placeholder starts with the method's id so the engine classifies it as the query it is. */
static void wr_placeholder_id(uint8_t q[MT_BIND_QUERY_LEN])
{
    st32le(q, API_ID_auth_bindTempAuthKey);
}

int mt_bind_encrypt(const mt_auth_key *perm, const mt_bind_inner *in, uint64_t msg_id, mt_rng *rng,
                    uint8_t out[MT_BIND_ENC_LEN])
{
    uint8_t plain[MT_BIND_PLAIN_LEN];
    size_t n = 0;
    int err = write_plain(in, msg_id, rng, plain);
    /* MTProto 1.0 framing, x = 0: the bind travels from client to server. */
    if (!err)
        err = mt_msg_encrypt_v1(perm, MT_X_CLIENT, plain, sizeof plain, rng, out, MT_BIND_ENC_LEN,
                                &n);
    ct_wipe(plain, sizeof plain);
    if (err)
        ct_wipe(out, MT_BIND_ENC_LEN);
    return err;
}

int mt_bind_build_query(const mt_auth_key *perm, const mt_bind_inner *in, uint64_t msg_id,
                        mt_rng *rng, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (cap < MT_BIND_QUERY_LEN)
        return MT_E_no_space;
    uint8_t enc[MT_BIND_ENC_LEN];
    int err = mt_bind_encrypt(perm, in, msg_id, rng, enc);
    if (err)
        return err;
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, API_ID_auth_bindTempAuthKey);
    tl_wr_long(&w, in->perm_auth_key_id);
    tl_wr_long(&w, in->nonce);
    tl_wr_int(&w, in->expires_at);
    tl_wr_string(&w, enc, sizeof enc);
    if (w.err)
        return w.err;
    *out_len = wr_len(&w);
    return MT_OK;
}

int mt_bind_client_send(sess_client *c, const mt_auth_key *perm, const mt_bind_inner *in,
                        mt_rng *rng, sess_out *out, uint64_t *msg_id)
{
    /* A placeholder of the final length takes the msg_id the bind must carry inside. */
    uint8_t placeholder[MT_BIND_QUERY_LEN] = {0};
    wr_placeholder_id(placeholder);
    int err = sess_client_send(c, placeholder, sizeof placeholder, out, msg_id);
    if (err)
        return err;
    uint8_t *body = out->buf + (out->msgs[out->n - 1].body - out->buf);
    size_t n = 0;
    err = mt_bind_build_query(perm, in, *msg_id, rng, body, MT_BIND_QUERY_LEN, &n);
    if (err)
        return err;
    sess_stored *e = core_store_find(&c->core, *msg_id);
    if (e)
        memcpy(core_store_body(&c->core, e), body, n);
    return MT_OK;
}

/* api/pfs: "if the permanent key is more than 60 seconds old, drop both keys, recreate them and
 * rebind; otherwise just retry the bind". */
static mt_bind_action react_error(const tl_str *text, uint64_t perm_age_s)
{
    static const struct {
        const char *text;
        mt_bind_action action;
    } table[] = {
        {"EXPIRES_AT_INVALID", MT_BIND_NEW_TEMP_KEY},
        {"TEMP_AUTH_KEY_ALREADY_BOUND", MT_BIND_NEW_TEMP_KEY},
        {"TEMP_AUTH_KEY_EMPTY", MT_BIND_FAIL},
    };
    static const char emi[] = "ENCRYPTED_MESSAGE_INVALID";
    if (text->len == sizeof emi - 1 && memcmp(text->p, emi, text->len) == 0)
        return perm_age_s > MT_BIND_PERM_KEY_FRESH_S ? MT_BIND_RECREATE_KEYS : MT_BIND_RETRY;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (text->len == strlen(table[i].text) && memcmp(text->p, table[i].text, text->len) == 0)
            return table[i].action;
    return MT_BIND_FAIL;
}

mt_bind_action mt_bind_client_react(const uint8_t *result, size_t len, uint64_t perm_age_s)
{
    mt_rd r = rd_init(result, len);
    uint32_t id = rd_u32le(&r);
    if (id == API_ID_boolTrue && rd_done(&r) == MT_OK)
        return MT_BIND_DONE;
    if (id != MTP_ID_rpc_error)
        return MT_BIND_FAIL;
    (void)tl_rd_int(&r);
    tl_str text = tl_rd_string(&r, TL_STRICT);
    if (rd_done(&r) != MT_OK)
        return MT_BIND_FAIL;
    return react_error(&text, perm_age_s);
}

const char *mt_bind_action_name(mt_bind_action a)
{
    switch (a) {
    case MT_BIND_DONE:
        return "done";
    case MT_BIND_RETRY:
        return "retry";
    case MT_BIND_NEW_TEMP_KEY:
        return "new_temp_key";
    case MT_BIND_RECREATE_KEYS:
        return "recreate_keys";
    case MT_BIND_FAIL:
        return "fail";
    }
    return "unknown";
}
