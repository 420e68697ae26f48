/* The harness as server checks what the client under test sends (harness/conform_check_client.c):
 * crafted headers that break each msg_id and seqno rule are named by that rule; an honest client,
 * and one that resends a query the harness said it refused, breaks nothing; msgs_state_info status
 * bytes come from the same window (sess_window_status). */
#include "testutil.h"

#include <stdlib.h>

#include "common/endian.h"
#include "common/rules.h"
#include "harness/conform_peer.h"
#include "proto/container.h"
#include "proto/gzip.h"
#include "proto/tl_mtp.h"

#define T0S   1700000000ull
#define QUERY 0x0a1b2c3du /* an API method: content-related */

static mt_vclock vc;
static target tg;

static int setup(void **state)
{
    vclock_init(&vc, T0S * NS_PER_S);
    tg.clock = &vc.clock;
    cf_peer *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    cf_peer_init(p, &tg, true, 7);
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    cf_peer *p = *state;
    cf_peer_free(p);
    free(p);
    return 0;
}

static uint64_t id_at(uint32_t k)
{
    return T0S << 32 | (uint64_t)k << 4;
}

/* One client message of ctor (a bare 4-byte body, or msgs_ack of one id) on session 1. */
static void msg(cf_peer *p, uint64_t id, uint32_t seqno, uint32_t ctor)
{
    uint8_t b[32];
    size_t n = 4;
    st32le(b, ctor);
    if (ctor == MTP_ID_msgs_ack) {
        st32le(b + 4, 0x1cb5c415u); /* Vector<long> of one id */
        st32le(b + 8, 1);
        st64le(b + 12, id_at(1) | 1);
        n = 20;
    }
    mt_msg_hdr h = {0, 1, id, seqno};
    cf_check_client(p, &h, b, n);
}

/* A container of two messages (ids id-8 and id-4) with the given seqnos. */
static void container(cf_peer *p, uint64_t id, uint32_t seqno, uint32_t s1, uint32_t s2,
                      uint32_t ctor2)
{
    uint8_t q[4], a[4], out[128];
    st32le(q, QUERY);
    st32le(a, ctor2);
    mt_msg in[2] = {{id - 8, s1, q, 4}, {id - 4, s2, a, 4}};
    mt_wr w = wr_init(out, sizeof out);
    assert_int_equal(container_pack(&w, in, 2), MT_OK);
    mt_msg_hdr h = {0, 1, id, seqno};
    cf_check_client(p, &h, out, wr_len(&w));
}

static void test_honest(void **state)
{
    cf_peer *p = *state;
    msg(p, id_at(1), 1, QUERY);
    msg(p, id_at(2), 2, MTP_ID_msgs_ack);
    container(p, id_at(5), 4, 3, 4, MTP_ID_msgs_ack);
    msg(p, id_at(6), 5, MTP_ID_ping);
    assert_int_equal(p->violation, 0);
    /* msgs_state_info bytes of the same window: received, not received inside, above. */
    assert_int_equal(sess_window_status(&p->cwin, id_at(1)) & 7, 4);
    assert_int_equal(sess_window_status(&p->cwin, id_at(2)) & 16, 16); /* needs no ack */
    assert_int_equal(sess_window_status(&p->cwin, id_at(1) + 4), 2);
    assert_int_equal(sess_window_status(&p->cwin, id_at(9)), 3);
    assert_int_equal(sess_window_status(&p->cwin, id_at(9) + 1), 1);
}

static void expect_rule(cf_peer *p, int rule)
{
    assert_int_equal(p->violation, rule);
    assert_non_null(strstr(p->vwhy, "the client broke"));
    assert_non_null(strstr(p->vwhy, mt_rule_of(rule)->id));
}

static void test_msgid_parity(void **state)
{
    msg(*state, id_at(1) | 2, 1, QUERY);
    expect_rule(*state, MT_E_MSGID_BAD_PARITY);
}

static void test_msgid_too_high(void **state)
{
    msg(*state, (T0S + 31) << 32, 1, QUERY);
    expect_rule(*state, MT_E_MSGID_TOO_HIGH);
}

static void test_msgid_too_low(void **state)
{
    msg(*state, (T0S - 301) << 32, 1, QUERY);
    expect_rule(*state, MT_E_MSGID_TOO_LOW);
}

static void test_msgid_duplicate(void **state)
{
    msg(*state, id_at(1), 1, QUERY);
    msg(*state, id_at(1), 1, QUERY);
    expect_rule(*state, MT_E_MSGID_DUPLICATE);
}

static void test_container_reused(void **state)
{
    msg(*state, id_at(5), 1, QUERY);
    container(*state, id_at(5), 4, 3, 4, MTP_ID_msgs_ack);
    expect_rule(*state, MT_E_CONTAINER_MSGID_REUSED);
}

/* mtcute's msgs_ack with an odd seqno (docs/interop.md). */
static void test_ack_odd(void **state)
{
    msg(*state, id_at(1), 1, QUERY);
    msg(*state, id_at(2), 3, MTP_ID_msgs_ack);
    expect_rule(*state, MT_E_SEQNO_EXPECTED_EVEN);
}

static void test_container_odd(void **state)
{
    container(*state, id_at(5), 5, 1, 2, MTP_ID_msgs_ack);
    expect_rule(*state, MT_E_SEQNO_EXPECTED_EVEN);
}

static void test_ack_odd_in_container(void **state)
{
    container(*state, id_at(5), 4, 1, 3, MTP_ID_msgs_ack);
    expect_rule(*state, MT_E_SEQNO_EXPECTED_EVEN);
}

static void test_query_even(void **state)
{
    msg(*state, id_at(1), 2, QUERY);
    expect_rule(*state, MT_E_SEQNO_EXPECTED_ODD);
}

/* gzip_packed is judged by what it packs: a packed query stays content-related. */
static void test_gzip_query_even(void **state)
{
    uint8_t q[64], z[256];
    for (size_t i = 0; i < sizeof q; i += 4)
        st32le(q + i, QUERY);
    size_t n = 0;
    assert_int_equal(gzip_packed_pack(q, sizeof q, z, sizeof z, &n), MT_OK);
    mt_msg_hdr h = {0, 1, id_at(1), 1};
    cf_check_client(*state, &h, z, n);
    assert_int_equal(((cf_peer *)*state)->violation, 0);
    h = (mt_msg_hdr){0, 1, id_at(2), 4};
    cf_check_client(*state, &h, z, n);
    expect_rule(*state, MT_E_SEQNO_EXPECTED_ODD);
}

static void test_seqno_too_low(void **state)
{
    msg(*state, id_at(1), 5, QUERY);
    msg(*state, id_at(2), 3, QUERY);
    expect_rule(*state, MT_E_SEQNO_TOO_LOW);
}

static void test_seqno_too_high(void **state)
{
    msg(*state, id_at(3), 3, QUERY);
    msg(*state, id_at(2), 5, QUERY);
    expect_rule(*state, MT_E_SEQNO_TOO_HIGH);
}

static void test_container_nested(void **state)
{
    container(*state, id_at(5), 4, 1, 2, MTP_ID_msg_container);
    expect_rule(*state, MT_E_CONTAINER_NESTED);
}

/* The harness lies "bad_msg_notification 16" about a fine query; the client resends it under a new
 * msg_id with the same seqno. The harness forgot the refused id: no rule broken. Without the
 * notification the same resend is SEQNO_TOO_LOW (an equal odd seqno under a lower id). */
static void test_resend_after_refusal(void **state)
{
    cf_peer *p = *state;
    msg(p, id_at(1), 1, QUERY);
    uint8_t bad[20];
    st32le(bad, MTP_ID_bad_msg_notification);
    st64le(bad + 4, id_at(1));
    st32le(bad + 12, 1);
    st32le(bad + 16, 16);
    mt_msg_hdr h = {0, 1, id_at(1) | 1, 2};
    cf_client_sent(p, &h, bad, sizeof bad);
    msg(p, id_at(2), 1, QUERY);
    assert_int_equal(p->violation, 0);
    msg(p, id_at(3), 1, QUERY);
    expect_rule(p, MT_E_SEQNO_TOO_LOW);
}

/* new_session_created whose first_msg_id is above the query disowns it; a new session_id of the
 * client starts a new window. */
static void test_new_session(void **state)
{
    cf_peer *p = *state;
    msg(p, id_at(1), 1, QUERY);
    uint8_t ns[28];
    st32le(ns, MTP_ID_new_session_created);
    st64le(ns + 4, id_at(1) + 4);
    st64le(ns + 12, 1);
    st64le(ns + 20, 2);
    mt_msg_hdr h = {0, 1, id_at(1) | 3, 1};
    cf_client_sent(p, &h, ns, sizeof ns);
    msg(p, id_at(2), 1, QUERY);
    assert_int_equal(p->violation, 0);
    uint8_t q[4];
    st32le(q, QUERY);
    mt_msg_hdr other = {0, 2, id_at(3), 1};
    cf_check_client(p, &other, q, 4);
    assert_int_equal(p->violation, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_honest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msgid_parity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msgid_too_high, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msgid_too_low, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msgid_duplicate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_container_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ack_odd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_container_odd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ack_odd_in_container, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_even, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gzip_query_even, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seqno_too_low, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seqno_too_high, setup, teardown),
        cmocka_unit_test_setup_teardown(test_container_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resend_after_refusal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_session, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
