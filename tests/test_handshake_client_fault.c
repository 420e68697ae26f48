/*
 * The client engine's faults (proto/handshake.h hs_client_fault) against the server engine: each
 * one is refused with exactly the rule it is made for (MT_E_RSAPAD_LENGTH,
 * MT_E_RSAPAD_NOT_BELOW_MODULUS, MT_E_HSS_INNER_MALFORMED, MT_E_HSS_ANSWER_LENGTH,
 * MT_E_HSS_ANSWER_PADDING, MT_E_HSS_CLIENT_INNER_MALFORMED, MT_E_HSS_RETRY_ID_WRONG), the two
 * deprecated forms are accepted with their warning (MT_E_HSS_DEPRECATED_INNER_NO_DC,
 * MT_E_HSS_DEPRECATED_RSA_PADDING) or refused under strict, a test dc id gets
 * MT_E_HSS_DC_TEST_MISMATCH from a production server, forced dh_gen_retry answers are followed,
 * and a resend after the 10-minute answer memory gets MT_E_HSS_RESEND_EXPIRED.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hss_fixture.h"

typedef struct run {
    fx *f;
    hs_client c;
    const rsa_public *pubs[1];
    int client_err, server_err;
    bool fault_seen;
} run;

static void run_init(run *r, fx *f, hs_client_fault fault, hs_key_kind kind, int32_t dc)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    fx_start(f);
    r->pubs[0] = &f->key.pub;
    hs_client_config cc = {.keys = r->pubs, .n_keys = 1, .dc = dc, .kind = kind, .fault = fault};
    cc.expires_in = kind == HS_KEY_TEMP ? 3600 : 0;
    cc.mr_rounds = 8;
    assert_int_equal(hs_client_init(&r->c, &cc, &f->clock.clock, &f->client_drbg.rng, NULL), 0);
}

static void run_pump(run *r)
{
    fx *f = r->f;
    assert_int_equal(hs_client_start(&r->c, f->pkt, sizeof f->pkt, &f->pkt_len), 0);
    while (f->pkt_len) {
        r->fault_seen |= hs_client_fault_sent(&r->c);
        r->server_err = hss_feed(&f->s, f->pkt, f->pkt_len, f->ans, sizeof f->ans, &f->ans_len);
        if (r->server_err)
            return;
        r->client_err =
            hs_client_feed(&r->c, f->ans, f->ans_len, f->pkt, sizeof f->pkt, &f->pkt_len);
        if (r->client_err)
            return;
    }
}

static void refused(hs_client_fault fault, unsigned retries, int rule)
{
    fx *f = fx_new();
    f->cfg.forced_retries = retries;
    run r;
    run_init(&r, f, fault, HS_KEY_PERM, 2);
    run_pump(&r);
    assert_true(r.fault_seen);
    assert_int_equal(r.server_err, rule);
    assert_int_equal(hss_get_state(&f->s), HSS_LATCHED);
    hs_client_wipe(&r.c);
    fx_free(f);
}

static void test_faults_refused(void **state)
{
    (void)state;
    refused(HSC_FAULT_RSA_SHORT, 0, MT_E_RSAPAD_LENGTH);
    refused(HSC_FAULT_RSA_ABOVE_N, 0, MT_E_RSAPAD_NOT_BELOW_MODULUS);
    refused(HSC_FAULT_INNER_MALFORMED, 0, MT_E_HSS_INNER_MALFORMED);
    refused(HSC_FAULT_ANSWER_UNALIGNED, 0, MT_E_HSS_ANSWER_LENGTH);
    refused(HSC_FAULT_ANSWER_PADDING, 0, MT_E_HSS_ANSWER_PADDING);
    refused(HSC_FAULT_DH_INNER_MALFORMED, 0, MT_E_HSS_CLIENT_INNER_MALFORMED);
    refused(HSC_FAULT_RETRY_ID, 1, MT_E_HSS_RETRY_ID_WRONG);
    assert_int_equal(hs_client_fault_by_name("retry_id"), HSC_FAULT_RETRY_ID);
    assert_string_equal(hs_client_fault_name(HSC_FAULT_RSA_SHORT), "rsa_short");
    assert_int_equal(hs_client_fault_by_name("nope"), HSC_FAULT_COUNT);
}

/* A deprecated form: accepted with its warning, both sides get the same key; refused when strict.
 */
static void deprecated(hs_client_fault fault, hs_key_kind kind, int rule)
{
    for (int strict = 0; strict < 2; strict++) {
        fx *f = fx_new();
        f->cfg.strict = strict;
        run r;
        run_init(&r, f, fault, kind, 2);
        run_pump(&r);
        assert_true(r.fault_seen);
        if (strict) {
            assert_int_equal(r.server_err, rule);
        } else {
            assert_int_equal(r.server_err, 0);
            assert_int_equal(hs_client_get_state(&r.c), HSC_DONE);
            size_t n = 0;
            const int *w = hss_warnings(&f->s, &n);
            assert_int_equal(n, 1);
            assert_int_equal(w[0], rule);
            hs_result a, b;
            assert_int_equal(hs_client_result(&r.c, &a), 0);
            assert_int_equal(hss_result(&f->s, &b), 0);
            assert_memory_equal(a.key.key, b.key.key, MT_AUTH_KEY_LEN);
            assert_int_equal(b.kind, kind);
            hs_result_wipe(&a);
            hs_result_wipe(&b);
        }
        hs_client_wipe(&r.c);
        fx_free(f);
    }
}

static void test_deprecated_forms(void **state)
{
    (void)state;
    deprecated(HSC_FAULT_INNER_NO_DC, HS_KEY_PERM, MT_E_HSS_DEPRECATED_INNER_NO_DC);
    deprecated(HSC_FAULT_INNER_NO_DC, HS_KEY_TEMP, MT_E_HSS_DEPRECATED_INNER_NO_DC);
    deprecated(HSC_FAULT_OLD_RSA_PADDING, HS_KEY_PERM, MT_E_HSS_DEPRECATED_RSA_PADDING);
}

/* check_dc: a production server refuses a test dc id (+10000, also negative for media). */
static void test_dc_mode(void **state)
{
    (void)state;
    static const struct {
        int32_t dc;
        bool test_server;
        int err;
    } cases[] = {{10002, false, MT_E_HSS_DC_TEST_MISMATCH},
                 {-10002, false, MT_E_HSS_DC_TEST_MISMATCH},
                 {2, true, MT_E_HSS_DC_TEST_MISMATCH},
                 {-2, false, 0},
                 {10002, true, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx *f = fx_new();
        f->cfg.check_dc = true;
        f->cfg.test_server = cases[i].test_server;
        run r;
        run_init(&r, f, HSC_FAULT_NONE, HS_KEY_PERM, cases[i].dc);
        run_pump(&r);
        assert_int_equal(r.server_err, cases[i].err);
        hs_client_wipe(&r.c);
        fx_free(f);
    }
}

/* forced_retries: that many dh_gen_retry answers, then the key; the client counts them. */
static void test_forced_retries(void **state)
{
    (void)state;
    fx *f = fx_new();
    f->cfg.forced_retries = 2;
    run r;
    run_init(&r, f, HSC_FAULT_NONE, HS_KEY_PERM, 2);
    run_pump(&r);
    assert_int_equal(r.server_err, 0);
    hs_result a;
    assert_int_equal(hs_client_result(&r.c, &a), 0);
    assert_int_equal(a.retries, 2);
    hs_result_wipe(&a);
    hs_client_wipe(&r.c);
    fx_free(f);
}

/* "The server remembers its answers for up to 10 minutes": the same req_pq_multi after 601 s. */
static void test_resend_expired(void **state)
{
    (void)state;
    fx *f = fx_new();
    run r;
    run_init(&r, f, HSC_FAULT_NONE, HS_KEY_PERM, 2);
    assert_int_equal(hs_client_start(&r.c, f->pkt, sizeof f->pkt, &f->pkt_len), 0);
    assert_int_equal(hss_feed(&f->s, f->pkt, f->pkt_len, f->ans, sizeof f->ans, &f->ans_len), 0);
    vclock_advance(&f->clock, 599 * NS_PER_S);
    assert_int_equal(hss_feed(&f->s, f->pkt, f->pkt_len, f->ans, sizeof f->ans, &f->ans_len), 0);
    vclock_advance(&f->clock, 2 * NS_PER_S);
    assert_int_equal(hss_feed(&f->s, f->pkt, f->pkt_len, f->ans, sizeof f->ans, &f->ans_len),
                     MT_E_HSS_RESEND_EXPIRED);
    hs_client_wipe(&r.c);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faults_refused), cmocka_unit_test(test_deprecated_forms),
        cmocka_unit_test(test_dc_mode),        cmocka_unit_test(test_forced_retries),
        cmocka_unit_test(test_resend_expired),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
