/* CRC-32: every vector file, continuation at every split point, and a differential test against
 * zlib's crc32() on random data with random chunkings. */
#include "testutil.h"

#include <zlib.h>

#include "crypto/crc32.h"

static void check_crc_vector(json_t *group, json_t *test, void *arg)
{
    (void)group;
    (void)arg;
    tu_buf data = tu_field(json_object_get(test, "in"), "data");
    long long want = tu_int(json_object_get(test, "out"), "value");
    assert_true(strcmp(json_string_value(json_object_get(test, "result")), "valid") == 0);
    assert_int_equal(crc32_compute(data.p, data.len), (uint32_t)want);
    /* crc32_update continues a CRC: any split gives the same value. */
    size_t step = data.len > 1024 ? 997 : 1;
    for (size_t cut = 0; cut <= data.len; cut += step) {
        uint32_t c = crc32_update(0, data.p, cut);
        assert_int_equal(crc32_update(c, data.p + cut, data.len - cut), (uint32_t)want);
    }
    tu_free(&data);
}

static void test_crc_vectors(void **state)
{
    (void)state;
    char **names;
    size_t nfiles = tu_vector_files("*.json", &names), count = 0;
    for (size_t f = 0; f < nfiles; f++) {
        json_t *file = tu_load_vectors(names[f]);
        count += tu_each_vector(file, "crc32", check_crc_vector, NULL);
        json_decref(file);
    }
    assert_true(count > 0);
    tu_free_names(names, nfiles);
}

static void test_crc_known_values(void **state)
{
    (void)state;
    /* The CRC-32 "check" value: CRC of the ASCII string "123456789". */
    assert_int_equal(crc32_compute("123456789", 9), 0xCBF43926u);
    assert_int_equal(crc32_compute("", 0), 0);
    assert_int_equal(crc32_update(0x12345678u, "", 0), 0x12345678u);
}

static void test_crc_vs_zlib(void **state)
{
    (void)state;
    tu_rand_seed(31);
    for (int i = 0; i < 3000; i++) {
        size_t n = tu_rand_below(3000);
        tu_buf b = tu_alloc(n);
        tu_rand_bytes(b.p, n);
        unsigned long ref = crc32_z(0, b.p, n);
        uint32_t ours = 0;
        for (size_t off = 0; off < n;) {
            size_t k = tu_rand_below(40);
            k = k > n - off ? n - off : k;
            ours = crc32_update(ours, b.p + off, k);
            off += k;
        }
        assert_int_equal(ours, (uint32_t)ref);
        /* unaligned starts as well */
        size_t skip = n ? tu_rand_below(n) : 0;
        assert_int_equal(crc32_compute(b.p + skip, n - skip),
                         (uint32_t)crc32_z(0, b.p + skip, n - skip));
        tu_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_vectors),
        cmocka_unit_test(test_crc_known_values),
        cmocka_unit_test(test_crc_vs_zlib),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
