/*
 * The harness as server answers a client's setup messages itself, as the relay does
 * (docs/scenarios.md "Setup queries"): keep-alive pings get their pong, and help.getConfig,
 * help.getNearestDc and updates.getState (under any invokeWithLayer / initConnection /
 * invokeWithoutUpdates wrappers) get the relay's minimal answers (reference-peers/setup_answers.h).
 * msgs_state_req gets msgs_state_info from what the harness received (conform_check_client.c).
 * A third-party client asks these before, between and after whatever a scenario is about; without
 * the answers it would stall or give up for reasons that have nothing to do with the scenario.
 * Only messages an expect step does not want are answered: `expect query` takes the client's first
 * query, setup or not, and leaves its answer to the scenario.
 */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "harness/conform_run.h"
#include "proto/gzip.h"
#include "proto/session_check.h"
#include "proto/tl_mtp.h"
#include "reference-peers/setup_answers.h"

/* An item's object: gzip_packed unpacked into buf (a CF_PAYLOAD-byte heap buffer, freed by the
 * caller), or the item's own bytes; id its constructor (0 when shorter than one). */
typedef struct setup_obj {
    uint8_t *buf;
    const uint8_t *b;
    size_t n;
    uint32_t id;
} setup_obj;

/* false (nothing to free) when out of memory. */
static bool object_of(const cf_item *it, setup_obj *o)
{
    o->buf = malloc(CF_PAYLOAD);
    if (!o->buf)
        return false;
    o->b = o->buf;
    o->n = it->len;
    if (it->len < 4 || ld32le(it->body) != MTP_ID_gzip_packed ||
        gzip_packed_unpack(it->body, it->len, o->buf, CF_PAYLOAD, &o->n) != 0) {
        o->b = it->body;
        o->n = it->len;
    }
    o->id = o->n >= 4 ? ld32le(o->b) : 0;
    return true;
}

bool cf_is_query(const cf_item *it)
{
    if (it->kind != CF_MSG || it->len < 4)
        return false;
    setup_obj o;
    if (!object_of(it, &o))
        return false;
    /* Everything of the mtproto schema (ping, msgs_ack, get_future_salts...) is MTProto's own
     * service; a query is what the layer above asks (API methods, relay.*). */
    bool q = o.n >= 4 && sess_is_content_related(o.id) && tl_schema_find(&mtp_schema, o.id) == NULL;
    free(o.buf);
    return q;
}

/* pong#347773c5 msg_id:long ping_id:long for ping / ping_delay_disconnect (its ping_id first). */
static int pong(cf_peer *p, const cf_item *it, const uint8_t *b, size_t n)
{
    if (n < 12)
        return MT_E_unimplemented;
    uint8_t out[20];
    st32le(out, MTP_ID_pong);
    st64le(out + 4, it->msg_id);
    memcpy(out + 12, b + 4, 8);
    cf_logf(p, "-- setup: pong to ping %#llx", (unsigned long long)it->msg_id);
    return cf_send_msg(p, out, sizeof out, NULL);
}

/* rpc_result#f35c6d01 req_msg_id:long result:Object with the setup answer. */
static int answer(cf_peer *p, const cf_item *it, const uint8_t *q, size_t n)
{
    setup_unwrap(&q, &n);
    uint8_t out[1024];
    size_t len = 0;
    setup_server s = {(int32_t)(cf_now(p) / NS_PER_S), NULL, 0};
    int err = setup_answer(&s, q, n, out + 12, sizeof out - 12, &len);
    if (err)
        return err;
    st32le(out, MTP_ID_rpc_result);
    st64le(out + 4, it->msg_id);
    cf_logf(p, "-- setup: answered query %08x of %#llx", ld32le(q), (unsigned long long)it->msg_id);
    return cf_send_msg(p, out, len + 12, NULL);
}

bool cf_setup_answer(cf_peer *p, const cf_item *it)
{
    if (!p->server || !p->has_key || p->closed || it->kind != CF_MSG || it->len < 4)
        return false;
    setup_obj o;
    if (!object_of(it, &o))
        return false;
    int err = o.id == MTP_ID_ping || o.id == MTP_ID_ping_delay_disconnect ? pong(p, it, o.b, o.n)
              : o.id == MTP_ID_msgs_state_req ? cf_answer_state_req(p, it, o.b, o.n)
                                              : answer(p, it, o.b, o.n);
    free(o.buf);
    return err == 0;
}

void cf_setup_drain(cf_peer *p)
{
    for (size_t i = 0; i < p->nq;)
        if (cf_setup_answer(p, &p->q[i]))
            cf_drop(p, i);
        else
            i++;
}
