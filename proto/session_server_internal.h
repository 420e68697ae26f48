/* Internal: the server engine's service-message handlers (proto/session_server_svc.c). */
#ifndef MTPROOF_PROTO_SESSION_SERVER_INTERNAL_H
#define MTPROOF_PROTO_SESSION_SERVER_INTERNAL_H

#include "proto/session_internal.h"

/* Answers one accepted client message whose (unpacked) body is body[0..len). */
MT_WUR int server_dispatch(sess_server *s, const mt_msg *m, const uint8_t *body, size_t len,
                           sess_out *out);
/* rpc_result {req_msg_id, rpc_error {code, message}}. */
MT_WUR int server_rpc_error(sess_server *s, uint64_t req_msg_id, int32_t code, const char *text,
                            sess_out *out);

#endif
