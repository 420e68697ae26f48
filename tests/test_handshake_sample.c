/*
 * The official worked example (tests/hs_sample.h; page mtproto/samples-auth_key) replayed through
 * our client engine: fed the sample's nonce, new_nonce, b, client_DH_inner_data padding, msg_ids
 * and the server's three messages, the client must write every byte of its three messages as
 * printed, except the RSA_PAD encrypted_data of req_DH_params (the page does not give its random
 * temp_key, and we do not have Telegram's private key to decrypt ours): for that message we check
 * the p_q_inner_data_dc bytes before RSA_PAD and every byte around encrypted_data. The page's
 * server messages declare message_length 168, 708 and 116 while their bodies are 80, 632 and 52
 * bytes (mtproto-notes §1, mistake 1): we fix those fields before feeding them, and check that
 * the unfixed ones are refused (PLAIN_LENGTH_MISMATCH).
 */
#include "common/endian.h"
#include "crypto/drbg.h"
#include "hs_sample.h"
#include "proto/handshake.h"
#include "proto/message.h"
#include "testutil.h"

static rsa_public prod_key;

static int load_key(void **state)
{
    (void)state;
    char path[1024], text[4096];
    snprintf(path, sizeof path, "%s/vectors/keys/telegram_production_pub.pem", MTPROOF_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    assert_int_equal(rsa_public_load_pem(&prod_key, text, n, NULL, NULL), MT_OK);
    /* "85FD64DE851D9DD0": the production key's fingerprint, the one the sample client picks */
    assert_true(rsa_fingerprint_u64(&prod_key) == 0xd09d1d85de64fd85ull);
    return 0;
}

/* A server message from the page with its message_length fixed to the real body length. */
static tu_buf server_msg(const char *hex, uint32_t body_len)
{
    tu_buf b = tu_hex(hex);
    assert_int_equal(b.len, MT_PLAIN_HEADER_LEN + body_len);
    st32le(b.p + 16, body_len);
    return b;
}

typedef struct sample_run {
    mt_drbg drbg;
    mt_vclock clock;
    hs_client c;
    tu_buf nonce, new_nonce, b, pad;
    uint64_t ids[3];
    const rsa_public *keys[1];
} sample_run;

static void sample_init(sample_run *s)
{
    drbg_init_u64(&s->drbg, 1);
    vclock_init(&s->clock, (uint64_t)HS_SAMPLE_SERVER_TIME * NS_PER_S);
    s->nonce = tu_hex(HS_SAMPLE_NONCE);
    s->new_nonce = tu_hex(HS_SAMPLE_NEW_NONCE);
    s->b = tu_hex(HS_SAMPLE_B);
    s->pad = tu_hex(HS_SAMPLE_ANSWER_PAD);
    s->ids[0] = HS_SAMPLE_MSG_ID_REQ_PQ;
    s->ids[1] = HS_SAMPLE_MSG_ID_REQ_DH;
    s->ids[2] = HS_SAMPLE_MSG_ID_SET_DH;
    s->keys[0] = &prod_key;
    hs_client_config cfg = {.keys = s->keys, .n_keys = 1, .dc = hs_dc_id(2, false, false)};
    hs_client_fixed fx = {.nonce = s->nonce.p,
                          .new_nonce = s->new_nonce.p,
                          .b = s->b.p,
                          .answer_pad = s->pad.p,
                          .answer_pad_len = s->pad.len,
                          .msg_ids = s->ids,
                          .n_msg_ids = 3};
    assert_int_equal(hs_client_init(&s->c, &cfg, &s->clock.clock, &s->drbg.rng, &fx), MT_OK);
}

static void sample_free(sample_run *s)
{
    hs_client_wipe(&s->c);
    tu_free(&s->nonce);
    tu_free(&s->new_nonce);
    tu_free(&s->b);
    tu_free(&s->pad);
}

static void check_req_dh(const uint8_t *got, size_t n)
{
    tu_buf want = tu_hex(HS_SAMPLE_REQ_DH);
    const size_t enc_off = 0x54; /* after "FE000100": the 256 bytes of encrypted_data */
    assert_int_equal(n, want.len);
    tu_assert_bytes("req_DH_params before encrypted_data", got, enc_off, want.p, enc_off);
    assert_int_equal(n - enc_off, 256);
    tu_free(&want);
}

static void test_sample_client(void **state)
{
    (void)state;
    sample_run s;
    sample_init(&s);
    uint8_t out[HS_PACKET_MAX];
    size_t n = 0;
    assert_int_equal(hs_client_start(&s.c, out, sizeof out, &n), MT_OK);
    tu_buf want = tu_hex(HS_SAMPLE_REQ_PQ);
    tu_assert_bytes("req_pq_multi", out, n, want.p, want.len);
    tu_free(&want);

    tu_buf m = server_msg(HS_SAMPLE_RES_PQ, HS_SAMPLE_RES_PQ_BODY);
    assert_int_equal(hs_client_feed(&s.c, m.p, m.len, out, sizeof out, &n), MT_OK);
    tu_free(&m);
    check_req_dh(out, n);
    size_t inner_len = 0;
    const uint8_t *inner = hs_client_pq_inner(&s.c, &inner_len);
    want = tu_hex(HS_SAMPLE_PQ_INNER);
    tu_assert_bytes("p_q_inner_data_dc", inner, inner_len, want.p, want.len);
    tu_free(&want);

    m = server_msg(HS_SAMPLE_DH_PARAMS_OK, HS_SAMPLE_DH_PARAMS_BODY);
    assert_int_equal(hs_client_feed(&s.c, m.p, m.len, out, sizeof out, &n), MT_OK);
    tu_free(&m);
    want = tu_hex(HS_SAMPLE_CLIENT_DH_INNER);
    inner = hs_client_dh_inner(&s.c, &inner_len);
    tu_assert_bytes("client_DH_inner_data", inner, inner_len, want.p, want.len);
    tu_free(&want);
    want = tu_hex(HS_SAMPLE_SET_CLIENT_DH);
    tu_assert_bytes("set_client_DH_params", out, n, want.p, want.len);
    tu_free(&want);

    m = server_msg(HS_SAMPLE_DH_GEN_OK, HS_SAMPLE_DH_GEN_BODY);
    assert_int_equal(hs_client_feed(&s.c, m.p, m.len, out, sizeof out, &n), MT_OK);
    tu_free(&m);
    assert_int_equal(n, 0);
    assert_int_equal(hs_client_get_state(&s.c), HSC_DONE);

    hs_result r;
    assert_int_equal(hs_client_result(&s.c, &r), MT_OK);
    tu_buf key = tu_hex(HS_SAMPLE_AUTH_KEY), id = tu_hex(HS_SAMPLE_AUTH_KEY_ID);
    tu_buf aux = tu_hex(HS_SAMPLE_AUX_HASH), salt = tu_hex(HS_SAMPLE_SALT);
    tu_assert_bytes("auth_key", r.key.key, sizeof r.key.key, key.p, key.len);
    tu_assert_bytes("auth_key_id", r.key.id, sizeof r.key.id, id.p, id.len);
    tu_assert_bytes("aux_hash", r.key.aux_hash, sizeof r.key.aux_hash, aux.p, aux.len);
    tu_assert_bytes("server_salt", r.server_salt, sizeof r.server_salt, salt.p, salt.len);
    assert_int_equal(r.server_time, HS_SAMPLE_SERVER_TIME);
    assert_true(r.time_offset_ns == 0); /* our clock was set to the sample's server_time */
    assert_int_equal(r.retries, 0);

    /* new_nonce_hash1 as published, from our shared function */
    uint8_t h1[HS_NONCE_HASH_LEN];
    assert_int_equal(hs_new_nonce_hash(s.new_nonce.p, 1, r.key.aux_hash, h1), MT_OK);
    tu_buf want_h1 = tu_hex(HS_SAMPLE_NEW_NONCE_HASH1);
    tu_assert_bytes("new_nonce_hash1", h1, sizeof h1, want_h1.p, want_h1.len);
    tu_free(&want_h1);
    hs_result_wipe(&r);
    tu_free(&key);
    tu_free(&id);
    tu_free(&aux);
    tu_free(&salt);
    sample_free(&s);
}

/* The page's messages as printed (message_length 168 for an 80-byte body) are refused. */
static void test_sample_page_lengths_refused(void **state)
{
    (void)state;
    sample_run s;
    sample_init(&s);
    uint8_t out[HS_PACKET_MAX];
    size_t n = 0;
    assert_int_equal(hs_client_start(&s.c, out, sizeof out, &n), MT_OK);
    tu_buf m = tu_hex(HS_SAMPLE_RES_PQ);
    assert_int_equal(hs_client_feed(&s.c, m.p, m.len, out, sizeof out, &n),
                     MT_E_PLAIN_LENGTH_MISMATCH);
    assert_int_equal(hs_client_get_state(&s.c), HSC_FAILED);
    tu_free(&m);
    sample_free(&s);
}

/* The shared functions against the published tmp key and iv, ids, and salt. */
static void test_sample_common(void **state)
{
    (void)state;
    tu_buf nn = tu_hex(HS_SAMPLE_NEW_NONCE), sn = tu_hex(HS_SAMPLE_SERVER_NONCE);
    tu_buf k = tu_hex(HS_SAMPLE_TMP_KEY), iv = tu_hex(HS_SAMPLE_TMP_IV);
    hs_tmp_aes t;
    hs_tmp_aes_kdf(nn.p, sn.p, &t);
    tu_assert_bytes("tmp_aes_key", t.key, sizeof t.key, k.p, k.len);
    tu_assert_bytes("tmp_aes_iv", t.iv, sizeof t.iv, iv.p, iv.len);
    hs_tmp_aes_wipe(&t);
    uint8_t salt[HS_SALT_LEN];
    hs_initial_salt(nn.p, sn.p, salt);
    tu_buf want_salt = tu_hex(HS_SAMPLE_SALT);
    tu_assert_bytes("salt", salt, sizeof salt, want_salt.p, want_salt.len);
    tu_buf key = tu_hex(HS_SAMPLE_AUTH_KEY), id = tu_hex(HS_SAMPLE_AUTH_KEY_ID);
    tu_buf aux = tu_hex(HS_SAMPLE_AUX_HASH);
    uint8_t gid[8], gaux[8];
    hs_auth_key_ids(key.p, gid, gaux);
    tu_assert_bytes("auth_key_id", gid, 8, id.p, id.len);
    tu_assert_bytes("aux_hash", gaux, 8, aux.p, aux.len);
    uint8_t h[16];
    assert_int_equal(hs_new_nonce_hash(nn.p, 0, gaux, h), MT_E_bad_argument);
    assert_int_equal(hs_new_nonce_hash(nn.p, 4, gaux, h), MT_E_bad_argument);
    tu_buf *all[] = {&nn, &sn, &k, &iv, &want_salt, &key, &id, &aux};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        tu_free(all[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_client),
        cmocka_unit_test(test_sample_page_lengths_refused),
        cmocka_unit_test(test_sample_common),
    };
    return cmocka_run_group_tests(tests, load_key, NULL);
}
