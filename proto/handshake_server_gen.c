/*
 * Server step 3: set_client_DH_params#f5045f1f nonce server_nonce encrypted_data:bytes ->
 * dh_gen_ok / dh_gen_retry / dh_gen_fail nonce server_nonce new_nonce_hashN (page
 * mtproto/auth_key). encrypted_data is AES-IGE(SHA1(client_DH_inner_data) + client_DH_inner_data +
 * 0..15 random) under the tmp key; client_DH_inner_data#6643b654 nonce server_nonce retry_id:long
 * g_b:bytes. "retry_id is 0 on the first attempt, otherwise the auth_key_aux_hash of the previous
 * failed attempt." auth_key = g_b^a mod p; when its auth_key_id is in use, dh_gen_retry.
 */
#include <string.h>

#include "common/ct.h"
#include "proto/handshake_server_internal.h"

typedef struct client_inner {
    uint8_t nonce[HS_NONCE_LEN], server_nonce[HS_NONCE_LEN], retry_id[HS_AUX_HASH_LEN];
    tl_str g_b;
    size_t len;
} client_inner;

/* The client's answer rules (proto/handshake.h) as the server's rules. */
static int map_answer_rule(int err)
{
    if (err == MT_E_HS_ANSWER_HASH)
        return MT_E_HSS_ANSWER_HASH;
    if (err == MT_E_HS_ANSWER_PADDING)
        return MT_E_HSS_ANSWER_PADDING;
    if (err == MT_E_HS_ANSWER_NOT_ALIGNED || err == MT_E_HS_ANSWER_TOO_SHORT ||
        err == MT_E_HS_ANSWER_TOO_LONG)
        return MT_E_HSS_ANSWER_LENGTH;
    return err;
}

/* Decrypts, parses client_DH_inner_data, checks the padding and the hash. plain holds it. */
static int open_answer(hss *s, tl_str enc, uint8_t plain[HS_ANSWER_MAX], client_inner *o)
{
    int err = hs_answer_decrypt(&s->tmp, enc.p, enc.len, plain, HS_ANSWER_MAX);
    if (err)
        return map_answer_rule(err);
    mt_rd r = rd_init(plain + HS_SHA1_LEN, enc.len - HS_SHA1_LEN);
    uint32_t id = (uint32_t)tl_rd_int(&r);
    tl_rd_int128(&r, o->nonce);
    tl_rd_int128(&r, o->server_nonce);
    rd_copy(&r, o->retry_id, sizeof o->retry_id);
    o->g_b = tl_rd_string(&r, TL_STRICT);
    if (r.err || id != HSS_ID_CLIENT_DH_INNER)
        return MT_E_HSS_CLIENT_INNER_MALFORMED;
    o->len = (size_t)(r.p - (plain + HS_SHA1_LEN));
    return map_answer_rule(hs_answer_verify(plain, enc.len, o->len));
}

/* Whether the new key's id is already in use (callback, then the id set). */
static bool id_in_use(const hss *s, const uint8_t id[MT_AUTH_KEY_ID_LEN])
{
    if (s->cfg.key_exists && s->cfg.key_exists(s->cfg.key_exists_ctx, id))
        return true;
    for (size_t i = 0; i < s->cfg.n_known_ids; i++)
        if (ct_eq(s->cfg.known_ids[i], id, MT_AUTH_KEY_ID_LEN))
            return true;
    return false;
}

/* dh_gen_ok / _retry / _fail (number 1, 2, 3) for the key in s->res, faults applied. */
static int write_gen(hss *s, unsigned number, mt_wr *w)
{
    static const uint32_t ids[4] = {0, HSS_ID_DH_GEN_OK, HSS_ID_DH_GEN_RETRY, HSS_ID_DH_GEN_FAIL};
    uint8_t hash[HS_NONCE_HASH_LEN], nonce[HS_NONCE_LEN];
    int err = hs_new_nonce_hash(s->new_nonce, number, s->res.key.aux_hash, hash);
    if (err)
        return err;
    memcpy(nonce, s->nonce, sizeof nonce);
    nonce[0] ^= hss_faulty(s, HSS_FAULT_GEN_NONCE);
    hash[0] ^= hss_gen_hash_wrong(s, number);
    tl_wr_int(w, (int32_t)ids[number]);
    tl_wr_int128(w, nonce);
    tl_wr_int128(w, s->server_nonce);
    tl_wr_int128(w, hash);
    return 0;
}

/* The key of this attempt, then ok, retry (id in use) or fail (too many retries, or the fault). */
static int finish(hss *s, tl_str g_b, mt_wr *w)
{
    uint8_t key[DH_BYTES];
    int err = dh_compute_key(&s->dh, g_b.p, g_b.len, DH_VALUE_GB, key);
    if (err)
        return err;
    mt_auth_key_init(&s->res.key, key);
    ct_wipe(key, sizeof key);
    /* Forced retries (hss_config.forced_retries) count like a key id in use: retry, then fail. */
    unsigned number =
        hss_gen_number(s, id_in_use(s, s->res.key.id) || s->retries < s->cfg.forced_retries);
    err = write_gen(s, number, w);
    if (err)
        return err;
    if (number == 1) {
        hs_initial_salt(s->new_nonce, s->server_nonce, s->res.server_salt);
        s->res.retries = s->retries;
        s->state = HSS_DONE;
        return 0;
    }
    memcpy(s->retry_id, s->res.key.aux_hash, HS_AUX_HASH_LEN);
    mt_auth_key_wipe(&s->res.key);
    if (number == 2) {
        s->retries++;
        return 0;
    }
    s->state = HSS_GEN_FAIL;
    return 0;
}

int hss_step_set_dh(hss *s, const uint8_t *q, size_t n, mt_wr *w)
{
    mt_rd r = rd_init(q, n);
    uint8_t nonce[HS_NONCE_LEN], server_nonce[HS_NONCE_LEN], plain[HS_ANSWER_MAX];
    tl_rd_int(&r);
    tl_rd_int128(&r, nonce);
    tl_rd_int128(&r, server_nonce);
    tl_str enc = tl_rd_string(&r, TL_STRICT);
    if (rd_done(&r))
        return MT_E_HSS_MALFORMED_QUERY;
    if (memcmp(nonce, s->nonce, HS_NONCE_LEN) != 0)
        return MT_E_HSS_NONCE_MISMATCH;
    if (memcmp(server_nonce, s->server_nonce, HS_NONCE_LEN) != 0)
        return MT_E_HSS_SERVER_NONCE_MISMATCH;
    client_inner in;
    memset(&in, 0, sizeof in);
    int err = open_answer(s, enc, plain, &in);
    if (!err && (memcmp(in.nonce, s->nonce, HS_NONCE_LEN) != 0 ||
                 memcmp(in.server_nonce, s->server_nonce, HS_NONCE_LEN) != 0))
        err = MT_E_HSS_CLIENT_INNER_MISMATCH;
    /* retry_id is the aux_hash of the previous key attempt: compared in constant time. */
    if (!err && !ct_eq(in.retry_id, s->retry_id, HS_AUX_HASH_LEN))
        err = MT_E_HSS_RETRY_ID_WRONG;
    if (!err)
        err = finish(s, in.g_b, w);
    ct_wipe(plain, sizeof plain);
    return err;
}
