/* MTProto 2.0 encrypted messages (proto/message.h): the vector files through the library,
 * re-packing every valid vector byte for byte, pack/unpack round trips at many lengths with both
 * x, every rejection rule provoked through the override knobs, the order of the checks (a bad
 * msg_key hides every later error), the padding policies and their bounds, and MTProto 1.0. */
#include "testutil.h"

#include "common/ct.h"
#include "common/endian.h"
#include "crypto/drbg.h"
#include "crypto/ige.h"
#include "proto/message.h"

enum { BODY_MAX = 8192, BUF_MAX = MT_MSG_PACKED_MAX(BODY_MAX) };

typedef struct fixture {
    mt_auth_key k;
    mt_drbg rng;
    mt_msg_hdr hdr;
    uint8_t body[BODY_MAX];
    uint8_t pkt[BUF_MAX], plain[BUF_MAX];
} fixture;

static fixture fx;

static void fixture_init(uint64_t seed)
{
    uint8_t ak[MT_AUTH_KEY_LEN];
    tu_rand_seed(seed);
    tu_rand_bytes(ak, sizeof ak);
    tu_rand_bytes(fx.body, sizeof fx.body);
    mt_auth_key_init(&fx.k, ak);
    drbg_init_u64(&fx.rng, seed);
    fx.hdr = (mt_msg_hdr){tu_rand_u64(), tu_rand_u64(), 0x65c53d5000067201ull, 7};
}

/* Packs fx.body[0:n] with x and opts; returns the packet length. */
static size_t pack(unsigned x, size_t n, const mt_msg_pack_opts *opts)
{
    size_t len;
    assert_int_equal(mt_msg_pack(&fx.k, x, &fx.hdr, fx.body, n, opts, fx.pkt, sizeof fx.pkt, &len),
                     MT_OK);
    return len;
}

static int unpack(unsigned x, size_t len, mt_msg_view *v)
{
    return mt_msg_unpack(&fx.k, x, &fx.hdr.session_id, fx.pkt, len, fx.plain, sizeof fx.plain, v);
}

/* ---- vectors ---- */

static int is_valid(json_t *test)
{
    return strcmp(json_string_value(json_object_get(test, "result")), "valid") == 0;
}

static int key_x(json_t *in, mt_auth_key *k, unsigned *x)
{
    tu_buf ak = tu_field(in, "auth_key");
    int ok = ak.len == MT_AUTH_KEY_LEN;
    if (ok)
        mt_auth_key_init(k, ak.p);
    *x = (unsigned)tu_int(in, "x");
    tu_free(&ak);
    return ok;
}

static void check_raw(json_t *group, json_t *test, void *arg)
{
    (void)group;
    int dec = *(int *)arg;
    json_t *in = json_object_get(test, "in");
    mt_auth_key k;
    unsigned x;
    assert_true(key_x(in, &k, &x));
    tu_buf data = tu_field(in, dec ? "packet" : "plaintext");
    tu_buf out = tu_alloc(data.len + MT_MSG_OUTER_LEN);
    int err = dec ? mt_msg_decrypt_raw(&k, x, data.p, data.len, out.p, out.len)
                  : mt_msg_encrypt_raw(&k, x, data.p, data.len, NULL, out.p, out.len);
    if (is_valid(test)) {
        assert_int_equal(err, MT_OK);
        tu_buf want = tu_field(json_object_get(test, "out"), dec ? "plaintext" : "out");
        tu_assert_bytes("raw", out.p, want.len, want.p, want.len);
        tu_free(&want);
    } else {
        assert_string_equal(mt_err_name(err), json_string_value(json_object_get(test, "error")));
        if (dec && data.len >= MT_MSG_OUTER_LEN + 16)
            assert_true(ct_is_zero(out.p, data.len - MT_MSG_OUTER_LEN));
    }
    tu_free(&data);
    tu_free(&out);
}

/* Re-packs a valid message with our packer, taking its padding from the decrypted plaintext. */
static void repack(const mt_auth_key *k, unsigned x, const tu_buf *pkt, const mt_msg_view *v)
{
    tu_buf plain = tu_alloc(pkt->len), again = tu_alloc(pkt->len);
    assert_int_equal(mt_msg_decrypt_raw(k, x, pkt->p, pkt->len, plain.p, plain.len), MT_OK);
    mt_msg_pack_opts o = {NULL, v->pad_len, plain.p + MT_MSG_INNER_LEN + v->body_len, NULL};
    size_t len;
    assert_int_equal(mt_msg_pack(k, x, &v->hdr, v->body, v->body_len, &o, again.p, again.len, &len),
                     MT_OK);
    tu_assert_bytes("re-packed", again.p, len, pkt->p, pkt->len);
    tu_free(&plain);
    tu_free(&again);
}

static void check_decrypt(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    mt_auth_key k;
    unsigned x;
    assert_true(key_x(in, &k, &x));
    tu_buf pkt = tu_field(in, "packet"), sess = tu_field(in, "session_id");
    tu_buf plain = tu_alloc(pkt.len);
    uint64_t want_sess = ld64le(sess.p);
    mt_msg_view v;
    int err = mt_msg_unpack(&k, x, &want_sess, pkt.p, pkt.len, plain.p, plain.len, &v);
    if (is_valid(test)) {
        assert_int_equal(err, MT_OK);
        json_t *out = json_object_get(test, "out");
        tu_buf body = tu_field(out, "body"), salt = tu_field(out, "salt");
        tu_assert_bytes("body", v.body, v.body_len, body.p, body.len);
        assert_int_equal(v.hdr.salt, ld64le(salt.p));
        assert_int_equal(v.hdr.seq_no, tu_int(out, "seqno"));
        char id[24];
        snprintf(id, sizeof id, "%llu", (unsigned long long)v.hdr.msg_id);
        assert_string_equal(id, json_string_value(json_object_get(out, "msg_id")));
        repack(&k, x, &pkt, &v);
        tu_free(&body);
        tu_free(&salt);
    } else {
        assert_string_equal(mt_err_name(err), json_string_value(json_object_get(test, "error")));
        if (mt_err_is_rule(err) && err != MT_E_MSG_TOO_SHORT)
            assert_true(ct_is_zero(plain.p, plain.len - MT_MSG_OUTER_LEN));
        assert_null(v.body);
    }
    tu_free(&pkt);
    tu_free(&sess);
    tu_free(&plain);
}

static void test_vectors(void **state)
{
    (void)state;
    static int enc = 0, dec = 1;
    json_t *f = tu_load_vectors("encrypt_v2.json");
    assert_true(tu_each_vector(f, "encrypt_v2_raw", check_raw, &enc) >= 20);
    assert_true(tu_each_vector(f, "decrypt_v2_raw", check_raw, &dec) >= 10);
    json_decref(f);
    f = tu_load_vectors("decrypt_v2.json");
    assert_true(tu_each_vector(f, "decrypt_v2", check_decrypt, NULL) >= 25);
    json_decref(f);
}

/* ---- round trips ---- */

static void round_trip(unsigned x, size_t n, const mt_msg_pack_opts *o)
{
    mt_msg_view v;
    size_t len = pack(x, n, o);
    assert_int_equal((len - MT_MSG_OUTER_LEN) % 16, 0);
    assert_memory_equal(fx.pkt, fx.k.id, MT_AUTH_KEY_ID_LEN);
    assert_int_equal(unpack(x, len, &v), MT_OK);
    assert_int_equal(v.body_len, n);
    assert_memory_equal(v.body, fx.body, n);
    assert_int_equal(v.hdr.salt, fx.hdr.salt);
    assert_int_equal(v.hdr.session_id, fx.hdr.session_id);
    assert_int_equal(v.hdr.msg_id, fx.hdr.msg_id);
    assert_int_equal(v.hdr.seq_no, fx.hdr.seq_no);
    assert_in_range(v.pad_len, MT_MSG_PAD_MIN, MT_MSG_PAD_MAX);
    assert_int_equal(len, MT_MSG_PACKED_LEN(n, v.pad_len));
    /* The other direction's keys do not open it. */
    assert_int_equal(unpack(8 - x, len, &v), MT_E_MSG_KEY_MISMATCH);
}

static void test_round_trips(void **state)
{
    (void)state;
    fixture_init(1);
    mt_msg_pack_opts o = {&fx.rng.rng, MT_PAD_RANDOM, NULL, NULL};
    for (size_t n = 0; n <= 1100; n += 4)
        for (unsigned x = 0; x <= 8; x += 8)
            round_trip(x, n, &o);
    for (size_t n = 1104; n <= BODY_MAX; n += 4 * 97)
        round_trip(MT_X_SERVER, n, &o);
    round_trip(MT_X_CLIENT, BODY_MAX, &o);
}

/* Random padding: always 12..1024, total aligned, and every one of the 16 block counts drawn. */
static void test_random_padding(void **state)
{
    (void)state;
    fixture_init(2);
    mt_msg_pack_opts o = {&fx.rng.rng, MT_PAD_RANDOM, NULL, NULL};
    unsigned seen = 0;
    for (int i = 0; i < 400; i++) {
        size_t n = 4 * tu_rand_below(64);
        mt_msg_view v;
        assert_int_equal(unpack(MT_X_CLIENT, pack(MT_X_CLIENT, n, &o), &v), MT_OK);
        size_t min = MT_MSG_PAD_MIN + (16 - (MT_MSG_INNER_LEN + n + MT_MSG_PAD_MIN) % 16) % 16;
        assert_int_equal((v.pad_len - min) % 16, 0);
        assert_in_range((v.pad_len - min) / 16, 0, MT_MSG_PAD_RANDOM_BLOCKS);
        seen |= 1u << ((v.pad_len - min) / 16);
    }
    assert_int_equal(seen, 0xffff);
    o.rng = NULL;
    size_t len;
    assert_int_equal(mt_msg_pack(&fx.k, 0, &fx.hdr, fx.body, 16, &o, fx.pkt, BUF_MAX, &len),
                     MT_E_bad_argument);
}

/* Exact padding: 12 and 1024 accepted with the given bytes; outside or unaligned refused. */
static void test_exact_padding(void **state)
{
    (void)state;
    fixture_init(3);
    uint8_t pad[MT_MSG_PAD_MAX + 16];
    memset(pad, 0xab, sizeof pad);
    mt_msg_pack_opts o = {NULL, 12, pad, NULL};
    size_t len;
    assert_int_equal(mt_msg_pack(&fx.k, 0, &fx.hdr, fx.body, 4, &o, fx.pkt, BUF_MAX, &len), MT_OK);
    assert_int_equal(mt_msg_decrypt_raw(&fx.k, 0, fx.pkt, len, fx.plain, BUF_MAX), MT_OK);
    assert_memory_equal(fx.plain + MT_MSG_INNER_LEN + 4, pad, 12);
    o.pad_len = 1024;
    assert_int_equal(mt_msg_pack(&fx.k, 0, &fx.hdr, fx.body, 32, &o, fx.pkt, BUF_MAX, &len), MT_OK);
    assert_int_equal(len, MT_MSG_PACKED_LEN(32, 1024));
    static const struct {
        size_t body, pad;
        int err;
    } bad[] = {
        {36, 8, MT_E_bad_argument},  {20, 1036, MT_E_bad_argument}, {4, 0, MT_E_bad_argument},
        {8, 12, MT_E_bad_data_size}, {4, 16, MT_E_bad_data_size},   {2, 14, MT_E_bad_argument},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.pad_len = bad[i].pad;
        assert_int_equal(
            mt_msg_pack(&fx.k, 0, &fx.hdr, fx.body, bad[i].body, &o, fx.pkt, BUF_MAX, &len),
            bad[i].err);
        assert_int_equal(len, 0);
    }
    o.pad_len = 12;
    assert_int_equal(mt_msg_pack(&fx.k, 0, &fx.hdr, fx.body, 4, &o, fx.pkt, 71, &len),
                     MT_E_no_space);
    assert_int_equal(mt_msg_pack(&fx.k, 3, &fx.hdr, fx.body, 4, &o, fx.pkt, BUF_MAX, &len),
                     MT_E_bad_argument);
}

/* ---- rejections, the override knobs, and the order of the checks ---- */

/* Packs fx.body[0:n] with an exact padding of pad bytes (any length) and the given override. */
static size_t pack_bad(size_t n, size_t pad, mt_msg_override *ovr)
{
    ovr->flags |= MT_OVR_PAD_ANY;
    mt_msg_pack_opts o = {&fx.rng.rng, pad, NULL, ovr};
    return pack(MT_X_SERVER, n, &o);
}

static void expect_reject(size_t len, int rule)
{
    mt_msg_view v;
    memset(fx.plain, 0x77, sizeof fx.plain);
    assert_string_equal(mt_err_name(unpack(MT_X_SERVER, len, &v)), mt_err_name(rule));
    if (len >= MT_MSG_MIN_PACKET) /* never use an invalid message */
        assert_true(ct_is_zero(fx.plain, len - MT_MSG_OUTER_LEN));
    assert_null(v.body);
}

static void test_each_rule(void **state)
{
    (void)state;
    fixture_init(4);
    mt_msg_override o = {0};
    expect_reject(MT_MSG_MIN_PACKET - 1, MT_E_MSG_TOO_SHORT);
    memset(o.auth_key_id, 0x11, sizeof o.auth_key_id);
    o.flags = MT_OVR_AUTH_KEY_ID;
    size_t len = pack_bad(40, 24, &o);
    assert_memory_equal(fx.pkt, o.auth_key_id, 8); /* exactly the wrong id asked for */
    expect_reject(len, MT_E_MSG_AUTH_KEY_ID_UNKNOWN);
    o = (mt_msg_override){MT_OVR_MSG_KEY, {0}, {1, 2, 3}, 0};
    len = pack_bad(40, 24, &o);
    assert_memory_equal(fx.pkt + 8, o.msg_key, 16);
    expect_reject(len, MT_E_MSG_KEY_MISMATCH);
    len = pack_bad(40, 24, &(mt_msg_override){0});
    expect_reject(len + 4, MT_E_MSG_NOT_BLOCK_ALIGNED);
    len = pack_bad(40, 24, &(mt_msg_override){MT_OVR_LENGTH, {0}, {0}, 68});
    expect_reject(len, MT_E_MSG_LENGTH_TOO_BIG);
    len = pack_bad(40, 24, &(mt_msg_override){MT_OVR_LENGTH, {0}, {0}, 0xfffffffcu});
    expect_reject(len, MT_E_MSG_LENGTH_TOO_BIG);
    len = pack_bad(40, 24, &(mt_msg_override){MT_OVR_LENGTH, {0}, {0}, 42});
    expect_reject(len, MT_E_MSG_LENGTH_NOT_ALIGNED);
    len = pack_bad(40, 8, &(mt_msg_override){0});
    expect_reject(len, MT_E_MSG_PADDING_TOO_SHORT);
    len = pack_bad(40, 1048, &(mt_msg_override){0});
    expect_reject(len, MT_E_MSG_PADDING_TOO_LONG);
    len = pack_bad(4, 1036, &(mt_msg_override){0}); /* 1036: just over the bound */
    expect_reject(len, MT_E_MSG_PADDING_TOO_LONG);
    uint64_t mine = fx.hdr.session_id;
    fx.hdr.session_id ^= 1;
    len = pack_bad(40, 24, &(mt_msg_override){0});
    fx.hdr.session_id = mine;
    expect_reject(len, MT_E_MSG_SESSION_MISMATCH);
    /* A server does not check session_id (a new one opens a session). */
    mt_msg_view v;
    assert_int_equal(mt_msg_unpack(&fx.k, 8, NULL, fx.pkt, len, fx.plain, BUF_MAX, &v), MT_OK);
}

/* A bad msg_key hides every later error; after it, the guidelines' order holds. */
static void test_check_order(void **state)
{
    (void)state;
    fixture_init(5);
    static const struct {
        unsigned flags;
        uint32_t length;
        size_t pad, extra;
        int flip_session, rule;
    } cases[] = {
        {MT_OVR_MSG_KEY | MT_OVR_LENGTH, 43, 24, 0, 0, MT_E_MSG_KEY_MISMATCH},
        {MT_OVR_MSG_KEY | MT_OVR_LENGTH, 1000, 24, 0, 1, MT_E_MSG_KEY_MISMATCH},
        {MT_OVR_MSG_KEY, 0, 8, 4, 1, MT_E_MSG_KEY_MISMATCH},
        {MT_OVR_LENGTH, 1001, 24, 4, 1, MT_E_MSG_NOT_BLOCK_ALIGNED},
        {MT_OVR_LENGTH, 1001, 24, 0, 1, MT_E_MSG_LENGTH_TOO_BIG},
        {MT_OVR_LENGTH, 46, 8, 0, 1, MT_E_MSG_LENGTH_NOT_ALIGNED},
        {0, 0, 8, 0, 1, MT_E_MSG_PADDING_TOO_SHORT},
        {0, 0, 1048, 0, 1, MT_E_MSG_PADDING_TOO_LONG},
    };
    uint64_t mine = fx.hdr.session_id;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mt_msg_override o = {cases[i].flags, {0}, {9, 9, 9}, cases[i].length};
        fx.hdr.session_id = mine ^ (uint64_t)cases[i].flip_session;
        size_t len = pack_bad(40, cases[i].pad, &o);
        fx.hdr.session_id = mine;
        expect_reject(len + cases[i].extra, cases[i].rule);
    }
}

/* MT_OVR_MSG_KEY derives the keys from the forced msg_key: the packet decrypts to the true
 * plaintext, and only the msg_key check catches it. MT_OVR_LENGTH keeps msg_key consistent. */
static void test_override_semantics(void **state)
{
    (void)state;
    fixture_init(6);
    mt_msg_override o = {MT_OVR_MSG_KEY, {0}, {0xde, 0xad}, 0};
    size_t len = pack_bad(40, 24, &o);
    uint8_t key[32], iv[32];
    assert_int_equal(mt_kdf_v2(fx.k.key, MT_X_SERVER, o.msg_key, key, iv), MT_OK);
    assert_int_equal(aes256_ige_decrypt(key, 32, iv, 32, fx.pkt + 24, fx.plain, len - 24), MT_OK);
    assert_int_equal(ld32le(fx.plain + 28), 40);
    assert_memory_equal(fx.plain + 32, fx.body, 40);
    o = (mt_msg_override){MT_OVR_LENGTH, {0}, {0}, 12345};
    len = pack_bad(40, 24, &o);
    assert_int_equal(mt_msg_decrypt_raw(&fx.k, MT_X_SERVER, fx.pkt, len, fx.plain, BUF_MAX), MT_OK);
    assert_int_equal(ld32le(fx.plain + 28), 12345);
    /* The raw layer takes the auth_key_id and msg_key overrides too. */
    o = (mt_msg_override){MT_OVR_AUTH_KEY_ID | MT_OVR_MSG_KEY, {1, 2, 3, 4, 5, 6, 7, 8}, {7}, 0};
    assert_int_equal(mt_msg_encrypt_raw(&fx.k, 0, fx.body, 32, &o, fx.pkt, BUF_MAX), MT_OK);
    assert_memory_equal(fx.pkt, o.auth_key_id, 8);
    assert_memory_equal(fx.pkt + 8, o.msg_key, 16);
    assert_int_equal(mt_msg_decrypt_raw(&fx.k, 0, fx.pkt, 56, fx.plain, BUF_MAX),
                     MT_E_MSG_KEY_MISMATCH);
    assert_true(ct_is_zero(fx.plain, 32));
}

static void test_tool_errors(void **state)
{
    (void)state;
    fixture_init(7);
    mt_msg_view v;
    size_t len = pack(0, 16, &(mt_msg_pack_opts){&fx.rng.rng, MT_PAD_RANDOM, NULL, NULL});
    assert_int_equal(mt_msg_unpack(&fx.k, 0, NULL, fx.pkt, len, fx.plain, len - 25, &v),
                     MT_E_no_space);
    assert_int_equal(mt_msg_unpack(&fx.k, 5, NULL, fx.pkt, len, fx.plain, BUF_MAX, &v),
                     MT_E_bad_argument);
    assert_int_equal(mt_msg_decrypt_raw(&fx.k, 0, fx.pkt, 39, fx.plain, BUF_MAX),
                     MT_E_MSG_TOO_SHORT);
    assert_int_equal(mt_msg_decrypt_raw(&fx.k, 0, fx.pkt, len, fx.plain, len - 25), MT_E_no_space);
    assert_int_equal(mt_msg_encrypt_raw(&fx.k, 0, fx.body, 17, NULL, fx.pkt, BUF_MAX),
                     MT_E_bad_data_size);
    assert_int_equal(mt_msg_encrypt_raw(&fx.k, 0, fx.body, 16, NULL, fx.pkt, 39), MT_E_no_space);
}

/* MTProto 1.0: msg_key over the unpadded plaintext, 0..15 bytes of padding, the v1 KDF. */
static void test_v1(void **state)
{
    (void)state;
    fixture_init(8);
    for (size_t n = 0; n <= 80; n++) {
        size_t len;
        assert_int_equal(
            mt_msg_encrypt_v1(&fx.k, 0, fx.body, n, &fx.rng.rng, fx.pkt, BUF_MAX, &len), MT_OK);
        assert_int_equal(len, MT_MSG_OUTER_LEN + (n + 15) / 16 * 16);
        uint8_t mk[16], key[32], iv[32];
        mt_msg_key_v1(fx.body, n, mk);
        assert_memory_equal(fx.pkt, fx.k.id, 8);
        assert_memory_equal(fx.pkt + 8, mk, 16);
        assert_int_equal(mt_kdf_v1(fx.k.key, 0, mk, key, iv), MT_OK);
        assert_int_equal(aes256_ige_decrypt(key, 32, iv, 32, fx.pkt + 24, fx.plain, len - 24),
                         MT_OK);
        assert_memory_equal(fx.plain, fx.body, n);
    }
    size_t len;
    assert_int_equal(mt_msg_encrypt_v1(&fx.k, 0, fx.body, 5, NULL, fx.pkt, BUF_MAX, &len),
                     MT_E_bad_argument);
    assert_int_equal(mt_msg_encrypt_v1(&fx.k, 0, fx.body, 16, NULL, fx.pkt, 39, &len),
                     MT_E_no_space);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_random_padding),
        cmocka_unit_test(test_exact_padding),
        cmocka_unit_test(test_each_rule),
        cmocka_unit_test(test_check_order),
        cmocka_unit_test(test_override_semantics),
        cmocka_unit_test(test_tool_errors),
        cmocka_unit_test(test_v1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
