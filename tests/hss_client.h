/*
 * The hand-written client of the server handshake tests (tests/hss_fixture.h): each step builds
 * its query from our primitives, with one thing broken when asked (enum tc_break).
 */
#ifndef MTPROOF_TESTS_HSS_CLIENT_H
#define MTPROOF_TESTS_HSS_CLIENT_H

#include "hss_fixture.h"

/* req_pq_multi (or req_pq) -> resPQ: keeps server_nonce, factors pq, takes the fingerprint. */
static inline int tc_req_pq(fx *f, uint32_t id)
{
    uint8_t body[20];
    mt_wr w = wr_init(body, sizeof body);
    drbg_generate(&f->client_drbg, f->c.nonce, 16);
    tl_wr_int(&w, (int32_t)id);
    tl_wr_int128(&w, f->c.nonce);
    int err = fx_send(f, body, sizeof body);
    if (err)
        return err;
    mt_rd r = fx_answer(f, 0x05162463u);
    uint8_t nonce[16];
    tl_rd_int128(&r, nonce);
    assert_memory_equal(nonce, f->c.nonce, 16);
    tl_rd_int128(&r, f->c.server_nonce);
    tl_str pq = tl_rd_string(&r, 0);
    assert_int_equal(tl_rd_vector(&r, true, 8, 8), 1);
    rd_copy(&r, f->c.fp, 8);
    assert_int_equal(rd_done(&r), 0);
    assert_int_equal(pq_factor_bytes(pq.p, pq.len, &f->c.p, &f->c.q), 0);
    return 0;
}

static inline void wr_be(mt_wr *w, uint64_t v)
{
    uint8_t b[8];
    size_t n = 0;
    for (uint64_t t = v; t; t >>= 8)
        n++;
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    tl_wr_string(w, b, n);
}

/* p_q_inner_data in the asked form. */
static inline size_t tc_pq_inner(fx *f, enum tc_inner form, enum tc_break br, uint8_t *out)
{
    static const uint32_t ids[] = {0xa9f55f95u, 0x56fddf88u, 0x83c95aecu, 0x3c6a84d4u};
    mt_wr w = wr_init(out, RSA_PAD_DATA_MAX);
    uint8_t nonce[16];
    memcpy(nonce, f->c.nonce, 16);
    nonce[5] ^= br == TB_INNER_NONCE;
    tl_wr_int(&w, (int32_t)(ids[form] ^ (br == TB_INNER_ID)));
    wr_be(&w, f->c.p * f->c.q + (br == TB_INNER_PQ ? 2 : 0));
    wr_be(&w, f->c.p);
    wr_be(&w, f->c.q);
    tl_wr_int128(&w, nonce);
    tl_wr_int128(&w, f->c.server_nonce);
    tl_wr_int256(&w, f->c.new_nonce);
    if (form == TI_DC || form == TI_TEMP_DC)
        tl_wr_int(&w, 2);
    if (form == TI_TEMP_DC || form == TI_TEMP_NO_DC)
        tl_wr_int(&w, br == TB_EXPIRES_IN ? 0 : 86400);
    assert_int_equal(w.err, 0);
    return wr_len(&w);
}

/* The pre-RSA_PAD encryption: SHA1(data) + data + random to 255 bytes, raw RSA. */
static inline void tc_old_rsa(fx *f, const uint8_t *data, size_t len, uint8_t out[256])
{
    uint8_t m[256] = {0};
    sha1(data, len, m + 1);
    memcpy(m + 21, data, len);
    drbg_generate(&f->client_drbg, m + 21 + len, 256 - 21 - len);
    assert_int_equal(rsa_public_op(&f->key.pub, m, 256, out), 0);
}

/* req_DH_params -> server_DH_params_ok; on success decrypts and keeps g, dh_prime, g_a. */
static inline int tc_req_dh(fx *f, enum tc_inner form, bool old_rsa, enum tc_break br)
{
    uint8_t inner[RSA_PAD_DATA_MAX], enc[256], body[400], nonce[16], sn[16], fp[8];
    drbg_generate(&f->client_drbg, f->c.new_nonce, 32);
    size_t n = tc_pq_inner(f, form, br, inner);
    if (old_rsa)
        tc_old_rsa(f, inner, n, enc);
    else
        assert_int_equal(rsa_pad_encrypt(&f->key.pub, inner, n, &f->client_drbg.rng, enc), 0);
    enc[200] ^= br == TB_RSA_HASH;
    memcpy(nonce, f->c.nonce, 16);
    memcpy(sn, f->c.server_nonce, 16);
    memcpy(fp, f->c.fp, 8);
    nonce[0] ^= br == TB_NONCE;
    sn[0] ^= br == TB_SERVER_NONCE;
    fp[0] ^= br == TB_FINGERPRINT;
    mt_wr w = wr_init(body, sizeof body);
    tl_wr_int(&w, (int32_t)0xd712e4beu);
    tl_wr_int128(&w, nonce);
    tl_wr_int128(&w, sn);
    wr_be(&w, br == TB_SWAP_P_Q ? f->c.q : f->c.p + (br == TB_P ? 2 : 0));
    wr_be(&w, br == TB_SWAP_P_Q ? f->c.p : f->c.q);
    wr_bytes(&w, fp, 8);
    tl_wr_string(&w, enc, br == TB_RSA_LENGTH ? 255 : 256);
    int err = fx_send(f, body, wr_len(&w));
    if (err)
        return err;
    mt_rd r = fx_answer(f, 0xd0e8075cu);
    rd_skip(&r, 32);
    tl_str ea = tl_rd_string(&r, 0);
    assert_int_equal(rd_done(&r), 0);
    hs_tmp_aes_kdf(f->c.new_nonce, f->c.server_nonce, &f->c.tmp);
    uint8_t plain[HS_ANSWER_MAX];
    assert_int_equal(hs_answer_decrypt(&f->c.tmp, ea.p, ea.len, plain, sizeof plain), 0);
    mt_rd ir = rd_init(plain + 20, ea.len - 20);
    assert_int_equal((uint32_t)tl_rd_int(&ir), 0xb5890dbau);
    rd_skip(&ir, 32);
    f->c.g = tl_rd_int(&ir);
    tl_str p = tl_rd_string(&ir, 0), ga = tl_rd_string(&ir, 0);
    tl_rd_int(&ir);
    assert_int_equal(ir.err, 0);
    assert_int_equal(hs_answer_verify(plain, ea.len, (size_t)(ir.p - (plain + 20))), 0);
    assert_int_equal(p.len, DH_BYTES);
    assert_int_equal(ga.len, DH_BYTES);
    memcpy(f->c.dh_prime, p.p, DH_BYTES);
    memcpy(f->c.g_a, ga.p, DH_BYTES);
    return 0;
}

/* client_DH_inner_data, encrypted, with the asked break. */
static inline size_t tc_client_enc(fx *f, enum tc_break br, const uint8_t *g_b, size_t gb_len,
                                   uint8_t *enc)
{
    uint8_t inner[400], nonce[16], retry[8], pad[32];
    memcpy(nonce, f->c.nonce, 16);
    nonce[3] ^= br == TB_CLIENT_INNER_NONCE;
    memcpy(retry, f->c.retry_id, 8);
    retry[0] ^= br == TB_RETRY_ID;
    mt_wr w = wr_init(inner, sizeof inner);
    tl_wr_int(&w, (int32_t)(br == TB_CLIENT_INNER_ID ? 0x6643b655u : 0x6643b654u));
    tl_wr_int128(&w, nonce);
    tl_wr_int128(&w, f->c.server_nonce);
    wr_bytes(&w, retry, 8);
    tl_wr_string(&w, g_b, gb_len);
    size_t len = wr_len(&w), n;
    size_t pad_len = (16 - (20 + len) % 16) % 16 + (br == TB_ANSWER_PAD ? 16 : 0);
    drbg_generate(&f->client_drbg, pad, pad_len);
    assert_int_equal(hs_answer_encrypt_with(&f->c.tmp, inner, len, pad, pad_len, enc, 480, &n), 0);
    if (br == TB_ANSWER_HASH) {
        assert_int_equal(hs_answer_crypt_raw(&f->c.tmp, false, enc, enc, n), 0);
        enc[7] ^= 1;
        assert_int_equal(hs_answer_crypt_raw(&f->c.tmp, true, enc, enc, n), 0);
    }
    return br == TB_ANSWER_LEN ? n - 4 : n;
}

/* set_client_DH_params -> dh_gen_*; returns the answer's constructor id (or a rule, negative ids
 * excluded: rules are positive error codes, answers are reported through *gen_id). */
static inline int tc_set_dh(fx *f, enum tc_break br, uint32_t *gen_id)
{
    dh_ctx dh;
    uint8_t g_b[DH_BYTES], key[DH_BYTES], enc[480], body[560];
    assert_int_equal(dh_init(&dh, f->c.dh_prime, DH_BYTES, (uint32_t)f->c.g), 0);
    assert_int_equal(dh_generate(&dh, &f->client_drbg.rng, g_b), 0);
    static const uint8_t one = 1, two = 2;
    const uint8_t *gb = br == TB_GB_RANGE ? &one : br == TB_GB_BOUNDS ? &two : g_b;
    size_t n = tc_client_enc(f, br, gb, gb == g_b ? DH_BYTES : 1, enc);
    mt_wr w = wr_init(body, sizeof body);
    tl_wr_int(&w, (int32_t)0xf5045f1fu);
    tl_wr_int128(&w, f->c.nonce);
    tl_wr_int128(&w, f->c.server_nonce);
    tl_wr_string(&w, enc, n);
    assert_int_equal(dh_compute_key(&dh, f->c.g_a, DH_BYTES, DH_VALUE_GA, key), 0);
    dh_wipe(&dh);
    mt_auth_key_init(&f->c.key, key);
    int err = fx_send(f, body, wr_len(&w));
    if (err)
        return err;
    mt_plain_view v;
    assert_int_equal(mt_plain_unpack(f->ans, f->ans_len, &v), 0);
    mt_rd r = rd_init(v.body, v.body_len);
    *gen_id = (uint32_t)tl_rd_int(&r);
    uint8_t nonce[16], sn[16], hash[16], want[16];
    tl_rd_int128(&r, nonce);
    tl_rd_int128(&r, sn);
    tl_rd_int128(&r, hash);
    assert_int_equal(rd_done(&r), 0);
    unsigned number = *gen_id == 0x3bcbf734u ? 1 : *gen_id == 0x46dc1fb9u ? 2 : 3;
    assert_int_equal(hs_new_nonce_hash(f->c.new_nonce, number, f->c.key.aux_hash, want), 0);
    assert_memory_equal(hash, want, 16);
    if (number == 2)
        memcpy(f->c.retry_id, f->c.key.aux_hash, 8);
    return 0;
}

/* The whole run up to dh_gen_ok. */
static inline void tc_full(fx *f, enum tc_inner form, bool old_rsa)
{
    uint32_t gen = 0;
    assert_int_equal(tc_req_pq(f, 0xbe7e8ef1u), 0);
    assert_int_equal(tc_req_dh(f, form, old_rsa, TB_NONE), 0);
    assert_int_equal(tc_set_dh(f, TB_NONE, &gen), 0);
    assert_int_equal(gen, 0x3bcbf734u);
}

#endif
