/* The end-to-end engine, two engines in-process (proto/e2e.h): key exchange, visualisation,
 * 300 messages with re-keys every 100, a re-key race, a gap answered by a resend, tampering. */
#include "e2e_pair.h"

static void send_text(pair *p, int from, const char *text)
{
    assert_int_equal(e2e_send_text(p->s[from].e, text, strlen(text)), 0);
}

static void test_exchange(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, 1, 0);
    pair_exchange(&p);
    assert_int_equal(p.s[0].n_ready, 1);
    assert_int_equal(p.s[1].n_ready, 1);
    assert_true(p.s[0].fp == p.s[1].fp && p.s[0].fp != 0);
    assert_int_equal(e2e_fingerprint(p.s[0].e), p.s[0].fp);
    /* Both sides print the same visualisation: two hex lines and a 10-line grid. */
    assert_string_equal(p.s[0].visual, p.s[1].visual);
    size_t lines = 0;
    for (const char *c = p.s[0].visual; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 12);
    send_text(&p, 0, "hello");
    pair_pump(&p);
    assert_string_equal(p.s[1].last_text, "hello");
    send_text(&p, 1, "hi back");
    pair_pump(&p);
    assert_string_equal(p.s[0].last_text, "hi back");
    assert_int_equal(p.s[0].n_errors + p.s[1].n_errors, 0);
    pair_free(&p);
}

static void test_300_messages_rekey(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, 2, 100);
    pair_exchange(&p);
    int64_t first = p.s[0].fp;
    char text[64];
    for (int i = 0; i < 300; i++) {
        int from = i % 3 == 2; /* both directions */
        snprintf(text, sizeof text, "message %d", i);
        send_text(&p, from, text);
        pair_pump(&p);
        assert_string_equal(p.s[1 - from].last_text, text);
    }
    assert_int_equal(p.s[0].n_msgs + p.s[1].n_msgs, 300);
    assert_true(e2e_rekeys(p.s[0].e) >= 2);
    assert_int_equal(e2e_rekeys(p.s[0].e), e2e_rekeys(p.s[1].e));
    assert_true(p.s[0].fp == p.s[1].fp && p.s[0].fp != first);
    assert_string_equal(e2e_visual(p.s[0].e), e2e_visual(p.s[1].e));
    assert_int_equal(p.s[0].n_errors + p.s[1].n_errors, 0);
    pair_free(&p);
}

static void test_rekey_race(void **state)
{
    (void)state;
    for (uint64_t seed = 10; seed < 14; seed++) {
        pair p;
        pair_init(&p, seed, 0);
        pair_exchange(&p);
        /* Both request before either hears of the other. */
        assert_int_equal(e2e_rekey(p.s[0].e), 0);
        assert_int_equal(e2e_rekey(p.s[1].e), 0);
        send_text(&p, 0, "during");
        send_text(&p, 1, "during too");
        pair_pump(&p);
        assert_int_equal(e2e_rekeys(p.s[0].e), 1);
        assert_int_equal(e2e_rekeys(p.s[1].e), 1);
        assert_true(p.s[0].fp == p.s[1].fp);
        send_text(&p, 0, "after");
        pair_pump(&p);
        assert_string_equal(p.s[1].last_text, "after");
        assert_int_equal(p.s[0].n_errors + p.s[1].n_errors, 0);
        pair_free(&p);
    }
}

/* Messages in flight under the old key still open after the switch. */
static void test_rekey_in_flight(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, 3, 0);
    pair_exchange(&p);
    assert_int_equal(e2e_rekey(p.s[0].e), 0);
    assert_int_equal(pair_step(&p, 0), 0); /* RequestKey → B, B queues AcceptKey */
    send_text(&p, 1, "old key");           /* B still on the old key */
    assert_int_equal(pair_step(&p, 1), 0); /* AcceptKey → A: commit, A switches */
    assert_int_equal(e2e_rekeys(p.s[0].e), 1);
    assert_int_equal(pair_step(&p, 1), 0); /* the old-key message */
    assert_string_equal(p.s[0].last_text, "old key");
    pair_pump(&p);
    assert_int_equal(e2e_rekeys(p.s[1].e), 1);
    send_text(&p, 1, "new key");
    pair_pump(&p);
    assert_string_equal(p.s[0].last_text, "new key");
    assert_int_equal(p.s[0].n_errors + p.s[1].n_errors, 0);
    pair_free(&p);
}

static void test_gap_resend(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, 4, 0);
    pair_exchange(&p);
    send_text(&p, 0, "one");
    send_text(&p, 0, "two");
    send_text(&p, 0, "three");
    send_text(&p, 0, "four");
    size_t n = 0;
    free(pair_take(&p, 0, &n)); /* "one" is lost */
    assert_int_equal(pair_step(&p, 0), MT_E_E2E_SEQ_GAP);
    assert_int_equal(p.s[1].n_resend_asked, 1);
    assert_int_equal(pair_step(&p, 0), MT_E_E2E_SEQ_GAP); /* held, no second request */
    assert_int_equal(p.s[1].n_resend_asked, 1);
    assert_int_equal(p.s[1].n_msgs, 0);
    pair_pump(&p); /* "four", the Resend to A, A's resend of "one" */
    assert_int_equal(p.s[0].n_resend_answered, 1);
    assert_int_equal(p.s[1].n_msgs, 4);
    assert_string_equal(p.s[1].last_text, "four");
    assert_false(p.s[1].last_fatal);
    send_text(&p, 1, "all there");
    pair_pump(&p);
    assert_string_equal(p.s[0].last_text, "all there");
    pair_free(&p);
}

static void test_tampered_and_duplicate(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, 5, 0);
    pair_exchange(&p);
    send_text(&p, 0, "secret");
    size_t n = 0;
    uint8_t *m = pair_take(&p, 0, &n);
    uint8_t *copy = malloc(n);
    memcpy(copy, m, n);
    m[n / 2] ^= 1; /* a ciphertext byte */
    assert_int_equal(e2e_feed(p.s[1].e, m, n), MT_E_E2E_MSG_KEY_MISMATCH);
    assert_false(p.s[1].last_fatal);
    assert_int_equal(e2e_feed(p.s[1].e, copy, n), 0);
    assert_string_equal(p.s[1].last_text, "secret");
    assert_int_equal(e2e_feed(p.s[1].e, copy, n), MT_E_E2E_SEQ_REPEAT);
    assert_int_equal(p.s[1].n_msgs, 1);
    free(m);
    free(copy);
    pair_free(&p);
}

static void test_discard(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, 6, 0);
    pair_exchange(&p);
    assert_int_equal(e2e_discard(p.s[0].e, "bye"), 0);
    pair_pump(&p);
    assert_int_equal(p.s[1].n_discarded, 1);
    assert_true(e2e_closed(p.s[0].e) && e2e_closed(p.s[1].e));
    assert_int_equal(e2e_send_text(p.s[1].e, "x", 1), MT_E_e2e_closed);
    assert_int_equal(e2e_fingerprint(p.s[1].e), 0);
    pair_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exchange),   cmocka_unit_test(test_300_messages_rekey),
        cmocka_unit_test(test_rekey_race), cmocka_unit_test(test_rekey_in_flight),
        cmocka_unit_test(test_gap_resend), cmocka_unit_test(test_tampered_and_duplicate),
        cmocka_unit_test(test_discard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
