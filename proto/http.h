/*
 * The MTProto HTTP transport (mtproto-notes §6 "HTTP"): HTTP/1.1 keep-alive, `POST /api` whose
 * body is the raw MTProto packet (no transport framing), the answer in a 200 response body,
 * transport errors as HTTP status codes (body ignored), no quick ack. Sans-I/O: the engines take
 * bytes and write bytes into caller buffers; they read no clock and allocate nothing.
 * What is accepted and refused, and why: docs/http.md.
 *
 * Results: every function returns MT_OK, a rule error MT_E_HTTP_* (common/rules.def, "HTTP
 * transport"), a tool error (MT_E_no_space, MT_E_bad_argument), or one of the negative
 * HTTP_INCOMPLETE / HTTP_PENDING / HTTP_CLOSED below, which are states, not errors.
 */
#ifndef MTPROOF_PROTO_HTTP_H
#define MTPROOF_PROTO_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* Limits (a head is the start line, the field lines and the empty line). */
#define HTTP_MAX_HEAD       8192 /* whole head; more is 431 */
#define HTTP_MAX_FIELD_LINE 4096 /* one field line; more is 431 */
#define HTTP_MAX_HEADERS    32   /* field lines; more is 431 */
#define HTTP_MAX_TARGET     256  /* request-target; longer is 414 */
#define HTTP_MAX_HOST       255  /* the client's Host value */
/* The largest body, = the largest transport frame (tdlib refuses packets over 2^24 bytes). */
#define HTTP_MAX_BODY (1u << 24)
/* http_wait defaults (mtproto-notes §3): max_delay 0, wait_after 0, max_wait 25000 ms. */
#define HTTP_WAIT_DEFAULT_MAX_WAIT_MS 25000u

enum {
    HTTP_INCOMPLETE = -1, /* all input consumed; feed more bytes */
    HTTP_PENDING = -2,    /* server: a request waits for its answer; nothing more is read */
    HTTP_CLOSED = -3,     /* the connection is to be closed; nothing more is read */
};

/* ---- head parser (proto/http_parse.c): strict RFC 9112, copies nothing ---- */

typedef struct http_span {
    uint32_t off, len; /* offsets into the parsed buffer, so a head survives a memcpy */
} http_span;

typedef struct http_field {
    http_span name, value; /* value without leading and trailing OWS */
} http_field;

typedef struct http_head {
    http_span method, target; /* requests */
    int status;               /* responses: 100..999 */
    http_span reason;         /* responses */
    int major, minor;         /* HTTP/major.minor */
    size_t nfields;
    http_field fields[HTTP_MAX_HEADERS];
    size_t len; /* bytes up to and including the empty line */
} http_head;

/* What the fields say about the message framing and the connection. */
typedef struct http_framing {
    bool has_length;
    uint64_t length; /* Content-Length; 0 when absent */
    bool keep_alive; /* HTTP/1.1 without "close", or HTTP/1.0 with "keep-alive" */
    unsigned hosts;  /* number of Host field lines */
} http_framing;

/*
 * Parses a request head from buf[0..len). Empty lines before the request-line are skipped (RFC
 * 9112 §2.2: a server SHOULD ignore at least one). Returns MT_OK (h->len = head size),
 * HTTP_INCOMPLETE when buf ends inside the head, or a rule error as soon as a complete line is
 * wrong. Line ends must be CRLF: a bare LF or CR is refused (HTTP_BAD_LINE_ENDING), which RFC 9112
 * §2.2 allows ("MAY recognize a single LF") but does not require.
 */
int http_parse_request(const uint8_t *buf, size_t len, http_head *h) MT_WUR;
/* The same for a response head (status-line = HTTP-version SP 3DIGIT SP reason-phrase). */
int http_parse_response(const uint8_t *buf, size_t len, http_head *h) MT_WUR;
/*
 * Reads Content-Length (one field, 1*DIGIT, leading zeros allowed as the grammar allows them),
 * Transfer-Encoding (refused: HTTP_CHUNKED_UNSUPPORTED), Connection and Host from a parsed head.
 * A length over max_body is HTTP_BODY_TOO_LONG.
 */
int http_framing_of(const uint8_t *buf, const http_head *h, uint64_t max_body,
                    http_framing *f) MT_WUR;
/* Whether span s of buf equals lower, compared case-insensitively (lower in lower case). */
bool http_span_is(const uint8_t *buf, http_span s, const char *lower);
/* The HTTP status a server answers a rule error with (400 when the rule names none). */
int http_rule_status(int err);

/* ---- shared head accumulation (proto/http_engine.c) ---- */

typedef struct http_headbuf {
    uint8_t buf[HTTP_MAX_HEAD];
    size_t fill;
} http_headbuf;

typedef int (*http_head_parser)(const uint8_t *buf, size_t len, http_head *h);
/* Copies input into hb and parses it; on MT_OK *consumed counts only the head's bytes. */
int http_headbuf_feed(http_headbuf *hb, http_head_parser parse, const uint8_t *in, size_t len,
                      size_t *consumed, http_head *h) MT_WUR;
/* Writes "HTTP/1.1 <status> <reason>\r\n" and the common fields of our responses. */
int http_write_status(uint8_t *out, size_t cap, size_t *n, int status) MT_WUR;
/* The reason phrase we send for a status ("Error" for codes we do not name). */
const char *http_reason(int status);

/* ---- server engine (proto/http_server.c) ---- */

typedef enum http_method { HTTP_POST, HTTP_OPTIONS } http_method;

typedef struct http_request {
    http_method method;
    bool web;        /* path /apiw: the answer carries the CORS fields (as MTProxy does) */
    bool keep_alive; /* the connection stays open after the answer */
    const uint8_t *body;
    size_t body_len;
} http_request;

typedef struct http_server {
    http_headbuf head;
    uint8_t *body; /* caller's buffer */
    size_t body_cap;
    int state;
    http_request req;
    size_t body_fill;
    bool held;
    int64_t deadline_ms;
} http_server;

/* body_buf (cap bytes, at most HTTP_MAX_BODY are used) receives each request body. */
void http_server_init(http_server *s, uint8_t *body_buf, size_t cap);
/*
 * Reads request bytes. Returns MT_OK when a request is complete (*consumed ends at its last body
 * byte; pipelined bytes after it are left to feed again once it is answered), HTTP_INCOMPLETE,
 * HTTP_PENDING while a request waits for its answer (*consumed = 0), HTTP_CLOSED, or a rule error:
 * then answer with http_server_error(s, http_rule_status(err), ...), which closes.
 */
int http_server_feed(http_server *s, const uint8_t *in, size_t len, size_t *consumed) MT_WUR;
/* The complete request, or NULL when none waits for an answer. */
const http_request *http_server_request(const http_server *s);
/* Answers the waiting request with 200 and body (an OPTIONS request: body_len 0). */
int http_server_respond(http_server *s, const uint8_t *body, size_t body_len, uint8_t *out,
                        size_t cap, size_t *n) MT_WUR;
/* Answers with an error status (e.g. 404 for transport error -404) and "Connection: close"; works
 * with or without a waiting request. The engine is closed afterwards. */
int http_server_error(http_server *s, int status, uint8_t *out, size_t cap, size_t *n) MT_WUR;
/* Long poll: hold the waiting request until now_ms + max_wait_ms (http_wait.max_wait). */
void http_server_hold(http_server *s, int64_t now_ms, uint32_t max_wait_ms);
/* Whether a held request's max_wait has passed: the caller answers it (an empty container). */
bool http_server_poll_due(const http_server *s, int64_t now_ms);
bool http_server_closed(const http_server *s);

/* ---- client engine (proto/http_client.c) ---- */

typedef struct http_response {
    int status;
    int transport_error; /* 0 for 200, else -status (-404, -429 ...); the body is then ignored */
    bool keep_alive;
    const uint8_t *body; /* in the caller's buffer; only for 200 */
    size_t body_len;
} http_response;

typedef struct http_client {
    http_headbuf head;
    uint8_t *body;
    size_t body_cap;
    int state;
    unsigned outstanding; /* requests sent and not yet answered */
    http_response resp;
    uint64_t body_need, body_fill;
    char host[HTTP_MAX_HOST + 1];
} http_client;

/* host: the Host field value (1..HTTP_MAX_HOST visible ASCII characters). */
int http_client_init(http_client *c, const char *host, uint8_t *body_buf, size_t cap) MT_WUR;
/* Writes `POST /api` carrying packet into out. */
int http_client_request(http_client *c, const uint8_t *packet, size_t len, uint8_t *out, size_t cap,
                        size_t *n) MT_WUR;
/* Reads response bytes; MT_OK when *r holds a complete final response (1xx are skipped). */
int http_client_feed(http_client *c, const uint8_t *in, size_t len, size_t *consumed,
                     http_response *r) MT_WUR;
bool http_client_closed(const http_client *c);

#endif
