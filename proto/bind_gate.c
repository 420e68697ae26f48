/* The server's gate for temporary keys (proto/bind.h): what an unbound temporary key may call,
 * auth.bindTempAuthKey itself, and the help.getConfig / help.getNearestDc answers (api/pfs: "an
 * unbound temp key may only call auth.bindTempAuthKey, help.getConfig and help.getNearestDc"). */
#include <string.h>

#include "common/cursor.h"
#include "common/endian.h"
#include "proto/bind.h"
#include "proto/tl.h"
#include "proto/tl_api.h"
#include "proto/tl_mtp.h"
#include "proto/tl_obj.h"

/* A Config is valid for an hour; the client asks again after `expires`. */
#define BIND_CONFIG_TTL_S 3600

bool mt_bind_rule_error(int rule, int32_t *code, const char **text)
{
    *code = 400;
    switch (rule) {
    case MT_E_BIND_TEMP_KEY_EMPTY:
        *text = "TEMP_AUTH_KEY_EMPTY";
        return true;
    case MT_E_BIND_QUERY_MALFORMED:
        *text = "INPUT_FETCH_ERROR";
        return true;
    case MT_E_BIND_EXPIRES_AT_INVALID:
        *text = "EXPIRES_AT_INVALID";
        return true;
    case MT_E_BIND_TEMP_KEY_ALREADY_BOUND:
        *text = "TEMP_AUTH_KEY_ALREADY_BOUND";
        return true;
    case MT_E_BIND_UNBOUND_METHOD:
        *code = 401;
        *text = "AUTH_KEY_PERM_EMPTY";
        return true;
    /* Every check of encrypted_message gives the same answer: no oracle on which one failed. */
    case MT_E_BIND_PERM_KEY_UNKNOWN:
    case MT_E_BIND_ENCRYPTED_LENGTH:
    case MT_E_BIND_MSG_KEY:
    case MT_E_BIND_INNER_MALFORMED:
    case MT_E_BIND_MSG_ID_MISMATCH:
    case MT_E_BIND_TEMP_KEY_MISMATCH:
    case MT_E_BIND_PERM_ID_MISMATCH:
    case MT_E_BIND_SESSION_MISMATCH:
    case MT_E_BIND_NONCE_MISMATCH:
    case MT_E_BIND_EXPIRES_MISMATCH:
        *text = "ENCRYPTED_MESSAGE_INVALID";
        return true;
    default:
        *text = NULL;
        return false;
    }
}

/* Writes one object into out and sets *out_len. */
static int put_obj(const tl_obj *o, uint8_t *out, size_t cap, size_t *out_len)
{
    mt_wr w = wr_init(out, cap);
    int err = tl_encode(&w, o);
    if (err)
        return err;
    *out_len = wr_len(&w);
    return MT_OK;
}

static int put_rule(mt_bind_gate *g, int rule, uint8_t *out, size_t cap, size_t *out_len)
{
    int32_t code;
    const char *text;
    if (!mt_bind_rule_error(rule, &code, &text))
        return rule;
    g->last_rule = rule;
    mtp_rpc_error e = {code, {(const uint8_t *)text, strlen(text)}};
    tl_obj o = mtp_obj_rpc_error(&e);
    return put_obj(&o, out, cap, out_len);
}

/* A minimal Config: times, this DC, no DC options, zero limits (mtproof's peers read none). */
static int put_config(const mt_bind_server *srv, int64_t now, uint8_t *out, size_t cap,
                      size_t *out_len)
{
    api_config c;
    memset(&c, 0, sizeof c);
    c.date = (int32_t)now;
    c.expires = (int32_t)(now + BIND_CONFIG_TTL_S);
    c.this_dc = srv->this_dc;
    tl_obj o = api_obj_config(&c);
    return put_obj(&o, out, cap, out_len);
}

static int put_nearest(const mt_bind_server *srv, uint8_t *out, size_t cap, size_t *out_len)
{
    api_nearestDc n = {{(const uint8_t *)"", 0}, srv->this_dc, srv->this_dc};
    tl_obj o = api_obj_nearestDc(&n);
    return put_obj(&o, out, cap, out_len);
}

/* The innermost query under invokeWithLayer / initConnection; *decoded says whether the whole
 * query decoded (when it did not, only the first id is known). */
static uint32_t find_method(const uint8_t *query, size_t len, tl_arena *arena, tl_obj *inner,
                            bool *decoded)
{
    memset(inner, 0, sizeof *inner);
    *decoded = tl_decode(&api_schema, query, len, arena, TL_STRICT, inner) == MT_OK;
    if (!*decoded)
        return len >= 4 ? ld32le(query) : 0;
    for (;;) {
        const api_invokeWithLayer *l = api_as_invokeWithLayer(inner);
        const api_initConnection *c = api_as_initConnection(inner);
        if (l)
            *inner = l->query;
        else if (c)
            *inner = c->query;
        else
            return inner->id;
    }
}

static int do_bind(mt_bind_gate *g, const mt_bind_conn *conn, uint64_t msg_id, int64_t now,
                   const tl_obj *inner, bool decoded, uint8_t *out, size_t cap, size_t *out_len)
{
    mt_bind_server *srv = g->srv;
    const api_auth_bindTempAuthKey *b = decoded ? api_as_auth_bindTempAuthKey(inner) : NULL;
    if (!b)
        return put_rule(g, MT_E_BIND_QUERY_MALFORMED, out, cap, out_len);
    mt_bind_request req = {b->perm_auth_key_id, b->nonce, b->expires_at, b->encrypted_message.p,
                           b->encrypted_message.len};
    int rule = mt_bind_verify(srv->find_perm, srv->keys_ctx, &srv->table, conn, msg_id, now, &req);
    if (rule)
        return put_rule(g, rule, out, cap, out_len);
    int err = mt_bind_table_set(&srv->table, req.perm_auth_key_id, conn->auth_key_id,
                                req.expires_at, now);
    if (err)
        return err;
    if (cap < 4)
        return MT_E_no_space;
    st32le(out, API_ID_boolTrue);
    *out_len = 4;
    return MT_OK;
}

int mt_bind_gate_rpc(void *ctx, uint64_t req_msg_id, const uint8_t *query, size_t len, uint8_t *out,
                     size_t cap, size_t *out_len)
{
    mt_bind_gate *g = ctx;
    mt_bind_server *srv = g->srv;
    mt_bind_conn conn = g->conn;
    if (g->sess)
        conn.session_id = g->sess->session_id;
    int64_t now = (int64_t)(clock_now(srv->clock) / NS_PER_S);
    g->last_rule = 0;
    *out_len = 0;
    uint8_t arena_buf[MT_BIND_ARENA_LEN];
    tl_arena arena;
    tl_arena_init(&arena, arena_buf, sizeof arena_buf);
    tl_obj inner;
    bool decoded;
    uint32_t method = find_method(query, len, &arena, &inner, &decoded);
    switch (method) {
    case API_ID_auth_bindTempAuthKey:
        return do_bind(g, &conn, req_msg_id, now, &inner, decoded, out, cap, out_len);
    case API_ID_help_getConfig:
        return put_config(srv, now, out, cap, out_len);
    case API_ID_help_getNearestDc:
        return put_nearest(srv, out, cap, out_len);
    default:
        break;
    }
    if (conn.temporary && !mt_bind_table_find_temp(&srv->table, conn.auth_key_id, now))
        return put_rule(g, MT_E_BIND_UNBOUND_METHOD, out, cap, out_len);
    if (!srv->next)
        return MT_E_unimplemented;
    return srv->next(srv->next_ctx, req_msg_id, query, len, out, cap, out_len);
}
