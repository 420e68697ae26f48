/* AES block cipher and ECB: every vector file, both back ends, in and out of place, the key
 * schedules of both back ends against each other, and a differential test against OpenSSL. */
#include "testutil.h"

#include <openssl/evp.h>

#include "common/err.h"
#include "crypto/aes.h"
#include "crypto/cpu.h"

/* The two back ends: everything the CPU has (AES-NI when present), then the portable code. */
static const uint32_t PATH_MASKS[2] = {~0u, 0u};

typedef struct ecb_case {
    size_t key_len; /* 16 for the aes128_* ops, 32 for aes256_* */
    int dec;
} ecb_case;

static int ecb_run(const ecb_case *k, const tu_buf *key, const uint8_t *in, uint8_t *out, size_t n)
{
    aes_ctx c;
    int err = k->key_len == 32
                  ? aes256_init(&c, key->p, key->len)
                  : (key->len == 16 ? aes_init(&c, key->p, key->len) : (int)MT_E_bad_key_size);
    if (!err)
        err = k->dec ? aes_ecb_decrypt(&c, in, out, n) : aes_ecb_encrypt(&c, in, out, n);
    aes_wipe(&c);
    return err;
}

static void check_ecb_vector(json_t *group, json_t *test, void *arg)
{
    (void)group;
    const ecb_case *k = arg;
    json_t *in = json_object_get(test, "in");
    tu_buf key = tu_field(in, "key"), data = tu_field(in, "data");
    tu_buf out = tu_alloc(data.len);
    int err = ecb_run(k, &key, data.p, out.p, data.len);
    const char *result = json_string_value(json_object_get(test, "result"));
    if (strcmp(result, "valid") == 0) {
        assert_int_equal(err, MT_OK);
        tu_buf want = tu_field(json_object_get(test, "out"), "out");
        tu_assert_bytes("ecb out of place", out.p, out.len, want.p, want.len);
        memcpy(out.p, data.p, data.len);
        assert_int_equal(ecb_run(k, &key, out.p, out.p, out.len), MT_OK);
        tu_assert_bytes("ecb in place", out.p, out.len, want.p, want.len);
        tu_free(&want);
    } else {
        assert_int_not_equal(err, MT_OK);
        const char *want = json_string_value(json_object_get(test, "error"));
        if (want)
            assert_string_equal(mt_err_name(err), want);
    }
    tu_free(&key);
    tu_free(&data);
    tu_free(&out);
}

static void test_ecb_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *op;
        ecb_case k;
    } ops[] = {
        {"aes256_ecb_encrypt", {32, 0}},
        {"aes256_ecb_decrypt", {32, 1}},
        {"aes128_ecb_encrypt", {16, 0}},
        {"aes128_ecb_decrypt", {16, 1}},
    };
    char **names;
    size_t nfiles = tu_vector_files("*.json", &names);
    for (size_t p = 0; p < 2; p++) {
        cpu_set_mask(PATH_MASKS[p]);
        for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
            size_t count = 0;
            for (size_t f = 0; f < nfiles; f++) {
                json_t *file = tu_load_vectors(names[f]);
                count += tu_each_vector(file, ops[o].op, check_ecb_vector, (void *)&ops[o].k);
                json_decref(file);
            }
            if (count == 0)
                fail_msg("no vectors for %s", ops[o].op);
        }
    }
    cpu_set_mask(~0u);
    tu_free_names(names, nfiles);
}

/* The AES-NI and portable key expansions must produce identical schedules. */
static void test_schedules_agree(void **state)
{
    (void)state;
    if (!cpu_has(CPU_AESNI))
        skip();
    tu_rand_seed(11);
    for (int i = 0; i < 200; i++) {
        uint8_t key[32];
        size_t len = (i & 1) ? 32 : 16;
        tu_rand_bytes(key, len);
        aes_ctx ni, soft;
        cpu_set_mask(~0u);
        assert_int_equal(aes_init(&ni, key, len), MT_OK);
        cpu_set_mask(0);
        assert_int_equal(aes_init(&soft, key, len), MT_OK);
        cpu_set_mask(~0u);
        assert_int_equal(ni.use_ni, 1);
        assert_int_equal(soft.use_ni, 0);
        assert_int_equal(ni.rounds, soft.rounds);
        size_t sched = (size_t)(ni.rounds + 1) * 16;
        tu_assert_bytes("enc schedule", ni.enc, sched, soft.enc, sched);
        tu_assert_bytes("dec schedule", ni.dec, sched, soft.dec, sched);
    }
}

static void evp_ecb(int enc, const uint8_t key[32], const uint8_t *in, uint8_t *out, size_t n)
{
    EVP_CIPHER_CTX *e = EVP_CIPHER_CTX_new();
    int len = 0;
    assert_non_null(e);
    assert_int_equal(EVP_CipherInit_ex(e, EVP_aes_256_ecb(), NULL, key, NULL, enc), 1);
    EVP_CIPHER_CTX_set_padding(e, 0);
    assert_int_equal(EVP_CipherUpdate(e, out, &len, in, (int)n), 1);
    assert_int_equal((size_t)len, n);
    EVP_CIPHER_CTX_free(e);
}

/* Random keys and lengths against EVP aes-256-ecb, both directions, both back ends. */
static void test_ecb_differential(void **state)
{
    (void)state;
    static const int cases[2] = {3000, 400}; /* the portable path is slow by design */
    tu_rand_seed(12);
    for (size_t p = 0; p < 2; p++) {
        cpu_set_mask(PATH_MASKS[p]);
        for (int i = 0; i < cases[p]; i++) {
            uint8_t key[32];
            size_t n = 16 * tu_rand_below(40);
            tu_rand_bytes(key, sizeof key);
            tu_buf pt = tu_alloc(n), ours = tu_alloc(n), ref = tu_alloc(n);
            tu_rand_bytes(pt.p, n);
            aes_ctx c;
            assert_int_equal(aes256_init(&c, key, sizeof key), MT_OK);
            assert_int_equal(aes_ecb_encrypt(&c, pt.p, ours.p, n), MT_OK);
            evp_ecb(1, key, pt.p, ref.p, n);
            tu_assert_bytes("ecb encrypt vs EVP", ours.p, n, ref.p, n);
            assert_int_equal(aes_ecb_decrypt(&c, ref.p, ref.p, n), MT_OK);
            tu_assert_bytes("ecb decrypt round trip", ref.p, n, pt.p, n);
            if (n > 0) {
                aes_decrypt_block(&c, ours.p, ref.p);
                tu_assert_bytes("block decrypt", ref.p, 16, pt.p, 16);
                aes_encrypt_block(&c, pt.p, ref.p);
                tu_assert_bytes("block encrypt", ref.p, 16, ours.p, 16);
            }
            aes_wipe(&c);
            tu_free(&pt);
            tu_free(&ours);
            tu_free(&ref);
        }
    }
    cpu_set_mask(~0u);
}

static void test_errors_and_wipe(void **state)
{
    (void)state;
    uint8_t key[33] = {1}, buf[32] = {0};
    aes_ctx c;
    for (size_t len = 0; len <= 33; len++) {
        int want = (len == 16 || len == 32) ? MT_OK : MT_E_bad_key_size;
        assert_int_equal(aes_init(&c, key, len), want);
        assert_int_equal(aes256_init(&c, key, len), len == 32 ? MT_OK : MT_E_bad_key_size);
    }
    assert_int_equal(aes256_init(&c, key, 32), MT_OK);
    assert_int_equal(c.use_ni, cpu_has(CPU_AESNI));
    assert_int_equal(aes_ecb_encrypt(&c, buf, buf, 15), MT_E_bad_data_size);
    assert_int_equal(aes_ecb_decrypt(&c, buf, buf, 17), MT_E_bad_data_size);
    aes_wipe(&c);
    static const aes_ctx zero;
    assert_memory_equal(&c, &zero, sizeof c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecb_vectors),
        cmocka_unit_test(test_schedules_agree),
        cmocka_unit_test(test_ecb_differential),
        cmocka_unit_test(test_errors_and_wipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
