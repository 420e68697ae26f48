/* The reference client core against a server made of the engines with scripted relay answers
 * (tests/pclient_fixture.h): handshake and relay.join over every transport, waiting / ready and
 * the originator flag, a redirect, a saved key, a temporary key bound, stop_after, and each rule
 * of the "reference client" section. */
#include "pclient_fixture.h"

typedef struct run {
    mt_vclock clock;
    mt_drbg rng;
    pf_events ev;
    msrv srv;
    pclient *c;
} run;

/* relay.join answers: joinedWaiting (room "r1"), joinedReady, or what the test sets. */
static uint32_t answer_kind = RLY_ID_relay_joinedWaiting;
static bool answer_originator;
static const char *answer_room = "r1", *answer_from = NULL;

static size_t rpc_script(msrv *s, const uint8_t *q, size_t n, uint8_t *out, size_t cap)
{
    (void)s;
    mt_wr w = wr_init(out, cap);
    uint32_t id = n >= 4 ? ld32le(q) : 0;
    if (id == RLY_ID_relay_leave) {
        wr_u32le(&w, TL_ID_BOOL_TRUE);
        return wr_len(&w);
    }
    if (id != RLY_ID_relay_join)
        return 0;
    wr_u32le(&w, answer_kind);
    if (answer_kind == MTP_ID_rpc_error) {
        tl_wr_int(&w, 400);
        tl_wr_string(&w, (const uint8_t *)"ROOM_NAME_INVALID", 17);
        return wr_len(&w);
    }
    if (answer_kind == TL_ID_BOOL_TRUE)
        return wr_len(&w);
    wr_u32le(&w, answer_from ? 1u : 0u);
    tl_wr_string(&w, (const uint8_t *)answer_room, strlen(answer_room));
    if (answer_from)
        tl_wr_string(&w, (const uint8_t *)answer_from, strlen(answer_from));
    if (answer_kind == RLY_ID_relay_joinedReady)
        tl_wr_bool(&w, answer_originator);
    return wr_len(&w);
}

static run *run_new(pclient_config *cfg_out, bool http)
{
    run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    vclock_init(&r->clock, PF_T0_NS);
    drbg_init_u64(&r->rng, 5);
    msrv_init(&r->srv, &r->clock.clock, http, rpc_script);
    *cfg_out = pf_config(&r->clock, &r->rng, &r->ev);
    cfg_out->http = http;
    return r;
}

static void run_go(run *r, const pclient_config *cfg)
{
    assert_int_equal(pclient_new(&r->c, cfg), MT_OK);
    assert_int_equal(pclient_start(r->c), MT_OK);
    pf_pump(r->c, &r->srv, &r->clock);
}

static void run_free(run *r)
{
    pclient_free(r->c);
    hss_wipe(&r->srv.hs);
    free(r);
}

static void reset_answers(void)
{
    answer_kind = RLY_ID_relay_joinedWaiting;
    answer_originator = false;
    answer_room = "r1";
    answer_from = NULL;
}

/* KEY, WAITING, STOPPED over each transport (obfuscated2 around the three it wraps; HTTP). */
static void test_transports(void **state)
{
    (void)state;
    reset_answers();
    static const struct {
        mt_transport_kind kind;
        bool obf, http;
    } t[] = {
        {MT_TRANSPORT_ABRIDGED, false, false}, {MT_TRANSPORT_INTERMEDIATE, false, false},
        {MT_TRANSPORT_PADDED, false, false},   {MT_TRANSPORT_FULL, false, false},
        {MT_TRANSPORT_ABRIDGED, true, false},  {MT_TRANSPORT_INTERMEDIATE, true, false},
        {MT_TRANSPORT_PADDED, true, false},    {MT_TRANSPORT_ABRIDGED, false, true},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        pclient_config cfg;
        run *r = run_new(&cfg, t[i].http);
        cfg.transport = t[i].kind;
        cfg.obfuscated = t[i].obf;
        cfg.stop_after = PCLIENT_STAGE_JOINED;
        run_go(r, &cfg);
        assert_true(pclient_done(r->c));
        assert_int_equal(r->ev.n, 3);
        assert_int_equal(r->ev.ev[0].kind, PCLIENT_EV_KEY);
        assert_int_equal(r->ev.ev[1].kind, PCLIENT_EV_WAITING);
        assert_string_equal(r->ev.text[1], "r1");
        assert_int_equal(r->ev.ev[2].kind, PCLIENT_EV_STOPPED);
        run_free(r);
    }
}

/* joinedReady makes the joiner the non-originator; a waiting member pushed updateReady is the
 * originator. */
static void test_ready_originator(void **state)
{
    (void)state;
    reset_answers();
    answer_kind = RLY_ID_relay_joinedReady;
    pclient_config cfg;
    run *r = run_new(&cfg, false);
    cfg.stop_after = PCLIENT_STAGE_READY;
    run_go(r, &cfg);
    int i = pf_find(&r->ev, PCLIENT_EV_READY);
    assert_true(i > 0);
    assert_false(r->ev.ev[i].originator);
    assert_int_equal(r->ev.ev[r->ev.n - 1].kind, PCLIENT_EV_STOPPED);
    run_free(r);

    reset_answers();
    r = run_new(&cfg, false);
    cfg.stop_after = PCLIENT_STAGE_READY;
    run_go(r, &cfg);
    assert_true(pf_find(&r->ev, PCLIENT_EV_WAITING) > 0);
    assert_false(pclient_done(r->c));
    uint8_t up[32];
    mt_wr w = wr_init(up, sizeof up);
    wr_u32le(&w, RLY_ID_relay_updateReady);
    tl_wr_string(&w, (const uint8_t *)"r1", 2);
    tl_wr_bool(&w, true);
    msrv_push(&r->srv, up, wr_len(&w));
    pf_pump(r->c, &r->srv, &r->clock);
    i = pf_find(&r->ev, PCLIENT_EV_READY);
    assert_true(i > 0);
    assert_true(r->ev.ev[i].originator);
    assert_true(pclient_done(r->c));
    run_free(r);
}

/* A redirect names the full room asked for; one that does not is PCLIENT_BAD_ANSWER. */
static void test_redirect(void **state)
{
    (void)state;
    reset_answers();
    answer_room = "r2";
    answer_from = "full";
    pclient_config cfg;
    run *r = run_new(&cfg, false);
    cfg.room = "full";
    cfg.stop_after = PCLIENT_STAGE_JOINED;
    run_go(r, &cfg);
    int i = pf_find(&r->ev, PCLIENT_EV_WAITING);
    assert_true(i > 0);
    assert_string_equal(r->ev.text[i], "r2");
    run_free(r);

    answer_from = NULL;
    r = run_new(&cfg, false);
    cfg.room = "full";
    run_go(r, &cfg);
    i = pf_find(&r->ev, PCLIENT_EV_ERROR);
    assert_true(i > 0);
    assert_int_equal(r->ev.ev[i].rule, MT_E_PCLIENT_BAD_ANSWER);
    run_free(r);
    reset_answers();
}

/* A saved key: no handshake (the server's handshake engine never starts), straight to join. */
static void test_saved_key(void **state)
{
    (void)state;
    reset_answers();
    pclient_config cfg;
    run *r = run_new(&cfg, false);
    cfg.stop_after = PCLIENT_STAGE_KEY;
    run_go(r, &cfg);
    assert_int_equal(r->ev.ev[0].kind, PCLIENT_EV_KEY);
    hs_result saved = r->ev.key;
    mt_auth_key server_key = r->srv.keys[0];
    run_free(r);

    r = run_new(&cfg, false);
    r->srv.keys[0] = server_key;
    r->srv.nkeys = 1;
    vclock_advance(&r->clock, 3600 * NS_PER_S); /* later: a stale salt is corrected */
    cfg.saved_key = &saved;
    cfg.stop_after = PCLIENT_STAGE_JOINED;
    run_go(r, &cfg);
    assert_false(r->srv.hs_on);
    assert_int_equal(r->ev.ev[0].kind, PCLIENT_EV_KEY);
    assert_memory_equal(r->ev.key.key.id, server_key.id, 8);
    assert_true(pf_find(&r->ev, PCLIENT_EV_WAITING) > 0);
    run_free(r);
    hs_result_wipe(&saved);
}

/* A temporary key bound with auth.bindTempAuthKey: two handshakes, BOUND, then join. A refused
 * bind is PCLIENT_BIND_FAILED. */
static void test_temp_key(void **state)
{
    (void)state;
    reset_answers();
    pclient_config cfg;
    run *r = run_new(&cfg, false);
    cfg.temp_key = true;
    cfg.stop_after = PCLIENT_STAGE_JOINED;
    run_go(r, &cfg);
    assert_int_equal(r->srv.nkeys, 2);
    assert_int_equal(r->ev.ev[0].kind, PCLIENT_EV_KEY);
    assert_int_equal(r->ev.ev[1].kind, PCLIENT_EV_BOUND);
    assert_int_equal(r->ev.ev[2].kind, PCLIENT_EV_WAITING);
    run_free(r);

    r = run_new(&cfg, false);
    cfg.temp_key = true;
    r->srv.bind_false = true;
    run_go(r, &cfg);
    int i = pf_find(&r->ev, PCLIENT_EV_ERROR);
    assert_true(i > 0);
    assert_int_equal(r->ev.ev[i].rule, MT_E_PCLIENT_BIND_FAILED);
    run_free(r);
}

/* A transport error -404 from the server ends the run naming PCLIENT_TRANSPORT_ERROR. */
static void test_transport_error(void **state)
{
    (void)state;
    pclient_config cfg;
    run *r = run_new(&cfg, false);
    assert_int_equal(pclient_new(&r->c, &cfg), MT_OK);
    assert_int_equal(pclient_start(r->c), MT_OK);
    static const uint8_t err404[] = {4, 0, 0, 0, 0x6c, 0xfe, 0xff, 0xff};
    assert_int_equal(pclient_feed(r->c, err404, sizeof err404), MT_E_PCLIENT_TRANSPORT_ERROR);
    assert_true(pclient_done(r->c));
    assert_int_equal(r->ev.n, 1);
    assert_int_equal(r->ev.ev[0].rule, MT_E_PCLIENT_TRANSPORT_ERROR);
    assert_non_null(strstr(r->ev.text[0], "-404"));
    size_t n;
    (void)pclient_output(r->c, &n);
    run_free(r);
}

/* rpc_error to relay.join is PCLIENT_RPC_ERROR; a Bool where a JoinResult belongs is
 * PCLIENT_BAD_ANSWER; an update for another room is PCLIENT_BAD_UPDATE. */
static void test_relay_rules(void **state)
{
    (void)state;
    reset_answers();
    answer_kind = MTP_ID_rpc_error;
    pclient_config cfg;
    run *r = run_new(&cfg, false);
    run_go(r, &cfg);
    int i = pf_find(&r->ev, PCLIENT_EV_ERROR);
    assert_true(i > 0);
    assert_int_equal(r->ev.ev[i].rule, MT_E_PCLIENT_RPC_ERROR);
    assert_non_null(strstr(r->ev.text[i], "ROOM_NAME_INVALID"));
    run_free(r);

    answer_kind = TL_ID_BOOL_TRUE;
    r = run_new(&cfg, false);
    run_go(r, &cfg);
    i = pf_find(&r->ev, PCLIENT_EV_ERROR);
    assert_true(i > 0);
    assert_int_equal(r->ev.ev[i].rule, MT_E_PCLIENT_BAD_ANSWER);
    run_free(r);

    reset_answers();
    r = run_new(&cfg, false);
    run_go(r, &cfg);
    uint8_t up[32];
    mt_wr w = wr_init(up, sizeof up);
    wr_u32le(&w, RLY_ID_relay_updateReady);
    tl_wr_string(&w, (const uint8_t *)"zz", 2);
    tl_wr_bool(&w, true);
    msrv_push(&r->srv, up, wr_len(&w));
    pf_pump(r->c, &r->srv, &r->clock);
    i = pf_find(&r->ev, PCLIENT_EV_ERROR);
    assert_true(i > 0);
    assert_int_equal(r->ev.ev[i].rule, MT_E_PCLIENT_BAD_UPDATE);
    run_free(r);
}

/* relay.leave answered boolTrue ends the run; bad configurations are refused. */
static void test_leave_and_config(void **state)
{
    (void)state;
    reset_answers();
    pclient_config cfg;
    run *r = run_new(&cfg, false);
    run_go(r, &cfg);
    assert_true(pf_find(&r->ev, PCLIENT_EV_WAITING) > 0);
    assert_false(pclient_done(r->c));
    assert_int_equal(pclient_leave(r->c), MT_OK);
    pf_pump(r->c, &r->srv, &r->clock);
    assert_true(pclient_done(r->c));
    assert_int_equal(pf_find(&r->ev, PCLIENT_EV_ERROR), -1);
    run_free(r);

    pclient *c = NULL;
    r = run_new(&cfg, false);
    pclient_config bad = cfg;
    bad.n_keys = 0;
    assert_int_equal(pclient_new(&c, &bad), MT_E_bad_argument);
    bad = cfg;
    bad.transport = MT_TRANSPORT_FULL;
    bad.obfuscated = true;
    assert_int_equal(pclient_new(&c, &bad), MT_E_bad_argument);
    bad = cfg;
    bad.room = "";
    assert_int_equal(pclient_new(&c, &bad), MT_E_bad_argument);
    assert_null(c);
    run_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transports),  cmocka_unit_test(test_ready_originator),
        cmocka_unit_test(test_redirect),    cmocka_unit_test(test_saved_key),
        cmocka_unit_test(test_temp_key),    cmocka_unit_test(test_transport_error),
        cmocka_unit_test(test_relay_rules), cmocka_unit_test(test_leave_and_config),
    };
    return cmocka_run_group_tests(tests, pf_setup, pf_teardown);
}
