/* The seqno parity of server messages (SERVER_SEQNO_PARITY; proto/session_check.h): one predicate,
 * sess_server_content_related, numbers what the server engine sends and checks what the client
 * engine receives. "Content-related: a message requiring an explicit acknowledgment"
 * (mtproto/description) is odd; msgs_ack, containers and the bad_msg_notification /
 * bad_server_salt notifications ("these notifications need no ack") are even; gzip_packed
 * follows the object it packs; each message of a container is checked on its own. */
#include "session_fixture.h"

#include "proto/container.h"
#include "proto/session_check.h"

/* new_session_created {first_msg_id, unique_id, server_salt}: content-related. */
static size_t new_session_body(uint8_t *b)
{
    st32le(b, MTP_ID_new_session_created);
    st64le(b + 4, 4);
    st64le(b + 12, 1);
    st64le(b + 20, 5);
    return 28;
}

/* msgs_ack with no ids: not content-related. */
static size_t ack_body(uint8_t *b)
{
    st32le(b, MTP_ID_msgs_ack);
    st32le(b + 4, TL_ID_VECTOR);
    st32le(b + 8, 0);
    return 12;
}

/* The next server msg_id of the fixture (odd, increasing, inside the time window). */
static uint64_t next_id(fixture *f)
{
    static uint32_t k;
    return (msgid_from_ns(f->sclock.ns) | 1) + 4 * (uint64_t)++k;
}

static int feed(fixture *f, const uint8_t *b, size_t n, uint32_t seqno)
{
    mt_msg m = {next_id(f), seqno, b, n};
    return sess_client_feed(&f->cli, &m, &f->cout);
}

static void test_predicate(void **state)
{
    (void)state;
    assert_true(sess_server_content_related(MTP_ID_new_session_created));
    assert_true(sess_server_content_related(MTP_ID_rpc_result));
    assert_true(sess_server_content_related(MTP_ID_pong));
    assert_true(sess_server_content_related(MTP_ID_future_salts));
    assert_false(sess_server_content_related(MTP_ID_msgs_ack));
    assert_false(sess_server_content_related(MTP_ID_msg_container));
    assert_false(sess_server_content_related(MTP_ID_bad_msg_notification));
    assert_false(sess_server_content_related(MTP_ID_bad_server_salt));
    /* What a client sends is judged without the server's exceptions. */
    assert_true(sess_is_content_related(MTP_ID_bad_msg_notification));
    assert_int_equal(sess_check_server_seqno(MTP_ID_pong, 3), MT_OK);
    assert_int_equal(sess_check_server_seqno(MTP_ID_pong, 4), MT_E_SERVER_SEQNO_PARITY);
    assert_int_equal(sess_check_server_seqno(MTP_ID_bad_server_salt, 4), MT_OK);
    assert_int_equal(sess_check_server_seqno(MTP_ID_bad_server_salt, 5), MT_E_SERVER_SEQNO_PARITY);
}

static void test_client_checks_each_message(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    uint8_t b[64];
    size_t n = new_session_body(b);
    assert_int_equal(feed(f, b, n, 2), MT_E_SERVER_SEQNO_PARITY);
    assert_int_equal(feed(f, b, n, 3), MT_OK);
    n = ack_body(b);
    assert_int_equal(feed(f, b, n, 5), MT_E_SERVER_SEQNO_PARITY);
    assert_int_equal(feed(f, b, n, 4), MT_OK);
    /* A notification is refused on its parity before its bad_msg_id is even looked at. */
    st32le(b, MTP_ID_bad_msg_notification);
    st64le(b + 4, 1);
    st32le(b + 12, 1);
    st32le(b + 16, 16);
    assert_int_equal(feed(f, b, 20, 5), MT_E_SERVER_SEQNO_PARITY);
    free(f);
}

static void test_gzip_follows_packed_object(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    uint8_t b[64], z[256];
    size_t zn;
    size_t n = new_session_body(b);
    assert_int_equal(gzip_packed_pack(b, n, z, sizeof z, &zn), MT_OK);
    assert_int_equal(feed(f, z, zn, 6), MT_E_SERVER_SEQNO_PARITY);
    assert_int_equal(feed(f, z, zn, 7), MT_OK);
    n = ack_body(b);
    assert_int_equal(gzip_packed_pack(b, n, z, sizeof z, &zn), MT_OK);
    assert_int_equal(feed(f, z, zn, 9), MT_E_SERVER_SEQNO_PARITY);
    assert_int_equal(feed(f, z, zn, 8), MT_OK);
    free(f);
}

/* A container is even whatever it holds; each inner message is checked, and the others still
 * go through (the rule is reported, the engine's caller drops the connection). */
static void test_container(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    uint8_t ns[28], ack[12], c[256];
    size_t nn = new_session_body(ns), na = ack_body(ack);
    mt_msg in[2];
    in[0] = (mt_msg){next_id(f), 3, ns, nn};
    in[1] = (mt_msg){next_id(f), 4, ack, na};
    mt_wr w = wr_init(c, sizeof c);
    assert_int_equal(container_pack(&w, in, 2), MT_OK);
    mt_msg m = {next_id(f), 5, c, (size_t)(w.p - w.start)};
    assert_int_equal(sess_client_feed(&f->cli, &m, &f->cout), MT_E_SERVER_SEQNO_PARITY);
    m.msg_id = next_id(f);
    m.seqno = 4;
    assert_int_equal(sess_client_feed(&f->cli, &m, &f->cout), MT_OK);
    in[0] = (mt_msg){next_id(f), 4, ns, nn}; /* content-related made even */
    in[1] = (mt_msg){next_id(f), 4, ack, na};
    w = wr_init(c, sizeof c);
    assert_int_equal(container_pack(&w, in, 2), MT_OK);
    m = (mt_msg){next_id(f), 4, c, (size_t)(w.p - w.start)};
    assert_int_equal(sess_client_feed(&f->cli, &m, &f->cout), MT_E_SERVER_SEQNO_PARITY);
    free(f);
}

/* The server engine numbers with the same predicate: a notification it sends is even. */
static void test_server_engine_agrees(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    uint64_t id;
    assert_int_equal(sess_client_ping(&f->cli, 1, 0, &f->cout, &id), MT_OK);
    mt_msg m = f->cmsgs[0];
    m.msg_id |= 2; /* not a client id: bad_msg_notification 18 */
    sess_out_clear(&f->cout);
    assert_int_equal(sess_server_feed(&f->srv, sess_client_salt(&f->cli), SESSION_ID, &m, &f->sout),
                     MT_E_MSGID_BAD_PARITY);
    const mt_msg *bad = fx_find_out(&f->sout, MTP_ID_bad_msg_notification);
    assert_non_null(bad);
    assert_int_equal(bad->seqno & 1, 0);
    for (size_t i = 0; i < f->sout.n; i++) {
        const mt_msg *o = &f->sout.msgs[i];
        assert_int_equal(sess_check_server_seqno(ld32le(o->body), o->seqno), MT_OK);
    }
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_predicate),
        cmocka_unit_test(test_client_checks_each_message),
        cmocka_unit_test(test_gzip_follows_packed_object),
        cmocka_unit_test(test_container),
        cmocka_unit_test(test_server_engine_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
