/*
 * The shim in-process (harness/shim.h): every op on a known answer (published values, or OpenSSL
 * as the oracle), every error path of the request parser, id echo, the op registry, the line loop
 * (blank lines, a last line without newline, an over-long line) and the line reader's limit.
 */
#include "testutil.h"

#include <unistd.h>

#include <openssl/evp.h>

#include "common/hex.h"
#include "harness/linebuf.h"
#include "crypto/rsa.h"
#include "harness/shim.h"

/* Answers one request; returns the parsed response and checks the return code agrees with it. */
static json_t *ask(const char *req)
{
    char *line = NULL;
    int err = shim_handle_line(req, strlen(req), &line);
    assert_non_null(line);
    assert_null(strchr(line, '\n'));
    json_error_t e;
    json_t *r = json_loads(line, JSON_REJECT_DUPLICATES, &e);
    if (!r)
        fail_msg("response is not JSON: %s", line);
    free(line);
    assert_true(json_is_object(r));
    assert_int_equal(err == MT_OK, json_is_true(json_object_get(r, "ok")));
    return r;
}

/* The op must succeed with field `field` equal to the string `want`. */
static void expect_out(const char *req, const char *field, const char *want)
{
    json_t *r = ask(req);
    const char *got = json_string_value(json_object_get(r, field));
    if (!json_is_true(json_object_get(r, "ok")) || !got || strcmp(got, want) != 0)
        fail_msg("%s\n  want %s=%s\n  got  %s", req, field, want, json_dumps(r, JSON_COMPACT));
    json_decref(r);
}

/* The request must fail with error `name`, a non-empty detail and, when want_detail is set, a
 * detail containing it. */
static void expect_error(const char *req, const char *name, const char *want_detail)
{
    json_t *r = ask(req);
    const char *err = json_string_value(json_object_get(r, "error"));
    const char *detail = json_string_value(json_object_get(r, "detail"));
    if (!json_is_false(json_object_get(r, "ok")) || !err || strcmp(err, name) != 0 || !detail ||
        !detail[0] || (want_detail && !strstr(detail, want_detail)))
        fail_msg("%s\n  want error %s (%s)\n  got %s", req, name, want_detail ? want_detail : "",
                 json_dumps(r, JSON_COMPACT));
    json_decref(r);
}

static void test_hashes_and_kdfs(void **state)
{
    (void)state;
    /* FIPS 180-2 appendix A/B "abc" */
    expect_out("{\"op\":\"sha1\",\"data\":\"616263\"}", "out",
               "a9993e364706816aba3e25717850c26c9cd0d89d");
    expect_out("{\"op\":\"sha256\",\"data\":\"616263\"}", "out",
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* RFC 4231 test case 1 */
    expect_out("{\"op\":\"hmac_sha256\",\"key\":\"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b\","
               "\"data\":\"4869205468657265\"}",
               "out", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    /* RFC 5869 test case 1 */
    expect_out(
        "{\"op\":\"hkdf_sha256\",\"ikm\":\"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b\","
        "\"salt\":\"000102030405060708090a0b0c\",\"info\":\"f0f1f2f3f4f5f6f7f8f9\","
        "\"length\":42}",
        "out",
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    /* vectors/hmac_drbg_sha256.json tcId 1 (Python generator, independent of our code) */
    expect_out("{\"op\":\"drbg_generate\",\"seed\":\"\",\"length\":64}", "out",
               "b44299907e4e42aa4fded5d6153e8bac3f35987bbe5fa08865c45339214784a2"
               "b1abb0535a59d96a5f096954a5bc670995a4e2e5c3b8fa00c981cf0efcfa7842");
    /* CRC-32 check value of "123456789" */
    json_t *r = ask("{\"op\":\"crc32\",\"data\":\"313233343536373839\"}");
    assert_true(json_integer_value(json_object_get(r, "value")) == 0xCBF43926);
    json_decref(r);
}

static void test_aes_known_answers(void **state)
{
    (void)state;
    /* FIPS-197 appendix C.1 and C.3 */
    expect_out("{\"op\":\"aes128_ecb_encrypt\",\"key\":\"000102030405060708090a0b0c0d0e0f\","
               "\"data\":\"00112233445566778899aabbccddeeff\"}",
               "out", "69c4e0d86a7b0430d8cdb78070b4c55a");
    expect_out("{\"op\":\"aes256_ecb_encrypt\",\"key\":\"000102030405060708090a0b0c0d0e0f1011121314"
               "15161718191a1b1c1d1e1f\",\"data\":\"00112233445566778899aabbccddeeff\"}",
               "out", "8ea2b7ca516745bfeafc49904b496089");
    expect_out("{\"op\":\"aes256_ecb_decrypt\",\"key\":\"000102030405060708090a0b0c0d0e0f1011121314"
               "15161718191a1b1c1d1e1f\",\"data\":\"8ea2b7ca516745bfeafc49904b496089\"}",
               "out", "00112233445566778899aabbccddeeff");
    expect_out("{\"op\":\"aes128_ecb_decrypt\",\"key\":\"000102030405060708090a0b0c0d0e0f\","
               "\"data\":\"69c4e0d86a7b0430d8cdb78070b4c55a\"}",
               "out", "00112233445566778899aabbccddeeff");
    /* OpenSSL test/igetest.c, ige_test_vectors[0] and its reverse */
    const char *k128 =
        "\"key\":\"000102030405060708090a0b0c0d0e0f\",\"iv\":\"000102030405060708090a"
        "0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"";
    char req[512];
    snprintf(req, sizeof req, "{\"op\":\"aes128_ige_encrypt\",%s,\"data\":\"%064d\"}", k128, 0);
    expect_out(req, "out", "1a8519a6557be652e9da8e43da4ef4453cf456b4ca488aa383c79c98b34797cb");
    snprintf(req, sizeof req,
             "{\"op\":\"aes128_ige_decrypt\",%s,\"data\":\"1a8519a6557be652e9da8e43da4ef445"
             "3cf456b4ca488aa383c79c98b34797cb\"}",
             k128);
    expect_out(req, "out", "0000000000000000000000000000000000000000000000000000000000000000");
}

/* AES-256-IGE by the definition in crypto/ige.h over OpenSSL's ECB, the oracle for one case. */
static void oracle_ige256(const uint8_t key[32], const uint8_t iv[32], const uint8_t *in,
                          uint8_t *out, size_t n)
{
    EVP_CIPHER_CTX *e = EVP_CIPHER_CTX_new();
    int len;
    assert_int_equal(EVP_EncryptInit_ex(e, EVP_aes_256_ecb(), NULL, key, NULL), 1);
    EVP_CIPHER_CTX_set_padding(e, 0);
    uint8_t prev_c[16], prev_p[16], x[16];
    memcpy(prev_c, iv, 16);
    memcpy(prev_p, iv + 16, 16);
    for (size_t b = 0; b < n; b += 16) {
        for (int i = 0; i < 16; i++)
            x[i] = in[b + i] ^ prev_c[i];
        assert_int_equal(EVP_EncryptUpdate(e, out + b, &len, x, 16), 1);
        for (int i = 0; i < 16; i++)
            out[b + i] ^= prev_p[i];
        memcpy(prev_p, in + b, 16);
        memcpy(prev_c, out + b, 16);
    }
    EVP_CIPHER_CTX_free(e);
}

static void test_aes256_ige_and_ctr_against_openssl(void **state)
{
    (void)state;
    uint8_t key[32], iv[32], data[64], want[64];
    char hk[65], hiv[65], hd[129], hw[129], req[512];
    tu_rand_seed(2);
    tu_rand_bytes(key, 32);
    tu_rand_bytes(iv, 32);
    tu_rand_bytes(data, 64);
    hex_encode(key, 32, hk);
    hex_encode(data, 64, hd);
    hex_encode(iv, 32, hiv);
    oracle_ige256(key, iv, data, want, 64);
    hex_encode(want, 64, hw);
    snprintf(req, sizeof req,
             "{\"op\":\"aes256_ige_encrypt\",\"key\":\"%s\",\"iv\":\"%s\","
             "\"data\":\"%s\"}",
             hk, hiv, hd);
    expect_out(req, "out", hw);
    snprintf(req, sizeof req,
             "{\"op\":\"aes256_ige_decrypt\",\"key\":\"%s\",\"iv\":\"%s\","
             "\"data\":\"%s\"}",
             hk, hiv, hw);
    expect_out(req, "out", hd);

    EVP_CIPHER_CTX *e = EVP_CIPHER_CTX_new();
    int len;
    assert_int_equal(EVP_EncryptInit_ex(e, EVP_aes_256_ctr(), NULL, key, iv), 1);
    assert_int_equal(EVP_EncryptUpdate(e, want, &len, data, 37), 1);
    EVP_CIPHER_CTX_free(e);
    hex_encode(want, 37, hw);
    hex_encode(data, 37, hd);
    hiv[32] = '\0'; /* CTR takes a 16-byte IV */
    snprintf(req, sizeof req,
             "{\"op\":\"aes256_ctr\",\"key\":\"%s\",\"iv\":\"%s\",\"data\":\"%s\"}", hk, hiv, hd);
    expect_out(req, "out", hw);
}

static void test_request_errors(void **state)
{
    (void)state;
    expect_error("{\"op\":", "bad_json", NULL);
    expect_error("not json", "bad_json", NULL);
    expect_error("", "bad_json", NULL);
    expect_error("[1,2]", "bad_json", "object");
    expect_error("7", "bad_json", "object");
    expect_error("{\"op\":\"sha1\",\"data\":\"00\"} {}", "bad_json", NULL);
    expect_error("{\"op\":\"sha1\",\"data\":\"00\",\"data\":\"00\"}", "bad_json", "duplicate");
    expect_error("{\"id\":1}", "missing_field", "'op'");
    expect_error("{\"op\":5}", "bad_field", "'op'");
    expect_error("{\"op\":null}", "bad_field", "'op'");
    expect_error("{\"op\":\"no_such_op\"}", "unimplemented", "no_such_op");
    expect_error("{\"op\":\"sha1\"}", "missing_field", "'data'");
    expect_error("{\"op\":\"hmac_sha256\",\"data\":\"00\"}", "missing_field", "'key'");
    expect_error("{\"op\":\"sha1\",\"data\":\"00\",\"dat\":\"00\"}", "bad_field", "'dat'");
    expect_error("{\"op\":\"sha1\",\"data\":\"zz\"}", "bad_hex", "'data'");
    expect_error("{\"op\":\"sha1\",\"data\":\"abc\"}", "bad_hex", "odd");
    expect_error("{\"op\":\"sha1\",\"data\":12}", "bad_field", "'data'");
    expect_error("{\"op\":\"sha1\",\"data\":[\"00\"]}", "bad_field", "'data'");
    expect_error("{\"op\":\"drbg_generate\",\"seed\":\"\",\"length\":\"4\"}", "bad_field",
                 "length");
    expect_error("{\"op\":\"drbg_generate\",\"seed\":\"\",\"length\":4.0}", "bad_field", "length");
    expect_error("{\"op\":\"drbg_generate\",\"seed\":\"\",\"length\":true}", "bad_field", "length");
    expect_error("{\"op\":\"drbg_generate\",\"seed\":\"\",\"length\":-1}", "bad_field", "negative");
    expect_error("{\"op\":\"drbg_generate\",\"seed\":\"\",\"length\":16777217}", "limit_exceeded",
                 "length");
    expect_error("{\"op\":\"sha1\",\"data\":\"00\\u0000\"}", "bad_json", NULL);
    /* Errors of the primitives come through by name. */
    expect_error("{\"op\":\"aes256_ecb_encrypt\",\"key\":\"00\",\"data\":\"\"}", "bad_key_size",
                 NULL);
    expect_error("{\"op\":\"aes128_ecb_encrypt\",\"key\":\"000102030405060708090a0b0c0d0e0f000102"
                 "030405060708090a0b0c0d0e0f\",\"data\":\"\"}",
                 "bad_key_size", NULL);
    expect_error(
        "{\"op\":\"aes256_ige_encrypt\",\"key\":\"000102030405060708090a0b0c0d0e0f000102030"
        "405060708090a0b0c0d0e0f\",\"iv\":\"00\",\"data\":\"\"}",
        "bad_iv_size", NULL);
    expect_error(
        "{\"op\":\"aes256_ige_decrypt\",\"key\":\"000102030405060708090a0b0c0d0e0f000102030"
        "405060708090a0b0c0d0e0f\",\"iv\":\"000102030405060708090a0b0c0d0e0f000102030"
        "405060708090a0b0c0d0e0f\",\"data\":\"00\"}",
        "bad_data_size", NULL);
    expect_error(
        "{\"op\":\"hkdf_sha256\",\"salt\":\"\",\"ikm\":\"\",\"info\":\"\",\"length\":8161}",
        "output_too_long", NULL);
}

/* A data field decoding to one byte over SHIM_MAX_FIELD is refused before it is decoded. */
static void test_oversize_field(void **state)
{
    (void)state;
    size_t hex_len = 2 * (SHIM_MAX_FIELD + 1);
    const char *head = "{\"op\":\"sha256\",\"data\":\"";
    size_t head_len = strlen(head);
    char *req = malloc(head_len + hex_len + 3);
    assert_non_null(req);
    memcpy(req, head, head_len);
    memset(req + head_len, 'a', hex_len);
    memcpy(req + head_len + hex_len, "\"}", 3);
    expect_error(req, "limit_exceeded", "'data'");
    free(req);
}

static void test_id_echo(void **state)
{
    (void)state;
    static const char *const ids[] = {"7", "-3", "\"abc\"", "null", "{\"a\":[1,2]}", "1.5", "true"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char req[128];
        json_t *want = json_loads(ids[i], JSON_DECODE_ANY, NULL);
        for (int bad = 0; bad < 2; bad++) {
            snprintf(req, sizeof req, "{\"id\":%s,\"op\":\"%s\",\"data\":\"00\"}", ids[i],
                     bad ? "nope" : "sha1");
            json_t *r = ask(req);
            assert_true(json_equal(json_object_get(r, "id"), want));
            /* id first, then ok: a reader can pair responses by eye */
            assert_string_equal(json_object_iter_key(json_object_iter(r)), "id");
            json_decref(r);
        }
        json_decref(want);
    }
    json_t *r = ask("{\"op\":\"sha1\",\"data\":\"00\"}");
    assert_null(json_object_get(r, "id"));
    json_decref(r);
    r = ask("{\"op\":\"nope\"}");
    assert_null(json_object_get(r, "id"));
    json_decref(r);
}

static void test_registry(void **state)
{
    (void)state;
    json_t *r = ask("{\"op\":\"list_ops\",\"id\":1}");
    json_t *ops = json_object_get(r, "ops");
    size_t total = 0;
    for (size_t t = 0; shim_op_tables[t]; t++)
        for (size_t i = 0; i < shim_op_tables[t]->count; i++) {
            const shim_op *op = &shim_op_tables[t]->ops[i];
            assert_ptr_equal(shim_find_op(op->name), op); /* names are unique */
            assert_string_equal(json_string_value(json_array_get(ops, total)), op->name);
            total++;
        }
    assert_int_equal(json_array_size(ops), total);
    static const char *const required[] = {"sha1",
                                           "sha256",
                                           "hmac_sha256",
                                           "hkdf_sha256",
                                           "aes256_ecb_encrypt",
                                           "aes256_ecb_decrypt",
                                           "aes256_ige_encrypt",
                                           "aes256_ige_decrypt",
                                           "aes256_ctr",
                                           "crc32",
                                           "aes128_ecb_encrypt",
                                           "aes128_ecb_decrypt",
                                           "aes128_ige_encrypt",
                                           "aes128_ige_decrypt",
                                           "drbg_generate",
                                           "list_ops"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        assert_non_null(shim_find_op(required[i]));
    assert_null(shim_find_op("SHA1"));
    json_decref(r);
}

/* Runs shim_serve over `input` (through a temporary file) and returns its output. */
static char *serve(const char *input, size_t len)
{
    FILE *in = tmpfile(), *out = tmpfile();
    assert_non_null(in);
    assert_non_null(out);
    assert_int_equal(fwrite(input, 1, len, in), len);
    fflush(in);
    rewind(in);
    assert_int_equal(shim_serve(fileno(in), fileno(out)), MT_OK);
    long n = lseek(fileno(out), 0, SEEK_END);
    char *text = calloc((size_t)n + 1, 1);
    assert_int_equal(pread(fileno(out), text, (size_t)n, 0), n);
    fclose(in);
    fclose(out);
    return text;
}

static void test_line_loop(void **state)
{
    (void)state;
    const char script[] = "{\"id\":1,\"op\":\"sha1\",\"data\":\"\"}\n"
                          "\n   \t\r\n"
                          "{\"id\":2,\"op\":\"bogus\"}\r\n"
                          "{oops\n"
                          "{\"id\":3,\"op\":\"crc32\",\"data\":\"\"}";
    char *got = serve(script, sizeof script - 1);
    assert_string_equal(
        got, "{\"id\":1,\"ok\":true,\"out\":\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"}\n"
             "{\"id\":2,\"ok\":false,\"error\":\"unimplemented\",\"detail\":\"no op "
             "'bogus' (list_ops lists them)\"}\n"
             "{\"ok\":false,\"error\":\"bad_json\",\"detail\":\"string or '}' expected "
             "near 'oops' (column 5)\"}\n"
             "{\"id\":3,\"ok\":true,\"value\":0}\n");
    free(got);
}

/* A line over SHIM_MAX_LINE gets one limit_exceeded answer and the next line is still served. */
static void test_line_too_long(void **state)
{
    (void)state;
    size_t big = SHIM_MAX_LINE + 10;
    const char *tail = "\n{\"id\":9,\"op\":\"sha1\",\"data\":\"\"}\n";
    char *input = malloc(big + strlen(tail));
    assert_non_null(input);
    memset(input, ' ', big);
    input[0] = '{';
    memcpy(input + big, tail, strlen(tail));
    char *got = serve(input, big + strlen(tail));
    free(input);
    const char *second = strchr(got, '\n');
    assert_non_null(second);
    assert_non_null(strstr(got, "\"error\":\"limit_exceeded\""));
    assert_true(strstr(got, "limit_exceeded") < second);
    assert_string_equal(
        second + 1,
        "{\"id\":9,\"ok\":true,\"out\":\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"}\n");
    free(got);
}

/* Reads all of `input` through a linebuf of limit `max`; each event appended to `log` as
 * "L:<line>|" or "T|" (too long). */
static void read_lines(const char *input, size_t len, size_t max, char *log, size_t cap)
{
    FILE *in = tmpfile();
    assert_non_null(in);
    assert_int_equal(fwrite(input, 1, len, in), len);
    fflush(in);
    rewind(in);
    linebuf b;
    linebuf_init(&b, max);
    log[0] = '\0';
    for (;;) {
        const char *line;
        size_t n;
        int got = linebuf_next(&b, &line, &n);
        size_t used = strlen(log);
        if (got == LINEBUF_LINE)
            snprintf(log + used, cap - used, "L:%.*s|", (int)n, line);
        else if (got == LINEBUF_TOO_LONG)
            snprintf(log + used, cap - used, "T|");
        else if (b.eof)
            break;
        else
            assert_true(linebuf_read(&b, fileno(in)) >= 0);
        /* memory stays bounded by the limit plus one read */
        assert_true(b.cap <= 2 * (max + LINEBUF_CHUNK));
    }
    linebuf_free(&b);
    fclose(in);
}

static void test_linebuf_limit(void **state)
{
    (void)state;
    size_t huge = 3 * LINEBUF_CHUNK + 5;
    char *input = malloc(huge + 64);
    assert_non_null(input);
    size_t n = 0;
    n += (size_t)sprintf(input + n, "abc\n");
    memset(input + n, 'x', huge);
    n += huge;
    n += (size_t)sprintf(input + n, "\n12345678\n123456789\n\ntail");
    char log[256];
    read_lines(input, n, 8, log, sizeof log);
    assert_string_equal(log, "L:abc|T|L:12345678|T|L:|L:tail|");
    /* an over-long last line without a newline, spanning reads */
    memset(input, 'y', huge);
    read_lines(input, huge, 8, log, sizeof log);
    assert_string_equal(log, "T|");
    read_lines("", 0, 8, log, sizeof log);
    assert_string_equal(log, "");
    free(input);
}

/* Reads a file of the source tree as hex text (malloc'd). */
static char *file_hex(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", MTPROOF_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t buf[16384];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    char *hex = malloc(2 * n + 1);
    assert_non_null(hex);
    hex_encode(buf, n, hex);
    return hex;
}

/* rsa_pad_encrypt without temp_key and padding draws them at random (two runs differ), and the
 * server-side decrypt of the result gives back data followed by the padding; giving only one of
 * the two is refused. */
static void test_rsa_pad_random_mode(void **state)
{
    (void)state;
    char *pub = file_hex("vectors/keys/test_rsa2048_pub_pkcs1.pem");
    char *priv = file_hex("vectors/keys/test_rsa2048.pem");
    static rsa_public k;
    tu_buf pem = tu_hex(pub);
    assert_int_equal(rsa_public_load_pem(&k, (const char *)pem.p, pem.len, NULL, NULL), MT_OK);
    uint8_t n[256], e[3];
    assert_int_equal(bn_to_bytes(&k.n, n, sizeof n), MT_OK);
    assert_int_equal(bn_to_bytes(&k.e, e, sizeof e), MT_OK);
    char n_hex[513], e_hex[7], req[8192];
    hex_encode(n, sizeof n, n_hex);
    hex_encode(e, sizeof e, e_hex);
    char *outs[2];
    for (int run = 0; run < 2; run++) {
        snprintf(req, sizeof req,
                 "{\"op\":\"rsa_pad_encrypt\",\"n\":\"%s\",\"e\":\"%s\","
                 "\"data\":\"00112233\"}",
                 n_hex, e_hex);
        json_t *r = ask(req);
        assert_true(json_is_true(json_object_get(r, "ok")));
        outs[run] = strdup(json_string_value(json_object_get(r, "out")));
        assert_int_equal(strlen(outs[run]), 512);
        json_decref(r);
        char *dreq = malloc(strlen(priv) + 1024);
        assert_non_null(dreq);
        sprintf(dreq, "{\"op\":\"rsa_pad_decrypt\",\"private_key_pem\":\"%s\",\"data\":\"%s\"}",
                priv, outs[run]);
        r = ask(dreq);
        const char *plain = json_string_value(json_object_get(r, "out"));
        assert_non_null(plain);
        assert_int_equal(strlen(plain), 384);
        assert_memory_equal(plain, "00112233", 8);
        json_decref(r);
        free(dreq);
    }
    assert_string_not_equal(outs[0], outs[1]);
    snprintf(req, sizeof req,
             "{\"op\":\"rsa_pad_encrypt\",\"n\":\"%s\",\"e\":\"%s\","
             "\"data\":\"00\",\"temp_key\":\"%064d\"}",
             n_hex, e_hex, 0);
    expect_error(req, "missing_field", "both");
    free(outs[0]);
    free(outs[1]);
    tu_free(&pem);
    free(pub);
    free(priv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hashes_and_kdfs),
        cmocka_unit_test(test_aes_known_answers),
        cmocka_unit_test(test_aes256_ige_and_ctr_against_openssl),
        cmocka_unit_test(test_request_errors),
        cmocka_unit_test(test_oversize_field),
        cmocka_unit_test(test_id_echo),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_line_loop),
        cmocka_unit_test(test_line_too_long),
        cmocka_unit_test(test_linebuf_limit),
        cmocka_unit_test(test_rsa_pad_random_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
