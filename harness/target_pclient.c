/*
 * The builtin client target (the client under test when the harness plays the server): the
 * reference client core of reference-peers/client_core.h (pclient), exactly as `mtproof client`
 * runs it, in process on the virtual clock and a seeded DRBG. Per connection a fresh pclient:
 * auth key → [temporary key + auth.bindTempAuthKey] → session → relay.join → room → e2e, as far
 * as the harness's answers take it. Its configuration comes from the scenario: the transport of
 * the connection, and a temporary key when a `handshake kind=temp` step is there
 * (docs/scenarios.md "The builtin client").
 *
 * A rule the harness breaks ends the run (PCLIENT_EV_ERROR): the client closes the connection
 * (its reaction on the wire) and the rule is kept in target.peer_rule. The client's timers (acks,
 * resends) run when the runner lets virtual time pass, in recv and pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rules.h"
#include "crypto/drbg.h"
#include "harness/scenario.h"
#include "harness/target.h"
#include "reference-peers/client_core.h"

#define PT_MIN_STEP_NS (NS_PER_S / 1000) /* a timer already due still lets time move */

typedef struct ptarget {
    target t;
    mt_vclock vc;
    mt_drbg drbg;
    const rsa_public *pub[1];
    prime_cache primes; /* kept across connections: dh_prime is tested once */
    pclient *pc;
    bool temp;
    int32_t expires;
} ptarget;

static void on_event(void *ctx, const pclient_event *ev)
{
    ptarget *p = ctx;
    if (ev->kind == PCLIENT_EV_ERROR && mt_rule_of(ev->rule) && !p->t.peer_rule)
        p->t.peer_rule = ev->rule;
}

static int pt_open(target *t, const char *transport, char *why, size_t cap)
{
    ptarget *p = (ptarget *)t;
    pclient_free(p->pc);
    p->pc = NULL;
    p->t.peer_rule = 0;
    bool obf = strncmp(transport, "obf2-", 5) == 0;
    bool http = strcmp(transport, "http") == 0;
    int kind = http ? (int)MT_TRANSPORT_INTERMEDIATE
                    : mt_transport_kind_from_name(obf ? transport + 5 : transport);
    if (kind < 0) {
        snprintf(why, cap, "builtin client: unknown transport '%s'", transport);
        return MT_E_bad_argument;
    }
    pclient_config cfg = {.keys = p->pub,
                          .n_keys = 1,
                          .clock = &p->vc.clock,
                          .rng = &p->drbg.rng,
                          .transport = (mt_transport_kind)kind,
                          .obfuscated = obf,
                          .http = http,
                          .temp_key = p->temp,
                          .temp_expires_in = p->expires,
                          .stop_after = PCLIENT_STAGE_ALL,
                          .primes = &p->primes,
                          .on_event = on_event,
                          .event_ctx = p};
    int err = pclient_new(&p->pc, &cfg);
    if (!err)
        err = pclient_start(p->pc);
    if (err)
        snprintf(why, cap, "builtin client: %s", mt_err_name(err));
    return err;
}

static int pt_send(target *t, const uint8_t *in, size_t n)
{
    ptarget *p = (ptarget *)t;
    if (!p->pc || pclient_done(p->pc))
        return MT_E_io_error;
    /* A broken rule ends the run (done, an ERROR event): the caller sees the close. Only a
     * tool error (no memory...) is the target's own failure. */
    int err = pclient_feed(p->pc, in, n);
    return err && !mt_err_is_rule(err) && !pclient_done(p->pc) ? err : 0;
}

/* Runs the client's timers up to `until` (virtual ns), stopping early when it has output. */
static void run_until(ptarget *p, uint64_t until)
{
    for (;;) {
        size_t n = 0;
        uint64_t deadline = pclient_tick(p->pc);
        uint64_t now = clock_now(&p->vc.clock);
        if (pclient_output(p->pc, &n) || pclient_done(p->pc) || now >= until)
            return;
        uint64_t next = deadline <= now ? now + PT_MIN_STEP_NS : deadline;
        vclock_advance(&p->vc, (next < until ? next : until) - now);
    }
}

static int pt_recv(target *t, uint8_t *buf, size_t cap, size_t *n, bool *closed, uint64_t timeout)
{
    ptarget *p = (ptarget *)t;
    *n = 0;
    *closed = false;
    if (!p->pc) {
        *closed = true;
        return 0;
    }
    size_t have = 0;
    if (!pclient_output(p->pc, &have) && !pclient_done(p->pc))
        run_until(p, clock_now(&p->vc.clock) + timeout);
    const uint8_t *out = pclient_output(p->pc, &have);
    if (out) {
        *n = have < cap ? have : cap;
        memcpy(buf, out, *n);
        pclient_output_done(p->pc, *n);
    } else if (pclient_done(p->pc)) {
        *closed = true;
    }
    return 0;
}

static void pt_pass(target *t, uint64_t ns)
{
    ptarget *p = (ptarget *)t;
    uint64_t until = clock_now(&p->vc.clock) + ns;
    while (p->pc && !pclient_done(p->pc) && clock_now(&p->vc.clock) < until) {
        size_t n = 0;
        run_until(p, until);
        if (!pclient_output(p->pc, &n))
            break; /* reached until, or done */
        /* Output waits for the runner's next recv; time still passes meanwhile. */
        uint64_t deadline = pclient_tick(p->pc), now = clock_now(&p->vc.clock);
        uint64_t next = deadline <= now ? now + PT_MIN_STEP_NS : deadline;
        vclock_advance(&p->vc, (next < until ? next : until) - now);
    }
    if (clock_now(&p->vc.clock) < until)
        vclock_advance(&p->vc, until - clock_now(&p->vc.clock));
}

static void pt_close(target *t)
{
    ptarget *p = (ptarget *)t;
    pclient_free(p->pc);
    p->pc = NULL;
}

static void pt_free(target *t)
{
    pt_close(t);
    free(t);
}

static const target_ops pt_ops = {pt_open, pt_send, pt_recv, pt_pass, pt_close, pt_free, NULL};

/* The client's configuration from the scenario: a `handshake kind=temp [expires=N]` step means
 * the client binds a temporary key (it creates the permanent one first). */
static void config_of(ptarget *p, const scenario *s)
{
    for (size_t i = 0; s && i < s->n_steps; i++) {
        const sc_step *st = &s->steps[i];
        const sc_tok *k = st->verb == SV_HANDSHAKE ? sc_step_get(st, "kind") : NULL;
        const sc_tok *e = st->verb == SV_HANDSHAKE ? sc_step_get(st, "expires") : NULL;
        int64_t v = 0;
        if (k && !strcmp(k->val, "temp"))
            p->temp = true;
        if (e && sc_int64(e->val, &v) && v > 0 && v <= INT32_MAX)
            p->expires = (int32_t)v;
    }
}

int target_pclient(const target_cfg *cfg, const struct scenario *s, target **out)
{
    ptarget *p = calloc(1, sizeof *p);
    if (!p)
        return MT_E_no_memory;
    vclock_init(&p->vc, cfg->t0_ns);
    drbg_init_u64(&p->drbg, cfg->seed ^ 0x50434c49454e5400ull);
    prime_cache_init(&p->primes);
    p->pub[0] = cfg->pub;
    config_of(p, s);
    p->t.ops = &pt_ops;
    p->t.clock = &p->vc.clock;
    p->t.virtual_time = true;
    snprintf(p->t.desc, sizeof p->t.desc, "builtin client (reference client core)");
    *out = &p->t;
    return 0;
}
