/* Reference clients against the relay core in-process (reference-peers/relay_core.h) on one
 * virtual clock, each client with its own DRBG, pumped without sockets: handshake + join over
 * every transport, rooms (waiting, ready with opposite originators, redirect), a saved key, a
 * temporary key bound, an unknown key refused with -404, and an end-to-end chat with a re-key in
 * which no plaintext appears in any byte the relay received. */
#include "relay_loop.h"

#include <stdlib.h>
#include <string.h>

#include "reference-peers/client_core.h"

#define PEERS 4

typedef struct peer {
    pclient *c;
    uint32_t conn;
    mt_drbg rng;
    unsigned count[PCLIENT_EV_ERROR + 1];
    int rule;
    bool originator;
    int64_t fingerprint;
    char room[80], last[PCLIENT_TEXT_MAX + 1];
    hs_result key;
} peer;

static rsa_public *pub_key;
static uint8_t *seen; /* every byte the relay received */
static size_t seen_len, seen_cap;

static void on_event(void *ctx, const pclient_event *ev)
{
    peer *p = ctx;
    p->count[ev->kind]++;
    if (ev->kind == PCLIENT_EV_ERROR)
        p->rule = ev->rule;
    if (ev->kind == PCLIENT_EV_KEY)
        p->key = *ev->key;
    if (ev->kind == PCLIENT_EV_READY)
        p->originator = ev->originator;
    if (ev->kind == PCLIENT_EV_E2E_READY || ev->kind == PCLIENT_EV_REKEYED)
        p->fingerprint = ev->fingerprint;
    if ((ev->kind == PCLIENT_EV_WAITING || ev->kind == PCLIENT_EV_READY) && ev->len < 80) {
        memcpy(p->room, ev->text, ev->len);
        p->room[ev->len] = 0;
    }
    if (ev->kind == PCLIENT_EV_MESSAGE) {
        memcpy(p->last, ev->text, ev->len);
        p->last[ev->len] = 0;
    }
}

static void record(const uint8_t *b, size_t n)
{
    if (seen_len + n > seen_cap) {
        seen_cap = (seen_len + n) * 2;
        seen = realloc(seen, seen_cap);
        assert_non_null(seen);
    }
    memcpy(seen + seen_len, b, n);
    seen_len += n;
}

static pclient_config base_cfg(rl_relay *rr, peer *p, uint64_t seed)
{
    drbg_init_u64(&p->rng, seed);
    static const rsa_public *keys[1];
    keys[0] = pub_key;
    pclient_config cfg = {
        .keys = keys,
        .n_keys = 1,
        .clock = &rr->clock.clock,
        .rng = &p->rng.rng,
        .transport = MT_TRANSPORT_INTERMEDIATE,
        .stop_after = PCLIENT_STAGE_ALL,
        .on_event = on_event,
        .event_ctx = p,
    };
    return cfg;
}

static void peer_start(rl_relay *rr, peer *p, const pclient_config *cfg)
{
    assert_int_equal(pclient_new(&p->c, cfg), MT_OK);
    assert_int_equal(relay_open(rr->r, cfg->http ? RELAY_CONN_HTTP : RELAY_CONN_TCP, &p->conn),
                     MT_OK);
    assert_int_equal(pclient_start(p->c), MT_OK);
}

static void peer_free(rl_relay *rr, peer *p)
{
    if (!p->c)
        return;
    relay_close(rr->r, p->conn);
    pclient_free(p->c);
    hs_result_wipe(&p->key);
    memset(p, 0, sizeof *p);
}

/* One pass: each client's output to the relay, the relay's output to each client. */
static bool move_bytes(rl_relay *rr, peer *ps, size_t n)
{
    bool moved = false;
    for (size_t i = 0; i < n; i++) {
        if (!ps[i].c)
            continue;
        size_t len;
        const uint8_t *o = pclient_output(ps[i].c, &len);
        if (len) {
            uint8_t *copy = malloc(len);
            memcpy(copy, o, len);
            pclient_output_done(ps[i].c, len);
            record(copy, len);
            int rc = relay_feed(rr->r, ps[i].conn, copy, len); /* its reaction is output */
            (void)rc;
            free(copy);
            moved = true;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!ps[i].c)
            continue;
        size_t len;
        const uint8_t *o = relay_output(rr->r, ps[i].conn, &len);
        if (len && !pclient_done(ps[i].c)) {
            uint8_t *copy = malloc(len);
            memcpy(copy, o, len);
            relay_output_done(rr->r, ps[i].conn, len);
            int rc = pclient_feed(ps[i].c, copy, len); /* errors arrive as events */
            (void)rc;
            free(copy);
            moved = true;
        } else if (len) {
            relay_output_done(rr->r, ps[i].conn, len);
        }
    }
    return moved;
}

/* Pumps until quiet; when quiet, moves the clock to the next deadline (at most idle_steps times,
 * none later than 2 s ahead). */
static void pump(rl_relay *rr, peer *ps, size_t n, int idle_steps)
{
    for (int guard = 0; guard < 20000; guard++) {
        if (move_bytes(rr, ps, n))
            continue;
        if (idle_steps-- <= 0)
            return;
        uint64_t now = rr->clock.ns, next = relay_tick(rr->r);
        for (size_t i = 0; i < n; i++)
            if (ps[i].c) {
                uint64_t d = pclient_tick(ps[i].c);
                next = d < next ? d : next;
            }
        uint64_t step = next > now ? next - now : 1000000ull;
        vclock_advance(&rr->clock, step < 2 * NS_PER_S ? step : 2 * NS_PER_S);
    }
}

static int setup(void **state)
{
    (void)state;
    static rl_relay probe;
    rl_relay_new(&probe, NULL);
    static rsa_public pub;
    pub = probe.key.pub;
    pub_key = &pub;
    rl_relay_free(&probe);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(seen);
    return 0;
}

static void test_transports(void **state)
{
    (void)state;
    static const struct {
        mt_transport_kind kind;
        bool obf, http;
    } t[] = {
        {MT_TRANSPORT_ABRIDGED, false, false},    {MT_TRANSPORT_INTERMEDIATE, false, false},
        {MT_TRANSPORT_FULL, false, false},        {MT_TRANSPORT_ABRIDGED, true, false},
        {MT_TRANSPORT_INTERMEDIATE, true, false}, {MT_TRANSPORT_ABRIDGED, false, true},
        {MT_TRANSPORT_PADDED, false, false},      {MT_TRANSPORT_PADDED, true, false},
    };
    static rl_relay rr;
    rl_relay_new(&rr, NULL);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        peer p[1] = {0};
        pclient_config cfg = base_cfg(&rr, p, 100 + i);
        cfg.transport = t[i].kind;
        cfg.obfuscated = t[i].obf;
        cfg.http = t[i].http;
        cfg.stop_after = PCLIENT_STAGE_JOINED;
        peer_start(&rr, p, &cfg);
        pump(&rr, p, 1, 8);
        if (p->rule)
            fprintf(stderr, "transport %zu: %s\n", i, mt_err_name(p->rule));
        assert_int_equal(p->rule, 0);
        assert_int_equal(p->count[PCLIENT_EV_KEY], 1);
        assert_int_equal(p->count[PCLIENT_EV_WAITING], 1); /* a lone client waits */
        assert_int_equal(p->count[PCLIENT_EV_STOPPED], 1);
        peer_free(&rr, p);
    }
    rl_relay_free(&rr);
}

/* Two clients in one room are ready with opposite originator flags; a third is redirected. */
static void test_rooms(void **state)
{
    (void)state;
    static rl_relay rr;
    rl_relay_new(&rr, NULL);
    peer p[3] = {0};
    for (size_t i = 0; i < 3; i++) {
        pclient_config cfg = base_cfg(&rr, &p[i], 200 + i);
        cfg.room = "lobby";
        cfg.stop_after = PCLIENT_STAGE_READY;
        peer_start(&rr, &p[i], &cfg);
        pump(&rr, p, i + 1, 4);
    }
    assert_int_equal(p[0].count[PCLIENT_EV_WAITING], 1);
    assert_int_equal(p[0].count[PCLIENT_EV_READY], 1);
    assert_int_equal(p[1].count[PCLIENT_EV_READY], 1);
    assert_true(p[0].originator != p[1].originator);
    assert_true(p[0].originator);
    assert_string_equal(p[1].room, "lobby");
    assert_int_equal(p[2].count[PCLIENT_EV_WAITING], 1);
    assert_string_not_equal(p[2].room, "lobby");
    for (size_t i = 0; i < 3; i++)
        peer_free(&rr, &p[i]);
    rl_relay_free(&rr);
}

/* A saved key is reused (no handshake); a temporary key is bound; an unknown key gets -404. */
static void test_keys(void **state)
{
    (void)state;
    static rl_relay rr;
    rl_relay_new(&rr, NULL);
    peer p[1] = {0};
    pclient_config cfg = base_cfg(&rr, p, 300);
    cfg.stop_after = PCLIENT_STAGE_KEY;
    peer_start(&rr, p, &cfg);
    pump(&rr, p, 1, 4);
    hs_result saved = p->key;
    peer_free(&rr, p);
    relay_stats before, after;
    relay_get_stats(rr.r, &before);

    cfg = base_cfg(&rr, p, 301);
    cfg.saved_key = &saved;
    cfg.stop_after = PCLIENT_STAGE_JOINED;
    peer_start(&rr, p, &cfg);
    pump(&rr, p, 1, 4);
    relay_get_stats(rr.r, &after);
    assert_int_equal(after.handshakes, before.handshakes);
    assert_int_equal(p->count[PCLIENT_EV_WAITING], 1);
    assert_int_equal(p->rule, 0);
    peer_free(&rr, p);

    cfg = base_cfg(&rr, p, 302);
    cfg.temp_key = true;
    cfg.temp_expires_in = 3600;
    cfg.stop_after = PCLIENT_STAGE_JOINED;
    peer_start(&rr, p, &cfg);
    pump(&rr, p, 1, 4);
    assert_int_equal(p->rule, 0);
    assert_int_equal(p->count[PCLIENT_EV_BOUND], 1);
    assert_int_equal(p->count[PCLIENT_EV_WAITING], 1);
    peer_free(&rr, p);

    saved.key.key[7] ^= 1; /* a key the relay never made */
    mt_auth_key_init(&saved.key, saved.key.key);
    cfg = base_cfg(&rr, p, 303);
    cfg.saved_key = &saved;
    peer_start(&rr, p, &cfg);
    pump(&rr, p, 1, 4);
    assert_int_equal(p->count[PCLIENT_EV_ERROR], 1);
    assert_int_equal(p->rule, MT_E_PCLIENT_TRANSPORT_ERROR);
    assert_true(pclient_done(p->c));
    peer_free(&rr, p);
    hs_result_wipe(&saved);
    rl_relay_free(&rr);
}

/* Two clients chat: the key is agreed (same fingerprint), 120 messages arrive in order with a
 * re-key after 100, and no message text appears in what the relay received. */
static void test_chat(void **state)
{
    (void)state;
    static rl_relay rr;
    rl_relay_new(&rr, NULL);
    seen_len = 0;
    peer p[2] = {0};
    for (size_t i = 0; i < 2; i++) {
        pclient_config cfg = base_cfg(&rr, &p[i], 400 + i);
        cfg.room = "chat";
        cfg.transport = i ? MT_TRANSPORT_FULL : MT_TRANSPORT_ABRIDGED;
        peer_start(&rr, &p[i], &cfg);
        pump(&rr, p, i + 1, 4);
    }
    assert_int_equal(p[0].count[PCLIENT_EV_E2E_READY], 1);
    assert_int_equal(p[1].count[PCLIENT_EV_E2E_READY], 1);
    assert_true(p[0].fingerprint == p[1].fingerprint && p[0].fingerprint != 0);
    char text[64];
    for (unsigned i = 0; i < 120; i++) {
        int len = snprintf(text, sizeof text, "plaintext-canary-%03u", i);
        assert_int_equal(pclient_send_text(p[i & 1].c, text, (size_t)len), MT_OK);
        pump(&rr, p, 2, 2);
        assert_string_equal(p[(i & 1) ^ 1].last, text);
    }
    assert_int_equal(p[0].count[PCLIENT_EV_MESSAGE] + p[1].count[PCLIENT_EV_MESSAGE], 120);
    assert_true(p[0].count[PCLIENT_EV_REKEYED] >= 1 && p[1].count[PCLIENT_EV_REKEYED] >= 1);
    assert_true(p[0].fingerprint == p[1].fingerprint);
    assert_int_equal(p[0].rule + p[1].rule, 0);
    assert_null(memmem(seen, seen_len, "plaintext-canary", 16));
    /* A burst larger than the session's resend store (SESS_STORE_MAX unanswered queries) waits
     * in the client's queue instead of failing the run. */
    unsigned before = p[1].count[PCLIENT_EV_MESSAGE];
    for (unsigned i = 0; i < 3 * SESS_STORE_MAX; i++) {
        int len = snprintf(text, sizeof text, "burst-%03u", i);
        assert_int_equal(pclient_send_text(p[0].c, text, (size_t)len), MT_OK);
    }
    pump(&rr, p, 2, 8);
    assert_int_equal(p[1].count[PCLIENT_EV_MESSAGE] - before, 3 * SESS_STORE_MAX);
    assert_int_equal(p[0].rule + p[1].rule, 0);
    assert_int_equal(pclient_leave(p[0].c), MT_OK);
    pump(&rr, p, 2, 2);
    assert_true(pclient_done(p[0].c));
    assert_int_equal(p[1].count[PCLIENT_EV_PEER_LEFT], 1);
    for (size_t i = 0; i < 2; i++)
        peer_free(&rr, &p[i]);
    rl_relay_free(&rr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transports),
        cmocka_unit_test(test_rooms),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_chat),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
