/*
 * The transcript format (harness/transcript.h, docs/transcripts.md): round trips through the
 * writer and the parser, and every parser error with its line and column.
 */
#include "harness/transcript.h"
#include "testutil.h"

#define HEAD "mtproof-transcript 1\nrecords handshake\nlayer packet\n"

/* Parses text (from an exact-size copy: no NUL after it). */
static int parse(const char *text, mt_transcript *t, tr_error *e)
{
    tu_buf b = tu_dup(text, strlen(text));
    int err = transcript_parse((const char *)b.p, b.len, t, e);
    tu_free(&b);
    return err;
}

/* Writes t and parses it back: equal, with and without the decoded view. */
static void round_trip(const mt_transcript *t)
{
    for (int decoded = 0; decoded < 2; decoded++) {
        tr_write_opts o = {.decoded = decoded};
        char *text;
        size_t len;
        assert_int_equal(transcript_format(t, &o, &text, &len), MT_OK);
        mt_transcript u;
        tr_error e;
        tu_buf b = tu_dup(text, len);
        if (transcript_parse((const char *)b.p, b.len, &u, &e) != MT_OK)
            fail_msg("%u:%u: %s\n%s", e.line, e.col, e.msg, text);
        assert_true(transcript_equal(t, &u));
        transcript_free(&u);
        tu_free(&b);
        free(text);
    }
}

static void test_built_round_trip(void **state)
{
    (void)state;
    mt_transcript t;
    transcript_init(&t);
    uint8_t bytes[300], key[256];
    tu_rand_seed(7);
    tu_rand_bytes(bytes, sizeof bytes);
    tu_rand_bytes(key, sizeof key);
    assert_int_equal(transcript_set_word(&t.records, "session"), MT_OK);
    t.layer = TR_LAYER_TRANSPORT;
    assert_int_equal(transcript_set_word(&t.transport, "intermediate"), MT_OK);
    assert_int_equal(transcript_add_text(&t.sources, "a test, with | and # inside"), MT_OK);
    assert_int_equal(transcript_add_text(&t.notes, "UTF-8 is fine: \xc3\xa9"), MT_OK);
    assert_int_equal(transcript_set_word(&t.no_replay[TR_SERVER], "no key"), MT_OK);
    assert_int_equal(transcript_add_hex(&t.randoms, TR_CLIENT, "nonce", bytes, 16), MT_OK);
    assert_int_equal(transcript_add_hex(&t.randoms, TR_CLIENT, "nonce", bytes + 1, 16), MT_OK);
    assert_int_equal(transcript_add_int(&t.params, TR_CLIENT, "dc", -10002), MT_OK);
    assert_int_equal(transcript_add_word(&t.expects, TR_SERVER, "result", "HSS_LATCHED"), MT_OK);
    assert_int_equal(transcript_add_int(&t.expects, TR_SERVER, "retries", INT64_MIN), MT_OK);
    assert_int_equal(transcript_add_rsa_key(&t, 0xd09d1d85de64fd85ull, "k.pem"), MT_OK);
    assert_int_equal(transcript_add_rsa_key(&t, 1, NULL), MT_OK);
    assert_int_equal(transcript_add_key(&t, key, sizeof key), MT_OK);
    t.dh_g = 7;
    for (size_t n = 1; n <= sizeof bytes; n += 37)
        assert_int_equal(transcript_add_frame(&t, n % 2, 1000000000ull * n + n, bytes, n), MT_OK);
    transcript_frame(&t, 2)->unreproducible = strdup("random");
    round_trip(&t);
    t.layer = TR_LAYER_PACKET; /* the decoded view of packets that are no packets */
    free(t.transport);
    t.transport = NULL;
    round_trip(&t);
    transcript_free(&t);
}

static void test_builders_refuse(void **state)
{
    (void)state;
    mt_transcript t;
    transcript_init(&t);
    uint8_t b[1] = {0};
    assert_int_equal(transcript_add_text(&t.notes, " edge"), MT_E_bad_argument);
    assert_int_equal(transcript_add_text(&t.notes, "line\nbreak"), MT_E_bad_argument);
    assert_int_equal(transcript_add_hex(&t.randoms, TR_CLIENT, "a b", b, 1), MT_E_bad_argument);
    assert_int_equal(transcript_add_hex(&t.randoms, TR_CLIENT, "x", b, 0), MT_E_bad_argument);
    assert_int_equal(transcript_add_word(&t.params, 2, "dc", "x"), MT_E_bad_argument);
    assert_int_equal(transcript_add_frame(&t, 2, 0, b, 1), MT_E_bad_argument);
    transcript_free(&t);
}

static void test_parse_forms(void **state)
{
    (void)state;
    mt_transcript t;
    tr_error e;
    const char *text = "# comment\r\n\r\n  " HEAD "rsa-key D09D1D85DE64FD85\n"
                       "param client dc 2\nexpect client auth-key-id 0011 2233\n"
                       "frame 1 c2s 5\nhex 00 11\n| view\nhex 2233\n  # comment\n"
                       "frame 2 s2c 5.5\nunreproducible why not\nhex ff";
    assert_int_equal(parse(text, &t, &e), MT_OK);
    assert_int_equal(t.frames.n, 2);
    assert_int_equal(transcript_frame(&t, 0)->bytes.len, 4);
    assert_int_equal(transcript_frame(&t, 1)->time_ns, 5500000000ull);
    assert_string_equal(transcript_frame(&t, 1)->unreproducible, "why not");
    assert_int_equal(transcript_find(&t.expects, TR_CLIENT, "auth-key-id")->hex.len, 4);
    assert_int_equal(((tr_rsa_key *)t.rsa_keys.v)[0].fingerprint, 0xd09d1d85de64fd85ull);
    assert_int_equal(transcript_frame(&t, 1)->line, 14);
    round_trip(&t);
    transcript_free(&t);
}

typedef struct bad_case {
    const char *text;
    int code;
    uint32_t line, col;
} bad_case;

static const bad_case bad[] = {
    {"", MT_E_transcript_version, 1, 1},
    {"records handshake\n", MT_E_transcript_version, 1, 1},
    {"mtproof-transcript 2\n", MT_E_transcript_version, 1, 20},
    {"mtproof-transcript 01\n", MT_E_transcript_syntax, 1, 20},
    {"mtproof-transcript 1 x\n", MT_E_transcript_syntax, 1, 22},
    {"mtproof-transcript 1\n", MT_E_transcript_missing, 2, 1},
    {"mtproof-transcript 1\nrecords handshake\n", MT_E_transcript_missing, 3, 1},
    {HEAD "bogus 1\n", MT_E_transcript_keyword, 4, 1},
    {HEAD "records x\n", MT_E_transcript_duplicate, 4, 1},
    {HEAD "layer packet\n", MT_E_transcript_duplicate, 4, 1},
    {"mtproof-transcript 1\nrecords h\nlayer wire\n", MT_E_transcript_syntax, 3, 7},
    {"mtproof-transcript 1\nrecords h\nlayer transport\n", MT_E_transcript_missing, 4, 1},
    {HEAD "transport abridged\n", MT_E_transcript_misplaced, 5, 1},
    {HEAD "source\n", MT_E_transcript_syntax, 4, 7},
    {HEAD "seed client 0g\n", MT_E_transcript_bad_hex, 4, 14},
    {HEAD "seed client 012\n", MT_E_transcript_bad_hex, 4, 15},
    {HEAD "seed client\n", MT_E_transcript_bad_hex, 4, 12},
    {HEAD "seed client 00\nseed client 00\n", MT_E_transcript_duplicate, 5, 1},
    {HEAD "seed both 00\n", MT_E_transcript_syntax, 4, 6},
    {HEAD "random client nonce\n", MT_E_transcript_bad_hex, 4, 20},
    {HEAD "random client n\x80 00\n", MT_E_transcript_syntax, 4, 16},
    {HEAD "param client colour red\n", MT_E_transcript_keyword, 4, 14},
    {HEAD "param client dc two\n", MT_E_transcript_syntax, 4, 17},
    {HEAD "param client dc 9223372036854775808\n", MT_E_transcript_syntax, 4, 17},
    {HEAD "param client dc -0\n", MT_E_transcript_syntax, 4, 17},
    {HEAD "param client dc 1\nparam client dc 1\n", MT_E_transcript_duplicate, 5, 14},
    {HEAD "expect server auth-key zz\n", MT_E_transcript_bad_hex, 4, 24},
    {HEAD "expect server result ok ok\n", MT_E_transcript_syntax, 4, 25},
    {HEAD "rsa-key 123\n", MT_E_transcript_bad_hex, 4, 9},
    {HEAD "rsa-key 000000000000000g\n", MT_E_transcript_bad_hex, 4, 24},
    {HEAD "dh-g 0\n", MT_E_transcript_syntax, 4, 6},
    {HEAD "dh-g\n", MT_E_transcript_syntax, 4, 5},
    {HEAD "auth-key\n", MT_E_transcript_bad_hex, 4, 9},
    {HEAD "hex 00\n", MT_E_transcript_misplaced, 4, 1},
    {HEAD "| view\n", MT_E_transcript_misplaced, 4, 1},
    {HEAD "frame 2 c2s 1\nhex 00\n", MT_E_transcript_frame_order, 4, 7},
    {HEAD "frame 1 up 1\nhex 00\n", MT_E_transcript_syntax, 4, 9},
    {HEAD "frame 1 c2s\nhex 00\n", MT_E_transcript_syntax, 4, 12},
    {HEAD "frame 1 c2s 1.\nhex 00\n", MT_E_transcript_syntax, 4, 14},
    {HEAD "frame 1 c2s 1.1234567890\nhex 00\n", MT_E_transcript_syntax, 4, 14},
    {HEAD "frame 1 c2s 1.5x\nhex 00\n", MT_E_transcript_syntax, 4, 16},
    {HEAD "frame 1 c2s 99999999999\nhex 00\n", MT_E_transcript_syntax, 4, 13},
    {HEAD "frame 1 c2s 2\nhex 00\nframe 2 s2c 1.9\nhex 00\n", MT_E_transcript_frame_order, 6, 13},
    {HEAD "frame 1 c2s 1\nframe 2 s2c 1\nhex 00\n", MT_E_transcript_missing, 4, 1},
    {HEAD "frame 1 c2s 1\n", MT_E_transcript_missing, 4, 1},
    {HEAD "frame 1 c2s 1\nhex 0\n", MT_E_transcript_bad_hex, 5, 5},
    {HEAD "frame 1 c2s 1\nhex 00\nunreproducible a\nunreproducible b\n", MT_E_transcript_duplicate,
     7, 1},
    {HEAD "frame 1 c2s 1\nhex 00\nnote late\n", MT_E_transcript_misplaced, 6, 1},
    {HEAD "note a\x01z\n", MT_E_transcript_syntax, 4, 7},
};

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mt_transcript t;
        tr_error e;
        int err = parse(bad[i].text, &t, &e);
        if (err != bad[i].code || e.line != bad[i].line || e.col != bad[i].col)
            fail_msg("case %zu: got %s at %u:%u (%s), want %s at %u:%u", i, mt_err_name(err),
                     e.line, e.col, e.msg, mt_err_name(bad[i].code), bad[i].line, bad[i].col);
        assert_int_equal(e.code, err);
        assert_true(e.msg[0] != '\0');
        transcript_free(&t);
    }
}

static void test_load(void **state)
{
    (void)state;
    mt_transcript t;
    tr_error e;
    assert_int_equal(transcript_load("/nonexistent/x.txt", &t, &e), MT_E_io_error);
    assert_int_equal(e.line, 0);
    transcript_free(&t);
    assert_int_equal(
        transcript_load(MTPROOF_SOURCE_DIR "/vectors/transcripts/official_sample.txt", &t, &e),
        MT_OK);
    assert_int_equal(t.frames.n, 6);
    assert_non_null(transcript_frame(&t, 2)->unreproducible);
    round_trip(&t);
    transcript_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_built_round_trip),
        cmocka_unit_test(test_builders_refuse),
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
