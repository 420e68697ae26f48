/* The reference client's lifecycle and public calls (reference-peers/client_core.h): events,
 * the end of a run (error, stop, leave), and the output queue the pump drains. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "reference-peers/client_internal.h"

void pc_emit(pclient *c, const pclient_event *ev)
{
    if (c->cfg.on_event)
        c->cfg.on_event(c->cfg.event_ctx, ev);
}

int pc_fail(pclient *c, int err, const char *what)
{
    if (c->done)
        return c->err ? c->err : err;
    c->done = true;
    c->phase = PC_DONE;
    c->err = err;
    char line[256];
    snprintf(line, sizeof line, "%s: %s (%s)", what ? what : "client", mt_err_name(err),
             mt_err_message(err));
    pclient_event ev = {.kind = PCLIENT_EV_ERROR, .text = line, .len = strlen(line), .rule = err};
    pc_emit(c, &ev);
    return err;
}

bool pc_reached(pclient *c, pclient_stage stage)
{
    if (c->cfg.stop_after != stage || c->done)
        return false;
    c->done = true;
    c->phase = PC_DONE;
    pclient_event ev = {.kind = PCLIENT_EV_STOPPED, .text = "", .len = 0};
    pc_emit(c, &ev);
    return true;
}

static bool config_ok(const pclient_config *cfg)
{
    if (!cfg || !cfg->clock || !cfg->rng || !cfg->keys || !cfg->n_keys)
        return false;
    if (!cfg->http && (cfg->transport > MT_TRANSPORT_FULL ||
                       (cfg->obfuscated && cfg->transport == MT_TRANSPORT_FULL)))
        return false;
    if (cfg->room && (!cfg->room[0] || strlen(cfg->room) > PCLIENT_ROOM_MAX))
        return false;
    return cfg->temp_expires_in >= 0;
}

int pclient_new(pclient **out, const pclient_config *cfg)
{
    *out = NULL;
    if (!config_ok(cfg))
        return MT_E_bad_argument;
    pclient *c = calloc(1, sizeof *c);
    if (!c)
        return MT_E_no_memory;
    c->cfg = *cfg;
    if (!c->cfg.temp_expires_in)
        c->cfg.temp_expires_in = 86400;
    if (!c->cfg.rekey_every)
        c->cfg.rekey_every = PCLIENT_REKEY_EVERY;
    prime_cache_init(&c->primes);
    sess_out_init(&c->so, c->sbuf, sizeof c->sbuf, c->smsgs, PCLIENT_SESS_MSGS);
    int err = pc_wire_init(c);
    if (err) {
        free(c);
        return err;
    }
    *out = c;
    return MT_OK;
}

void pclient_free(pclient *c)
{
    if (!c)
        return;
    pc_e2e_free(c);
    hs_client_wipe(&c->hs);
    mt_transport_wipe(&c->tr);
    ct_wipe(c, sizeof *c);
    free(c);
}

int pclient_start(pclient *c)
{
    if (c->phase != PC_INIT || c->done)
        return MT_E_bad_argument;
    int err = pc_auth_start(c);
    if (!err && !c->done)
        err = pc_flush(c);
    if (err && !c->done)
        return pc_fail(c, err, "start");
    return err;
}

int pclient_feed(pclient *c, const uint8_t *in, size_t n)
{
    if (c->done)
        return c->err;
    if (c->phase == PC_INIT)
        return MT_E_bad_argument;
    int err = pc_wire_feed(c, in, n);
    if (!err && !c->done)
        err = pc_flush(c);
    if (err && !c->done)
        return pc_fail(c, err, "input");
    return c->done ? c->err : err;
}

const uint8_t *pclient_output(pclient *c, size_t *n)
{
    *n = c->out_len - c->out_off;
    return *n ? c->out + c->out_off : NULL;
}

void pclient_output_done(pclient *c, size_t n)
{
    size_t left = c->out_len - c->out_off;
    c->out_off += n < left ? n : left;
    if (c->out_off == c->out_len)
        c->out_off = c->out_len = 0;
}

uint64_t pclient_tick(pclient *c)
{
    uint64_t deadline = UINT64_MAX;
    if (c->done)
        return deadline;
    pc_e2e_tick(c);
    int err = pc_sess_tick(c, &deadline);
    if (err && !c->done)
        pc_fail(c, err, "timer");
    return c->done ? UINT64_MAX : deadline;
}

bool pclient_done(const pclient *c)
{
    return c->done;
}

int pclient_leave(pclient *c)
{
    if (c->done)
        return MT_E_bad_argument;
    if (!c->sess_up || c->phase < PC_JOIN) {
        c->done = true;
        c->phase = PC_DONE;
        return MT_OK;
    }
    int err = pc_relay_leave(c);
    if (!err)
        err = pc_flush(c);
    return err && !c->done ? pc_fail(c, err, "leave") : err;
}
