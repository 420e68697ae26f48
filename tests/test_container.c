/* msg_container (proto/container.h): round trip, the 1024/1025 limit, nesting, inner ids and
 * seqnos, malformed lengths, truncation at every byte, and agreement with the generated TL codec.
 */
#include "testutil.h"

#include "common/endian.h"
#include "proto/container.h"
#include "proto/tl_mtp.h"

#define CID ((1700000000ull << 32) | 0x10000)

static uint8_t buf[CONTAINER_HEADER_SIZE + 1100 * (CONTAINER_MSG_HDR_SIZE + 12)];
static mt_msg msgs[1100], got[1100];
static uint8_t bodies[1100][12];

/* n messages: ping bodies (12 bytes), ids below CID, seqnos 1, 3, 5 ... */
static size_t build(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mt_wr w = wr_init(bodies[i], sizeof bodies[i]);
        wr_u32le(&w, MTP_ID_ping);
        wr_u64le(&w, i);
        msgs[i] = (mt_msg){.msg_id = CID - 4 * (n - i),
                           .seqno = (uint32_t)(2 * i + 1),
                           .body = bodies[i],
                           .len = sizeof bodies[i]};
    }
    mt_wr w = wr_init(buf, sizeof buf);
    assert_int_equal(container_pack(&w, msgs, n), MT_OK);
    assert_int_equal(wr_len(&w), container_size(msgs, n));
    return wr_len(&w);
}

static void test_round_trip(void **state)
{
    (void)state;
    size_t len = build(3), n = 99;
    assert_int_equal(container_unpack(buf, len, CID, 6, got, 1100, &n), MT_OK);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i].msg_id, msgs[i].msg_id);
        assert_int_equal(got[i].seqno, msgs[i].seqno);
        tu_assert_bytes("body", got[i].body, got[i].len, msgs[i].body, msgs[i].len);
    }
    /* The generated codec reads the same container. */
    static uint8_t arena_mem[1 << 14];
    tl_arena a;
    tl_arena_init(&a, arena_mem, sizeof arena_mem);
    tl_obj o;
    assert_int_equal(tl_decode(&mtp_schema, buf, len, &a, TL_STRICT, &o), MT_OK);
    mtp_msg_container *c = mtp_as_msg_container(&o);
    assert_non_null(c);
    assert_int_equal(c->messages.n, 3);
    assert_int_equal(((mtp_message *)c->messages.v)[2].msg_id, (int64_t)msgs[2].msg_id);
    /* Empty containers are allowed (HTTP long-poll timeout). */
    len = build(0);
    assert_int_equal(container_unpack(buf, len, CID, 0, got, 1100, &n), MT_OK);
    assert_int_equal(n, 0);
}

static void test_limit_1024(void **state)
{
    (void)state;
    size_t len = build(CONTAINER_MAX_MESSAGES), n = 0;
    assert_int_equal(container_unpack(buf, len, CID, 2048, got, 1100, &n), MT_OK);
    assert_int_equal(n, 1024);
    assert_int_equal(container_unpack(buf, len, CID, 2048, got, 1023, &n), MT_E_no_space);
    len = build(CONTAINER_MAX_MESSAGES + 1);
    assert_int_equal(container_unpack(buf, len, CID, 4096, got, 1100, &n), MT_E_CONTAINER_TOO_MANY);
    assert_int_equal(n, 0);
}

static void test_nested(void **state)
{
    (void)state;
    uint8_t inner[8] = {0};
    mt_wr w = wr_init(inner, sizeof inner);
    wr_u32le(&w, MTP_ID_msg_container);
    wr_u32le(&w, 0);
    build(2);
    msgs[1].body = inner;
    msgs[1].len = sizeof inner;
    w = wr_init(buf, sizeof buf);
    assert_int_equal(container_pack(&w, msgs, 2), MT_OK);
    size_t n;
    assert_int_equal(container_unpack(buf, wr_len(&w), CID, 4, got, 1100, &n),
                     MT_E_CONTAINER_NESTED);
}

static void test_ids_and_seqnos(void **state)
{
    (void)state;
    size_t len = build(3), n;
    /* Container id equal to an inner one, or below it. */
    assert_int_equal(container_unpack(buf, len, msgs[2].msg_id, 6, got, 1100, &n),
                     MT_E_CONTAINER_INNER_ID_NOT_BELOW);
    assert_int_equal(container_unpack(buf, len, msgs[0].msg_id, 6, got, 1100, &n),
                     MT_E_CONTAINER_INNER_ID_NOT_BELOW);
    /* Container seqno 4 < inner seqno 5. */
    assert_int_equal(container_unpack(buf, len, CID, 4, got, 1100, &n),
                     MT_E_CONTAINER_SEQNO_BELOW_INNER);
    assert_int_equal(container_unpack(buf, len, CID, 5, got, 1100, &n), MT_OK);
}

static void test_malformed(void **state)
{
    (void)state;
    size_t len = build(2), n;
    /* Truncated at every byte: refused whole, never read past the end (exact-size copies). */
    for (size_t cut = 0; cut < len; cut++) {
        tu_buf b = tu_dup(buf, cut);
        assert_int_equal(container_unpack(b.p, b.len, CID, 4, got, 1100, &n),
                         MT_E_CONTAINER_INVALID);
        assert_int_equal(n, 0);
        tu_free(&b);
    }
    /* Trailing bytes. */
    tu_buf t = tu_alloc(len + 4);
    memcpy(t.p, buf, len);
    assert_int_equal(container_unpack(t.p, t.len, CID, 4, got, 1100, &n), MT_E_CONTAINER_INVALID);
    tu_free(&t);
    /* bytes not a multiple of 4, under 4, or past the end (offset 8 + 12: first `bytes`). */
    static const int32_t bad[] = {11, 0, 2, -4, 1 << 30};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        build(2);
        st32le(buf + 20, (uint32_t)bad[i]);
        assert_int_equal(container_unpack(buf, len, CID, 4, got, 1100, &n), MT_E_CONTAINER_INVALID);
    }
    /* Not a container at all. */
    build(2);
    st32le(buf, MTP_ID_msgs_ack);
    assert_int_equal(container_unpack(buf, len, CID, 4, got, 1100, &n), MT_E_CONTAINER_INVALID);
    /* A count the bytes cannot hold. */
    build(2);
    st32le(buf + 4, 1000);
    assert_int_equal(container_unpack(buf, len, CID, 4, got, 1100, &n), MT_E_CONTAINER_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_limit_1024),
        cmocka_unit_test(test_nested),     cmocka_unit_test(test_ids_and_seqnos),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
