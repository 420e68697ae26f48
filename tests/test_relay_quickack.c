/* Quick acks from the relay (reference-peers/relay_conn.c, relay_sess.c): a client that sets the
 * framing's quick-ack flag on an encrypted packet (abridged length MSB, intermediate and padded
 * bit 31; plain or inside obfuscated2) gets the packet's token once the packet is accepted. The
 * token is checked against one computed here from the plaintext (tests/relay_loop.h). A packet
 * the relay refuses (-404) gets none, nor do packets that did not ask. */
#include "relay_loop.h"

#define GET_NEAREST_DC 0x1fb33026u

static void connect(rl_client *c, rl_relay *rr, mt_transport_kind kind, bool obf2, uint64_t seed)
{
    rl_open(c, rr, kind, obf2, false, seed);
    assert_int_equal(rl_handshake(c, HS_KEY_PERM, 0), 0);
    rl_session(c);
    assert_int_equal(c->nqa_received, 0); /* the handshake did not ask */
}

static void call_nearest(rl_client *c)
{
    uint8_t q[4];
    st32le(q, GET_NEAREST_DC);
    assert_non_null(rl_call(c, q, sizeof q));
}

/* Every encrypted packet that asked is acked with its own token, in order. */
static void one_transport(mt_transport_kind kind, bool obf2, uint64_t seed)
{
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client c;
    connect(&c, &rr, kind, obf2, seed);
    call_nearest(&c);
    assert_int_equal(c.nqa_received, 0); /* not asked: none */
    c.frame_flags = MT_TF_QUICK_ACK;
    call_nearest(&c);
    call_nearest(&c);
    assert_true(c.nqa_expected >= 2); /* the queries, and the acks sent with them */
    assert_int_equal(c.nqa_received, c.nqa_expected);
    for (size_t i = 0; i < c.nqa_expected; i++) {
        assert_true(c.qa_received[i] & 0x80000000u);
        assert_int_equal(c.qa_received[i], c.qa_expected[i]);
    }
    assert_int_equal(c.transport_error, 0);
    assert_false(c.closed);
    rl_free(&c);
    rl_relay_free(&rr);
}

static void abridged(void **state)
{
    (void)state;
    one_transport(MT_TRANSPORT_ABRIDGED, false, 31);
}

static void intermediate(void **state)
{
    (void)state;
    one_transport(MT_TRANSPORT_INTERMEDIATE, false, 32);
}

static void padded(void **state)
{
    (void)state;
    one_transport(MT_TRANSPORT_PADDED, false, 33);
}

static void obfuscated2(void **state)
{
    (void)state;
    one_transport(MT_TRANSPORT_ABRIDGED, true, 34);
    one_transport(MT_TRANSPORT_INTERMEDIATE, true, 35);
    one_transport(MT_TRANSPORT_PADDED, true, 36);
}

/* A packet that fails its msg_key check is not accepted: -404 and no quick ack. */
static void refused_packet_not_acked(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client c;
    connect(&c, &rr, MT_TRANSPORT_INTERMEDIATE, false, 37);
    uint8_t body[4];
    st32le(body, GET_NEAREST_DC);
    uint64_t id;
    assert_int_equal(sess_client_send(&c.sess, body, sizeof body, &c.out, &id), 0);
    mt_msg_hdr h = {(uint64_t)sess_client_salt(&c.sess), c.sess.session_id, c.out.msgs[0].msg_id,
                    c.out.msgs[0].seqno};
    mt_msg_pack_opts o = {.rng = &c.rng.rng, .pad_len = MT_PAD_RANDOM};
    size_t n = 0;
    assert_int_equal(
        mt_msg_pack(&c.key.key, MT_X_CLIENT, &h, body, sizeof body, &o, c.pkt, RL_BUF, &n), 0);
    c.pkt[8] ^= 0x01; /* msg_key */
    c.frame_flags = MT_TF_QUICK_ACK;
    assert_int_equal(rl_send_packet(&c, c.pkt, n), MT_E_MSG_KEY_MISMATCH);
    rl_read(&c, NULL);
    assert_int_equal(c.transport_error, -404);
    assert_int_equal(c.nqa_received, 0);
    assert_true(c.closed);
    rl_free(&c);
    rl_relay_free(&rr);
}

/* The full transport has no quick-ack flag and HTTP no quick acks: nothing but answers. */
static void full_and_http_none(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client f, h;
    connect(&f, &rr, MT_TRANSPORT_FULL, false, 38);
    call_nearest(&f);
    rl_open(&h, &rr, MT_TRANSPORT_INTERMEDIATE, false, true, 39);
    assert_int_equal(rl_handshake(&h, HS_KEY_PERM, 0), 0);
    rl_session(&h);
    h.frame_flags = MT_TF_QUICK_ACK; /* ignored by the HTTP framing */
    call_nearest(&h);
    assert_int_equal(f.nqa_received + h.nqa_received, 0);
    rl_free(&f);
    rl_free(&h);
    rl_relay_free(&rr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(abridged),
        cmocka_unit_test(intermediate),
        cmocka_unit_test(padded),
        cmocka_unit_test(obfuscated2),
        cmocka_unit_test(refused_packet_not_acked),
        cmocka_unit_test(full_and_http_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
