/*
 * The pooled RNG (crypto/rng_pool.h): it hands out its source's stream once, in order, whatever
 * the request sizes (small ones from the pool, large ones straight from the source), wipes what
 * it hands out, and reports a failing source with the output zeroed.
 */
#include "testutil.h"

#include "common/err.h"
#include "crypto/rng.h"
#include "crypto/rng_pool.h"

/* A source whose stream is 0, 1, 2 ... (mod 251) however it is asked, that can be made to fail. */
typedef struct count_src {
    mt_rng rng;
    uint64_t next;
    size_t calls;
    bool fail;
} count_src;

static int count_fill(mt_rng *self, uint8_t *out, size_t n)
{
    count_src *s = (count_src *)self;
    s->calls++;
    if (s->fail)
        return MT_E_rng_failure;
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(s->next++ % 251);
    return MT_OK;
}

static void test_pool_stream_in_order(void **state)
{
    (void)state;
    count_src src = {.rng = {count_fill}};
    static rng_pool p;
    rng_pool_init(&p, &src.rng);
    tu_rand_seed(7);
    uint64_t want = 0;
    for (int round = 0; round < 2000; round++) {
        /* Mostly small requests, some around and above the pool's size. */
        size_t n = round % 50 == 0 ? tu_rand_below(3 * RNG_POOL_BYTES) : tu_rand_below(64);
        tu_buf b = tu_alloc(n);
        assert_int_equal(rng_fill(rng_pool_rng(&p), b.p, b.len), MT_OK);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(b.p[i], (uint8_t)(want++ % 251));
        tu_free(&b);
    }
    /* Every source byte drawn so far was handed out, or is still waiting in the pool. */
    assert_int_equal(src.next - want, RNG_POOL_BYTES - p.pos);
    assert_true(src.calls < 200); /* pooled: far fewer source calls than the 2000 requests */
}

static void test_pool_wipes_what_it_hands_out(void **state)
{
    (void)state;
    count_src src = {.rng = {count_fill}};
    static rng_pool p;
    rng_pool_init(&p, &src.rng);
    uint8_t out[40];
    assert_int_equal(rng_fill(rng_pool_rng(&p), out, sizeof out), MT_OK);
    static const uint8_t zero[RNG_POOL_BYTES];
    assert_memory_equal(p.buf, zero, sizeof out);
    assert_int_equal(p.buf[sizeof out], (uint8_t)sizeof out); /* the next one is still there */
    rng_pool_wipe(&p);
    assert_memory_equal(p.buf, zero, RNG_POOL_BYTES);
    /* Wiped means empty: the next request refills from the source (which moved on by a pool). */
    assert_int_equal(rng_fill(rng_pool_rng(&p), out, 1), MT_OK);
    assert_int_equal(out[0], (uint8_t)(RNG_POOL_BYTES % 251));
}

static void test_pool_source_failure(void **state)
{
    (void)state;
    count_src src = {.rng = {count_fill}, .fail = true};
    static rng_pool p;
    rng_pool_init(&p, &src.rng);
    uint8_t out[32], big[RNG_POOL_BYTES + 5];
    memset(out, 0xAA, sizeof out);
    assert_int_equal(rng_fill(rng_pool_rng(&p), out, sizeof out), MT_E_rng_failure);
    static const uint8_t zero[sizeof big];
    assert_memory_equal(out, zero, sizeof out);
    memset(big, 0xAA, sizeof big);
    assert_int_equal(rng_fill(rng_pool_rng(&p), big, sizeof big), MT_E_rng_failure);
    assert_memory_equal(big, zero, sizeof big);
    /* The source recovers: so does the pool, from the start of its stream. */
    src.fail = false;
    assert_int_equal(rng_fill(rng_pool_rng(&p), out, sizeof out), MT_OK);
    for (size_t i = 0; i < sizeof out; i++)
        assert_int_equal(out[i], (uint8_t)i);
}

static void test_pool_over_os_rng(void **state)
{
    (void)state;
    static rng_pool p;
    rng_pool_init(&p, rng_os());
    uint8_t a[32], b[32];
    assert_int_equal(rng_fill(rng_pool_rng(&p), a, sizeof a), MT_OK);
    assert_int_equal(rng_fill(rng_pool_rng(&p), b, sizeof b), MT_OK);
    assert_memory_not_equal(a, b, sizeof a); /* 2^-256 odds of a false failure */
    rng_pool_wipe(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_stream_in_order),
        cmocka_unit_test(test_pool_wipes_what_it_hands_out),
        cmocka_unit_test(test_pool_source_failure),
        cmocka_unit_test(test_pool_over_os_rng),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
