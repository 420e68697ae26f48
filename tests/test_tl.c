/* TL primitives (proto/tl.h): every type at its boundaries, strictness, sticky errors,
 * truncation at every byte. */
#include "testutil.h"

#include <math.h>

#include "proto/tl.h"

static void test_fixed_width_values(void **state)
{
    (void)state;
    uint8_t buf[64];
    mt_wr w = wr_init(buf, sizeof buf);
    tl_wr_int(&w, -2);
    tl_wr_long(&w, INT64_MIN);
    tl_wr_double(&w, 1.5);
    uint8_t i128[16], i256[32];
    for (int i = 0; i < 32; i++)
        i256[i] = (uint8_t)(0xa0 + i);
    memcpy(i128, i256, 16);
    tl_wr_int128(&w, i128);
    assert_int_equal(w.err, 0);
    /* IEEE-754 1.5 = 0x3ff8000000000000, written little-endian. */
    tu_buf want = tu_hex("feffffff"
                         "0000000000000080"
                         "000000000000f83f"
                         "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
    tu_assert_bytes("fixed", buf, wr_len(&w), want.p, want.len);
    mt_rd r = rd_init(want.p, want.len);
    assert_int_equal(tl_rd_int(&r), -2);
    assert_true(tl_rd_long(&r) == INT64_MIN);
    assert_true(tl_rd_double(&r) == 1.5);
    uint8_t got[32];
    tl_rd_int128(&r, got);
    assert_memory_equal(got, i128, 16);
    assert_int_equal(rd_done(&r), MT_OK);
    tu_free(&want);

    w = wr_init(buf, sizeof buf);
    tl_wr_int256(&w, i256);
    tl_wr_double(&w, -INFINITY);
    r = rd_init(buf, wr_len(&w));
    tl_rd_int256(&r, got);
    assert_memory_equal(got, i256, 32);
    assert_true(isinf(tl_rd_double(&r)));
    assert_int_equal(rd_done(&r), MT_OK);
}

/* Writes a string of len bytes (value i & 0xff at i), checks its wire size and header, and reads
 * it back as a view into the buffer. */
static void check_string_len(size_t len, size_t want_size)
{
    uint8_t *data = malloc(len + 1);
    uint8_t *buf = malloc(want_size + 8);
    assert_non_null(data);
    assert_non_null(buf);
    for (size_t i = 0; i < len; i++)
        data[i] = (uint8_t)(i * 7 + 1);
    mt_wr w = wr_init(buf, want_size);
    tl_wr_string(&w, data, len);
    assert_int_equal(w.err, 0);
    assert_int_equal(wr_len(&w), want_size);
    assert_int_equal(tl_string_size(len), want_size);
    if (len <= TL_SHORT_STRING_MAX) {
        assert_int_equal(buf[0], len);
    } else {
        assert_int_equal(buf[0], 0xfe);
        assert_int_equal(buf[1] | buf[2] << 8 | buf[3] << 16, len);
    }
    for (size_t i = (len <= 253 ? 1 : 4) + len; i < want_size; i++)
        assert_int_equal(buf[i], 0);
    mt_rd r = rd_init(buf, want_size);
    tl_str s = tl_rd_string(&r, TL_STRICT);
    assert_int_equal(rd_done(&r), MT_OK);
    assert_int_equal(s.len, len);
    assert_ptr_equal(s.p, buf + (len <= 253 ? 1 : 4)); /* a view, not a copy */
    assert_memory_equal(s.p, data, len);
    /* One byte short (a missing pad or data byte) is truncated. */
    r = rd_init(buf, want_size - 1);
    s = tl_rd_string(&r, TL_STRICT);
    assert_int_equal(r.err, MT_E_truncated);
    assert_null(s.p);
    free(data);
    free(buf);
}

static void test_string_boundaries(void **state)
{
    (void)state;
    check_string_len(0, 4);
    check_string_len(1, 4);
    check_string_len(2, 4);
    check_string_len(3, 4);
    check_string_len(4, 8);
    check_string_len(252, 256);
    check_string_len(253, 256);
    check_string_len(254, 260);
    check_string_len(255, 260);
    check_string_len(256, 260);
    check_string_len(257, 264);
    check_string_len(TL_STRING_MAX, 4 + TL_STRING_MAX + 1);
}

static void test_string_too_long_for_the_wire(void **state)
{
    (void)state;
    uint8_t buf[8] = {0};
    mt_wr w = wr_init(buf, sizeof buf);
    tl_wr_string(&w, buf, (size_t)TL_STRING_MAX + 1);
    assert_int_equal(w.err, MT_E_limit_exceeded);
    assert_int_equal(wr_len(&w), 0);
    /* A declared length of 2^24-1 with no data behind it is truncated, never an allocation. */
    tu_buf b = tu_hex("feffffff00");
    mt_rd r = rd_init(b.p, b.len);
    (void)tl_rd_string(&r, TL_STRICT);
    assert_int_equal(r.err, MT_E_truncated);
    tu_free(&b);
}

static void test_string_strictness(void **state)
{
    (void)state;
    struct {
        const char *hex;
        int strict, lenient;
        size_t len;
    } cases[] = {
        {"03616263", MT_OK, MT_OK, 3},
        {"fe03000061626300", MT_E_tl_noncanonical_length, MT_OK, 3},    /* 0xFE form for L=3 */
        {"fefd0000", MT_E_tl_noncanonical_length, MT_E_truncated, 253}, /* and L=253 */
        {"0161ff00", MT_E_tl_nonzero_padding, MT_OK, 1},
        {"0161000a", MT_E_tl_nonzero_padding, MT_OK, 1},
        {"ff000000", MT_E_tl_bad_string, MT_E_tl_bad_string, 0},
        {"", MT_E_truncated, MT_E_truncated, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tu_buf b = tu_hex(cases[i].hex);
        for (unsigned lenient = 0; lenient < 2; lenient++) {
            mt_rd r = rd_init(b.p, b.len);
            tl_str s = tl_rd_string(&r, lenient ? TL_LENIENT : TL_STRICT);
            int want = lenient ? cases[i].lenient : cases[i].strict;
            assert_int_equal(rd_done(&r), want);
            if (want == MT_OK)
                assert_int_equal(s.len, cases[i].len);
            else
                assert_null(s.p);
        }
        tu_free(&b);
    }
    /* The deliberate long form for a short string is what the strict reader refuses. */
    uint8_t buf[16];
    mt_wr w = wr_init(buf, sizeof buf);
    tl_wr_string_long_form(&w, (const uint8_t *)"abc", 3);
    tu_buf want = tu_hex("fe03000061626300");
    tu_assert_bytes("long form", buf, wr_len(&w), want.p, want.len);
    tu_free(&want);
}

static void test_bool(void **state)
{
    (void)state;
    tu_buf b = tu_hex("b5757299"
                      "379779bc"
                      "15c4b51c");
    mt_rd r = rd_init(b.p, b.len);
    assert_true(tl_rd_bool(&r));
    assert_false(tl_rd_bool(&r));
    assert_int_equal(r.err, 0);
    assert_false(tl_rd_bool(&r));
    assert_int_equal(r.err, MT_E_tl_bad_bool);
    uint8_t buf[8];
    mt_wr w = wr_init(buf, sizeof buf);
    tl_wr_bool(&w, true);
    tl_wr_bool(&w, false);
    tu_assert_bytes("bools", buf, wr_len(&w), b.p, 8);
    tu_free(&b);
}

static void test_vectors(void **state)
{
    (void)state;
    uint8_t buf[32];
    mt_wr w = wr_init(buf, sizeof buf);
    tl_wr_vector(&w, true, 2);
    tl_wr_long(&w, 1);
    tl_wr_long(&w, 2);
    mt_rd r = rd_init(buf, wr_len(&w));
    assert_int_equal(tl_rd_vector(&r, true, 2, 8), 2);
    r = rd_init(buf, wr_len(&w));
    assert_int_equal(tl_rd_vector(&r, true, 1, 8), 0); /* over the caller's limit */
    assert_int_equal(r.err, MT_E_limit_exceeded);
    r = rd_init(buf, wr_len(&w) - 1);
    assert_int_equal(tl_rd_vector(&r, true, 100, 8), 0); /* 2 longs do not fit in 15 bytes */
    assert_int_equal(r.err, MT_E_truncated);
    r = rd_init(buf + 4, wr_len(&w) - 4); /* bare: the count only */
    assert_int_equal(tl_rd_vector(&r, false, 2, 8), 2);
    r = rd_init(buf + 4, wr_len(&w) - 4); /* read as boxed: the count is no vector id */
    assert_int_equal(tl_rd_vector(&r, true, 2, 8), 0);
    assert_int_equal(r.err, MT_E_tl_bad_vector);
    tu_buf huge = tu_hex("15c4b51cffffffff");
    r = rd_init(huge.p, huge.len);
    assert_int_equal(tl_rd_vector(&r, true, TL_VECTOR_MAX, 4), 0);
    assert_int_equal(r.err, MT_E_limit_exceeded);
    tu_free(&huge);
}

static void test_errors_are_sticky(void **state)
{
    (void)state;
    tu_buf b = tu_hex("0161ff00"
                      "01000000"
                      "b5757299");
    mt_rd r = rd_init(b.p, b.len);
    (void)tl_rd_string(&r, TL_STRICT);
    assert_int_equal(r.err, MT_E_tl_nonzero_padding);
    assert_int_equal(tl_rd_int(&r), 0); /* later reads fail and yield zero */
    assert_false(tl_rd_bool(&r));
    assert_int_equal(r.err, MT_E_tl_nonzero_padding); /* the first error stays */
    assert_int_equal(rd_done(&r), MT_E_tl_nonzero_padding);
    uint8_t small[3];
    mt_wr w = wr_init(small, sizeof small);
    tl_wr_int(&w, 1);
    assert_int_equal(w.err, MT_E_no_space);
    tl_wr_string(&w, NULL, (size_t)TL_STRING_MAX + 1);
    assert_int_equal(w.err, MT_E_no_space);
    tu_free(&b);
}

/* Reads a fixed sequence; used to cut encodings at every byte. */
static int read_sequence(const uint8_t *p, size_t n)
{
    mt_rd r = rd_init(p, n);
    (void)tl_rd_int(&r);
    (void)tl_rd_string(&r, TL_STRICT);
    (void)tl_rd_long(&r);
    uint32_t cnt = tl_rd_vector(&r, true, 8, 8);
    for (uint32_t i = 0; i < cnt; i++)
        (void)tl_rd_long(&r);
    (void)tl_rd_bool(&r);
    (void)tl_rd_string(&r, TL_STRICT);
    uint8_t x[32];
    tl_rd_int256(&r, x);
    return rd_done(&r);
}

static void test_truncation_at_every_byte(void **state)
{
    (void)state;
    static uint8_t longstr[300];
    uint8_t buf[512], x[32] = {1};
    mt_wr w = wr_init(buf, sizeof buf);
    tl_wr_int(&w, 7);
    tl_wr_string(&w, (const uint8_t *)"hello", 5);
    tl_wr_long(&w, -1);
    tl_wr_vector(&w, true, 2);
    tl_wr_long(&w, 10);
    tl_wr_long(&w, 11);
    tl_wr_bool(&w, true);
    tl_wr_string(&w, longstr, sizeof longstr);
    tl_wr_int256(&w, x);
    assert_int_equal(w.err, 0);
    size_t n = wr_len(&w);
    assert_int_equal(read_sequence(buf, n), MT_OK);
    for (size_t cut = 0; cut < n; cut++) {
        tu_buf t = tu_dup(buf, cut);
        assert_int_equal(read_sequence(t.p, t.len), MT_E_truncated);
        tu_free(&t);
    }
    tu_buf t = tu_dup(buf, n + 1);
    t.p[n] = 0;
    assert_int_equal(read_sequence(t.p, t.len), MT_E_trailing_data);
    tu_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_width_values),
        cmocka_unit_test(test_string_boundaries),
        cmocka_unit_test(test_string_too_long_for_the_wire),
        cmocka_unit_test(test_string_strictness),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_errors_are_sticky),
        cmocka_unit_test(test_truncation_at_every_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
