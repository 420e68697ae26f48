/* msg_id generation (proto/msgid.h): parity by kind, strictly increasing ids on a frozen and on a
 * moving virtual clock, a non-zero fractional half, the time encoding, and the server-time offset
 * correction. */
#include "testutil.h"

#include "crypto/drbg.h"
#include "proto/msgid.h"

#define T0 (1700000000ull * NS_PER_S)

static void test_time_encoding(void **state)
{
    (void)state;
    /* unixtime * 2^32: 1700000000.5 s is 0x6553f100_80000000. */
    assert_int_equal(msgid_from_ns(T0 + NS_PER_S / 2), 0x6553f10080000000ull);
    assert_int_equal(msgid_from_ns(T0), 1700000000ull << 32);
    for (uint64_t ns = 0; ns < NS_PER_S; ns += 7777777) {
        uint64_t back = msgid_to_ns(msgid_from_ns(T0 + ns));
        /* One 2^-32 s step is 0.23 ns: the round trip loses at most 1 ns. */
        assert_true(back <= T0 + ns && T0 + ns - back <= 1);
    }
}

static void check_kind(enum msgid_kind kind)
{
    mt_vclock vc;
    vclock_init(&vc, T0); /* a whole second: the fraction must still be non-zero */
    mt_drbg d;
    drbg_init_u64(&d, kind);
    mt_msgid_gen g;
    msgid_gen_init(&g);
    uint64_t prev = 0;
    for (int i = 0; i < 5000; i++) {
        uint64_t id;
        assert_int_equal(msgid_next(&g, &vc.clock, &d.rng, kind, &id), MT_OK);
        assert_int_equal(id & 3, (uint64_t)kind);
        assert_true(id > prev);
        assert_true((id & 0xFFFFFFFFu) != 0);
        prev = id;
        if (i % 1000 == 999)
            vclock_advance(&vc, 1000); /* a clock that barely moves */
    }
    /* 5000 ids on a frozen clock stay within 5000 * 4 * 1024 units (under 0.01 s) of it. */
    assert_true(msgid_to_ns(prev) - T0 < NS_PER_S / 100);
}

static void test_parity_and_order(void **state)
{
    (void)state;
    check_kind(MSGID_CLIENT);
    check_kind(MSGID_SERVER_RESPONSE);
    check_kind(MSGID_SERVER_OTHER);
}

static void test_mixed_server_kinds_increase(void **state)
{
    (void)state;
    mt_vclock vc;
    vclock_init(&vc, T0 + 123456789);
    mt_drbg d;
    drbg_init_u64(&d, 9);
    mt_msgid_gen g;
    msgid_gen_init(&g);
    uint64_t prev = 0;
    for (int i = 0; i < 2000; i++) {
        uint64_t id;
        enum msgid_kind k = (i % 3) ? MSGID_SERVER_RESPONSE : MSGID_SERVER_OTHER;
        assert_int_equal(msgid_next(&g, &vc.clock, &d.rng, k, &id), MT_OK);
        assert_int_equal(id & 3, (uint64_t)k);
        assert_true(id > prev);
        prev = id;
    }
}

static void test_tracks_clock(void **state)
{
    (void)state;
    mt_vclock vc;
    vclock_init(&vc, T0);
    mt_drbg d;
    drbg_init_u64(&d, 1);
    mt_msgid_gen g;
    msgid_gen_init(&g);
    for (int s = 0; s < 100; s++) {
        uint64_t id;
        vclock_advance(&vc, NS_PER_S + 1234567);
        assert_int_equal(msgid_next(&g, &vc.clock, &d.rng, MSGID_CLIENT, &id), MT_OK);
        /* The jitter is below 2^22 units of 2^-32 s, i.e. under 1 ms. */
        uint64_t t = msgid_to_ns(id), now = vc.ns;
        assert_true(t + NS_PER_S / 1000 >= now && t <= now + NS_PER_S / 1000);
    }
}

static void test_sync_offset(void **state)
{
    (void)state;
    mt_vclock vc;
    vclock_init(&vc, T0);
    mt_drbg d;
    drbg_init_u64(&d, 2);
    mt_msgid_gen g;
    msgid_gen_init(&g);
    /* The server is 100 s ahead, then 500 s behind: the next ids follow server time. */
    msgid_sync(&g, &vc.clock, msgid_from_ns(T0 + 100 * NS_PER_S) | 1);
    uint64_t id;
    assert_int_equal(msgid_next(&g, &vc.clock, &d.rng, MSGID_CLIENT, &id), MT_OK);
    assert_true(msgid_to_ns(id) >= T0 + 100 * NS_PER_S - NS_PER_S / 1000);
    assert_true(msgid_server_ns(&g, &vc.clock) - T0 - 100 * NS_PER_S < 2);
    msgid_sync(&g, &vc.clock, msgid_from_ns(T0 - 500 * NS_PER_S) | 3);
    assert_true(T0 - msgid_server_ns(&g, &vc.clock) - 500 * NS_PER_S < 2);
    /* Ids still increase after the clock went back (last + 4 * (1..1024)). */
    uint64_t id2;
    assert_int_equal(msgid_next(&g, &vc.clock, &d.rng, MSGID_CLIENT, &id2), MT_OK);
    assert_true(id2 > id && id2 - id <= 4 * MSGID_MAX_STEP);
}

static int fail_fill(mt_rng *self, uint8_t *out, size_t n)
{
    (void)self;
    (void)out;
    (void)n;
    return MT_E_rng_failure;
}

static void test_rng_failure(void **state)
{
    (void)state;
    mt_vclock vc;
    vclock_init(&vc, T0);
    mt_rng bad = {fail_fill};
    mt_msgid_gen g;
    msgid_gen_init(&g);
    uint64_t id = 7;
    assert_int_equal(msgid_next(&g, &vc.clock, &bad, MSGID_CLIENT, &id), MT_E_rng_failure);
    assert_int_equal(g.last, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_encoding),
        cmocka_unit_test(test_parity_and_order),
        cmocka_unit_test(test_mixed_server_kinds_increase),
        cmocka_unit_test(test_tracks_clock),
        cmocka_unit_test(test_sync_offset),
        cmocka_unit_test(test_rng_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
