/* RSA key checks: the consistency check refuses each altered value, public keys with bad sizes are
 * refused, inputs out of range are refused, a faulty CRT is caught; TL bytes for the fingerprint.
 */
#include "testutil.h"

#include "common/ct.h"
#include "common/tlbytes.h"
#include "crypto/drbg.h"
#include "crypto/rsa.h"

static mt_drbg g_drbg;
static mt_rng *test_rng(uint64_t seed)
{
    drbg_init_u64(&g_drbg, seed);
    return &g_drbg.rng;
}

static tu_buf read_key_file(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/vectors/keys/%s", MTPROOF_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t tmp[PEM_MAX_TEXT];
    size_t n = fread(tmp, 1, sizeof tmp, f);
    fclose(f);
    return tu_dup(tmp, n);
}

/* Parses the test key into spans (pointing into der). */
static void parse_test_key(uint8_t der[PEM_MAX_DER], rsa_key_der *v)
{
    tu_buf pem = read_key_file("test_rsa2048.pem");
    assert_int_equal(rsa_pem_parse((const char *)pem.p, pem.len, der, PEM_MAX_DER, v, NULL), MT_OK);
    tu_free(&pem);
}

/* Each of the eight values altered in turn (one bit of its last byte, or a swap) is caught. */
static void test_consistency_check(void **state)
{
    (void)state;
    static uint8_t der[PEM_MAX_DER];
    static rsa_private k;
    rsa_key_der v;
    parse_test_key(der, &v);
    assert_int_equal(rsa_private_init(&k, &v, test_rng(1)), MT_OK);
    rsa_int *fields[] = {&v.n, &v.e, &v.d, &v.p, &v.q, &v.dp, &v.dq, &v.qinv};
    const char *names[] = {"n", "e", "d", "p", "q", "dp", "dq", "qinv"};
    for (size_t i = 0; i < 8; i++) {
        uint8_t copy[RSA_MAX_BYTES];
        rsa_int saved = *fields[i];
        memcpy(copy, saved.p, saved.len);
        copy[saved.len - 1] ^= 2; /* keeps odd values odd */
        fields[i]->p = copy;
        int err = rsa_private_init(&k, &v, test_rng(1));
        if (err != MT_E_key_inconsistent)
            fail_msg("altered %s: got %s", names[i], mt_err_name(err));
        assert_true(ct_is_zero(&k, sizeof k)); /* wiped on error */
        *fields[i] = saved;
    }
    /* p and q swapped: n, dP, dQ still fit, but qInv is then wrong. */
    rsa_int t = v.p;
    v.p = v.q, v.q = t;
    assert_int_equal(rsa_private_init(&k, &v, test_rng(1)), MT_E_key_inconsistent);
    v.q = v.p; /* p == q */
    assert_int_equal(rsa_private_init(&k, &v, test_rng(1)), MT_E_key_inconsistent);
}

static void test_public_init_rejections(void **state)
{
    (void)state;
    static uint8_t der[PEM_MAX_DER];
    rsa_key_der v;
    parse_test_key(der, &v);
    rsa_public k;
    uint8_t n[RSA_MAX_BYTES], e3[1] = {3}, e1[1] = {1}, e2[1] = {2};
    memcpy(n, v.n.p, v.n.len);
    assert_int_equal(rsa_public_init(&k, n, v.n.len, v.e.p, v.e.len), MT_OK);
    assert_int_equal(rsa_public_init(&k, n, v.n.len, e3, 1), MT_OK);
    assert_int_equal(rsa_public_init(&k, n, v.n.len, e1, 1), MT_E_key_bad_size);
    assert_int_equal(rsa_public_init(&k, n, v.n.len, e2, 1), MT_E_key_bad_size);
    assert_int_equal(rsa_public_init(&k, n, v.n.len, n, v.n.len), MT_E_key_bad_size); /* e = n */
    assert_int_equal(rsa_public_init(&k, n, 63, e3, 1), MT_E_key_bad_size);           /* 504 bits */
    n[v.n.len - 1] ^= 1;                                                              /* even */
    assert_int_equal(rsa_public_init(&k, n, v.n.len, e3, 1), MT_E_key_bad_size);
    static uint8_t huge[RSA_MAX_BYTES + 1];
    memset(huge, 0xff, sizeof huge);
    assert_int_equal(rsa_public_init(&k, huge, sizeof huge, e3, 1), MT_E_key_bad_size);
    /* A public PEM where a private key is needed. */
    tu_buf pem = read_key_file("test_rsa2048_pub_spki.pem");
    static rsa_private pk;
    assert_int_equal(
        rsa_private_load_pem(&pk, (const char *)pem.p, pem.len, test_rng(1), NULL, NULL),
        MT_E_key_not_private);
    tu_free(&pem);
    pem = read_key_file("ec_p256_pub.pem");
    size_t off = 0;
    assert_int_equal(rsa_public_load_pem(&k, (const char *)pem.p, pem.len, NULL, &off),
                     MT_E_key_not_rsa);
    assert_int_equal(off, 4);
    tu_free(&pem);
}

static void test_input_range_and_fault(void **state)
{
    (void)state;
    static uint8_t der[PEM_MAX_DER];
    static rsa_private k;
    rsa_key_der v;
    parse_test_key(der, &v);
    assert_int_equal(rsa_private_init(&k, &v, test_rng(1)), MT_OK);
    uint8_t in[256], out[256];
    memcpy(in, v.n.p, 256); /* the value n */
    assert_int_equal(rsa_public_op(&k.pub, in, 256, out), MT_E_rsa_input_range);
    assert_int_equal(rsa_private_op(&k, in, 256, out, NULL), MT_E_rsa_input_range);
    assert_int_equal(rsa_public_op(&k.pub, in, 255, out), MT_E_bad_argument);
    in[0] = 0;
    assert_int_equal(rsa_private_op(&k, in, 256, out, NULL), MT_OK);
    /* A fault in one CRT half (here: a wrong dP) is caught by the public-op check, and nothing of
     * the faulty result is released. */
    k.dp.limb[0] ^= 4;
    memset(out, 0x55, sizeof out);
    assert_int_equal(rsa_private_op(&k, in, 256, out, test_rng(2)), MT_E_rsa_fault);
    assert_true(ct_is_zero(out, sizeof out));
    rsa_private_wipe(&k);
}

static void test_keygen_arguments(void **state)
{
    (void)state;
    static rsa_private k;
    assert_int_equal(rsa_generate(&k, 512, test_rng(1)), MT_E_bad_argument);
    assert_int_equal(rsa_generate(&k, 2047, test_rng(1)), MT_E_bad_argument);
    assert_int_equal(rsa_generate(&k, 8192, test_rng(1)), MT_E_bad_argument);
    /* 1024 bits is quick: check the structure. */
    assert_int_equal(rsa_generate(&k, 1024, test_rng(9)), MT_OK);
    assert_int_equal(k.pub.bits, 1024);
    assert_true(bn_cmp(&k.p, &k.q) > 0);
    static char pem[PEM_MAX_TEXT];
    size_t len;
    assert_int_equal(rsa_private_to_pem(&k, RSA_FORM_SPKI, pem, sizeof pem, &len), MT_OK);
    rsa_public pub;
    assert_int_equal(rsa_public_load_pem(&pub, pem, len, NULL, NULL), MT_OK);
    assert_int_equal(bn_cmp(&pub.n, &k.pub.n), 0);
    assert_int_equal(rsa_public_to_pem(&pub, RSA_FORM_PKCS8, pem, sizeof pem, &len),
                     MT_E_key_not_private);
    rsa_private_wipe(&k);
}

/* TL bytes (mtproto/serialize): 1-byte length up to 253, then 0xFE + 3 bytes; padded to 4. */
static void test_tl_bytes(void **state)
{
    (void)state;
    static const size_t lens[] = {0, 1, 2, 3, 4, 252, 253, 254, 255, 256, 1000};
    static uint8_t data[1000], buf[1100];
    tu_rand_bytes(data, sizeof data);
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        size_t n = lens[i];
        mt_wr w = wr_init(buf, sizeof buf);
        wr_tl_bytes(&w, data, n);
        assert_int_equal(w.err, 0);
        size_t head = n <= 253 ? 1 : 4;
        assert_int_equal(wr_len(&w), tl_bytes_size(n));
        assert_int_equal(wr_len(&w) % 4, 0);
        assert_true(wr_len(&w) >= head + n && wr_len(&w) < head + n + 4);
        if (n <= 253)
            assert_int_equal(buf[0], n);
        else
            assert_true(buf[0] == 254 && buf[1] == (n & 0xff) && buf[2] == (n >> 8) && buf[3] == 0);
        assert_memory_equal(buf + head, data, n);
        assert_true(ct_is_zero(buf + head + n, wr_len(&w) - head - n));
    }
    uint8_t small[4];
    mt_wr w = wr_init(small, sizeof small);
    wr_tl_bytes(&w, data, 4);
    assert_int_equal(w.err, MT_E_no_space);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consistency_check),
        cmocka_unit_test(test_public_init_rejections),
        cmocka_unit_test(test_input_range_and_fault),
        cmocka_unit_test(test_keygen_arguments),
        cmocka_unit_test(test_tl_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
