/* Server salts and key lifetime in the relay (reference-peers/relay_keys.c): a key's first salt
 * is the handshake's server_salt ("server_salt: the first salt"), so a fresh key's first
 * encrypted message is accepted; every session of a key shares one schedule (get_future_salts
 * answers it, from the first salt on, one per 30 minutes); an old salt is accepted through its
 * grace period, then gets bad_server_salt naming the current one. Expired temporary keys leave
 * the key table on relay_tick, their connections get -404 and their bindings go. */
#include "relay_loop.h"

#include "proto/bind.h"
#include "proto/tl_api.h"
#include "proto/tl_mtp.h"
#include "reference-peers/relay_internal.h"

static size_t count_log(const rl_client *c, uint32_t id)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nlog; i++)
        n += c->log_id[i] == id;
    return n;
}

static void call_nearest(rl_client *c)
{
    uint8_t q[4];
    st32le(q, API_ID_help_getNearestDc);
    const sess_event *e = rl_call(c, q, sizeof q);
    assert_non_null(e);
    assert_int_equal(ld32le(e->body), API_ID_nearestDc);
}

/* A second connection on c's key (the same auth key, its own session). */
static void open_same_key(rl_client *b, rl_relay *rr, const rl_client *c, uint64_t seed)
{
    rl_open(b, rr, MT_TRANSPORT_INTERMEDIATE, false, false, seed);
    b->key = c->key;
    b->have_key = true;
    rl_session(b);
}

static void salts_follow_the_handshake(void **state)
{
    (void)state;
    relay_config cfg = {.limits = {.idle_timeout_ns = 4 * 3600 * NS_PER_S}};
    rl_relay rr;
    rl_relay_new(&rr, &cfg);
    rl_client a, b;
    rl_open(&a, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 41);
    assert_int_equal(rl_handshake(&a, HS_KEY_PERM, 0), 0);
    uint32_t created = (uint32_t)(clock_now(&rr.clock.clock) / NS_PER_S);
    int64_t first = (int64_t)ld64le(a.key.server_salt);
    rl_session(&a);
    call_nearest(&a); /* accepted with the handshake's salt */
    assert_int_equal(count_log(&a, MTP_ID_bad_server_salt), 0);

    /* Another session of the key: the same salt, and the schedule from get_future_salts. */
    open_same_key(&b, &rr, &a, 42);
    uint8_t q[8];
    st32le(q, MTP_ID_get_future_salts);
    st32le(q + 4, 3);
    uint64_t id;
    assert_int_equal(sess_client_send(&b.sess, q, sizeof q, &b.out, &id), 0);
    rl_flush(&b);
    rl_read(&b, NULL);
    assert_int_equal(count_log(&b, MTP_ID_bad_server_salt), 0);
    assert_int_equal(count_log(&b, MTP_ID_future_salts), 1);
    const sess_salts *f = &b.sess.future;
    assert_int_equal(f->n, 3);
    assert_true(f->s[0].salt == first);
    assert_int_equal(f->s[0].valid_since, created);
    for (uint32_t i = 0; i < 3; i++)
        assert_int_equal(f->s[i].valid_until, created + (i + 1) * SALT_PERIOD_S);
    for (uint32_t i = 1; i < 3; i++)
        assert_int_equal(f->s[i].valid_since, f->s[i - 1].valid_until);

    /* 31 minutes on: the first salt's period is over, its grace is not. */
    vclock_advance(&rr.clock, 31 * 60 * NS_PER_S);
    assert_true(a.sess.salt == first);
    call_nearest(&a);
    assert_int_equal(count_log(&a, MTP_ID_bad_server_salt), 0);
    /* 61 minutes: past the grace; bad_server_salt names the salt of the third period. */
    vclock_advance(&rr.clock, 30 * 60 * NS_PER_S);
    call_nearest(&a);
    assert_int_equal(count_log(&a, MTP_ID_bad_server_salt), 1);
    assert_true(a.sess.salt == f->s[2].salt);
    rl_free(&a);
    rl_free(&b);
    rl_relay_free(&rr);
}

/* A key reloaded without its handshake (--state) has a random schedule: one bad_server_salt,
 * then the session goes on. */
static void reloaded_key_learns_salt(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client a;
    rl_open(&a, &rr, MT_TRANSPORT_ABRIDGED, false, false, 43);
    assert_int_equal(rl_handshake(&a, HS_KEY_PERM, 0), 0);
    rl_relay rr2;
    rl_relay_new(&rr2, NULL);
    assert_int_equal(relay_add_key(rr2.r, &a.key.key, false, 0), 0);
    rl_client b;
    open_same_key(&b, &rr2, &a, 44);
    call_nearest(&b);
    assert_int_equal(count_log(&b, MTP_ID_bad_server_salt), 1);
    rl_free(&a);
    rl_free(&b);
    rl_relay_free(&rr);
    rl_relay_free(&rr2);
}

static void bind_to(rl_client *c, const hs_result *perm, int64_t expires_at)
{
    mt_bind_inner in = {.nonce = 5,
                        .temp_auth_key_id = mt_bind_key_id(&c->key.key),
                        .perm_auth_key_id = mt_bind_key_id(&perm->key),
                        .temp_session_id = (int64_t)c->sess.session_id,
                        .expires_at = (int32_t)expires_at};
    uint64_t id;
    assert_int_equal(mt_bind_client_send(&c->sess, &perm->key, &in, &c->rng.rng, &c->out, &id), 0);
    rl_flush(c);
    rl_read(c, NULL);
    int i = rl_find_result(c, id);
    assert_true(i >= 0);
    assert_int_equal(ld32le(c->ev[i].ev.body), API_ID_boolTrue);
}

static void expired_temp_key_removed(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    rl_client c;
    rl_open(&c, &rr, MT_TRANSPORT_INTERMEDIATE, false, false, 45);
    assert_int_equal(rl_handshake(&c, HS_KEY_PERM, 0), 0);
    hs_result perm = c.key;
    assert_int_equal(rl_handshake(&c, HS_KEY_TEMP, 100), 0);
    int64_t now = (int64_t)(clock_now(&rr.clock.clock) / NS_PER_S);
    rl_session(&c);
    call_nearest(&c);
    bind_to(&c, &perm, now + 100);
    relay_stats st;
    relay_get_stats(rr.r, &st);
    assert_int_equal(st.keys, 2);
    assert_int_equal(rr.r->bind.table.n, 1);
    /* relay_tick's deadline includes the expiry. */
    assert_true(relay_tick(rr.r) <= (uint64_t)(now + 100) * NS_PER_S);
    vclock_advance(&rr.clock, 99 * NS_PER_S);
    (void)relay_tick(rr.r);
    relay_get_stats(rr.r, &st);
    assert_int_equal(st.keys, 2);
    vclock_advance(&rr.clock, 2 * NS_PER_S);
    (void)relay_tick(rr.r);
    relay_get_stats(rr.r, &st);
    assert_int_equal(st.keys, 1); /* the permanent key stays */
    assert_int_equal(rr.r->bind.table.n, 0);
    assert_null(relay_key_find(rr.r, c.key.key.id));
    assert_non_null(relay_key_find(rr.r, perm.key.id));
    rl_read(&c, NULL);
    assert_int_equal(c.transport_error, -404); /* its connection is told and closed */
    assert_true(c.closed);
    hs_result_wipe(&perm);
    rl_free(&c);
    rl_relay_free(&rr);
}

/* Many keys expiring out of order: the table stays consistent (deletion moves probe runs). */
static void key_table_churn(void **state)
{
    (void)state;
    rl_relay rr;
    rl_relay_new(&rr, NULL);
    enum { N = 600 };
    static mt_auth_key keys[N];
    int64_t now = (int64_t)(clock_now(&rr.clock.clock) / NS_PER_S);
    for (int i = 0; i < N; i++) {
        uint8_t raw[MT_AUTH_KEY_LEN];
        drbg_generate(&rr.rng, raw, sizeof raw);
        mt_auth_key_init(&keys[i], raw);
        bool temp = i % 3 != 0;
        assert_int_equal(relay_add_key(rr.r, &keys[i], temp, now + 10 + i % 7), 0);
    }
    for (int step = 10; step <= 17; step++) {
        uint64_t at = (uint64_t)(now + step) * NS_PER_S, t = clock_now(&rr.clock.clock);
        if (at > t)
            vclock_advance(&rr.clock, at - t);
        (void)relay_tick(rr.r);
        for (int i = 0; i < N; i++) {
            bool gone = i % 3 != 0 && now + 10 + i % 7 <= now + step;
            assert_true((relay_key_find(rr.r, keys[i].id) == NULL) == gone);
        }
    }
    relay_stats st;
    relay_get_stats(rr.r, &st);
    assert_int_equal(st.keys, N / 3);
    rl_relay_free(&rr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(salts_follow_the_handshake),
        cmocka_unit_test(reloaded_key_learns_salt),
        cmocka_unit_test(expired_temp_key_removed),
        cmocka_unit_test(key_table_churn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
