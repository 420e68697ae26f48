/* The relay core end to end (reference-peers/relay_core.h) with our client engines in-process
 * (tests/relay_loop.h): handshake, session, rooms (join waiting / ready, payload forwarding,
 * redirect of a third, leave announced) and the relay API's errors. */
#include "relay_loop.h"

#include "common/cursor.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"
#include "proto/tl_rly.h"

static size_t q_join(uint8_t *q, const char *room)
{
    mt_wr w = wr_init(q, 256);
    wr_u32le(&w, RLY_ID_relay_join);
    tl_wr_int(&w, room ? 1 : 0);
    if (room)
        tl_wr_string(&w, (const uint8_t *)room, strlen(room));
    return wr_len(&w);
}

static size_t q_send(uint8_t *q, size_t cap, const uint8_t *data, size_t n)
{
    mt_wr w = wr_init(q, cap);
    wr_u32le(&w, RLY_ID_relay_send);
    tl_wr_string(&w, data, n);
    assert_int_equal(w.err, 0);
    return wr_len(&w);
}

/* A client with a permanent key and a session. */
static void connect(rl_client *c, rl_relay *rr, uint64_t seed)
{
    rl_open(c, rr, MT_TRANSPORT_INTERMEDIATE, false, false, seed);
    assert_int_equal(rl_handshake(c, HS_KEY_PERM, 0), 0);
    rl_session(c);
}

/* The room name in a join answer or update (after id [, flags]). */
static tl_str room_of(const sess_event *e, bool has_flags)
{
    mt_rd r = rd_init(e->body, e->len);
    (void)rd_u32le(&r);
    if (has_flags)
        (void)rd_u32le(&r);
    return tl_rd_string(&r, 0);
}

static void expect_error(const sess_event *e, const char *text)
{
    assert_non_null(e);
    mt_rd r = rd_init(e->body, e->len);
    assert_int_equal(rd_u32le(&r), MTP_ID_rpc_error);
    assert_int_equal(tl_rd_int(&r), 400);
    tl_str t = tl_rd_string(&r, 0);
    assert_int_equal(t.len, strlen(text));
    assert_memory_equal(t.p, text, t.len);
}

static void join_wait_ready_send_leave(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client a, b, x;
    connect(&a, &rr, 11);
    connect(&b, &rr, 12);
    uint8_t q[1024];
    const sess_event *e = rl_call(&a, q, q_join(q, "lobby"));
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), RLY_ID_relay_joinedWaiting);
    e = rl_call(&b, q, q_join(q, "lobby"));
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), RLY_ID_relay_joinedReady);
    assert_int_equal(ld32le(e->body + e->len - 4), 0xbc799737u); /* originator = false */
    rl_poll(&a);
    e = rl_find_update(&a, RLY_ID_relay_updateReady);
    assert_non_null(e);
    assert_int_equal(ld32le(e->body + e->len - 4), 0x997275b5u); /* originator = true */

    /* A third asking for the full room is redirected to a fresh one, named in the answer. */
    connect(&x, &rr, 13);
    e = rl_call(&x, q, q_join(q, "lobby"));
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), RLY_ID_relay_joinedWaiting);
    assert_int_equal(ld32le(e->body + 4), 1);
    tl_str room = room_of(e, true);
    assert_false(room.len == 5 && memcmp(room.p, "lobby", 5) == 0);

    /* An opaque payload from a reaches b as relay.updatePayload. */
    static const uint8_t secret[] = "opaque end-to-end bytes";
    e = rl_call(&a, q, q_send(q, sizeof q, secret, sizeof secret));
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), 0x997275b5u);
    rl_poll(&b);
    e = rl_find_update(&b, RLY_ID_relay_updatePayload);
    assert_non_null(e);
    mt_rd r = rd_init(e->body + 4, e->len - 4);
    (void)tl_rd_string(&r, 0);
    tl_str data = tl_rd_string(&r, 0);
    assert_int_equal(data.len, sizeof secret);
    assert_memory_equal(data.p, secret, sizeof secret);

    /* b leaves: a is told. */
    st32le(q, RLY_ID_relay_leave);
    e = rl_call(&b, q, 4);
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), 0x997275b5u);
    rl_poll(&a);
    assert_non_null(rl_find_update(&a, RLY_ID_relay_updatePeerLeft));
    relay_stats st;
    relay_get_stats(rr.r, &st);
    assert_int_equal(st.relayed_msgs, 1);
    assert_int_equal(st.handshakes, 3);
    rl_free(&a);
    rl_free(&b);
    rl_free(&x);
    rl_relay_free(&rr);
}

/* Each relay API rule gets its rpc_error: MT_E_RELAY_ROOM_NOT_JOINED, MT_E_RELAY_PEER_ABSENT,
 * MT_E_RELAY_ALREADY_JOINED, MT_E_RELAY_ROOM_NAME_INVALID, MT_E_RELAY_PAYLOAD_TOO_LARGE,
 * MT_E_RELAY_QUERY_MALFORMED. */
static void api_errors(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client a;
    connect(&a, &rr, 21);
    static uint8_t q[RELAY_PAYLOAD_MAX + 64];
    static const uint8_t one[4] = {1, 2, 3, 4};
    expect_error(rl_call(&a, q, q_send(q, sizeof q, one, 4)), "ROOM_NOT_JOINED");
    st32le(q, RLY_ID_relay_leave);
    expect_error(rl_call(&a, q, 4), "ROOM_NOT_JOINED");
    expect_error(rl_call(&a, q, q_join(q, "bad name!")), "ROOM_NAME_INVALID");
    expect_error(rl_call(&a, q, q_join(q, "")), "ROOM_NAME_INVALID");
    st32le(q, RLY_ID_relay_join);
    st32le(q + 4, 1); /* flags.0 set, string missing */
    expect_error(rl_call(&a, q, 8), "INPUT_FETCH_ERROR");
    const sess_event *e = rl_call(&a, q, q_join(q, NULL));
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), RLY_ID_relay_joinedWaiting);
    expect_error(rl_call(&a, q, q_join(q, NULL)), "ALREADY_JOINED");
    expect_error(rl_call(&a, q, q_send(q, sizeof q, one, 4)), "PEER_ABSENT");
    rl_client b;
    connect(&b, &rr, 22);
    e = rl_call(&b, q, q_join(q, NULL)); /* any waiting room: a's */
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), RLY_ID_relay_joinedReady);
    static uint8_t big[RELAY_PAYLOAD_MAX + 4];
    memset(big, 0x33, sizeof big);
    expect_error(rl_call(&a, q, q_send(q, sizeof q, big, sizeof big)), "PAYLOAD_TOO_LARGE");
    /* a closing is announced to b like a leave. */
    rl_free(&a);
    rl_poll(&b);
    assert_non_null(rl_find_update(&b, RLY_ID_relay_updatePeerLeft));
    rl_free(&b);
    rl_relay_free(&rr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(join_wait_ready_send_leave),
        cmocka_unit_test(api_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
