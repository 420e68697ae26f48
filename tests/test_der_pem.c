/* DER reader/writer, PEM armor and the RSA key forms: round trips, every rejection, and the
 * same keys loaded by OpenSSL (the oracle) giving the same n and e. */
#include "testutil.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto/der.h"
#include "crypto/pem.h"
#include "crypto/rsa_asn1.h"

static const char *const KEY_FILES[] = {"test_rsa2048_pub_pkcs1.pem", "test_rsa2048_pub_spki.pem",
                                        "test_rsa2048.pem", "test_rsa2048_pkcs8.pem"};

/* Reads vectors/keys/<name> into an exact-size buffer. */
static tu_buf read_key_file(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/vectors/keys/%s", MTPROOF_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t tmp[PEM_MAX_TEXT];
    size_t n = fread(tmp, 1, sizeof tmp, f);
    fclose(f);
    return tu_dup(tmp, n);
}

static int parse_hex(rsa_key_form form, const char *hex, size_t *off)
{
    tu_buf b = tu_hex(hex);
    rsa_key_der k;
    int err = rsa_der_parse(form, b.p, b.len, &k, off);
    tu_free(&b);
    return err;
}

static void expect_der(const char *hex, int want_err, size_t want_off)
{
    size_t off = 99;
    int err = parse_hex(RSA_FORM_PKCS1_PUBLIC, hex, &off);
    if (err != want_err || (want_err && off != want_off))
        fail_msg("%s: got %s at %zu, want %s at %zu", hex, mt_err_name(err), off,
                 mt_err_name(want_err), want_off);
}

static void test_der_rejections(void **state)
{
    (void)state;
    expect_der("3006020105020103", MT_OK, 0);
    expect_der("300602010502010300", MT_E_trailing_data, 8);
    expect_der("308106020105020103", MT_E_der_bad_length, 0);
    expect_der("30820006020105020103", MT_E_der_bad_length, 0);
    expect_der("30800201050201030000", MT_E_der_bad_length, 0);   /* indefinite */
    expect_der("3006020185020103", MT_E_der_bad_integer, 2);      /* negative */
    expect_der("300702020005020103", MT_E_der_bad_integer, 2);    /* non-minimal */
    expect_der("3007020200ff020103", MT_OK, 0);                   /* sign byte needed */
    expect_der("30050200020103", MT_E_der_bad_integer, 2);        /* empty */
    expect_der("3106020105020103", MT_E_der_bad_tag, 0);          /* SET, not SEQUENCE */
    expect_der("3006040105020103", MT_E_der_bad_tag, 2);          /* OCTET STRING */
    expect_der("300602010502", MT_E_der_bad_length, 0);           /* truncated */
    expect_der("30", MT_E_truncated, 0);                          /* truncated header */
    expect_der("", MT_E_truncated, 0);                            /* nothing */
    expect_der("3006020505020103", MT_E_der_bad_length, 2);       /* inner past its parent */
    expect_der("3003020105", MT_E_truncated, 5);                  /* e missing */
    expect_der("3009020105020103020101", MT_E_trailing_data, 8);  /* extra element */
    expect_der("3083000006020105020103", MT_E_der_bad_length, 0); /* 3 length bytes */
}

/* SPKI and PKCS#8 wrappers: the algorithm must be rsaEncryption with NULL parameters. */
static void test_der_wrappers(void **state)
{
    (void)state;
    const char *alg = "300d06092a864886f70d0101010500";
    char hex[256];
    size_t off;
    snprintf(hex, sizeof hex, "301a%s0309003006020105020103", alg);
    assert_int_equal(parse_hex(RSA_FORM_SPKI, hex, &off), MT_OK);
    snprintf(hex, sizeof hex, "301a%s0309013006020105020103", alg); /* unused bits */
    assert_int_equal(parse_hex(RSA_FORM_SPKI, hex, &off), MT_E_der_bad_value);
    assert_int_equal(off, 17);
    snprintf(hex, sizeof hex,
             "301b300e06092a864886f70d010101050100"
             "0309003006020105020103"); /* NULL with contents */
    assert_int_equal(parse_hex(RSA_FORM_SPKI, hex, &off), MT_E_der_bad_value);
    assert_int_equal(off, 15);
    snprintf(hex, sizeof hex,
             "301a300d06092a864886f70d0101050500"
             "0309003006020105020103"); /* sha1WithRSA: not a key OID */
    assert_int_equal(parse_hex(RSA_FORM_SPKI, hex, &off), MT_E_key_not_rsa);
    assert_int_equal(off, 4);
    /* PKCS#1 private key with version 1 (multi-prime) is refused. */
    assert_int_equal(parse_hex(RSA_FORM_PKCS1_PRIVATE,
                               "301b020101020105020103020101020101020101020101020101020101", &off),
                     MT_E_der_bad_value);
    assert_int_equal(off, 2);
    assert_int_equal(parse_hex(RSA_FORM_PKCS1_PRIVATE,
                               "301b020100020105020103020101020101020101020101020101020101", &off),
                     MT_OK);
}

static void test_der_writer(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {{"", "020100"},        {"00", "020100"},       {"7f", "02017f"},
                 {"80", "02020080"},    {"000080", "02020080"}, {"0100", "02020100"},
                 {"ff01", "020300ff01"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tu_buf in = tu_hex(cases[i].in), want = tu_hex(cases[i].want);
        uint8_t out[16];
        mt_wr w = wr_init(out, sizeof out);
        der_wr_uint(&w, in.p, in.len);
        assert_int_equal(w.err, 0);
        tu_assert_bytes(cases[i].in, out, wr_len(&w), want.p, want.len);
        tu_free(&in);
        tu_free(&want);
    }
    /* Length forms at their boundaries, and the reader takes back what the writer wrote. */
    const size_t lens[] = {0, 1, 127, 128, 255, 256, 1000, DER_MAX_LEN - 4};
    static uint8_t buf[DER_MAX_LEN + 16], body[DER_MAX_LEN];
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        tu_rand_bytes(body, lens[i]);
        mt_wr w = wr_init(buf, sizeof buf);
        size_t m = der_wr_begin(&w, DER_TAG_OCTET_STRING);
        wr_bytes(&w, body, lens[i]);
        der_wr_end(&w, m);
        assert_int_equal(w.err, 0);
        size_t hdr = lens[i] < 128 ? 2 : lens[i] < 256 ? 3 : 4;
        assert_int_equal(wr_len(&w), hdr + lens[i]);
        der_status st;
        der_rd d = der_reader(buf, wr_len(&w), &st);
        der_rd c = der_enter(&d, DER_TAG_OCTET_STRING);
        assert_int_equal(rd_left(&c.r), lens[i]);
        assert_memory_equal(c.r.p, body, lens[i]);
        rd_skip(&c.r, lens[i]);
        der_end(&c);
        assert_int_equal(der_done(&d), MT_OK);
    }
    /* Over the limit, and out of space. */
    mt_wr w = wr_init(buf, sizeof buf);
    size_t m = der_wr_begin(&w, DER_TAG_OCTET_STRING);
    wr_zeros(&w, DER_MAX_LEN + 1);
    der_wr_end(&w, m);
    assert_int_equal(w.err, MT_E_limit_exceeded);
    uint8_t small[4];
    w = wr_init(small, sizeof small);
    der_wr_uint(&w, body, 8);
    assert_int_equal(w.err, MT_E_no_space);
}

/* Each key file parses, re-encodes to the identical PEM text, and OpenSSL reads the same n, e. */
static void test_key_files_round_trip_and_match_openssl(void **state)
{
    (void)state;
    for (size_t i = 0; i < 4; i++) {
        tu_buf text = read_key_file(KEY_FILES[i]);
        uint8_t der[PEM_MAX_DER];
        rsa_key_der k;
        size_t off;
        assert_int_equal(rsa_pem_parse((const char *)text.p, text.len, der, sizeof der, &k, &off),
                         MT_OK);
        assert_int_equal(k.form, (rsa_key_form)i);
        assert_int_equal(k.n.len, 256);
        char out[PEM_MAX_TEXT];
        size_t out_len;
        assert_int_equal(rsa_pem_write(&k, out, sizeof out, &out_len), MT_OK);
        tu_assert_bytes(KEY_FILES[i], (const uint8_t *)out, out_len, text.p, text.len);

        BIO *bio = BIO_new_mem_buf(text.p, (int)text.len);
        EVP_PKEY *pk = NULL;
        if (i == 0) {
            const uint8_t *p = der;
            size_t n;
            char label[PEM_LABEL_MAX + 1];
            assert_int_equal(pem_decode((const char *)text.p, text.len, label, der, sizeof der, &n),
                             MT_OK);
            pk = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)n);
        } else if (i == 1) {
            pk = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
        } else {
            pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
        }
        assert_non_null(pk);
        BIGNUM *n = NULL, *e = NULL;
        assert_true(EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n));
        assert_true(EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e));
        uint8_t nb[512], eb[16];
        int nl = BN_bn2bin(n, nb), el = BN_bn2bin(e, eb);
        tu_assert_bytes("n", k.n.p, k.n.len, nb, (size_t)nl);
        tu_assert_bytes("e", k.e.p, k.e.len, eb, (size_t)el);
        BN_free(n);
        BN_free(e);
        EVP_PKEY_free(pk);
        BIO_free(bio);
        tu_free(&text);
    }
}

static int pem_parse_text(const char *text)
{
    uint8_t der[PEM_MAX_DER];
    rsa_key_der k;
    return rsa_pem_parse(text, strlen(text), der, sizeof der, &k, NULL);
}

#define SMALL_B64 "MAYCAQUCAQM=" /* base64 of the DER 3006020105020103 */

static void test_pem_rejections(void **state)
{
    (void)state;
    const char *B = "-----BEGIN RSA PUBLIC KEY-----\n", *E = "-----END RSA PUBLIC KEY-----\n";
    char t[512];
#define TRY(want, fmt, ...)                                                                        \
    do {                                                                                           \
        snprintf(t, sizeof t, fmt, __VA_ARGS__);                                                   \
        int got_ = pem_parse_text(t);                                                              \
        if (got_ != (want))                                                                        \
            fail_msg("got %s want %s for:\n%s", mt_err_name(got_), mt_err_name(want), t);          \
    } while (0)
    TRY(MT_OK, "%s%s\n%s", B, SMALL_B64, E);
    TRY(MT_OK, "explanatory text\n%s%s\r\n%s\n\n", B, SMALL_B64, E); /* text before, CRLF */
    TRY(MT_OK, "%sMAYCAQUC\nAQM=\n%s", B, E);                        /* line split anywhere */
    TRY(MT_E_pem_not_pem, "%s", "MAYCAQUCAQM=\n");
    TRY(MT_E_pem_not_pem, "%s%s\n", B, SMALL_B64); /* no END */
    TRY(MT_E_pem_bad_label, "%s%s\n%s", B, SMALL_B64, "-----END PUBLIC KEY-----\n");
    TRY(MT_E_pem_bad_label, "-----BEGIN RSA PUBLIC KEY----\n%s\n%s", SMALL_B64, E);
    TRY(MT_E_pem_bad_label, "-----BEGIN -----\n%s\n%s", SMALL_B64, E);
    TRY(MT_E_pem_unknown_label, "-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n",
        SMALL_B64);
    TRY(MT_E_pem_bad_base64, "%sMAYCAQ*CAQM=\n%s", B, E); /* bad character */
    TRY(MT_E_pem_bad_base64, "%sMAYCAQUCAR==\n%s", B, E); /* non-zero padding bits */
    TRY(MT_E_pem_bad_base64, "%sMAYC=QUCAQM=\n%s", B, E); /* '=' in the middle */
    TRY(MT_E_pem_bad_base64, "%sMAYCAQUCAQM\n%s", B, E);  /* length not a multiple of 4 */
    TRY(MT_E_pem_bad_base64, "%sMAYCAQUCAQM=MAYC\n%s", B, E);
    TRY(MT_E_pem_bad_base64, "%sMAYC AQUCAQM=\n%s", B, E); /* blank inside a line */
    TRY(MT_E_pem_bad_base64, "%sComment: x\n%s\n%s", B, SMALL_B64, E);
    TRY(MT_E_pem_encrypted, "%sProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n%s\n%s", B,
        SMALL_B64, E);
    TRY(MT_E_pem_encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n%s\n%s", SMALL_B64, E);
    TRY(MT_E_trailing_data, "%s%s\n%sjunk\n", B, SMALL_B64, E);
    TRY(MT_E_der_bad_length, "%sMAYCAQUC\n%s", B, E); /* DER cut short */
#undef TRY
    /* Over the size limit. */
    static char big[PEM_MAX_TEXT + 2];
    memset(big, ' ', sizeof big - 1);
    assert_int_equal(pem_parse_text(big), MT_E_limit_exceeded);
}

/* Every truncation of a real key file fails cleanly (no crash, an error, never success). */
static void test_truncated_key_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < 4; i++) {
        tu_buf text = read_key_file(KEY_FILES[i]);
        for (size_t cut = 0; cut < text.len - 1; cut += 7) {
            tu_buf part = tu_dup(text.p, cut);
            uint8_t der[PEM_MAX_DER];
            rsa_key_der k;
            assert_int_not_equal(
                rsa_pem_parse((const char *)part.p, part.len, der, sizeof der, &k, NULL), MT_OK);
            tu_free(&part);
        }
        tu_free(&text);
    }
}

/* Random bytes through PEM encode/decode come back unchanged. */
static void test_pem_round_trip_random(void **state)
{
    (void)state;
    tu_rand_seed(31);
    for (size_t n = 0; n < 300; n++) {
        uint8_t in[300], back[300];
        tu_rand_bytes(in, n);
        char text[1024], label[PEM_LABEL_MAX + 1];
        size_t tl, bl;
        assert_int_equal(pem_encode("TEST DATA", in, n, text, sizeof text, &tl), MT_OK);
        assert_int_equal(tl, pem_encoded_len(9, n));
        assert_int_equal(pem_decode(text, tl, label, back, sizeof back, &bl), MT_OK);
        assert_string_equal(label, "TEST DATA");
        tu_assert_bytes("round trip", back, bl, in, n);
    }
    char text[64];
    size_t tl;
    assert_int_equal(pem_encode("X", (const uint8_t *)"abc", 3, text, 20, &tl), MT_E_no_space);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_der_rejections),
        cmocka_unit_test(test_der_wrappers),
        cmocka_unit_test(test_der_writer),
        cmocka_unit_test(test_key_files_round_trip_and_match_openssl),
        cmocka_unit_test(test_pem_rejections),
        cmocka_unit_test(test_truncated_key_files),
        cmocka_unit_test(test_pem_round_trip_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
