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

/* JSONValue nesting in initConnection.params that is skipped (deeper is malformed). */
#define JSON_DEPTH_MAX 16
/* A Config is valid for an hour; the client asks again after `expires`. */
#define CONFIG_TTL_S 3600

int relay_rpc_error(int32_t code, const char *text, uint8_t *out, size_t cap, size_t *out_len)
{
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, MTP_ID_rpc_error);
    tl_wr_int(&w, code);
    tl_wr_string(&w, (const uint8_t *)text, strlen(text));
    *out_len = wr_len(&w);
    return w.err;
}

/* Skips one JSONValue (initConnection.params). */
static void skip_json(mt_rd *r, unsigned depth)
{
    if (depth > JSON_DEPTH_MAX) {
        rd_fail(r, MT_E_tl_depth_exceeded);
        return;
    }
    uint32_t id = rd_u32le(r);
    if (id == API_ID_jsonNull)
        return;
    if (id == API_ID_jsonBool)
        (void)tl_rd_bool(r);
    else if (id == API_ID_jsonNumber)
        (void)tl_rd_double(r);
    else if (id == API_ID_jsonString)
        (void)tl_rd_string(r, 0);
    else if (id == API_ID_jsonArray || id == API_ID_jsonObject) {
        uint32_t n = tl_rd_vector(r, true, UINT32_MAX / 8, 4);
        for (uint32_t i = 0; i < n && !r->err; i++) {
            if (id == API_ID_jsonObject) {
                if (rd_u32le(r) != API_ID_jsonObjectValue)
                    rd_fail(r, MT_E_tl_unexpected_constructor);
                (void)tl_rd_string(r, 0);
            }
            skip_json(r, depth + 1);
        }
    } else {
        rd_fail(r, MT_E_tl_unexpected_constructor);
    }
}

/* Reads initConnection's fields up to its query. */
static void skip_init_connection(mt_rd *r)
{
    uint32_t flags = rd_u32le(r);
    (void)tl_rd_int(r);         /* api_id */
    for (int i = 0; i < 6; i++) /* device_model .. lang_code */
        (void)tl_rd_string(r, 0);
    if (flags & 1u) { /* proxy:flags.0?InputClientProxy */
        if (rd_u32le(r) != API_ID_inputClientProxy)
            rd_fail(r, MT_E_tl_unexpected_constructor);
        (void)tl_rd_string(r, 0);
        (void)tl_rd_int(r);
    }
    if (flags & 2u) /* params:flags.1?JSONValue */
        skip_json(r, 0);
}

/* The innermost query under invokeWithLayer / initConnection / invokeWithoutUpdates (nested in any
 * order).
 * A wrapper that does not parse leaves the query as it is (its id is then unknown). */
static void unwrap(const uint8_t **q, size_t *len)
{
    for (;;) {
        mt_rd r = rd_init(*q, *len);
        uint32_t id = rd_u32le(&r);
        if (id == API_ID_invokeWithLayer)
            (void)tl_rd_int(&r);
        else if (id == API_ID_initConnection)
            skip_init_connection(&r);
        else if (id == API_ID_invokeWithoutUpdates)
            ; /* mtcute with disableUpdates: the query follows the id */
        else
            return;
        if (r.err || rd_left(&r) < 4)
            return;
        *len = rd_left(&r);
        *q = rd_bytes(&r, *len);
    }
}

/* dcOption#18b7a10d flags:# ... id:int ip_address:string port:int */
static void put_dc_option(mt_wr *w, const relay_config *cfg)
{
    const char *ip = cfg->dc_ip ? cfg->dc_ip : "127.0.0.1";
    wr_u32le(w, API_ID_dcOption);
    tl_wr_int(w, 0);
    tl_wr_int(w, RELAY_THIS_DC);
    tl_wr_string(w, (const uint8_t *)ip, strlen(ip));
    tl_wr_int(w, cfg->dc_port ? cfg->dc_port : 443);
}

/* config#cc1a241e with flags 0 (no optional field): this DC, one option, Telegram-like limits. */
static int put_config(relay *r, uint8_t *out, size_t cap, size_t *out_len)
{
    static const int32_t limits_a[] = {200,    200000,    100,     210000, 5000,  30000,
                                       300000, 30000,     1500,    60000,  2,     172800,
                                       172800, INT32_MAX, 2419200, 200,    604800};
    static const int32_t calls[] = {20000, 90000, 30000, 10000};
    int32_t now = (int32_t)(relay_now(r) / NS_PER_S);
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, API_ID_config);
    tl_wr_int(&w, 0);
    tl_wr_int(&w, now);
    tl_wr_int(&w, now + CONFIG_TTL_S);
    tl_wr_bool(&w, false); /* test_mode */
    tl_wr_int(&w, RELAY_THIS_DC);
    tl_wr_vector(&w, true, 1);
    put_dc_option(&w, &r->cfg);
    tl_wr_string(&w, NULL, 0); /* dc_txt_domain_name */
    for (size_t i = 0; i < sizeof limits_a / sizeof limits_a[0]; i++)
        tl_wr_int(&w, limits_a[i]);
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        tl_wr_int(&w, calls[i]);
    tl_wr_string(&w, (const uint8_t *)"https://t.me/", 13); /* me_url_prefix */
    tl_wr_int(&w, 1024);                                    /* caption_length_max */
    tl_wr_int(&w, 4096);                                    /* message_length_max */
    tl_wr_int(&w, RELAY_THIS_DC);                           /* webfile_dc_id */
    *out_len = wr_len(&w);
    return w.err;
}

static int put_nearest(uint8_t *out, size_t cap, size_t *out_len)
{
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, API_ID_nearestDc);
    tl_wr_string(&w, NULL, 0);
    tl_wr_int(&w, RELAY_THIS_DC);
    tl_wr_int(&w, RELAY_THIS_DC);
    *out_len = wr_len(&w);
    return w.err;
}

/* updates.state#a56c2a3e pts:int qts:int date:int seq:int unread_count:int: the state of an
 * account with no updates yet. mtcute calls updates.getState on every connection and treats an
 * rpc_error there as fatal (it drops the connection and reconnects), so the relay answers it
 * (issue 9: "answers that third-party clients expect on connect get a well-formed minimal answer").
 */
int relay_updates_state(relay *r, uint8_t *out, size_t cap, size_t *out_len)
{
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, API_ID_updates_state);
    tl_wr_int(&w, 1); /* pts: a new account's first */
    tl_wr_int(&w, 0); /* qts */
    tl_wr_int(&w, (int32_t)(relay_now(r) / NS_PER_S));
    tl_wr_int(&w, 0); /* seq */
    tl_wr_int(&w, 0); /* unread_count */
    *out_len = wr_len(&w);
    return w.err;
}

int relay_rpc(void *ctx, uint64_t req_msg_id, const uint8_t *query, size_t len, uint8_t *out,
              size_t cap, size_t *out_len)
{
    relay_sess *s = ctx;
    relay *r = s->r;
    *out_len = 0;
    unwrap(&query, &len);
    uint32_t id = len >= 4 ? ld32le(query) : 0;
    relay_log(r, RELAY_LOG_DEBUG, s->conn->id, "query %08x", id);
    if (id == API_ID_help_getConfig)
        return put_config(r, out, cap, out_len);
    if (id == API_ID_help_getNearestDc)
        return put_nearest(out, cap, out_len);
    r->bind.next_ctx = s; /* the gate's handler serves this session */
    return mt_bind_gate_rpc(&s->gate, req_msg_id, query, len, out, cap, out_len);
}
