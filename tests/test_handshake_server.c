/*
 * The server handshake engine (proto/handshake_server.h) against a client written in the test
 * from our primitives (tests/hss_client.h): full runs for permanent and temporary keys, every
 * server check broken in turn with its rule ID and the -404 latch, the deprecated forms (accepted
 * with a warning, refused under strict), resends, retries. Client-engine runs are in
 * test_handshake_server_pair.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/rules.h"
#include "hss_client.h"

static void check_result(fx *f, hs_key_kind kind)
{
    hs_result res;
    assert_int_equal(hss_get_state(&f->s), HSS_DONE);
    assert_int_equal(hss_result(&f->s, &res), 0);
    assert_memory_equal(res.key.key, f->c.key.key, MT_AUTH_KEY_LEN);
    assert_memory_equal(res.key.id, f->c.key.id, MT_AUTH_KEY_ID_LEN);
    uint8_t salt[8];
    hs_initial_salt(f->c.new_nonce, f->c.server_nonce, salt);
    assert_memory_equal(res.server_salt, salt, 8);
    assert_int_equal(res.kind, kind);
    assert_int_equal(res.expires_in, kind == HS_KEY_TEMP ? 86400 : 0);
    assert_int_equal(res.server_time, (int32_t)(T0_NS / NS_PER_S));
    hs_result_wipe(&res);
}

static void test_full_perm_and_temp(void **state)
{
    (void)state;
    for (int temp = 0; temp < 2; temp++) {
        fx *f = fx_new();
        fx_start(f);
        tc_full(f, temp ? TI_TEMP_DC : TI_DC, false);
        check_result(f, temp ? HS_KEY_TEMP : HS_KEY_PERM);
        assert_int_equal(hss_dc(&f->s), 2);
        size_t nw;
        hss_warnings(&f->s, &nw);
        assert_int_equal(nw, 0);
        fx_free(f);
    }
}

/* pq < 2^pq_bits with p < q prime, for the default and a configured size. */
static void test_pq_bits(void **state)
{
    (void)state;
    unsigned bits[] = {0, 16, 40, 64};
    for (size_t i = 0; i < 4; i++) {
        fx *f = fx_new();
        f->cfg.pq_bits = bits[i];
        fx_start(f);
        assert_int_equal(tc_req_pq(f, 0xbe7e8ef1u), 0);
        unsigned b = bits[i] ? bits[i] : HSS_PQ_BITS_DEFAULT;
        assert_true(f->c.p < f->c.q);
        assert_true(b == 64 || f->c.p * f->c.q < (1ull << b));
        fx_free(f);
    }
}

/* Expects rule from a step broken with br, then HSS_LATCHED for any later query. */
static void expect_rule(fx *f, int got, int rule)
{
    assert_int_equal(got, rule);
    assert_int_equal(f->ans_len, 0);
    const mt_rule *r = mt_rule_of(rule);
    assert_non_null(r);
    assert_int_equal(r->reaction, RX_TRANSPORT_ERROR);
    assert_int_equal(hss_get_state(&f->s), HSS_LATCHED);
    uint8_t body[20] = {0xf1, 0x8e, 0x7e, 0xbe};
    assert_int_equal(fx_send(f, body, sizeof body), MT_E_HSS_LATCHED);
    assert_int_equal(mt_rule_of(MT_E_HSS_LATCHED)->code, -404);
}

static void test_req_dh_checks(void **state)
{
    (void)state;
    static const struct {
        enum tc_break br;
        int rule;
    } cases[] = {
        {TB_NONCE, MT_E_HSS_NONCE_MISMATCH},
        {TB_SERVER_NONCE, MT_E_HSS_SERVER_NONCE_MISMATCH},
        {TB_P, MT_E_HSS_WRONG_P_Q},
        {TB_SWAP_P_Q, MT_E_HSS_WRONG_P_Q},
        {TB_FINGERPRINT, MT_E_HSS_UNKNOWN_FINGERPRINT},
        {TB_RSA_HASH, MT_E_RSAPAD_HASH},
        {TB_RSA_LENGTH, MT_E_RSAPAD_LENGTH},
        {TB_INNER_ID, MT_E_HSS_INNER_MALFORMED},
        {TB_INNER_PQ, MT_E_HSS_INNER_MISMATCH},
        {TB_INNER_NONCE, MT_E_HSS_INNER_MISMATCH},
        {TB_EXPIRES_IN, MT_E_HSS_EXPIRES_IN_INVALID},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx *f = fx_new();
        fx_start(f);
        assert_int_equal(tc_req_pq(f, 0xbe7e8ef1u), 0);
        enum tc_inner form = cases[i].br == TB_EXPIRES_IN ? TI_TEMP_DC : TI_DC;
        expect_rule(f, tc_req_dh(f, form, false, cases[i].br), cases[i].rule);
        fx_free(f);
    }
}

static void test_set_dh_checks(void **state)
{
    (void)state;
    static const struct {
        enum tc_break br;
        int rule;
    } cases[] = {
        {TB_ANSWER_HASH, MT_E_HSS_ANSWER_HASH},
        {TB_ANSWER_PAD, MT_E_HSS_ANSWER_PADDING},
        {TB_ANSWER_LEN, MT_E_HSS_ANSWER_LENGTH},
        {TB_CLIENT_INNER_ID, MT_E_HSS_CLIENT_INNER_MALFORMED},
        {TB_CLIENT_INNER_NONCE, MT_E_HSS_CLIENT_INNER_MISMATCH},
        {TB_RETRY_ID, MT_E_HSS_RETRY_ID_WRONG},
        {TB_GB_RANGE, MT_E_DH_GB_RANGE},
        {TB_GB_BOUNDS, MT_E_DH_GB_BOUNDS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx *f = fx_new();
        fx_start(f);
        uint32_t gen;
        assert_int_equal(tc_req_pq(f, 0xbe7e8ef1u), 0);
        assert_int_equal(tc_req_dh(f, TI_DC, false, TB_NONE), 0);
        expect_rule(f, tc_set_dh(f, cases[i].br, &gen), cases[i].rule);
        fx_free(f);
    }
}

/* Queries out of order, unknown, malformed, or badly framed. */
static void test_wrong_queries(void **state)
{
    (void)state;
    uint8_t set_dh[40] = {0x1f, 0x5f, 0x04, 0xf5}, unknown[20] = {1, 2, 3, 4};
    uint8_t long_pq[24] = {0xf1, 0x8e, 0x7e, 0xbe};
    fx *f = fx_new();
    fx_start(f);
    expect_rule(f, fx_send(f, set_dh, sizeof set_dh), MT_E_HSS_UNEXPECTED_QUERY);
    fx_free(f);
    f = fx_new();
    fx_start(f);
    expect_rule(f, fx_send(f, unknown, sizeof unknown), MT_E_HSS_UNEXPECTED_QUERY);
    fx_free(f);
    f = fx_new();
    fx_start(f);
    expect_rule(f, fx_send(f, long_pq, sizeof long_pq), MT_E_HSS_MALFORMED_QUERY);
    fx_free(f);
    f = fx_new();
    fx_start(f);
    uint8_t pkt[40] = {1}; /* auth_key_id != 0 */
    size_t n;
    assert_int_equal(hss_feed(&f->s, pkt, sizeof pkt, f->ans, sizeof f->ans, &n),
                     MT_E_PLAIN_AUTH_KEY_ID_NOT_ZERO);
    assert_int_equal(hss_feed(&f->s, pkt, sizeof pkt, f->ans, sizeof f->ans, &n), MT_E_HSS_LATCHED);
    fx_free(f);
}

static void expect_warnings(fx *f, int want)
{
    size_t n;
    const int *w = hss_warnings(&f->s, &n);
    assert_int_equal(n, 1);
    assert_int_equal(w[0], want);
    assert_int_equal(mt_rule_of(want)->severity, DEPRECATED);
}

/* Each deprecated form: accepted with its warning, refused under strict. */
static void test_deprecated(void **state)
{
    (void)state;
    for (int strict = 0; strict < 2; strict++) {
        fx *f = fx_new();
        f->cfg.strict = strict;
        fx_start(f);
        if (strict) {
            expect_rule(f, tc_req_pq(f, 0x60469778u), MT_E_HSS_DEPRECATED_REQ_PQ);
        } else {
            uint32_t gen;
            assert_int_equal(tc_req_pq(f, 0x60469778u), 0);
            assert_int_equal(tc_req_dh(f, TI_DC, false, TB_NONE), 0);
            assert_int_equal(tc_set_dh(f, TB_NONE, &gen), 0);
            expect_warnings(f, MT_E_HSS_DEPRECATED_REQ_PQ);
        }
        fx_free(f);
        static const struct {
            enum tc_inner form;
            bool old;
            int rule;
        } c[] = {{TI_NO_DC, false, MT_E_HSS_DEPRECATED_INNER_NO_DC},
                 {TI_TEMP_NO_DC, false, MT_E_HSS_DEPRECATED_INNER_NO_DC},
                 {TI_DC, true, MT_E_HSS_DEPRECATED_RSA_PADDING}};
        for (size_t i = 0; i < 3; i++) {
            f = fx_new();
            f->cfg.strict = strict;
            fx_start(f);
            assert_int_equal(tc_req_pq(f, 0xbe7e8ef1u), 0);
            if (strict) {
                expect_rule(f, tc_req_dh(f, c[i].form, c[i].old, TB_NONE), c[i].rule);
            } else {
                uint32_t gen;
                assert_int_equal(tc_req_dh(f, c[i].form, c[i].old, TB_NONE), 0);
                assert_int_equal(tc_set_dh(f, TB_NONE, &gen), 0);
                expect_warnings(f, c[i].rule);
                check_result(f, c[i].form == TI_TEMP_NO_DC ? HS_KEY_TEMP : HS_KEY_PERM);
            }
            fx_free(f);
        }
    }
}

/* The same body again gets the same packet; another body, or after 10 minutes, is refused. */
static void test_resend(void **state)
{
    (void)state;
    for (int mode = 0; mode < 3; mode++) {
        fx *f = fx_new();
        fx_start(f);
        assert_int_equal(tc_req_pq(f, 0xbe7e8ef1u), 0);
        assert_int_equal(tc_req_dh(f, TI_DC, false, TB_NONE), 0);
        uint8_t first[HS_PACKET_MAX], body[HSS_QUERY_MAX];
        size_t first_len = f->ans_len;
        memcpy(first, f->ans, first_len);
        mt_plain_view v;
        assert_int_equal(mt_plain_unpack(f->pkt, f->pkt_len, &v), 0);
        memcpy(body, v.body, v.body_len);
        size_t len = v.body_len;
        if (mode == 1)
            body[len - 1] ^= 1;
        if (mode == 2)
            vclock_advance(&f->clock, HSS_RESEND_WINDOW_NS + 1);
        int err = fx_send(f, body, len);
        if (mode == 0) {
            assert_int_equal(err, 0);
            assert_memory_equal(f->ans, first, first_len);
            assert_int_equal(f->ans_len, first_len);
            uint32_t gen;
            assert_int_equal(tc_set_dh(f, TB_NONE, &gen), 0);
            check_result(f, HS_KEY_PERM);
        } else {
            expect_rule(f, err, mode == 1 ? MT_E_HSS_RESEND_DIFFERS : MT_E_HSS_RESEND_EXPIRED);
        }
        fx_free(f);
    }
}

static bool first_collides(void *ctx, const uint8_t id[8])
{
    (void)id;
    unsigned *calls = ctx;
    return (*calls)++ == 0;
}

static bool always_collides(void *ctx, const uint8_t id[8])
{
    (void)ctx;
    (void)id;
    return true;
}

/* dh_gen_retry on a colliding id (callback or id set), the retry_id check, dh_gen_fail. */
static void test_retry(void **state)
{
    (void)state;
    unsigned calls = 0;
    fx *f = fx_new();
    f->cfg.key_exists = first_collides;
    f->cfg.key_exists_ctx = &calls;
    fx_start(f);
    uint32_t gen;
    assert_int_equal(tc_req_pq(f, 0xbe7e8ef1u), 0);
    assert_int_equal(tc_req_dh(f, TI_DC, false, TB_NONE), 0);
    assert_int_equal(tc_set_dh(f, TB_NONE, &gen), 0);
    assert_int_equal(gen, 0x46dc1fb9u);
    static uint8_t ids[1][8];
    memcpy(ids[0], f->c.key.id, 8);
    assert_int_equal(tc_set_dh(f, TB_NONE, &gen), 0);
    assert_int_equal(gen, 0x3bcbf734u);
    check_result(f, HS_KEY_PERM);
    fx_free(f);
    /* The same run (same seeds) with the first key's id in the known set. */
    f = fx_new();
    f->cfg.known_ids = (const uint8_t(*)[8])ids;
    f->cfg.n_known_ids = 1;
    fx_start(f);
    assert_int_equal(tc_req_pq(f, 0xbe7e8ef1u), 0);
    assert_int_equal(tc_req_dh(f, TI_DC, false, TB_NONE), 0);
    assert_int_equal(tc_set_dh(f, TB_NONE, &gen), 0);
    assert_int_equal(gen, 0x46dc1fb9u);
    memset(f->c.retry_id, 0, 8); /* retry_id must now be the aux_hash, not 0 */
    expect_rule(f, tc_set_dh(f, TB_NONE, &gen), MT_E_HSS_RETRY_ID_WRONG);
    fx_free(f);
    f = fx_new();
    f->cfg.key_exists = always_collides;
    f->cfg.max_retries = 1;
    fx_start(f);
    assert_int_equal(tc_req_pq(f, 0xbe7e8ef1u), 0);
    assert_int_equal(tc_req_dh(f, TI_DC, false, TB_NONE), 0);
    assert_int_equal(tc_set_dh(f, TB_NONE, &gen), 0);
    assert_int_equal(gen, 0x46dc1fb9u);
    assert_int_equal(tc_set_dh(f, TB_NONE, &gen), 0);
    assert_int_equal(gen, 0xa69dae02u);
    assert_int_equal(hss_get_state(&f->s), HSS_GEN_FAIL);
    hs_result res;
    assert_int_equal(hss_result(&f->s, &res), MT_E_bad_argument);
    fx_free(f);
}

/* "-444 when a test DC id is sent to a production DC, or the reverse" (dc = 2 is production). */
static void test_dc_check(void **state)
{
    (void)state;
    for (int test_server = 0; test_server < 2; test_server++) {
        fx *f = fx_new();
        f->cfg.check_dc = true;
        f->cfg.test_server = test_server;
        fx_start(f);
        assert_int_equal(tc_req_pq(f, 0xbe7e8ef1u), 0);
        int err = tc_req_dh(f, TI_DC, false, TB_NONE);
        if (test_server) {
            expect_rule(f, err, MT_E_HSS_DC_TEST_MISMATCH);
            assert_int_equal(mt_rule_of(err)->code, -444);
        } else {
            assert_int_equal(err, 0);
        }
        fx_free(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_perm_and_temp),
        cmocka_unit_test(test_pq_bits),
        cmocka_unit_test(test_req_dh_checks),
        cmocka_unit_test(test_set_dh_checks),
        cmocka_unit_test(test_wrong_queries),
        cmocka_unit_test(test_deprecated),
        cmocka_unit_test(test_resend),
        cmocka_unit_test(test_retry),
        cmocka_unit_test(test_dc_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
