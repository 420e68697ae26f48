/* Temporary keys and binding (proto/bind.h): the client's bind through the session engines to the
 * server's gate, every server check broken in turn with its rule and rpc_error text, rebind,
 * expiry on a virtual clock, the unbound-key method filter and the client's decision function. */
#include "session_fixture.h"

#include "proto/bind.h"
#include "proto/message.h"
#include "proto/tl_api.h"

#define TEMP_LIFE_S 86400

typedef struct bind_fx {
    fixture *f;
    mt_auth_key perm, perm2, temp, temp2;
    mt_bind_server srv;
    mt_bind_gate gate;
    mt_drbg rng;
} bind_fx;

static const mt_auth_key *find_perm(void *ctx, int64_t id)
{
    bind_fx *b = ctx;
    if (id == mt_bind_key_id(&b->perm))
        return &b->perm;
    if (id == mt_bind_key_id(&b->perm2))
        return &b->perm2;
    return NULL;
}

static void make_key(mt_auth_key *k, uint8_t fill)
{
    uint8_t raw[MT_AUTH_KEY_LEN];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(fill + i * 7);
    mt_auth_key_init(k, raw);
}

static int now_s(const bind_fx *b)
{
    return (int)(b->f->sclock.ns / NS_PER_S);
}

/* The gate sits in front of the fixture's handler; the connection runs on temp. */
static int setup(void **state)
{
    bind_fx *b = calloc(1, sizeof *b);
    assert_non_null(b);
    b->f = fx_new(0);
    make_key(&b->perm, 1);
    make_key(&b->perm2, 2);
    make_key(&b->temp, 3);
    make_key(&b->temp2, 4);
    drbg_init_u64(&b->rng, 7);
    b->srv = (mt_bind_server){.clock = &b->f->sclock.clock,
                              .find_perm = find_perm,
                              .keys_ctx = b,
                              .this_dc = 2,
                              .next = fx_rpc,
                              .next_ctx = b->f};
    mt_bind_table_init(&b->srv.table);
    b->gate = (mt_bind_gate){&b->srv, {mt_bind_key_id(&b->temp), true, 0, 0}, &b->f->srv, 0};
    b->gate.conn.key_expires_at = now_s(b) + TEMP_LIFE_S;
    b->f->srv.rpc = mt_bind_gate_rpc;
    b->f->srv.rpc_ctx = &b->gate;
    *state = b;
    return 0;
}

static int teardown(void **state)
{
    bind_fx *b = *state;
    free(b->f);
    free(b);
    return 0;
}

static mt_bind_inner inner_for(const bind_fx *b, const mt_auth_key *perm, const mt_auth_key *temp)
{
    return (mt_bind_inner){0x0102030405060708, mt_bind_key_id(temp), mt_bind_key_id(perm),
                           (int64_t)SESSION_ID, now_s(b) + 3600};
}

/* The result object of the rpc_result answering msg_id, found in the client's events. */
static const sess_event *result_of(const bind_fx *b, uint64_t msg_id)
{
    for (size_t i = 0; i < b->f->nev; i++)
        if (b->f->ev[i].kind == SESS_EV_RPC_RESULT && b->f->ev[i].msg_id == msg_id)
            return &b->f->ev[i];
    return NULL;
}

/* Sends a bind through the client engine, pumps, and returns the client's decision. */
static mt_bind_action bind_round_trip(bind_fx *b, const mt_bind_inner *in, const mt_auth_key *perm)
{
    uint64_t id;
    assert_int_equal(mt_bind_client_send(&b->f->cli, perm, in, &b->rng.rng, &b->f->cout, &id),
                     MT_OK);
    fx_pump(b->f);
    const sess_event *e = result_of(b, id);
    assert_non_null(e);
    return mt_bind_client_react(e->body, e->len, 10);
}

static void test_round_trip(void **state)
{
    bind_fx *b = *state;
    mt_bind_inner in = inner_for(b, &b->perm, &b->temp);
    assert_int_equal(bind_round_trip(b, &in, &b->perm), MT_BIND_DONE);
    assert_int_equal(b->gate.last_rule, 0);
    const mt_bind_entry *e =
        mt_bind_table_find_temp(&b->srv.table, mt_bind_key_id(&b->temp), now_s(b));
    assert_non_null(e);
    assert_true(e->perm_id == mt_bind_key_id(&b->perm));
    assert_int_equal(e->expires_at, in.expires_at);
}

/* Builds a bind (optionally under another key / for another msg_id) and verifies it directly. */
static int verify_with(bind_fx *b, const mt_auth_key *enc_key, const mt_bind_inner *in,
                       uint64_t inner_msg_id, uint64_t req_msg_id, const mt_bind_request *ovr)
{
    uint8_t q[MT_BIND_QUERY_LEN];
    size_t n;
    assert_int_equal(mt_bind_build_query(enc_key, in, inner_msg_id, &b->rng.rng, q, sizeof q, &n),
                     MT_OK);
    mt_bind_request req;
    assert_int_equal(mt_bind_parse_query(q, n, &req), MT_OK);
    if (ovr) {
        req.perm_auth_key_id = ovr->perm_auth_key_id;
        req.nonce = ovr->nonce;
        req.expires_at = ovr->expires_at;
    }
    mt_bind_conn conn = b->gate.conn;
    conn.session_id = SESSION_ID;
    return mt_bind_verify(find_perm, b, &b->srv.table, &conn, req_msg_id, now_s(b), &req);
}

static void expect_text(int rule, int32_t code, const char *text)
{
    int32_t c;
    const char *t;
    assert_true(mt_bind_rule_error(rule, &c, &t));
    assert_int_equal(c, code);
    assert_string_equal(t, text);
}

static void test_each_check(void **state)
{
    bind_fx *b = *state;
    const uint64_t mid = 0x6500000000000004ull;
    mt_bind_inner ok = inner_for(b, &b->perm, &b->temp);
    assert_int_equal(verify_with(b, &b->perm, &ok, mid, mid, NULL), MT_OK);
    mt_bind_inner in = ok;
    /* The request's msg_id differs from the one inside. */
    assert_int_equal(verify_with(b, &b->perm, &in, mid, mid + 4, NULL), MT_E_BIND_MSG_ID_MISMATCH);
    in.temp_auth_key_id = mt_bind_key_id(&b->temp2);
    assert_int_equal(verify_with(b, &b->perm, &in, mid, mid, NULL), MT_E_BIND_TEMP_KEY_MISMATCH);
    in = ok;
    in.temp_session_id ^= 1;
    assert_int_equal(verify_with(b, &b->perm, &in, mid, mid, NULL), MT_E_BIND_SESSION_MISMATCH);
    mt_bind_request o = {ok.perm_auth_key_id, ok.nonce + 1, ok.expires_at, NULL, 0};
    assert_int_equal(verify_with(b, &b->perm, &ok, mid, mid, &o), MT_E_BIND_NONCE_MISMATCH);
    o = (mt_bind_request){ok.perm_auth_key_id, ok.nonce, ok.expires_at + 1, NULL, 0};
    assert_int_equal(verify_with(b, &b->perm, &ok, mid, mid, &o), MT_E_BIND_EXPIRES_MISMATCH);
    /* Inner perm id names perm2 while the request and the encryption use perm. */
    in = ok;
    in.perm_auth_key_id = mt_bind_key_id(&b->perm2);
    o = (mt_bind_request){ok.perm_auth_key_id, ok.nonce, ok.expires_at, NULL, 0};
    assert_int_equal(verify_with(b, &b->perm, &in, mid, mid, &o), MT_E_BIND_PERM_ID_MISMATCH);
    /* Encrypted under perm2 but the request names perm: perm2's id heads encrypted_message. */
    assert_int_equal(verify_with(b, &b->perm2, &ok, mid, mid, NULL), MT_E_BIND_PERM_KEY_UNKNOWN);
    o = (mt_bind_request){0x77, ok.nonce, ok.expires_at, NULL, 0};
    assert_int_equal(verify_with(b, &b->perm, &ok, mid, mid, &o), MT_E_BIND_PERM_KEY_UNKNOWN);
    expect_text(MT_E_BIND_PERM_KEY_UNKNOWN, 400, "ENCRYPTED_MESSAGE_INVALID");
    expect_text(MT_E_BIND_MSG_ID_MISMATCH, 400, "ENCRYPTED_MESSAGE_INVALID");
    expect_text(MT_E_BIND_NONCE_MISMATCH, 400, "ENCRYPTED_MESSAGE_INVALID");
}

static void test_expires_at(void **state)
{
    bind_fx *b = *state;
    const uint64_t mid = 0x6500000000000004ull;
    mt_bind_inner in = inner_for(b, &b->perm, &b->temp);
    in.expires_at = now_s(b); /* not in the future */
    assert_int_equal(verify_with(b, &b->perm, &in, mid, mid, NULL), MT_E_BIND_EXPIRES_AT_INVALID);
    in.expires_at = (int32_t)b->gate.conn.key_expires_at + 1; /* outlives the temporary key */
    assert_int_equal(verify_with(b, &b->perm, &in, mid, mid, NULL), MT_E_BIND_EXPIRES_AT_INVALID);
    in.expires_at = (int32_t)b->gate.conn.key_expires_at;
    assert_int_equal(verify_with(b, &b->perm, &in, mid, mid, NULL), MT_OK);
    expect_text(MT_E_BIND_EXPIRES_AT_INVALID, 400, "EXPIRES_AT_INVALID");
}

/* Flips one byte of the ciphertext, the msg_key, or cuts the message. */
static void test_tampered(void **state)
{
    bind_fx *b = *state;
    const uint64_t mid = 0x6500000000000004ull;
    mt_bind_inner in = inner_for(b, &b->perm, &b->temp);
    uint8_t q[MT_BIND_QUERY_LEN];
    size_t n;
    assert_int_equal(mt_bind_build_query(&b->perm, &in, mid, &b->rng.rng, q, sizeof q, &n), MT_OK);
    mt_bind_conn conn = b->gate.conn;
    conn.session_id = SESSION_ID;
    for (size_t at = 8; at < MT_BIND_ENC_LEN; at += 13) {
        mt_bind_request req;
        assert_int_equal(mt_bind_parse_query(q, n, &req), MT_OK);
        uint8_t enc[MT_BIND_ENC_LEN];
        memcpy(enc, req.enc, sizeof enc);
        enc[at] ^= 0x40;
        req.enc = enc;
        assert_int_equal(mt_bind_verify(find_perm, b, NULL, &conn, mid, now_s(b), &req),
                         MT_E_BIND_MSG_KEY);
    }
    mt_bind_request req;
    assert_int_equal(mt_bind_parse_query(q, n, &req), MT_OK);
    req.enc_len -= 16;
    assert_int_equal(mt_bind_verify(find_perm, b, NULL, &conn, mid, now_s(b), &req),
                     MT_E_BIND_ENCRYPTED_LENGTH);
    conn.temporary = false;
    assert_int_equal(mt_bind_verify(find_perm, b, NULL, &conn, mid, now_s(b), &req),
                     MT_E_BIND_TEMP_KEY_EMPTY);
    expect_text(MT_E_BIND_TEMP_KEY_EMPTY, 400, "TEMP_AUTH_KEY_EMPTY");
    expect_text(MT_E_BIND_MSG_KEY, 400, "ENCRYPTED_MESSAGE_INVALID");
    expect_text(MT_E_BIND_ENCRYPTED_LENGTH, 400, "ENCRYPTED_MESSAGE_INVALID");
    /* A query that is not auth.bindTempAuthKey of the right shape. */
    assert_int_equal(mt_bind_parse_query(q, n - 4, &req), MT_E_BIND_QUERY_MALFORMED);
    expect_text(MT_E_BIND_QUERY_MALFORMED, 400, "INPUT_FETCH_ERROR");
}

/* A correctly keyed plaintext with seqno 1 (not 0): the inner framing is refused. */
static void test_inner_malformed(void **state)
{
    bind_fx *b = *state;
    const uint64_t mid = 0x6500000000000004ull;
    mt_bind_inner in = inner_for(b, &b->perm, &b->temp);
    uint8_t plain[MT_BIND_PLAIN_LEN] = {0};
    mt_wr w = wr_init(plain + 16, sizeof plain - 16);
    tl_wr_long(&w, (int64_t)mid);
    tl_wr_int(&w, 1);
    tl_wr_int(&w, 40);
    wr_u32le(&w, MTP_ID_bind_auth_key_inner);
    tl_wr_long(&w, in.nonce);
    tl_wr_long(&w, in.temp_auth_key_id);
    tl_wr_long(&w, in.perm_auth_key_id);
    tl_wr_long(&w, in.temp_session_id);
    tl_wr_int(&w, in.expires_at);
    assert_int_equal(w.err, MT_OK);
    uint8_t enc[MT_BIND_ENC_LEN];
    size_t n;
    assert_int_equal(
        mt_msg_encrypt_v1(&b->perm, 0, plain, sizeof plain, &b->rng.rng, enc, sizeof enc, &n),
        MT_OK);
    mt_bind_request req = {in.perm_auth_key_id, in.nonce, in.expires_at, enc, n};
    mt_bind_conn conn = b->gate.conn;
    conn.session_id = SESSION_ID;
    assert_int_equal(mt_bind_verify(find_perm, b, NULL, &conn, mid, now_s(b), &req),
                     MT_E_BIND_INNER_MALFORMED);
    expect_text(MT_E_BIND_INNER_MALFORMED, 400, "ENCRYPTED_MESSAGE_INVALID");
}

/* One perm key, one temp key: a new bind replaces the old; a bound temp key cannot move. */
static void test_rebind_and_already_bound(void **state)
{
    bind_fx *b = *state;
    mt_bind_inner in = inner_for(b, &b->perm, &b->temp);
    assert_int_equal(bind_round_trip(b, &in, &b->perm), MT_BIND_DONE);
    /* temp is bound to perm: binding it to perm2 is refused. */
    mt_bind_inner in2 = inner_for(b, &b->perm2, &b->temp);
    assert_int_equal(bind_round_trip(b, &in2, &b->perm2), MT_BIND_NEW_TEMP_KEY);
    assert_int_equal(b->gate.last_rule, MT_E_BIND_TEMP_KEY_ALREADY_BOUND);
    expect_text(MT_E_BIND_TEMP_KEY_ALREADY_BOUND, 400, "TEMP_AUTH_KEY_ALREADY_BOUND");
    /* perm binds a second temporary key: temp's binding is gone. */
    int64_t now = now_s(b);
    assert_int_equal(mt_bind_table_set(&b->srv.table, mt_bind_key_id(&b->perm),
                                       mt_bind_key_id(&b->temp2), (int32_t)now + 60, now),
                     MT_OK);
    assert_null(mt_bind_table_find_temp(&b->srv.table, mt_bind_key_id(&b->temp), now));
    assert_non_null(mt_bind_table_find_temp(&b->srv.table, mt_bind_key_id(&b->temp2), now));
    assert_int_equal(b->srv.table.n, 1);
}

/* Sends one query through the engines and returns the result event's body id. */
static uint32_t query_result(bind_fx *b, const uint8_t *q, size_t len)
{
    uint64_t id;
    assert_int_equal(sess_client_send(&b->f->cli, q, len, &b->f->cout, &id), MT_OK);
    fx_pump(b->f);
    const sess_event *e = result_of(b, id);
    assert_non_null(e);
    assert_true(e->len >= 4);
    return ld32le(e->body);
}

static void test_unbound_filter_and_expiry(void **state)
{
    bind_fx *b = *state;
    uint8_t app[4], cfg[4], wrapped[12];
    st32le(app, 0xC0FFEE00u); /* the fixture's application method */
    st32le(cfg, API_ID_help_getConfig);
    st32le(wrapped, API_ID_invokeWithLayer);
    st32le(wrapped + 4, 186);
    st32le(wrapped + 8, API_ID_help_getNearestDc);
    assert_int_equal(query_result(b, app, 4), MTP_ID_rpc_error);
    assert_int_equal(b->gate.last_rule, MT_E_BIND_UNBOUND_METHOD);
    expect_text(MT_E_BIND_UNBOUND_METHOD, 401, "AUTH_KEY_PERM_EMPTY");
    assert_int_equal(b->f->rpc_calls, 0);
    assert_int_equal(query_result(b, cfg, 4), API_ID_config);
    assert_int_equal(query_result(b, wrapped, sizeof wrapped), API_ID_nearestDc);
    mt_bind_inner in = inner_for(b, &b->perm, &b->temp);
    in.expires_at = now_s(b) + 120;
    assert_int_equal(bind_round_trip(b, &in, &b->perm), MT_BIND_DONE);
    assert_int_equal(query_result(b, app, 4), TL_ID_BOOL_TRUE);
    assert_int_equal(b->f->rpc_calls, 1);
    /* Past expires_at the binding is gone and the key is unbound again. */
    fx_advance(b->f, 121 * NS_PER_S);
    assert_int_equal(query_result(b, app, 4), MTP_ID_rpc_error);
    assert_int_equal(b->gate.last_rule, MT_E_BIND_UNBOUND_METHOD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expires_at, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inner_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rebind_and_already_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unbound_filter_and_expiry, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
