/*
 * The harness's side of the conversation: building messages with overrides and reading what comes
 * back (harness/conform_peer.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "harness/conform_e2e.h"
#include "harness/conform_peer.h"
#include "proto/container.h"
#include "proto/session_check.h"
#include "proto/tl_mtp.h"

static uint64_t peer_now(const mt_clock *c)
{
    const cf_clock *k = (const cf_clock *)c;
    return (uint64_t)((int64_t)clock_now(k->p->tg->clock) + k->p->skew_ns);
}

uint64_t cf_now(cf_peer *p)
{
    return peer_now(&p->clock.c);
}

void cf_peer_init(cf_peer *p, target *tg, bool server, uint64_t seed)
{
    memset(p, 0, offsetof(cf_peer, rx));
    p->tg = tg;
    p->server = server;
    p->clock.c.now_ns = peer_now;
    p->clock.p = p;
    drbg_init_u64(&p->drbg, seed);
    msgid_gen_init(&p->ids);
}

void cf_logf(cf_peer *p, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (p->log_to) { /* a further connection: "[name] line" in the first one's transcript */
        cf_logf(p->log_to, "[%s] %s", p->tag, line);
        return;
    }
    if (p->log_len + len + 2 > p->log_cap) {
        size_t cap = (p->log_cap + len + 2) * 2;
        char *l = realloc(p->log, cap);
        if (!l)
            return;
        p->log = l;
        p->log_cap = cap;
    }
    memcpy(p->log + p->log_len, line, len);
    p->log_len += len;
    p->log[p->log_len++] = '\n';
    p->log[p->log_len] = '\0';
}

void cf_drop(cf_peer *p, size_t i)
{
    free(p->q[i].body);
    memmove(&p->q[i], &p->q[i + 1], (p->nq - i - 1) * sizeof p->q[0]);
    p->nq--;
}

void cf_peer_free(cf_peer *p)
{
    while (p->nq)
        cf_drop(p, 0);
    mt_transport_wipe(&p->tr);
    cf_http_srv_free(p);
    mt_auth_key_wipe(&p->key);
    mt_auth_key_wipe(&p->perm);
    mt_auth_key_wipe(&p->perm2);
    free(p->log);
    p->log = NULL;
    cf_e2e_free(p->e2e);
    p->e2e = NULL;
}

int cf_connect(cf_peer *p, const char *transport, char *why, size_t cap)
{
    snprintf(p->transport, sizeof p->transport, "%s", transport);
    while (p->nq)
        cf_drop(p, 0);
    int err = p->tg->ops->open(p->tg, transport, why, cap);
    if (err)
        return err;
    p->connected = true;
    p->closed = false;
    p->framed = false;
    p->http = strcmp(transport, "http") == 0;
    if (p->http) {
        cf_logf(p, "-- connect (http)");
        if (!p->server)
            return cf_http_open(p);
        cf_http_srv_open(p);
        return 0;
    }
    bool obf = strncmp(transport, "obf2-", 5) == 0;
    int kind = mt_transport_kind_from_name(obf ? transport + 5 : transport);
    if (p->server)
        err = mt_transport_init(&p->tr, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, p->rx, sizeof p->rx,
                                &p->drbg.rng);
    else if (obf)
        err = mt_transport_init_obf2_client(&p->tr, (mt_transport_kind)kind, 2, NULL, 0, p->rx,
                                            sizeof p->rx, &p->drbg.rng);
    else
        err = mt_transport_init(&p->tr, (mt_transport_kind)kind, MT_ROLE_CLIENT, p->rx,
                                sizeof p->rx, &p->drbg.rng);
    cf_logf(p, "-- connect (%s)", transport);
    if (err)
        snprintf(why, cap, "transport %s: %s", transport, mt_err_name(err));
    return err;
}

int cf_send_wire(cf_peer *p, const uint8_t *b, size_t n, size_t split)
{
    if (p->closed)
        return MT_E_io_error;
    for (size_t at = 0; at < n;) {
        size_t k = split && split < n - at ? split : n - at;
        int err = p->tg->ops->send(p->tg, b + at, k);
        if (err)
            return err;
        at += k;
    }
    return 0;
}

int cf_send_payload(cf_peer *p, const uint8_t *pl, size_t n, const cf_env *env)
{
    if (p->http && p->server)
        return cf_http_srv_send(p, pl, n);
    size_t cap = n + MT_TRANSPORT_MAX_OVERHEAD, len;
    uint8_t *w = malloc(cap);
    if (!w)
        return MT_E_no_memory;
    unsigned flags = env && env->quick_ack ? MT_TF_QUICK_ACK : 0;
    int err = p->http ? cf_http_frame(p, pl, n, w, cap, &len)
                      : mt_transport_frame(&p->tr, pl, n, flags, w, cap, &len);
    if (!err) {
        cf_logf(p, "> frame %zu bytes (wire %zu)", n, len);
        err = cf_send_wire(p, w, len, env ? env->split : 0);
    }
    free(w);
    return err;
}

int cf_next_msg_id(cf_peer *p, uint64_t *id)
{
    return msgid_next(&p->ids, &p->clock.c, &p->drbg.rng,
                      p->server ? MSGID_SERVER_OTHER : MSGID_CLIENT, id);
}

/* A server numbers its messages as our server engines do (sess_server_content_related: the
 * notifications that need no ack are even), so a strict client accepts the defaults. */
uint32_t cf_next_seqno(cf_peer *p, uint32_t ctor_id)
{
    if (p->server ? sess_server_content_related(ctor_id) : sess_is_content_related(ctor_id))
        return 2 * p->content_sent++ + 1;
    return 2 * p->content_sent;
}

void cf_note_sent(cf_peer *p, uint64_t id, uint32_t seqno)
{
    p->last_seqno = seqno;
    if (!p->first_sent)
        p->first_sent = id;
    p->prev_sent = p->last_sent;
    p->last_sent = id;
}

int cf_send_plain(cf_peer *p, const uint8_t *body, size_t len, const cf_env *env)
{
    uint64_t id;
    int err = 0;
    if (env && env->has_msg_id)
        id = env->msg_id;
    else
        err = cf_next_msg_id(p, &id);
    size_t cap = len + MT_PLAIN_HEADER_LEN, n;
    uint8_t *pkt = malloc(cap);
    if (!pkt)
        return MT_E_no_memory;
    if (!err)
        err = mt_plain_pack(id, body, len, pkt, cap, &n);
    if (!err && env && env->has_len)
        st32le(pkt + 16, env->length);
    if (!err && env && (env->ovr.flags & MT_OVR_AUTH_KEY_ID))
        memcpy(pkt, env->ovr.auth_key_id, 8);
    if (!err) {
        cf_note_sent(p, id, 0);
        cf_logf(p, "> plain msg_id=%#llx %zu bytes", (unsigned long long)id, len);
        err = cf_send_payload(p, pkt, n, env);
    }
    free(pkt);
    return err;
}
