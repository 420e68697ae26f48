/* The server engine's public API for messages a caller adds (proto/session.h): sess_server_push
 * (server-initiated: msg_id mod 4 = 3, odd seqno when content-related, kept for resends and
 * acked by the client), sess_server_reply (mod 4 = 1), sess_server_container_id, and
 * sess_server_next_timer; and a salt schedule shared by two engines (sess_server_cfg.salts). */
#include "session_fixture.h"

#define UPDATE_ID 0x7a7a7a7au /* any object the client does not know: an update */

static void push_and_reply(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    uint8_t q[4];
    st32le(q, 0xC0FFEE00u);
    uint64_t qid;
    assert_int_equal(sess_client_send(&f->cli, q, sizeof q, &f->cout, &qid), 0);
    fx_pump(f); /* a session, the client's clock synced */
    f->nev = 0;
    uint8_t up[8];
    st32le(up, UPDATE_ID);
    st32le(up + 4, 99);
    uint64_t a, b, c;
    assert_int_equal(sess_server_push(&f->srv, up, sizeof up, &f->sout, &a), 0);
    assert_int_equal(sess_server_push(&f->srv, up, sizeof up, &f->sout, &b), 0);
    assert_int_equal(a % 4, 3);
    assert_true(b > a);
    assert_int_equal(f->smsgs[0].seqno % 2, 1); /* content-related */
    assert_int_equal(f->smsgs[1].seqno, f->smsgs[0].seqno + 2);
    uint8_t ack[20];
    st32le(ack, MTP_ID_msgs_ack);
    st32le(ack + 4, TL_ID_VECTOR);
    st32le(ack + 8, 1);
    st64le(ack + 12, qid);
    assert_int_equal(sess_server_reply(&f->srv, ack, sizeof ack, &f->sout, &c), 0);
    assert_int_equal(c % 4, 1);
    assert_int_equal(f->smsgs[2].seqno % 2, 0); /* msgs_ack: not content-related */
    uint64_t cid;
    uint32_t cseq;
    assert_int_equal(sess_server_container_id(&f->srv, &cid, &cseq), 0);
    assert_true(cid > c && cid % 4 == 3);
    assert_int_equal(cseq, f->smsgs[1].seqno + 1); /* even, after the last content-related */
    /* The client takes both updates and owes acks for them: its next timer sends them. */
    fx_pump(f);
    size_t updates = 0;
    for (size_t i = 0; i < f->nev; i++)
        updates += f->ev[i].kind == SESS_EV_UPDATE;
    assert_int_equal(updates, 2);
    fx_advance(f, SESS_ACK_DELAY_NS);
    assert_int_equal(sess_client_tick(&f->cli, &f->cout), 0);
    const mt_msg *m = fx_find_out(&f->cout, MTP_ID_msgs_ack);
    assert_non_null(m);
    bool acked_a = false, acked_b = false;
    for (uint32_t i = 0; i < ld32le(m->body + 8); i++) {
        acked_a |= ld64le(m->body + 12 + 8 * i) == a;
        acked_b |= ld64le(m->body + 12 + 8 * i) == b;
    }
    assert_true(acked_a && acked_b);
    free(f);
}

static void next_timer(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    assert_true(sess_server_next_timer(&f->srv) == UINT64_MAX);
    uint8_t q[4];
    st32le(q, 0xC0FFEE00u);
    uint64_t id;
    assert_int_equal(sess_client_send(&f->cli, q, sizeof q, &f->cout, &id), 0);
    int64_t salt = sess_client_salt(&f->cli);
    uint64_t t = clock_now(&f->sclock.clock);
    assert_int_equal(sess_server_feed(&f->srv, salt, f->cli.session_id, &f->cmsgs[0], &f->sout),
                     MT_OK);
    /* The query is answered; its ack waits at most SESS_ACK_DELAY_NS. */
    assert_true(sess_server_next_timer(&f->srv) <= t + SESS_ACK_DELAY_NS);
    f->srv.close_at_ns = t + 5;
    assert_true(sess_server_next_timer(&f->srv) == t + 5);
    free(f);
}

/* Two engines on one schedule (one auth key, two sessions) accept and announce the same salts. */
static void shared_salts(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    static sess_salts key_salts;
    uint32_t now = (uint32_t)(clock_now(&f->sclock.clock) / NS_PER_S);
    salts_init(&key_salts);
    salts_learn(&key_salts, 0x0123456789abcdefll, now, now + SALT_PERIOD_S);
    static sess_server s1, s2;
    sess_server_cfg sc = {&f->sclock.clock, &f->srng.rng,    fx_rpc,    f,
                          f->swork,         sizeof f->swork, &key_salts};
    assert_int_equal(sess_server_init(&s1, &sc), 0);
    assert_int_equal(sess_server_init(&s2, &sc), 0);
    assert_true(sess_server_salt(&s1) == 0x0123456789abcdefll);
    assert_true(sess_server_salts(&s2) == &key_salts);
    assert_int_equal(key_salts.n, SALT_FUTURE_MAX); /* refreshed once, shared */
    assert_int_equal(key_salts.s[1].valid_since, now + SALT_PERIOD_S);
    /* A salt refused by one is refused by the other, with the same new salt. */
    fx_advance(f, 2 * (uint64_t)SALT_PERIOD_S * NS_PER_S + NS_PER_S);
    assert_true(sess_server_salt(&s1) == sess_server_salt(&s2));
    assert_true(sess_server_salt(&s1) == key_salts.s[2].salt);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(push_and_reply),
        cmocka_unit_test(next_timer),
        cmocka_unit_test(shared_salts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
