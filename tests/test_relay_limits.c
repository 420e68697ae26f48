/* The relay's limits (relay_limits), each with its reaction: MT_E_RELAY_TOO_MANY_CONNS (-429
 * in the client's framing once its first bytes arrive), MT_E_RELAY_FRAME_TOO_LONG (-429),
 * MT_E_RELAY_HANDSHAKE_RATE (-429), MT_E_RELAY_IDLE_TIMEOUT (close, on the virtual clock),
 * MT_E_RELAY_SLOW_READER (-429 for the slow one, FLOOD for its peer, the others unaffected); HTTP
 * long polling. */
#include "relay_loop.h"

#include "common/cursor.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"
#include "proto/tl_rly.h"

static void too_many_conns(void **state)
{
    (void)state;
    relay_config cfg = {.limits = {.max_conns = 1}};
    rl_relay rr;
    rl_relay_new(&rr, &cfg);
    rl_client a, b;
    rl_open(&a, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 1);
    rl_open(&b, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 2);
    assert_int_not_equal(rl_handshake(&b, HS_KEY_PERM, 0), 0);
    assert_int_equal(b.transport_error, -429);
    assert_true(b.closed);
    assert_int_equal(rl_handshake(&a, HS_KEY_PERM, 0), 0); /* the first is served */
    rl_free(&a);
    rl_free(&b);
    rl_relay_free(&rr);
}

/* Over max_conns the -429 waits for the client's first bytes (its framing): obfuscated2 and
 * HTTP clients read it in their own framing; a silent one is closed after
 * RELAY_OVERLIMIT_WAIT_NS without it. Such a connection holds no slot. */
static void too_many_conns_framing(void **state)
{
    (void)state;
    relay_config cfg = {.limits = {.max_conns = 1}};
    rl_relay rr;
    rl_relay_new(&rr, &cfg);
    rl_client a, o, h, s;
    rl_open(&a, &rr, MT_TRANSPORT_PADDED, false, false, 21);
    rl_open(&o, &rr, MT_TRANSPORT_ABRIDGED, true, false, 22);
    rl_open(&h, &rr, MT_TRANSPORT_INTERMEDIATE, false, true, 23);
    rl_open(&s, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 24);
    size_t n;
    for (uint32_t id = o.conn; id <= s.conn; id++) {
        assert_false(relay_closing(rr.r, id)); /* no framing known yet */
        assert_null(relay_output(rr.r, id, &n));
    }
    assert_int_not_equal(rl_handshake(&o, HS_KEY_PERM, 0), 0);
    assert_int_equal(o.transport_error, -429);
    assert_true(o.closed);
    assert_int_not_equal(rl_handshake(&h, HS_KEY_PERM, 0), 0);
    assert_int_equal(h.transport_error, -429); /* the HTTP status 429 */
    assert_true(h.closed);
    /* The silent one: relay_tick's deadline is the wait, then it closes with nothing sent. */
    uint64_t now = clock_now(&rr.clock.clock);
    assert_true(relay_tick(rr.r) <= now + RELAY_OVERLIMIT_WAIT_NS);
    vclock_advance(&rr.clock, RELAY_OVERLIMIT_WAIT_NS - 1);
    (void)relay_tick(rr.r);
    assert_false(relay_closing(rr.r, s.conn));
    vclock_advance(&rr.clock, 1);
    (void)relay_tick(rr.r);
    assert_true(relay_closing(rr.r, s.conn));
    assert_null(relay_output(rr.r, s.conn, &n));
    relay_stats st;
    relay_get_stats(rr.r, &st);
    assert_int_equal(st.conns_open, 1);
    assert_int_equal(rl_handshake(&a, HS_KEY_PERM, 0), 0); /* the first is served */
    rl_free(&a);
    rl_free(&o);
    rl_free(&h);
    rl_free(&s);
    rl_relay_free(&rr);
}

static void frame_too_long(void **state)
{
    (void)state;
    relay_config cfg = {.limits = {.max_frame = 4096}};
    rl_relay rr;
    rl_relay_new(&rr, &cfg);
    rl_client a;
    rl_open(&a, &rr, MT_TRANSPORT_ABRIDGED, false, false, 3);
    static uint8_t big[8192];
    st64le(big, 0x1111);
    assert_int_equal(rl_send_packet(&a, big, sizeof big), MT_E_RELAY_FRAME_TOO_LONG);
    rl_read(&a, NULL);
    assert_int_equal(a.transport_error, -429);
    assert_true(a.closed);
    rl_free(&a);
    rl_relay_free(&rr);
}

static void handshake_rate(void **state)
{
    (void)state;
    relay_config cfg = {.limits = {.handshakes_per_s = 1}};
    rl_relay rr;
    rl_relay_new(&rr, &cfg);
    rl_client a, b;
    rl_open(&a, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 4);
    rl_open(&b, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 5);
    assert_int_equal(rl_handshake(&a, HS_KEY_PERM, 0), 0);
    assert_int_not_equal(rl_handshake(&b, HS_KEY_PERM, 0), 0);
    assert_int_equal(b.transport_error, -429);
    rl_free(&b);
    vclock_advance(&rr.clock, NS_PER_S); /* the next second has a new budget */
    rl_open(&b, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 6);
    assert_int_equal(rl_handshake(&b, HS_KEY_PERM, 0), 0);
    rl_free(&a);
    rl_free(&b);
    rl_relay_free(&rr);
}

static void idle_timeout(void **state)
{
    (void)state;
    relay_config cfg = {.limits = {.idle_timeout_ns = 10 * NS_PER_S}};
    rl_relay rr;
    rl_relay_new(&rr, &cfg);
    rl_client a;
    rl_open(&a, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 7);
    assert_int_equal(rl_handshake(&a, HS_KEY_PERM, 0), 0);
    uint64_t next = relay_tick(rr.r);
    assert_true(next <= clock_now(&rr.clock.clock) + 10 * NS_PER_S);
    vclock_advance(&rr.clock, 9 * NS_PER_S);
    (void)relay_tick(rr.r);
    assert_false(relay_closing(rr.r, a.conn));
    vclock_advance(&rr.clock, 2 * NS_PER_S);
    (void)relay_tick(rr.r);
    assert_true(relay_closing(rr.r, a.conn));
    rl_read(&a, NULL);
    assert_true(a.closed);
    rl_free(&a);
    rl_relay_free(&rr);
}

/* relay_tick_conn runs one connection's timers (and returns its deadline), no other's: the idle
 * one is closed by its own tick or by relay_tick, not by a tick of its neighbour. */
static void tick_one_conn(void **state)
{
    (void)state;
    relay_config cfg = {.limits = {.idle_timeout_ns = 10 * NS_PER_S}};
    rl_relay rr;
    rl_relay_new(&rr, &cfg);
    rl_client a, b;
    rl_open(&a, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 8);
    rl_open(&b, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 9);
    assert_int_equal(rl_handshake(&a, HS_KEY_PERM, 0), 0);
    vclock_advance(&rr.clock, 5 * NS_PER_S);
    assert_int_equal(rl_handshake(&b, HS_KEY_PERM, 0), 0); /* b's input is 5 s later */
    uint64_t now = clock_now(&rr.clock.clock);
    assert_true(relay_tick_conn(rr.r, a.conn) <= now + 5 * NS_PER_S); /* a idles out first */
    assert_true(relay_tick_conn(rr.r, b.conn) <= now + 10 * NS_PER_S);
    assert_true(relay_tick_conn(rr.r, b.conn) > now + 5 * NS_PER_S);
    vclock_advance(&rr.clock, 6 * NS_PER_S);
    (void)relay_tick_conn(rr.r, b.conn);
    assert_false(relay_closing(rr.r, a.conn)); /* overdue, but only b was ticked */
    assert_false(relay_closing(rr.r, b.conn));
    (void)relay_tick_conn(rr.r, a.conn);
    assert_true(relay_closing(rr.r, a.conn));
    assert_false(relay_closing(rr.r, b.conn));
    (void)relay_tick_conn(rr.r, 999); /* an unknown connection: only the key table */
    vclock_advance(&rr.clock, 5 * NS_PER_S);
    (void)relay_tick(rr.r);
    assert_true(relay_closing(rr.r, b.conn));
    rl_free(&a);
    rl_free(&b);
    rl_relay_free(&rr);
}

static size_t q_join(uint8_t *q, const char *room)
{
    mt_wr w = wr_init(q, 128);
    wr_u32le(&w, RLY_ID_relay_join);
    tl_wr_int(&w, 1);
    tl_wr_string(&w, (const uint8_t *)room, strlen(room));
    return wr_len(&w);
}

/* b never reads: a's second send would pass b's max_pending. */
static void slow_reader(void **state)
{
    (void)state;
    relay_config cfg = {.limits = {.max_pending = 2000}};
    rl_relay rr;
    rl_relay_new(&rr, &cfg);
    rl_client a, b, other;
    rl_open(&a, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 8);
    rl_open(&b, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 9);
    rl_open(&other, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 10);
    assert_int_equal(rl_handshake(&a, HS_KEY_PERM, 0), 0);
    assert_int_equal(rl_handshake(&b, HS_KEY_PERM, 0), 0);
    assert_int_equal(rl_handshake(&other, HS_KEY_PERM, 0), 0);
    rl_session(&a);
    rl_session(&b);
    rl_session(&other);
    uint8_t q[1200];
    assert_non_null(rl_call(&a, q, q_join(q, "slow")));
    assert_non_null(rl_call(&b, q, q_join(q, "slow")));
    rl_poll(&a);
    mt_wr w = wr_init(q, sizeof q);
    wr_u32le(&w, RLY_ID_relay_send);
    static const uint8_t data[1000];
    tl_wr_string(&w, data, sizeof data);
    const sess_event *e = rl_call(&a, q, wr_len(&w));
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), 0x997275b5u);
    e = rl_call(&a, q, wr_len(&w));
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), MTP_ID_rpc_error);
    assert_int_equal(ld32le(e->body + 4), 420);
    assert_true(relay_closing(rr.r, b.conn));
    /* The slow one's output ends with -429; the others keep working. */
    rl_read(&b, NULL);
    assert_int_equal(b.transport_error, -429);
    assert_non_null(rl_call(&other, q, q_join(q, "elsewhere")));
    rl_poll(&a);
    assert_non_null(rl_find_update(&a, RLY_ID_relay_updatePeerLeft));
    rl_free(&a);
    rl_free(&b);
    rl_free(&other);
    rl_relay_free(&rr);
}

/* HTTP long polling: a request with nothing to answer is held until http_wait's max_wait (then
 * an empty container), or until the client's next request on the connection. */
static void http_held(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client a;
    rl_open(&a, &rr, MT_TRANSPORT_INTERMEDIATE, false, true, 11);
    assert_int_equal(rl_handshake(&a, HS_KEY_PERM, 0), 0);
    rl_session(&a);
    uint8_t q[4];
    st32le(q, 0x1fb33026u); /* help.getNearestDc: the session and its salt settle */
    assert_non_null(rl_call(&a, q, sizeof q));
    size_t n;
    rl_read(&a, NULL);
    /* msgs_ack needs no answer: the request is held. */
    uint8_t ack[20];
    st32le(ack, MTP_ID_msgs_ack);
    st32le(ack + 4, 0x1cb5c415u);
    st32le(ack + 8, 1);
    st64le(ack + 12, 4);
    uint64_t id;
    assert_int_equal(sess_client_send(&a.sess, ack, sizeof ack, &a.out, &id), 0);
    rl_flush(&a);
    assert_null(relay_output(rr.r, a.conn, &n));
    uint64_t next = relay_tick(rr.r);
    assert_true(next <= clock_now(&rr.clock.clock) + 25 * NS_PER_S);
    vclock_advance(&rr.clock, 26 * NS_PER_S);
    (void)relay_tick(rr.r);
    assert_non_null(relay_output(rr.r, a.conn, &n));
    assert_int_equal(rl_read(&a, NULL), 1);
    assert_int_equal(a.last_rule, 0);
    /* Held again, then a query: both requests are answered. */
    assert_int_equal(sess_client_send(&a.sess, ack, sizeof ack, &a.out, &id), 0);
    rl_flush(&a);
    assert_null(relay_output(rr.r, a.conn, &n));
    assert_non_null(rl_call(&a, q, sizeof q));
    assert_int_equal(a.last_rule, 0);
    rl_free(&a);
    rl_relay_free(&rr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(too_many_conns), cmocka_unit_test(too_many_conns_framing),
        cmocka_unit_test(frame_too_long), cmocka_unit_test(handshake_rate),
        cmocka_unit_test(idle_timeout),   cmocka_unit_test(slow_reader),
        cmocka_unit_test(http_held),      cmocka_unit_test(tick_one_conn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
