/*
 * The builtin server target on the relay core (reference-peers/relay_core.h): the reference
 * server exactly as `mtproof relay` runs it, in process, on the virtual clock and a DRBG seeded
 * by --seed. One relay per scenario, so keys outlive a `reconnect`. The target is the scenario's
 * first connection; `another` gives a handle for each further one (the `connection` step), all
 * on the same relay and clock: each handle reads only its own connection's output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/drbg.h"
#include "harness/target.h"
#include "reference-peers/relay_core.h"

#define RT_TICK_NS (100ull * NS_PER_S / 1000)

typedef struct rshared {
    mt_vclock vc;
    mt_drbg drbg;
    const rsa_private *keys[1];
    relay *r;
} rshared;

typedef struct rtarget {
    target t;
    rshared *sh; /* owned by the first connection's target */
    bool owner;
    uint32_t conn;
    bool open, closed;
} rtarget;

static void rt_close(target *t)
{
    rtarget *r = (rtarget *)t;
    if (r->open && !r->closed)
        relay_close(r->sh->r, r->conn);
    r->open = false;
}

static int rt_open(target *t, const char *transport, char *why, size_t cap)
{
    rtarget *r = (rtarget *)t;
    (void)transport;
    rt_close(t);
    int err = relay_open(r->sh->r, RELAY_CONN_TCP, &r->conn);
    if (err) {
        snprintf(why, cap, "relay_open: %s", mt_err_name(err));
        return err;
    }
    r->open = true;
    r->closed = false;
    return 0;
}

static int rt_send(target *t, const uint8_t *p, size_t n)
{
    rtarget *r = (rtarget *)t;
    if (!r->open || r->closed)
        return MT_E_io_error;
    int err = relay_feed(r->sh->r, r->conn, p, n);
    return err == MT_E_bad_argument ? MT_E_io_error : 0; /* a rule: its reaction is queued */
}

/* Moves virtual time forward by at most ns, running the relay's timers on the way. */
static void advance(rshared *r, uint64_t ns)
{
    for (uint64_t end = r->vc.ns + ns; r->vc.ns < end;) {
        uint64_t step = end - r->vc.ns < RT_TICK_NS ? end - r->vc.ns : RT_TICK_NS;
        vclock_advance(&r->vc, step);
        (void)relay_tick(r->r);
    }
}

static int rt_recv(target *t, uint8_t *buf, size_t cap, size_t *n, bool *closed, uint64_t timeout)
{
    rtarget *r = (rtarget *)t;
    rshared *sh = r->sh;
    uint64_t end = sh->vc.ns + timeout;
    *n = 0;
    *closed = false;
    for (;;) {
        if (!r->open || r->closed) {
            *closed = true;
            return 0;
        }
        size_t avail = 0;
        const uint8_t *o = relay_output(sh->r, r->conn, &avail);
        if (o && avail) {
            *n = avail < cap ? avail : cap;
            memcpy(buf, o, *n);
            relay_output_done(sh->r, r->conn, *n);
            return 0;
        }
        if (relay_closing(sh->r, r->conn)) {
            relay_close(sh->r, r->conn);
            r->closed = true;
            continue;
        }
        if (sh->vc.ns >= end)
            return 0;
        advance(sh, end - sh->vc.ns < RT_TICK_NS ? end - sh->vc.ns : RT_TICK_NS);
    }
}

static void rt_pass(target *t, uint64_t ns)
{
    advance(((rtarget *)t)->sh, ns);
}

static void rt_free(target *t)
{
    rtarget *r = (rtarget *)t;
    rt_close(t);
    if (r->owner) {
        relay_free(r->sh->r);
        free(r->sh);
    }
    free(r);
}

static int rt_another(target *t, target **out);
static const target_ops rt_ops = {rt_open,  rt_send, rt_recv,   rt_pass,
                                  rt_close, rt_free, rt_another};

static rtarget *handle(rshared *sh, bool owner)
{
    rtarget *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->sh = sh;
    r->owner = owner;
    r->t.ops = &rt_ops;
    r->t.clock = &sh->vc.clock;
    r->t.virtual_time = true;
    snprintf(r->t.desc, sizeof r->t.desc, "builtin relay");
    return r;
}

static int rt_another(target *t, target **out)
{
    rtarget *r = handle(((rtarget *)t)->sh, false);
    if (!r)
        return MT_E_no_memory;
    *out = &r->t;
    return 0;
}

int target_relay(const target_cfg *cfg, target **out)
{
    rshared *sh = calloc(1, sizeof *sh);
    rtarget *r = sh ? handle(sh, true) : NULL;
    if (!r) {
        free(sh);
        return MT_E_no_memory;
    }
    vclock_init(&sh->vc, cfg->t0_ns);
    drbg_init_u64(&sh->drbg, cfg->seed ^ 0x52454c4159000000ull);
    sh->keys[0] = cfg->key;
    relay_config rc = {.keys = sh->keys,
                       .n_keys = 1,
                       .clock = &sh->vc.clock,
                       .rng = &sh->drbg.rng,
                       .violate = cfg->violate,
                       .n_violate = cfg->n_violate,
                       .hs_retries = cfg->hs_retries,
                       .limits = {.max_conns = cfg->max_conns,
                                  .max_frame = cfg->max_frame,
                                  .max_pending = cfg->max_pending,
                                  .idle_timeout_ns = cfg->idle_timeout_ns,
                                  .handshakes_per_s = cfg->handshakes_per_s}};
    int err = relay_new(&sh->r, &rc);
    if (err) {
        free(r);
        free(sh);
        return err;
    }
    *out = &r->t;
    return 0;
}
