/* MTProto message keys and KDFs (proto/kdf.h): every vector file (generated and mtcute's
 * published values), OpenSSL as an oracle for msg_key and the quick-ack token, the official
 * sample's auth_key_id and aux_hash, and the refused x values. */
#include "testutil.h"

#include <openssl/evp.h>

#include "common/err.h"
#include "proto/kdf.h"

/* The auth key of the official sample (spec/auth_key_sample.txt, step 8). */
static const char SAMPLE_AUTH_KEY[] =
    "ACA2547BAA3B4B3E6AD9129ADEE796042FC4ACAAABA40DCE7A1196640595829E2BA85C5E68E5D2B7B713B28720"
    "CCD0E65DA3B80CD8A9282BDE895755B924F4CBBCED119DEE057D3066D7095C25771A53D9AD6EC3464EE0E7FE1A"
    "4D9851F17B6CC7D6E636E0BDEA7D66153CF37005835A528E65673C1F5ADAA27465964BA89AA6FD045108B25B1D"
    "C9AB2D979864858C9EACBFA4A399CDBF2154D2CC6743C5CAA40683343D80A36C7F1289DC5AC5EE585DEA1E1CD2"
    "96444EA6CD8F6C3564B2D355B310A3C02608EEA5EC36D38E941BF811489AB7A24C069E44FF54714CB4A45EEE2F"
    "310FDDC0A1B08BD3DFF8801E27C8508EFD7AD51EF3C13EF1D9A02EE4601741";

static int is_valid(json_t *test)
{
    return strcmp(json_string_value(json_object_get(test, "result")), "valid") == 0;
}

static void expect_error(json_t *test, int err)
{
    assert_int_not_equal(err, MT_OK);
    const char *want = json_string_value(json_object_get(test, "error"));
    if (want)
        assert_string_equal(mt_err_name(err), want);
}

/* kdf_v2 / kdf_v1: a wrong-size key or msg_key is refused the way the shim refuses it. */
static void check_kdf(json_t *group, json_t *test, void *arg)
{
    (void)group;
    int v1 = *(int *)arg;
    json_t *in = json_object_get(test, "in");
    tu_buf ak = tu_field(in, "auth_key"), mk = tu_field(in, "msg_key");
    unsigned x = (unsigned)tu_int(in, "x");
    uint8_t key[MT_AES_KEY_LEN], iv[MT_AES_IV_LEN];
    int err;
    if (ak.len != MT_AUTH_KEY_LEN)
        err = MT_E_bad_key_size;
    else if (mk.len != MT_MSG_KEY_LEN)
        err = MT_E_bad_argument;
    else
        err = v1 ? mt_kdf_v1(ak.p, x, mk.p, key, iv) : mt_kdf_v2(ak.p, x, mk.p, key, iv);
    if (is_valid(test)) {
        assert_int_equal(err, MT_OK);
        json_t *out = json_object_get(test, "out");
        tu_buf wk = tu_field(out, "aes_key"), wi = tu_field(out, "aes_iv");
        tu_assert_bytes("aes_key", key, sizeof key, wk.p, wk.len);
        tu_assert_bytes("aes_iv", iv, sizeof iv, wi.p, wi.len);
        tu_free(&wk);
        tu_free(&wi);
    } else {
        expect_error(test, err);
    }
    tu_free(&ak);
    tu_free(&mk);
}

static void check_msg_key_v2(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    tu_buf ak = tu_field(in, "auth_key"), p = tu_field(in, "plaintext");
    uint8_t mk[MT_MSG_KEY_LEN];
    int err = ak.len != MT_AUTH_KEY_LEN
                  ? MT_E_bad_key_size
                  : mt_msg_key_v2(ak.p, (unsigned)tu_int(in, "x"), p.p, p.len, mk, NULL);
    if (is_valid(test)) {
        assert_int_equal(err, MT_OK);
        tu_buf want = tu_field(json_object_get(test, "out"), "out");
        tu_assert_bytes("msg_key", mk, sizeof mk, want.p, want.len);
        tu_free(&want);
    } else {
        expect_error(test, err);
    }
    tu_free(&ak);
    tu_free(&p);
}

static void check_msg_key_v1(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    tu_buf p = tu_field(json_object_get(test, "in"), "plaintext");
    tu_buf want = tu_field(json_object_get(test, "out"), "out");
    uint8_t mk[MT_MSG_KEY_LEN];
    mt_msg_key_v1(p.p, p.len, mk);
    tu_assert_bytes("msg_key_v1", mk, sizeof mk, want.p, want.len);
    tu_free(&p);
    tu_free(&want);
}

static void run_file(const char *name, size_t min_tests)
{
    static int v1 = 1, v2 = 0;
    json_t *f = tu_load_vectors(name);
    size_t n = tu_each_vector(f, "kdf_v2", check_kdf, &v2);
    n += tu_each_vector(f, "kdf_v1", check_kdf, &v1);
    n += tu_each_vector(f, "msg_key_v2", check_msg_key_v2, NULL);
    n += tu_each_vector(f, "msg_key_v1", check_msg_key_v1, NULL);
    assert_true(n >= min_tests);
    json_decref(f);
}

static void test_vectors(void **state)
{
    (void)state;
    run_file("kdf_v2.json", 19);
    run_file("kdf_v1.json", 27);
    run_file("msg_key_v2.json", 22);
    run_file("published/mtcute_kdf.json", 4);
}

/* msg_key_large, msg_key and the quick-ack token against OpenSSL's SHA-256, both x. */
static void test_msg_key_openssl(void **state)
{
    (void)state;
    tu_rand_seed(41);
    for (int i = 0; i < 200; i++) {
        uint8_t ak[MT_AUTH_KEY_LEN], want[32], mk[MT_MSG_KEY_LEN], large[32];
        unsigned x = (i & 1) ? MT_X_SERVER : MT_X_CLIENT;
        size_t n = tu_rand_below(2048);
        tu_buf p = tu_alloc(n);
        tu_rand_bytes(ak, sizeof ak);
        tu_rand_bytes(p.p, n);
        tu_buf cat = tu_alloc(32 + n);
        memcpy(cat.p, ak + 88 + x, 32);
        memcpy(cat.p + 32, p.p, n);
        assert_int_equal(EVP_Digest(cat.p, cat.len, want, NULL, EVP_sha256(), NULL), 1);
        tu_free(&cat);
        assert_int_equal(mt_msg_key_v2(ak, x, p.p, n, mk, large), MT_OK);
        tu_assert_bytes("msg_key_large", large, sizeof large, want, sizeof want);
        tu_assert_bytes("msg_key", mk, sizeof mk, want + 8, 16);
        uint32_t token = (uint32_t)want[0] | (uint32_t)want[1] << 8 | (uint32_t)want[2] << 16 |
                         (uint32_t)want[3] << 24 | 0x80000000u;
        assert_int_equal(mt_quick_ack_token(large), token);
        tu_free(&p);
    }
}

/* The official sample's auth_key_id and aux_hash (spec/auth_key_sample.txt, step 9 notes). */
static void test_auth_key_hashes(void **state)
{
    (void)state;
    tu_buf key = tu_hex(SAMPLE_AUTH_KEY), id = tu_hex("65588B3350EF784E");
    tu_buf aux = tu_hex("20B5C361A4F5A3D0");
    mt_auth_key k;
    assert_int_equal(key.len, MT_AUTH_KEY_LEN);
    mt_auth_key_init(&k, key.p);
    tu_assert_bytes("auth_key_id", k.id, sizeof k.id, id.p, id.len);
    tu_assert_bytes("aux_hash", k.aux_hash, sizeof k.aux_hash, aux.p, aux.len);
    mt_auth_key_wipe(&k);
    uint8_t zero[sizeof k] = {0};
    assert_memory_equal(&k, zero, sizeof k);
    tu_free(&key);
    tu_free(&id);
    tu_free(&aux);
}

/* Only x = 0 and x = 8 exist; every other value is refused by every function. */
static void test_bad_x(void **state)
{
    (void)state;
    uint8_t ak[MT_AUTH_KEY_LEN] = {0}, mk[MT_MSG_KEY_LEN] = {0}, key[32], iv[32];
    static const unsigned bad[] = {1, 4, 7, 9, 16, 0xffffffffu};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(mt_kdf_v2(ak, bad[i], mk, key, iv), MT_E_bad_argument);
        assert_int_equal(mt_kdf_v1(ak, bad[i], mk, key, iv), MT_E_bad_argument);
        assert_int_equal(mt_msg_key_v2(ak, bad[i], ak, 16, mk, NULL), MT_E_bad_argument);
    }
}

/* The two directions derive different keys, and the KDFs read only auth_key bytes 0..127. */
static void test_key_bytes_used(void **state)
{
    (void)state;
    uint8_t ak[MT_AUTH_KEY_LEN], mk[MT_MSG_KEY_LEN], k0[32], i0[32], k8[32], i8[32], k1[32], i1[32];
    tu_rand_seed(7);
    tu_rand_bytes(ak, sizeof ak);
    tu_rand_bytes(mk, sizeof mk);
    for (int v1 = 0; v1 < 2; v1++) {
        int (*kdf)(const uint8_t *, unsigned, const uint8_t *, uint8_t *, uint8_t *) =
            v1 ? mt_kdf_v1 : mt_kdf_v2;
        assert_int_equal(kdf(ak, 0, mk, k0, i0), MT_OK);
        assert_int_equal(kdf(ak, 8, mk, k8, i8), MT_OK);
        assert_memory_not_equal(k0, k8, 32);
        memset(ak + 128, 0x5c, 128);
        assert_int_equal(kdf(ak, 8, mk, k1, i1), MT_OK);
        assert_memory_equal(k1, k8, 32);
        assert_memory_equal(i1, i8, 32);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),         cmocka_unit_test(test_msg_key_openssl),
        cmocka_unit_test(test_auth_key_hashes), cmocka_unit_test(test_bad_x),
        cmocka_unit_test(test_key_bytes_used),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
