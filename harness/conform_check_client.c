/*
 * What the client sends, checked as a server checks it (the mirror of conform_check.c): a client
 * under test that breaks a rule is named by that rule, not only by the scenario's expectation
 * going unmet. The harness as server runs these on every encrypted message of the client; the
 * first rule broken ends the scenario (conform_run.c) with failed_rule set to it.
 *
 * The checks are the server engine's (proto/session_server.c), with its predicates
 * (proto/session_check.h): "client message identifiers are divisible by 4" (MSGID_BAD_PARITY);
 * the -300 s / +30 s window around the server's time (MSGID_TOO_LOW / _HIGH); the last N ids
 * (MSGID_DUPLICATE, CONTAINER_MSGID_REUSED); "msgs_ack, msg_container, msg_copy and gzip_packed
 * must not be marked content-related" and every other message must (SEQNO_EXPECTED_EVEN / _ODD);
 * seqnos that grow with msg_ids (SEQNO_TOO_LOW / _HIGH); containers well formed, not nested.
 *
 * The harness plays a server that may lie on purpose (a bad_msg_notification about a message that
 * was fine, new_session_created that disowns a query). What it says it refused it forgets, as a
 * server forgets a message it rejects, so the client's honest reaction (the same query again under
 * a new msg_id, with the same seqno) breaks nothing (cf_client_sent).
 */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "harness/conform_peer.h"
#include "proto/container.h"
#include "proto/gzip.h"
#include "proto/session_check.h"
#include "proto/tl_mtp.h"

static uint32_t ctor_of(const uint8_t *b, size_t n)
{
    return n >= 4 ? ld32le(b) : 0;
}

/* A client's message inside or outside a container: gzip_packed is judged by what it packs. */
static void check_one(cf_peer *p, uint64_t id, uint32_t seqno, const uint8_t *b, size_t n)
{
    uint32_t ctor = ctor_of(b, n);
    uint8_t *unz = NULL;
    size_t un = 0;
    if (ctor == MTP_ID_gzip_packed && (unz = malloc(CF_PAYLOAD)) != NULL &&
        gzip_packed_unpack(b, n, unz, CF_PAYLOAD, &un) == 0)
        ctor = ctor_of(unz, un);
    free(unz);
    bool cr = sess_is_content_related(ctor);
    int err = ctor == MTP_ID_msg_container ? MT_E_CONTAINER_NESTED
                                           : sess_check_window(&p->cwin, id, false);
    if (!err)
        err = sess_check_seqno(&p->cwin, id, seqno, cr);
    if (err) {
        cf_violation(p, err, "msg_id %#llx seqno %u: %08x%s", (unsigned long long)id, seqno, ctor,
                     cr ? " (content-related)" : "");
        return;
    }
    sess_window_add(&p->cwin, id, seqno, (uint8_t)(SEEN_RECEIVED | (cr ? 0 : SEEN_NO_ACK)));
}

/* A container: its own id and seqno ("must not be marked content-related"), its structure, then
 * each message on its own. */
static void check_container(cf_peer *p, uint64_t id, uint32_t seqno, const uint8_t *b, size_t n)
{
    int err = sess_check_window(&p->cwin, id, true);
    if (!err && (seqno & 1))
        err = MT_E_SEQNO_EXPECTED_EVEN;
    mt_msg *in = NULL;
    size_t k = 0;
    if (!err && (in = malloc(CONTAINER_MAX_MESSAGES * sizeof *in)) != NULL)
        err = container_unpack(b, n, id, seqno, in, CONTAINER_MAX_MESSAGES, &k);
    if (err && mt_rule_of(err)) {
        cf_violation(p, err, "container msg_id %#llx seqno %u", (unsigned long long)id, seqno);
    } else if (!err) {
        sess_window_add(&p->cwin, id, seqno, SEEN_RECEIVED | SEEN_NO_ACK | SEEN_CONTAINER);
        for (size_t i = 0; i < k && !p->violation; i++)
            check_one(p, in[i].msg_id, in[i].seqno, in[i].body, in[i].len);
    }
    free(in);
}

void cf_check_client(cf_peer *p, const mt_msg_hdr *h, const uint8_t *b, size_t n)
{
    if (!p->server || p->violation)
        return;
    if (!p->has_csession || p->csession != h->session_id) {
        sess_window_init(&p->cwin); /* a new session: the server's store of ids starts anew */
        p->csession = h->session_id;
        p->has_csession = true;
    }
    uint64_t now = cf_now(p);
    int err = sess_check_parity(h->msg_id, true);
    if (!err)
        err = sess_check_time(h->msg_id, now);
    if (err) {
        cf_violation(p, err, "msg_id %#llx (%+llds from the server's time)",
                     (unsigned long long)h->msg_id,
                     (long long)((int64_t)(h->msg_id >> 32) - (int64_t)(now / NS_PER_S)));
        return;
    }
    if (ctor_of(b, n) == MTP_ID_msg_container)
        check_container(p, h->msg_id, h->seq_no, b, n);
    else
        check_one(p, h->msg_id, h->seq_no, b, n);
}

/* What one message the harness sends says it refused: the id of a bad_msg_notification or
 * bad_server_salt, every id below new_session_created's first_msg_id. */
static void sent_one(cf_peer *p, const uint8_t *b, size_t n)
{
    uint32_t ctor = ctor_of(b, n);
    if ((ctor == MTP_ID_bad_msg_notification || ctor == MTP_ID_bad_server_salt) && n >= 12) {
        sess_window_forget(&p->cwin, ld64le(b + 4));
    } else if (ctor == MTP_ID_new_session_created && n >= 12) {
        uint64_t first = ld64le(b + 4);
        while (p->cwin.n && p->cwin.e[0].id < first)
            sess_window_forget(&p->cwin, p->cwin.e[0].id);
    }
}

void cf_client_sent(cf_peer *p, const mt_msg_hdr *h, const uint8_t *body, size_t len)
{
    uint32_t ctor = ctor_of(body, len);
    if (ctor == MTP_ID_gzip_packed) {
        uint8_t *unz = malloc(CF_PAYLOAD);
        size_t un = 0;
        if (unz && gzip_packed_unpack(body, len, unz, CF_PAYLOAD, &un) == 0)
            cf_client_sent(p, h, unz, un);
        free(unz);
        return;
    }
    if (ctor != MTP_ID_msg_container) {
        sent_one(p, body, len);
        return;
    }
    mt_msg *in = malloc(CONTAINER_MAX_MESSAGES * sizeof *in);
    size_t k = 0;
    if (in &&
        container_unpack(body, len, h->msg_id, h->seq_no, in, CONTAINER_MAX_MESSAGES, &k) == 0)
        for (size_t i = 0; i < k; i++)
            sent_one(p, in[i].body, in[i].len);
    free(in);
}

int cf_answer_state_req(cf_peer *p, const cf_item *it, const uint8_t *b, size_t n)
{
    /* The ids (at most TL_MAX_MSG_IDS), their status bytes, and the answer. */
    size_t arena_cap = TL_MAX_MSG_IDS * sizeof(int64_t) + 256, out_cap = 32 + TL_MAX_MSG_IDS;
    uint8_t *mem = malloc(arena_cap + TL_MAX_MSG_IDS + out_cap);
    if (!mem)
        return MT_E_no_memory;
    uint8_t *states = mem + arena_cap, *out = states + TL_MAX_MSG_IDS;
    tl_arena a;
    tl_arena_init(&a, mem, arena_cap);
    tl_obj o;
    const mtp_msgs_state_req *req = NULL;
    int err = tl_decode(&mtp_schema, b, n, &a, TL_STRICT, &o);
    if (!err && (req = mtp_as_msgs_state_req(&o)) == NULL)
        err = MT_E_bad_argument;
    mt_wr w = wr_init(out, out_cap);
    if (!err) {
        const int64_t *ids = req->msg_ids.v;
        for (uint32_t i = 0; i < req->msg_ids.n; i++)
            states[i] = sess_window_status(&p->cwin, (uint64_t)ids[i]);
        mtp_msgs_state_info info = {(int64_t)it->msg_id, {states, req->msg_ids.n}};
        tl_obj ans = mtp_obj_msgs_state_info(&info);
        err = tl_encode(&w, &ans);
    }
    if (!err) {
        cf_logf(p, "-- msgs_state_info for %u ids of %#llx (first status %u)", req->msg_ids.n,
                (unsigned long long)it->msg_id, req->msg_ids.n ? states[0] : 0);
        err = cf_send_msg(p, out, wr_len(&w), NULL);
    }
    free(mem);
    return err;
}
