/*
 * HMAC-SHA256 and HKDF-SHA256: every vector file of each op on both SHA-256 paths (streaming
 * HMAC at every split point, sampled above 1 KiB), the output_too_long refusal, context wiping,
 * and differential checks against OpenSSL's HMAC() and EVP_PKEY HKDF.
 */
#include "testutil.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include "common/err.h"
#include "crypto/cpu.h"
#include "crypto/hkdf.h"
#include "crypto/hmac.h"

static size_t test_paths(uint32_t masks[2])
{
    size_t n = 0;
    if (cpu_detected() & CPU_SHANI)
        masks[n++] = ~0u;
    masks[n++] = 0;
    return n;
}

/* Runs fn over every vector of `op` in the files matching glob, once per SHA-256 path. */
static void run_files(const char *glob, const char *op, tu_vector_fn fn, size_t min_count)
{
    char **names;
    size_t nfiles = tu_vector_files(glob, &names);
    assert_true(nfiles >= 2);
    uint32_t masks[2];
    size_t npaths = test_paths(masks);
    for (size_t pi = 0; pi < npaths; pi++) {
        uint32_t old = cpu_set_mask(masks[pi]);
        size_t total = 0;
        for (size_t f = 0; f < nfiles; f++) {
            json_t *file = tu_load_vectors(names[f]);
            total += tu_each_vector(file, op, fn, NULL);
            json_decref(file);
        }
        assert_true(total >= min_count);
        cpu_set_mask(old);
    }
    tu_free_names(names, nfiles);
}

static void hmac_split(const tu_buf *key, const tu_buf *data, size_t at, uint8_t *out)
{
    hmac_sha256_ctx c;
    hmac_sha256_init(&c, key->p, key->len);
    hmac_sha256_update(&c, data->p, at);
    hmac_sha256_update(&c, data->p + at, data->len - at);
    hmac_sha256_final(&c, out);
}

static void run_hmac_vector(json_t *group, json_t *test, void *arg)
{
    (void)group, (void)arg;
    json_t *in = json_object_get(test, "in");
    tu_buf key = tu_field(in, "key"), data = tu_field(in, "data");
    tu_buf want = tu_field(json_object_get(test, "out"), "out");
    int tc = (int)tu_int(test, "tcId");
    char what[64];
    uint8_t got[SHA256_DIGEST_LEN];
    hmac_sha256(key.p, key.len, data.p, data.len, got);
    snprintf(what, sizeof what, "hmac_sha256 tcId %d one-shot", tc);
    tu_assert_bytes(what, got, sizeof got, want.p, want.len);
    size_t step = data.len <= 1024 ? 1 : data.len / 61;
    for (size_t at = 0; at <= data.len; at += step) {
        hmac_split(&key, &data, at, got);
        snprintf(what, sizeof what, "hmac_sha256 tcId %d split at %zu", tc, at);
        tu_assert_bytes(what, got, sizeof got, want.p, want.len);
    }
    tu_free(&key);
    tu_free(&data);
    tu_free(&want);
}

static void test_hmac_vectors(void **state)
{
    (void)state;
    run_files("*hmac_sha256*.json", "hmac_sha256", run_hmac_vector, 200);
}

static void run_hkdf_vector(json_t *group, json_t *test, void *arg)
{
    (void)group, (void)arg;
    json_t *in = json_object_get(test, "in");
    tu_buf salt = tu_field(in, "salt"), ikm = tu_field(in, "ikm"), info = tu_field(in, "info");
    long long length = tu_int(in, "length");
    assert_true(length >= 0 && length <= 100000);
    tu_buf out = tu_alloc((size_t)length);
    int err = hkdf_sha256(salt.p, salt.len, ikm.p, ikm.len, info.p, info.len, out.p, out.len);
    const char *result = json_string_value(json_object_get(test, "result"));
    if (strcmp(result, "invalid") == 0) {
        const char *want_err = json_string_value(json_object_get(test, "error"));
        assert_string_equal(mt_err_name(err), want_err ? want_err : "output_too_long");
        for (size_t i = 0; i < out.len; i++)
            assert_int_equal(out.p[i], 0xA5); /* refused before writing anything */
    } else {
        assert_int_equal(err, MT_OK);
        tu_buf want = tu_field(json_object_get(test, "out"), "out");
        tu_assert_bytes("hkdf_sha256", out.p, out.len, want.p, want.len);
        /* The two steps separately give the same OKM. */
        uint8_t prk[SHA256_DIGEST_LEN];
        hkdf_sha256_extract(salt.p, salt.len, ikm.p, ikm.len, prk);
        tu_buf out2 = tu_alloc(out.len);
        assert_int_equal(hkdf_sha256_expand(prk, sizeof prk, info.p, info.len, out2.p, out2.len),
                         MT_OK);
        tu_assert_bytes("hkdf_sha256 extract+expand", out2.p, out2.len, want.p, want.len);
        tu_free(&out2);
        tu_free(&want);
    }
    tu_free(&salt);
    tu_free(&ikm);
    tu_free(&info);
    tu_free(&out);
}

static void test_hkdf_vectors(void **state)
{
    (void)state;
    run_files("*hkdf_sha256*.json", "hkdf_sha256", run_hkdf_vector, 40);
}

static void test_hkdf_expand_too_long(void **state)
{
    (void)state;
    uint8_t prk[SHA256_DIGEST_LEN] = {1};
    tu_buf out = tu_alloc(HKDF_SHA256_MAX_OUT + 1);
    assert_int_equal(hkdf_sha256_expand(prk, sizeof prk, NULL, 0, out.p, out.len),
                     MT_E_output_too_long);
    assert_int_equal(hkdf_sha256_expand(prk, sizeof prk, NULL, 0, out.p, out.len - 1), MT_OK);
    assert_int_equal(hkdf_sha256_expand(prk, sizeof prk, NULL, 0, NULL, 0), MT_OK);
    tu_free(&out);
}

static void test_hmac_final_wipes(void **state)
{
    (void)state;
    static const uint8_t zero[sizeof(hmac_sha256_ctx)];
    hmac_sha256_ctx c;
    uint8_t out[SHA256_DIGEST_LEN];
    hmac_sha256_init(&c, "key", 3);
    hmac_sha256_update(&c, "message", 7);
    hmac_sha256_final(&c, out);
    assert_memory_equal(&c, zero, sizeof c);
}

/* HMAC against OpenSSL's HMAC(): random key and data lengths, random chunkings. */
static void test_hmac_vs_openssl(void **state)
{
    (void)state;
    uint32_t masks[2];
    size_t npaths = test_paths(masks);
    tu_rand_seed(201);
    for (int i = 0; i < 3000; i++) {
        uint32_t old = cpu_set_mask(masks[(size_t)i % npaths]);
        tu_buf key = tu_alloc(tu_rand_below(200)), data = tu_alloc(tu_rand_below(1500));
        tu_rand_bytes(key.p, key.len);
        tu_rand_bytes(data.p, data.len);
        uint8_t want[EVP_MAX_MD_SIZE], got[SHA256_DIGEST_LEN];
        unsigned want_len = 0;
        assert_non_null(HMAC(EVP_sha256(), key.p, (int)key.len, data.p, data.len, want, &want_len));
        hmac_sha256_ctx c;
        hmac_sha256_init(&c, key.p, key.len);
        for (size_t done = 0; done < data.len;) {
            size_t take = tu_rand_below(tu_rand_below(4) == 0 ? 200 : 20);
            if (take > data.len - done)
                take = data.len - done;
            hmac_sha256_update(&c, data.p + done, take);
            done += take;
        }
        hmac_sha256_final(&c, got);
        char what[64];
        snprintf(what, sizeof what, "HMAC vs OpenSSL, case %d", i);
        tu_assert_bytes(what, got, sizeof got, want, want_len);
        tu_free(&key);
        tu_free(&data);
        cpu_set_mask(old);
    }
}

/* OpenSSL's HKDF (EVP_PKEY_HKDF, extract-and-expand) as the reference. */
static void openssl_hkdf(const tu_buf *salt, const tu_buf *ikm, const tu_buf *info, uint8_t *out,
                         size_t out_len)
{
    EVP_PKEY_CTX *p = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    assert_non_null(p);
    assert_int_equal(EVP_PKEY_derive_init(p), 1);
    assert_int_equal(EVP_PKEY_CTX_set_hkdf_md(p, EVP_sha256()), 1);
    if (salt->len)
        assert_int_equal(EVP_PKEY_CTX_set1_hkdf_salt(p, salt->p, (int)salt->len), 1);
    assert_int_equal(EVP_PKEY_CTX_set1_hkdf_key(p, ikm->p, (int)ikm->len), 1);
    if (info->len)
        assert_int_equal(EVP_PKEY_CTX_add1_hkdf_info(p, info->p, (int)info->len), 1);
    size_t len = out_len;
    assert_int_equal(EVP_PKEY_derive(p, out, &len), 1);
    assert_int_equal(len, out_len);
    EVP_PKEY_CTX_free(p);
}

static void test_hkdf_vs_openssl(void **state)
{
    (void)state;
    uint32_t masks[2];
    size_t npaths = test_paths(masks);
    tu_rand_seed(202);
    for (int i = 0; i < 1500; i++) {
        uint32_t old = cpu_set_mask(masks[(size_t)i % npaths]);
        tu_buf salt = tu_alloc(tu_rand_below(100)), ikm = tu_alloc(1 + tu_rand_below(100));
        tu_buf info = tu_alloc(tu_rand_below(200));
        size_t len = tu_rand_below(10) == 0 ? 1 + tu_rand_below(HKDF_SHA256_MAX_OUT)
                                            : 1 + tu_rand_below(130);
        tu_rand_bytes(salt.p, salt.len);
        tu_rand_bytes(ikm.p, ikm.len);
        tu_rand_bytes(info.p, info.len);
        tu_buf got = tu_alloc(len), want = tu_alloc(len);
        openssl_hkdf(&salt, &ikm, &info, want.p, want.len);
        assert_int_equal(
            hkdf_sha256(salt.p, salt.len, ikm.p, ikm.len, info.p, info.len, got.p, got.len), MT_OK);
        char what[64];
        snprintf(what, sizeof what, "HKDF vs OpenSSL, case %d, L = %zu", i, len);
        tu_assert_bytes(what, got.p, got.len, want.p, want.len);
        tu_free(&salt);
        tu_free(&ikm);
        tu_free(&info);
        tu_free(&got);
        tu_free(&want);
        cpu_set_mask(old);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac_vectors),         cmocka_unit_test(test_hkdf_vectors),
        cmocka_unit_test(test_hkdf_expand_too_long), cmocka_unit_test(test_hmac_final_wipes),
        cmocka_unit_test(test_hmac_vs_openssl),      cmocka_unit_test(test_hkdf_vs_openssl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
