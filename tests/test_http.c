/* HTTP transport, server side (proto/http_server.c, http_parse.c): requests split at every byte,
 * pipelining, keep-alive and close, every HTTP rule provoked, limits, Content-Length edges, long
 * poll. */
#include "testutil.h"

#include "common/rules.h"
#include "proto/http.h"

#define REQ(len_field, body) "POST /api HTTP/1.1\r\nHost: 149.154.167.50\r\n" len_field "\r\n" body

static const char req_ok[] = REQ("Content-Length: 8\r\n", "ABCDEFGH");

static uint8_t body_buf[HTTP_MAX_BODY];
static uint8_t out_buf[1 << 16];

/* Feeds s from a heap copy of `text` in pieces of the given sizes; returns the last result. */
static int server_feed_split(http_server *s, const char *text, size_t len, size_t split,
                             size_t *total)
{
    tu_buf in = tu_dup(text, len);
    size_t used, pos = 0;
    int err = HTTP_INCOMPLETE;
    size_t cut[2] = {split, len};
    for (int k = 0; k < 2 && err == HTTP_INCOMPLETE; k++) {
        err = http_server_feed(s, in.p + pos, cut[k] - pos, &used);
        pos += used;
    }
    *total = pos;
    tu_free(&in);
    return err;
}

/* The result of a server fed the whole text at once. */
static int server_result(const char *text)
{
    http_server s;
    http_server_init(&s, body_buf, sizeof body_buf);
    size_t used;
    return server_feed_split(&s, text, strlen(text), strlen(text), &used);
}

static void test_request_every_split(void **state)
{
    (void)state;
    size_t len = strlen(req_ok);
    for (size_t split = 0; split <= len; split++) {
        http_server s;
        http_server_init(&s, body_buf, sizeof body_buf);
        size_t used;
        assert_int_equal(server_feed_split(&s, req_ok, len, split, &used), MT_OK);
        assert_int_equal(used, len);
        const http_request *r = http_server_request(&s);
        assert_non_null(r);
        assert_int_equal(r->method, HTTP_POST);
        assert_true(r->keep_alive);
        tu_assert_bytes("body", r->body, r->body_len, (const uint8_t *)"ABCDEFGH", 8);
    }
}

static void test_request_byte_by_byte(void **state)
{
    (void)state;
    http_server s;
    http_server_init(&s, body_buf, sizeof body_buf);
    size_t len = strlen(req_ok), used;
    int err = HTTP_INCOMPLETE;
    for (size_t i = 0; i < len; i++) {
        assert_int_equal(err, HTTP_INCOMPLETE);
        err = http_server_feed(&s, (const uint8_t *)req_ok + i, 1, &used);
        assert_int_equal(used, 1);
    }
    assert_int_equal(err, MT_OK);
}

/* Each rule the server checks, with a request that breaks only it, at every split point. */
static const struct {
    const char *text;
    int err;
} bad_requests[] = {
    {"POST /api HTTP/1.1\nHost: a\r\nContent-Length: 4\r\n\r\nABCD", MT_E_HTTP_BAD_LINE_ENDING},
    {"POST /api HTTP/1.1\r\nHost: a\rX\r\n\r\n", MT_E_HTTP_BAD_LINE_ENDING},
    {"POST  /api HTTP/1.1\r\nHost: a\r\n\r\n", MT_E_HTTP_BAD_REQUEST_LINE},
    {"POST /api HTTP/1.1 \r\nHost: a\r\n\r\n", MT_E_HTTP_BAD_REQUEST_LINE},
    {"POST /api HTTP/11\r\nHost: a\r\n\r\n", MT_E_HTTP_BAD_REQUEST_LINE},
    {"P(ST /api HTTP/1.1\r\nHost: a\r\n\r\n", MT_E_HTTP_BAD_REQUEST_LINE},
    {"POST /api HTTP/2.0\r\nHost: a\r\n\r\n", MT_E_HTTP_VERSION_UNSUPPORTED},
    {"POST /api HTTP/1.1\r\nHost : a\r\nContent-Length: 4\r\n\r\nABCD", MT_E_HTTP_BAD_HEADER},
    {"POST /api HTTP/1.1\r\nHost: a\x01\r\nContent-Length: 4\r\n\r\nABCD", MT_E_HTTP_BAD_HEADER},
    {"POST /api HTTP/1.1\r\n: a\r\n\r\n", MT_E_HTTP_BAD_HEADER},
    {"POST /api HTTP/1.1\r\nHost: a\r\nX-A: b\r\n  c\r\n\r\n", MT_E_HTTP_OBS_FOLD},
    {"POST /api HTTP/1.1\r\n Host: a\r\n\r\n", MT_E_HTTP_OBS_FOLD},
    {REQ("Content-Length: -4\r\n", "ABCD"), MT_E_HTTP_BAD_CONTENT_LENGTH},
    {REQ("Content-Length: +4\r\n", "ABCD"), MT_E_HTTP_BAD_CONTENT_LENGTH},
    {REQ("Content-Length: 0x4\r\n", "ABCD"), MT_E_HTTP_BAD_CONTENT_LENGTH},
    {REQ("Content-Length:\r\n", "ABCD"), MT_E_HTTP_BAD_CONTENT_LENGTH},
    {REQ("Content-Length: 4, 4\r\n", "ABCD"), MT_E_HTTP_BAD_CONTENT_LENGTH},
    {REQ("Content-Length: 4\r\nContent-Length: 4\r\n", "ABCD"), MT_E_HTTP_BAD_CONTENT_LENGTH},
    {REQ("Content-Length: 4\r\ncontent-length: 8\r\n", "ABCD"), MT_E_HTTP_BAD_CONTENT_LENGTH},
    {REQ("", "ABCD"), MT_E_HTTP_NO_CONTENT_LENGTH},
    {REQ("Content-Length: 99999999999999999999999999\r\n", ""), MT_E_HTTP_BODY_TOO_LONG},
    {REQ("Transfer-Encoding: chunked\r\n", "4\r\nABCD\r\n0\r\n\r\n"),
     MT_E_HTTP_CHUNKED_UNSUPPORTED},
    {REQ("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", "ABCD"),
     MT_E_HTTP_CHUNKED_UNSUPPORTED},
    {"POST /api HTTP/1.1\r\nContent-Length: 4\r\n\r\nABCD", MT_E_HTTP_BAD_HOST},
    {REQ("Host: b\r\nContent-Length: 4\r\n", "ABCD"), MT_E_HTTP_BAD_HOST},
    {"GET /api HTTP/1.1\r\nHost: a\r\n\r\n", MT_E_HTTP_BAD_METHOD},
    {"post /api HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nABCD", MT_E_HTTP_BAD_METHOD},
    {"POST /apix HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nABCD", MT_E_HTTP_NOT_API_PATH},
    {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nABCD", MT_E_HTTP_NOT_API_PATH},
    {"POST http://a HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nABCD", MT_E_HTTP_NOT_API_PATH},
    {REQ("Content-Length: 0\r\n", ""), MT_E_HTTP_BODY_NOT_PACKET},
    {REQ("Content-Length: 6\r\n", "ABCDEF"), MT_E_HTTP_BODY_NOT_PACKET},
};

static void test_bad_requests(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_requests / sizeof bad_requests[0]; i++) {
        const char *t = bad_requests[i].text;
        size_t len = strlen(t);
        for (size_t split = 0; split <= len; split++) {
            http_server s;
            http_server_init(&s, body_buf, sizeof body_buf);
            size_t used;
            int err = server_feed_split(&s, t, len, split, &used);
            if (err != bad_requests[i].err)
                fail_msg("case %zu split %zu: %s, want %s", i, split, mt_err_name(err),
                         mt_err_name(bad_requests[i].err));
            assert_true(http_server_closed(&s));
            /* The answer: the rule's status, then close; nothing more is read. */
            size_t n;
            assert_int_equal(
                http_server_error(&s, http_rule_status(err), out_buf, sizeof out_buf, &n), MT_OK);
            char want[64];
            snprintf(want, sizeof want, "HTTP/1.1 %d ", mt_rule_of(err)->code);
            assert_memory_equal(out_buf, want, strlen(want));
            assert_non_null(strstr((char *)out_buf, "Connection: close\r\n"));
            assert_int_equal(http_server_feed(&s, (const uint8_t *)"x", 1, &used), HTTP_CLOSED);
        }
    }
}

static void test_limits(void **state)
{
    (void)state;
    static char big[HTTP_MAX_HEAD + 2048];
    /* A target of exactly HTTP_MAX_TARGET is fine (then 404); one more is 414. */
    for (int extra = 0; extra <= 1; extra++) {
        char q[HTTP_MAX_TARGET + 2];
        memset(q, 'q', sizeof q);
        q[HTTP_MAX_TARGET - 5 + extra] = 0;
        snprintf(big, sizeof big, "POST /api?%s HTTP/1.1\r\nHost: a\r\n\r\n", q);
        int want = extra ? MT_E_HTTP_TARGET_TOO_LONG : MT_E_HTTP_NO_CONTENT_LENGTH;
        assert_int_equal(server_result(big), want);
    }
    /* HTTP_MAX_HEADERS fields pass; one more is 431. */
    for (int extra = 0; extra <= 1; extra++) {
        size_t p = (size_t)snprintf(big, sizeof big, "POST /api HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < HTTP_MAX_HEADERS - 2 + extra; i++)
            p += (size_t)snprintf(big + p, sizeof big - p, "X-%d: v\r\n", i);
        snprintf(big + p, sizeof big - p, "Content-Length: 4\r\n\r\nABCD");
        assert_int_equal(server_result(big), extra ? MT_E_HTTP_HEAD_TOO_LARGE : MT_OK);
    }
    /* A field line over HTTP_MAX_FIELD_LINE, and a head that never ends within HTTP_MAX_HEAD. */
    size_t p = (size_t)snprintf(big, sizeof big, "POST /api HTTP/1.1\r\nX: ");
    memset(big + p, 'v', HTTP_MAX_FIELD_LINE);
    big[p + HTTP_MAX_FIELD_LINE] = 0;
    assert_int_equal(server_result(big), MT_E_HTTP_HEAD_TOO_LARGE);
    p = (size_t)snprintf(big, sizeof big, "POST /api HTTP/1.1\r\n");
    while (p + 1010 < sizeof big) {
        p += (size_t)snprintf(big + p, sizeof big - p, "X-Pad: ");
        memset(big + p, 'v', 1000);
        p += 1000;
        p += (size_t)snprintf(big + p, sizeof big - p, "\r\n");
    }
    assert_int_equal(server_result(big), MT_E_HTTP_HEAD_TOO_LARGE);
}

static void test_content_length_edges(void **state)
{
    (void)state;
    /* Leading zeros are allowed by 1*DIGIT; OWS around the value is not part of it. */
    assert_int_equal(server_result(REQ("Content-Length: 0004\r\n", "ABCD")), MT_OK);
    assert_int_equal(server_result(REQ("content-length:\t4 \r\n", "ABCD")), MT_OK);
    assert_int_equal(server_result(REQ("Content-Length: 4 4\r\n", "ABCD")),
                     MT_E_HTTP_BAD_CONTENT_LENGTH);
    /* max (the body buffer) is accepted and read; max + 4 is refused before any body byte. */
    static uint8_t small[64];
    char text[256];
    for (int extra = 0; extra <= 4; extra += 4) {
        int n = snprintf(text, sizeof text, REQ("Content-Length: %d\r\n", ""), 64 + extra);
        memset(text + n, 'z', (size_t)(64 + extra));
        http_server s;
        http_server_init(&s, small, sizeof small);
        size_t used;
        int err =
            http_server_feed(&s, (const uint8_t *)text, (size_t)n + 64 + (size_t)extra, &used);
        assert_int_equal(err, extra ? MT_E_HTTP_BODY_TOO_LONG : MT_OK);
    }
    assert_int_equal(http_rule_status(MT_E_HTTP_BODY_TOO_LONG), 413);
    assert_int_equal(http_rule_status(MT_E_bad_hex), 400);
}

static int respond(http_server *s, const char *body, char *resp, size_t cap)
{
    size_t n;
    int err =
        http_server_respond(s, (const uint8_t *)body, strlen(body), (uint8_t *)resp, cap - 1, &n);
    resp[err ? 0 : n] = 0;
    return err;
}

static void test_pipelining_and_close(void **state)
{
    (void)state;
    char text[512], resp[1024];
    int len =
        snprintf(text, sizeof text, "%s%s%s", req_ok, "OPTIONS /apiw HTTP/1.1\r\nHost: a\r\n\r\n",
                 "POST /api?x=1 HTTP/1.0\r\nContent-Length: 4\r\n\r\nWXYZ");
    http_server s;
    http_server_init(&s, body_buf, sizeof body_buf);
    size_t pos = 0, used;
    assert_int_equal(http_server_feed(&s, (uint8_t *)text, (size_t)len, &used), MT_OK);
    pos += used;
    /* Until the first is answered nothing more is read (answers stay in request order). */
    assert_int_equal(http_server_feed(&s, (uint8_t *)text + pos, len - pos, &used), HTTP_PENDING);
    assert_int_equal(used, 0);
    assert_int_equal(respond(&s, "answer01", resp, sizeof resp), MT_OK);
    assert_non_null(strstr(resp, "HTTP/1.1 200 OK\r\n"));
    assert_non_null(strstr(resp, "Connection: keep-alive\r\n"));
    assert_non_null(strstr(resp, "Content-Length: 8\r\n\r\nanswer01"));
    assert_null(strstr(resp, "Access-Control"));
    /* OPTIONS on /apiw: 200, empty, with the CORS fields. */
    assert_int_equal(http_server_feed(&s, (uint8_t *)text + pos, len - pos, &used), MT_OK);
    pos += used;
    assert_int_equal(http_server_request(&s)->method, HTTP_OPTIONS);
    assert_true(http_server_request(&s)->web);
    assert_int_equal(respond(&s, "x", resp, sizeof resp), MT_E_bad_argument);
    assert_int_equal(respond(&s, "", resp, sizeof resp), MT_OK);
    assert_non_null(strstr(resp, "Access-Control-Allow-Methods: POST, OPTIONS\r\n"));
    /* HTTP/1.0 without keep-alive: answered with close, then the engine is closed. */
    assert_int_equal(http_server_feed(&s, (uint8_t *)text + pos, len - pos, &used), MT_OK);
    pos += used;
    assert_int_equal(pos, (size_t)len);
    assert_false(http_server_request(&s)->keep_alive);
    assert_int_equal(respond(&s, "done", resp, sizeof resp), MT_OK);
    assert_non_null(strstr(resp, "Connection: close\r\n"));
    assert_true(http_server_closed(&s));
    /* Connection: close in an HTTP/1.1 request is honoured too. */
    http_server_init(&s, body_buf, sizeof body_buf);
    const char *c = REQ("Connection: Keep-Alive, CLOSE\r\nContent-Length: 4\r\n", "ABCD");
    assert_int_equal(http_server_feed(&s, (const uint8_t *)c, strlen(c), &used), MT_OK);
    assert_false(http_server_request(&s)->keep_alive);
    /* Empty lines before a request-line are skipped (RFC 9112 §2.2). */
    snprintf(text, sizeof text, "\r\n\r\n%s", req_ok);
    assert_int_equal(server_result(text), MT_OK);
}

static void test_long_poll(void **state)
{
    (void)state;
    http_server s;
    http_server_init(&s, body_buf, sizeof body_buf);
    size_t used, n;
    assert_int_equal(http_server_feed(&s, (const uint8_t *)req_ok, strlen(req_ok), &used), MT_OK);
    http_server_hold(&s, 1000, HTTP_WAIT_DEFAULT_MAX_WAIT_MS);
    assert_false(http_server_poll_due(&s, 1000));
    assert_false(http_server_poll_due(&s, 25999));
    assert_true(http_server_poll_due(&s, 26000));
    /* The caller answers the held request (its empty container); then the next one is read. */
    assert_int_equal(
        http_server_respond(&s, (const uint8_t *)"EMPT", 4, out_buf, sizeof out_buf, &n), MT_OK);
    assert_false(http_server_poll_due(&s, 99999));
    assert_int_equal(http_server_feed(&s, (const uint8_t *)req_ok, strlen(req_ok), &used), MT_OK);
    /* A transport error for a held request: 429 and close. */
    assert_int_equal(http_server_error(&s, 429, out_buf, sizeof out_buf, &n), MT_OK);
    assert_memory_equal(out_buf, "HTTP/1.1 429 Too Many Requests\r\n", 32);
    assert_true(http_server_closed(&s));
    assert_int_equal(http_server_error(&s, 429, out_buf, sizeof out_buf, &n), MT_E_bad_argument);
}

static void test_rules_have_statuses(void **state)
{
    (void)state;
    size_t count, seen = 0;
    const mt_rule *r = mt_rules(&count);
    for (size_t i = 0; i < count; i++) {
        if (strncmp(r[i].id, "HTTP_", 5) != 0)
            continue;
        seen++;
        if (r[i].reaction == RX_HTTP_STATUS)
            assert_true(r[i].code >= 400 && r[i].code <= 599);
        else
            assert_int_equal(r[i].reaction, RX_CLOSE);
    }
    assert_int_equal(seen, 18);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_every_split),
        cmocka_unit_test(test_request_byte_by_byte),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_content_length_edges),
        cmocka_unit_test(test_pipelining_and_close),
        cmocka_unit_test(test_long_poll),
        cmocka_unit_test(test_rules_have_statuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
