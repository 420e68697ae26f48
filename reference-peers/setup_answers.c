/* The answers to a third-party client's setup queries (reference-peers/setup_answers.h): the
 * wrappers around its first query, help.getConfig (a well-formed minimal Config naming this server
 * as DC 2), help.getNearestDc and updates.getState. */
#include <string.h>

#include "common/cursor.h"
#include "common/endian.h"
#include "proto/tl.h"
#include "proto/tl_api.h"
#include "reference-peers/setup_answers.h"

/* JSONValue nesting in initConnection.params that is skipped (deeper is malformed). */
#define JSON_DEPTH_MAX 16
/* A Config is valid for an hour; the client asks again after `expires`. */
#define CONFIG_TTL_S 3600

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

void setup_unwrap(const uint8_t **q, size_t *len)
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
static void put_dc_option(mt_wr *w, const setup_server *s)
{
    const char *ip = s->ip ? s->ip : "127.0.0.1";
    wr_u32le(w, API_ID_dcOption);
    tl_wr_int(w, 0);
    tl_wr_int(w, SETUP_THIS_DC);
    tl_wr_string(w, (const uint8_t *)ip, strlen(ip));
    tl_wr_int(w, s->port ? s->port : 443);
}

/* config#cc1a241e with flags 0 (no optional field): this DC, one option, Telegram-like limits. */
static int put_config(const setup_server *s, uint8_t *out, size_t cap, size_t *out_len)
{
    static const int32_t limits_a[] = {200,    200000,    100,     210000, 5000,  30000,
                                       300000, 30000,     1500,    60000,  2,     172800,
                                       172800, INT32_MAX, 2419200, 200,    604800};
    static const int32_t calls[] = {20000, 90000, 30000, 10000};
    int32_t now = s->now_s;
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, API_ID_config);
    tl_wr_int(&w, 0);
    tl_wr_int(&w, now);
    tl_wr_int(&w, now + CONFIG_TTL_S);
    tl_wr_bool(&w, false); /* test_mode */
    tl_wr_int(&w, SETUP_THIS_DC);
    tl_wr_vector(&w, true, 1);
    put_dc_option(&w, s);
    tl_wr_string(&w, NULL, 0); /* dc_txt_domain_name */
    for (size_t i = 0; i < sizeof limits_a / sizeof limits_a[0]; i++)
        tl_wr_int(&w, limits_a[i]);
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        tl_wr_int(&w, calls[i]);
    tl_wr_string(&w, (const uint8_t *)"https://t.me/", 13); /* me_url_prefix */
    tl_wr_int(&w, 1024);                                    /* caption_length_max */
    tl_wr_int(&w, 4096);                                    /* message_length_max */
    tl_wr_int(&w, SETUP_THIS_DC);                           /* webfile_dc_id */
    *out_len = wr_len(&w);
    return w.err;
}

static int put_nearest(uint8_t *out, size_t cap, size_t *out_len)
{
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, API_ID_nearestDc);
    tl_wr_string(&w, NULL, 0);
    tl_wr_int(&w, SETUP_THIS_DC);
    tl_wr_int(&w, SETUP_THIS_DC);
    *out_len = wr_len(&w);
    return w.err;
}

/* updates.state#a56c2a3e pts:int qts:int date:int seq:int unread_count:int: the state of an
 * account with no updates yet. mtcute calls updates.getState on every connection and treats an
 * rpc_error there as fatal (it drops the connection and reconnects), so the relay answers it
 * (issue 9: "answers that third-party clients expect on connect get a well-formed minimal answer").
 */
static int put_state(const setup_server *s, uint8_t *out, size_t cap, size_t *out_len)
{
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, API_ID_updates_state);
    tl_wr_int(&w, 1); /* pts: a new account's first */
    tl_wr_int(&w, 0); /* qts */
    tl_wr_int(&w, s->now_s);
    tl_wr_int(&w, 0); /* seq */
    tl_wr_int(&w, 0); /* unread_count */
    *out_len = wr_len(&w);
    return w.err;
}

int setup_answer(const setup_server *s, const uint8_t *q, size_t len, uint8_t *out, size_t cap,
                 size_t *out_len)
{
    *out_len = 0;
    uint32_t id = len >= 4 ? ld32le(q) : 0;
    if (id == API_ID_help_getConfig)
        return put_config(s, out, cap, out_len);
    if (id == API_ID_help_getNearestDc)
        return put_nearest(out, cap, out_len);
    if (id == API_ID_updates_getState)
        return put_state(s, out, cap, out_len);
    return MT_E_unimplemented;
}
