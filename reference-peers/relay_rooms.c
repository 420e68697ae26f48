/* Rooms (proto/schema/relay.tl): relay.join, relay.send, relay.leave. A room holds exactly two;
 * the first member waits, the second makes it ready (the first is the originator); joining a
 * full room redirects to a waiting or fresh one; payloads are forwarded as relay.updatePayload,
 * never parsed; a leave is announced with relay.updatePeerLeft. */
#include <string.h>

#include "common/cursor.h"
#include "common/endian.h"
#include "common/rules.h"
#include "proto/tl.h"
#include "proto/tl_api.h"
#include "proto/tl_rly.h"
#include "reference-peers/relay_internal.h"

#define BOOL_TRUE_ID 0x997275b5u

/* The rpc_error text of each relay API rule (docs/relay.md). */
static const char *rule_text(int rule)
{
    switch (rule) {
    case MT_E_RELAY_ROOM_NAME_INVALID:
        return "ROOM_NAME_INVALID";
    case MT_E_RELAY_ROOM_NOT_JOINED:
        return "ROOM_NOT_JOINED";
    case MT_E_RELAY_PEER_ABSENT:
        return "PEER_ABSENT";
    case MT_E_RELAY_ALREADY_JOINED:
        return "ALREADY_JOINED";
    case MT_E_RELAY_PAYLOAD_TOO_LARGE:
        return "PAYLOAD_TOO_LARGE";
    default:
        return "INPUT_FETCH_ERROR";
    }
}

static int api_error(relay_sess *s, int rule, uint8_t *out, size_t cap, size_t *out_len)
{
    s->gate.last_rule = rule;
    relay_log(s->r, RELAY_LOG_INFO, s->conn->id, "%s", mt_err_name(rule));
    int err = relay_rpc_error(mt_rule_of(rule)->code, rule_text(rule), out, cap, out_len);
    return err ? err : MT_OK;
}

static int put_true(uint8_t *out, size_t cap, size_t *out_len)
{
    if (cap < 4)
        return MT_E_no_space;
    st32le(out, BOOL_TRUE_ID);
    *out_len = 4;
    return MT_OK;
}

/* "[A-Za-z0-9_.-], 1..64 bytes" */
static bool name_ok(tl_str n)
{
    if (n.len == 0 || n.len > RELAY_ROOM_NAME_MAX)
        return false;
    for (size_t i = 0; i < n.len; i++) {
        uint8_t ch = n.p[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
        if (!ok)
            return false;
    }
    return true;
}

/* relay.updateReady or relay.updatePeerLeft to conn. */
static void push_room_event(relay *r, relay_conn *to, uint32_t id, const relay_room *room)
{
    mt_wr w = wr_init(r->body, RELAY_PAYLOAD_MAX + 1024);
    wr_u32le(&w, id);
    tl_wr_string(&w, (const uint8_t *)room->name, strlen(room->name));
    if (id == RLY_ID_relay_updateReady)
        tl_wr_bool(&w, true); /* the first member is the originator */
    if (!w.err)
        (void)relay_push(r, to, r->body, wr_len(&w));
}

/* The answer to a join: joinedWaiting or joinedReady (originator = false). */
static int put_joined(const relay_room *room, const tl_str *redirected, bool ready, uint8_t *out,
                      size_t cap, size_t *out_len)
{
    mt_wr w = wr_init(out, cap);
    wr_u32le(&w, ready ? RLY_ID_relay_joinedReady : RLY_ID_relay_joinedWaiting);
    tl_wr_int(&w, redirected ? 1 : 0);
    tl_wr_string(&w, (const uint8_t *)room->name, strlen(room->name));
    if (redirected)
        tl_wr_string(&w, redirected->p, redirected->len);
    if (ready)
        tl_wr_bool(&w, false);
    *out_len = wr_len(&w);
    return w.err;
}

/* relay.join#41e6283a flags:# room:flags.0?string = relay.JoinResult */
static int do_join(relay_sess *s, mt_rd *rd, uint8_t *out, size_t cap, size_t *out_len)
{
    relay *r = s->r;
    relay_conn *c = s->conn;
    uint32_t flags = rd_u32le(rd);
    tl_str name = {NULL, 0};
    if (flags & 1u)
        name = tl_rd_string(rd, 0);
    if (rd_done(rd) != MT_OK || (flags & ~1u))
        return api_error(s, MT_E_RELAY_QUERY_MALFORMED, out, cap, out_len);
    if (c->room)
        return api_error(s, MT_E_RELAY_ALREADY_JOINED, out, cap, out_len);
    if ((flags & 1u) && !name_ok(name))
        return api_error(s, MT_E_RELAY_ROOM_NAME_INVALID, out, cap, out_len);
    relay_room *room = name.len ? relay_room_find(r, name.p, name.len) : NULL;
    bool redirected = room && room->member[1];
    if (redirected)
        room = NULL;
    if (!room && name.len && !redirected)
        room = relay_room_new(r, name.p, name.len);
    if (!room)
        room = relay_room_waiting(r);
    if (!room)
        room = relay_room_new(r, NULL, 0);
    if (!room)
        return MT_E_no_memory;
    bool ready = room->member[0] != NULL;
    room->member[ready ? 1 : 0] = c;
    c->room = room;
    relay_room_update(r, room);
    relay_log(r, RELAY_LOG_INFO, c->id, "join %s%s%s", room->name,
              redirected ? " (redirected)" : "", ready ? " ready" : " waiting");
    if (ready)
        push_room_event(r, room->member[0], RLY_ID_relay_updateReady, room);
    return put_joined(room, redirected ? &name : NULL, ready, out, cap, out_len);
}

/* relay.send#789f259e data:bytes = Bool */
static int do_send(relay_sess *s, mt_rd *rd, uint8_t *out, size_t cap, size_t *out_len)
{
    relay *r = s->r;
    relay_conn *c = s->conn;
    tl_str data = tl_rd_string(rd, 0);
    if (rd_done(rd) != MT_OK)
        return api_error(s, MT_E_RELAY_QUERY_MALFORMED, out, cap, out_len);
    if (!c->room)
        return api_error(s, MT_E_RELAY_ROOM_NOT_JOINED, out, cap, out_len);
    relay_conn *peer = c->room->member[0] == c ? c->room->member[1] : c->room->member[0];
    if (!peer)
        return api_error(s, MT_E_RELAY_PEER_ABSENT, out, cap, out_len);
    if (data.len > RELAY_PAYLOAD_MAX)
        return api_error(s, MT_E_RELAY_PAYLOAD_TOO_LARGE, out, cap, out_len);
    mt_wr w = wr_init(r->body, RELAY_PAYLOAD_MAX + 1024);
    wr_u32le(&w, RLY_ID_relay_updatePayload);
    tl_wr_string(&w, (const uint8_t *)c->room->name, strlen(c->room->name));
    tl_wr_string(&w, data.p, data.len);
    if (w.err)
        return w.err;
    if (!relay_push(r, peer, r->body, wr_len(&w))) /* the peer reads too slowly */
        return relay_rpc_error(420, "FLOOD", out, cap, out_len);
    r->st.relayed_msgs++;
    r->st.relayed_bytes += data.len;
    return put_true(out, cap, out_len);
}

void relay_room_leave(relay *r, relay_conn *c)
{
    relay_room *room = c->room;
    if (!room)
        return;
    c->room = NULL;
    relay_conn *other = room->member[0] == c ? room->member[1] : room->member[0];
    room->member[0] = other;
    room->member[1] = NULL;
    relay_log(r, RELAY_LOG_INFO, c->id, "leave %s", room->name);
    if (other) {
        relay_room_update(r, room); /* the remaining member waits again */
        push_room_event(r, other, RLY_ID_relay_updatePeerLeft, room);
    } else {
        relay_room_drop(r, room);
    }
}

int relay_api(void *ctx, uint64_t req_msg_id, const uint8_t *query, size_t len, uint8_t *out,
              size_t cap, size_t *out_len)
{
    relay_sess *s = ctx;
    (void)req_msg_id;
    mt_rd rd = rd_init(query, len);
    switch (rd_u32le(&rd)) {
    case RLY_ID_relay_join:
        return do_join(s, &rd, out, cap, out_len);
    case RLY_ID_relay_send:
        return do_send(s, &rd, out, cap, out_len);
    case RLY_ID_relay_leave:
        if (rd_done(&rd) != MT_OK)
            return api_error(s, MT_E_RELAY_QUERY_MALFORMED, out, cap, out_len);
        if (!s->conn->room)
            return api_error(s, MT_E_RELAY_ROOM_NOT_JOINED, out, cap, out_len);
        relay_room_leave(s->r, s->conn);
        return put_true(out, cap, out_len);
    case API_ID_updates_getState:
        return rd_done(&rd) == MT_OK ? relay_updates_state(s->r, out, cap, out_len)
                                     : MT_E_unimplemented;
    default:
        return MT_E_unimplemented;
    }
}
