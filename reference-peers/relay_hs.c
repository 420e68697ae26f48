/* Auth-key creation on a connection: one handshake server engine (proto/handshake_server.h) per
 * handshake, permanent or temporary keys, the relay-wide handshake rate, and the key table. */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "reference-peers/relay_internal.h"

#define REQ_PQ_MULTI_ID 0xbe7e8ef1u /* req_pq_multi#be7e8ef1 nonce:int128 */
#define REQ_PQ_ID       0x60469778u /* req_pq#60469778 nonce:int128 (deprecated) */

/* "handshakes per second, relay-wide": a new handshake over the budget gets -429. */
static bool rate_ok(relay *r)
{
    uint64_t sec = relay_now(r) / NS_PER_S;
    if (sec != r->hs_second) {
        r->hs_second = sec;
        r->hs_count = 0;
    }
    return r->hs_count++ < r->lim.handshakes_per_s;
}

static int start(relay *r, relay_conn *c)
{
    if (!rate_ok(r)) {
        r->st.errors++;
        relay_fail_rule(r, c, MT_E_RELAY_HANDSHAKE_RATE);
        return MT_E_RELAY_HANDSHAKE_RATE;
    }
    if (!c->hs) {
        c->hs = malloc(sizeof *c->hs);
        if (!c->hs)
            return MT_E_no_memory;
    } else {
        hss_wipe(c->hs);
    }
    hss_config hc = {.keys = r->cfg.keys,
                     .n_keys = r->cfg.n_keys,
                     .strict = r->cfg.strict,
                     /* The relay is DC 2 of a production network (help.getConfig: test_mode
                      * false): "-444 when a test DC id is sent to a production DC". */
                     .check_dc = true,
                     .test_server = false,
                     .forced_retries = r->cfg.hs_retries,
                     .key_exists = relay_key_exists_cb,
                     .key_exists_ctx = r,
                     .fault = relay_hss_fault(r)};
    int err = hss_init(c->hs, &hc, r->cfg.clock, r->cfg.rng, NULL);
    if (err) {
        free(c->hs);
        c->hs = NULL;
    }
    return err;
}

/* A new handshake starts with req_pq_multi (or req_pq) when none runs or the last one ended. */
static bool starts_handshake(const relay_conn *c, const uint8_t *p, size_t n)
{
    if (n < MT_PLAIN_HEADER_LEN + 4)
        return !c->hs;
    uint32_t id = ld32le(p + MT_PLAIN_HEADER_LEN);
    bool req_pq = id == REQ_PQ_MULTI_ID || id == REQ_PQ_ID;
    if (!c->hs)
        return true;
    hss_state st = hss_get_state(c->hs);
    return req_pq && (st == HSS_DONE || st == HSS_GEN_FAIL);
}

/* dh_gen_ok went out: the key joins the table (and the caller's --state). */
static int key_done(relay *r, relay_conn *c)
{
    hs_result res;
    int err = hss_result(c->hs, &res);
    if (err)
        return err;
    bool temp = res.kind == HS_KEY_TEMP;
    int64_t expires = temp ? (int64_t)res.server_time + res.expires_in : 0;
    /* BAD_SERVER_SALT is broken on the first message: the handshake's salt is not adopted. */
    int64_t salt = (int64_t)ld64le(res.server_salt);
    bool adopt = !relay_violating(r, MT_E_BAD_SERVER_SALT);
    err = relay_key_put(r, &res.key, temp, expires, adopt ? &salt : NULL);
    if (!err) {
        r->st.handshakes++;
        relay_log(r, RELAY_LOG_INFO, c->id, "key created (%s) %02x%02x%02x%02x%02x%02x%02x%02x",
                  temp ? "temporary" : "permanent", res.key.id[7], res.key.id[6], res.key.id[5],
                  res.key.id[4], res.key.id[3], res.key.id[2], res.key.id[1], res.key.id[0]);
        if (r->cfg.hooks.key_created)
            r->cfg.hooks.key_created(r->cfg.hooks.ctx, &res.key, temp, expires);
    }
    hs_result_wipe(&res);
    return err;
}

int relay_handshake(relay *r, relay_conn *c, const uint8_t *p, size_t n)
{
    if (starts_handshake(c, p, n)) {
        int err = start(r, c);
        if (err)
            return err;
    }
    uint8_t ans[HS_PACKET_MAX];
    size_t alen = 0;
    hss_state before = hss_get_state(c->hs);
    int err = hss_feed(c->hs, p, n, ans, sizeof ans, &alen);
    if (mt_err_is_rule(err)) {
        /* "If the query is wrong the server answers transport error -404." */
        r->st.errors++;
        relay_log(r, RELAY_LOG_INFO, c->id, "handshake: %s", mt_err_name(err));
        relay_fail_rule(r, c, err);
        return err;
    }
    if (err)
        return err;
    if (before != HSS_DONE && hss_get_state(c->hs) == HSS_DONE) {
        err = key_done(r, c);
        if (err)
            return err;
    }
    (void)relay_send_packet(r, c, ans, alen);
    return MT_OK;
}
