/* `--violate`: every rule of relay_violations() broken on purpose is seen by our strict client
 * engines (tests/relay_loop.h) as exactly that rule: handshake faults by the handshake client,
 * framing by mt_msg_unpack and the transport, session rules by the session client; the few a
 * client engine does not check (seqno parity, a wrong salt, silence) are checked on what
 * arrives. Without a violation the same exchange is clean. */
#include "relay_loop.h"

#include "proto/tl_mtp.h"

#define UNKNOWN_METHOD 0x0badf00du

static bool hss_rule(int rule)
{
    const char *name = mt_err_name(rule);
    return strncmp(name, "HS_", 3) == 0 || strncmp(name, "DH_", 3) == 0;
}

static size_t count_log(const rl_client *c, uint32_t id, int parity)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nlog; i++)
        n += c->log_id[i] == id && (parity < 0 || (int)(c->log_seqno[i] & 1) == parity);
    return n;
}

/* Runs handshake + one unknown-method query against a relay breaking rule (0: none); returns
 * the rpc_result event (or NULL) and leaves the client's observations in *c. */
static const sess_event *run(rl_relay *rr, rl_client *c, int rule, int *hs_err)
{
    relay_config cfg = {.violate = &rule, .n_violate = rule ? 1 : 0};
    rl_relay_new(rr, &cfg);
    bool full = rule == MT_E_FULL_BAD_CRC || rule == MT_E_FULL_BAD_SEQ;
    rl_open(c, rr, full ? MT_TRANSPORT_FULL : MT_TRANSPORT_INTERMEDIATE, false, false, 99);
    *hs_err = rl_handshake(c, HS_KEY_PERM, 0);
    if (*hs_err)
        return NULL;
    rl_session(c);
    uint8_t q[4];
    st32le(q, UNKNOWN_METHOD);
    /* The time window is broken after the packet the client syncs its clock on: with the
     * handshake's salt adopted, the first answer is that packet, so a second query follows. */
    if (rule == MT_E_SERVER_MSGID_TIME_WINDOW)
        (void)rl_call(c, q, sizeof q);
    return rl_call(c, q, sizeof q);
}

static void check(int rule, const rl_client *c, const sess_event *res, int hs_err)
{
    if (hss_rule(rule) || rule == MT_E_FULL_BAD_CRC || rule == MT_E_FULL_BAD_SEQ) {
        assert_int_equal(hs_err, rule);
        return;
    }
    assert_int_equal(hs_err, 0);
    switch (rule) {
    case MT_E_SEQNO_EXPECTED_ODD: /* an rpc_result (content-related) with an even seqno */
        assert_true(count_log(c, MTP_ID_rpc_result, 0) > 0);
        break;
    case MT_E_SEQNO_EXPECTED_EVEN: /* a container (never content-related) with an odd seqno */
        assert_true(count_log(c, MTP_ID_msg_container, 1) > 0);
        break;
    case MT_E_BAD_SERVER_SALT: /* the salt it names is refused again */
        assert_null(res);
        assert_true(count_log(c, MTP_ID_bad_server_salt, -1) >= 2);
        break;
    case MT_E_RPC_METHOD_UNKNOWN: /* silence instead of rpc_error */
        assert_null(res);
        assert_int_equal(count_log(c, MTP_ID_rpc_result, -1), 0);
        break;
    default:
        assert_int_equal(c->last_rule, rule);
    }
}

static void baseline(void **state)
{
    (void)state;
    rl_relay rr;
    rl_client c;
    int hs_err;
    const sess_event *res = run(&rr, &c, 0, &hs_err);
    assert_int_equal(hs_err, 0);
    assert_non_null(res);
    assert_int_equal(ld32le(res->body), MTP_ID_rpc_error);
    assert_int_equal(c.last_rule, 0);
    assert_int_equal(count_log(&c, MTP_ID_rpc_result, 0), 0);
    assert_int_equal(count_log(&c, MTP_ID_msg_container, 1), 0);
    /* The handshake's server_salt is the key's first salt: no bad_server_salt. */
    assert_int_equal(count_log(&c, MTP_ID_bad_server_salt, -1), 0);
    rl_free(&c);
    rl_relay_free(&rr);
}

static void every_violation(void **state)
{
    (void)state;
    size_t n;
    const int *rules = relay_violations(&n);
    assert_true(n >= 30);
    for (size_t i = 0; i < n; i++) {
        rl_relay rr;
        rl_client c;
        int hs_err;
        const sess_event *res = run(&rr, &c, rules[i], &hs_err);
        printf("# %-36s hs=%s seen=%s\n", mt_err_name(rules[i]), mt_err_name(hs_err),
               mt_err_name(c.last_rule));
        check(rules[i], &c, res, hs_err);
        rl_free(&c);
        rl_relay_free(&rr);
    }
}

/* A rule the relay cannot break is refused at relay_new. */
static void unknown_violation(void **state)
{
    (void)state;
    rl_relay rr;
    memset(&rr, 0, sizeof rr);
    vclock_init(&rr.clock, RL_T0_NS);
    drbg_init_u64(&rr.rng, 1);
    rl_load_key(&rr.key, &rr.rng.rng);
    rr.keys[0] = &rr.key;
    int bad = MT_E_HSS_LATCHED;
    relay_config cfg = {.keys = rr.keys,
                        .n_keys = 1,
                        .clock = &rr.clock.clock,
                        .rng = &rr.rng.rng,
                        .violate = &bad,
                        .n_violate = 1};
    relay *r;
    assert_int_equal(relay_new(&r, &cfg), MT_E_bad_argument);
    cfg.n_violate = 0;
    cfg.n_keys = 0;
    assert_int_equal(relay_new(&r, &cfg), MT_E_bad_argument);
    rsa_private_wipe(&rr.key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(baseline),
        cmocka_unit_test(every_violation),
        cmocka_unit_test(unknown_violation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
