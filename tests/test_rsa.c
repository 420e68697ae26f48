/* RSA: fingerprint and RSA_PAD vectors, RSA_PAD round trips and every rejection, the key
 * consistency check, and OpenSSL as the oracle for the raw operations and for generated keys. */
#include "testutil.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "common/ct.h"
#include "crypto/cpu.h"
#include "crypto/drbg.h"
#include "crypto/rsa.h"
#include "crypto/rsa_pad.h"

static tu_buf read_key_file(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/vectors/keys/%s", MTPROOF_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t tmp[PEM_MAX_TEXT];
    size_t n = fread(tmp, 1, sizeof tmp, f);
    fclose(f);
    return tu_dup(tmp, n);
}

static mt_drbg g_drbg;
static mt_rng *test_rng(uint64_t seed)
{
    drbg_init_u64(&g_drbg, seed);
    return &g_drbg.rng;
}

static void load_test_key(rsa_private *k)
{
    tu_buf pem = read_key_file("test_rsa2048.pem");
    assert_int_equal(rsa_private_load_pem(k, (const char *)pem.p, pem.len, test_rng(1), NULL, NULL),
                     MT_OK);
    tu_free(&pem);
}

static void check_error(json_t *test, int got)
{
    const char *want = json_string_value(json_object_get(test, "error"));
    if (strcmp(json_string_value(json_object_get(test, "result")), "valid") == 0)
        want = "ok";
    if (!want || strcmp(mt_err_name(got), want) != 0)
        fail_msg("tcId %lld: got %s, want %s", (long long)tu_int(test, "tcId"), mt_err_name(got),
                 want ? want : "(any error)");
}

static void fingerprint_vector(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    tu_buf pem = tu_field(in, "public_key_pem");
    rsa_public k;
    int err = rsa_public_load_pem(&k, (const char *)pem.p, pem.len, NULL, NULL);
    check_error(test, err);
    if (!err) {
        uint8_t fp[RSA_FINGERPRINT_LEN];
        rsa_fingerprint(&k, fp);
        tu_buf want = tu_field(json_object_get(test, "out"), "fingerprint");
        tu_assert_bytes("fingerprint", fp, sizeof fp, want.p, want.len);
        tu_free(&want);
    }
    tu_free(&pem);
}

static void test_fingerprint_vectors(void **state)
{
    (void)state;
    json_t *f = tu_load_vectors("rsa_fingerprint.json");
    assert_int_equal(tu_each_vector(f, "rsa_fingerprint", fingerprint_vector, NULL), 7);
    json_decref(f);
    /* mtproto-notes §1: the production key's fingerprint as an int64. */
    tu_buf pem = read_key_file("telegram_production_pub.pem");
    rsa_public k;
    rsa_key_form form;
    assert_int_equal(rsa_public_load_pem(&k, (const char *)pem.p, pem.len, &form, NULL), MT_OK);
    assert_int_equal(form, RSA_FORM_PKCS1_PUBLIC);
    assert_int_equal(k.bits, 2048);
    assert_true(rsa_fingerprint_u64(&k) == 0xd09d1d85de64fd85ull);
    tu_free(&pem);
}

static void pad_encrypt_vector(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    tu_buf n = tu_field(in, "n"), e = tu_field(in, "e"), data = tu_field(in, "data");
    tu_buf tk = tu_field(in, "temp_key"), pad = tu_field(in, "padding");
    rsa_public k;
    assert_int_equal(rsa_public_init(&k, n.p, n.len, e.p, e.len), MT_OK);
    uint8_t out[RSA_PAD_OUT_LEN];
    int err = rsa_pad_encrypt_with(&k, data.p, data.len, tk.p, pad.p, pad.len, out);
    check_error(test, err);
    if (!err) {
        tu_buf want = tu_field(json_object_get(test, "out"), "out");
        tu_assert_bytes("rsa_pad_encrypt", out, sizeof out, want.p, want.len);
        tu_free(&want);
    }
    tu_free(&n), tu_free(&e), tu_free(&data), tu_free(&tk), tu_free(&pad);
}

static void pad_decrypt_vector(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    tu_buf pem = tu_field(in, "private_key_pem"), data = tu_field(in, "data");
    static rsa_private k;
    assert_int_equal(
        rsa_private_load_pem(&k, (const char *)pem.p, pem.len, test_rng(2), NULL, NULL), MT_OK);
    for (int blinded = 0; blinded < 2; blinded++) {
        uint8_t out[RSA_PAD_PADDED_LEN];
        int err = rsa_pad_decrypt(&k, data.p, data.len, blinded ? test_rng(3) : NULL, out);
        check_error(test, err);
        if (!err) {
            tu_buf want = tu_field(json_object_get(test, "out"), "out");
            tu_assert_bytes("rsa_pad_decrypt", out, sizeof out, want.p, want.len);
            tu_free(&want);
        } else {
            assert_true(ct_is_zero(out, sizeof out));
        }
    }
    rsa_private_wipe(&k);
    tu_free(&pem), tu_free(&data);
}

static void test_rsa_pad_vectors(void **state)
{
    (void)state;
    json_t *f = tu_load_vectors("rsa_pad.json");
    assert_int_equal(tu_each_vector(f, "rsa_pad_encrypt", pad_encrypt_vector, NULL), 8);
    assert_int_equal(tu_each_vector(f, "rsa_pad_decrypt", pad_decrypt_vector, NULL), 13);
    json_decref(f);
}

/* Random data of every allowed length survives encrypt → decrypt; the retry path is taken
 * (about 16% of temp_keys give a value >= n for the test key, whose n starts with 0xd6). */
static void test_rsa_pad_round_trip(void **state)
{
    (void)state;
    static rsa_private k;
    load_test_key(&k);
    mt_rng *rng = test_rng(7);
    for (size_t len = 0; len <= RSA_PAD_DATA_MAX; len += 4) {
        uint8_t data[RSA_PAD_DATA_MAX + 1], enc[RSA_PAD_OUT_LEN], dec[RSA_PAD_PADDED_LEN];
        tu_rand_bytes(data, len);
        assert_int_equal(rsa_pad_encrypt(&k.pub, data, len, rng, enc), MT_OK);
        assert_int_equal(rsa_pad_decrypt(&k, enc, sizeof enc, rng, dec), MT_OK);
        assert_memory_equal(dec, data, len);
        /* Any single flipped bit is refused (as the hash, or as a value >= n). */
        enc[tu_rand_below(sizeof enc)] ^= (uint8_t)(1u << tu_rand_below(8));
        int err = rsa_pad_decrypt(&k, enc, sizeof enc, NULL, dec);
        assert_true(err == MT_E_RSAPAD_HASH || err == MT_E_RSAPAD_NOT_BELOW_MODULUS);
    }
    uint8_t big[RSA_PAD_DATA_MAX + 1] = {0}, enc[RSA_PAD_OUT_LEN];
    assert_int_equal(rsa_pad_encrypt(&k.pub, big, sizeof big, rng, enc), MT_E_RSAPAD_DATA_TOO_LONG);
    rsa_private_wipe(&k);
}

static EVP_PKEY *openssl_key(const char *pem, size_t len)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    EVP_PKEY *pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    assert_non_null(pk);
    return pk;
}

/* Raw RSA (RSA_NO_PADDING) with OpenSSL: decrypt when priv, else encrypt. */
static void openssl_raw(EVP_PKEY *pk, bool priv, const uint8_t *in, uint8_t *out, size_t len)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);
    size_t olen = len;
    assert_int_equal(priv ? EVP_PKEY_decrypt_init(c) : EVP_PKEY_encrypt_init(c), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(c, RSA_NO_PADDING), 1);
    assert_int_equal(priv ? EVP_PKEY_decrypt(c, out, &olen, in, len)
                          : EVP_PKEY_encrypt(c, out, &olen, in, len),
                     1);
    assert_int_equal(olen, len);
    EVP_PKEY_CTX_free(c);
}

/* Our raw operations agree with OpenSSL's on random inputs below n. */
static void differential(const rsa_private *k, EVP_PKEY *pk, size_t count)
{
    mt_rng *rng = test_rng(11);
    for (size_t i = 0; i < count; i++) {
        uint8_t in[RSA_MAX_BYTES], ours[RSA_MAX_BYTES], ref[RSA_MAX_BYTES];
        size_t len = k->pub.bytes;
        tu_rand_bytes(in, len);
        in[0] &= 0x7f; /* below n: n has its top bit set */
        assert_int_equal(rsa_private_op(k, in, len, ours, i % 2 ? rng : NULL), MT_OK);
        openssl_raw(pk, true, in, ref, len);
        tu_assert_bytes("private op", ours, len, ref, len);
        assert_int_equal(rsa_public_op(&k->pub, in, len, ours), MT_OK);
        openssl_raw(pk, false, in, ref, len);
        tu_assert_bytes("public op", ours, len, ref, len);
    }
}

static void test_differential_openssl(void **state)
{
    (void)state;
    static rsa_private k;
    load_test_key(&k);
    tu_buf pem = read_key_file("test_rsa2048.pem");
    EVP_PKEY *pk = openssl_key((const char *)pem.p, pem.len);
    tu_rand_seed(5);
    differential(&k, pk, 40); /* the CRT pair on AVX-512 IFMA when the CPU has it */
    uint32_t old = cpu_set_mask(0);
    differential(&k, pk, 10); /* the portable path */
    cpu_set_mask(old);
    EVP_PKEY_free(pk);
    tu_free(&pem);
    rsa_private_wipe(&k);
}

/* Keys we generate load in OpenSSL, pass its key check, and compute what OpenSSL computes. */
static void test_keygen_openssl_accepts(void **state)
{
    (void)state;
    static rsa_private k, k2;
    static char pem[PEM_MAX_TEXT];
    for (uint64_t seed = 100; seed < 102; seed++) {
        assert_int_equal(rsa_generate(&k, RSA_KEYGEN_BITS, test_rng(seed)), MT_OK);
        assert_int_equal(k.pub.bits, 2048);
        assert_int_equal(bn_cmp_u64(&k.pub.e, RSA_KEYGEN_E), 0);
        size_t len;
        assert_int_equal(rsa_private_to_pem(&k, RSA_FORM_PKCS1_PRIVATE, pem, sizeof pem, &len),
                         MT_OK);
        EVP_PKEY *pk = openssl_key(pem, len);
        EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);
        assert_int_equal(EVP_PKEY_check(c), 1); /* RSA_check_key in OpenSSL 3 */
        EVP_PKEY_CTX_free(c);
        differential(&k, pk, 4);
        EVP_PKEY_free(pk);
        /* Our loader's consistency check accepts it, in both private forms. */
        for (int f = RSA_FORM_PKCS1_PRIVATE; f <= RSA_FORM_PKCS8; f++) {
            assert_int_equal(rsa_private_to_pem(&k, (rsa_key_form)f, pem, sizeof pem, &len), MT_OK);
            assert_int_equal(rsa_private_load_pem(&k2, pem, len, test_rng(1), NULL, NULL), MT_OK);
            assert_int_equal(bn_cmp(&k2.d, &k.d), 0);
        }
    }
    rsa_private_wipe(&k);
    rsa_private_wipe(&k2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fingerprint_vectors),    cmocka_unit_test(test_rsa_pad_vectors),
        cmocka_unit_test(test_rsa_pad_round_trip),     cmocka_unit_test(test_differential_openssl),
        cmocka_unit_test(test_keygen_openssl_accepts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
