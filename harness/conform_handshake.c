/*
 * The handshake step (docs/scenarios.md "handshake"): as client, the client engine of
 * proto/handshake.h creates a key with the target, optionally flipping one byte of one message
 * (the faults of harness/replay_fault.c) or stopping after a message so the scenario can look at
 * the answer itself, or writing one message wrong with the engine's faults (hs_client_fault) and
 * steering its DH exponent (conform_steer.c); as server, the server engine of
 * proto/handshake_server.h answers the client under test, optionally breaking one rule (hss_fault),
 * after which the client must give up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "common/hex.h"
#include "common/rules.h"
#include "harness/conform_peer.h"
#include "harness/replay_internal.h"
#include "proto/handshake_server.h"

/* Waits for the next unencrypted packet: its queue index, or -1 (why says what came instead). */
static int wait_plain(cf_peer *p, uint64_t timeout, char *why, size_t cap)
{
    for (;;) {
        for (size_t i = 0; i < p->nq; i++) {
            if (p->q[i].kind == CF_PLAIN)
                return (int)i;
            if (p->q[i].kind == CF_TERR) {
                snprintf(why, cap, "transport error %d during the handshake", (int)p->q[i].code);
                return -1;
            }
        }
        size_t before = p->nq;
        if (cf_pump(p, timeout) != 0 || p->nq == before) {
            snprintf(why, cap,
                     p->closed ? "connection closed during the handshake"
                               : "no handshake answer in time");
            return -1;
        }
    }
}

static void set_session(cf_peer *p, const hs_result *r)
{
    if (p->has_key) { /* the keys before, for the bind step */
        p->perm2 = p->perm;
        p->has_perm2 = p->has_perm;
        p->perm = p->key;
        p->has_perm = true;
    }
    p->key = r->key;
    p->has_key = true;
    p->salt = p->prev_salt = (int64_t)ld64le(r->server_salt);
    p->named_salt = p->salt; /* "server_salt: the first salt" */
    p->named_at = clock_now(p->tg->clock);
    p->has_named = !p->server;
    p->ids.offset_ns = r->time_offset_ns;
    p->content_sent = 0;
    if (!p->server) {
        uint8_t b[8];
        drbg_generate(&p->drbg, b, sizeof b);
        p->session_id = ld64le(b);
        p->has_session = true;
    }
}

/* Whether the message just written is the faulted one that ends the step: a flipped byte
 * (replay_fault.c) or the engine's fault (hs_client_fault). The two deprecated forms do not end
 * it: a non-strict server accepts them, so the key is created (a strict one answers -404). */
static bool faulted_now(hs_client *hc, const cf_hs_opts *o, unsigned msg_no, uint8_t *pkt,
                        size_t len)
{
    if (!o->fault)
        return false;
    if (hc->cfg.fault == HSC_FAULT_NONE)
        return replay_client_fault(o->fault, msg_no, pkt, len);
    return hs_client_fault_sent(hc) && hc->cfg.fault != HSC_FAULT_INNER_NO_DC &&
           hc->cfg.fault != HSC_FAULT_OLD_RSA_PADDING;
}

static int run_client(cf_peer *p, hs_client *hc, const cf_hs_opts *o, char *why, size_t cap)
{
    uint8_t pkt[HS_PACKET_MAX];
    size_t len;
    int err = hs_client_start(hc, pkt, sizeof pkt, &len);
    static const char *const steps[] = {"", "req_pq", "req_dh", "set_dh"};
    for (unsigned msg_no = 1; !err; msg_no++) {
        memcpy(p->nonce, hc->nonce, sizeof p->nonce);
        memcpy(p->server_nonce, hc->server_nonce, sizeof p->server_nonce);
        memcpy(p->new_nonce, hc->new_nonce, sizeof p->new_nonce);
        bool faulted = faulted_now(hc, o, msg_no, pkt, len);
        cf_note_sent(p, len >= 16 ? ld64le(pkt + 8) : 0, 0);
        cf_logf(p, "> handshake message %u%s", msg_no, faulted ? " (faulted)" : "");
        if ((err = cf_send_payload(p, pkt, len, NULL)) != 0)
            break;
        if (faulted ||
            (o->stop && msg_no < 4 && strcmp(o->stop, steps[msg_no > 3 ? 3 : msg_no]) == 0))
            return 0;
        int i = wait_plain(p, o->timeout_ns, why, cap);
        if (i < 0)
            return MT_E_mismatch;
        err = hs_client_feed(hc, p->q[i].body, p->q[i].len, pkt, sizeof pkt, &len);
        cf_drop(p, (size_t)i);
        if (mt_rule_of(err)) {
            snprintf(why, cap, "the server's answer broke %s", mt_rule_of(err)->id);
            return err;
        }
        if (!err && hs_client_get_state(hc) == HSC_DONE) {
            hs_result r;
            if ((err = hs_client_result(hc, &r)) == 0)
                set_session(p, &r);
            hs_result_wipe(&r);
            cf_logf(p, "-- auth key created");
            return err;
        }
    }
    snprintf(why, cap, "handshake: %s", mt_err_name(err));
    return err;
}

static int hs_as_client(cf_peer *p, const cf_hs_opts *o, char *why, size_t cap)
{
    hs_client *hc = calloc(1, sizeof *hc);
    if (!hc)
        return MT_E_no_memory;
    const rsa_public *keys[1] = {o->pub};
    hs_client_config cfg = {.keys = keys,
                            .n_keys = 1,
                            .dc = o->dc ? o->dc : 2,
                            .kind = o->temp ? HS_KEY_TEMP : HS_KEY_PERM,
                            .expires_in = o->expires ? o->expires : 86400};
    if (o->fault && hs_client_fault_by_name(o->fault) != HSC_FAULT_COUNT)
        cfg.fault = hs_client_fault_by_name(o->fault);
    /* b= fixes the first attempt's exponent: g_b (and so the key) steered to edge values;
     * steer= picks b of every attempt once g_a is known (conform_steer.c). */
    uint8_t b[DH_BYTES];
    size_t b_len = 0;
    cf_steer steer = {.p = p, .key0 = o->steer && strcmp(o->steer, "key0") == 0};
    hs_client_fixed fixed = {.b = o->b_hex ? b : NULL};
    if (o->steer) {
        fixed.choose_b = cf_steer_b;
        fixed.choose_b_ctx = &steer;
    }
    int err = o->b_hex ? hex_decode(o->b_hex, strlen(o->b_hex), b, sizeof b, &b_len) : 0;
    if (!err)
        err = hs_client_init(hc, &cfg, &p->clock.c, &p->drbg.rng, &fixed);
    if (!err)
        err = run_client(p, hc, o, why, cap);
    else
        snprintf(why, cap, "handshake: %s", mt_err_name(err));
    hs_client_wipe(hc);
    free(hc);
    ct_wipe(b, sizeof b); /* the engine read b through fixed until here */
    return err;
}

/* The server's loop: answer each client message until the key exists, or (with a fault) until
 * the client gives up. */
static int run_server(cf_peer *p, hss *hs, const cf_hs_opts *o, char *why, size_t cap)
{
    uint8_t pkt[HS_PACKET_MAX];
    for (;;) {
        int i = wait_plain(p, o->timeout_ns, why, cap);
        if (i < 0)
            return o->fault ? 0 : MT_E_mismatch; /* with a fault, giving up is the point */
        size_t len = 0;
        int err = hss_feed(hs, p->q[i].body, p->q[i].len, pkt, sizeof pkt, &len);
        cf_drop(p, (size_t)i);
        if (mt_rule_of(err)) {
            snprintf(why, cap, "the client's message broke %s", mt_rule_of(err)->id);
            return err;
        }
        if (!err)
            err = cf_send_payload(p, pkt, len, NULL);
        if (err) {
            snprintf(why, cap, "handshake: %s", mt_err_name(err));
            return err;
        }
        if (hss_get_state(hs) == HSS_DONE || hss_get_state(hs) == HSS_GEN_FAIL) {
            hs_result r;
            if (hss_result(hs, &r) == 0) {
                set_session(p, &r);
                cf_logf(p, "-- auth key created");
                cf_hs_log_edges(p, hs);
            }
            hs_result_wipe(&r);
            return 0;
        }
    }
}

static int hs_as_server(cf_peer *p, const cf_hs_opts *o, char *why, size_t cap)
{
    hss *hs = calloc(1, sizeof *hs);
    if (!hs)
        return MT_E_no_memory;
    const rsa_private *keys[1] = {o->key};
    /* a=, prime=, g=: unusual but valid parameters (or steered values) offered to the client */
    uint8_t a[DH_BYTES], prime[DH_BYTES];
    size_t n = 0;
    hss_fixed fixed = {.a = o->a_hex ? a : NULL};
    hss_config cfg = {.keys = keys,
                      .n_keys = 1,
                      .g = o->g,
                      .strict = o->strict,
                      .dh_prime = o->prime_hex ? prime : NULL};
    if ((o->a_hex &&
         (hex_decode(o->a_hex, strlen(o->a_hex), a, sizeof a, &n) != 0 || n != DH_BYTES)) ||
        (o->prime_hex &&
         (hex_decode(o->prime_hex, strlen(o->prime_hex), prime, sizeof prime, &n) != 0 ||
          n != DH_BYTES))) {
        free(hs);
        snprintf(why, cap, "handshake: a= and prime= take 256 bytes of hex");
        return MT_E_bad_argument;
    }
    if (o->fault) {
        cfg.fault = hss_fault_by_name(o->fault);
        if (cfg.fault == HSS_FAULT_COUNT) {
            free(hs);
            snprintf(why, cap, "'%s' is a client fault; as server use an hss fault", o->fault);
            return MT_E_bad_argument;
        }
    }
    int err = hss_init(hs, &cfg, &p->clock.c, &p->drbg.rng, o->a_hex ? &fixed : NULL);
    if (!err)
        err = run_server(p, hs, o, why, cap);
    else
        snprintf(why, cap, "handshake: %s", mt_err_name(err));
    hss_wipe(hs);
    free(hs);
    ct_wipe(a, sizeof a); /* the engine read a through fixed until here */
    return err;
}

int cf_handshake(cf_peer *p, const cf_hs_opts *o, char *why, size_t cap)
{
    if (o->fault && !p->server && !replay_client_fault_known(o->fault) &&
        hs_client_fault_by_name(o->fault) == HSC_FAULT_COUNT) {
        snprintf(why, cap, "'%s' is a server fault; as client use a client fault", o->fault);
        return MT_E_bad_argument;
    }
    return p->server ? hs_as_server(p, o, why, cap) : hs_as_client(p, o, why, cap);
}
