/*
 * Sending (mtproto-notes §8; api/end-to-end, api/end-to-end/seq_no): every message, service ones
 * included, is a decryptedMessageLayer with fresh random_bytes, our layer and the seq numbers
 * "assigned when a message is created and never changed"; it is kept (serialized) so a resend
 * request can be answered, and encrypted under the key current at sending time.
 */
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "proto/e2e_internal.h"
#include "proto/tl_e2e.h"
#include "proto/tl_rly.h"

enum { BLOCK = 16, PAD_RANDOM_BLOCKS = 4 };

/* Seq numbers in wire form: 2·raw + bit, the bits from the api/end-to-end/seq_no table. */
static int32_t wire_out(const e2e *e)
{
    return (int32_t)(2u * e->out_raw + e2e_out_bit(e->cfg.originator));
}
static int32_t wire_in(const e2e *e)
{
    return (int32_t)(2u * e->in_raw + (1u - e2e_out_bit(e->cfg.originator)));
}

/* Serializes the next message into e->obj (*len bytes). */
static int build_layer(e2e *e, const char *text, size_t len, const tl_obj *action, size_t *n)
{
    uint8_t rnd[E2E_RANDOM_BYTES + 8];
    int err = rng_fill(e->cfg.rng, rnd, sizeof rnd);
    if (err)
        return err;
    int64_t random_id = (int64_t)ld64le(rnd + E2E_RANDOM_BYTES);
    e2e_decryptedMessage m = {.random_id = random_id, .message = {(const uint8_t *)text, len}};
    e2e_decryptedMessageService s = {.random_id = random_id};
    tl_obj msg;
    if (action) {
        s.action = *action;
        msg = e2e_obj_decryptedMessageService(&s);
    } else {
        msg = e2e_obj_decryptedMessage(&m);
    }
    e2e_decryptedMessageLayer l = {.random_bytes = {rnd, E2E_RANDOM_BYTES},
                                   .layer = e->layer,
                                   .in_seq_no = wire_in(e),
                                   .out_seq_no = wire_out(e),
                                   .message = msg};
    tl_obj o = e2e_obj_decryptedMessageLayer(&l);
    mt_wr w = wr_init(e->obj, sizeof e->obj);
    err = tl_encode(&w, &o);
    if (!err)
        err = w.err;
    *n = err ? 0 : wr_len(&w);
    ct_wipe(rnd, sizeof rnd);
    return err;
}

int e2e_send_stored(e2e *e, const uint8_t *obj, size_t len)
{
    /* "12..1024 random padding, total a multiple of 16": the least that aligns, plus a few
     * random blocks so lengths do not give the text length away exactly. */
    uint8_t pad[E2E_PAD_MIN + BLOCK * (PAD_RANDOM_BLOCKS + 1)];
    uint8_t r;
    int err = rng_fill(e->cfg.rng, &r, 1);
    if (err)
        return err;
    size_t pad_len = E2E_PAD_MIN + (BLOCK - (4 + len + E2E_PAD_MIN) % BLOCK) % BLOCK +
                     BLOCK * (r % (PAD_RANDOM_BLOCKS + 1));
    err = rng_fill(e->cfg.rng, pad, pad_len);
    size_t n = 0;
    if (!err)
        err =
            e2e_seal(e->cur.key, e2e_x_out(e), obj, len, pad, pad_len, e->data, sizeof e->data, &n);
    ct_wipe(pad, sizeof pad);
    if (err)
        return err;
    e->uses++;
    rly_e2e_encrypted m = {.data = {e->data, n}};
    tl_obj o = rly_obj_e2e_encrypted(&m);
    return e2e_send_envelope(e, &o);
}

int e2e_send_obj(e2e *e, const char *text, size_t len, const tl_obj *action)
{
    size_t n;
    int err = build_layer(e, text, len, action, &n);
    if (err)
        return err;
    e2e_stored *h = &e->hist[e->out_raw % E2E_HISTORY];
    memcpy(h->obj, e->obj, n);
    h->len = n;
    h->raw = e->out_raw;
    h->used = true;
    e->out_raw++;
    err = e2e_send_stored(e, e->obj, n);
    ct_wipe(e->obj, n);
    return err;
}

int e2e_send_text(e2e *e, const char *text, size_t len)
{
    if (e->st == ST_CLOSED)
        return MT_E_e2e_closed;
    if (e->st != ST_CHAT)
        return MT_E_e2e_not_ready;
    if (len > E2E_TEXT_MAX)
        return MT_E_bad_argument;
    /* "start it once the key has been used for more than 100 messages" (api/end-to-end/pfs) */
    if (e->uses >= e->rekey_every && e->rk == RK_NONE) {
        int err = e2e_rekey(e);
        if (err)
            return err;
    }
    return e2e_send_obj(e, text, len, NULL);
}
