/*
 * The binding step of a `records temp-bind` transcript (harness/replay_internal.h): the client's
 * auth.bindTempAuthKey carried as an encrypted MTProto 2.0 message under the temporary key, the
 * server's rpc_result, and the client's reading of it. The generator and the replay share these,
 * so both build the same bytes from the same DRBG; what is checked is the product code they call:
 * mt_bind_build_query (bind_auth_key_inner encrypted MTProto 1.0-style under the permanent key),
 * mt_msg_pack / mt_msg_unpack, mt_bind_gate_rpc (mt_bind_verify, the binding table) and
 * mt_bind_client_react.
 */
#include <string.h>

#include "common/endian.h"
#include "harness/replay_internal.h"
#include "proto/message.h"

#define RPC_RESULT_ID   0xf35c6d01u /* rpc_result#f35c6d01 req_msg_id:long result:Object */
#define BIND_ANSWER_MAX 512         /* boolTrue or an rpc_error with a short text */
#define BIND_PLAIN_MAX  (MT_MSG_PACKED_MAX(MT_BIND_QUERY_LEN))

int replay_bind_query(const hs_result *perm, const hs_result *temp, const mt_clock *clock,
                      mt_rng *rng, replay_bind_client *st, uint8_t *out, size_t cap,
                      size_t *out_len)
{
    uint8_t draw[16], query[MT_BIND_QUERY_LEN];
    size_t qlen;
    mt_msgid_gen ids;
    msgid_gen_init(&ids);
    ids.offset_ns = temp->time_offset_ns; /* the server's time, learnt in the handshake */
    int err = rng_fill(rng, draw, sizeof draw);
    err = err ? err : msgid_next(&ids, clock, rng, MSGID_CLIENT, &st->msg_id);
    if (err)
        return err;
    st->session_id = ld64le(draw);
    /* "expires_at: Absolute time in seconds" until which the binding holds: the key's lifetime. */
    int64_t server_s = (int64_t)(msgid_server_ns(&ids, clock) / NS_PER_S);
    mt_bind_inner in = {.nonce = (int64_t)ld64le(draw + 8),
                        .temp_auth_key_id = mt_bind_key_id(&temp->key),
                        .perm_auth_key_id = mt_bind_key_id(&perm->key),
                        .temp_session_id = (int64_t)st->session_id,
                        .expires_at = (int32_t)(server_s + temp->expires_in)};
    err = mt_bind_build_query(&perm->key, &in, st->msg_id, rng, query, sizeof query, &qlen);
    /* The first content message of the session: seq_no 2 * 0 + 1. */
    mt_msg_hdr h = {ld64le(temp->server_salt), st->session_id, st->msg_id, 1};
    mt_msg_pack_opts o = {.rng = rng, .pad_len = MT_PAD_RANDOM};
    err = err ? err : mt_msg_pack(&temp->key, 0, &h, query, qlen, &o, out, cap, out_len);
    memset(draw, 0, sizeof draw);
    return err;
}

static const mt_auth_key *find_perm(void *ctx, int64_t id)
{
    const mt_auth_key *perm = ctx;
    return mt_bind_key_id(perm) == id ? perm : NULL;
}

/* rpc_result for req_msg_id with the gate's result object, packed with x = 8. */
static int pack_answer(const hs_result *temp, const mt_clock *clock, mt_rng *rng,
                       const mt_msg_view *v, const uint8_t *res, size_t res_len, uint8_t *out,
                       size_t cap, size_t *out_len)
{
    uint8_t body[12 + BIND_ANSWER_MAX];
    mt_msgid_gen ids;
    msgid_gen_init(&ids);
    mt_msg_hdr h = {v->hdr.salt, v->hdr.session_id, 0, 1};
    int err = msgid_next(&ids, clock, rng, MSGID_SERVER_RESPONSE, &h.msg_id);
    if (err)
        return err;
    st32le(body, RPC_RESULT_ID);
    st64le(body + 4, v->hdr.msg_id);
    memcpy(body + 12, res, res_len);
    mt_msg_pack_opts o = {.rng = rng, .pad_len = MT_PAD_RANDOM};
    return mt_msg_pack(&temp->key, 8, &h, body, 12 + res_len, &o, out, cap, out_len);
}

int replay_bind_answer(const hs_result *perm, const hs_result *temp, int64_t temp_created_s,
                       const mt_clock *clock, mt_rng *rng, const uint8_t *pkt, size_t n,
                       uint8_t *out, size_t cap, size_t *out_len, int *rule)
{
    static uint8_t plain[1 << 16];
    uint8_t res[BIND_ANSWER_MAX];
    size_t res_len = 0;
    mt_msg_view v;
    *out_len = 0;
    *rule = mt_msg_unpack(&temp->key, 0, NULL, pkt, n, plain, sizeof plain, &v);
    if (*rule)
        return MT_OK;
    mt_bind_server srv = {.clock = clock, .find_perm = find_perm, .keys_ctx = (void *)&perm->key};
    mt_bind_table_init(&srv.table);
    mt_bind_gate g = {.srv = &srv,
                      .conn = {.auth_key_id = mt_bind_key_id(&temp->key),
                               .temporary = true,
                               .key_expires_at = temp_created_s + temp->expires_in,
                               .session_id = v.hdr.session_id}};
    int err = mt_bind_gate_rpc(&g, v.hdr.msg_id, v.body, v.body_len, res, sizeof res, &res_len);
    if (!err) {
        int64_t now = (int64_t)(clock_now(clock) / NS_PER_S);
        bool bound = mt_bind_table_find_temp(&srv.table, g.conn.auth_key_id, now) != NULL;
        *rule = g.last_rule ? g.last_rule : bound ? 0 : MT_E_bad_field;
        err = pack_answer(temp, clock, rng, &v, res, res_len, out, cap, out_len);
    }
    memset(plain, 0, v.body_len + MT_MSG_INNER_LEN);
    return err;
}

int replay_bind_result(const replay_bind_client *st, const hs_result *temp, uint64_t perm_age_s,
                       const uint8_t *pkt, size_t n, mt_bind_action *act)
{
    static uint8_t plain[1 << 16];
    mt_msg_view v;
    int err = mt_msg_unpack(&temp->key, 8, &st->session_id, pkt, n, plain, sizeof plain, &v);
    if (!err &&
        (v.body_len < 12 || ld32le(v.body) != RPC_RESULT_ID || ld64le(v.body + 4) != st->msg_id))
        err = MT_E_bad_field;
    if (!err)
        *act = mt_bind_client_react(v.body + 12, v.body_len - 12, perm_age_s);
    memset(plain, 0, sizeof plain);
    return err;
}

/* Whether a frame holds an unencrypted message whose body starts with constructor id. */
static bool plain_ctor(const tr_frame *f, uint32_t id)
{
    return f->bytes.len >= MT_PLAIN_HEADER_LEN + 4 && ld64le(f->bytes.p) == 0 &&
           ld32le(f->bytes.p + MT_PLAIN_HEADER_LEN) == id;
}

bool replay_bind_split(const mt_transcript *t, size_t *hs2, size_t *bind)
{
    *hs2 = *bind = 0;
    for (size_t i = 1; i < t->frames.n && !*bind; i++) {
        const tr_frame *f = transcript_frame(t, i);
        if (!*hs2 && f->dir == TR_C2S && plain_ctor(f, 0xbe7e8ef1u)) /* req_pq_multi */
            *hs2 = i;
        else if (*hs2 && f->bytes.len > 8 && ld64le(f->bytes.p) != 0)
            *bind = i;
    }
    return *hs2 && *bind;
}
