/*
 * The client handshake engine, second half: server_DH_params_ok → client_DH_inner_data →
 * set_client_DH_params → dh_gen_ok / dh_gen_retry / dh_gen_fail (proto/handshake.h;
 * mtproto-notes §1 steps 6–9 and "Checks the client must make").
 */
#include <string.h>

#include "common/ct.h"
#include "crypto/sha1.h"
#include "proto/handshake_client_internal.h"
#include "proto/tl.h"

/* server_DH_inner_data#b5890dba nonce server_nonce g:int dh_prime:string g_a:string
 *   server_time:int, as views into the decrypted answer. */
typedef struct dh_inner {
    uint8_t nonce[HS_NONCE_LEN], server_nonce[HS_NONCE_LEN];
    int32_t g, server_time;
    tl_str prime, g_a;
} dh_inner;

static int parse_dh_inner(const uint8_t *p, size_t n, dh_inner *o, size_t *used)
{
    mt_rd r = rd_init(p, n);
    if (rd_u32le(&r) != HS_ID_SERVER_DH_INNER_DATA)
        return MT_E_HS_UNEXPECTED_MESSAGE;
    tl_rd_int128(&r, o->nonce);
    tl_rd_int128(&r, o->server_nonce);
    o->g = tl_rd_int(&r);
    o->prime = tl_rd_string(&r, TL_STRICT);
    o->g_a = tl_rd_string(&r, TL_STRICT);
    o->server_time = tl_rd_int(&r);
    if (r.err)
        return MT_E_HS_UNEXPECTED_MESSAGE;
    *used = n - rd_left(&r);
    return MT_OK;
}

/* The answer did not parse. If SHA1 over it (with any padding below 16) matches, the server sent
 * well-authenticated nonsense (HS_UNEXPECTED_MESSAGE); otherwise the hash is wrong, which is
 * what garbage after decryption with the wrong key looks like too. */
static int unparsed_answer(const uint8_t *plain, size_t n)
{
    uint8_t h[SHA1_DIGEST_LEN];
    int err = MT_E_HS_ANSWER_HASH;
    for (size_t pad = 0; pad < 16 && pad <= n - HS_SHA1_LEN; pad++) {
        sha1(plain + HS_SHA1_LEN, n - HS_SHA1_LEN - pad, h);
        if (ct_eq(h, plain, HS_SHA1_LEN))
            err = MT_E_HS_UNEXPECTED_MESSAGE;
    }
    ct_wipe(h, sizeof h);
    return err;
}

/* A big-endian value with leading zeros accepted, as exactly DH_BYTES (checked already). */
static void to_dh_bytes(tl_str v, uint8_t out[DH_BYTES])
{
    size_t skip = 0;
    while (v.len - skip > DH_BYTES && v.p[skip] == 0)
        skip++;
    memset(out, 0, DH_BYTES);
    memcpy(out + DH_BYTES - (v.len - skip), v.p + skip, v.len - skip);
}

/* Decrypts and checks encrypted_answer; on success the group and g_a are in c. */
static int take_answer(hs_client *c, const uint8_t *enc, size_t n)
{
    uint8_t plain[HS_ANSWER_MAX];
    dh_inner in;
    size_t used = 0;
    hs_tmp_aes_kdf(c->new_nonce, c->server_nonce, &c->tmp);
    int err = hs_answer_decrypt(&c->tmp, enc, n, plain, sizeof plain);
    if (err)
        return err;
    if (parse_dh_inner(plain + HS_SHA1_LEN, n - HS_SHA1_LEN, &in, &used))
        err = unparsed_answer(plain, n);
    else
        err = hs_answer_verify(plain, n, used);
    if (!err)
        err = hsc_check_nonces(c, in.nonce, in.server_nonce);
    if (!err) /* safe prime (cached), g and its residue rule */
        err = dh_check_params(in.prime.p, in.prime.len, in.g, c->cfg.primes, c->cfg.mr_rounds,
                              c->rng);
    if (!err) /* 1 < g_a < p - 1 and 2^(2048-64) <= g_a <= p - 2^(2048-64) */
        err = dh_check_value(in.prime.p, in.prime.len, in.g_a.p, in.g_a.len, DH_VALUE_GA);
    if (!err) {
        to_dh_bytes(in.prime, c->dh_prime);
        to_dh_bytes(in.g_a, c->g_a);
        c->g = in.g;
        c->res.server_time = in.server_time;
        int64_t now = (int64_t)clock_now(c->clock);
        c->res.time_offset_ns = (int64_t)in.server_time * (int64_t)NS_PER_S - now;
        c->ids.offset_ns = c->res.time_offset_ns; /* later msg_ids follow server time */
    }
    ct_wipe(plain, sizeof plain);
    return err;
}

int hsc_on_dh_params(hs_client *c, const uint8_t *body, size_t len, uint8_t *out, size_t cap,
                     size_t *out_len)
{
    uint8_t nonce[HS_NONCE_LEN], server_nonce[HS_NONCE_LEN], hash[HS_NONCE_HASH_LEN];
    mt_rd r = rd_init(body, len);
    uint32_t id = rd_u32le(&r);
    tl_rd_int128(&r, nonce);
    tl_rd_int128(&r, server_nonce);
    if (id == HS_ID_SERVER_DH_PARAMS_FAIL) {
        /* server_DH_params_fail#79cb045d nonce server_nonce new_nonce_hash:int128 (legacy) */
        tl_rd_int128(&r, hash);
        if (rd_done(&r))
            return MT_E_HS_UNEXPECTED_MESSAGE;
        int err = hsc_check_nonces(c, nonce, server_nonce);
        return err ? err : MT_E_HS_SERVER_DH_PARAMS_FAIL;
    }
    tl_str enc = tl_rd_string(&r, TL_STRICT);
    if (id != HS_ID_SERVER_DH_PARAMS_OK || rd_done(&r))
        return MT_E_HS_UNEXPECTED_MESSAGE;
    int err = hsc_check_nonces(c, nonce, server_nonce);
    if (!err)
        err = take_answer(c, enc.p, enc.len);
    if (!err)
        err = hsc_send_client_dh(c, out, cap, out_len);
    return err;
}

/* client_DH_inner_data#6643b654 nonce server_nonce retry_id:long g_b:string, encrypted. */
static int seal_client_dh(hs_client *c, const uint8_t g_b[DH_BYTES], uint8_t *enc, size_t *enc_len)
{
    size_t skip = 0;
    while (skip < DH_BYTES - 1 && g_b[skip] == 0)
        skip++; /* minimal big-endian bytes, as a bignum is serialised */
    mt_wr w = wr_init(c->client_dh_inner, sizeof c->client_dh_inner);
    wr_u32le(&w, HS_ID_CLIENT_DH_INNER_DATA);
    tl_wr_int128(&w, c->nonce);
    tl_wr_int128(&w, c->server_nonce);
    wr_bytes(&w, c->retry_id, sizeof c->retry_id); /* the long as wire bytes */
    tl_wr_string(&w, g_b + skip, DH_BYTES - skip);
    if (w.err)
        return w.err;
    c->client_dh_inner_len = wr_len(&w);
    hsc_fault_dh_inner(c);
    if (hsc_fault_seals(c))
        return hsc_fault_seal(c, enc, HS_ANSWER_MAX, enc_len);
    if (c->attempt == 0 && c->fixed.answer_pad)
        return hs_answer_encrypt_with(&c->tmp, c->client_dh_inner, c->client_dh_inner_len,
                                      c->fixed.answer_pad, c->fixed.answer_pad_len, enc,
                                      HS_ANSWER_MAX, enc_len);
    return hs_answer_encrypt(&c->tmp, c->client_dh_inner, c->client_dh_inner_len, c->rng, enc,
                             HS_ANSWER_MAX, enc_len);
}

/* A fresh b (the fixed one on the first attempt), g_b and auth_key = g_a^b mod p. */
static int make_key(hs_client *c, uint8_t g_b[DH_BYTES], uint8_t key[DH_BYTES])
{
    dh_ctx dh;
    uint8_t b[DH_BYTES];
    int err = dh_init(&dh, c->dh_prime, DH_BYTES, (uint32_t)c->g);
    if (!err && c->fixed.choose_b &&
        c->fixed.choose_b(c->fixed.choose_b_ctx, c->attempt, c->dh_prime, c->g, c->g_a, b))
        err = dh_set_secret(&dh, b, g_b);
    else if (!err && c->attempt == 0 && c->fixed.b)
        err = dh_set_secret(&dh, c->fixed.b, g_b);
    else if (!err)
        err = dh_generate(&dh, c->rng, g_b);
    if (!err)
        err = dh_compute_key(&dh, c->g_a, DH_BYTES, DH_VALUE_GA, key);
    dh_wipe(&dh);
    ct_wipe(b, sizeof b);
    return err;
}

int hsc_send_client_dh(hs_client *c, uint8_t *out, size_t cap, size_t *out_len)
{
    uint8_t g_b[DH_BYTES], key[DH_BYTES], enc[HS_ANSWER_MAX];
    uint8_t body[4 + 2 * HS_NONCE_LEN + 4 + HS_ANSWER_MAX];
    size_t enc_len = 0;
    int err = make_key(c, g_b, key);
    if (!err)
        err = seal_client_dh(c, g_b, enc, &enc_len);
    mt_wr w = wr_init(body, sizeof body);
    /* set_client_DH_params#f5045f1f nonce server_nonce encrypted_data:string */
    wr_u32le(&w, HS_ID_SET_CLIENT_DH_PARAMS);
    tl_wr_int128(&w, c->nonce);
    tl_wr_int128(&w, c->server_nonce);
    tl_wr_string(&w, enc, enc_len);
    if (!err)
        err = w.err;
    if (!err)
        err = hsc_emit(c, body, wr_len(&w), out, cap, out_len);
    if (!err) {
        mt_auth_key_init(&c->res.key, key); /* 256 bytes, leading zeros kept */
        hs_initial_salt(c->new_nonce, c->server_nonce, c->res.server_salt);
        c->state = HSC_WAIT_GEN;
    }
    ct_wipe(key, sizeof key);
    return err;
}

/* dh_gen_ok / dh_gen_retry / dh_gen_fail#... nonce server_nonce new_nonce_hashN:int128 */
int hsc_on_dh_gen(hs_client *c, const uint8_t *body, size_t len, uint8_t *out, size_t cap,
                  size_t *out_len)
{
    static const int hash_rule[4] = {0, MT_E_HS_NEW_NONCE_HASH1, MT_E_HS_NEW_NONCE_HASH2,
                                     MT_E_HS_NEW_NONCE_HASH3};
    uint8_t nonce[HS_NONCE_LEN], server_nonce[HS_NONCE_LEN], got[16], want[16];
    mt_rd r = rd_init(body, len);
    uint32_t id = rd_u32le(&r);
    unsigned number = id == HS_ID_DH_GEN_OK      ? 1
                      : id == HS_ID_DH_GEN_RETRY ? 2
                      : id == HS_ID_DH_GEN_FAIL  ? 3
                                                 : 0;
    tl_rd_int128(&r, nonce);
    tl_rd_int128(&r, server_nonce);
    tl_rd_int128(&r, got);
    if (number == 0 || rd_done(&r))
        return MT_E_HS_UNEXPECTED_MESSAGE;
    int err = hsc_check_nonces(c, nonce, server_nonce);
    if (!err)
        err = hs_new_nonce_hash(c->new_nonce, number, c->res.key.aux_hash, want);
    if (!err && !ct_eq(got, want, sizeof want))
        err = hash_rule[number];
    ct_wipe(want, sizeof want);
    if (err)
        return err;
    if (number == 3) /* "the client must start again from req_pq_multi" */
        return MT_E_HS_DH_GEN_FAIL;
    if (number == 1) {
        c->res.kind = c->cfg.kind;
        c->res.expires_in = c->cfg.kind == HS_KEY_TEMP ? c->cfg.expires_in : 0;
        c->res.retries = c->attempt;
        c->state = HSC_DONE;
        return MT_OK;
    }
    /* dh_gen_retry: "retry_id is the auth_key_aux_hash of the previous failed attempt" */
    if (c->attempt + 1 > c->cfg.max_retries)
        return MT_E_HS_TOO_MANY_RETRIES;
    memcpy(c->retry_id, c->res.key.aux_hash, sizeof c->retry_id);
    mt_auth_key_wipe(&c->res.key);
    c->attempt++;
    return hsc_send_client_dh(c, out, cap, out_len);
}
