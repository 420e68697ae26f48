/* AES-IGE and AES-CTR: every vector file on both back ends, in and out of place, IGE streamed at
 * every block boundary, CTR streamed at every byte and in random chunks, differential tests
 * against OpenSSL (AES_ige_encrypt, EVP aes-256-ctr), and the refused sizes. */
#define OPENSSL_API_COMPAT 0x10100000L /* AES_ige_encrypt is deprecated in OpenSSL 3 */
#include "testutil.h"

#include <openssl/aes.h>
#include <openssl/evp.h>

#include "common/err.h"
#include "crypto/cpu.h"
#include "crypto/ctr.h"
#include "crypto/ige.h"

static const uint32_t PATH_MASKS[2] = {~0u, 0u};
enum { STREAM_MAX = 1024 }; /* inputs up to this length are also checked at every split */

static void expect_error(json_t *test, int err)
{
    assert_int_not_equal(err, MT_OK);
    const char *want = json_string_value(json_object_get(test, "error"));
    if (want)
        assert_string_equal(mt_err_name(err), want);
}

/* ---- IGE ---- */

typedef struct ige_case {
    size_t key_len; /* 32: the aes256 one-shot API; 16: aes_init + ige_* */
    int dec;
} ige_case;

static int ige_oneshot(const ige_case *k, const tu_buf *key, const tu_buf *iv, const uint8_t *in,
                       uint8_t *out, size_t n)
{
    if (k->key_len == 32)
        return k->dec ? aes256_ige_decrypt(key->p, key->len, iv->p, iv->len, in, out, n)
                      : aes256_ige_encrypt(key->p, key->len, iv->p, iv->len, in, out, n);
    aes_ctx c;
    uint8_t chain[IGE_IV_LEN];
    assert_int_equal(key->len, 16);
    assert_int_equal(iv->len, IGE_IV_LEN);
    assert_int_equal(aes_init(&c, key->p, key->len), MT_OK);
    memcpy(chain, iv->p, IGE_IV_LEN);
    int err = k->dec ? ige_decrypt(&c, chain, in, out, n) : ige_encrypt(&c, chain, in, out, n);
    aes_wipe(&c);
    return err;
}

/* Two streaming calls split at block boundary `cut`, in place, must equal the one-shot. */
static void ige_check_splits(const ige_case *k, const tu_buf *key, const tu_buf *iv,
                             const tu_buf *data, const tu_buf *want)
{
    aes_ctx c;
    assert_int_equal(aes_init(&c, key->p, key->len), MT_OK);
    for (size_t cut = 0; cut <= data->len; cut += 16) {
        uint8_t chain[IGE_IV_LEN];
        tu_buf b = tu_dup(data->p, data->len);
        memcpy(chain, iv->p, IGE_IV_LEN);
        int (*fn)(const aes_ctx *, uint8_t *, const uint8_t *, uint8_t *, size_t) =
            k->dec ? ige_decrypt : ige_encrypt;
        assert_int_equal(fn(&c, chain, b.p, b.p, cut), MT_OK);
        assert_int_equal(fn(&c, chain, b.p + cut, b.p + cut, b.len - cut), MT_OK);
        tu_assert_bytes("ige split", b.p, b.len, want->p, want->len);
        tu_free(&b);
    }
    aes_wipe(&c);
}

static void check_ige_vector(json_t *group, json_t *test, void *arg)
{
    (void)group;
    const ige_case *k = arg;
    json_t *in = json_object_get(test, "in");
    tu_buf key = tu_field(in, "key"), iv = tu_field(in, "iv"), data = tu_field(in, "data");
    tu_buf out = tu_alloc(data.len);
    int err = ige_oneshot(k, &key, &iv, data.p, out.p, data.len);
    if (strcmp(json_string_value(json_object_get(test, "result")), "valid") == 0) {
        assert_int_equal(err, MT_OK);
        tu_buf want = tu_field(json_object_get(test, "out"), "out");
        tu_assert_bytes("ige out of place", out.p, out.len, want.p, want.len);
        memcpy(out.p, data.p, data.len);
        assert_int_equal(ige_oneshot(k, &key, &iv, out.p, out.p, out.len), MT_OK);
        tu_assert_bytes("ige in place", out.p, out.len, want.p, want.len);
        if (data.len <= STREAM_MAX)
            ige_check_splits(k, &key, &iv, &data, &want);
        tu_free(&want);
    } else {
        expect_error(test, err);
    }
    tu_free(&key);
    tu_free(&iv);
    tu_free(&data);
    tu_free(&out);
}

/* ---- CTR ---- */

/* Random chunk sizes (0 included) through one context, in place; must equal want. */
static void ctr_check_chunks(const tu_buf *key, const tu_buf *iv, const tu_buf *data,
                             const tu_buf *want, size_t max_chunk)
{
    aes_ctr_ctx c;
    tu_buf b = tu_dup(data->p, data->len);
    assert_int_equal(aes256_ctr_init(&c, key->p, key->len, iv->p, iv->len), MT_OK);
    for (size_t off = 0; off < b.len;) {
        size_t n = tu_rand_below(max_chunk + 1);
        n = n > b.len - off ? b.len - off : n;
        aes_ctr_xor(&c, b.p + off, b.p + off, n);
        off += n;
    }
    tu_assert_bytes("ctr random chunks", b.p, b.len, want->p, want->len);
    aes_ctr_wipe(&c);
    tu_free(&b);
}

/* Two calls split at every byte position, out of place. */
static void ctr_check_splits(const tu_buf *key, const tu_buf *iv, const tu_buf *data,
                             const tu_buf *want)
{
    tu_buf out = tu_alloc(data->len);
    for (size_t cut = 0; cut <= data->len; cut++) {
        aes_ctr_ctx c;
        assert_int_equal(aes256_ctr_init(&c, key->p, key->len, iv->p, iv->len), MT_OK);
        aes_ctr_xor(&c, data->p, out.p, cut);
        aes_ctr_xor(&c, data->p + cut, out.p + cut, data->len - cut);
        tu_assert_bytes("ctr split", out.p, out.len, want->p, want->len);
        aes_ctr_wipe(&c);
    }
    tu_free(&out);
}

static void check_ctr_vector(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    json_t *in = json_object_get(test, "in");
    tu_buf key = tu_field(in, "key"), iv = tu_field(in, "iv"), data = tu_field(in, "data");
    tu_buf out = tu_alloc(data.len);
    int err = aes256_ctr(key.p, key.len, iv.p, iv.len, data.p, out.p, data.len);
    if (strcmp(json_string_value(json_object_get(test, "result")), "valid") == 0) {
        assert_int_equal(err, MT_OK);
        tu_buf want = tu_field(json_object_get(test, "out"), "out");
        tu_assert_bytes("ctr out of place", out.p, out.len, want.p, want.len);
        memcpy(out.p, data.p, data.len);
        assert_int_equal(aes256_ctr(key.p, key.len, iv.p, iv.len, out.p, out.p, out.len), MT_OK);
        tu_assert_bytes("ctr in place", out.p, out.len, want.p, want.len);
        if (data.len <= STREAM_MAX)
            ctr_check_splits(&key, &iv, &data, &want);
        ctr_check_chunks(&key, &iv, &data, &want, 1 + tu_rand_below(200));
        tu_free(&want);
    } else {
        expect_error(test, err);
    }
    tu_free(&key);
    tu_free(&iv);
    tu_free(&data);
    tu_free(&out);
}

static void test_vectors(void **state)
{
    (void)state;
    static const ige_case ige_ops[4] = {{32, 0}, {32, 1}, {16, 0}, {16, 1}};
    static const char *const names_of[5] = {"aes256_ige_encrypt", "aes256_ige_decrypt",
                                            "aes128_ige_encrypt", "aes128_ige_decrypt",
                                            "aes256_ctr"};
    char **names;
    size_t nfiles = tu_vector_files("*.json", &names);
    tu_rand_seed(21);
    for (size_t p = 0; p < 2; p++) {
        cpu_set_mask(PATH_MASKS[p]);
        for (size_t o = 0; o < 5; o++) {
            size_t count = 0;
            for (size_t f = 0; f < nfiles; f++) {
                json_t *file = tu_load_vectors(names[f]);
                count +=
                    o < 4 ? tu_each_vector(file, names_of[o], check_ige_vector, (void *)&ige_ops[o])
                          : tu_each_vector(file, names_of[o], check_ctr_vector, NULL);
                json_decref(file);
            }
            if (count == 0)
                fail_msg("no vectors for %s", names_of[o]);
        }
    }
    cpu_set_mask(~0u);
    tu_free_names(names, nfiles);
}

/* ---- differential tests against OpenSSL ---- */

/* Random keys, ivs and lengths; ours streamed in up to three calls; OpenSSL in one. */
static void test_ige_differential(void **state)
{
    (void)state;
    static const int cases[2] = {3000, 300};
    tu_rand_seed(22);
    for (size_t p = 0; p < 2; p++) {
        cpu_set_mask(PATH_MASKS[p]);
        for (int i = 0; i < cases[p]; i++) {
            uint8_t key[32], iv[32], ours_iv[32], ref_iv[32];
            size_t n = 16 * tu_rand_below(65), cut = 16 * tu_rand_below(n / 16 + 1);
            tu_rand_bytes(key, 32);
            tu_rand_bytes(iv, 32);
            tu_buf pt = tu_alloc(n), ct = tu_alloc(n), ref = tu_alloc(n);
            tu_rand_bytes(pt.p, n);
            aes_ctx c;
            AES_KEY ok;
            assert_int_equal(aes256_init(&c, key, 32), MT_OK);
            memcpy(ours_iv, iv, 32);
            assert_int_equal(ige_encrypt(&c, ours_iv, pt.p, ct.p, cut), MT_OK);
            assert_int_equal(ige_encrypt(&c, ours_iv, pt.p + cut, ct.p + cut, n - cut), MT_OK);
            memcpy(ref_iv, iv, 32);
            AES_set_encrypt_key(key, 256, &ok);
            AES_ige_encrypt(pt.p, ref.p, n, &ok, ref_iv, AES_ENCRYPT);
            tu_assert_bytes("ige encrypt vs OpenSSL", ct.p, n, ref.p, n);
            tu_assert_bytes("ige encrypt chain state", ours_iv, 32, ref_iv, 32);

            memcpy(ours_iv, iv, 32);
            assert_int_equal(ige_decrypt(&c, ours_iv, ct.p, ct.p, cut), MT_OK);
            assert_int_equal(ige_decrypt(&c, ours_iv, ct.p + cut, ct.p + cut, n - cut), MT_OK);
            memcpy(ref_iv, iv, 32);
            AES_set_decrypt_key(key, 256, &ok);
            AES_ige_encrypt(ref.p, ref.p, n, &ok, ref_iv, AES_DECRYPT);
            tu_assert_bytes("ige decrypt vs OpenSSL", ct.p, n, ref.p, n);
            tu_assert_bytes("ige decrypt round trip", ct.p, n, pt.p, n);
            tu_assert_bytes("ige decrypt chain state", ours_iv, 32, ref_iv, 32);
            aes_wipe(&c);
            tu_free(&pt);
            tu_free(&ct);
            tu_free(&ref);
        }
    }
    cpu_set_mask(~0u);
}

/* A random counter, often just below a carry into byte 7 or a wrap at 2^128. */
static void random_counter(uint8_t iv[16])
{
    tu_rand_bytes(iv, 16);
    size_t kind = tu_rand_below(4);
    if (kind == 1)
        memset(iv + 8, 0xff, 8); /* low half about to carry into the high half */
    if (kind == 2)
        memset(iv, 0xff, 16); /* about to wrap to zero */
    if (kind != 0)
        iv[15] = (uint8_t)(0xff - tu_rand_below(20));
}

/* Random lengths, counters and chunkings on both sides against EVP aes-256-ctr. */
static void test_ctr_differential(void **state)
{
    (void)state;
    static const int cases[2] = {3000, 300};
    tu_rand_seed(23);
    for (size_t p = 0; p < 2; p++) {
        cpu_set_mask(PATH_MASKS[p]);
        for (int i = 0; i < cases[p]; i++) {
            uint8_t key[32], iv[16];
            size_t n = tu_rand_below(2000);
            tu_rand_bytes(key, 32);
            random_counter(iv);
            tu_buf pt = tu_alloc(n), ours = tu_alloc(n), ref = tu_alloc(n);
            tu_rand_bytes(pt.p, n);
            aes_ctr_ctx c;
            assert_int_equal(aes256_ctr_init(&c, key, 32, iv, 16), MT_OK);
            EVP_CIPHER_CTX *e = EVP_CIPHER_CTX_new();
            assert_non_null(e);
            assert_int_equal(EVP_EncryptInit_ex(e, EVP_aes_256_ctr(), NULL, key, iv), 1);
            for (size_t off = 0; off < n;) {
                size_t k = 1 + tu_rand_below(300);
                k = k > n - off ? n - off : k;
                aes_ctr_xor(&c, pt.p + off, ours.p + off, k);
                off += k;
            }
            for (size_t off = 0; off < n;) {
                int len = 0, k = 1 + (int)tu_rand_below(300);
                k = (size_t)k > n - off ? (int)(n - off) : k;
                assert_int_equal(EVP_EncryptUpdate(e, ref.p + off, &len, pt.p + off, k), 1);
                assert_int_equal(len, k);
                off += (size_t)k;
            }
            tu_assert_bytes("ctr vs EVP", ours.p, n, ref.p, n);
            EVP_CIPHER_CTX_free(e);
            aes_ctr_wipe(&c);
            tu_free(&pt);
            tu_free(&ours);
            tu_free(&ref);
        }
    }
    cpu_set_mask(~0u);
}

static void test_errors(void **state)
{
    (void)state;
    uint8_t key[33] = {0}, iv[33] = {0}, buf[48] = {0};
    assert_int_equal(aes256_ige_encrypt(key, 31, iv, 32, buf, buf, 16), MT_E_bad_key_size);
    assert_int_equal(aes256_ige_decrypt(key, 16, iv, 32, buf, buf, 16), MT_E_bad_key_size);
    assert_int_equal(aes256_ige_encrypt(key, 32, iv, 31, buf, buf, 16), MT_E_bad_iv_size);
    assert_int_equal(aes256_ige_decrypt(key, 32, iv, 33, buf, buf, 16), MT_E_bad_iv_size);
    assert_int_equal(aes256_ige_encrypt(key, 32, iv, 32, buf, buf, 15), MT_E_bad_data_size);
    assert_int_equal(aes256_ige_decrypt(key, 32, iv, 32, buf, buf, 17), MT_E_bad_data_size);
    aes_ctx c;
    assert_int_equal(aes256_init(&c, key, 32), MT_OK);
    assert_int_equal(ige_encrypt(&c, iv, buf, buf, 47), MT_E_bad_data_size);
    assert_int_equal(ige_decrypt(&c, iv, buf, buf, 1), MT_E_bad_data_size);
    aes_wipe(&c);
    aes_ctr_ctx k;
    assert_int_equal(aes256_ctr_init(&k, key, 33, iv, 16), MT_E_bad_key_size);
    assert_int_equal(aes256_ctr_init(&k, key, 32, iv, 15), MT_E_bad_iv_size);
    assert_int_equal(aes256_ctr(key, 16, iv, 16, buf, buf, 5), MT_E_bad_key_size);
    assert_int_equal(aes256_ctr(key, 32, iv, 32, buf, buf, 5), MT_E_bad_iv_size);
    assert_int_equal(aes256_ctr_init(&k, key, 32, iv, 16), MT_OK);
    aes_ctr_xor(&k, buf, buf, 5);
    aes_ctr_wipe(&k);
    static const aes_ctr_ctx zero;
    assert_memory_equal(&k, &zero, sizeof k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_ige_differential),
        cmocka_unit_test(test_ctr_differential),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
