/*
 * The server engine (proto/handshake_server.h) against the client engine (proto/handshake.h) in
 * one process: permanent and temporary keys, dh_gen_retry forced by a colliding key id, a resent
 * step answered byte-identically, and each server misbehaviour (hss_fault) caught by the client
 * with the rule that names it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hss_fixture.h"

typedef struct pair {
    fx *f;
    hs_client c;
    const rsa_public *pubs[1];
    int client_err, server_err;
} pair;

static void pair_init(pair *p, fx *f, hs_key_kind kind)
{
    memset(p, 0, sizeof *p);
    p->f = f;
    fx_start(f);
    p->pubs[0] = &f->key.pub;
    hs_client_config cc = {.keys = p->pubs, .n_keys = 1, .dc = 2, .kind = kind};
    cc.expires_in = kind == HS_KEY_TEMP ? 3600 : 0;
    cc.mr_rounds = 8;
    assert_int_equal(hs_client_init(&p->c, &cc, &f->clock.clock, &f->client_drbg.rng, NULL), 0);
}

/* Pumps messages until the client is done or one side refuses. resend: each client message is
 * fed twice and both answers must be the same bytes. */
static void pair_run(pair *p, bool resend)
{
    fx *f = p->f;
    assert_int_equal(hs_client_start(&p->c, f->pkt, sizeof f->pkt, &f->pkt_len), 0);
    while (f->pkt_len) {
        p->server_err = hss_feed(&f->s, f->pkt, f->pkt_len, f->ans, sizeof f->ans, &f->ans_len);
        if (p->server_err)
            return;
        if (resend) {
            uint8_t again[HS_PACKET_MAX];
            size_t n;
            vclock_advance(&f->clock, 5 * NS_PER_S);
            assert_int_equal(hss_feed(&f->s, f->pkt, f->pkt_len, again, sizeof again, &n), 0);
            assert_int_equal(n, f->ans_len);
            assert_memory_equal(again, f->ans, n);
        }
        p->client_err =
            hs_client_feed(&p->c, f->ans, f->ans_len, f->pkt, sizeof f->pkt, &f->pkt_len);
        if (p->client_err)
            return;
    }
}

static void check_same_key(pair *p, hs_key_kind kind, unsigned retries)
{
    hs_result a, b;
    assert_int_equal(p->client_err, 0);
    assert_int_equal(p->server_err, 0);
    assert_int_equal(hs_client_result(&p->c, &a), 0);
    assert_int_equal(hss_result(&p->f->s, &b), 0);
    assert_memory_equal(a.key.key, b.key.key, MT_AUTH_KEY_LEN);
    assert_memory_equal(a.key.id, b.key.id, MT_AUTH_KEY_ID_LEN);
    assert_memory_equal(a.server_salt, b.server_salt, HS_SALT_LEN);
    assert_int_equal(a.kind, kind);
    assert_int_equal(b.kind, kind);
    assert_int_equal(b.expires_in, kind == HS_KEY_TEMP ? 3600 : 0);
    assert_int_equal(a.retries, retries);
    assert_int_equal(b.retries, retries);
    hs_result_wipe(&a);
    hs_result_wipe(&b);
}

static void test_perm_temp_resend(void **state)
{
    (void)state;
    for (int i = 0; i < 4; i++) {
        hs_key_kind kind = i & 1 ? HS_KEY_TEMP : HS_KEY_PERM;
        pair p;
        pair_init(&p, fx_new(), kind);
        pair_run(&p, i >= 2);
        check_same_key(&p, kind, 0);
        assert_int_equal(hss_dc(&p.f->s), 2);
        hs_client_wipe(&p.c);
        fx_free(p.f);
    }
}

static bool first_collides(void *ctx, const uint8_t id[8])
{
    (void)id;
    unsigned *calls = ctx;
    return (*calls)++ == 0;
}

static void test_retry(void **state)
{
    (void)state;
    unsigned calls = 0;
    pair p;
    fx *f = fx_new();
    f->cfg.key_exists = first_collides;
    f->cfg.key_exists_ctx = &calls;
    pair_init(&p, f, HS_KEY_PERM);
    pair_run(&p, false);
    check_same_key(&p, HS_KEY_PERM, 1);
    hs_client_wipe(&p.c);
    fx_free(f);
}

/* Each server misbehaviour and the client rule that must catch it. */
static void test_faults_caught(void **state)
{
    (void)state;
    static const int want[HSS_FAULT_COUNT] = {
        [HSS_FAULT_RESPQ_NONCE] = MT_E_HS_NONCE_MISMATCH,
        [HSS_FAULT_PQ_PRIME] = MT_E_HS_PQ_NOT_SEMIPRIME,
        [HSS_FAULT_FINGERPRINTS] = MT_E_HS_NO_KNOWN_FINGERPRINT,
        [HSS_FAULT_DH_NONCE] = MT_E_HS_NONCE_MISMATCH,
        [HSS_FAULT_DH_SERVER_NONCE] = MT_E_HS_SERVER_NONCE_MISMATCH,
        [HSS_FAULT_INNER_NONCE] = MT_E_HS_NONCE_MISMATCH,
        [HSS_FAULT_ANSWER_HASH] = MT_E_HS_ANSWER_HASH,
        [HSS_FAULT_ANSWER_PADDING] = MT_E_HS_ANSWER_PADDING,
        [HSS_FAULT_ANSWER_UNALIGNED] = MT_E_HS_ANSWER_NOT_ALIGNED,
        [HSS_FAULT_PRIME_SIZE] = MT_E_DH_PRIME_SIZE,
        [HSS_FAULT_PRIME_COMPOSITE] = MT_E_DH_PRIME_NOT_PRIME,
        [HSS_FAULT_PRIME_NOT_SAFE] = MT_E_DH_PRIME_NOT_SAFE,
        [HSS_FAULT_G_UNSUPPORTED] = MT_E_DH_G_UNSUPPORTED,
        [HSS_FAULT_G_RESIDUE] = MT_E_DH_G_NOT_RESIDUE,
        [HSS_FAULT_GA_RANGE] = MT_E_DH_GA_RANGE,
        [HSS_FAULT_GA_BOUNDS] = MT_E_DH_GA_BOUNDS,
        [HSS_FAULT_GEN_NONCE] = MT_E_HS_NONCE_MISMATCH,
        [HSS_FAULT_NEW_NONCE_HASH] = MT_E_HS_NEW_NONCE_HASH1,
        [HSS_FAULT_GEN_FAIL] = MT_E_HS_DH_GEN_FAIL,
        [HSS_FAULT_PQ_TOO_BIG] = MT_E_HS_PQ_TOO_BIG,
        [HSS_FAULT_ANSWER_TOO_LONG] = MT_E_HS_ANSWER_TOO_LONG,
        [HSS_FAULT_ANSWER_TOO_SHORT] = MT_E_HS_ANSWER_TOO_SHORT,
        [HSS_FAULT_DH_PARAMS_FAIL] = MT_E_HS_SERVER_DH_PARAMS_FAIL,
        [HSS_FAULT_UNEXPECTED] = MT_E_HS_UNEXPECTED_MESSAGE,
        [HSS_FAULT_RETRY_HASH] = MT_E_HS_NEW_NONCE_HASH2,
        [HSS_FAULT_FAIL_HASH] = MT_E_HS_NEW_NONCE_HASH3,
        [HSS_FAULT_RETRY_ALWAYS] = MT_E_HS_TOO_MANY_RETRIES,
        [HSS_FAULT_GEN_RETRY] = 0, /* legal: the key is agreed after one retry */
        [HSS_FAULT_KEY_ZERO] = 0,
    };
    for (unsigned i = 1; i < HSS_FAULT_COUNT; i++) {
        fx *f = fx_new();
        f->cfg.fault = (hss_fault)i;
        assert_int_equal(hss_fault_by_name(hss_fault_name((hss_fault)i)), i);
        pair p;
        pair_init(&p, f, HS_KEY_PERM);
        pair_run(&p, false);
        if (p.client_err != want[i])
            fail_msg("fault %s: client said %s, want %s", hss_fault_name((hss_fault)i),
                     mt_err_name(p.client_err), mt_err_name(want[i]));
        assert_int_equal(p.server_err, 0);
        if (i == HSS_FAULT_GEN_RETRY)
            check_same_key(&p, HS_KEY_PERM, 1);
        if (i == HSS_FAULT_KEY_ZERO) { /* steered: a zero first byte, or the retries used up */
            hs_result r;
            assert_int_equal(hs_client_result(&p.c, &r), 0);
            assert_true(r.key.key[0] == 0 || r.retries == HS_MAX_RETRIES);
            check_same_key(&p, HS_KEY_PERM, r.retries);
            hs_result_wipe(&r);
        }
        hs_client_wipe(&p.c);
        fx_free(f);
    }
    assert_int_equal(hss_fault_by_name("no_such_fault"), HSS_FAULT_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perm_temp_resend),
        cmocka_unit_test(test_retry),
        cmocka_unit_test(test_faults_caught),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
