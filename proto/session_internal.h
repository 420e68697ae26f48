/* Internal helpers shared by the session engines (proto/session.c, session_server*.c,
 * session_client.c). Not a public API. */
#ifndef MTPROOF_PROTO_SESSION_INTERNAL_H
#define MTPROOF_PROTO_SESSION_INTERNAL_H

#include "common/cursor.h"
#include "common/endian.h"
#include "proto/session.h"

void core_init(sess_core *k, const mt_clock *clock, mt_rng *rng, bool server, uint8_t *work,
               size_t work_cap);
/* A new session: ids received, pending acks, kept messages and the seqno counter start over. */
void core_reset_session(sess_core *k);
/* Server time now, by the generator's offset (a server's offset is 0). */
uint64_t core_now(const sess_core *k);

/* Where the next body goes in out, and how much room is left. */
uint8_t *core_begin(sess_out *o, size_t *room);
/* Completes the body of len bytes written at core_begin: gives it a msg_id (a server answer when
 * response) and a seqno, keeps it when content-related, and returns its id. */
MT_WUR int core_commit(sess_core *k, sess_out *o, bool response, size_t len, uint64_t *id);
/* core_begin + copy + core_commit. */
MT_WUR int core_emit(sess_core *k, sess_out *o, bool response, const uint8_t *body, size_t len,
                     uint64_t *id);
/* Appends a message as it is (a resend keeping its id and seqno). */
MT_WUR int core_emit_raw(sess_out *o, uint64_t id, uint32_t seqno, const uint8_t *body, size_t len);

/* Queues an ack for a received content-related message; more than SESS_ACK_BATCH are sent at
 * once. */
MT_WUR int core_ack(sess_core *k, sess_out *o, uint64_t id);
MT_WUR int core_ack_flush(sess_core *k, sess_out *o);
/* Sends the pending acks when the oldest has waited SESS_ACK_DELAY_NS. */
MT_WUR int core_tick(sess_core *k, sess_out *o);

sess_stored *core_store_find(sess_core *k, uint64_t id);
/* The body of a kept message (e->len bytes). */
static inline uint8_t *core_store_body(sess_core *k, const sess_stored *e)
{
    return k->arena + e->off;
}
void core_store_drop(sess_core *k, sess_stored *e);
/* Whether this engine sent id recently (kept, or in the ring of other sends). */
bool core_sent_recently(sess_core *k, uint64_t id);
/* Unpacks a gzip_packed body into the work buffer. */
MT_WUR int core_gunzip(sess_core *k, const uint8_t *body, size_t len, const uint8_t **out,
                       size_t *out_len);

/* A boxed Vector<long> of msg_ids read in place: ACK_TOO_MANY_IDS over SESS_MAX_IDS,
 * MSG_BODY_MALFORMED when it does not fill the rest of r. */
typedef struct sess_ids {
    const uint8_t *p;
    uint32_t n;
} sess_ids;
MT_WUR int sess_rd_ids(mt_rd *r, sess_ids *ids);
static inline uint64_t sess_id_at(const sess_ids *v, uint32_t i)
{
    return ld64le(v->p + 8 * (size_t)i);
}

/* The client's reaction to one accepted server message (session_client.c). */
MT_WUR int client_dispatch(sess_client *c, const mt_msg *m, const uint8_t *body, size_t len,
                           sess_out *out);

static inline uint32_t body_id(const uint8_t *body, size_t len)
{
    return len >= 4 ? ld32le(body) : 0;
}

#endif
