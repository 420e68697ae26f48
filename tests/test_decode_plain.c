/* Unencrypted messages as `mtproof decode --as packet` reads them (proto/message.h,
 * mt_plain_unpack): the official req_pq_multi message parses, and each rejection rule of the
 * plain framing is provoked on an exact-size copy: MT_E_PLAIN_TOO_SHORT at every short length,
 * MT_E_PLAIN_AUTH_KEY_ID_NOT_ZERO, MT_E_PLAIN_LENGTH_MISMATCH, MT_E_PLAIN_LENGTH_NOT_ALIGNED. */
#include "testutil.h"

#include "common/endian.h"
#include "proto/message.h"

/* samples-auth_key step 1: auth_key_id 0, msg_id, length 20, req_pq_multi. */
static const char REQ_PQ[] = "0000000000000000d4720600503dc56514000000f18e7ebe406709f612fadfbec3"
                             "f0289d0aa67eef";

static int unpack(const uint8_t *p, size_t n, mt_plain_view *v)
{
    tu_buf b = tu_dup(p, n);
    int err = mt_plain_unpack(b.p, b.len, v);
    tu_free(&b);
    return err;
}

static void test_official(void **state)
{
    (void)state;
    tu_buf m = tu_hex(REQ_PQ);
    mt_plain_view v;
    assert_int_equal(mt_plain_unpack(m.p, m.len, &v), MT_OK);
    assert_true(v.msg_id == ld64le(m.p + 8));
    assert_int_equal(v.body_len, 20);
    assert_ptr_equal(v.body, m.p + MT_PLAIN_HEADER_LEN);
    tu_free(&m);
}

static void test_rules(void **state)
{
    (void)state;
    tu_buf m = tu_hex(REQ_PQ);
    uint8_t b[64];
    mt_plain_view v;
    for (size_t n = 0; n < MT_PLAIN_HEADER_LEN; n++)
        assert_int_equal(unpack(m.p, n, &v), MT_E_PLAIN_TOO_SHORT);
    memcpy(b, m.p, m.len);
    b[3] = 1;
    assert_int_equal(unpack(b, m.len, &v), MT_E_PLAIN_AUTH_KEY_ID_NOT_ZERO);
    memcpy(b, m.p, m.len);
    st32le(b + 16, 24);
    assert_int_equal(unpack(b, m.len, &v), MT_E_PLAIN_LENGTH_MISMATCH);
    assert_int_equal(unpack(m.p, m.len - 1, &v), MT_E_PLAIN_LENGTH_MISMATCH);
    /* A 19-byte body whose length field says 19: consistent, but not a multiple of 4. */
    memcpy(b, m.p, m.len);
    st32le(b + 16, 19);
    assert_int_equal(unpack(b, m.len - 1, &v), MT_E_PLAIN_LENGTH_NOT_ALIGNED);
    tu_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_official),
        cmocka_unit_test(test_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
