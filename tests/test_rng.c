/*
 * The RNG interface: the OS CSPRNG (getrandom) and HMAC_DRBG-SHA256. The DRBG is checked against
 * NIST CAVP vectors and a Python HMAC_DRBG (vectors/gen/gen_drbg.py), and for what SP 800-90A
 * §10.1.2 says about determinism, seeds and request boundaries.
 */
#include "testutil.h"

#include "common/endian.h"
#include "common/err.h"
#include "crypto/cpu.h"
#include "crypto/drbg.h"
#include "crypto/rng.h"

static void test_os_rng_fills(void **state)
{
    (void)state;
    mt_rng *r = rng_os();
    assert_non_null(r);
    assert_int_equal(rng_fill(r, NULL, 0), MT_OK);
    size_t sizes[] = {1, 16, 255, 256, 257, 4096, 1 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        tu_buf a = tu_alloc(sizes[i]), b = tu_alloc(sizes[i]);
        memset(a.p, 0, a.len);
        memset(b.p, 0, b.len);
        assert_int_equal(rng_fill(r, a.p, a.len), MT_OK);
        assert_int_equal(rng_fill(r, b.p, b.len), MT_OK);
        if (a.len >= 16) {
            /* 2^-128 odds of a false failure: two fills must differ and not be all zero. */
            assert_memory_not_equal(a.p, b.p, a.len);
            uint8_t zero[16] = {0};
            assert_memory_not_equal(a.p + a.len - 16, zero, 16);
        }
        tu_free(&a);
        tu_free(&b);
    }
}

/* A rough sanity check of the OS stream: over 1 MiB every byte value appears, none wildly often. */
static void test_os_rng_byte_spread(void **state)
{
    (void)state;
    tu_buf a = tu_alloc(1 << 20);
    assert_int_equal(rng_fill(rng_os(), a.p, a.len), MT_OK);
    size_t count[256] = {0};
    for (size_t i = 0; i < a.len; i++)
        count[a.p[i]]++;
    for (int v = 0; v < 256; v++)
        assert_true(count[v] > 3500 && count[v] < 4700); /* mean 4096, sd 64 */
    tu_free(&a);
}

static void run_drbg_vector(json_t *group, json_t *test, void *arg)
{
    const int twice = *(const int *)arg;
    (void)group;
    json_t *in = json_object_get(test, "in");
    tu_buf seed = tu_field(in, "seed"), want = tu_field(json_object_get(test, "out"), "out");
    long long length = tu_int(in, "length");
    assert_true(length >= 0 && length <= (1 << 20));
    tu_buf out = tu_alloc((size_t)length);
    mt_drbg d;
    drbg_init(&d, seed.p, seed.len);
    if (twice) /* the CAVP procedure: the second of two generate calls is the answer */
        drbg_generate(&d, out.p, out.len);
    drbg_generate(&d, out.p, out.len);
    char what[64];
    snprintf(what, sizeof what, "drbg tcId %lld", tu_int(test, "tcId"));
    tu_assert_bytes(what, out.p, out.len, want.p, want.len);
    /* Through the mt_rng interface: the same stream. */
    drbg_init(&d, seed.p, seed.len);
    if (twice)
        assert_int_equal(rng_fill(&d.rng, out.p, out.len), MT_OK);
    assert_int_equal(rng_fill(&d.rng, out.p, out.len), MT_OK);
    tu_assert_bytes(what, out.p, out.len, want.p, want.len);
    drbg_wipe(&d);
    tu_free(&seed);
    tu_free(&want);
    tu_free(&out);
}

static void run_drbg_files(const char *op, int twice, size_t min_count)
{
    char **names;
    size_t nfiles = tu_vector_files("*drbg*.json", &names);
    assert_true(nfiles >= 2);
    uint32_t masks[2] = {~0u, 0};
    for (size_t pi = 0; pi < 2; pi++) {
        uint32_t old = cpu_set_mask(masks[pi]);
        size_t total = 0;
        for (size_t f = 0; f < nfiles; f++) {
            json_t *file = tu_load_vectors(names[f]);
            total += tu_each_vector(file, op, run_drbg_vector, &twice);
            json_decref(file);
        }
        assert_true(total >= min_count);
        cpu_set_mask(old);
    }
    tu_free_names(names, nfiles);
}

static void test_drbg_python_vectors(void **state)
{
    (void)state;
    run_drbg_files("drbg_generate", 0, 20);
}

static void test_drbg_cavp_vectors(void **state)
{
    (void)state;
    run_drbg_files("drbg_generate_twice", 1, 5);
}

static void test_drbg_deterministic_and_seed_sensitive(void **state)
{
    (void)state;
    uint8_t seed[40], a[100], b[100];
    tu_rand_seed(301);
    tu_rand_bytes(seed, sizeof seed);
    mt_drbg d1, d2;
    drbg_init(&d1, seed, sizeof seed);
    drbg_init(&d2, seed, sizeof seed);
    drbg_generate(&d1, a, sizeof a);
    drbg_generate(&d2, b, sizeof b);
    assert_memory_equal(a, b, sizeof a);
    /* Any one-bit change of the seed, or a different seed length, changes the stream. */
    for (size_t bit = 0; bit < 8 * sizeof seed; bit++) {
        seed[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        drbg_init(&d2, seed, sizeof seed);
        drbg_generate(&d2, b, sizeof b);
        assert_memory_not_equal(a, b, sizeof a);
        seed[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    drbg_init(&d2, seed, sizeof seed - 1);
    drbg_generate(&d2, b, sizeof b);
    assert_memory_not_equal(a, b, sizeof a);
    /* drbg_init_u64 is drbg_init on the 8-byte little-endian encoding. */
    uint8_t le[8];
    st64le(le, 0x0123456789abcdefull);
    drbg_init_u64(&d1, 0x0123456789abcdefull);
    drbg_init(&d2, le, sizeof le);
    drbg_generate(&d1, a, sizeof a);
    drbg_generate(&d2, b, sizeof b);
    assert_memory_equal(a, b, sizeof a);
    drbg_init_u64(&d2, 0x0123456789abcdeeull);
    drbg_generate(&d2, b, sizeof b);
    assert_memory_not_equal(a, b, sizeof a);
}

/* SP 800-90A §10.1.2.5: a request outputs V = HMAC(K, V) blocks and ends with Update(), so the
 * first `a` bytes of generate(a + b) equal generate(a), and the bytes after them differ from a
 * following generate(b), which starts from the updated state. */
static void test_drbg_request_boundaries(void **state)
{
    (void)state;
    size_t splits[] = {1, 31, 32, 33, 64, 100};
    for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
        size_t a = splits[i], b = 64;
        uint8_t whole[164], parts[164];
        mt_drbg d;
        drbg_init_u64(&d, 7);
        drbg_generate(&d, whole, a + b);
        drbg_init_u64(&d, 7);
        drbg_generate(&d, parts, a);
        drbg_generate(&d, parts + a, b);
        assert_memory_equal(whole, parts, a);
        assert_memory_not_equal(whole + a, parts + a, b);
    }
    /* A fill above DRBG_MAX_REQUEST is split into requests the same way. */
    tu_buf big = tu_alloc(DRBG_MAX_REQUEST + 40), parts = tu_alloc(DRBG_MAX_REQUEST + 40);
    mt_drbg d;
    drbg_init_u64(&d, 8);
    drbg_generate(&d, big.p, big.len);
    drbg_init_u64(&d, 8);
    drbg_generate(&d, parts.p, DRBG_MAX_REQUEST);
    drbg_generate(&d, parts.p + DRBG_MAX_REQUEST, 40);
    assert_memory_equal(big.p, parts.p, big.len);
    tu_free(&big);
    tu_free(&parts);
}

static void test_drbg_zero_fill_reseed_wipe(void **state)
{
    (void)state;
    uint8_t a[48], b[48];
    mt_drbg d1, d2;
    drbg_init_u64(&d1, 9);
    drbg_init_u64(&d2, 9);
    drbg_generate(&d1, NULL, 0); /* no request: the state is unchanged */
    drbg_generate(&d1, a, sizeof a);
    drbg_generate(&d2, b, sizeof b);
    assert_memory_equal(a, b, sizeof a);
    /* Reseeding is deterministic and changes the stream. */
    drbg_reseed(&d1, (const uint8_t *)"more", 4);
    drbg_reseed(&d2, (const uint8_t *)"more", 4);
    drbg_generate(&d1, a, sizeof a);
    drbg_generate(&d2, b, sizeof b);
    assert_memory_equal(a, b, sizeof a);
    drbg_generate(&d2, b, sizeof b);
    drbg_reseed(&d1, (const uint8_t *)"other", 5);
    drbg_generate(&d1, a, sizeof a);
    assert_memory_not_equal(a, b, sizeof a);
    drbg_wipe(&d1);
    static const uint8_t zero[sizeof(mt_drbg)];
    assert_memory_equal(&d1, zero, sizeof d1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_os_rng_fills),
        cmocka_unit_test(test_os_rng_byte_spread),
        cmocka_unit_test(test_drbg_python_vectors),
        cmocka_unit_test(test_drbg_cavp_vectors),
        cmocka_unit_test(test_drbg_deterministic_and_seed_sensitive),
        cmocka_unit_test(test_drbg_request_boundaries),
        cmocka_unit_test(test_drbg_zero_fill_reseed_wipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
