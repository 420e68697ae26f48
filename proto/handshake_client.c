/*
 * The client handshake engine, first half: set-up, req_pq_multi, resPQ → req_DH_params
 * (proto/handshake.h; mtproto-notes §1 steps 1–5, page mtproto/auth_key). The DH half is in
 * handshake_client_dh.c.
 */
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "crypto/pq.h"
#include "proto/handshake_client_internal.h"
#include "proto/message.h"
#include "proto/tl.h"

int32_t hs_dc_id(int32_t id, bool test, bool media)
{
    /* "dc is the DC id; +10000 for test servers; negative for media (non-CDN) DCs" */
    int32_t v = test ? id + 10000 : id;
    return media ? -v : v;
}

int hs_client_init(hs_client *c, const hs_client_config *cfg, const mt_clock *clock, mt_rng *rng,
                   const hs_client_fixed *fixed)
{
    memset(c, 0, sizeof *c);
    if (!cfg || !clock || !rng || !cfg->keys || cfg->n_keys == 0)
        return MT_E_bad_argument;
    if (cfg->kind == HS_KEY_TEMP && cfg->expires_in <= 0)
        return MT_E_bad_argument;
    if ((unsigned)cfg->fault >= HSC_FAULT_COUNT)
        return MT_E_bad_argument;
    for (size_t i = 0; i < cfg->n_keys; i++)
        if (!cfg->keys[i] || cfg->keys[i]->bytes != RSA_PAD_OUT_LEN)
            return MT_E_bad_argument;
    c->cfg = *cfg;
    if (c->cfg.max_retries == 0)
        c->cfg.max_retries = HS_MAX_RETRIES;
    c->clock = clock;
    c->rng = rng;
    if (fixed)
        c->fixed = *fixed;
    msgid_gen_init(&c->ids);
    c->state = HSC_INIT;
    return MT_OK;
}

int hsc_emit(hs_client *c, const uint8_t *body, size_t len, uint8_t *out, size_t cap,
             size_t *out_len)
{
    uint64_t id;
    if (c->msg_ids_used < c->fixed.n_msg_ids) {
        id = c->fixed.msg_ids[c->msg_ids_used];
    } else {
        int err = msgid_next(&c->ids, c->clock, c->rng, MSGID_CLIENT, &id);
        if (err)
            return err;
    }
    int err = mt_plain_pack(id, body, len, out, cap, out_len);
    if (!err)
        c->msg_ids_used++;
    return err;
}

int hs_client_start(hs_client *c, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (c->state != HSC_INIT)
        return MT_E_bad_argument;
    int err = MT_OK;
    if (c->fixed.nonce)
        memcpy(c->nonce, c->fixed.nonce, HS_NONCE_LEN);
    else
        err = rng_fill(c->rng, c->nonce, HS_NONCE_LEN);
    if (err)
        return err;
    /* req_pq_multi#be7e8ef1 nonce:int128 = ResPQ */
    uint8_t body[4 + HS_NONCE_LEN];
    mt_wr w = wr_init(body, sizeof body);
    wr_u32le(&w, HS_ID_REQ_PQ_MULTI);
    tl_wr_int128(&w, c->nonce);
    err = hsc_emit(c, body, wr_len(&w), out, cap, out_len);
    if (!err)
        c->state = HSC_WAIT_RESPQ;
    return err;
}

int hsc_check_nonces(const hs_client *c, const uint8_t nonce[HS_NONCE_LEN],
                     const uint8_t server_nonce[HS_NONCE_LEN])
{
    if (!ct_eq(nonce, c->nonce, HS_NONCE_LEN))
        return MT_E_HS_NONCE_MISMATCH;
    if (!ct_eq(server_nonce, c->server_nonce, HS_NONCE_LEN))
        return MT_E_HS_SERVER_NONCE_MISMATCH;
    return MT_OK;
}

/* The first of our keys (in our order) whose fingerprint the server lists, or NULL. */
static const rsa_public *pick_key(const hs_client *c, const uint8_t (*fps)[8], uint32_t n)
{
    for (size_t k = 0; k < c->cfg.n_keys; k++) {
        uint8_t fp[RSA_FINGERPRINT_LEN];
        rsa_fingerprint(c->cfg.keys[k], fp);
        for (uint32_t i = 0; i < n; i++)
            if (memcmp(fp, fps[i], RSA_FINGERPRINT_LEN) == 0)
                return c->cfg.keys[k];
    }
    return NULL;
}

/* Minimal big-endian bytes of v (at least one byte): how p and q go on the wire. */
static size_t be_min(uint64_t v, uint8_t out[8])
{
    size_t n = 8;
    st64be(out, v);
    while (n > 1 && out[8 - n] == 0)
        n--;
    memmove(out, out + 8 - n, n);
    return n;
}

/* p_q_inner_data_dc#a9f55f95 pq:string p:string q:string nonce:int128 server_nonce:int128
 *   new_nonce:int256 dc:int, or p_q_inner_data_temp_dc#56fddf88 ... dc:int expires_in:int. */
static int build_pq_inner(hs_client *c, tl_str pq)
{
    uint8_t pb[8], qb[8];
    size_t pn = be_min(c->p, pb), qn = be_min(c->q, qb);
    mt_wr w = wr_init(c->pq_inner, sizeof c->pq_inner);
    bool temp = c->cfg.kind == HS_KEY_TEMP;
    wr_u32le(&w, temp ? HS_ID_P_Q_INNER_DATA_TEMP_DC : HS_ID_P_Q_INNER_DATA_DC);
    tl_wr_string(&w, pq.p, pq.len);
    tl_wr_string(&w, pb, pn);
    tl_wr_string(&w, qb, qn);
    tl_wr_int128(&w, c->nonce);
    tl_wr_int128(&w, c->server_nonce);
    tl_wr_int256(&w, c->new_nonce);
    tl_wr_int(&w, c->cfg.dc);
    if (temp)
        tl_wr_int(&w, c->cfg.expires_in);
    c->pq_inner_len = w.err ? 0 : wr_len(&w);
    if (!w.err)
        hsc_fault_pq_inner(c);
    return w.err;
}

/* req_DH_params#d712e4be nonce server_nonce p:string q:string public_key_fingerprint:long
 *   encrypted_data:string */
static int send_req_dh(hs_client *c, uint8_t *out, size_t cap, size_t *out_len)
{
    uint8_t enc[RSA_PAD_OUT_LEN], pb[8], qb[8], fp[RSA_FINGERPRINT_LEN];
    uint8_t body[4 + 2 * HS_NONCE_LEN + 24 + RSA_FINGERPRINT_LEN + 4 + RSA_PAD_OUT_LEN];
    size_t enc_len = 0;
    int err = hsc_encrypt_pq_inner(c, enc, &enc_len);
    if (err)
        return err;
    size_t pn = be_min(c->p, pb), qn = be_min(c->q, qb);
    rsa_fingerprint(c->key, fp);
    mt_wr w = wr_init(body, sizeof body);
    wr_u32le(&w, HS_ID_REQ_DH_PARAMS);
    tl_wr_int128(&w, c->nonce);
    tl_wr_int128(&w, c->server_nonce);
    tl_wr_string(&w, pb, pn);
    tl_wr_string(&w, qb, qn);
    wr_bytes(&w, fp, sizeof fp); /* the long as wire bytes */
    tl_wr_string(&w, enc, enc_len);
    if (w.err)
        return w.err;
    return hsc_emit(c, body, wr_len(&w), out, cap, out_len);
}

/* resPQ#05162463 nonce server_nonce pq:string server_public_key_fingerprints:Vector<long> */
static int on_respq(hs_client *c, const uint8_t *body, size_t len, uint8_t *out, size_t cap,
                    size_t *out_len)
{
    uint8_t fps[HS_MAX_FINGERPRINTS][8], nonce[HS_NONCE_LEN];
    mt_rd r = rd_init(body, len);
    if (rd_u32le(&r) != HS_ID_RES_PQ)
        return MT_E_HS_UNEXPECTED_MESSAGE;
    tl_rd_int128(&r, nonce);
    tl_rd_int128(&r, c->server_nonce);
    tl_str pq = tl_rd_string(&r, TL_STRICT);
    uint32_t n = tl_rd_vector(&r, true, HS_MAX_FINGERPRINTS, 8);
    for (uint32_t i = 0; i < n; i++)
        rd_copy(&r, fps[i], 8);
    if (rd_done(&r))
        return MT_E_HS_UNEXPECTED_MESSAGE;
    if (!ct_eq(nonce, c->nonce, HS_NONCE_LEN))
        return MT_E_HS_NONCE_MISMATCH;
    c->key = pick_key(c, (const uint8_t(*)[8])fps, n);
    if (!c->key)
        return MT_E_HS_NO_KNOWN_FINGERPRINT;
    int err = pq_factor_bytes(pq.p, pq.len, &c->p, &c->q);
    if (err == MT_E_limit_exceeded)
        return MT_E_HS_PQ_TOO_BIG;
    if (err) /* 0, 1, even, prime, a square or three or more factors */
        return MT_E_HS_PQ_NOT_SEMIPRIME;
    if (c->fixed.new_nonce)
        memcpy(c->new_nonce, c->fixed.new_nonce, HS_NEW_NONCE_LEN);
    else if ((err = rng_fill(c->rng, c->new_nonce, HS_NEW_NONCE_LEN)) != 0)
        return err;
    err = build_pq_inner(c, pq);
    if (!err)
        err = send_req_dh(c, out, cap, out_len);
    if (!err)
        c->state = HSC_WAIT_DH;
    return err;
}

/* Forgets every secret; the state, the rule of a failure and the result stay. */
static void wipe_secrets(hs_client *c)
{
    ct_wipe(c->new_nonce, sizeof c->new_nonce);
    ct_wipe(c->pq_inner, sizeof c->pq_inner);
    ct_wipe(c->client_dh_inner, sizeof c->client_dh_inner);
    c->pq_inner_len = c->client_dh_inner_len = 0;
    hs_tmp_aes_wipe(&c->tmp);
}

int hs_client_feed(hs_client *c, const uint8_t *packet, size_t n, uint8_t *out, size_t cap,
                   size_t *out_len)
{
    *out_len = 0;
    if (c->state == HSC_FAILED)
        return c->last_err;
    if (c->state == HSC_INIT || c->state == HSC_DONE)
        return MT_E_bad_argument;
    c->fault_sent = false;
    mt_plain_view v;
    int err = mt_plain_unpack(packet, n, &v);
    if (!err) {
        if (c->state == HSC_WAIT_RESPQ)
            err = on_respq(c, v.body, v.body_len, out, cap, out_len);
        else if (c->state == HSC_WAIT_DH)
            err = hsc_on_dh_params(c, v.body, v.body_len, out, cap, out_len);
        else
            err = hsc_on_dh_gen(c, v.body, v.body_len, out, cap, out_len);
    }
    if (c->state == HSC_DONE)
        wipe_secrets(c);
    if (err && mt_err_is_rule(err)) {
        c->state = HSC_FAILED;
        c->last_err = err;
        wipe_secrets(c);
        mt_auth_key_wipe(&c->res.key);
        ct_wipe(out, cap < HS_PACKET_MAX ? cap : HS_PACKET_MAX);
        *out_len = 0;
    }
    return err;
}

hs_client_state hs_client_get_state(const hs_client *c)
{
    return c->state;
}

int hs_client_result(const hs_client *c, hs_result *out)
{
    if (c->state != HSC_DONE)
        return MT_E_bad_argument;
    *out = c->res;
    return MT_OK;
}

void hs_result_wipe(hs_result *r)
{
    ct_wipe(r, sizeof *r);
}

const uint8_t *hs_client_pq_inner(const hs_client *c, size_t *len)
{
    *len = c->pq_inner_len;
    return c->pq_inner_len ? c->pq_inner : NULL;
}

const uint8_t *hs_client_dh_inner(const hs_client *c, size_t *len)
{
    *len = c->client_dh_inner_len;
    return c->client_dh_inner_len ? c->client_dh_inner : NULL;
}

void hs_client_wipe(hs_client *c)
{
    ct_wipe(c, sizeof *c);
}
