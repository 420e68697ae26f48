/* The reference client's end-to-end layer: the e2e engine (proto/e2e.h) started when the room is
 * ready (originator from the relay), fed the data of every relay.updatePayload, its envelopes
 * sent with relay.send; chat messages and re-keys from the pump. The relay never sees a key or a
 * plaintext: only the engine's envelopes leave. */
#include <string.h>

#include "common/endian.h"
#include "proto/tl.h"
#include "proto/tl_rly.h"
#include "reference-peers/client_internal.h"

static void on_e2e_event(void *ctx, const e2e_event *ev)
{
    pclient *c = ctx;
    if (c->done)
        return;
    pclient_event out = {.text = ev->text,
                         .len = ev->len,
                         .fingerprint = ev->fingerprint,
                         .visual = ev->visual,
                         .originator = c->originator};
    switch (ev->kind) {
    case E2E_EV_READY:
        c->phase = PC_CHAT;
        out.kind = PCLIENT_EV_E2E_READY;
        out.text = ev->visual;
        out.len = ev->visual ? strlen(ev->visual) : 0;
        pc_emit(c, &out);
        pc_reached(c, PCLIENT_STAGE_CHAT);
        return;
    case E2E_EV_MESSAGE:
        out.kind = PCLIENT_EV_MESSAGE;
        pc_emit(c, &out);
        return;
    case E2E_EV_REKEYED:
        out.kind = PCLIENT_EV_REKEYED;
        out.text = ev->visual;
        out.len = ev->visual ? strlen(ev->visual) : 0;
        pc_emit(c, &out);
        return;
    case E2E_EV_DISCARDED: {
        /* The peer ended the chat; its reason names the rule it saw broken, if any. */
        char reason[64];
        size_t n = ev->len < sizeof reason - 1 ? ev->len : sizeof reason - 1;
        memcpy(reason, ev->text, n);
        reason[n] = 0;
        int rule = mt_err_from_name(reason);
        pc_fail(c, rule > 0 ? rule : MT_E_e2e_closed, "peer discarded the chat");
        return;
    }
    case E2E_EV_ERROR:
        if (ev->fatal)
            pc_fail(c, ev->rule, "end-to-end");
        return;
    case E2E_EV_RESEND_REQUESTED:
        return;
    }
}

/* Each envelope goes out as relay.send data:bytes (queued: it may come from inside a callback). */
static int on_e2e_output(void *ctx, const uint8_t *env, size_t n)
{
    pclient *c = ctx;
    uint8_t body[E2E_ENVELOPE_MAX + 16];
    mt_wr w = wr_init(body, sizeof body);
    wr_u32le(&w, RLY_ID_relay_send);
    tl_wr_string(&w, env, n);
    return w.err ? w.err : pc_query(c, PCQ_SEND, body, wr_len(&w));
}

int pc_e2e_start(pclient *c)
{
    e2e_config ec = {
        .originator = c->originator,
        .rng = c->cfg.rng,
        .clock = c->cfg.clock,
        .rekey_every = c->cfg.rekey_every,
        .on_event = on_e2e_event,
        .on_output = on_e2e_output,
        .ctx = c,
    };
    int err = e2e_new(&c->e2e, &ec);
    return err ? err : e2e_start(c->e2e);
}

int pc_e2e_feed(pclient *c, const uint8_t *data, size_t n)
{
    if (!c->e2e)
        return MT_OK;
    int err = e2e_feed(c->e2e, data, n);
    /* A dropped envelope (RX_DROP) leaves the chat open; a fatal rule already ended the run. */
    if (mt_err_is_rule(err) && !e2e_closed(c->e2e))
        return MT_OK;
    return err;
}

void pc_e2e_tick(pclient *c)
{
    if (c->e2e)
        e2e_tick(c->e2e);
}

void pc_e2e_free(pclient *c)
{
    e2e_free(c->e2e);
    c->e2e = NULL;
}

int pclient_send_text(pclient *c, const char *text, size_t len)
{
    if (c->done || c->phase != PC_CHAT || !c->e2e || len > PCLIENT_TEXT_MAX)
        return MT_E_bad_argument;
    int err = e2e_send_text(c->e2e, text, len);
    if (!err)
        err = pc_flush(c);
    return err;
}

int pclient_rekey(pclient *c)
{
    if (c->done || c->phase != PC_CHAT || !c->e2e)
        return MT_E_bad_argument;
    int err = e2e_rekey(c->e2e);
    if (!err)
        err = pc_flush(c);
    return err;
}
