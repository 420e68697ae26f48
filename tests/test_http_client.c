/* HTTP transport, client engine (proto/http_client.c): the request it writes, responses split at
 * every byte, 1xx skipped, transport errors, the client-side rules, a client/server round trip. */
#include "testutil.h"

#include "common/rules.h"
#include "proto/http.h"

static uint8_t body_buf[1 << 12];
static uint8_t out_buf[1 << 12];

static void test_client_request(void **state)
{
    (void)state;
    http_client c;
    assert_int_equal(http_client_init(&c, "", body_buf, 64), MT_E_bad_argument);
    assert_int_equal(http_client_init(&c, "a b", body_buf, 64), MT_E_bad_argument);
    assert_int_equal(http_client_init(&c, "149.154.167.50:80", body_buf, 64), MT_OK);
    size_t n;
    assert_int_equal(http_client_request(&c, (const uint8_t *)"ABC", 3, out_buf, 256, &n),
                     MT_E_bad_argument);
    assert_int_equal(http_client_request(&c, (const uint8_t *)"ABCD", 4, out_buf, 20, &n),
                     MT_E_no_space);
    assert_int_equal(http_client_request(&c, (const uint8_t *)"ABCD", 4, out_buf, 256, &n), MT_OK);
    /* Our own server engine accepts what the client writes. */
    http_server s;
    http_server_init(&s, body_buf + 64, 64);
    size_t used;
    assert_int_equal(http_server_feed(&s, out_buf, n, &used), MT_OK);
    assert_int_equal(used, n);
    tu_assert_bytes("body", http_server_request(&s)->body, http_server_request(&s)->body_len,
                    (const uint8_t *)"ABCD", 4);
}

static int client_feed_split(http_client *c, const char *text, size_t split, http_response *r)
{
    size_t len = strlen(text), used, pos = 0;
    tu_buf in = tu_dup(text, len);
    size_t cut[2] = {split, len};
    int err = HTTP_INCOMPLETE;
    for (int k = 0; k < 2 && err == HTTP_INCOMPLETE; k++) {
        err = http_client_feed(c, in.p + pos, cut[k] - pos, &used, r);
        pos += used;
    }
    tu_free(&in);
    return err;
}

static int client_result(const char *text, unsigned outstanding, http_response *r)
{
    http_client c;
    assert_int_equal(http_client_init(&c, "h", body_buf, 64), MT_OK);
    c.outstanding = outstanding;
    return client_feed_split(&c, text, strlen(text), r);
}

static void test_client_responses(void **state)
{
    (void)state;
    const char *ok = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nConnection: keep-alive\r\n"
                     "Content-Length: 8\r\n\r\n12345678";
    for (size_t split = 0; split <= strlen(ok); split++) {
        http_client c;
        assert_int_equal(http_client_init(&c, "h", body_buf, 64), MT_OK);
        c.outstanding = 1;
        http_response r;
        assert_int_equal(client_feed_split(&c, ok, split, &r), MT_OK);
        assert_int_equal(r.status, 200);
        assert_int_equal(r.transport_error, 0);
        assert_true(r.keep_alive);
        tu_assert_bytes("body", r.body, r.body_len, (const uint8_t *)"12345678", 8);
        assert_int_equal(c.outstanding, 0);
    }
    /* Transport errors: -404 with its body skipped, keep-alive kept; -429 closing. */
    http_response r;
    assert_int_equal(client_result("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nxyz", 1, &r),
                     MT_OK);
    assert_int_equal(r.transport_error, -404);
    assert_int_equal(r.body_len, 0);
    assert_int_equal(client_result("HTTP/1.0 429 Too Many Requests\r\n\r\n", 1, &r), MT_OK);
    assert_int_equal(r.transport_error, -429);
    assert_false(r.keep_alive);
}

static const struct {
    const char *text;
    int err;
} bad_responses[] = {
    {"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", MT_E_HTTP_BAD_STATUS_LINE},
    {"HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n", MT_E_HTTP_BAD_STATUS_LINE},
    {"HTTP/1.1 099 OK\r\nContent-Length: 0\r\n\r\n", MT_E_HTTP_BAD_STATUS_LINE},
    {"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", MT_E_HTTP_BAD_STATUS_LINE},
    {"HTTP/1.1 200 OK\r\n\r\n", MT_E_HTTP_RESPONSE_NO_LENGTH},
    {"HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n", MT_E_HTTP_BODY_TOO_LONG},
    {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
     MT_E_HTTP_BAD_CONTENT_LENGTH},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", MT_E_HTTP_CHUNKED_UNSUPPORTED},
    {"HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", MT_E_HTTP_BAD_LINE_ENDING},
    {"HTTP/1.1 200 OK\r\nBad Name: 0\r\n\r\n", MT_E_HTTP_BAD_HEADER},
};

static void test_client_bad_responses(void **state)
{
    (void)state;
    http_response r;
    for (size_t i = 0; i < sizeof bad_responses / sizeof bad_responses[0]; i++) {
        const char *t = bad_responses[i].text;
        for (size_t split = 0; split <= strlen(t); split++) {
            http_client c;
            assert_int_equal(http_client_init(&c, "h", body_buf, 64), MT_OK);
            c.outstanding = 1;
            int err = client_feed_split(&c, t, split, &r);
            if (err != bad_responses[i].err)
                fail_msg("case %zu split %zu: %s", i, split, mt_err_name(err));
            assert_true(http_client_closed(&c));
            assert_int_equal(mt_rule_of(err)->reaction,
                             err == MT_E_HTTP_BAD_STATUS_LINE || err == MT_E_HTTP_RESPONSE_NO_LENGTH
                                 ? RX_CLOSE
                                 : RX_HTTP_STATUS);
        }
    }
    /* A response with no request outstanding, and one more than was asked for. */
    assert_int_equal(client_result("HTTP/1.1 200 OK\r\n", 0, &r), MT_E_HTTP_UNSOLICITED_RESPONSE);
    http_client c;
    assert_int_equal(http_client_init(&c, "h", body_buf, 64), MT_OK);
    size_t n, used;
    assert_int_equal(http_client_request(&c, (const uint8_t *)"ABCD", 4, out_buf, 256, &n), MT_OK);
    const char *two = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n";
    assert_int_equal(http_client_feed(&c, (const uint8_t *)two, strlen(two), &used, &r), MT_OK);
    assert_int_equal(
        http_client_feed(&c, (const uint8_t *)two + used, strlen(two) - used, &used, &r),
        MT_E_HTTP_UNSOLICITED_RESPONSE);
    assert_int_equal(http_client_request(&c, (const uint8_t *)"ABCD", 4, out_buf, 256, &n),
                     HTTP_CLOSED);
}

/* Client and server engines talking: pipelined requests, answers in order. */
static void test_round_trip(void **state)
{
    (void)state;
    static uint8_t cbody[256], sbody[256], wire[4096], back[4096];
    http_client c;
    http_server s;
    assert_int_equal(http_client_init(&c, "dc2", cbody, sizeof cbody), MT_OK);
    http_server_init(&s, sbody, sizeof sbody);
    size_t wn = 0, bn = 0, n, used, pos = 0;
    for (uint32_t i = 1; i <= 3; i++) {
        uint8_t pkt[16];
        memset(pkt, (int)i, sizeof pkt);
        assert_int_equal(http_client_request(&c, pkt, 4 * i, wire + wn, sizeof wire - wn, &n),
                         MT_OK);
        wn += n;
    }
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(http_server_feed(&s, wire + pos, wn - pos, &used), MT_OK);
        pos += used;
        const http_request *r = http_server_request(&s);
        assert_int_equal(r->body_len, 4 * (size_t)i);
        assert_int_equal(r->body[0], i);
        uint8_t echo[16];
        memcpy(echo, r->body, r->body_len);
        assert_int_equal(
            http_server_respond(&s, echo, r->body_len, back + bn, sizeof back - bn, &n), MT_OK);
        bn += n;
    }
    pos = 0;
    for (int i = 1; i <= 3; i++) {
        http_response r;
        assert_int_equal(http_client_feed(&c, back + pos, bn - pos, &used, &r), MT_OK);
        pos += used;
        assert_int_equal(r.body_len, 4 * (size_t)i);
        assert_int_equal(r.body[0], i);
    }
    assert_int_equal(c.outstanding, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_request),
        cmocka_unit_test(test_client_responses),
        cmocka_unit_test(test_client_bad_responses),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
