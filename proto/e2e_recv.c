/*
 * Receiving (mtproto-notes §8; api/end-to-end, api/end-to-end/seq_no): pick the key by its
 * fingerprint (the current one, the previous one kept for messages in flight, or the new one of
 * a re-key we accepted: "B switches on Commit or on the first message under the new
 * fingerprint"), decrypt and check, then the decryptedMessageLayer checks and the seq rules:
 *   wrong parity → abort; out_seq_no already seen → drop as a repeat; beyond the next one → a
 *   gap: hold the message and ask for the missing range with decryptedMessageActionResend;
 *   in_seq_no must not decrease and must not exceed what we sent, else abort.
 */
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "proto/e2e_internal.h"
#include "proto/tl_e2e.h"

static int handle_message(e2e *e, const tl_obj *msg);

static const e2e_key *key_for(e2e *e, const uint8_t *data, size_t n)
{
    if (n < 8)
        return &e->cur;
    int64_t fp = (int64_t)ld64le(data);
    if (e->old.set && fp == e->old.fp && fp != e->cur.fp)
        return &e->old;
    if (e->rk == RK_ACCEPTED && fp == e->rk_new.fp && fp != e->cur.fp)
        e2e_rekey_commit(e);
    return &e->cur;
}

/* Asks the peer for its messages raw from..to (inclusive), in wire form. */
static int request_resend(e2e *e, uint32_t from, uint32_t to)
{
    uint32_t bit = e2e_out_bit(!e->cfg.originator);
    e2e_decryptedMessageActionResend r = {.start_seq_no = (int32_t)(2u * from + bit),
                                          .end_seq_no = (int32_t)(2u * to + bit)};
    tl_obj a = e2e_obj_decryptedMessageActionResend(&r);
    e->gap_open = true;
    e->gap_end = to;
    e2e_event ev = {
        .kind = E2E_EV_RESEND_REQUESTED, .seq_start = r.start_seq_no, .seq_end = r.end_seq_no};
    e2e_emit(e, &ev);
    return e2e_send_obj(e, NULL, 0, &a);
}

/* Keeps a message that came after a gap until the gap is filled. */
static int hold(e2e *e, const uint8_t *obj, size_t len, uint32_t raw)
{
    e2e_stored *free_slot = NULL;
    for (size_t i = 0; i < E2E_PENDING; i++) {
        if (e->pend[i].used && e->pend[i].raw == raw)
            return 0; /* already held */
        if (!e->pend[i].used && !free_slot)
            free_slot = &e->pend[i];
    }
    if (!free_slot || raw - e->in_raw > E2E_HISTORY)
        return e2e_fail(e, MT_E_E2E_GAP_OVERFLOW, true);
    memcpy(free_slot->obj, obj, len);
    free_slot->len = len;
    free_slot->raw = raw;
    free_slot->used = true;
    return 0;
}

/* The seq checks of one decoded layer. Returns 0 to process it now, a rule, or -1 when the
 * message was held after a gap. */
static int check_seq(e2e *e, const e2e_decryptedMessageLayer *l, const uint8_t *obj, size_t len)
{
    uint32_t bit = e2e_out_bit(!e->cfg.originator);
    if (l->out_seq_no < 0 || l->in_seq_no < 0 || ((uint32_t)l->out_seq_no & 1u) != bit ||
        ((uint32_t)l->in_seq_no & 1u) != 1u - bit)
        return e2e_fail(e, MT_E_E2E_SEQ_PARITY, true);
    uint32_t r_out = (uint32_t)l->out_seq_no >> 1, r_in = (uint32_t)l->in_seq_no >> 1;
    if (r_out < e->in_raw)
        return e2e_fail(e, MT_E_E2E_SEQ_REPEAT, false);
    if (r_in > e->out_raw)
        return e2e_fail(e, MT_E_E2E_IN_SEQ_INVALID, true);
    if (r_out > e->in_raw) {
        int err = hold(e, obj, len, r_out);
        if (!err && !e->gap_open)
            err = request_resend(e, e->in_raw, r_out - 1);
        if (!err)
            err = e2e_fail(e, MT_E_E2E_SEQ_GAP, false);
        return err;
    }
    if (r_in < e->peer_in_raw)
        return e2e_fail(e, MT_E_E2E_IN_SEQ_INVALID, true);
    e->peer_in_raw = r_in;
    e->in_raw++;
    return 0;
}

/* Decodes and checks one decryptedMessageLayer (obj stays valid throughout) and acts on it. */
static int process_layer(e2e *e, const uint8_t *obj, size_t len)
{
    tl_arena a;
    tl_arena_init(&a, e->arena, sizeof e->arena);
    tl_obj o;
    const e2e_decryptedMessageLayer *l = NULL;
    if (tl_decode(&e2e_schema, obj, len, &a, TL_STRICT, &o) == 0)
        l = e2e_as_decryptedMessageLayer(&o);
    if (!l || !l->message.ctor)
        return e2e_fail(e, MT_E_E2E_LAYER_MALFORMED, false);
    if (l->random_bytes.len < E2E_RANDOM_BYTES_MIN)
        return e2e_fail(e, MT_E_E2E_RANDOM_BYTES_SHORT, false);
    if (l->layer < E2E_LAYER_MIN)
        return e2e_fail(e, MT_E_E2E_LAYER_TOO_LOW, true);
    int err = check_seq(e, l, obj, len);
    if (err)
        return err;
    if (l->layer > e->peer_layer)
        e->peer_layer = l->layer;
    return handle_message(e, &l->message);
}

/* Processes held messages that are now next in order; asks again when another hole remains. */
static int drain(e2e *e)
{
    for (;;) {
        e2e_stored *next = NULL;
        bool any = false;
        for (size_t i = 0; i < E2E_PENDING; i++) {
            any |= e->pend[i].used;
            if (e->pend[i].used && e->pend[i].raw <= e->in_raw)
                next = &e->pend[i];
        }
        if (!any) {
            e->gap_open = false;
            return 0;
        }
        if (!next && e->in_raw <= e->gap_end)
            return 0; /* the range asked for is still on its way */
        if (!next)
            break;
        size_t len = next->len;
        bool repeat = next->raw < e->in_raw;
        memcpy(e->held, next->obj, len);
        ct_wipe(next, sizeof *next);
        int err = repeat ? 0 : process_layer(e, e->held, len);
        ct_wipe(e->held, len);
        if (err || e->st == ST_CLOSED)
            return err;
    }
    uint32_t lowest = UINT32_MAX;
    for (size_t i = 0; i < E2E_PENDING; i++)
        if (e->pend[i].used && e->pend[i].raw < lowest)
            lowest = e->pend[i].raw;
    return request_resend(e, e->in_raw, lowest - 1);
}

/* "Resend must always be handled immediately": our messages start..end (wire form, our out
 * parity) are sent again, re-encrypted under the current key, with their original seq numbers. */
static int answer_resend(e2e *e, const e2e_decryptedMessageActionResend *r)
{
    uint32_t bit = e2e_out_bit(e->cfg.originator);
    if (r->start_seq_no < 0 || r->end_seq_no < r->start_seq_no ||
        ((uint32_t)r->start_seq_no & 1u) != bit || ((uint32_t)r->end_seq_no & 1u) != bit)
        return e2e_fail(e, MT_E_E2E_RESEND_RANGE, true);
    uint32_t from = (uint32_t)r->start_seq_no >> 1, to = (uint32_t)r->end_seq_no >> 1;
    if (to >= e->out_raw || e->out_raw - from > E2E_HISTORY)
        return e2e_fail(e, MT_E_E2E_RESEND_RANGE, true);
    e2e_event ev = {.kind = E2E_EV_RESEND_REQUESTED,
                    .seq_start = r->start_seq_no,
                    .seq_end = r->end_seq_no,
                    .peer_asked = true};
    e2e_emit(e, &ev);
    for (uint32_t raw = from; raw <= to; raw++) {
        const e2e_stored *h = &e->hist[raw % E2E_HISTORY];
        int err = e2e_send_stored(e, h->obj, h->len);
        if (err)
            return err;
    }
    return 0;
}

static int handle_text(e2e *e, tl_str text)
{
    if (text.len > E2E_TEXT_MAX)
        return e2e_fail(e, MT_E_E2E_TEXT_TOO_LONG, false);
    e2e_event ev = {.kind = E2E_EV_MESSAGE, .text = (const char *)text.p, .len = text.len};
    e2e_emit(e, &ev);
    return 0;
}

static int handle_action(e2e *e, const tl_obj *action)
{
    const e2e_decryptedMessageActionResend *r = e2e_as_decryptedMessageActionResend(action);
    if (r)
        return answer_resend(e, r);
    const e2e_decryptedMessageActionNotifyLayer *nl =
        e2e_as_decryptedMessageActionNotifyLayer(action);
    if (nl) {
        if (nl->layer < E2E_LAYER_MIN)
            return e2e_fail(e, MT_E_E2E_LAYER_TOO_LOW, true);
        if (nl->layer > e->peer_layer)
            e->peer_layer = nl->layer;
        return 0;
    }
    /* Re-keying actions; typing, read receipts, Noop and the like need nothing here. */
    return e2e_rekey_action(e, action);
}

static int handle_message(e2e *e, const tl_obj *msg)
{
    const e2e_decryptedMessage *m = e2e_as_decryptedMessage(msg);
    if (m)
        return handle_text(e, m->message);
    const e2e_decryptedMessage46 *m46 = e2e_as_decryptedMessage46(msg);
    if (m46)
        return handle_text(e, m46->message);
    const e2e_decryptedMessageService *s = e2e_as_decryptedMessageService(msg);
    if (s)
        return handle_action(e, &s->action);
    /* Layer-8 and layer-23 messages do not belong in a chat created at layer >= 46. */
    return e2e_fail(e, MT_E_E2E_LAYER_MALFORMED, false);
}

int e2e_recv_encrypted(e2e *e, const uint8_t *data, size_t n)
{
    const e2e_key *k = key_for(e, data, n);
    size_t off, len;
    int err = e2e_open(k->key, e2e_x_in(e), data, n, e->rx, sizeof e->rx, &off, &len);
    if (err)
        return err == MT_E_no_space ? err : e2e_fail(e, err, false);
    if (k == &e->cur) {
        e->uses++;
        /* The peer uses the new key: nothing under the old one can follow on an ordered relay. */
        if (e->old.set)
            ct_wipe(&e->old, sizeof e->old);
    }
    err = process_layer(e, e->rx + off, len);
    ct_wipe(e->rx, n - 24);
    if (!err && e->st == ST_CHAT)
        err = drain(e);
    return err;
}
