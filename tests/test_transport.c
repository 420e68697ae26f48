/*
 * Plain transports (proto/transport*.c): every framing round trip in both directions with the
 * stream split at every byte and in random chunks; quick acks; transport errors; every rule.
 */
#include "common/endian.h"
#include "common/rules.h"
#include "crypto/crc32.h"
#include "transport_util.h"

#define CAP (1u << 16)

static const mt_transport_kind KINDS[] = {MT_TRANSPORT_ABRIDGED, MT_TRANSPORT_INTERMEDIATE,
                                          MT_TRANSPORT_PADDED, MT_TRANSPORT_FULL};
/* Payload lengths: empty, short, around the abridged 1-byte/3-byte boundary (127 units). */
static const size_t LENS[] = {0, 4, 24, 504, 508, 1024};
#define NLENS (sizeof LENS / sizeof LENS[0])

typedef struct pair {
    tu_script_rng rng;
    uint8_t cbuf[CAP], sbuf[CAP];
    mt_transport client, server;
} pair;

static pair *pair_new(mt_transport_kind kind, mt_transport_kind server_kind)
{
    pair *p = calloc(1, sizeof *p);
    assert_non_null(p);
    tu_script_init(&p->rng, NULL, 0, 7);
    assert_int_equal(mt_transport_init(&p->client, kind, MT_ROLE_CLIENT, p->cbuf, CAP, &p->rng.rng),
                     MT_OK);
    assert_int_equal(
        mt_transport_init(&p->server, server_kind, MT_ROLE_SERVER, p->sbuf, CAP, &p->rng.rng),
        MT_OK);
    return p;
}

/* The client frames NLENS payloads (payload i filled with i, odd ones asking for a quick ack)
 * into one stream. */
static size_t client_stream(pair *p, uint8_t *stream, size_t cap, uint8_t payloads[][1024])
{
    size_t off = 0;
    for (size_t i = 0; i < NLENS; i++) {
        memset(payloads[i], (int)i + 1, LENS[i]);
        unsigned flags = (i % 2 && p->client.kind != MT_TRANSPORT_FULL) ? MT_TF_QUICK_ACK : 0;
        size_t n;
        assert_int_equal(mt_transport_frame(&p->client, payloads[i], LENS[i], flags, stream + off,
                                            cap - off, &n),
                         MT_OK);
        off += n;
    }
    return off;
}

static void check_client_events(mt_transport_kind kind, const tu_events *e,
                                uint8_t payloads[][1024])
{
    assert_int_equal(e->n, NLENS);
    for (size_t i = 0; i < NLENS; i++) {
        assert_int_equal(e->ev[i].type, MT_TEV_FRAME);
        size_t extra = e->ev[i].len - LENS[i];
        assert_true(e->ev[i].len >= LENS[i]);
        assert_true(kind == MT_TRANSPORT_PADDED ? extra <= MT_PADDED_MAX_PAD : extra == 0);
        assert_memory_equal(e->ev[i].data, payloads[i], LENS[i]);
        bool qa = i % 2 && kind != MT_TRANSPORT_FULL;
        assert_int_equal(e->ev[i].flags, qa ? MT_TF_QUICK_ACK : 0u);
    }
}

/* Client to server, the stream split in two at every byte, then in random chunks; kind_server
 * is the kind itself or AUTO (the detector). */
static void run_client_to_server(mt_transport_kind kind, mt_transport_kind kind_server)
{
    static uint8_t payloads[NLENS][1024];
    static uint8_t stream[8192];
    pair *p = pair_new(kind, kind_server);
    size_t n = client_stream(p, stream, sizeof stream, payloads);
    for (size_t cut = 0; cut <= n; cut++) {
        mt_transport s;
        assert_int_equal(
            mt_transport_init(&s, kind_server, MT_ROLE_SERVER, p->sbuf, CAP, &p->rng.rng), MT_OK);
        tu_events e = {0};
        assert_int_equal(tu_feed_cuts(&s, stream, n, &cut, 1, &e), MT_OK);
        check_client_events(kind, &e, payloads);
        assert_int_equal(s.kind, kind);
        tu_events_free(&e);
    }
    for (int round = 0; round < 200; round++) {
        tu_events e = {0};
        mt_transport s;
        assert_int_equal(
            mt_transport_init(&s, kind_server, MT_ROLE_SERVER, p->sbuf, CAP, &p->rng.rng), MT_OK);
        assert_int_equal(tu_feed_random(&s, stream, n, 1 + round % 40, &e), MT_OK);
        check_client_events(kind, &e, payloads);
        tu_events_free(&e);
    }
    free(p);
}

static void test_client_to_server(void **state)
{
    (void)state;
    tu_rand_seed(1);
    for (size_t k = 0; k < 4; k++)
        run_client_to_server(KINDS[k], KINDS[k]);
}

/* The same streams through a server that detects the transport. */
static void test_detect_engine(void **state)
{
    (void)state;
    tu_rand_seed(2);
    for (size_t k = 0; k < 4; k++)
        run_client_to_server(KINDS[k], MT_TRANSPORT_AUTO);
}

/* Server to client: frames, a quick ack (not full), the three transport errors. */
static size_t server_stream(pair *p, uint8_t *stream, size_t cap, uint8_t payloads[][1024])
{
    static const int32_t codes[] = {MT_TRANSPORT_ERR_NOT_FOUND, MT_TRANSPORT_ERR_FLOOD,
                                    MT_TRANSPORT_ERR_INVALID_DC};
    size_t off = 0, n;
    for (size_t i = 0; i < NLENS; i++) {
        memset(payloads[i], 0x40 + (int)i, LENS[i]);
        assert_int_equal(
            mt_transport_frame(&p->server, payloads[i], LENS[i], 0, stream + off, cap - off, &n),
            MT_OK);
        off += n;
        /* A server frame cannot ask for a quick ack. */
        assert_int_equal(mt_transport_frame(&p->server, payloads[i], LENS[i], MT_TF_QUICK_ACK,
                                            stream + off, cap - off, &n),
                         MT_E_bad_argument);
    }
    int ack = mt_transport_quick_ack(&p->server, 0x89abcdefu, stream + off, cap - off, &n);
    assert_int_equal(ack, p->server.kind == MT_TRANSPORT_FULL ? MT_E_bad_argument : MT_OK);
    off += ack ? 0 : n;
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(mt_transport_error(&p->server, codes[i], stream + off, cap - off, &n),
                         MT_OK);
        off += n;
    }
    return off;
}

static void check_server_events(mt_transport_kind kind, const tu_events *e,
                                uint8_t payloads[][1024])
{
    size_t acks = kind == MT_TRANSPORT_FULL ? 0 : 1;
    assert_int_equal(e->n, NLENS + acks + 3);
    for (size_t i = 0; i < NLENS; i++) {
        assert_int_equal(e->ev[i].type, MT_TEV_FRAME);
        size_t extra = e->ev[i].len - LENS[i];
        assert_true(e->ev[i].len >= LENS[i]);
        assert_true(kind == MT_TRANSPORT_PADDED ? extra <= MT_PADDED_MAX_PAD : extra == 0);
        assert_memory_equal(e->ev[i].data, payloads[i], LENS[i]);
    }
    if (acks) {
        assert_int_equal(e->ev[NLENS].type, MT_TEV_QUICK_ACK);
        assert_int_equal(e->ev[NLENS].token, 0x89abcdefu);
    }
    assert_int_equal(e->ev[NLENS + acks].type, MT_TEV_ERROR);
    assert_int_equal(e->ev[NLENS + acks].code, -404);
    assert_int_equal(e->ev[NLENS + acks + 1].code, -429);
    assert_int_equal(e->ev[NLENS + acks + 2].code, -444);
}

static void test_server_to_client(void **state)
{
    (void)state;
    static uint8_t payloads[NLENS][1024];
    static uint8_t stream[8192];
    tu_rand_seed(3);
    for (size_t k = 0; k < 4; k++) {
        pair *p = pair_new(KINDS[k], KINDS[k]);
        size_t n = server_stream(p, stream, sizeof stream, payloads);
        for (size_t cut = 0; cut <= n + 40; cut++) {
            mt_transport c;
            assert_int_equal(
                mt_transport_init(&c, KINDS[k], MT_ROLE_CLIENT, p->cbuf, CAP, &p->rng.rng), MT_OK);
            tu_events e = {0};
            if (cut <= n)
                assert_int_equal(tu_feed_cuts(&c, stream, n, &cut, 1, &e), MT_OK);
            else
                assert_int_equal(tu_feed_random(&c, stream, n, cut - n, &e), MT_OK);
            check_server_events(KINDS[k], &e, payloads);
            tu_events_free(&e);
        }
        free(p);
    }
}

/* Exact bytes of each framing (mtproto-notes §6), checked by hand. */
static void test_wire_format(void **state)
{
    (void)state;
    uint8_t pl[512], out[1024];
    memset(pl, 0xAB, sizeof pl);
    size_t n;
    pair *p = pair_new(MT_TRANSPORT_ABRIDGED, MT_TRANSPORT_ABRIDGED);
    assert_int_equal(mt_transport_frame(&p->client, pl, 8, MT_TF_QUICK_ACK, out, sizeof out, &n),
                     MT_OK);
    tu_assert_bytes("abridged first", out, 3, (const uint8_t *)"\xef\x82\xab", 3);
    assert_int_equal(n, 10);
    assert_int_equal(mt_transport_frame(&p->client, pl, 508, 0, out, sizeof out, &n), MT_OK);
    tu_assert_bytes("abridged long", out, 5, (const uint8_t *)"\x7f\x7f\x00\x00\xab", 5);
    assert_int_equal(mt_transport_frame(&p->client, pl, 508, MT_TF_QUICK_ACK, out, sizeof out, &n),
                     MT_OK);
    assert_int_equal(out[0], 0xff);
    assert_int_equal(mt_transport_quick_ack(&p->server, 0x80000001u, out, sizeof out, &n), MT_OK);
    tu_assert_bytes("abridged ack", out, n, (const uint8_t *)"\x80\x00\x00\x01", 4);
    assert_int_equal(mt_transport_quick_ack(&p->server, 1, out, sizeof out, &n), MT_E_bad_argument);
    assert_int_equal(mt_transport_error(&p->server, -404, out, sizeof out, &n), MT_OK);
    tu_assert_bytes("abridged -404", out, n, (const uint8_t *)"\x01\x6c\xfe\xff\xff", 5);
    free(p);

    p = pair_new(MT_TRANSPORT_INTERMEDIATE, MT_TRANSPORT_INTERMEDIATE);
    assert_int_equal(mt_transport_frame(&p->client, pl, 4, MT_TF_QUICK_ACK, out, sizeof out, &n),
                     MT_OK);
    tu_assert_bytes("intermediate", out, n,
                    (const uint8_t *)"\xee\xee\xee\xee\x04\x00\x00\x80\xab\xab\xab\xab", 12);
    free(p);

    p = pair_new(MT_TRANSPORT_PADDED, MT_TRANSPORT_PADDED);
    assert_int_equal(mt_transport_frame_padding(&p->client, pl, 5, 0, (const uint8_t *)"\x01\x02",
                                                2, out, sizeof out, &n),
                     MT_OK);
    tu_assert_bytes("padded", out, n,
                    (const uint8_t *)"\xdd\xdd\xdd\xdd\x07\x00\x00\x00\xab\xab\xab\xab\xab\x01\x02",
                    15);
    assert_int_equal(mt_transport_quick_ack(&p->server, 0x80000002u, out, sizeof out, &n), MT_OK);
    tu_assert_bytes("padded ack", out, n,
                    (const uint8_t *)"\x08\x00\x00\x00\xff\xff\xff\xff\x02\x00\x00\x80", 12);
    free(p);

    p = pair_new(MT_TRANSPORT_FULL, MT_TRANSPORT_FULL);
    for (uint32_t seq = 0; seq < 3; seq++) {
        assert_int_equal(mt_transport_frame(&p->client, pl, 4, 0, out, sizeof out, &n), MT_OK);
        assert_int_equal(n, 16);
        assert_int_equal(ld32le(out), 16);
        assert_int_equal(ld32le(out + 4), seq);
        assert_int_equal(ld32le(out + 12), crc32_compute(out, 12));
    }
    free(p);
}

/* Feeds hex to a fresh engine (tag skipped unless keep_tag) split at every byte; every split must
 * give err (and, when err is a rule, the rule's reaction is what the catalogue says). */
static void expect_rule(mt_transport_kind kind, mt_transport_role role, bool keep_tag, size_t cap,
                        const char *hex, int err)
{
    static uint8_t buf[CAP];
    tu_buf in = tu_hex(hex);
    tu_script_rng rng;
    tu_script_init(&rng, NULL, 0, 1);
    for (size_t cut = 0; cut <= in.len; cut++) {
        mt_transport t;
        assert_int_equal(mt_transport_init(&t, kind, role, buf, cap, &rng.rng), MT_OK);
        if (!keep_tag)
            mt_transport_skip_tag(&t);
        tu_events e = {0};
        assert_int_equal(tu_feed_cuts(&t, in.p, in.len, &cut, 1, &e), err);
        tu_events_free(&e);
        /* Sticky: the next call reports the same error and consumes nothing. */
        size_t used;
        mt_transport_event ev;
        assert_int_equal(mt_transport_feed(&t, in.p, in.len, &used, &ev), err);
        assert_int_equal(used, 0);
    }
    tu_free(&in);
}

static void test_rules(void **state)
{
    (void)state;
    mt_transport_role S = MT_ROLE_SERVER, C = MT_ROLE_CLIENT;
    /* 0x7f + 3-byte length: 0xffffff units = 64 MiB, over MT_TRANSPORT_MAX_FRAME. */
    expect_rule(MT_TRANSPORT_ABRIDGED, S, false, CAP, "7fffffff", MT_E_TRANSPORT_FRAME_TOO_LONG);
    expect_rule(MT_TRANSPORT_ABRIDGED, C, false, CAP, "7f010040", MT_E_TRANSPORT_FRAME_TOO_LONG);
    expect_rule(MT_TRANSPORT_INTERMEDIATE, S, false, CAP, "04000001",
                MT_E_TRANSPORT_FRAME_TOO_LONG);
    expect_rule(MT_TRANSPORT_PADDED, C, false, CAP, "01000001", MT_E_TRANSPORT_FRAME_TOO_LONG);
    expect_rule(MT_TRANSPORT_FULL, S, false, CAP, "1000000100000000",
                MT_E_TRANSPORT_FRAME_TOO_LONG);
    /* Within the limit but over the caller's buffer: a local limit, not a rule. */
    expect_rule(MT_TRANSPORT_INTERMEDIATE, S, false, 64, "44000000", MT_E_limit_exceeded);
    expect_rule(MT_TRANSPORT_ABRIDGED, S, false, 64, "11", MT_E_limit_exceeded);
    expect_rule(MT_TRANSPORT_INTERMEDIATE, S, false, CAP, "05000000",
                MT_E_TRANSPORT_LENGTH_NOT_ALIGNED);
    expect_rule(MT_TRANSPORT_INTERMEDIATE, C, false, CAP, "06000000",
                MT_E_TRANSPORT_LENGTH_NOT_ALIGNED);
    expect_rule(MT_TRANSPORT_FULL, S, false, CAP, "0d00000000000000",
                MT_E_TRANSPORT_LENGTH_NOT_ALIGNED);
    expect_rule(MT_TRANSPORT_INTERMEDIATE, S, true, CAP, "efeeeeee", MT_E_TRANSPORT_BAD_TAG);
    expect_rule(MT_TRANSPORT_ABRIDGED, S, true, CAP, "ee", MT_E_TRANSPORT_BAD_TAG);
    expect_rule(MT_TRANSPORT_PADDED, S, true, CAP, "eeeeeeee", MT_E_TRANSPORT_BAD_TAG);
    expect_rule(MT_TRANSPORT_FULL, S, false, CAP, "0800000000000000", MT_E_FULL_TOO_SHORT);
    expect_rule(MT_TRANSPORT_FULL, C, false, CAP, "0000000000000000", MT_E_FULL_TOO_SHORT);
    /* The first packet must carry seq 0. */
    expect_rule(MT_TRANSPORT_FULL, S, false, CAP, "0c00000001000000", MT_E_FULL_BAD_SEQ);
    /* len 12, seq 0, empty payload, CRC of the 8 header bytes off by one bit. */
    uint8_t pkt[12];
    st32le(pkt, 12);
    st32le(pkt + 4, 0);
    st32le(pkt + 8, crc32_compute(pkt, 8) ^ 1);
    char hex[25];
    for (size_t i = 0; i < 12; i++)
        snprintf(hex + 2 * i, 3, "%02x", pkt[i]);
    expect_rule(MT_TRANSPORT_FULL, S, false, CAP, hex, MT_E_FULL_BAD_CRC);
    /* Every rule above answers with -404 or a close (the catalogue's reactions). */
    const mt_rule *r = mt_rule_of(MT_E_TRANSPORT_FRAME_TOO_LONG);
    assert_int_equal(r->reaction, RX_TRANSPORT_ERROR);
    assert_int_equal(r->code, -404);
    assert_int_equal(mt_rule_of(MT_E_FULL_BAD_CRC)->reaction, RX_CLOSE);
}

/* A replayed full packet (seq 0 twice) breaks the counter; sending-side checks. */
static void test_full_seq_and_send_checks(void **state)
{
    (void)state;
    uint8_t out[256], pl[16] = {1, 2, 3, 4};
    size_t n;
    pair *p = pair_new(MT_TRANSPORT_FULL, MT_TRANSPORT_FULL);
    assert_int_equal(mt_transport_frame(&p->client, pl, 4, 0, out, sizeof out, &n), MT_OK);
    uint8_t twice[32];
    memcpy(twice, out, n);
    memcpy(twice + n, out, n);
    tu_events e = {0};
    assert_int_equal(tu_feed_chunk(&p->server, twice, 2 * n, &e), MT_E_FULL_BAD_SEQ);
    assert_int_equal(e.n, 1);
    tu_events_free(&e);
    /* Sending: alignment, the size limit (checked before the payload is read), room. */
    assert_int_equal(mt_transport_frame(&p->client, pl, 5, 0, out, sizeof out, &n),
                     MT_E_TRANSPORT_LENGTH_NOT_ALIGNED);
    assert_int_equal(
        mt_transport_frame(&p->client, pl, MT_TRANSPORT_MAX_FRAME + 4, 0, out, sizeof out, &n),
        MT_E_TRANSPORT_FRAME_TOO_LONG);
    assert_int_equal(mt_transport_frame(&p->client, pl, 8, 0, out, 19, &n), MT_E_no_space);
    assert_int_equal(mt_transport_frame(&p->client, pl, 8, MT_TF_QUICK_ACK, out, 64, &n),
                     MT_E_bad_argument);
    /* Failed calls left the counter alone: the next frame is seq 1. */
    assert_int_equal(mt_transport_frame(&p->client, pl, 8, 0, out, 20, &n), MT_OK);
    assert_int_equal(ld32le(out + 4), 1);
    assert_int_equal(mt_transport_error(&p->client, 0, out, 64, &n), MT_E_bad_argument);
    free(p);
    p = pair_new(MT_TRANSPORT_PADDED, MT_TRANSPORT_PADDED);
    assert_int_equal(mt_transport_frame(&p->client, pl, 5, 0, out, sizeof out, &n), MT_OK);
    assert_int_equal(mt_transport_frame_padding(&p->client, pl, 4, 0, pl, 16, out, sizeof out, &n),
                     MT_E_bad_argument);
    p->rng.fail = 1;
    assert_int_equal(mt_transport_frame(&p->client, pl, 4, 0, out, sizeof out, &n),
                     MT_E_rng_failure);
    free(p);
}

/* The detector decides at 1, 4 or 8 bytes and never earlier than it can. */
static void test_detect_function(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        size_t decide_at;
        mt_transport_kind kind;
        bool obf;
    } cases[] = {
        {"ef", 1, MT_TRANSPORT_ABRIDGED, false},
        {"eeeeeeee", 4, MT_TRANSPORT_INTERMEDIATE, false},
        {"dddddddd", 4, MT_TRANSPORT_PADDED, false},
        {"504f5354", 4, MT_TRANSPORT_HTTP, false}, /* POST */
        {"47455420", 4, MT_TRANSPORT_HTTP, false}, /* GET  */
        {"48454144", 4, MT_TRANSPORT_HTTP, false}, /* HEAD */
        {"4f505449", 4, MT_TRANSPORT_HTTP, false}, /* OPTI */
        {"2800000000000000", 8, MT_TRANSPORT_FULL, false},
        {"2800000001000000", 8, MT_TRANSPORT_AUTO, true}, /* seq 1: not a first full packet */
        {"2900000000000000", 8, MT_TRANSPORT_AUTO, true}, /* length not a multiple of 4 */
        {"0800000000000000", 8, MT_TRANSPORT_AUTO, true}, /* length below 12 */
        {"1010000100000000", 8, MT_TRANSPORT_AUTO, true}, /* length over the limit */
        {"1603010211223344", 8, MT_TRANSPORT_AUTO, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tu_buf h = tu_hex(cases[i].hex);
        mt_detected d;
        for (size_t n = 0; n < cases[i].decide_at; n++) {
            tu_buf part = tu_dup(h.p, n);
            assert_false(mt_transport_detect(part.p, n, &d));
            tu_free(&part);
        }
        assert_true(mt_transport_detect(h.p, h.len, &d));
        assert_int_equal(d.kind, cases[i].kind);
        assert_int_equal(d.obfuscated, cases[i].obf);
        tu_free(&h);
    }
}

/* An AUTO server handed an HTTP request reports it, with the bytes read, at every split. */
static void test_detect_http(void **state)
{
    (void)state;
    static uint8_t buf[CAP];
    const char *req = "POST /api HTTP/1.1\r\n";
    tu_script_rng rng;
    tu_script_init(&rng, NULL, 0, 1);
    for (size_t cut = 0; cut <= 4; cut++) {
        mt_transport t;
        assert_int_equal(
            mt_transport_init(&t, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, buf, CAP, &rng.rng), MT_OK);
        tu_events e = {0};
        assert_int_equal(tu_feed_cuts(&t, (const uint8_t *)req, 4, &cut, 1, &e), MT_OK);
        assert_int_equal(e.n, 1);
        assert_int_equal(e.ev[0].type, MT_TEV_HTTP);
        tu_assert_bytes("http head", e.ev[0].data, e.ev[0].len, (const uint8_t *)req, 4);
        assert_int_equal(t.kind, MT_TRANSPORT_HTTP);
        tu_events_free(&e);
    }
    assert_string_equal(mt_transport_kind_name(MT_TRANSPORT_PADDED), "padded");
    assert_int_equal(mt_transport_kind_from_name("full"), MT_TRANSPORT_FULL);
    assert_int_equal(mt_transport_kind_from_name("auto"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_to_server),
        cmocka_unit_test(test_detect_engine),
        cmocka_unit_test(test_server_to_client),
        cmocka_unit_test(test_wire_format),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_full_seq_and_send_checks),
        cmocka_unit_test(test_detect_function),
        cmocka_unit_test(test_detect_http),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
