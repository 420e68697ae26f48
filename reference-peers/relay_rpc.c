/* The relay's RPC handler (a sess_rpc_fn): the wrappers third-party clients put around their
 * first query (invokeWithLayer, initConnection, invokeWithoutUpdates: unwrapped, the inner query
 * answered), help.getConfig (a well-formed minimal Config naming this relay as DC 2),
 * help.getNearestDc, then the bind gate (proto/bind.h: auth.bindTempAuthKey, unbound temporary
 * keys) in front of the relay.* methods. Every other method is unimplemented: the session engine
 * answers rpc_error 400 INPUT_METHOD_INVALID, never silence. */
#include <string.h>

#include "common/cursor.h"
#include "common/endian.h"
#include "proto/tl.h"
#include "proto/tl_api.h"
#include "proto/tl_mtp.h"
#include "reference-peers/relay_internal.h"
#include "reference-peers/setup_answers.h"

int relay_rpc_error(int32_t code, const char *text, uint8_t *out, size_t cap, size_t *out_len)
{
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, MTP_ID_rpc_error);
    tl_wr_int(&w, code);
    tl_wr_string(&w, (const uint8_t *)text, strlen(text));
    *out_len = wr_len(&w);
    return w.err;
}

/* updates.getState (reached through relay_api, after the bind gate): the minimal state. */
int relay_updates_state(relay *r, uint8_t *out, size_t cap, size_t *out_len)
{
    setup_server s = {(int32_t)(relay_now(r) / NS_PER_S), r->cfg.dc_ip, r->cfg.dc_port};
    static const uint8_t get_state[4] = {0x2a, 0x88, 0xd4, 0xed}; /* updates.getState#edd4882a */
    return setup_answer(&s, get_state, sizeof get_state, out, cap, out_len);
}

int relay_rpc(void *ctx, uint64_t req_msg_id, const uint8_t *query, size_t len, uint8_t *out,
              size_t cap, size_t *out_len)
{
    relay_sess *s = ctx;
    relay *r = s->r;
    *out_len = 0;
    setup_unwrap(&query, &len);
    uint32_t id = len >= 4 ? ld32le(query) : 0;
    relay_log(r, RELAY_LOG_DEBUG, s->conn->id, "query %08x", id);
    setup_server srv = {(int32_t)(relay_now(r) / NS_PER_S), r->cfg.dc_ip, r->cfg.dc_port};
    if (id == API_ID_help_getConfig || id == API_ID_help_getNearestDc)
        return setup_answer(&srv, query, len, out, cap, out_len);
    r->bind.next_ctx = s; /* the gate's handler serves this session */
    return mt_bind_gate_rpc(&s->gate, req_msg_id, query, len, out, cap, out_len);
}
