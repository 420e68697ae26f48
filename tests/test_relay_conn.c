/* The relay core's connections (reference-peers/relay_core.h): every transport and obfuscated2,
 * HTTP, unknown keys (-404), temporary keys and binding, what third-party clients send on connect
 * (invokeWithLayer / initConnection / help.getConfig, help.getNearestDc, unknown methods). */
#include "relay_loop.h"

#include "common/cursor.h"
#include "proto/bind.h"
#include "proto/tl.h"
#include "proto/tl_api.h"
#include "proto/tl_mtp.h"
#include "proto/tl_obj.h"
#include "proto/tl_rly.h"

static const sess_event *join_any(rl_client *c)
{
    uint8_t q[8];
    st32le(q, RLY_ID_relay_join);
    st32le(q + 4, 0);
    return rl_call(c, q, sizeof q);
}

static void one_transport(mt_transport_kind kind, bool obf2, bool http, uint64_t seed)
{
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client c;
    rl_open(&c, &rr, kind, obf2, http, seed);
    int err = rl_handshake(&c, HS_KEY_PERM, 0);
    if (err)
        printf("# %s%s%s: %s, transport error %d\n", http ? "http" : mt_transport_kind_name(kind),
               obf2 ? " obfuscated2" : "", "", mt_err_name(err), c.transport_error);
    assert_int_equal(err, 0);
    rl_session(&c);
    const sess_event *e = join_any(&c);
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), RLY_ID_relay_joinedWaiting);
    rl_free(&c);
    rl_relay_free(&rr);
}

static void every_transport(void **state)
{
    (void)state;
    one_transport(MT_TRANSPORT_ABRIDGED, false, false, 1);
    one_transport(MT_TRANSPORT_INTERMEDIATE, false, false, 2);
    one_transport(MT_TRANSPORT_PADDED, false, false, 3);
    one_transport(MT_TRANSPORT_FULL, false, false, 4);
    one_transport(MT_TRANSPORT_ABRIDGED, true, false, 5);
    one_transport(MT_TRANSPORT_INTERMEDIATE, true, false, 6);
    one_transport(MT_TRANSPORT_PADDED, true, false, 7);
    one_transport(MT_TRANSPORT_INTERMEDIATE, false, true, 8);
}

/* MT_E_MSG_AUTH_KEY_ID_UNKNOWN: a key the relay does not hold gets -404, then the close. */
static void unknown_key(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client c;
    rl_open(&c, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 9);
    uint8_t raw[MT_AUTH_KEY_LEN];
    memset(raw, 0x42, sizeof raw);
    mt_auth_key_init(&c.key.key, raw);
    rl_session(&c);
    uint64_t id;
    static const uint8_t ping[12] = {0xec, 0x77, 0xbe, 0x7a};
    assert_int_equal(sess_client_send(&c.sess, ping, sizeof ping, &c.out, &id), 0);
    mt_msg_hdr h = {1, c.sess.session_id, c.out.msgs[0].msg_id, c.out.msgs[0].seqno};
    mt_msg_pack_opts o = {.rng = &c.rng.rng, .pad_len = MT_PAD_RANDOM};
    size_t n;
    assert_int_equal(mt_msg_pack(&c.key.key, 0, &h, ping, sizeof ping, &o, c.pkt, RL_BUF, &n), 0);
    assert_int_equal(rl_send_packet(&c, c.pkt, n), MT_E_MSG_AUTH_KEY_ID_UNKNOWN);
    rl_read(&c, NULL);
    assert_int_equal(c.transport_error, -404);
    assert_true(c.closed);
    rl_free(&c);
    rl_relay_free(&rr);
}

/* invokeWithLayer(initConnection(help.getConfig)) with a JSON params object: a Config that
 * decodes strictly, naming DC 2 at the configured address. */
static void get_config_wrapped(void **state)
{
    (void)state;
    relay_config cfg = {.dc_ip = "10.1.2.3", .dc_port = 8443};
    rl_relay rr;
    rl_relay_new(&rr, &cfg);
    rl_client c;
    rl_open(&c, &rr, MT_TRANSPORT_ABRIDGED, false, false, 10);
    assert_int_equal(rl_handshake(&c, HS_KEY_PERM, 0), 0);
    rl_session(&c);
    uint8_t q[512];
    mt_wr w = wr_init(q, sizeof q);
    wr_u32le(&w, API_ID_invokeWithLayer);
    tl_wr_int(&w, 158);
    wr_u32le(&w, API_ID_initConnection);
    tl_wr_int(&w, 2); /* params */
    tl_wr_int(&w, 12345);
    for (int i = 0; i < 6; i++)
        tl_wr_string(&w, (const uint8_t *)"x", 1);
    wr_u32le(&w, API_ID_jsonObject);
    tl_wr_vector(&w, true, 1);
    wr_u32le(&w, API_ID_jsonObjectValue);
    tl_wr_string(&w, (const uint8_t *)"tz_offset", 9);
    wr_u32le(&w, API_ID_jsonNumber);
    tl_wr_double(&w, 3600.0);
    wr_u32le(&w, API_ID_help_getConfig);
    assert_int_equal(w.err, 0);
    const sess_event *e = rl_call(&c, q, wr_len(&w));
    assert_non_null(e);
    static uint8_t arena_buf[1 << 16];
    tl_arena arena;
    tl_arena_init(&arena, arena_buf, sizeof arena_buf);
    tl_obj o;
    assert_int_equal(tl_decode(&api_schema, e->body, e->len, &arena, TL_STRICT, &o), 0);
    const api_config *conf = api_as_config(&o);
    assert_non_null(conf);
    assert_int_equal(conf->this_dc, 2);
    assert_int_equal(conf->dc_options.n, 1);
    assert_true(conf->expires > conf->date);

    st32le(q, API_ID_help_getNearestDc);
    e = rl_call(&c, q, 4);
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), API_ID_nearestDc);

    /* MT_E_RPC_METHOD_UNKNOWN: never silence, an rpc_error 400. */
    st32le(q, 0x0badf00du);
    e = rl_call(&c, q, 4);
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), MTP_ID_rpc_error);
    assert_int_equal(ld32le(e->body + 4), 400);
    rl_free(&c);
    rl_relay_free(&rr);
}

/* updates.getState (mtcute calls it on every connection): a strict updates.state of an account
 * without updates, also when wrapped (invokeWithoutUpdates too); with trailing bytes it is not the
 * method (rpc_error 400). */
static void updates_get_state(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client c;
    rl_open(&c, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 12);
    assert_int_equal(rl_handshake(&c, HS_KEY_PERM, 0), 0);
    rl_session(&c);
    uint8_t q[16];
    st32le(q, API_ID_invokeWithLayer);
    st32le(q + 4, 186);
    st32le(q + 8, API_ID_invokeWithoutUpdates); /* mtcute's disableUpdates wrapper */
    st32le(q + 12, API_ID_updates_getState);
    const sess_event *e = rl_call(&c, q, 16);
    assert_non_null(e);
    static uint8_t arena_buf[1 << 12];
    tl_arena arena;
    tl_arena_init(&arena, arena_buf, sizeof arena_buf);
    tl_obj o;
    assert_int_equal(tl_decode(&api_schema, e->body, e->len, &arena, TL_STRICT, &o), 0);
    const api_updates_state *st = api_as_updates_state(&o);
    assert_non_null(st);
    assert_int_equal(st->pts, 1);
    assert_int_equal(st->date, (int32_t)(clock_now(&rr.clock.clock) / NS_PER_S));

    st32le(q, API_ID_updates_getState);
    st32le(q + 4, 0);
    e = rl_call(&c, q, 8);
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), MTP_ID_rpc_error);
    assert_int_equal(ld32le(e->body + 4), 400);

    rl_free(&c);
    rl_relay_free(&rr);
}

/* A temporary key may call only the bind (and help.*) until it is bound to a permanent key. */
static void temp_key_bind(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client c;
    rl_open(&c, &rr, MT_TRANSPORT_PADDED, false, false, 14);
    assert_int_equal(rl_handshake(&c, HS_KEY_PERM, 0), 0);
    hs_result perm = c.key;
    assert_int_equal(rl_handshake(&c, HS_KEY_TEMP, 3600), 0);
    assert_int_equal(c.key.kind, HS_KEY_TEMP);
    rl_session(&c);
    const sess_event *e = join_any(&c);
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), MTP_ID_rpc_error);
    assert_int_equal(ld32le(e->body + 4), 401);
    int64_t now = (int64_t)(clock_now(&rr.clock.clock) / NS_PER_S);
    mt_bind_inner in = {.nonce = 77,
                        .temp_auth_key_id = mt_bind_key_id(&c.key.key),
                        .perm_auth_key_id = mt_bind_key_id(&perm.key),
                        .temp_session_id = (int64_t)c.sess.session_id,
                        .expires_at = (int32_t)(now + 3000)};
    uint64_t id;
    /* Sync the session first (new_session_created), then bind. */
    st32le(c.pkt, API_ID_help_getNearestDc);
    assert_non_null(rl_call(&c, c.pkt, 4));
    assert_int_equal(mt_bind_client_send(&c.sess, &perm.key, &in, &c.rng.rng, &c.out, &id), 0);
    rl_flush(&c);
    rl_read(&c, NULL);
    int i = rl_find_result(&c, id);
    assert_true(i >= 0);
    assert_int_equal(ld32le(c.ev[i].ev.body), API_ID_boolTrue);
    e = join_any(&c);
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), RLY_ID_relay_joinedWaiting);
    hs_result_wipe(&perm);
    rl_free(&c);
    rl_relay_free(&rr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_transport),    cmocka_unit_test(unknown_key),
        cmocka_unit_test(get_config_wrapped), cmocka_unit_test(temp_key_bind),
        cmocka_unit_test(updates_get_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
