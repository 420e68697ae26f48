/*
 * Encrypted sends with overrides, and reading the peer's bytes into the queue of messages
 * (harness/conform_peer.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "harness/conform_peer.h"
#include "harness/conform_record.h"
#include "proto/container.h"
#include "proto/tl_mtp.h"

int cf_send_msg(cf_peer *p, const uint8_t *body, size_t len, const cf_env *env)
{
    static const cf_env none;
    if (!env)
        env = &none;
    if (!p->has_key)
        return MT_E_bad_argument;
    mt_msg_hdr h = {(uint64_t)(env->has_salt ? env->salt : p->salt),
                    env->has_session ? env->session : p->session_id, env->msg_id, env->seqno};
    int err = env->has_msg_id ? 0 : cf_next_msg_id(p, &h.msg_id);
    if (!env->has_seqno)
        h.seq_no = cf_next_seqno(p, len >= 4 ? ld32le(body) : 0);
    mt_msg_override ovr = env->ovr;
    if (env->has_len) {
        ovr.flags |= MT_OVR_LENGTH;
        ovr.length = env->length;
    }
    if (env->has_pad)
        ovr.flags |= MT_OVR_PAD_ANY;
    mt_msg_pack_opts po = {&p->drbg.rng, env->has_pad ? env->padding : MT_PAD_RANDOM, NULL,
                           ovr.flags ? &ovr : NULL};
    size_t cap = MT_MSG_PACKED_MAX(len) + (env->has_pad ? env->padding : 0), n = 0;
    uint8_t *pkt = malloc(cap);
    if (!pkt)
        return MT_E_no_memory;
    if (!err)
        err = mt_msg_pack(&p->key, p->server ? 8 : 0, &h, body, len, &po, pkt, cap, &n);
    if (!err) {
        cf_note_sent(p, h.msg_id, h.seq_no);
        cf_check_sent(p, &h, body, len);
        cf_record_message(p->tg, h.msg_id, clock_now(&p->clock.c), h.seq_no, body, len,
                          env->has_salt, env->has_session);
        cf_logf(p, "> msg_id=%#llx seqno=%u %zu bytes: %08x", (unsigned long long)h.msg_id,
                h.seq_no, len, len >= 4 ? ld32le(body) : 0);
        err = cf_send_payload(p, pkt, n, env);
    }
    free(pkt);
    return err;
}

/* Queues an item; code: the seqno of a message, the code of a transport error, the token of a
 * quick ack. */
static int push(cf_peer *p, cf_kind kind, uint64_t id, int32_t code, const uint8_t *b, size_t n)
{
    if (p->nq == CF_QUEUE)
        cf_drop(p, 0); /* oldest first: a flood cannot grow the queue */
    cf_item *it = &p->q[p->nq];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->msg_id = id;
    it->seqno = (uint32_t)code;
    it->code = code;
    if (n) {
        it->body = malloc(n);
        if (!it->body)
            return MT_E_no_memory;
        memcpy(it->body, b, n);
        it->len = n;
    }
    p->nq++;
    if (kind == CF_MSG)
        p->last_recv = id;
    return 0;
}

static int encrypted(cf_peer *p, const uint8_t *pl, size_t n)
{
    mt_msg_view v;
    if (!p->has_key) {
        cf_logf(p, "< encrypted packet, %zu bytes, without a key", n);
        return 0;
    }
    int err = mt_msg_unpack(&p->key, p->server ? 0 : 8, NULL, pl, n, p->plain, sizeof p->plain, &v);
    if (err) {
        cf_logf(p, "< undecryptable packet (%s)", mt_err_name(err));
        /* As server: the client's packet broke a decryption rule (padding, length...); a key
         * the harness does not hold is no rule of the client's. */
        if (mt_rule_of(err) && (!p->server || err != MT_E_MSG_AUTH_KEY_ID_UNKNOWN))
            cf_violation(p, err, "an encrypted packet of %zu bytes", n);
        return 0;
    }
    if (!p->server)
        cf_check_session(p, v.hdr.session_id);
    else
        cf_check_client(p, &v.hdr, v.body, v.body_len);
    cf_check_msg(p, v.hdr.msg_id, v.hdr.seq_no, v.body, v.body_len, true);
    if (p->server && !p->has_session) {
        p->session_id = v.hdr.session_id;
        p->has_session = true;
    }
    cf_logf(p, "< msg_id=%#llx seqno=%u %zu bytes: %08x", (unsigned long long)v.hdr.msg_id,
            v.hdr.seq_no, v.body_len, v.body_len >= 4 ? ld32le(v.body) : 0);
    if (v.body_len >= 4 && ld32le(v.body) == MTP_ID_msg_container) {
        mt_msg *in = malloc(CONTAINER_MAX_MESSAGES * sizeof *in);
        size_t k = 0;
        if (!in)
            return MT_E_no_memory;
        err = container_unpack(v.body, v.body_len, v.hdr.msg_id, v.hdr.seq_no, in,
                               CONTAINER_MAX_MESSAGES, &k);
        for (size_t i = 0; !err && i < k; i++) {
            cf_logf(p, "<   in container: msg_id=%#llx %08x", (unsigned long long)in[i].msg_id,
                    in[i].len >= 4 ? ld32le(in[i].body) : 0);
            cf_check_msg(p, in[i].msg_id, in[i].seqno, in[i].body, in[i].len, false);
            err = push(p, CF_MSG, in[i].msg_id, (int32_t)in[i].seqno, in[i].body, in[i].len);
        }
        free(in);
        if (!p->server && mt_rule_of(err))
            cf_violation(p, err, "a container of %zu bytes", v.body_len);
        if (!mt_rule_of(err))
            return err; /* done, or a tool error; a broken container is queued whole */
    }
    return push(p, CF_MSG, v.hdr.msg_id, (int32_t)v.hdr.seq_no, v.body, v.body_len);
}

int cf_packet(cf_peer *p, const uint8_t *pl, size_t n)
{
    if (n == 4) { /* a transport error as a bare payload (server side engines) */
        cf_logf(p, "< transport error %d", (int32_t)ld32le(pl));
        return push(p, CF_TERR, 0, (int32_t)ld32le(pl), NULL, 0);
    }
    size_t len = p->http ? n : mt_padded_trim(&p->tr, pl, n);
    if (n >= 8 && ld64le(pl) == 0) {
        cf_logf(p, "< plain packet %zu bytes", n);
        return push(p, CF_PLAIN, n >= 16 ? ld64le(pl + 8) : 0, 0, pl, len);
    }
    return encrypted(p, pl, len);
}

/* Harness as server: the client under test was told p->transport ({transport} of --client-cmd,
 * the builtin client its scenario's); our engine detects the framing it actually uses. Another one
 * is not a rule the client broke but a client command that ignores what it is told: an error. */
static void check_framing(cf_peer *p)
{
    bool obf = strncmp(p->transport, "obf2-", 5) == 0;
    int want = mt_transport_kind_from_name(obf ? p->transport + 5 : p->transport);
    p->framed = true;
    if ((int)p->tr.kind == want && p->tr.obfuscated == obf)
        return;
    cf_logf(p, "< the client frames with %s%s, not %s", p->tr.obfuscated ? "obf2-" : "",
            mt_transport_kind_name(p->tr.kind), p->transport);
    if (!p->violation) {
        p->violation = MT_E_io_error;
        snprintf(p->vwhy, sizeof p->vwhy,
                 "the client framed with %s%s, not the transport %s it was told",
                 p->tr.obfuscated ? "obf2-" : "", mt_transport_kind_name(p->tr.kind), p->transport);
    }
}

static int event(cf_peer *p, const mt_transport_event *ev)
{
    switch (ev->type) {
    case MT_TEV_FRAME:
        if (p->server && !p->framed)
            check_framing(p);
        return cf_packet(p, ev->payload, ev->len);
    case MT_TEV_ERROR:
        cf_logf(p, "< transport error %d", ev->code);
        return push(p, CF_TERR, 0, ev->code, NULL, 0);
    case MT_TEV_QUICK_ACK:
        cf_logf(p, "< quick ack %#x", ev->token);
        return push(p, CF_QACK, 0, (int32_t)ev->token, NULL, 0);
    default:
        return 0;
    }
}

/* Feeds wire bytes to our transport engine; a framing error ends the connection for us. */
static int feed(cf_peer *p, const uint8_t *in, size_t n)
{
    if (p->http)
        return p->server ? cf_http_srv_feed(p, in, n) : cf_http_feed(p, in, n);
    while (n > 0) {
        size_t used = 0;
        mt_transport_event ev;
        int err = mt_transport_feed(&p->tr, in, n, &used, &ev);
        if (err) {
            cf_logf(p, "< bad framing from the peer: %s", mt_err_name(err));
            if (!p->server && mt_rule_of(err))
                cf_violation(p, err, "the server's framing (%s)", p->transport);
            p->closed = true;
            return 0;
        }
        in += used;
        n -= used;
        if (ev.type == MT_TEV_NEED_MORE)
            break;
        if ((err = event(p, &ev)) != 0)
            return err;
    }
    return 0;
}

int cf_pump(cf_peer *p, uint64_t timeout_ns)
{
    uint8_t buf[1 << 15];
    size_t before = p->nq;
    uint64_t start = clock_now(p->tg->clock);
    while (!p->closed && p->nq == before) {
        uint64_t now = clock_now(p->tg->clock);
        if (now - start >= timeout_ns)
            break;
        size_t n = 0;
        bool closed = false;
        int err = p->tg->ops->recv(p->tg, buf, sizeof buf, &n, &closed, timeout_ns - (now - start));
        if (err)
            return err;
        if (n && (err = feed(p, buf, n)) != 0)
            return err;
        if (closed) {
            cf_logf(p, "< closed");
            p->closed = true;
        } else if (n == 0 && !p->tg->virtual_time) {
            break; /* a real-time target waited the whole timeout */
        }
    }
    return 0;
}
