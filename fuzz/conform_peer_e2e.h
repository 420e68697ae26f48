/* fuzz_conform_peer.c: its peer as the harness's room member (the `e2e` steps), so that what the
 * harness reads back (cf_e2e_next, cf_e2e_expect: harness/conform_e2e*.c) is reached with data
 * that opens. The peer watches what the harness sends it: the answer to relay.join and
 * relay.updateReady tell it the room and whether it is the originator; relay.updatePayload brings
 * the harness's e2e.request / e2e.accept. It runs its side of the key exchange with a real DH
 * (crypto/dh.h), so the chat key is agreed, and then seals what the input gives it as
 * e2e.encrypted under that key. It also answers a re-key of the harness (RequestKey: its
 * AcceptKey with a real g_b; CommitKey: the new key is used from then on). The envelopes go to
 * the harness inside relay.send queries.
 */
#ifndef MTPROOF_FUZZ_CONFORM_PEER_E2E_H
#define MTPROOF_FUZZ_CONFORM_PEER_E2E_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/ct.h"
#include "common/cursor.h"
#include "crypto/dh.h"
#include "crypto/prime.h"
#include "proto/e2e.h"
#include "proto/tl.h"
#include "proto/tl_e2e.h"
#include "proto/tl_mtp.h"
#include "proto/tl_rly.h"

#define FZ_BOOL_TRUE 0x997275b5u

typedef struct fz_e2e {
    bool originator; /* the peer is the room's originator */
    bool has_dh, has_key, has_new;
    dh_ctx dh;
    uint8_t key[E2E_KEY_LEN], new_key[E2E_KEY_LEN]; /* new_key: a re-key not yet committed */
    uint32_t out_raw, in_raw; /* layers the peer sealed; layers of the harness it opened */
    uint8_t plain[E2E_DATA_MAX], obj[E2E_LAYER_OBJ_MAX], sealed[E2E_DATA_MAX + 64];
} fz_e2e;

static inline void fz_e2e_wipe(fz_e2e *e)
{
    dh_wipe(&e->dh);
    ct_wipe(e, sizeof *e);
}

/* The peer's half of an exchange: a fresh exponent, its public value in pub. */
static inline bool fz_e2e_dh(fz_e2e *e, mt_rng *rng, uint8_t pub[DH_BYTES])
{
    dh_wipe(&e->dh);
    e->has_dh = dh_init(&e->dh, PRIME_TELEGRAM_DH, DH_BYTES, 3) == 0 &&
                dh_generate(&e->dh, rng, pub) == 0;
    return e->has_dh;
}

/* data = e2e.encrypted of obj (obj_len a multiple of 4) under key, the least padding, into w. */
static inline void fz_e2e_seal(fz_e2e *e, const uint8_t *key, const uint8_t *obj, size_t obj_len,
                               mt_wr *w)
{
    static const uint8_t zero[E2E_PAD_MIN + 16];
    size_t pad = E2E_PAD_MIN + (16 - (4 + obj_len + E2E_PAD_MIN) % 16) % 16, len = 0;
    if (e2e_seal(key, e->originator ? MT_X_CLIENT : MT_X_SERVER, obj, obj_len, zero, pad,
                 e->sealed, sizeof e->sealed, &len) != 0)
        return;
    e->out_raw++;
    wr_u32le(w, RLY_ID_e2e_encrypted);
    tl_wr_string(w, e->sealed, len);
}

/* The peer's AcceptKey of exchange id (g_b, the new key's fingerprint) in a layer, into w. */
static inline void fz_e2e_accept_key(fz_e2e *e, int64_t id, const uint8_t g_b[DH_BYTES], mt_wr *w)
{
    uint8_t random[16] = {0};
    mt_wr o = wr_init(e->obj, sizeof e->obj);
    unsigned bit = e->originator ? 1 : 0; /* the originator sends out_seq_no odd, in even */
    wr_u32le(&o, E2E_ID_decryptedMessageLayer);
    tl_wr_string(&o, random, sizeof random);
    wr_u32le(&o, E2E_LAYER);
    wr_u32le(&o, 2 * e->in_raw + (1 - bit));
    wr_u32le(&o, 2 * e->out_raw + bit);
    wr_u32le(&o, E2E_ID_decryptedMessageService);
    wr_u64le(&o, 0x0102030405060708ull); /* random_id */
    wr_u32le(&o, E2E_ID_decryptedMessageActionAcceptKey);
    wr_u64le(&o, (uint64_t)id);
    tl_wr_string(&o, g_b, DH_BYTES);
    wr_u64le(&o, (uint64_t)e2e_key_fingerprint(e->new_key));
    if (!o.err)
        fz_e2e_seal(e, e->key, e->obj, wr_len(&o), w);
}

/* The harness's e2e.encrypted: opened with the chat key; a RequestKey gets the peer's AcceptKey
 * (in w), a CommitKey of it makes the new key current. */
static inline void fz_e2e_layer_in(fz_e2e *e, const uint8_t *data, size_t n, mt_rng *rng, mt_wr *w)
{
    size_t off = 0, len = 0;
    unsigned x = e->originator ? MT_X_SERVER : MT_X_CLIENT;
    if (!e->has_key || e2e_open(e->key, x, data, n, e->plain, sizeof e->plain, &off, &len) != 0)
        return;
    e->in_raw++;
    mt_rd r = rd_init(e->plain + off, len);
    if (rd_u32le(&r) != E2E_ID_decryptedMessageLayer)
        return;
    tl_rd_string(&r, 0); /* random_bytes */
    rd_u32le(&r), rd_u32le(&r), rd_u32le(&r); /* layer, in_seq_no, out_seq_no */
    if (rd_u32le(&r) != E2E_ID_decryptedMessageService)
        return;
    rd_u64le(&r); /* random_id */
    uint32_t act = rd_u32le(&r);
    int64_t id = (int64_t)rd_u64le(&r);
    uint8_t g_b[DH_BYTES];
    if (act == E2E_ID_decryptedMessageActionRequestKey) {
        tl_str g_a = tl_rd_string(&r, 0);
        if (r.err || !fz_e2e_dh(e, rng, g_b))
            return;
        e->has_new = dh_compute_key(&e->dh, g_a.p, g_a.len, DH_VALUE_GA, e->new_key) == 0;
        dh_wipe(&e->dh);
        e->has_dh = false;
        if (e->has_new)
            fz_e2e_accept_key(e, id, g_b, w);
    } else if (act == E2E_ID_decryptedMessageActionCommitKey && e->has_new && !r.err) {
        memcpy(e->key, e->new_key, E2E_KEY_LEN);
        e->has_new = false;
    }
}

/* An envelope the harness delivered: its e2e.request gets the peer's e2e.accept (written to w,
 * which stays empty otherwise); its e2e.accept of the peer's request gives the key. */
static inline void fz_e2e_envelope(fz_e2e *e, const uint8_t *p, size_t n, mt_rng *rng, mt_wr *w)
{
    mt_rd r = rd_init(p, n);
    uint32_t id = rd_u32le(&r);
    tl_str g = tl_rd_string(&r, 0);
    if (r.err)
        return;
    uint8_t pub[DH_BYTES];
    if (id == RLY_ID_e2e_request && !e->originator && fz_e2e_dh(e, rng, pub)) {
        e->has_key = dh_compute_key(&e->dh, g.p, g.len, DH_VALUE_GA, e->key) == 0;
        wr_u32le(w, RLY_ID_e2e_accept);
        tl_wr_string(w, pub, DH_BYTES);
        wr_u64le(w, (uint64_t)e2e_key_fingerprint(e->key)); /* a failed key: a wrong one */
    } else if (id == RLY_ID_e2e_accept && e->originator && e->has_dh) {
        e->has_key = dh_compute_key(&e->dh, g.p, g.len, DH_VALUE_GB, e->key) == 0;
    } else if (id == RLY_ID_e2e_encrypted) {
        fz_e2e_layer_in(e, g.p, g.len, rng, w);
        return;
    } else {
        return;
    }
    dh_wipe(&e->dh);
    e->has_dh = false;
}

/* One message body from the harness (the body of an encrypted message): what the peer learns
 * from it, and the envelope it answers with in w (empty when none). */
static inline void fz_e2e_seen(fz_e2e *e, const uint8_t *body, size_t n, mt_rng *rng, mt_wr *w)
{
    mt_rd r = rd_init(body, n);
    uint32_t id = rd_u32le(&r);
    bool start = false;
    if (id == MTP_ID_rpc_result) {
        rd_u64le(&r); /* req_msg_id */
        uint32_t res = rd_u32le(&r);
        uint32_t flags = rd_u32le(&r);
        tl_rd_string(&r, 0); /* room */
        if (flags & 1)
            tl_rd_string(&r, 0); /* redirected_from */
        if (res == RLY_ID_relay_joinedReady && !r.err) {
            e->originator = rd_u32le(&r) == FZ_BOOL_TRUE;
            start = e->originator;
        }
    } else if (id == RLY_ID_relay_updateReady) {
        tl_rd_string(&r, 0);
        e->originator = rd_u32le(&r) == FZ_BOOL_TRUE;
        start = e->originator && !r.err;
    } else if (id == RLY_ID_relay_updatePayload) {
        tl_rd_string(&r, 0);
        tl_str env = tl_rd_string(&r, 0);
        if (!r.err)
            fz_e2e_envelope(e, env.p, env.len, rng, w);
        return;
    }
    uint8_t pub[DH_BYTES];
    if (start && !r.err && fz_e2e_dh(e, rng, pub)) {
        e->has_key = false;
        wr_u32le(w, RLY_ID_e2e_request);
        tl_wr_string(w, pub, DH_BYTES);
    }
}

/* The envelope of an E2E record into w: p[0] bit 0 set, the bytes after it as they are; else
 * they are a decryptedMessageLayer (cut to whole 4-byte words) sealed under the chat key (before one
 * is agreed: zeros, or what a failed exchange left) as e2e.encrypted, with the least padding. */
static inline void fz_e2e_record(fz_e2e *e, const uint8_t *p, size_t n, mt_wr *w)
{
    if (n < 1)
        return;
    if (p[0] & 1) {
        wr_bytes(w, p + 1, n - 1);
        return;
    }
    size_t obj = (n - 1) & ~(size_t)3;
    if (obj <= E2E_LAYER_OBJ_MAX)
        fz_e2e_seal(e, e->key, p + 1, obj, w);
}

#endif
