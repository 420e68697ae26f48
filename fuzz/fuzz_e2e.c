/*
 * Target: the end-to-end engine's input path (proto/e2e.h): e2e_feed → the envelope decoder,
 * e2e_open (proto/e2e_crypt.c), the decryptedMessageLayer checks and seq rules, gap holding,
 * resend answers and the re-keying actions (proto/e2e_recv.c, proto/e2e_rekey.c).
 * Setup (once): two engines agree on a key in-process; their states are snapshotted and each
 * input starts from the snapshot.
 * Input: up to 32 records, each flags (1) ‖ length (2, little-endian) ‖ bytes. Flags: bit 0 —
 * feed the other side (else the originator); bit 1 — the bytes are a plaintext object the target
 * seals with the chat key and the right x, wrapped as e2e.encrypted (so a normal build reaches
 * the layer parser); else they are a whole envelope; bit 2, fuzzer mode only: skip the msg_key
 * check of e2e_open; bit 3 — the record is an action on that side instead, chosen by bits 4-6:
 * 0 deliver the oldest envelope the other side wrote (since the snapshot), 1 e2e_rekey,
 * 2 e2e_send_text with the record's bytes, 3 advance the virtual clock by E2E_OLD_KEY_NS and
 * e2e_tick, 4 e2e_discard, 5 drop the other side's oldest envelope (a loss), 6 deliver its newest
 * one (a reordering), 7 deliver its oldest one and keep it (a repeat). So inputs walk whole
 * re-keys (request, accept, commit; both sides at once) with the engines' own messages.
 * The engines' outputs are queued, 8 a side (later ones are lost).
 * Property: never crashes; every result is 0, a rule of the catalogue, or e2e_closed (an action:
 * also e2e_not_ready); every ERROR event names a rule; a closed engine stays closed.
 */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "crypto/drbg.h"
#include "proto/e2e_internal.h"
#include "proto/tl_rly.h"

enum { MAX_RECORDS = 32, OUTQ = 8 };

static mt_drbg rngs[2];
static e2e *live[2];
static e2e *pristine[2];
static uint8_t queue[2][4][E2E_ENVELOPE_MAX];
static size_t queue_len[2][4], queue_n[2];
static bool setting_up;
/* What each side wrote since the snapshot, oldest first (the actions deliver it). */
static uint8_t outq[2][OUTQ][E2E_ENVELOPE_MAX];
static size_t outq_len[2][OUTQ], outq_n[2];
static mt_vclock vclock;

static void on_event(void *ctx, const e2e_event *ev)
{
    (void)ctx;
    if (ev->kind == E2E_EV_ERROR && !mt_rule_of(ev->rule))
        abort();
}

static int on_output(void *ctx, const uint8_t *env, size_t n)
{
    size_t side = (size_t)(uintptr_t)ctx;
    if (setting_up && queue_n[side] < 4) {
        memcpy(queue[side][queue_n[side]], env, n);
        queue_len[side][queue_n[side]++] = n;
    } else if (!setting_up && outq_n[side] < OUTQ && n <= E2E_ENVELOPE_MAX) {
        memcpy(outq[side][outq_n[side]], env, n);
        outq_len[side][outq_n[side]++] = n;
    }
    return 0;
}

static void setup(void)
{
    setting_up = true;
    vclock_init(&vclock, 1707425105ull * NS_PER_S);
    for (size_t i = 0; i < 2; i++) {
        drbg_init_u64(&rngs[i], 77 + i);
        e2e_config cfg = {.originator = i == 0,
                          .rng = &rngs[i].rng,
                          .clock = &vclock.clock,
                          .on_event = on_event,
                          .on_output = on_output,
                          .ctx = (void *)(uintptr_t)i};
        if (e2e_new(&live[i], &cfg) || e2e_new(&pristine[i], &cfg))
            abort();
    }
    if (e2e_start(live[0]) || queue_n[0] != 1 || e2e_feed(live[1], queue[0][0], queue_len[0][0]) ||
        queue_n[1] != 1 || e2e_feed(live[0], queue[1][0], queue_len[1][0]) || !e2e_ready(live[0]))
        abort();
    for (size_t i = 0; i < 2; i++)
        memcpy(pristine[i], live[i], sizeof(e2e));
    setting_up = false;
}

static void check(int err)
{
    if (err && err != MT_E_e2e_closed && !mt_rule_of(err))
        abort();
}

/* Seals obj (a multiple of 4 is not required: the tail is cut) under t's key and feeds it. */
static int feed_sealed(e2e *t, const uint8_t *obj, size_t n)
{
    static uint8_t data[E2E_DATA_MAX], env[E2E_ENVELOPE_MAX];
    static const uint8_t pad[E2E_PAD_MAX];
    n &= ~(size_t)3;
    if (n > E2E_LAYER_OBJ_MAX)
        n = E2E_LAYER_OBJ_MAX;
    size_t pad_len = E2E_PAD_MIN + (16 - (4 + n + E2E_PAD_MIN) % 16) % 16, len;
    /* The peer of t sends with t's incoming x. */
    if (e2e_seal(t->cur.key, e2e_x_in(t), obj, n, pad, pad_len, data, sizeof data, &len))
        abort();
    rly_e2e_encrypted m = {.data = {data, len}};
    tl_obj o = rly_obj_e2e_encrypted(&m);
    mt_wr w = wr_init(env, sizeof env);
    if (tl_encode(&w, &o) || w.err)
        abort();
    return e2e_feed(t, env, wr_len(&w));
}

/* Removes envelope i of side's queue. */
static void outq_remove(size_t side, size_t i)
{
    for (size_t j = i + 1; j < outq_n[side]; j++) {
        memcpy(outq[side][j - 1], outq[side][j], outq_len[side][j]);
        outq_len[side][j - 1] = outq_len[side][j];
    }
    outq_n[side]--;
}

/* Delivers envelope i (the oldest 0, or the newest) the peer of `side` wrote to side; keep leaves
 * it queued (a repeat). */
static int deliver(size_t side, bool newest, bool keep)
{
    static uint8_t env[E2E_ENVELOPE_MAX];
    size_t peer = side ^ 1;
    if (!outq_n[peer])
        return 0;
    size_t i = newest ? outq_n[peer] - 1 : 0, n = outq_len[peer][i];
    memcpy(env, outq[peer][i], n); /* feeding may queue more output */
    if (!keep)
        outq_remove(peer, i);
    return e2e_feed(live[side], env, n);
}

/* An action record on side (flags bit 3). */
static int act(size_t side, unsigned action, const uint8_t *data, size_t n)
{
    e2e *t = live[side];
    switch (action) {
    case 0:
        return deliver(side, false, false);
    case 1:
        return e2e_rekey(t);
    case 2:
        return e2e_send_text(t, (const char *)data, n > E2E_TEXT_MAX ? E2E_TEXT_MAX : n);
    case 3:
        vclock_advance(&vclock, E2E_OLD_KEY_NS);
        e2e_tick(t);
        return 0;
    case 4:
        return e2e_discard(t, "fuzz");
    case 5:
        if (outq_n[side ^ 1])
            outq_remove(side ^ 1, 0);
        return 0;
    case 6:
        return deliver(side, true, false);
    default:
        return deliver(side, false, true);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!live[0])
        setup();
    for (size_t i = 0; i < 2; i++)
        memcpy(live[i], pristine[i], sizeof(e2e));
    outq_n[0] = outq_n[1] = 0;
    vclock_init(&vclock, 1707425105ull * NS_PER_S);
    for (size_t r = 0; r < MAX_RECORDS && size >= 3; r++) {
        unsigned flags = data[0];
        size_t n = ld16le(data + 1);
        data += 3;
        size -= 3;
        if (n > size)
            n = size;
        e2e *t = live[flags & 1];
        bool was_closed = e2e_closed(t);
#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
        e2e_fuzzing_skip_msg_key((flags & 4) != 0);
#endif
        int err;
        if (flags & 8) {
            err = act(flags & 1, (flags >> 4) & 7, data, n);
            if (err == MT_E_e2e_not_ready)
                err = 0;
        } else {
            err = (flags & 2) && !was_closed ? feed_sealed(t, data, n) : e2e_feed(t, data, n);
        }
        check(err);
        if (was_closed && !e2e_closed(t))
            abort();
        if (was_closed && !(flags & 8) && err != MT_E_e2e_closed)
            abort();
        data += n;
        size -= n;
    }
    return 0;
}
