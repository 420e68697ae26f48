/* The server engine (proto/session.h) on a virtual clock: each bad_msg_notification code (16, 17,
 * 18, 19, 20, 32, 33, 34, 35, 64), bad_server_salt (48) with the right salt, and the service
 * messages: pong, ping_delay_disconnect, acks, msg_resend_req, msgs_state_req, destroy_session,
 * get_future_salts, http_wait, rpc_result / rpc_error, gzip_packed queries and limits. */
#include "session_fixture.h"

static uint64_t next_id; /* client ids handed out by cid() */

/* A client msg_id offset_s seconds from server time, above every earlier one. */
static uint64_t cid(fixture *f, int64_t offset_s)
{
    uint64_t t = (uint64_t)((int64_t)f->sclock.ns + offset_s * (int64_t)NS_PER_S);
    uint64_t id = msgid_from_ns(t) & ~(uint64_t)3;
    if (offset_s == 0 && id <= next_id)
        id = next_id + 4;
    if (offset_s == 0)
        next_id = id;
    return id;
}

static size_t ping_body(uint8_t b[12], int64_t ping_id)
{
    mt_wr w = wr_init(b, 12);
    wr_u32le(&w, MTP_ID_ping);
    tl_wr_long(&w, ping_id);
    return wr_len(&w);
}

static int feed(fixture *f, uint64_t id, uint32_t seqno, const uint8_t *body, size_t len)
{
    sess_out_clear(&f->sout);
    mt_msg m = {id, seqno, body, len};
    return sess_server_feed(&f->srv, sess_server_salt(&f->srv), SESSION_ID, &m, &f->sout);
}

/* The bad_msg_notification in the output must name id with code. */
static void expect_bad_msg(fixture *f, uint64_t id, int code)
{
    const mt_msg *m = fx_find_out(&f->sout, MTP_ID_bad_msg_notification);
    assert_non_null(m);
    assert_int_equal(m->len, 20);
    assert_int_equal(ld64le(m->body + 4), id);
    assert_int_equal((int32_t)ld32le(m->body + 16), code);
    assert_int_equal(m->msg_id & 3, 1); /* an answer */
    assert_int_equal(m->seqno & 1, 0);  /* needs no ack */
}

/* A fixture with an open session (the first ping answered). */
static fixture *open_session(void)
{
    fixture *f = fx_new(0);
    next_id = 0;
    uint8_t b[12];
    uint64_t id = cid(f, 0);
    assert_int_equal(feed(f, id, 1, b, ping_body(b, 1)), MT_OK);
    const mt_msg *ns = fx_find_out(&f->sout, MTP_ID_new_session_created);
    assert_non_null(ns);
    assert_int_equal(ld64le(ns->body + 4), id); /* first_msg_id */
    assert_int_equal((int64_t)ld64le(ns->body + 20), sess_server_salt(&f->srv));
    assert_int_equal(ns->seqno & 1, 1); /* must be acked */
    assert_int_equal(ns->msg_id & 3, 3);
    const mt_msg *pong = fx_find_out(&f->sout, MTP_ID_pong);
    assert_non_null(pong);
    assert_int_equal(ld64le(pong->body + 4), id);
    assert_int_equal(ld64le(pong->body + 12), 1);
    return f;
}

static void test_codes_16_17_18(void **state)
{
    (void)state;
    fixture *f = open_session();
    uint8_t b[12];
    ping_body(b, 2);
    uint64_t id = cid(f, -301);
    assert_int_equal(feed(f, id, 3, b, 12), MT_E_MSGID_TOO_LOW);
    expect_bad_msg(f, id, 16);
    id = cid(f, 31);
    assert_int_equal(feed(f, id, 3, b, 12), MT_E_MSGID_TOO_HIGH);
    expect_bad_msg(f, id, 17);
    id = cid(f, 0) + 2;
    assert_int_equal(feed(f, id, 3, b, 12), MT_E_MSGID_BAD_PARITY);
    expect_bad_msg(f, id, 18);
    /* Near the edge is accepted (an ack: an earlier id may not carry a higher seqno). */
    uint8_t ack[12];
    st32le(ack, MTP_ID_msgs_ack);
    st32le(ack + 4, TL_ID_VECTOR);
    st32le(ack + 8, 0);
    assert_int_equal(feed(f, cid(f, -299), 0, ack, 12), MT_OK);
    free(f);
}

static void test_codes_19_20_duplicate(void **state)
{
    (void)state;
    fixture *f = open_session();
    uint8_t b[12], c[64];
    uint64_t id = cid(f, 0);
    assert_int_equal(feed(f, id, 3, b, ping_body(b, 2)), MT_OK);
    assert_int_equal(feed(f, id, 3, b, 12), MT_E_MSGID_DUPLICATE);
    assert_int_equal(f->sout.n, 0); /* a duplicate is dropped silently */
    /* A container whose id is that of a received message: 19. */
    mt_wr w = wr_init(c, sizeof c);
    wr_u32le(&w, MTP_ID_msg_container);
    wr_u32le(&w, 0);
    assert_int_equal(feed(f, id, 4, c, wr_len(&w)), MT_E_CONTAINER_MSGID_REUSED);
    expect_bad_msg(f, id, 19);
    /* Fill the window with acks (no answers), then go below it: 20. */
    uint8_t ack[8] = {0};
    st32le(ack, MTP_ID_msgs_ack);
    st32le(ack + 4, TL_ID_VECTOR);
    uint8_t ackb[12];
    memcpy(ackb, ack, 8);
    st32le(ackb + 8, 0);
    uint64_t low = id - 8; /* below the first ping, which falls out too */
    for (uint32_t i = 0; i < SESS_MSGID_WINDOW; i++)
        assert_int_equal(feed(f, cid(f, 0), 4, ackb, 12), MT_OK);
    assert_int_equal(feed(f, low, 4, ackb, 12), MT_E_MSG_TOO_OLD);
    expect_bad_msg(f, low, 20);
    free(f);
}

static void test_codes_32_to_35(void **state)
{
    (void)state;
    fixture *f = open_session(); /* ping with seqno 1 received */
    uint8_t b[12], ack[12];
    ping_body(b, 3);
    st32le(ack, MTP_ID_msgs_ack);
    st32le(ack + 4, TL_ID_VECTOR);
    st32le(ack + 8, 0);
    uint64_t id = cid(f, 0);
    assert_int_equal(feed(f, id, 1, b, 12), MT_E_SEQNO_TOO_LOW); /* same odd seqno as before */
    expect_bad_msg(f, id, 32);
    id = cid(f, 0);
    assert_int_equal(feed(f, id, 4, b, 12), MT_E_SEQNO_EXPECTED_ODD);
    expect_bad_msg(f, id, 35);
    id = cid(f, 0);
    assert_int_equal(feed(f, id, 3, ack, 12), MT_E_SEQNO_EXPECTED_EVEN);
    expect_bad_msg(f, id, 34);
    uint64_t hi = cid(f, 0);
    assert_int_equal(feed(f, hi, 9, b, 12), MT_OK);
    /* An earlier id with a higher seqno than a later message: 33. */
    id = hi - 64;
    assert_int_equal(feed(f, id, 11, b, 12), MT_E_SEQNO_TOO_HIGH);
    expect_bad_msg(f, id, 33);
    free(f);
}

static void test_code_48_salt(void **state)
{
    (void)state;
    fixture *f = open_session();
    uint8_t b[12];
    ping_body(b, 4);
    uint64_t id = cid(f, 0);
    mt_msg m = {id, 3, b, 12};
    sess_out_clear(&f->sout);
    int64_t good = sess_server_salt(&f->srv);
    assert_int_equal(sess_server_feed(&f->srv, good ^ 0x55, SESSION_ID, &m, &f->sout),
                     MT_E_BAD_SERVER_SALT);
    const mt_msg *r = fx_find_out(&f->sout, MTP_ID_bad_server_salt);
    assert_non_null(r);
    assert_int_equal(ld64le(r->body + 4), id);
    assert_int_equal(ld32le(r->body + 16), 48);
    assert_int_equal((int64_t)ld64le(r->body + 20), good);
    /* Across a rotation the old salt stays good for the grace period, then 48 again. */
    vclock_advance(&f->sclock, SALT_PERIOD_S * NS_PER_S);
    assert_true(sess_server_salt(&f->srv) != good);
    m.msg_id = cid(f, 0);
    assert_int_equal(sess_server_feed(&f->srv, good, SESSION_ID, &m, &f->sout), MT_OK);
    vclock_advance(&f->sclock, SALT_GRACE_S * NS_PER_S);
    m.msg_id = cid(f, 0);
    m.seqno = 5;
    assert_int_equal(sess_server_feed(&f->srv, good, SESSION_ID, &m, &f->sout),
                     MT_E_BAD_SERVER_SALT);
    free(f);
}

/* A container of n pings (ids below cont_id, seqnos 2k+1) into buf; returns its length. */
static size_t make_container(fixture *f, uint8_t *buf, size_t cap, size_t n, uint64_t *cont_id)
{
    static mt_msg ms[CONTAINER_MAX_MESSAGES + 1];
    static uint8_t bodies[CONTAINER_MAX_MESSAGES + 1][12];
    for (size_t i = 0; i < n; i++) {
        ping_body(bodies[i], (int64_t)i);
        ms[i] = (mt_msg){cid(f, 0), (uint32_t)(2 * i + 3), bodies[i], 12};
    }
    *cont_id = cid(f, 0);
    mt_wr w = wr_init(buf, cap);
    assert_int_equal(container_pack(&w, ms, n), MT_OK);
    return wr_len(&w);
}

static void test_code_64_containers(void **state)
{
    (void)state;
    fixture *f = open_session();
    static uint8_t c[CONTAINER_HEADER_SIZE + 1100 * 28];
    uint64_t cont;
    /* A good container of 1024 pings: 1024 pongs. */
    size_t len = make_container(f, c, sizeof c, 1024, &cont);
    assert_int_equal(feed(f, cont, 2 * 1024 + 2, c, len), MT_OK);
    size_t pongs = 0;
    for (size_t i = 0; i < f->sout.n; i++)
        pongs += ld32le(f->sout.msgs[i].body) == MTP_ID_pong;
    assert_int_equal(pongs, 1024);
    len = make_container(f, c, sizeof c, 1025, &cont);
    assert_int_equal(feed(f, cont, 4000, c, len), MT_E_CONTAINER_TOO_MANY);
    expect_bad_msg(f, cont, 64);
    assert_null(fx_find_out(&f->sout, MTP_ID_pong)); /* refused whole */
    len = make_container(f, c, sizeof c, 2, &cont);
    assert_int_equal(feed(f, cont, 2, c, len), MT_E_CONTAINER_SEQNO_BELOW_INNER);
    expect_bad_msg(f, cont, 64);
    assert_int_equal(feed(f, cont + 4, 3, c, len), MT_E_SEQNO_EXPECTED_EVEN);
    len = make_container(f, c, sizeof c, 2, &cont);
    assert_int_equal(feed(f, ld64le(c + 8) - 4, 100, c, len), MT_E_CONTAINER_INNER_ID_NOT_BELOW);
    st32le(c + 8 + 16, MTP_ID_msg_container); /* the first body becomes a container */
    assert_int_equal(feed(f, cont, 100, c, len), MT_E_CONTAINER_NESTED);
    expect_bad_msg(f, cont, 64);
    st32le(c + 8 + 12, 5); /* its length is no multiple of 4 */
    assert_int_equal(feed(f, cid(f, 0), 100, c, len), MT_E_CONTAINER_INVALID);
    free(f);
}

/* A boxed Vector<long> request (msgs_ack, msgs_state_req, msg_resend_req) of n ids. */
static size_t ids_body(uint8_t *b, uint32_t ctor, const uint64_t *ids, uint32_t n)
{
    mt_wr w = wr_init(b, 12 + 8 * (size_t)n);
    wr_u32le(&w, ctor);
    tl_wr_vector(&w, true, n);
    for (uint32_t i = 0; i < n; i++)
        tl_wr_long(&w, (int64_t)(ids ? ids[i] : i));
    return wr_len(&w);
}

static void test_services(void **state)
{
    (void)state;
    fixture *f = open_session();
    uint64_t first = f->srv.core.seen.e[0].id;
    uint64_t pong_id = fx_find_out(&f->sout, MTP_ID_pong)->msg_id;
    static uint8_t b[12 + 8 * (SESS_MAX_IDS + 1)];
    /* msgs_state_req: received (4), too high (3), not a client id (1). */
    uint64_t q[3] = {first, first + (1ull << 32), first + 1};
    uint64_t id = cid(f, 0);
    assert_int_equal(feed(f, id, 3, b, ids_body(b, MTP_ID_msgs_state_req, q, 3)), MT_OK);
    const mt_msg *si = fx_find_out(&f->sout, MTP_ID_msgs_state_info);
    assert_non_null(si);
    assert_int_equal(ld64le(si->body + 4), id);
    assert_int_equal(si->body[12], 3);
    assert_int_equal(si->body[13] & 7, 4);
    assert_int_equal(si->body[14], 3);
    assert_int_equal(si->body[15], 1);
    /* msg_resend_req of a kept message resends it as it was; of an unknown one: state info. */
    assert_int_equal(feed(f, cid(f, 0), 5, b, ids_body(b, MTP_ID_msg_resend_req, &pong_id, 1)),
                     MT_OK);
    assert_int_equal(f->sout.n, 1);
    assert_int_equal(f->sout.msgs[0].msg_id, pong_id);
    uint64_t unknown[2] = {pong_id, pong_id + 4};
    assert_int_equal(feed(f, cid(f, 0), 7, b, ids_body(b, MTP_ID_msg_resend_req, unknown, 2)),
                     MT_OK);
    si = fx_find_out(&f->sout, MTP_ID_msgs_state_info);
    assert_non_null(si);
    assert_int_equal(si->body[13], 4);
    assert_int_equal(si->body[14], 1); /* never sent: nothing known */
    /* msgs_ack over 8192 ids: -429 and close. */
    assert_int_equal(feed(f, cid(f, 0), 8, b, ids_body(b, MTP_ID_msgs_ack, NULL, SESS_MAX_IDS)),
                     MT_OK);
    assert_int_equal(feed(f, cid(f, 0), 8, b, ids_body(b, MTP_ID_msgs_ack, NULL, SESS_MAX_IDS + 1)),
                     MT_E_ACK_TOO_MANY_IDS);
    assert_int_equal(f->srv.close_code, -429);
    assert_int_equal(f->srv.close_at_ns, f->sclock.ns);
    free(f);
}

static void test_ping_delay_http_wait_malformed(void **state)
{
    (void)state;
    fixture *f = open_session();
    uint8_t b[20];
    mt_wr w = wr_init(b, sizeof b);
    wr_u32le(&w, MTP_ID_ping_delay_disconnect);
    tl_wr_long(&w, 9);
    tl_wr_int(&w, 75);
    assert_int_equal(feed(f, cid(f, 0), 3, b, wr_len(&w)), MT_OK);
    assert_non_null(fx_find_out(&f->sout, MTP_ID_pong));
    assert_int_equal(f->srv.close_at_ns, f->sclock.ns + 75 * NS_PER_S);
    w = wr_init(b, sizeof b);
    wr_u32le(&w, MTP_ID_http_wait);
    tl_wr_int(&w, 10);
    tl_wr_int(&w, 20);
    tl_wr_int(&w, 30000);
    assert_int_equal(feed(f, cid(f, 0), 5, b, wr_len(&w)), MT_OK);
    assert_int_equal(f->srv.http_wait[2], 30000);
    /* A ping cut short is malformed, and dropped. */
    assert_int_equal(feed(f, cid(f, 0), 7, b, 8), MT_E_MSG_BODY_MALFORMED);
    st32le(b, MTP_ID_ping);
    assert_int_equal(feed(f, cid(f, 0), 9, b, 8), MT_E_MSG_BODY_MALFORMED);
    assert_int_equal(f->sout.n, 0);
    free(f);
}

static void test_gzip_queries(void **state)
{
    (void)state;
    fixture *f = open_session();
    uint8_t q[64], packed[256];
    st32le(q, 0xC0FFEE00u);
    memset(q + 4, 0, 60);
    size_t plen;
    assert_int_equal(gzip_packed_pack(q, sizeof q, packed, sizeof packed, &plen), MT_OK);
    /* gzip_packed is judged by what it packs: a query, content-related (odd seqno). */
    uint64_t id = cid(f, 0);
    assert_int_equal(feed(f, id, 3, packed, plen), MT_OK);
    const mt_msg *r = fx_find_out(&f->sout, MTP_ID_rpc_result);
    assert_non_null(r);
    assert_int_equal(ld64le(r->body + 4), id);
    /* A query unpacking beyond the work buffer is a bomb, dropped. */
    static uint8_t big[1 << 17], bigp[1 << 12];
    st32le(big, 0xC0FFEE00u);
    assert_int_equal(gzip_packed_pack(big, sizeof big, bigp, sizeof bigp, &plen), MT_OK);
    assert_int_equal(feed(f, cid(f, 0), 5, bigp, plen), MT_E_GZIP_BOMB);
    assert_int_equal(f->sout.n, 0);
    bigp[5] ^= 0xff; /* the gzip magic, after a 1- or 4-byte length */
    bigp[8] ^= 0xff;
    assert_int_equal(feed(f, cid(f, 0), 5, bigp, plen), MT_E_GZIP_INVALID);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_16_17_18),
        cmocka_unit_test(test_codes_19_20_duplicate),
        cmocka_unit_test(test_codes_32_to_35),
        cmocka_unit_test(test_code_48_salt),
        cmocka_unit_test(test_code_64_containers),
        cmocka_unit_test(test_services),
        cmocka_unit_test(test_ping_delay_http_wait_malformed),
        cmocka_unit_test(test_gzip_queries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
