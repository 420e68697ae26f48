/* Unencrypted messages (proto/message.h, message_plain.c): the official sample's first two
 * packets (the second declares a wrong length, a mistake of the page that the strict parser
 * must catch), round trips, and each rejection rule. */
#include "testutil.h"

#include "proto/message.h"

/* spec/auth_key_sample.txt step 1: req_pq_multi, sent by the client. */
static const char STEP1[] = "0000000000000000D4720600503DC56514000000F18E7EBE406709F612FADFBE"
                            "C3F0289D0AA67EEF";
/* Step 2: resPQ, whose message_length says 168 (A8) while 80 bytes follow (mtproto-notes §1,
 * mistake 1). */
static const char STEP2[] = "000000000000000001D83175503DC565A800000063241605406709F612FADFBE"
                            "C3F0289D0AA67EEFE11DBC3BC97D91A26154F932AF01994308256595EDB77667"
                            "9700000015C4B51C03000000A5B7F709355FC30B216BE86C022BB4C385FD64DE"
                            "851D9DD0";

static void test_official_sample(void **state)
{
    (void)state;
    tu_buf p = tu_hex(STEP1);
    mt_plain_view v;
    assert_int_equal(mt_plain_unpack(p.p, p.len, &v), MT_OK);
    assert_int_equal(v.msg_id, 0x65c53d50000672d4ull);
    assert_int_equal(v.body_len, 20);
    assert_ptr_equal(v.body, p.p + MT_PLAIN_HEADER_LEN);
    uint8_t again[64];
    size_t len;
    assert_int_equal(mt_plain_pack(v.msg_id, v.body, v.body_len, again, sizeof again, &len), MT_OK);
    tu_assert_bytes("re-packed", again, len, p.p, p.len);
    tu_free(&p);
    p = tu_hex(STEP2);
    assert_int_equal(p.len, 100);
    assert_int_equal(mt_plain_unpack(p.p, p.len, &v), MT_E_PLAIN_LENGTH_MISMATCH);
    assert_null(v.body);
    tu_free(&p);
}

static void test_round_trips(void **state)
{
    (void)state;
    tu_rand_seed(11);
    for (size_t n = 0; n <= 512; n += 4) {
        uint8_t body[512], out[MT_PLAIN_HEADER_LEN + 512];
        uint64_t id = tu_rand_u64();
        size_t len;
        tu_rand_bytes(body, n);
        assert_int_equal(mt_plain_pack(id, body, n, out, MT_PLAIN_HEADER_LEN + n, &len), MT_OK);
        assert_int_equal(len, MT_PLAIN_HEADER_LEN + n);
        tu_buf exact = tu_dup(out, len);
        mt_plain_view v;
        assert_int_equal(mt_plain_unpack(exact.p, exact.len, &v), MT_OK);
        assert_int_equal(v.msg_id, id);
        assert_int_equal(v.body_len, n);
        assert_memory_equal(v.body, body, n);
        tu_free(&exact);
        if (n)
            assert_int_equal(mt_plain_pack(id, body, n, out, len - 1, &len), MT_E_no_space);
    }
}

static void test_rules(void **state)
{
    (void)state;
    uint8_t p[MT_PLAIN_HEADER_LEN + 8];
    size_t len;
    mt_plain_view v;
    memset(p, 0x33, sizeof p);
    assert_int_equal(mt_plain_pack(77, p, 8, p, sizeof p, &len), MT_OK);
    assert_int_equal(mt_plain_unpack(p, MT_PLAIN_HEADER_LEN - 1, &v), MT_E_PLAIN_TOO_SHORT);
    assert_int_equal(mt_plain_unpack(p, 0, &v), MT_E_PLAIN_TOO_SHORT);
    assert_int_equal(mt_plain_unpack(p, len - 4, &v), MT_E_PLAIN_LENGTH_MISMATCH);
    p[16] = 9; /* 9 declared, 8 present */
    assert_int_equal(mt_plain_unpack(p, len, &v), MT_E_PLAIN_LENGTH_MISMATCH);
    p[16] = 6; /* 6 declared and present: not a whole number of 32-bit words */
    assert_int_equal(mt_plain_unpack(p, MT_PLAIN_HEADER_LEN + 6, &v),
                     MT_E_PLAIN_LENGTH_NOT_ALIGNED);
    p[16] = 8;
    p[7] = 1; /* auth_key_id != 0: an encrypted message, not an unencrypted one */
    assert_int_equal(mt_plain_unpack(p, len, &v), MT_E_PLAIN_AUTH_KEY_ID_NOT_ZERO);
    assert_int_equal(v.msg_id, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_official_sample),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
