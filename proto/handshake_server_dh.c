/*
 * Server step 2: req_DH_params#d712e4be nonce server_nonce p:bytes q:bytes
 * public_key_fingerprint:long encrypted_data:bytes -> server_DH_params_ok#d0e8075c nonce
 * server_nonce encrypted_answer:bytes (page mtproto/auth_key). Checks, in order: nonce,
 * server_nonce, p and q, fingerprint, RSA_PAD (or the deprecated SHA1 padding), then the inner
 * p_q_inner_data*: its pq, p, q, nonce and server_nonce, expires_in, dc.
 */
#include <string.h>

#include "common/ct.h"
#include "crypto/sha1.h"
#include "proto/handshake_server_internal.h"

/* p_q_inner_data in any of its four forms; strings point into the decrypted buffer. */
typedef struct pq_inner {
    tl_str pq, p, q;
    uint8_t nonce[HS_NONCE_LEN], server_nonce[HS_NONCE_LEN], new_nonce[HS_NEW_NONCE_LEN];
    int32_t dc, expires_in;
    bool temp, has_dc;
    size_t len; /* bytes of the object: what follows is padding */
} pq_inner;

/* Reads the inner object at the start of d[0..n); the rest is padding. */
static int parse_inner(const uint8_t *d, size_t n, pq_inner *o)
{
    mt_rd r = rd_init(d, n);
    uint32_t id = (uint32_t)tl_rd_int(&r);
    o->has_dc = id == HSS_ID_PQ_INNER_DC || id == HSS_ID_PQ_INNER_TEMP_DC;
    o->temp = id == HSS_ID_PQ_INNER_TEMP || id == HSS_ID_PQ_INNER_TEMP_DC;
    if (!o->has_dc && !o->temp && id != HSS_ID_PQ_INNER)
        return MT_E_HSS_INNER_MALFORMED;
    o->pq = tl_rd_string(&r, TL_STRICT);
    o->p = tl_rd_string(&r, TL_STRICT);
    o->q = tl_rd_string(&r, TL_STRICT);
    tl_rd_int128(&r, o->nonce);
    tl_rd_int128(&r, o->server_nonce);
    tl_rd_int256(&r, o->new_nonce);
    o->dc = o->has_dc ? tl_rd_int(&r) : 0;
    o->expires_in = o->temp ? tl_rd_int(&r) : 0;
    if (r.err)
        return MT_E_HSS_INNER_MALFORMED;
    o->len = (size_t)(r.p - d);
    return 0;
}

/* The pre-RSA_PAD form: "data_with_hash := SHA1(data) + data + (any random bytes); such that the
 * length equals 255 bytes", raised to e as a 256-byte big-endian number. */
static int old_padding(const rsa_private *k, const uint8_t *enc, mt_rng *rng,
                       uint8_t raw[RSA_PAD_OUT_LEN], pq_inner *o)
{
    uint8_t h[SHA1_DIGEST_LEN];
    if (rsa_private_op(k, enc, RSA_PAD_OUT_LEN, raw, rng) != 0 || raw[0] != 0)
        return MT_E_RSAPAD_HASH;
    const uint8_t *data = raw + 1 + SHA1_DIGEST_LEN;
    if (parse_inner(data, HSS_OLD_RSA_DATA_LEN - SHA1_DIGEST_LEN, o) != 0)
        return MT_E_RSAPAD_HASH;
    sha1(data, o->len, h);
    bool ok = ct_eq(h, raw + 1, sizeof h);
    ct_wipe(h, sizeof h);
    return ok ? 0 : MT_E_RSAPAD_HASH;
}

/* RSA_PAD first; when its hash fails, the deprecated padding. buf holds the plaintext. */
static int decrypt_inner(hss *s, const rsa_private *k, tl_str enc, uint8_t buf[RSA_PAD_OUT_LEN],
                         pq_inner *o)
{
    int err = rsa_pad_decrypt(k, enc.p, enc.len, s->rng, buf);
    if (!err)
        return parse_inner(buf, RSA_PAD_PADDED_LEN, o);
    if (err != MT_E_RSAPAD_HASH)
        return err;
    err = old_padding(k, enc.p, s->rng, buf, o);
    return err ? err : hss_deprecated(s, MT_E_HSS_DEPRECATED_RSA_PADDING);
}

static bool str_is(tl_str v, uint64_t want)
{
    uint64_t x;
    return hss_be_u64(v, &x) && x == want;
}

static int check_inner(hss *s, const pq_inner *o)
{
    if (!str_is(o->pq, s->p * s->q) || !str_is(o->p, s->p) || !str_is(o->q, s->q) ||
        memcmp(o->nonce, s->nonce, HS_NONCE_LEN) != 0 ||
        memcmp(o->server_nonce, s->server_nonce, HS_NONCE_LEN) != 0)
        return MT_E_HSS_INNER_MISMATCH;
    if (o->temp && o->expires_in <= 0)
        return MT_E_HSS_EXPIRES_IN_INVALID;
    bool test_dc = o->dc >= 10000 || o->dc <= -10000;
    if (o->has_dc && s->cfg.check_dc && test_dc != s->cfg.test_server)
        return MT_E_HSS_DC_TEST_MISMATCH;
    return o->has_dc ? 0 : hss_deprecated(s, MT_E_HSS_DEPRECATED_INNER_NO_DC);
}

static const rsa_private *key_by_fingerprint(const hss *s, const uint8_t fp[8])
{
    for (size_t i = 0; i < s->cfg.n_keys; i++)
        if (memcmp(s->fingerprints[i], fp, RSA_FINGERPRINT_LEN) == 0)
            return s->cfg.keys[i];
    return NULL;
}

/* The outer fields, checked in the order they come. */
static int check_outer(hss *s, mt_rd *r, const rsa_private **key, tl_str *enc)
{
    uint8_t nonce[HS_NONCE_LEN], server_nonce[HS_NONCE_LEN], fp[RSA_FINGERPRINT_LEN];
    tl_rd_int(r);
    tl_rd_int128(r, nonce);
    tl_rd_int128(r, server_nonce);
    tl_str p = tl_rd_string(r, TL_STRICT), q = tl_rd_string(r, TL_STRICT);
    rd_copy(r, fp, sizeof fp);
    *enc = tl_rd_string(r, TL_STRICT);
    if (rd_done(r))
        return MT_E_HSS_MALFORMED_QUERY;
    if (memcmp(nonce, s->nonce, HS_NONCE_LEN) != 0)
        return MT_E_HSS_NONCE_MISMATCH;
    if (memcmp(server_nonce, s->server_nonce, HS_NONCE_LEN) != 0)
        return MT_E_HSS_SERVER_NONCE_MISMATCH;
    if (!str_is(p, s->p) || !str_is(q, s->q))
        return MT_E_HSS_WRONG_P_Q;
    *key = key_by_fingerprint(s, fp);
    return *key ? 0 : MT_E_HSS_UNKNOWN_FINGERPRINT;
}

/* server_DH_inner_data#b5890dba nonce server_nonce g:int dh_prime:bytes g_a:bytes
 * server_time:int, as the server sends it (with the fault applied). */
static void write_dh_inner(const hss *s, mt_wr *w)
{
    uint8_t nonce[HS_NONCE_LEN];
    memcpy(nonce, s->nonce, sizeof nonce);
    if (hss_faulty(s, HSS_FAULT_INNER_NONCE))
        nonce[0] ^= 1;
    tl_wr_int(w, (int32_t)HSS_ID_SERVER_DH_INNER);
    tl_wr_int128(w, nonce);
    tl_wr_int128(w, s->server_nonce);
    tl_wr_int(w, hss_sent_g(s));
    hss_write_prime(s, w);
    hss_write_ga(s, w);
    tl_wr_int(w, (int32_t)(clock_now(s->clock) / NS_PER_S));
}

/* answer_with_hash, encrypted, with the answer faults applied. */
static int encrypt_answer(hss *s, const uint8_t *inner, size_t len, uint8_t *enc, size_t cap,
                          size_t *enc_len)
{
    uint8_t pad[HS_ANSWER_MAX];
    size_t pad_len = hss_answer_pad_len(s, len);
    int err = 0;
    if (s->fixed.answer_pad && s->fixed.answer_pad_len == pad_len)
        memcpy(pad, s->fixed.answer_pad, pad_len);
    else
        err = rng_fill(s->rng, pad, pad_len);
    if (!err)
        err = hs_answer_encrypt_with(&s->tmp, inner, len, pad, pad_len, enc, cap, enc_len);
    if (!err && hss_faulty(s, HSS_FAULT_ANSWER_HASH)) {
        /* IGE: decrypt, flip a bit of the SHA1, encrypt again. */
        err = hs_answer_crypt_raw(&s->tmp, false, enc, enc, *enc_len);
        enc[0] ^= 1;
        if (!err)
            err = hs_answer_crypt_raw(&s->tmp, true, enc, enc, *enc_len);
    }
    if (!err)
        hss_answer_cut(s, enc_len); /* cap leaves room for 4 more bytes */
    ct_wipe(pad, sizeof pad);
    return err;
}

/* DH: our exponent a (fixed or random) and g_a; then the answer. */
static int write_answer(hss *s, mt_wr *w)
{
    uint8_t pub[DH_BYTES], inner[HS_ANSWER_MAX], enc[HS_ANSWER_MAX + 32] = {0};
    size_t enc_len = 0;
    if (hss_dh_refusal(s))
        return hss_write_dh_refusal(s, w);
    int err =
        s->fixed.a ? dh_set_secret(&s->dh, s->fixed.a, pub) : dh_generate(&s->dh, s->rng, pub);
    mt_wr iw = wr_init(inner, sizeof inner);
    if (!err) {
        write_dh_inner(s, &iw);
        err = iw.err;
    }
    if (!err)
        err = encrypt_answer(s, inner, wr_len(&iw), enc, sizeof enc - 4, &enc_len);
    if (!err) {
        uint8_t nonce[HS_NONCE_LEN], server_nonce[HS_NONCE_LEN];
        memcpy(nonce, s->nonce, sizeof nonce);
        memcpy(server_nonce, s->server_nonce, sizeof server_nonce);
        nonce[0] ^= hss_faulty(s, HSS_FAULT_DH_NONCE);
        server_nonce[0] ^= hss_faulty(s, HSS_FAULT_DH_SERVER_NONCE);
        tl_wr_int(w, (int32_t)HSS_ID_SERVER_DH_PARAMS_OK);
        tl_wr_int128(w, nonce);
        tl_wr_int128(w, server_nonce);
        tl_wr_string(w, enc, enc_len);
    }
    ct_wipe(inner, sizeof inner);
    return err;
}

int hss_step_req_dh(hss *s, const uint8_t *q, size_t n, mt_wr *w)
{
    mt_rd r = rd_init(q, n);
    const rsa_private *key = NULL;
    tl_str enc;
    uint8_t buf[RSA_PAD_OUT_LEN];
    pq_inner in;
    memset(&in, 0, sizeof in);
    int err = check_outer(s, &r, &key, &enc);
    if (!err)
        err = decrypt_inner(s, key, enc, buf, &in);
    if (!err)
        err = check_inner(s, &in);
    if (!err) {
        memcpy(s->new_nonce, in.new_nonce, HS_NEW_NONCE_LEN);
        s->dc = in.dc;
        s->res.kind = in.temp ? HS_KEY_TEMP : HS_KEY_PERM;
        s->res.expires_in = in.expires_in;
        s->res.server_time = (int32_t)(clock_now(s->clock) / NS_PER_S);
        hs_tmp_aes_kdf(s->new_nonce, s->server_nonce, &s->tmp);
        err = write_answer(s, w);
    }
    ct_wipe(buf, sizeof buf);
    ct_wipe(&in, sizeof in);
    if (!err)
        s->state = HSS_WAIT_SET_DH;
    return err;
}
