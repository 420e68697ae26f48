/*
 * The builtin server target on the relay core (reference-peers/relay_core.h): the reference
 * server exactly as `mtproof relay` runs it, in process, on the virtual clock and a DRBG seeded
 * by --seed. One relay per scenario, so keys outlive a `reconnect`; one connection at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/drbg.h"
#include "harness/target.h"
#include "reference-peers/relay_core.h"

#define RT_TICK_NS (100ull * NS_PER_S / 1000)

typedef struct rtarget {
    target t;
    mt_vclock vc;
    mt_drbg drbg;
    const rsa_private *keys[1];
    relay *r;
    uint32_t conn;
    bool open, closed;
} rtarget;

static void rt_close(target *t)
{
    rtarget *r = (rtarget *)t;
    if (r->open && !r->closed)
        relay_close(r->r, r->conn);
    r->open = false;
}

static int rt_open(target *t, const char *transport, char *why, size_t cap)
{
    rtarget *r = (rtarget *)t;
    (void)transport;
    rt_close(t);
    int err = relay_open(r->r, RELAY_CONN_TCP, &r->conn);
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
    int err = relay_feed(r->r, r->conn, p, n);
    return err == MT_E_bad_argument ? MT_E_io_error : 0; /* a rule: its reaction is queued */
}

/* Moves virtual time forward by at most ns, running the relay's timers on the way. */
static void advance(rtarget *r, uint64_t ns)
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
    uint64_t end = r->vc.ns + timeout;
    *n = 0;
    *closed = false;
    for (;;) {
        if (!r->open || r->closed) {
            *closed = true;
            return 0;
        }
        size_t avail = 0;
        const uint8_t *o = relay_output(r->r, r->conn, &avail);
        if (o && avail) {
            *n = avail < cap ? avail : cap;
            memcpy(buf, o, *n);
            relay_output_done(r->r, r->conn, *n);
            return 0;
        }
        if (relay_closing(r->r, r->conn)) {
            relay_close(r->r, r->conn);
            r->closed = true;
            continue;
        }
        if (r->vc.ns >= end)
            return 0;
        advance(r, end - r->vc.ns < RT_TICK_NS ? end - r->vc.ns : RT_TICK_NS);
    }
}

static void rt_pass(target *t, uint64_t ns)
{
    advance((rtarget *)t, ns);
}

static void rt_free(target *t)
{
    rtarget *r = (rtarget *)t;
    rt_close(t);
    relay_free(r->r);
    free(r);
}

static const target_ops rt_ops = {rt_open, rt_send, rt_recv, rt_pass, rt_close, rt_free};

int target_relay(const target_cfg *cfg, target **out)
{
    rtarget *r = calloc(1, sizeof *r);
    if (!r)
        return MT_E_no_memory;
    vclock_init(&r->vc, cfg->t0_ns);
    drbg_init_u64(&r->drbg, cfg->seed ^ 0x52454c4159000000ull);
    r->keys[0] = cfg->key;
    relay_config rc = {.keys = r->keys,
                       .n_keys = 1,
                       .clock = &r->vc.clock,
                       .rng = &r->drbg.rng,
                       .violate = cfg->violate,
                       .n_violate = cfg->n_violate,
                       .hs_retries = cfg->hs_retries};
    int err = relay_new(&r->r, &rc);
    if (err) {
        free(r);
        return err;
    }
    r->t.ops = &rt_ops;
    r->t.clock = &r->vc.clock;
    r->t.virtual_time = true;
    snprintf(r->t.desc, sizeof r->t.desc, "builtin relay");
    *out = &r->t;
    return 0;
}
