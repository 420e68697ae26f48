/* Generated TL codecs at their edges: msg_container, opaque (unknown) objects, the element and
 * depth limits, the arena limit, wrong constructors, flags. */
#include "testutil.h"

#include "proto/tl_e2e.h"
#include "proto/tl_mtp.h"

static uint8_t buf[1u << 20], mem[1u << 21];

static int decode(const tl_schema *s, const uint8_t *p, size_t n, tl_obj *o)
{
    /* An exact-size copy that stays alive until the next decode: decoded views point into it. */
    static tu_buf exact;
    tu_free(&exact);
    exact = tu_dup(p, n);
    tl_arena a;
    tl_arena_init(&a, mem, sizeof mem);
    return tl_decode(s, exact.p, exact.len, &a, TL_STRICT, o);
}

static size_t encode(const tl_obj *o)
{
    mt_wr w = wr_init(buf, sizeof buf);
    assert_int_equal(tl_encode(&w, o), MT_OK);
    return wr_len(&w);
}

static void test_container_with_two_messages(void **state)
{
    (void)state;
    mtp_ping ping = {.ping_id = 0x1122334455667788};
    int64_t ids[2] = {5, 6};
    mtp_msgs_ack ack = {.msg_ids = {ids, 2}};
    mtp_message msgs[2] = {
        {.msg_id = 0x65c53d50000672d4, .seqno = 1, .body = mtp_obj_ping(&ping)},
        {.msg_id = 0x65c53d50000672d8, .seqno = 2, .bytes = 999, .body = mtp_obj_msgs_ack(&ack)},
    };
    mtp_msg_container mc = {.messages = {msgs, 2}};
    tl_obj o = mtp_obj_msg_container(&mc);
    size_t n = encode(&o);
    /* The encoder computes `bytes` (999 above is ignored): 12 for ping, 28 for the ack. */
    tu_buf want = tu_hex("dcf8f17302000000"
                         "d4720600503dc565"
                         "01000000"
                         "0c000000"
                         "ec77be7a8877665544332211"
                         "d8720600503dc565"
                         "02000000"
                         "1c000000"
                         "59b4d66215c4b51c02000000"
                         "0500000000000000"
                         "0600000000000000");
    tu_assert_bytes("container", buf, n, want.p, want.len);
    tl_obj back;
    assert_int_equal(decode(&mtp_schema, want.p, want.len, &back), MT_OK);
    mtp_msg_container *c = mtp_as_msg_container(&back);
    assert_non_null(c);
    assert_int_equal(c->messages.n, 2);
    mtp_message *m = c->messages.v;
    assert_int_equal(m[0].bytes, 12);
    assert_int_equal(m[1].bytes, 28);
    assert_true(mtp_as_ping(&m[0].body)->ping_id == 0x1122334455667788);
    assert_int_equal(mtp_as_msgs_ack(&m[1].body)->msg_ids.n, 2);
    /* A body that does not fill `bytes` exactly is refused either way. */
    want.p[20] = 16; /* first message claims 16 bytes: the body ends 4 short */
    assert_int_equal(decode(&mtp_schema, want.p, want.len, &back), MT_E_trailing_data);
    want.p[20] = 8; /* claims 8: the ping body runs past it */
    assert_int_equal(decode(&mtp_schema, want.p, want.len, &back), MT_E_truncated);
    want.p[20] = 0xff; /* more than is left */
    assert_int_equal(decode(&mtp_schema, want.p, want.len, &back), MT_E_truncated);
    tu_free(&want);
}

static void test_opaque_objects(void **state)
{
    (void)state;
    tl_obj o;
    /* Top level: the unknown id's length is the input's. */
    tu_buf b = tu_hex("78563412aabbccdd");
    assert_int_equal(decode(&mtp_schema, b.p, b.len, &o), MT_OK);
    assert_null(o.ctor);
    assert_int_equal(o.id, 0x12345678);
    assert_int_equal(o.opaque.len, 4);
    assert_int_equal(encode(&o), b.len);
    tu_assert_bytes("opaque", buf, b.len, b.p, b.len);
    size_t len;
    assert_int_equal(tl_print_json(&o, (char *)mem, sizeof mem, &len), MT_OK);
    assert_string_equal((char *)mem,
                        "{\"_\":\"opaque\",\"id\":\"0x12345678\",\"data\":\"aabbccdd\"}");
    tu_free(&b);
    /* rpc_result.result is its last field: an unknown result (an API answer) runs to the end. */
    b = tu_hex("016d5cf3"
               "0100000000000000"
               "78563412"
               "0102030405060708");
    assert_int_equal(decode(&mtp_schema, b.p, b.len, &o), MT_OK);
    mtp_rpc_result *rr = mtp_as_rpc_result(&o);
    assert_non_null(rr);
    assert_int_equal(rr->result.opaque.len, 8);
    tu_free(&b);
    /* Inside a container message, bounded by `bytes`. */
    b = tu_hex("dcf8f17301000000"
               "0400000000000000"
               "01000000"
               "08000000"
               "78563412"
               "01020304");
    assert_int_equal(decode(&mtp_schema, b.p, b.len, &o), MT_OK);
    mtp_message *m = mtp_as_msg_container(&o)->messages.v;
    assert_int_equal(m[0].body.opaque.len, 4);
    tu_free(&b);
    /* msg_copy.orig_message must be a Message; its length cannot be known for an unknown id. */
    b = tu_hex("b24660e0"
               "78563412"
               "00000000");
    assert_int_equal(decode(&mtp_schema, b.p, b.len, &o), MT_E_tl_unknown_constructor);
    tu_free(&b);
    /* A known constructor of the wrong type is refused. */
    b = tu_hex("b24660e0"
               "ec77be7a"
               "0000000000000000");
    assert_int_equal(decode(&mtp_schema, b.p, b.len, &o), MT_E_tl_unexpected_constructor);
    tu_free(&b);
}

/* msgs_ack / container with n elements, encoded into buf. */
static size_t ack_with(uint32_t n)
{
    static int64_t ids[TL_MAX_MSG_IDS + 1];
    mtp_msgs_ack ack = {.msg_ids = {ids, n}};
    tl_obj o = mtp_obj_msgs_ack(&ack);
    return encode(&o);
}

static size_t container_with(uint32_t n)
{
    static mtp_message msgs[TL_MAX_CONTAINER_MESSAGES + 1];
    static mtp_pong pong;
    for (uint32_t i = 0; i < n; i++)
        msgs[i].body = mtp_obj_pong(&pong);
    mtp_msg_container mc = {.messages = {msgs, n}};
    tl_obj o = mtp_obj_msg_container(&mc);
    return encode(&o);
}

static void test_element_limits(void **state)
{
    (void)state;
    tl_obj o;
    size_t n = ack_with(TL_MAX_MSG_IDS);
    assert_int_equal(decode(&mtp_schema, buf, n, &o), MT_OK);
    n = ack_with(TL_MAX_MSG_IDS + 1);
    assert_int_equal(decode(&mtp_schema, buf, n, &o), MT_E_limit_exceeded);
    n = container_with(TL_MAX_CONTAINER_MESSAGES);
    assert_int_equal(decode(&mtp_schema, buf, n, &o), MT_OK);
    assert_int_equal(mtp_as_msg_container(&o)->messages.n, TL_MAX_CONTAINER_MESSAGES);
    n = container_with(TL_MAX_CONTAINER_MESSAGES + 1);
    assert_int_equal(decode(&mtp_schema, buf, n, &o), MT_E_limit_exceeded);
    /* A count the remaining bytes cannot hold is refused before any allocation. */
    tu_buf b = tu_hex("59b4d66215c4b51c00200000"
                      "0100000000000000");
    assert_int_equal(decode(&mtp_schema, b.p, b.len, &o), MT_E_truncated);
    tu_free(&b);
}

static void test_depth_limit(void **state)
{
    (void)state;
    /* rpc_result nested k deep around a pong: depth k + 1. */
    for (unsigned k = TL_MAX_DEPTH - 2; k <= TL_MAX_DEPTH + 1; k++) {
        mt_wr w = wr_init(buf, sizeof buf);
        for (unsigned i = 0; i < k; i++) {
            wr_u32le(&w, MTP_ID_rpc_result);
            tl_wr_long(&w, i);
        }
        wr_u32le(&w, MTP_ID_pong);
        tl_wr_long(&w, 1);
        tl_wr_long(&w, 2);
        tl_obj o;
        int want = k + 1 <= TL_MAX_DEPTH ? MT_OK : MT_E_tl_depth_exceeded;
        assert_int_equal(decode(&mtp_schema, buf, wr_len(&w), &o), want);
    }
}

static void test_arena_limit(void **state)
{
    (void)state;
    size_t n = container_with(100);
    tl_arena a;
    tl_obj o;
    tl_arena_init(&a, mem, sizeof mem);
    assert_int_equal(tl_decode(&mtp_schema, buf, n, &a, TL_STRICT, &o), MT_OK);
    size_t need = a.used;
    for (size_t cap = 0; cap < need; cap += cap < 64 ? 1 : 97) {
        tl_arena_init(&a, mem, cap);
        assert_int_equal(tl_decode(&mtp_schema, buf, n, &a, TL_STRICT, &o), MT_E_limit_exceeded);
        assert_true(a.used <= cap);
    }
    tl_arena_init(&a, mem, need);
    assert_int_equal(tl_decode(&mtp_schema, buf, n, &a, TL_STRICT, &o), MT_OK);
}

static void test_flags_and_true(void **state)
{
    (void)state;
    /* documentAttributeAudio flags:# voice:flags.10?true duration:int title:flags.0?string ... */
    e2e_documentAttributeAudio au = {.flags = 1u << 10 | 1u << 0, .duration = 7};
    au.title.p = (const uint8_t *)"t";
    au.title.len = 1;
    tl_obj o = e2e_obj_documentAttributeAudio(&au);
    size_t n = encode(&o);
    tu_buf want = tu_hex("c6f95298"
                         "01040000"
                         "07000000"
                         "01740000");
    tu_assert_bytes("audio", buf, n, want.p, want.len);
    tl_obj back;
    assert_int_equal(decode(&e2e_schema, want.p, want.len, &back), MT_OK);
    e2e_documentAttributeAudio *d = e2e_as_documentAttributeAudio(&back);
    assert_true(d->voice);
    assert_int_equal(d->performer.len, 0);
    /* Bool fields take only boolTrue/boolFalse: decryptedMessageLayer wants a DecryptedMessage. */
    tu_buf bad = tu_hex("8917e31b"
                        "00000000"
                        "01000000"
                        "02000000"
                        "03000000"
                        "4a5c9f08");
    assert_int_equal(decode(&e2e_schema, bad.p, bad.len, &back), MT_E_tl_unexpected_constructor);
    tu_free(&want);
    tu_free(&bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_container_with_two_messages),
        cmocka_unit_test(test_opaque_objects),
        cmocka_unit_test(test_element_limits),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_arena_limit),
        cmocka_unit_test(test_flags_and_true),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
