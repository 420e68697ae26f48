/* Client and server engines (proto/session.h) in one process on virtual clocks: ping/pong, an
 * RPC, unknown methods, a salt change, a new session, a skewed client clock (16 -> resync), the
 * client's reaction to every bad_msg_notification code, its inbound checks, and the server's
 * service answers (state, resend, future salts, destroy_session, limits, gzip). */
#include "session_fixture.h"

static void test_ping_pong_and_acks(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    uint64_t id;
    assert_int_equal(sess_client_ping(&f->cli, 77, 0, &f->cout, &id), MT_OK);
    fx_pump(f);
    int ns = fx_find_event(f, SESS_EV_NEW_SESSION), pong = fx_find_event(f, SESS_EV_PONG);
    assert_true(ns >= 0 && pong >= 0);
    assert_int_equal(f->ev[ns].value, (int64_t)id);
    assert_int_equal(f->ev[pong].msg_id, id);
    assert_int_equal(f->ev[pong].value, 77);
    /* Acks go out within SESS_ACK_DELAY_NS: the server's kept messages become acked. */
    assert_int_equal(f->cli.core.nacks, 2); /* new_session_created and pong */
    assert_int_equal(sess_client_tick(&f->cli, &f->cout), MT_OK);
    assert_int_equal(f->cout.n, 0);
    fx_advance(f, SESS_ACK_DELAY_NS);
    assert_int_equal(sess_client_tick(&f->cli, &f->cout), MT_OK);
    assert_non_null(fx_find_out(&f->cout, MTP_ID_msgs_ack));
    fx_pump(f);
    for (uint32_t i = 0; i < f->srv.core.nstore; i++)
        assert_true(f->srv.core.store[i].acked);
    /* The server acks the ping too. */
    assert_int_equal(sess_server_tick(&f->srv, &f->sout), MT_OK);
    const mt_msg *ack = fx_find_out(&f->sout, MTP_ID_msgs_ack);
    assert_non_null(ack);
    assert_int_equal(ld64le(ack->body + 12), id);
    free(f);
}

static void test_rpc_and_unknown(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    uint8_t q[4];
    st32le(q, 0xC0FFEE00u);
    uint64_t id, bad;
    assert_int_equal(sess_client_send(&f->cli, q, 4, &f->cout, &id), MT_OK);
    assert_int_equal(f->cmsgs[0].seqno & 1, 1);
    fx_pump(f);
    int r = fx_find_event(f, SESS_EV_RPC_RESULT);
    assert_true(r >= 0);
    assert_int_equal(f->ev[r].msg_id, id);
    assert_int_equal(f->ev[r].len, 4);
    assert_int_equal(ld32le(f->ev[r].body), TL_ID_BOOL_TRUE);
    assert_null(core_store_find(&f->cli.core, id)); /* answered: forgotten */
    /* An unknown method: rpc_error 400 and the rule RPC_METHOD_UNKNOWN. */
    st32le(q, 0x01020304u);
    assert_int_equal(sess_client_send(&f->cli, q, 4, &f->cout, &bad), MT_OK);
    mt_msg m = f->cmsgs[0];
    sess_out_clear(&f->cout);
    assert_int_equal(sess_server_feed(&f->srv, sess_client_salt(&f->cli), SESSION_ID, &m, &f->sout),
                     MT_E_RPC_METHOD_UNKNOWN);
    const mt_msg *res = fx_find_out(&f->sout, MTP_ID_rpc_result);
    assert_non_null(res);
    assert_int_equal(ld64le(res->body + 4), bad);
    assert_int_equal(ld32le(res->body + 12), MTP_ID_rpc_error);
    assert_int_equal(ld32le(res->body + 16), 400);
    free(f);
}

static void test_salt_change(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    uint64_t id;
    int64_t first = sess_client_salt(&f->cli);
    assert_int_equal(sess_client_ping(&f->cli, 1, 0, &f->cout, &id), MT_OK);
    fx_pump(f);
    /* Two periods later the client's salt is past its grace: 48, new salt, resend, pong. */
    fx_advance(f, 2 * SALT_PERIOD_S * NS_PER_S);
    f->nev = 0;
    assert_int_equal(sess_client_ping(&f->cli, 2, 0, &f->cout, &id), MT_OK);
    fx_pump(f);
    int rs = fx_find_event(f, SESS_EV_RESENT);
    assert_true(rs >= 0);
    assert_int_equal(f->ev[rs].ref_id, id);
    assert_int_equal(f->ev[rs].code, 48);
    assert_true(fx_find_event(f, SESS_EV_PONG) >= 0);
    assert_true(sess_client_salt(&f->cli) != first);
    assert_int_equal(sess_client_salt(&f->cli), sess_server_salt(&f->srv));
    /* With future salts stored, the client switches by itself at the next period. */
    uint8_t q[8];
    mt_wr w = wr_init(q, sizeof q);
    wr_u32le(&w, MTP_ID_get_future_salts);
    tl_wr_int(&w, 64);
    assert_int_equal(sess_client_send(&f->cli, q, 8, &f->cout, &id), MT_OK);
    fx_pump(f);
    int fs = fx_find_event(f, SESS_EV_FUTURE_SALTS);
    assert_true(fs >= 0);
    assert_int_equal(f->ev[fs].value, 64);
    fx_advance(f, SALT_PERIOD_S * NS_PER_S);
    assert_int_equal(sess_client_salt(&f->cli), sess_server_salt(&f->srv));
    /* get_future_salts out of 1..64: rpc_error and FUTURE_SALTS_NUM_RANGE. */
    st32le(q + 4, 65);
    assert_int_equal(sess_client_send(&f->cli, q, 8, &f->cout, &id), MT_OK);
    mt_msg m = f->cmsgs[0];
    sess_out_clear(&f->cout);
    assert_int_equal(sess_server_feed(&f->srv, sess_client_salt(&f->cli), SESSION_ID, &m, &f->sout),
                     MT_E_FUTURE_SALTS_NUM_RANGE);
    assert_non_null(fx_find_out(&f->sout, MTP_ID_rpc_result));
    free(f);
}

static void test_skewed_clock_resync(void **state)
{
    (void)state;
    fixture *f = fx_new(-400); /* the client is 400 s behind */
    uint64_t id;
    assert_int_equal(sess_client_ping(&f->cli, 5, 0, &f->cout, &id), MT_OK);
    fx_pump(f);
    int rs = fx_find_event(f, SESS_EV_RESENT);
    assert_true(rs >= 0);
    assert_int_equal(f->ev[rs].code, 16);
    assert_true(fx_find_event(f, SESS_EV_PONG) >= 0);
    /* The offset now matches the server's clock within a second. */
    int64_t off = f->cli.core.gen.offset_ns - 400 * (int64_t)NS_PER_S;
    assert_true(off < (int64_t)NS_PER_S && off > -(int64_t)NS_PER_S);
    free(f);
}

static void test_new_session_and_destroy(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    uint64_t id;
    assert_int_equal(sess_client_ping(&f->cli, 1, 0, &f->cout, &id), MT_OK);
    fx_pump(f);
    /* The client starts a new session: new_session_created again, then destroy the old one. */
    f->cli.session_id = SESSION_ID + 1;
    f->nev = 0;
    uint8_t q[12];
    mt_wr w = wr_init(q, sizeof q);
    wr_u32le(&w, MTP_ID_destroy_session);
    tl_wr_long(&w, (int64_t)SESSION_ID);
    assert_int_equal(sess_client_send(&f->cli, q, 12, &f->cout, &id), MT_OK);
    fx_pump(f);
    assert_true(fx_find_event(f, SESS_EV_NEW_SESSION) >= 0);
    int sv = fx_find_event(f, SESS_EV_SERVICE);
    assert_true(sv >= 0);
    assert_int_equal(ld32le(f->ev[sv].body), MTP_ID_destroy_session_ok);
    /* Twice: none. */
    f->nev = 0;
    assert_int_equal(sess_client_send(&f->cli, q, 12, &f->cout, &id), MT_OK);
    fx_pump(f);
    sv = fx_find_event(f, SESS_EV_SERVICE);
    assert_true(sv >= 0);
    assert_int_equal(ld32le(f->ev[sv].body), MTP_ID_destroy_session_none);
    free(f);
}

/* A server message to the client: bad_msg_notification about id with code. */
static int client_gets_bad_msg(fixture *f, uint64_t id, int32_t code)
{
    uint8_t b[20];
    mt_wr w = wr_init(b, sizeof b);
    wr_u32le(&w, MTP_ID_bad_msg_notification);
    tl_wr_long(&w, (int64_t)id);
    tl_wr_int(&w, 1);
    tl_wr_int(&w, code);
    uint64_t sid;
    assert_int_equal(
        msgid_next(&f->srv.core.gen, &f->sclock.clock, &f->srng.rng, MSGID_SERVER_RESPONSE, &sid),
        MT_OK);
    mt_msg m = {sid, 2, b, sizeof b};
    return sess_client_feed(&f->cli, &m, &f->cout);
}

static void test_client_reacts_to_each_code(void **state)
{
    (void)state;
    static const int32_t fatal[] = {18, 19, 32, 33, 34, 35, 64};
    static const int rules[] = {MT_E_MSGID_BAD_PARITY,    MT_E_CONTAINER_MSGID_REUSED,
                                MT_E_SEQNO_TOO_LOW,       MT_E_SEQNO_TOO_HIGH,
                                MT_E_SEQNO_EXPECTED_EVEN, MT_E_SEQNO_EXPECTED_ODD,
                                MT_E_CONTAINER_INVALID};
    for (size_t i = 0; i < 7; i++) {
        fixture *f = fx_new(0);
        uint64_t id;
        assert_int_equal(sess_client_ping(&f->cli, 1, 0, &f->cout, &id), MT_OK);
        assert_int_equal(client_gets_bad_msg(f, id, fatal[i]), MT_OK);
        int e = fx_find_event(f, SESS_EV_FATAL);
        assert_true(e >= 0);
        assert_int_equal(f->ev[e].rule, rules[i]);
        assert_int_equal(f->ev[e].code, fatal[i]);
        assert_int_equal(sess_client_ping(&f->cli, 2, 0, &f->cout, &id), rules[i]);
        free(f);
    }
    static const int32_t resend[] = {16, 17, 20};
    for (size_t i = 0; i < 3; i++) {
        fixture *f = fx_new(0);
        uint64_t id;
        assert_int_equal(sess_client_ping(&f->cli, 1, 0, &f->cout, &id), MT_OK);
        /* Not an id the client sent: not trusted. */
        assert_int_equal(client_gets_bad_msg(f, id + 4, resend[i]),
                         MT_E_BAD_MSG_NOTIFICATION_UNKNOWN_ID);
        assert_int_equal(client_gets_bad_msg(f, id, resend[i]), MT_OK);
        int e = fx_find_event(f, SESS_EV_RESENT);
        assert_true(e >= 0);
        assert_int_equal(f->ev[e].ref_id, id);
        assert_true(f->ev[e].msg_id > id);
        assert_int_equal(f->cout.n, 2);
        assert_int_equal(f->cout.msgs[1].msg_id, f->ev[e].msg_id);
        free(f);
    }
    fixture *f = fx_new(0);
    uint64_t id;
    assert_int_equal(sess_client_ping(&f->cli, 1, 0, &f->cout, &id), MT_OK);
    assert_int_equal(client_gets_bad_msg(f, id, 21), MT_E_BAD_MSG_NOTIFICATION_UNKNOWN_CODE);
    free(f);
}

static void test_client_inbound_checks(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    uint8_t b[12];
    mt_wr w = wr_init(b, sizeof b);
    wr_u32le(&w, MTP_ID_msgs_ack);
    wr_u32le(&w, TL_ID_VECTOR);
    wr_u32le(&w, 0);
    uint64_t base = msgid_from_ns(f->sclock.ns) | 1;
    mt_msg m = {base - 1, 0, b, 12};
    assert_int_equal(sess_client_feed(&f->cli, &m, &f->cout), MT_E_SERVER_MSGID_EVEN);
    m.msg_id = base;
    assert_int_equal(sess_client_feed(&f->cli, &m, &f->cout), MT_OK); /* syncs the clock */
    assert_int_equal(sess_client_feed(&f->cli, &m, &f->cout), MT_E_MSGID_DUPLICATE);
    m.msg_id = base + (31ull << 32);
    assert_int_equal(sess_client_feed(&f->cli, &m, &f->cout), MT_E_SERVER_MSGID_TIME_WINDOW);
    for (uint32_t i = 1; i <= SESS_MSGID_WINDOW; i++) {
        m.msg_id = base + 4 * i;
        assert_int_equal(sess_client_feed(&f->cli, &m, &f->cout), MT_OK);
    }
    m.msg_id = base;
    assert_int_equal(sess_client_feed(&f->cli, &m, &f->cout), MT_E_SERVER_MSGID_BELOW_WINDOW);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ping_pong_and_acks),
        cmocka_unit_test(test_rpc_and_unknown),
        cmocka_unit_test(test_salt_change),
        cmocka_unit_test(test_skewed_clock_resync),
        cmocka_unit_test(test_new_session_and_destroy),
        cmocka_unit_test(test_client_reacts_to_each_code),
        cmocka_unit_test(test_client_inbound_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
