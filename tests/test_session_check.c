/* Inbound session checks (proto/session_check.h): parity, the time window at its exact edges, the
 * window of the last N ids (duplicates, the N-th id, container reuse), seqno rules, and salts
 * across rotation and grace. */
#include "testutil.h"

#include "crypto/drbg.h"
#include "proto/session_check.h"
#include "proto/tl_mtp.h"

#define T0S 1700000000ull
#define T0  (T0S * NS_PER_S)

static void test_parity(void **state)
{
    (void)state;
    uint64_t base = T0S << 32 | 0x1000;
    assert_int_equal(sess_check_parity(base, true), MT_OK);
    for (unsigned k = 1; k < 4; k++)
        assert_int_equal(sess_check_parity(base + k, true), MT_E_MSGID_BAD_PARITY);
    assert_int_equal(sess_check_parity(base + 1, false), MT_OK);
    assert_int_equal(sess_check_parity(base + 3, false), MT_OK);
    assert_int_equal(sess_check_parity(base, false), MT_E_SERVER_MSGID_EVEN);
    assert_int_equal(sess_check_parity(base + 2, false), MT_E_SERVER_MSGID_EVEN);
}

static void test_time_window_edges(void **state)
{
    (void)state;
    /* now is a whole second, so these ids stand for exact times. */
    uint64_t past = (T0S - 300) << 32, future = (T0S + 30) << 32;
    assert_int_equal(sess_check_time(past, T0), MT_OK);
    assert_int_equal(sess_check_time(past - 4, T0), MT_E_MSGID_TOO_LOW);
    assert_int_equal(sess_check_time(future, T0), MT_OK);
    assert_int_equal(sess_check_time(future + 4, T0), MT_E_MSGID_TOO_HIGH);
    assert_int_equal(sess_check_time(T0S << 32, T0), MT_OK);
    assert_int_equal(sess_check_time(0, T0), MT_E_MSGID_TOO_LOW);
    assert_int_equal(sess_check_time(UINT64_MAX - 3, T0), MT_E_MSGID_TOO_HIGH);
}

static sess_window win;

static void test_window_nth_id(void **state)
{
    (void)state;
    sess_window_init(&win);
    uint64_t base = T0S << 32;
    /* Insert out of order: the window stays sorted. */
    for (uint32_t i = 0; i < SESS_MSGID_WINDOW; i++) {
        uint64_t id = base + 4 * (uint64_t)((i * 7919u) % SESS_MSGID_WINDOW + 1);
        assert_int_equal(sess_check_window(&win, id, false), MT_OK);
        sess_window_add(&win, id, 0, SEEN_RECEIVED);
    }
    assert_int_equal(win.n, SESS_MSGID_WINDOW);
    for (uint32_t i = 1; i < win.n; i++)
        assert_true(win.e[i - 1].id < win.e[i].id);
    /* The lowest stored id is a duplicate; anything below it is too old to judge. */
    assert_int_equal(sess_check_window(&win, base + 4, false), MT_E_MSGID_DUPLICATE);
    assert_int_equal(sess_check_window(&win, base, false), MT_E_MSG_TOO_OLD);
    assert_int_equal(sess_check_window(&win, base + 4 * 500, true), MT_E_CONTAINER_MSGID_REUSED);
    assert_int_equal(sess_check_window(&win, base + 4 * 500 + 8000, true), MT_OK);
    /* The (N+1)-th id pushes the lowest out: it is now below the window. */
    sess_window_add(&win, base + 4 * 2000, 0, SEEN_RECEIVED);
    assert_int_equal(sess_check_window(&win, base + 4, false), MT_E_MSG_TOO_OLD);
    assert_int_equal(sess_check_window(&win, base + 8, false), MT_E_MSGID_DUPLICATE);
    /* An id between stored ones, not seen, is fine. */
    assert_int_equal(sess_check_window(&win, base + 4 * 1500, false), MT_OK);
}

static void test_seqno(void **state)
{
    (void)state;
    sess_window_init(&win);
    uint64_t b = T0S << 32;
    assert_int_equal(sess_check_seqno(&win, b + 40, 2, true), MT_E_SEQNO_EXPECTED_ODD);
    assert_int_equal(sess_check_seqno(&win, b + 40, 3, false), MT_E_SEQNO_EXPECTED_EVEN);
    sess_window_add(&win, b + 40, 5, SEEN_RECEIVED); /* content-related, seqno 5 */
    sess_window_add(&win, b + 80, 8, SEEN_RECEIVED); /* not content-related, seqno 8 */
    /* Between them: 6 (even) and 7 (odd) fit. */
    assert_int_equal(sess_check_seqno(&win, b + 60, 7, true), MT_OK);
    assert_int_equal(sess_check_seqno(&win, b + 60, 6, false), MT_OK);
    /* A higher id with a lower seqno, or the same odd one: too low. */
    assert_int_equal(sess_check_seqno(&win, b + 60, 3, true), MT_E_SEQNO_TOO_LOW);
    assert_int_equal(sess_check_seqno(&win, b + 60, 5, true), MT_E_SEQNO_TOO_LOW);
    /* A lower id with a higher seqno: too high. */
    assert_int_equal(sess_check_seqno(&win, b + 60, 9, true), MT_E_SEQNO_TOO_HIGH);
    assert_int_equal(sess_check_seqno(&win, b + 20, 7, true), MT_E_SEQNO_TOO_HIGH);
    /* Equal even seqnos are allowed (several acks with the same counter). */
    assert_int_equal(sess_check_seqno(&win, b + 100, 8, false), MT_OK);
    assert_int_equal(sess_check_seqno(&win, b + 100, 9, true), MT_OK);
    /* Container entries do not take part in the ordering. */
    sess_window_add(&win, b + 120, 100, SEEN_RECEIVED | SEEN_CONTAINER);
    assert_int_equal(sess_check_seqno(&win, b + 124, 9, true), MT_OK);
}

static void test_content_related(void **state)
{
    (void)state;
    assert_false(sess_is_content_related(MTP_ID_msgs_ack));
    assert_false(sess_is_content_related(MTP_ID_msg_container));
    assert_false(sess_is_content_related(MTP_ID_msg_copy));
    assert_false(sess_is_content_related(MTP_ID_gzip_packed));
    assert_true(sess_is_content_related(MTP_ID_ping));
    assert_true(sess_is_content_related(0x12345678));
}

static void test_salts_rotation_and_grace(void **state)
{
    (void)state;
    mt_drbg d;
    drbg_init_u64(&d, 5);
    sess_salts s;
    salts_init(&s);
    uint64_t p0 = (T0S - T0S % SALT_PERIOD_S) * NS_PER_S; /* start of the current period */
    assert_int_equal(salts_refresh(&s, p0 + 10 * NS_PER_S, &d.rng), MT_OK);
    assert_int_equal(s.n, SALT_FUTURE_MAX);
    int64_t cur, next;
    assert_true(salts_current(&s, p0, &cur));
    assert_int_equal(cur, s.s[0].salt);
    next = s.s[1].salt;
    assert_int_equal(salts_check(&s, p0, cur), MT_OK);
    /* A future salt is not accepted before its time. */
    assert_int_equal(salts_check(&s, p0, next), MT_E_BAD_SERVER_SALT);
    assert_int_equal(salts_check(&s, p0, cur ^ 1), MT_E_BAD_SERVER_SALT);
    /* Rotation: the next period's salt is current; the old one is kept for 1800 s more. */
    uint64_t p1 = p0 + SALT_PERIOD_S * NS_PER_S;
    assert_true(salts_current(&s, p1, &cur));
    assert_int_equal(cur, next);
    assert_int_equal(salts_check(&s, p1, s.s[0].salt), MT_OK);
    uint64_t grace_end = p1 + SALT_GRACE_S * NS_PER_S;
    assert_int_equal(salts_check(&s, grace_end - 1, s.s[0].salt), MT_OK);
    assert_int_equal(salts_check(&s, grace_end, s.s[0].salt), MT_E_BAD_SERVER_SALT);
    /* Refreshing past the grace forgets the first salt and keeps 64 to come. */
    int64_t first = s.s[0].salt;
    assert_int_equal(salts_refresh(&s, grace_end, &d.rng), MT_OK);
    assert_true(s.s[0].salt != first || s.s[0].valid_since != (uint32_t)(p0 / NS_PER_S));
    sess_salt list[SALT_FUTURE_MAX];
    assert_int_equal(salts_future(&s, grace_end, 64, list), 64);
    assert_int_equal(salts_future(&s, grace_end, 1, list), 1);
    assert_int_equal(list[0].valid_since, (uint32_t)(grace_end / NS_PER_S));
    for (uint32_t i = 1; i < 64; i++)
        assert_int_equal(s.s[i].valid_since, s.s[i - 1].valid_until);
}

static void test_salts_learn(void **state)
{
    (void)state;
    sess_salts s;
    salts_init(&s);
    int64_t salt;
    assert_false(salts_current(&s, T0, &salt));
    for (uint32_t i = 0; i < SALT_SCHED_MAX + 5; i++)
        salts_learn(&s, (int64_t)i + 100, (uint32_t)T0S + 1800 * i, (uint32_t)T0S + 1800 * (i + 1));
    assert_int_equal(s.n, SALT_SCHED_MAX);
    /* Relearning from a point replaces the rest of the schedule. */
    salts_learn(&s, 7, s.s[3].valid_since, s.s[3].valid_until);
    assert_int_equal(s.n, 4);
    assert_true(salts_current(&s, (uint64_t)s.s[3].valid_since * NS_PER_S, &salt));
    assert_int_equal(salt, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parity),          cmocka_unit_test(test_time_window_edges),
        cmocka_unit_test(test_window_nth_id),   cmocka_unit_test(test_seqno),
        cmocka_unit_test(test_content_related), cmocka_unit_test(test_salts_rotation_and_grace),
        cmocka_unit_test(test_salts_learn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
