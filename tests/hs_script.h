/*
 * A scripted handshake server for the client tests, built from our primitives (RSA_PAD decrypt,
 * DH, answer_with_hash, new_nonce_hash): it answers each client message correctly, or with one
 * fault on purpose (enum hs_fault), so each client check can be provoked in turn. It is not the
 * server engine (proto/handshake_server.h): it checks little and trusts the client.
 */
#ifndef MTPROOF_TESTS_HS_SCRIPT_H
#define MTPROOF_TESTS_HS_SCRIPT_H

#include "common/endian.h"
#include "crypto/drbg.h"
#include "crypto/sha256.h"
#include "proto/handshake.h"
#include "proto/message.h"
#include "proto/tl.h"
#include "testutil.h"

/* The sample's dh_prime (Telegram's; in the built-in prime table) and g = 3. */
#define HS_SCRIPT_PRIME_HEX                                                                        \
    "C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F48198A0AA7C14058229493D22530" \
    "F4DBFA336F6E0AC925139543AED44CCE7C3720FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454F18FAF" \
    "8C595F642477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4A4A695811051907E1627" \
    "53B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754FD17ED950D5965B4B9DD46582DB1178D169C6BC465B0D6FF" \
    "9CA3928FEF5B9AE4E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F0D8115F635B1" \
    "05EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B"
#define HS_SCRIPT_TIME 1707425105u

enum hs_fault {
    F_NONE,
    F_RESPQ_NONCE,     /* resPQ carries another nonce */
    F_RESPQ_CTOR,      /* a wrong constructor instead of resPQ */
    F_FINGERPRINT,     /* only fingerprints the client does not know */
    F_PQ_PRIME,        /* pq is prime */
    F_PQ_SQUARE,       /* pq = p * p */
    F_PQ_BIG,          /* pq has 9 bytes */
    F_DH_NONCE,        /* server_DH_params_ok with another nonce */
    F_DH_SERVER_NONCE, /* ... with another server_nonce */
    F_DH_PARAMS_FAIL,  /* server_DH_params_fail */
    F_NOT_ALIGNED,     /* encrypted_answer of 16k + 4 bytes */
    F_HASH,            /* answer_with_hash with a wrong SHA1 */
    F_PAD16,           /* 16 bytes more padding */
    F_INNER_NONCE,     /* server_DH_inner_data with another nonce */
    F_INNER_CTOR,      /* a correct hash over an object that is not server_DH_inner_data */
    F_PRIME_NOT_SAFE,  /* a 2048-bit prime whose (p-1)/2 is composite */
    F_PRIME_COMPOSITE, /* the prime with its low byte changed */
    F_G_RESIDUE,       /* g = 2 with a prime where p mod 8 = 3 */
    F_G_UNSUPPORTED,   /* g = 8 */
    F_GA_RANGE,        /* g_a = 1 */
    F_GA_BOUNDS,       /* g_a = 2^1984 - 1 */
    F_GEN_NONCE,       /* dh_gen_ok with another server_nonce */
    F_NNH1,            /* dh_gen_ok with a wrong new_nonce_hash1 */
    F_RETRY,           /* dh_gen_retry first, then dh_gen_ok */
    F_RETRY_BAD_HASH,  /* dh_gen_retry with a wrong new_nonce_hash2 */
    F_RETRY_FOREVER,   /* dh_gen_retry to every attempt */
    F_FAIL,            /* dh_gen_fail */
    F_FAIL_BAD_HASH,   /* dh_gen_fail with a wrong new_nonce_hash3 */
};

typedef struct hs_script {
    rsa_private *key;
    mt_drbg rng;
    enum hs_fault fault;
    uint8_t prime[DH_BYTES];
    uint32_t g;
    dh_ctx dh;
    uint8_t g_a[DH_BYTES];
    uint8_t nonce[16], server_nonce[16], new_nonce[32];
    hs_tmp_aes tmp;
    mt_auth_key ak;           /* the last auth_key the script derived */
    uint8_t retry_ids[4][8];  /* retry_id of each client_DH_inner_data seen */
    uint8_t aux_hashes[4][8]; /* auth_key_aux_hash of each attempt */
    unsigned attempts;
    uint64_t msg_id;
} hs_script;

/* Sets the script up with prime (NULL: Telegram's) and g; a from the script's own DRBG. */
static inline void hs_script_init(hs_script *s, rsa_private *key, enum hs_fault f, uint64_t seed,
                                  const uint8_t *prime, uint32_t g)
{
    memset(s, 0, sizeof *s);
    s->key = key;
    s->fault = f;
    drbg_init_u64(&s->rng, seed);
    tu_buf p = tu_hex(HS_SCRIPT_PRIME_HEX);
    memcpy(s->prime, prime ? prime : p.p, DH_BYTES);
    tu_free(&p);
    s->g = g;
    assert_int_equal(dh_init(&s->dh, s->prime, DH_BYTES, g), MT_OK);
    assert_int_equal(dh_generate(&s->dh, &s->rng.rng, s->g_a), MT_OK);
    s->msg_id = ((uint64_t)HS_SCRIPT_TIME << 32) | 0x1001;
}

static inline void hs_script_free(hs_script *s)
{
    dh_wipe(&s->dh);
    mt_auth_key_wipe(&s->ak);
}

static inline void hs_script_pack(hs_script *s, mt_wr *w, uint8_t *out, size_t cap, size_t *n)
{
    assert_int_equal(w->err, 0);
    s->msg_id += 4 << 12;
    assert_int_equal(mt_plain_pack(s->msg_id, w->start, wr_len(w), out, cap, n), MT_OK);
}

static inline mt_rd hs_script_body(const uint8_t *in, size_t n, uint32_t want_ctor)
{
    mt_plain_view v;
    assert_int_equal(mt_plain_unpack(in, n, &v), MT_OK);
    mt_rd r = rd_init(v.body, v.body_len);
    assert_true(rd_u32le(&r) == want_ctor);
    return r;
}

/* Answers req_pq_multi with resPQ. */
static inline void hs_script_respq(hs_script *s, const uint8_t *in, size_t n, uint8_t *out,
                                   size_t cap, size_t *out_len)
{
    mt_rd r = hs_script_body(in, n, 0xbe7e8ef1u);
    tl_rd_int128(&r, s->nonce);
    assert_int_equal(rd_done(&r), 0);
    drbg_generate(&s->rng, s->server_nonce, 16);
    uint8_t body[256], pq[9] = {0}, fp[8], nonce[16];
    /* 1513098571 * 1780931429, the sample's pq; a prime; a square; 9 bytes */
    uint64_t v = s->fault == F_PQ_PRIME    ? 2305843009213693951ull /* 2^61 - 1 */
                 : s->fault == F_PQ_SQUARE ? 1513098571ull * 1513098571ull
                                           : 2694724800268887959ull;
    st64be(pq, v);
    size_t pq_len = s->fault == F_PQ_BIG ? 9 : 8;
    if (s->fault == F_PQ_BIG)
        pq[8] = 1, pq[0] = 1;
    memcpy(nonce, s->nonce, 16);
    if (s->fault == F_RESPQ_NONCE)
        nonce[3] ^= 1;
    rsa_fingerprint(&s->key->pub, fp);
    mt_wr w = wr_init(body, sizeof body);
    wr_u32le(&w, s->fault == F_RESPQ_CTOR ? 0xd0e8075cu : 0x05162463u);
    tl_wr_int128(&w, nonce);
    tl_wr_int128(&w, s->server_nonce);
    tl_wr_string(&w, pq, pq_len);
    tl_wr_vector(&w, true, 2);
    wr_bytes(&w, "\x85\xfd\x64\xde\x85\x1d\x9d\xd1", 8); /* nobody's key */
    if (s->fault == F_FINGERPRINT)
        fp[0] ^= 1;
    wr_bytes(&w, fp, 8);
    hs_script_pack(s, &w, out, cap, out_len);
}

/* Reads req_DH_params, decrypts p_q_inner_data with RSA_PAD and keeps new_nonce. */
static inline void hs_script_read_req_dh(hs_script *s, const uint8_t *in, size_t n)
{
    mt_rd r = hs_script_body(in, n, 0xd712e4beu);
    uint8_t nonce[16], sn[16], fp[8], padded[RSA_PAD_PADDED_LEN];
    tl_rd_int128(&r, nonce);
    tl_rd_int128(&r, sn);
    tl_rd_string(&r, 0);
    tl_rd_string(&r, 0);
    rd_copy(&r, fp, 8);
    tl_str enc = tl_rd_string(&r, 0);
    assert_int_equal(rd_done(&r), 0);
    assert_memory_equal(nonce, s->nonce, 16);
    assert_memory_equal(sn, s->server_nonce, 16);
    assert_int_equal(rsa_pad_decrypt(s->key, enc.p, enc.len, NULL, padded), MT_OK);
    mt_rd q = rd_init(padded, sizeof padded);
    uint32_t id = rd_u32le(&q);
    assert_true(id == 0xa9f55f95u || id == 0x56fddf88u);
    for (int i = 0; i < 3; i++)
        tl_rd_string(&q, 0);
    tl_rd_int128(&q, nonce);
    tl_rd_int128(&q, sn);
    tl_rd_int256(&q, s->new_nonce);
    assert_int_equal(q.err, 0);
    hs_tmp_aes_kdf(s->new_nonce, s->server_nonce, &s->tmp);
}

/* server_DH_inner_data, with the faults that concern its fields. */
static inline size_t hs_script_dh_inner(hs_script *s, uint8_t *buf, size_t cap)
{
    uint8_t nonce[16], g_a[DH_BYTES], prime[DH_BYTES];
    memcpy(nonce, s->nonce, 16);
    memcpy(g_a, s->g_a, DH_BYTES);
    memcpy(prime, s->prime, DH_BYTES);
    if (s->fault == F_INNER_NONCE)
        nonce[0] ^= 0x80;
    if (s->fault == F_PRIME_COMPOSITE)
        prime[DH_BYTES - 1] ^= 0x06; /* stays odd; composite (Miller-Rabin finds it) */
    if (s->fault == F_GA_RANGE)
        memset(g_a, 0, DH_BYTES), g_a[DH_BYTES - 1] = 1;
    if (s->fault == F_GA_BOUNDS) /* 2^1984 - 1: eight zero bytes, then all ones */
        memset(g_a, 0, 8), memset(g_a + 8, 0xff, DH_BYTES - 8);
    int32_t g = s->fault == F_G_RESIDUE ? 2 : s->fault == F_G_UNSUPPORTED ? 8 : (int32_t)s->g;
    mt_wr w = wr_init(buf, cap);
    wr_u32le(&w, s->fault == F_INNER_CTOR ? 0x6643b654u : 0xb5890dbau);
    tl_wr_int128(&w, nonce);
    tl_wr_int128(&w, s->server_nonce);
    tl_wr_int(&w, g);
    tl_wr_string(&w, prime, DH_BYTES);
    tl_wr_string(&w, g_a, DH_BYTES);
    tl_wr_int(&w, (int32_t)HS_SCRIPT_TIME);
    assert_int_equal(w.err, 0);
    return wr_len(&w);
}

/* Answers req_DH_params with server_DH_params_ok (or _fail). */
static inline void hs_script_dh(hs_script *s, const uint8_t *in, size_t n, uint8_t *out, size_t cap,
                                size_t *out_len)
{
    hs_script_read_req_dh(s, in, n);
    uint8_t inner[HS_ANSWER_MAX], enc[HS_ANSWER_MAX + 64], pad[32], body[HS_PACKET_MAX];
    size_t len = hs_script_dh_inner(s, inner, sizeof inner), enc_len = 0;
    size_t pad_len = (16 - (HS_SHA1_LEN + len) % 16) % 16 + (s->fault == F_PAD16 ? 16 : 0);
    drbg_generate(&s->rng, pad, sizeof pad);
    assert_int_equal(
        hs_answer_encrypt_with(&s->tmp, inner, len, pad, pad_len, enc, sizeof enc, &enc_len),
        MT_OK);
    if (s->fault == F_HASH) { /* decrypt, spoil the SHA1, encrypt again */
        assert_int_equal(hs_answer_crypt_raw(&s->tmp, false, enc, enc, enc_len), MT_OK);
        enc[5] ^= 1;
        assert_int_equal(hs_answer_crypt_raw(&s->tmp, true, enc, enc, enc_len), MT_OK);
    }
    if (s->fault == F_NOT_ALIGNED)
        enc_len += 4;
    uint8_t nonce[16], sn[16];
    memcpy(nonce, s->nonce, 16);
    memcpy(sn, s->server_nonce, 16);
    if (s->fault == F_DH_NONCE)
        nonce[15] ^= 1;
    if (s->fault == F_DH_SERVER_NONCE)
        sn[15] ^= 1;
    mt_wr w = wr_init(body, sizeof body);
    wr_u32le(&w, s->fault == F_DH_PARAMS_FAIL ? 0x79cb045du : 0xd0e8075cu);
    tl_wr_int128(&w, nonce);
    tl_wr_int128(&w, sn);
    if (s->fault == F_DH_PARAMS_FAIL)
        wr_bytes(&w, pad, 16); /* new_nonce_hash: not looked at */
    else
        tl_wr_string(&w, enc, enc_len);
    hs_script_pack(s, &w, out, cap, out_len);
}

/* Which dh_gen answer attempt number `attempt` gets. */
static inline unsigned hs_script_gen_number(const hs_script *s, unsigned attempt)
{
    switch (s->fault) {
    case F_RETRY:
        return attempt == 0 ? 2 : 1;
    case F_RETRY_BAD_HASH:
    case F_RETRY_FOREVER:
        return 2;
    case F_FAIL:
    case F_FAIL_BAD_HASH:
        return 3;
    default:
        return 1;
    }
}

/* Answers set_client_DH_params with dh_gen_ok / _retry / _fail. */
static inline void hs_script_gen(hs_script *s, const uint8_t *in, size_t n, uint8_t *out,
                                 size_t cap, size_t *out_len)
{
    static const uint32_t ids[4] = {0, 0x3bcbf734u, 0x46dc1fb9u, 0xa69dae02u};
    mt_rd r = hs_script_body(in, n, 0xf5045f1fu);
    uint8_t nonce[16], sn[16], plain[HS_ANSWER_MAX], key[DH_BYTES], hash[16], body[64];
    tl_rd_int128(&r, nonce);
    tl_rd_int128(&r, sn);
    tl_str enc = tl_rd_string(&r, 0);
    assert_int_equal(rd_done(&r), 0);
    assert_int_equal(hs_answer_decrypt(&s->tmp, enc.p, enc.len, plain, sizeof plain), MT_OK);
    mt_rd q = rd_init(plain + HS_SHA1_LEN, enc.len - HS_SHA1_LEN);
    assert_true(rd_u32le(&q) == 0x6643b654u);
    tl_rd_int128(&q, nonce);
    tl_rd_int128(&q, sn);
    assert_true(s->attempts < 4);
    rd_copy(&q, s->retry_ids[s->attempts], 8);
    tl_str g_b = tl_rd_string(&q, 0);
    assert_int_equal(q.err, 0);
    size_t used = enc.len - HS_SHA1_LEN - rd_left(&q);
    assert_int_equal(hs_answer_verify(plain, enc.len, used), MT_OK);
    assert_int_equal(dh_compute_key(&s->dh, g_b.p, g_b.len, DH_VALUE_GB, key), MT_OK);
    mt_auth_key_init(&s->ak, key);
    memcpy(s->aux_hashes[s->attempts], s->ak.aux_hash, 8);
    unsigned number = hs_script_gen_number(s, s->attempts++);
    assert_int_equal(hs_new_nonce_hash(s->new_nonce, number, s->ak.aux_hash, hash), MT_OK);
    if (s->fault == F_NNH1 || s->fault == F_RETRY_BAD_HASH || s->fault == F_FAIL_BAD_HASH)
        hash[0] ^= 1;
    memcpy(sn, s->server_nonce, 16);
    if (s->fault == F_GEN_NONCE)
        sn[1] ^= 1;
    mt_wr w = wr_init(body, sizeof body);
    wr_u32le(&w, ids[number]);
    tl_wr_int128(&w, s->nonce);
    tl_wr_int128(&w, sn);
    tl_wr_int128(&w, hash);
    hs_script_pack(s, &w, out, cap, out_len);
}

/* ---- a client run against the script (test_rsa2048.pem as the server key) ---- */

static rsa_private key;
static const rsa_public *keys[1];

static inline int setup(void **state)
{
    (void)state;
    char path[1024], text[8192];
    snprintf(path, sizeof path, "%s/vectors/keys/test_rsa2048.pem", MTPROOF_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    mt_drbg d;
    drbg_init_u64(&d, 7);
    assert_int_equal(rsa_private_load_pem(&key, text, n, &d.rng, NULL, NULL), MT_OK);
    keys[0] = &key.pub;
    return 0;
}

static inline int teardown(void **state)
{
    (void)state;
    rsa_private_wipe(&key);
    return 0;
}

typedef struct run {
    hs_client c;
    hs_script s;
    mt_drbg rng;
    mt_vclock clock;
    hs_client_config cfg;
    uint8_t digest[32]; /* SHA-256 over every client message */
} run;

static inline void run_init(run *x, enum hs_fault f, uint64_t seed)
{
    memset(x, 0, sizeof *x);
    drbg_init_u64(&x->rng, seed);
    vclock_init(&x->clock, (uint64_t)(HS_SCRIPT_TIME - 5) * NS_PER_S);
    x->cfg = (hs_client_config){.keys = keys, .n_keys = 1, .dc = 2, .max_retries = 2};
    hs_script_init(&x->s, &key, f, seed + 1000, NULL, 3);
}

/* Pumps client and script until the handshake ends; returns the client's last result. */
static inline int drive(run *x, const hs_client_fixed *fx)
{
    uint8_t a[HS_PACKET_MAX], b[HS_PACKET_MAX];
    size_t an = 0, blen = 0;
    sha256_ctx h;
    sha256_init(&h);
    int err = hs_client_init(&x->c, &x->cfg, &x->clock.clock, &x->rng.rng, fx);
    if (!err)
        err = hs_client_start(&x->c, a, sizeof a, &an);
    for (int step = 0; !err && step < 8; step++) {
        sha256_update(&h, a, an);
        hs_client_state st = hs_client_get_state(&x->c);
        if (st == HSC_WAIT_RESPQ)
            hs_script_respq(&x->s, a, an, b, sizeof b, &blen);
        else if (st == HSC_WAIT_DH)
            hs_script_dh(&x->s, a, an, b, sizeof b, &blen);
        else
            hs_script_gen(&x->s, a, an, b, sizeof b, &blen);
        err = hs_client_feed(&x->c, b, blen, a, sizeof a, &an);
        if (!err && hs_client_get_state(&x->c) == HSC_DONE)
            break;
    }
    sha256_final(&h, x->digest);
    if (err && mt_err_is_rule(err)) { /* sticky: the same rule again, and no result */
        hs_result r;
        assert_int_equal(hs_client_get_state(&x->c), HSC_FAILED);
        assert_int_equal(hs_client_feed(&x->c, b, blen, a, sizeof a, &an), err);
        assert_int_equal(hs_client_result(&x->c, &r), MT_E_bad_argument);
    }
    return err;
}

static inline void run_free(run *x)
{
    hs_client_wipe(&x->c);
    hs_script_free(&x->s);
}

#endif
