/*
 * msg_container (page service_messages; spec/mtproto-notes.md §3):
 *   msg_container#73f1f8dc messages:vector<%Message> = MessageContainer;
 *   message msg_id:long seqno:int bytes:int body:Object = Message;
 * "A container holds at most 1024 messages. Every inner msg_id < the container's msg_id;
 * containers do not nest; a container needs no ack and is accepted or rejected as a whole; empty
 * containers are allowed."
 *
 * Unpacking copies nothing: each message is a view {msg_id, seqno, body} into the input. It checks
 * the whole container before returning any message, so a container is refused as a whole.
 */
#ifndef MTPROOF_PROTO_CONTAINER_H
#define MTPROOF_PROTO_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "common/cursor.h"
#include "common/err.h"

/* "A container holds at most 1024 messages." */
#define CONTAINER_MAX_MESSAGES 1024u
/* Bytes of a container around its messages (id, count) and of each message's header. */
#define CONTAINER_HEADER_SIZE  8u
#define CONTAINER_MSG_HDR_SIZE 16u

/* A decrypted message: the msg_id, seqno and body of the framing layer, or of a container. */
typedef struct mt_msg {
    uint64_t msg_id;
    uint32_t seqno;
    const uint8_t *body;
    size_t len;
} mt_msg;

/* Unpacks the container whose whole body is body[0..len) (starting with its id) sent with
 * (container_id, container_seqno). On success out[0..*n) are the messages (cap must be at least
 * CONTAINER_MAX_MESSAGES to take any valid container). Rules:
 *   CONTAINER_INVALID      not a container, truncated, trailing bytes, a length not a multiple
 *                          of 4 or under 4 (no constructor id);
 *   CONTAINER_TOO_MANY     more than 1024 messages (before anything is read);
 *   CONTAINER_NESTED       a message is itself a msg_container;
 *   CONTAINER_INNER_ID_NOT_BELOW  an inner msg_id >= container_id;
 *   CONTAINER_SEQNO_BELOW_INNER   an inner seqno > container_seqno.
 * no_space when cap is too small for a valid container. */
MT_WUR int container_unpack(const uint8_t *body, size_t len, uint64_t container_id,
                            uint32_t container_seqno, mt_msg *out, size_t cap, size_t *n);

/* Writes msg_container with msgs[0..n) to w. It checks nothing (a conformance tool builds wrong
 * containers on purpose); container_unpack tells whether the result is valid. */
MT_WUR int container_pack(mt_wr *w, const mt_msg *msgs, size_t n);

/* Bytes container_pack writes for these messages. */
size_t container_size(const mt_msg *msgs, size_t n);

#endif
