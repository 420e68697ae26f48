/* What both session engines share: the output sink, msg_id and seqno assignment, acks, the store
 * of messages kept for resends, and reading id vectors (proto/session.h). */
#include <stddef.h>
#include <string.h>

#include "proto/gzip.h"
#include "proto/session_internal.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"

void sess_out_init(sess_out *o, uint8_t *buf, size_t cap, mt_msg *msgs, size_t max)
{
    *o = (sess_out){.buf = buf, .cap = cap, .msgs = msgs, .max = max};
}

void sess_out_clear(sess_out *o)
{
    o->used = 0;
    o->n = 0;
}

void core_init(sess_core *k, const mt_clock *clock, mt_rng *rng, bool server, uint8_t *work,
               size_t work_cap)
{
    memset(k, 0, offsetof(sess_core, arena)); /* the arena is read only where written */
    k->clock = clock;
    k->rng = rng;
    k->server = server;
    k->work = work;
    k->work_cap = work ? work_cap : 0;
    msgid_gen_init(&k->gen);
    sess_window_init(&k->seen);
}

void core_reset_session(sess_core *k)
{
    k->sent_count = 0;
    sess_window_init(&k->seen);
    k->nacks = 0;
    k->nstore = 0;
    k->arena_used = 0;
}

uint64_t core_now(const sess_core *k)
{
    return msgid_server_ns(&k->gen, k->clock);
}

uint8_t *core_begin(sess_out *o, size_t *room)
{
    *room = o->cap - o->used;
    return o->buf + o->used;
}

/* Keeps a content-related message for resends and matching. A full store forgets its oldest
 * acked entry, or (server) its oldest entry; a client with every entry unanswered refuses. */
static int store_keep(sess_core *k, uint64_t id, uint32_t seqno, const uint8_t *body, size_t len)
{
    if (len > SESS_STORE_BODY_MAX)
        return k->server ? MT_OK : MT_E_limit_exceeded;
    if (k->nstore == SESS_STORE_MAX) {
        uint32_t victim = 0;
        while (victim < k->nstore && !k->store[victim].acked)
            victim++;
        if (victim == k->nstore) {
            if (!k->server)
                return MT_E_limit_exceeded;
            victim = 0;
        }
        core_store_drop(k, &k->store[victim]);
    }
    /* SESS_STORE_MAX bodies of at most SESS_STORE_BODY_MAX fit the arena: after a drop above
     * at most SESS_STORE_MAX - 1 are kept, so arena_used + len <= sizeof arena. */
    sess_stored *e = &k->store[k->nstore++];
    e->msg_id = id;
    e->seqno = seqno;
    e->len = (uint32_t)len;
    e->off = k->arena_used;
    e->acked = false;
    memcpy(k->arena + e->off, body, len);
    k->arena_used += (uint32_t)len;
    return MT_OK;
}

int core_commit(sess_core *k, sess_out *o, bool response, size_t len, uint64_t *id)
{
    if (o->n == o->max || len > o->cap - o->used)
        return MT_E_no_space;
    const uint8_t *body = o->buf + o->used;
    /* One predicate with the client's check of the server's parity (sess_check_server_seqno):
     * server notifications that "need no ack" are not content-related. A client never sends
     * those, so it serves both engines. */
    bool cr = sess_server_content_related(body_id(body, len));
    enum msgid_kind kind = !k->server ? MSGID_CLIENT
                           : response ? MSGID_SERVER_RESPONSE
                                      : MSGID_SERVER_OTHER;
    uint64_t msg_id;
    int err = msgid_next(&k->gen, k->clock, k->rng, kind, &msg_id);
    if (err)
        return err;
    uint32_t seqno = cr ? 2 * k->sent_count + 1 : 2 * k->sent_count;
    if (cr) {
        err = store_keep(k, msg_id, seqno, body, len);
        if (err)
            return err;
        k->sent_count++;
    } else {
        k->sent_ring[k->sent_pos++ % SESS_SENT_RING] = msg_id;
    }
    o->msgs[o->n++] = (mt_msg){.msg_id = msg_id, .seqno = seqno, .body = body, .len = len};
    o->used += len;
    if (id)
        *id = msg_id;
    return MT_OK;
}

int core_emit(sess_core *k, sess_out *o, bool response, const uint8_t *body, size_t len,
              uint64_t *id)
{
    size_t room;
    uint8_t *p = core_begin(o, &room);
    if (len > room)
        return MT_E_no_space;
    memmove(p, body, len);
    return core_commit(k, o, response, len, id);
}

int core_emit_raw(sess_out *o, uint64_t id, uint32_t seqno, const uint8_t *body, size_t len)
{
    if (o->n == o->max || len > o->cap - o->used)
        return MT_E_no_space;
    uint8_t *p = o->buf + o->used;
    memmove(p, body, len);
    o->msgs[o->n++] = (mt_msg){.msg_id = id, .seqno = seqno, .body = p, .len = len};
    o->used += len;
    return MT_OK;
}

int core_ack(sess_core *k, sess_out *o, uint64_t id)
{
    if (k->nacks == 0)
        k->acks_since_ns = clock_now(k->clock);
    k->acks[k->nacks++] = id;
    return k->nacks > SESS_ACK_BATCH ? core_ack_flush(k, o) : MT_OK;
}

int core_ack_flush(sess_core *k, sess_out *o)
{
    if (k->nacks == 0)
        return MT_OK;
    size_t room;
    uint8_t *p = core_begin(o, &room);
    mt_wr w = wr_init(p, room);
    wr_u32le(&w, MTP_ID_msgs_ack);
    tl_wr_vector(&w, true, k->nacks);
    for (uint32_t i = 0; i < k->nacks; i++)
        tl_wr_long(&w, (int64_t)k->acks[i]);
    if (w.err)
        return w.err;
    int err = core_commit(k, o, false, wr_len(&w), NULL);
    if (err)
        return err;
    for (uint32_t i = 0; i < k->nacks; i++) {
        sess_seen *s = sess_window_find(&k->seen, k->acks[i]);
        if (s)
            s->state |= SEEN_ACKED;
    }
    k->nacks = 0;
    return MT_OK;
}

int core_tick(sess_core *k, sess_out *o)
{
    if (k->nacks && clock_now(k->clock) - k->acks_since_ns >= SESS_ACK_DELAY_NS)
        return core_ack_flush(k, o);
    return MT_OK;
}

sess_stored *core_store_find(sess_core *k, uint64_t id)
{
    for (uint32_t i = 0; i < k->nstore; i++)
        if (k->store[i].msg_id == id)
            return &k->store[i];
    return NULL;
}

void core_store_drop(sess_core *k, sess_stored *e)
{
    size_t i = (size_t)(e - k->store);
    uint32_t off = e->off, len = e->len;
    k->sent_ring[k->sent_pos++ % SESS_SENT_RING] = e->msg_id;
    /* Bodies are packed in store order: the later ones move down by len. */
    memmove(k->arena + off, k->arena + off + len, k->arena_used - off - len);
    k->arena_used -= len;
    memmove(&k->store[i], &k->store[i + 1], (k->nstore - i - 1) * sizeof k->store[0]);
    k->nstore--;
    for (size_t j = i; j < k->nstore; j++)
        k->store[j].off -= len;
}

bool core_sent_recently(sess_core *k, uint64_t id)
{
    if (core_store_find(k, id))
        return true;
    for (uint32_t i = 0; i < SESS_SENT_RING; i++)
        if (k->sent_ring[i] == id && id != 0)
            return true;
    return false;
}

int core_gunzip(sess_core *k, const uint8_t *body, size_t len, const uint8_t **out, size_t *out_len)
{
    *out = k->work;
    return gzip_packed_unpack(body, len, k->work, k->work_cap, out_len);
}

int sess_rd_ids(mt_rd *r, sess_ids *ids)
{
    ids->n = 0;
    uint32_t vid = rd_u32le(r);
    uint32_t n = rd_u32le(r);
    if (r->err || vid != TL_ID_VECTOR)
        return MT_E_MSG_BODY_MALFORMED;
    if (n > SESS_MAX_IDS)
        return MT_E_ACK_TOO_MANY_IDS;
    if (rd_left(r) != 8 * (size_t)n)
        return MT_E_MSG_BODY_MALFORMED;
    ids->p = rd_bytes(r, 8 * (size_t)n);
    ids->n = n;
    return MT_OK;
}
