/* gzip_packed (proto/gzip.h): round trips, the three limits (caller buffer, 16 MiB, ratio) at
 * their edges with exact-size buffers (a bomb is refused without writing past the limit), corrupt
 * and truncated streams, and the gzip_packed TL wrapper. */
#include "testutil.h"

#include <zlib.h>

#include "proto/gzip.h"
#include "proto/tl_mtp.h"

static void round_trip(const uint8_t *data, size_t len)
{
    tu_buf packed = tu_alloc(len + len / 100 + 64);
    size_t plen, ulen;
    assert_int_equal(gzip_pack(data, len, packed.p, packed.len, &plen), MT_OK);
    assert_int_equal(packed.p[0], 0x1f); /* RFC 1952 magic */
    assert_int_equal(packed.p[1], 0x8b);
    tu_buf out = tu_alloc(len ? len : 1);
    assert_int_equal(gzip_unpack(packed.p, plen, out.p, len, &ulen), MT_OK);
    tu_assert_bytes("round trip", out.p, ulen, data, len);
    tu_free(&out);
    tu_free(&packed);
}

static void test_round_trip(void **state)
{
    (void)state;
    tu_rand_seed(11);
    static const size_t sizes[] = {0, 1, 4, 100, 4096, 100000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        tu_buf b = tu_alloc(sizes[i]);
        tu_rand_bytes(b.p, b.len);
        round_trip(b.p, b.len);
        tu_free(&b);
    }
}

static size_t pack_zeros(size_t n, uint8_t *out, size_t cap)
{
    uint8_t *z = calloc(n ? n : 1, 1);
    size_t plen;
    assert_int_equal(gzip_pack(z, n, out, cap, &plen), MT_OK);
    free(z);
    return plen;
}

static void test_bomb_small_buffer(void **state)
{
    (void)state;
    static uint8_t packed[1 << 16];
    size_t plen = pack_zeros(1 << 20, packed, sizeof packed);
    size_t ulen = 7;
    /* A 64-byte exact-size buffer: ASan would catch one byte written past it. */
    tu_buf out = tu_alloc(64);
    assert_int_equal(gzip_unpack(packed, plen, out.p, out.len, &ulen), MT_E_GZIP_BOMB);
    assert_int_equal(ulen, 0);
    tu_free(&out);
    /* Exactly at the buffer's size: accepted; one byte less: a bomb. */
    plen = pack_zeros(1000, packed, sizeof packed);
    out = tu_alloc(1000);
    assert_int_equal(gzip_unpack(packed, plen, out.p, 1000, &ulen), MT_OK);
    assert_int_equal(ulen, 1000);
    assert_int_equal(gzip_unpack(packed, plen, out.p, 999, &ulen), MT_E_GZIP_BOMB);
    tu_free(&out);
}

static void test_limits(void **state)
{
    (void)state;
    assert_int_equal(gzip_limit(SIZE_MAX / 2, SIZE_MAX), GZIP_MAX_UNPACKED);
    assert_int_equal(gzip_limit(10, SIZE_MAX), 10 * GZIP_MAX_RATIO);
    assert_int_equal(gzip_limit(1 << 20, 5), 5);
    /* 16 MiB of zeros packs to about 16 KiB: a ratio over 1024 is refused whatever the buffer. */
    static uint8_t packed[1 << 16];
    size_t plen = pack_zeros(GZIP_MAX_UNPACKED, packed, sizeof packed);
    assert_true(plen * GZIP_MAX_RATIO < GZIP_MAX_UNPACKED);
    uint8_t *big = malloc(GZIP_MAX_UNPACKED + 1);
    size_t ulen;
    assert_int_equal(gzip_unpack(packed, plen, big, GZIP_MAX_UNPACKED + 1, &ulen), MT_E_GZIP_BOMB);
    free(big);
}

static void test_invalid(void **state)
{
    (void)state;
    uint8_t data[300], packed[512], out[512];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7);
    size_t plen, ulen;
    assert_int_equal(gzip_pack(data, sizeof data, packed, sizeof packed, &plen), MT_OK);
    for (size_t cut = 0; cut < plen; cut++) {
        tu_buf b = tu_dup(packed, cut);
        assert_int_equal(gzip_unpack(b.p, b.len, out, sizeof out, &ulen), MT_E_GZIP_INVALID);
        tu_free(&b);
    }
    /* Trailing bytes after the stream, a corrupt CRC, a zlib (not gzip) stream. */
    packed[plen] = 0;
    assert_int_equal(gzip_unpack(packed, plen + 1, out, sizeof out, &ulen), MT_E_GZIP_INVALID);
    packed[plen - 8] ^= 1;
    assert_int_equal(gzip_unpack(packed, plen, out, sizeof out, &ulen), MT_E_GZIP_INVALID);
    uLongf zlen = sizeof packed;
    assert_int_equal(compress(packed, &zlen, data, sizeof data), Z_OK);
    assert_int_equal(gzip_unpack(packed, zlen, out, sizeof out, &ulen), MT_E_GZIP_INVALID);
    /* The output buffer too small for the packer. */
    assert_int_equal(gzip_pack(data, sizeof data, packed, 10, &plen), MT_E_no_space);
}

static void test_gzip_packed_object(void **state)
{
    (void)state;
    tu_rand_seed(3);
    static const size_t sizes[] = {4, 200, 5000};
    for (size_t i = 0; i < 3; i++) {
        tu_buf in = tu_alloc(sizes[i]);
        tu_rand_bytes(in.p, in.len);
        uint8_t obj[8192], out[8192];
        size_t olen, ulen;
        assert_int_equal(gzip_packed_pack(in.p, in.len, obj, sizeof obj, &olen), MT_OK);
        assert_int_equal(olen % 4, 0);
        /* The generated codec sees a gzip_packed object. */
        static uint8_t arena_mem[4096];
        tl_arena a;
        tl_arena_init(&a, arena_mem, sizeof arena_mem);
        tl_obj o;
        assert_int_equal(tl_decode(&mtp_schema, obj, olen, &a, TL_STRICT, &o), MT_OK);
        assert_non_null(mtp_as_gzip_packed(&o));
        assert_int_equal(gzip_packed_unpack(obj, olen, out, sizeof out, &ulen), MT_OK);
        tu_assert_bytes("gzip_packed", out, ulen, in.p, in.len);
        obj[0] ^= 1;
        assert_int_equal(gzip_packed_unpack(obj, olen, out, sizeof out, &ulen), MT_E_GZIP_INVALID);
        tu_free(&in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_bomb_small_buffer),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_gzip_packed_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
