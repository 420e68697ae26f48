/* The cursor, the constant-time helpers, the endian helpers and hex. */
#include "testutil.h"

#include "common/ct.h"
#include "common/cursor.h"
#include "common/endian.h"
#include "common/hex.h"

static void test_reader_reads_in_order(void **state)
{
    (void)state;
    tu_buf b = tu_hex("01"
                      "0302"
                      "060504"
                      "0a090807"
                      "1211100f0e0d0c0b"
                      "aabbccdd");
    mt_rd r = rd_init(b.p, b.len);
    assert_int_equal(rd_u8(&r), 1);
    assert_int_equal(rd_u16le(&r), 0x0203);
    assert_int_equal(rd_u24le(&r), 0x040506);
    assert_int_equal(rd_u32le(&r), 0x0708090a);
    assert_true(rd_u64le(&r) == 0x0b0c0d0e0f101112ull);
    assert_int_equal(rd_u32be(&r), 0xaabbccdd);
    assert_int_equal(rd_done(&r), MT_OK);
    tu_free(&b);
}

static void test_reader_error_is_sticky(void **state)
{
    (void)state;
    tu_buf b = tu_hex("0102030405");
    mt_rd r = rd_init(b.p, b.len);
    assert_int_equal(rd_u32le(&r), 0x04030201);
    assert_int_equal(rd_u16le(&r), 0); /* only one byte left: fails, yields 0 */
    assert_int_equal(r.err, MT_E_truncated);
    assert_int_equal(rd_u8(&r), 0); /* the byte that was there is no longer readable */
    assert_int_equal(rd_left(&r), 0);
    assert_int_equal(rd_done(&r), MT_E_truncated);
    uint8_t out[4] = {9, 9, 9, 9};
    rd_copy(&r, out, 4);
    assert_true(ct_is_zero(out, 4));
    tu_free(&b);
}

static void test_reader_trailing_and_sub(void **state)
{
    (void)state;
    tu_buf b = tu_hex("0203040506");
    mt_rd r = rd_init(b.p, b.len);
    uint8_t n = rd_u8(&r);
    mt_rd c = rd_sub(&r, n);
    assert_int_equal(rd_u16be(&c), 0x0304);
    assert_int_equal(rd_u8(&c), 0); /* child cannot see past its length */
    assert_int_equal(c.err, MT_E_truncated);
    assert_int_equal(r.err, 0); /* the parent is unaffected */
    assert_int_equal(rd_done(&r), MT_E_trailing_data);
    mt_rd big = rd_sub(&r, 1000);
    assert_int_equal(big.err, MT_E_truncated);
    assert_int_equal(r.err, MT_E_truncated);
    tu_free(&b);
}

static void test_writer(void **state)
{
    (void)state;
    uint8_t buf[16];
    mt_wr w = wr_init(buf, sizeof buf);
    uint8_t *len = wr_reserve(&w, 4);
    wr_u16be(&w, 0x0102);
    wr_u64le(&w, 0x1122334455667788ull);
    st32le(len, (uint32_t)(wr_len(&w) - 4));
    assert_int_equal(w.err, 0);
    assert_int_equal(wr_len(&w), 14);
    tu_buf want = tu_hex("0a000000"
                         "0102"
                         "8877665544332211");
    tu_assert_bytes("writer", buf, wr_len(&w), want.p, want.len);
    wr_u32le(&w, 1); /* 2 bytes left: fails */
    assert_int_equal(w.err, MT_E_no_space);
    wr_u8(&w, 1); /* sticky */
    assert_int_equal(wr_len(&w), 14);
    tu_free(&want);
}

static void test_endian(void **state)
{
    (void)state;
    uint8_t b[8];
    st64be(b, 0x0102030405060708ull);
    assert_true(ld64be(b) == 0x0102030405060708ull);
    assert_true(ld64le(b) == 0x0807060504030201ull);
    st16le(b, 0xBEEF);
    assert_int_equal(b[0], 0xEF);
    assert_int_equal(ld16be(b), 0xEFBE);
}

static void test_ct(void **state)
{
    (void)state;
    uint8_t a[33], b[33];
    for (size_t i = 0; i < sizeof a; i++)
        a[i] = b[i] = (uint8_t)i;
    assert_true(ct_eq(a, b, sizeof a));
    for (size_t i = 0; i < sizeof a; i++) {
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (uint8_t)(1 << bit);
            assert_false(ct_eq(a, b, sizeof a));
            b[i] ^= (uint8_t)(1 << bit);
        }
    }
    assert_true(ct_eq(a, b, 0));
    assert_int_equal(ct_is_zero32(0), 0xffffffffu);
    assert_int_equal(ct_is_zero32(0x80000000u), 0);
    assert_int_equal(ct_lt32(1, 2), 0xffffffffu);
    assert_int_equal(ct_lt32(2, 1), 0);
    assert_int_equal(ct_lt32(0, 0xffffffffu), 0xffffffffu);
    assert_int_equal(ct_lt32(0xffffffffu, 0), 0);
    assert_int_equal(ct_lt32(5, 5), 0);
    assert_true(ct_lt64(0, ~0ull) == ~0ull);
    assert_int_equal(ct_select32(0xffffffffu, 7, 9), 7);
    assert_int_equal(ct_select32(0, 7, 9), 9);
    uint8_t d[4] = {1, 2, 3, 4}, s[4] = {5, 6, 7, 8};
    ct_copy_if(0, d, s, 4);
    assert_int_equal(d[0], 1);
    ct_copy_if(0xffffffffu, d, s, 4);
    assert_memory_equal(d, s, 4);
    ct_wipe(d, 4);
    assert_true(ct_is_zero(d, 4));
    assert_false(ct_is_zero(s, 4));
}

static void test_hex(void **state)
{
    (void)state;
    uint8_t out[4];
    size_t n;
    assert_int_equal(hex_decode("00fFa1", 6, out, sizeof out, &n), MT_OK);
    assert_int_equal(n, 3);
    assert_int_equal(out[1], 0xff);
    assert_int_equal(hex_decode("abc", 3, out, sizeof out, &n), MT_E_bad_hex);
    assert_int_equal(hex_decode("zz", 2, out, sizeof out, &n), MT_E_bad_hex);
    assert_int_equal(hex_decode("0102030405", 10, out, sizeof out, &n), MT_E_no_space);
    char text[7];
    hex_encode(out, 3, text);
    assert_string_equal(text, "00ffa1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_reads_in_order),
        cmocka_unit_test(test_reader_error_is_sticky),
        cmocka_unit_test(test_reader_trailing_and_sub),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_endian),
        cmocka_unit_test(test_ct),
        cmocka_unit_test(test_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
