/*
 * SHA-1 and SHA-256: every vector file of each op (one-shot and streaming at every split point),
 * on both compression paths (SHA-NI when the CPU has it, portable under cpu_set_mask(0)),
 * differential checks against OpenSSL EVP with random lengths and chunkings, and agreement of
 * the two paths block by block.
 */
#include "testutil.h"

#include <openssl/evp.h>

#include "crypto/cpu.h"
#include "crypto/sha1.h"
#include "crypto/sha256.h"
#include "crypto/sha_impl.h"

/* One interface over both hashes so each check is written once. */
typedef struct hash_alg {
    const char *op;
    size_t digest_len;
    void (*init)(void *ctx);
    void (*update)(void *ctx, const void *p, size_t n);
    void (*final)(void *ctx, uint8_t *out);
    void (*oneshot)(const void *p, size_t n, uint8_t *out);
    const EVP_MD *(*evp)(void);
} hash_alg;

typedef union any_ctx {
    sha1_ctx s1;
    sha256_ctx s256;
} any_ctx;

static void s1_init(void *c)
{
    sha1_init(c);
}
static void s1_update(void *c, const void *p, size_t n)
{
    sha1_update(c, p, n);
}
static void s1_final(void *c, uint8_t *out)
{
    sha1_final(c, out);
}
static void s256_init(void *c)
{
    sha256_init(c);
}
static void s256_update(void *c, const void *p, size_t n)
{
    sha256_update(c, p, n);
}
static void s256_final(void *c, uint8_t *out)
{
    sha256_final(c, out);
}

static const hash_alg alg_sha1 = {"sha1", SHA1_DIGEST_LEN, s1_init, s1_update, s1_final,
                                  sha1,   EVP_sha1};
static const hash_alg alg_sha256 = {"sha256", SHA256_DIGEST_LEN, s256_init, s256_update, s256_final,
                                    sha256,   EVP_sha256};

/* The paths to test: SHA-NI (only when this CPU has it) and the portable code. */
static size_t test_paths(uint32_t masks[2])
{
    size_t n = 0;
    if (cpu_detected() & CPU_SHANI)
        masks[n++] = ~0u;
    masks[n++] = 0;
    return n;
}

/* Hashes p[0..n) fed as the chunks [0,a), [a,b), [b,n). */
static void hash_split3(const hash_alg *h, const uint8_t *p, size_t n, size_t a, size_t b,
                        uint8_t *out)
{
    any_ctx c;
    h->init(&c);
    h->update(&c, p, a);
    h->update(&c, p + a, b - a);
    h->update(&c, p + b, n - b);
    h->final(&c, out);
}

/* One-shot, streaming at every split point (sampled above 4 KiB), and byte at a time for a
 * prefix followed by the rest in one call. */
static void check_all_ways(const hash_alg *h, const tu_buf *data, const uint8_t *want, int tc)
{
    char what[96];
    uint8_t got[SHA256_DIGEST_LEN];
    h->oneshot(data->p, data->len, got);
    snprintf(what, sizeof what, "%s tcId %d one-shot (SHA-NI %d)", h->op, tc, cpu_has(CPU_SHANI));
    tu_assert_bytes(what, got, h->digest_len, want, h->digest_len);

    size_t n = data->len, step = n <= 4096 ? 1 : n / 37;
    for (size_t i = 0; i <= n; i += step) {
        hash_split3(h, data->p, n, i, i, got);
        snprintf(what, sizeof what, "%s tcId %d split at %zu", h->op, tc, i);
        tu_assert_bytes(what, got, h->digest_len, want, h->digest_len);
    }
    any_ctx c;
    h->init(&c);
    size_t prefix = n < 200 ? n : 200;
    for (size_t i = 0; i < prefix; i++)
        h->update(&c, data->p + i, 1);
    h->update(&c, data->p + prefix, n - prefix);
    h->final(&c, got);
    snprintf(what, sizeof what, "%s tcId %d byte at a time", h->op, tc);
    tu_assert_bytes(what, got, h->digest_len, want, h->digest_len);
}

static void run_vector(json_t *group, json_t *test, void *arg)
{
    (void)group;
    const hash_alg *h = arg;
    json_t *in = json_object_get(test, "in"), *out = json_object_get(test, "out");
    tu_buf data = tu_field(in, "data"), want = tu_field(out, "out");
    assert_int_equal(want.len, h->digest_len);
    check_all_ways(h, &data, want.p, (int)tu_int(test, "tcId"));
    tu_free(&data);
    tu_free(&want);
}

static void run_vector_files(const hash_alg *h, const char *glob)
{
    char **names;
    size_t nfiles = tu_vector_files(glob, &names);
    assert_true(nfiles >= 2); /* generated + published */
    uint32_t masks[2];
    size_t npaths = test_paths(masks);
    for (size_t pi = 0; pi < npaths; pi++) {
        uint32_t old = cpu_set_mask(masks[pi]);
        size_t total = 0;
        for (size_t f = 0; f < nfiles; f++) {
            json_t *file = tu_load_vectors(names[f]);
            total += tu_each_vector(file, h->op, run_vector, (void *)h);
            json_decref(file);
        }
        assert_true(total > 100);
        cpu_set_mask(old);
    }
    tu_free_names(names, nfiles);
}

static void test_sha1_vectors(void **state)
{
    (void)state;
    run_vector_files(&alg_sha1, "*sha1*.json");
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    run_vector_files(&alg_sha256, "*sha256*.json");
}

/* Random lengths, random chunkings (often tiny, sometimes whole blocks), against EVP_Digest. */
static void differential(const hash_alg *h, uint64_t seed, int cases)
{
    uint32_t masks[2];
    size_t npaths = test_paths(masks);
    tu_rand_seed(seed);
    for (int i = 0; i < cases; i++) {
        uint32_t old = cpu_set_mask(masks[(size_t)i % npaths]);
        size_t n = tu_rand_below(8) == 0 ? tu_rand_below(20000) : tu_rand_below(700);
        tu_buf data = tu_alloc(n);
        tu_rand_bytes(data.p, n);
        uint8_t got[SHA256_DIGEST_LEN], want[EVP_MAX_MD_SIZE];
        unsigned want_len = 0;
        assert_int_equal(EVP_Digest(data.p, n, want, &want_len, h->evp(), NULL), 1);
        any_ctx c;
        h->init(&c);
        for (size_t done = 0; done < n;) {
            size_t max = tu_rand_below(3) == 0 ? 3 * SHA256_BLOCK_LEN : 70;
            size_t take = tu_rand_below(max + 1);
            if (take > n - done)
                take = n - done;
            h->update(&c, data.p + done, take);
            done += take;
        }
        h->final(&c, got);
        char what[64];
        snprintf(what, sizeof what, "%s vs EVP, case %d, %zu bytes", h->op, i, n);
        tu_assert_bytes(what, got, h->digest_len, want, want_len);
        tu_free(&data);
        cpu_set_mask(old);
    }
}

static void test_sha1_vs_openssl(void **state)
{
    (void)state;
    differential(&alg_sha1, 101, 3000);
}

static void test_sha256_vs_openssl(void **state)
{
    (void)state;
    differential(&alg_sha256, 102, 3000);
}

/* The SHA-NI and portable compression functions agree on random states and block runs. */
static void test_paths_agree(void **state)
{
    (void)state;
#if MTPROOF_HAVE_SHANI
    if (!(cpu_detected() & CPU_SHANI))
        skip();
    tu_rand_seed(103);
    for (int i = 0; i < 500; i++) {
        size_t nblocks = 1 + tu_rand_below(9);
        tu_buf data = tu_alloc(64 * nblocks);
        tu_rand_bytes(data.p, data.len);
        uint32_t a1[5], b1[5], a2[8], b2[8];
        tu_rand_bytes((uint8_t *)a1, sizeof a1);
        tu_rand_bytes((uint8_t *)a2, sizeof a2);
        memcpy(b1, a1, sizeof a1);
        memcpy(b2, a2, sizeof a2);
        sha1_blocks_portable(a1, data.p, nblocks);
        sha1_blocks_ni(b1, data.p, nblocks);
        sha256_blocks_portable(a2, data.p, nblocks);
        sha256_blocks_ni(b2, data.p, nblocks);
        assert_memory_equal(a1, b1, sizeof a1);
        assert_memory_equal(a2, b2, sizeof a2);
        tu_free(&data);
    }
#else
    skip();
#endif
}

/* cpu_set_mask(0) hides SHA-NI from the dispatch; the public API gives the same digest. */
static void test_mask_forces_portable(void **state)
{
    (void)state;
    uint32_t old = cpu_set_mask(0);
    assert_false(cpu_has(CPU_SHANI));
    uint8_t portable[SHA256_DIGEST_LEN], fast[SHA256_DIGEST_LEN];
    tu_buf data = tu_alloc(5000);
    tu_rand_bytes(data.p, data.len);
    sha256(data.p, data.len, portable);
    cpu_set_mask(old);
    sha256(data.p, data.len, fast);
    assert_memory_equal(portable, fast, sizeof fast);
    tu_free(&data);
}

/* final wipes the context (crypto/sha1.h, crypto/sha256.h). */
static void test_final_wipes(void **state)
{
    (void)state;
    static const uint8_t zero[sizeof(sha256_ctx)];
    uint8_t out[SHA256_DIGEST_LEN];
    sha1_ctx c1;
    sha1_init(&c1);
    sha1_update(&c1, "secret data", 11);
    sha1_final(&c1, out);
    assert_memory_equal(&c1, zero, sizeof c1);
    sha256_ctx c2;
    sha256_init(&c2);
    sha256_update(&c2, "secret data", 11);
    sha256_final(&c2, out);
    assert_memory_equal(&c2, zero, sizeof c2);
}

/* A NULL pointer with length 0 is an empty message. */
static void test_empty_null(void **state)
{
    (void)state;
    uint8_t a[SHA256_DIGEST_LEN], b[SHA256_DIGEST_LEN];
    sha256(NULL, 0, a);
    sha256("", 0, b);
    assert_memory_equal(a, b, sizeof a);
    sha1(NULL, 0, a);
    sha1("", 0, b);
    assert_memory_equal(a, b, SHA1_DIGEST_LEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha1_vectors),    cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_sha1_vs_openssl), cmocka_unit_test(test_sha256_vs_openssl),
        cmocka_unit_test(test_paths_agree),     cmocka_unit_test(test_mask_forces_portable),
        cmocka_unit_test(test_final_wipes),     cmocka_unit_test(test_empty_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
