/* The reference client's side of the relay API (proto/schema/relay.tl): relay.join and its
 * answer (waiting, ready, a redirect), the pushed updates (ready, payload, peer left), relay.send
 * and relay.leave. Every answer and update is decoded strictly (the whole object, canonical
 * strings) and must name the client's room. */
#include <stdio.h>
#include <string.h>

#include "common/endian.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"
#include "proto/tl_rly.h"
#include "reference-peers/client_internal.h"

static bool str_is(tl_str s, const char *z)
{
    return z && s.len == strlen(z) && memcmp(s.p, z, s.len) == 0;
}

int pc_relay_join(pclient *c)
{
    uint8_t body[16 + PCLIENT_ROOM_MAX];
    mt_wr w = wr_init(body, sizeof body);
    wr_u32le(&w, RLY_ID_relay_join);
    wr_u32le(&w, c->cfg.room ? 1u : 0u);
    if (c->cfg.room)
        tl_wr_string(&w, (const uint8_t *)c->cfg.room, strlen(c->cfg.room));
    if (w.err)
        return w.err;
    c->phase = PC_JOIN;
    return pc_query(c, PCQ_JOIN, body, wr_len(&w));
}

int pc_relay_leave(pclient *c)
{
    uint8_t body[4];
    st32le(body, RLY_ID_relay_leave);
    c->phase = PC_LEAVING;
    return pc_query(c, PCQ_LEAVE, body, sizeof body);
}

/* rpc_error#2144ca19 error_code:int error_message:string: the relay refused the query. */
static int rpc_error(pclient *c, pc_query_kind kind, const uint8_t *res, size_t n)
{
    mt_rd r = rd_init(res + 4, n - 4);
    int32_t code = tl_rd_int(&r);
    tl_str text = tl_rd_string(&r, TL_STRICT);
    if (rd_done(&r))
        return pc_fail(c, MT_E_PCLIENT_BAD_ANSWER, "rpc_error");
    /* PEER_ABSENT on relay.send: the peer left; relay.updatePeerLeft tells the rest. */
    if (kind == PCQ_SEND && str_is(text, "PEER_ABSENT"))
        return MT_OK;
    static const char *const names[] = {"", "auth.bindTempAuthKey", "relay.join", "relay.send",
                                        "relay.leave"};
    char what[160];
    snprintf(what, sizeof what, "%s: rpc_error %d %.*s", names[kind], (int)code,
             (int)(text.len > 64 ? 64 : text.len), (const char *)text.p);
    return pc_fail(c, MT_E_PCLIENT_RPC_ERROR, what);
}

/* The room is ready: the e2e key exchange starts (the originator sends e2e.request). */
static int room_ready(pclient *c, bool originator)
{
    c->originator = originator;
    c->phase = PC_READY;
    pclient_event ev = {.kind = PCLIENT_EV_READY,
                        .text = c->room,
                        .len = strlen(c->room),
                        .originator = originator};
    pc_emit(c, &ev);
    if (pc_reached(c, PCLIENT_STAGE_JOINED) || pc_reached(c, PCLIENT_STAGE_READY))
        return MT_OK;
    return pc_e2e_start(c);
}

/* relay.joinedWaiting / relay.joinedReady: flags:# room:string redirected_from:flags.0?string
 * [originator:Bool]. The room joined is the one asked for, or the answer says which full room
 * redirected us. */
static int join_answer(pclient *c, const uint8_t *res, size_t n)
{
    uint32_t id = ld32le(res);
    mt_rd r = rd_init(res + 4, n - 4);
    uint32_t flags = rd_u32le(&r);
    tl_str room = tl_rd_string(&r, TL_STRICT), from = {NULL, 0};
    if (flags & 1)
        from = tl_rd_string(&r, TL_STRICT);
    bool originator = id == RLY_ID_relay_joinedReady ? tl_rd_bool(&r) : false;
    bool asked_ok =
        !c->cfg.room || str_is(room, c->cfg.room) || ((flags & 1) && str_is(from, c->cfg.room));
    if (rd_done(&r) || (flags & ~1u) || !room.len || room.len > PCLIENT_ROOM_MAX || !asked_ok ||
        memchr(room.p, 0, room.len))
        return pc_fail(c, MT_E_PCLIENT_BAD_ANSWER, "relay.join answer");
    memcpy(c->room, room.p, room.len);
    c->room[room.len] = 0;
    if (id == RLY_ID_relay_joinedReady)
        return room_ready(c, originator);
    c->phase = PC_WAITING;
    pclient_event ev = {.kind = PCLIENT_EV_WAITING, .text = c->room, .len = room.len};
    pc_emit(c, &ev);
    pc_reached(c, PCLIENT_STAGE_JOINED);
    return MT_OK;
}

int pc_relay_result(pclient *c, pc_query_kind kind, const uint8_t *res, size_t n)
{
    uint32_t id = n >= 4 ? ld32le(res) : 0;
    if (id == MTP_ID_rpc_error)
        return rpc_error(c, kind, res, n);
    if (kind == PCQ_JOIN && c->phase == PC_JOIN &&
        (id == RLY_ID_relay_joinedWaiting || id == RLY_ID_relay_joinedReady))
        return join_answer(c, res, n);
    if ((kind == PCQ_SEND || kind == PCQ_LEAVE) && n == 4 && id == TL_ID_BOOL_TRUE) {
        if (kind == PCQ_LEAVE) {
            c->done = true;
            c->phase = PC_DONE;
        }
        return MT_OK;
    }
    return pc_fail(c, MT_E_PCLIENT_BAD_ANSWER,
                   kind == PCQ_JOIN ? "relay.join answer" : "relay.send/leave answer");
}

/* Reads `room:string` and checks it is ours. */
static bool our_room(pclient *c, mt_rd *r)
{
    return str_is(tl_rd_string(r, TL_STRICT), c->room);
}

int pc_relay_update(pclient *c, const uint8_t *body, size_t n)
{
    uint32_t id = n >= 4 ? ld32le(body) : 0;
    if (id != RLY_ID_relay_updateReady && id != RLY_ID_relay_updatePeerLeft &&
        id != RLY_ID_relay_updatePayload)
        return MT_OK; /* not the relay's: nothing the client acts on */
    mt_rd r = rd_init(body + 4, n - 4);
    bool mine = our_room(c, &r);
    if (id == RLY_ID_relay_updateReady) {
        bool originator = tl_rd_bool(&r);
        if (rd_done(&r) || !mine || c->phase != PC_WAITING)
            return pc_fail(c, MT_E_PCLIENT_BAD_UPDATE, "relay.updateReady");
        return room_ready(c, originator);
    }
    if (id == RLY_ID_relay_updatePeerLeft) {
        if (rd_done(&r) || !mine || c->phase < PC_WAITING)
            return pc_fail(c, MT_E_PCLIENT_BAD_UPDATE, "relay.updatePeerLeft");
        pclient_event ev = {.kind = PCLIENT_EV_PEER_LEFT, .text = c->room, .len = strlen(c->room)};
        pc_emit(c, &ev);
        c->done = true;
        c->phase = PC_DONE;
        return MT_OK;
    }
    tl_str data = tl_rd_string(&r, TL_STRICT);
    if (rd_done(&r) || !mine || c->phase < PC_READY)
        return pc_fail(c, MT_E_PCLIENT_BAD_UPDATE, "relay.updatePayload");
    return pc_e2e_feed(c, data.p, data.len);
}
