/* The relay core's life cycle, connection table, output queues and timers
 * (reference-peers/relay_core.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "reference-peers/relay_internal.h"

uint64_t relay_now(const relay *r)
{
    return clock_now(r->cfg.clock);
}

void relay_log(relay *r, relay_log_level lv, uint32_t conn, const char *fmt, ...)
{
    if (!r->cfg.hooks.log || lv > r->cfg.log_level)
        return;
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    r->cfg.hooks.log(r->cfg.hooks.ctx, lv, conn, line);
}

static void take_limits(relay *r)
{
    relay_limits l = r->cfg.limits;
    r->lim.max_conns = l.max_conns ? l.max_conns : RELAY_DEF_MAX_CONNS;
    r->lim.max_frame = l.max_frame ? l.max_frame : RELAY_DEF_MAX_FRAME;
    if (r->lim.max_frame < RELAY_MIN_FRAME)
        r->lim.max_frame = RELAY_MIN_FRAME;
    if (r->lim.max_frame > MT_TRANSPORT_MAX_FRAME)
        r->lim.max_frame = (uint32_t)MT_TRANSPORT_MAX_FRAME;
    r->lim.max_pending = l.max_pending ? l.max_pending : RELAY_DEF_MAX_PENDING;
    r->lim.idle_timeout_ns = l.idle_timeout_ns ? l.idle_timeout_ns : RELAY_DEF_IDLE_NS;
    r->lim.handshakes_per_s = l.handshakes_per_s ? l.handshakes_per_s : RELAY_DEF_HANDSHAKES_PER_S;
}

static int check_violations(const relay_config *cfg)
{
    size_t n;
    const int *known = relay_violations(&n);
    for (size_t i = 0; i < cfg->n_violate; i++) {
        bool found = false;
        for (size_t j = 0; j < n; j++)
            found |= known[j] == cfg->violate[i];
        if (!found)
            return MT_E_bad_argument;
    }
    return MT_OK;
}

static int alloc_scratch(relay *r)
{
    r->plain_cap = r->lim.max_frame;
    r->plain = malloc(r->plain_cap);
    r->work = malloc(RELAY_WORK_BYTES);
    r->obuf = malloc(RELAY_OUT_BYTES);
    r->pbuf = malloc(RELAY_OUT_BYTES);
    r->cbuf = malloc(RELAY_OUT_BYTES + 16u * RELAY_OUT_MSGS + 64);
    r->pkt = malloc(MT_MSG_PACKED_MAX(RELAY_OUT_BYTES + 16u * RELAY_OUT_MSGS + 64) + 2048);
    r->body = malloc(RELAY_PAYLOAD_MAX + 1024);
    if (!r->plain || !r->work || !r->obuf || !r->pbuf || !r->cbuf || !r->pkt || !r->body)
        return MT_E_no_memory;
    sess_out_init(&r->out, r->obuf, RELAY_OUT_BYTES, r->omsgs, RELAY_OUT_MSGS);
    sess_out_init(&r->push, r->pbuf, RELAY_OUT_BYTES, r->pmsgs, RELAY_OUT_MSGS);
    return MT_OK;
}

int relay_new(relay **out, const relay_config *cfg)
{
    *out = NULL;
    if (!cfg || !cfg->keys || cfg->n_keys == 0 || cfg->n_keys > HSS_MAX_KEYS || !cfg->clock ||
        !cfg->rng || check_violations(cfg))
        return MT_E_bad_argument;
    relay *r = calloc(1, sizeof *r);
    if (!r)
        return MT_E_no_memory;
    r->cfg = *cfg;
    take_limits(r);
    int err = alloc_scratch(r);
    if (!err && cfg->n_violate) {
        r->violate = malloc(cfg->n_violate * sizeof *r->violate);
        if (r->violate)
            memcpy(r->violate, cfg->violate, cfg->n_violate * sizeof *r->violate);
        else
            err = MT_E_no_memory;
    }
    r->cfg.violate = r->violate;
    r->bind = (mt_bind_server){.clock = cfg->clock,
                               .find_perm = relay_find_perm_cb,
                               .keys_ctx = r,
                               .this_dc = RELAY_THIS_DC,
                               .next = relay_api};
    mt_bind_table_init(&r->bind.table);
    r->keys_expire_at = INT64_MAX;
    uint8_t seed[8] = {0};
    if (!err)
        err = rng_fill(cfg->rng, seed, sizeof seed);
    r->room_seed = ld64le(seed);
    if (err) {
        relay_free(r);
        return err;
    }
    *out = r;
    return MT_OK;
}

static void conn_free(relay_conn *c)
{
    if (c->hs) {
        hss_wipe(c->hs);
        free(c->hs);
    }
    if (c->sess)
        relay_sess_free(c->sess);
    mt_transport_wipe(&c->t);
    free(c->rx);
    free(c->out);
    free(c->hq);
    free(c);
}

void relay_free(relay *r)
{
    if (!r)
        return;
    for (uint32_t i = 0; i < r->nslots; i++)
        if (r->slots[i])
            conn_free(r->slots[i]);
    free(r->slots);
    relay_rooms_free(r);
    relay_keys_free(r);
    if (r->plain)
        memset(r->plain, 0, r->plain_cap);
    free(r->plain);
    free(r->work);
    free(r->obuf);
    free(r->pbuf);
    free(r->cbuf);
    free(r->pkt);
    free(r->body);
    free(r->violate);
    free(r);
}

relay_conn *relay_conn_get(const relay *r, uint32_t id)
{
    return id >= 1 && id <= r->nslots ? r->slots[id - 1] : NULL;
}

int relay_open(relay *r, relay_conn_kind kind, uint32_t *conn)
{
    *conn = 0;
    if (kind != RELAY_CONN_TCP && kind != RELAY_CONN_HTTP)
        return MT_E_bad_argument;
    if (r->nslots == r->slots_cap) {
        uint32_t cap = r->slots_cap ? 2 * r->slots_cap : 64;
        relay_conn **s = realloc(r->slots, cap * sizeof *s);
        if (!s)
            return MT_E_no_memory;
        r->slots = s;
        r->slots_cap = cap;
    }
    relay_conn *c = calloc(1, sizeof *c);
    if (!c)
        return MT_E_no_memory;
    c->id = ++r->nslots;
    r->slots[c->id - 1] = c;
    c->kind = kind;
    c->last_input_ns = c->opened_ns = relay_now(r);
    c->next = r->open;
    if (r->open)
        r->open->prev = c;
    r->open = c;
    r->st.conns_total++;
    *conn = c->id;
    relay_log(r, RELAY_LOG_INFO, c->id, "open %s", kind == RELAY_CONN_HTTP ? "http" : "tcp");
    if (r->st.conns_open >= r->lim.max_conns) {
        /* "-429: too many connections": the connection is told, then closed. */
        r->st.errors++;
        relay_log(r, RELAY_LOG_WARN, c->id, "over max_conns (%u)", r->lim.max_conns);
        relay_fail_rule(r, c, MT_E_RELAY_TOO_MANY_CONNS);
        return MT_OK;
    }
    c->counted = true;
    r->st.conns_open++;
    return MT_OK;
}

void relay_close(relay *r, uint32_t id)
{
    relay_conn *c = relay_conn_get(r, id);
    if (!c)
        return;
    relay_room_leave(r, c);
    if (c->prev)
        c->prev->next = c->next;
    else
        r->open = c->next;
    if (c->next)
        c->next->prev = c->prev;
    if (c->counted)
        r->st.conns_open--;
    r->slots[id - 1] = NULL;
    relay_log(r, RELAY_LOG_INFO, id, "close");
    conn_free(c);
}

uint8_t *relay_out_reserve(relay *r, relay_conn *c, size_t n, bool force)
{
    size_t pending = c->out_len - c->out_off;
    if (!force && pending + n > r->lim.max_pending)
        return NULL;
    if (c->out_off && c->out_len + n > c->out_cap) {
        memmove(c->out, c->out + c->out_off, pending);
        c->out_len = pending;
        c->out_off = 0;
    }
    if (c->out_len + n > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 4096;
        while (cap < c->out_len + n)
            cap *= 2;
        uint8_t *o = realloc(c->out, cap);
        if (!o)
            return NULL;
        c->out = o;
        c->out_cap = cap;
    }
    return c->out + c->out_len;
}

void relay_out_commit(relay *r, relay_conn *c, size_t n)
{
    const uint8_t *p = c->out + c->out_len;
    c->out_len += n;
    if (r->cfg.hooks.frame)
        r->cfg.hooks.frame(r->cfg.hooks.ctx, c->id, RELAY_OUT, true, p, n, relay_now(r));
    if (r->cfg.hooks.wake)
        r->cfg.hooks.wake(r->cfg.hooks.ctx, c->id);
}

const uint8_t *relay_output(relay *r, uint32_t conn, size_t *n)
{
    relay_conn *c = relay_conn_get(r, conn);
    *n = c ? c->out_len - c->out_off : 0;
    return *n ? c->out + c->out_off : NULL;
}

void relay_output_done(relay *r, uint32_t conn, size_t n)
{
    relay_conn *c = relay_conn_get(r, conn);
    if (!c)
        return;
    size_t pending = c->out_len - c->out_off;
    c->out_off += n < pending ? n : pending;
    if (c->out_off == c->out_len)
        c->out_off = c->out_len = 0;
}

bool relay_closing(const relay *r, uint32_t conn)
{
    const relay_conn *c = relay_conn_get(r, conn);
    return !c || c->closing;
}

int relay_feed(relay *r, uint32_t conn, const uint8_t *in, size_t n)
{
    relay_conn *c = relay_conn_get(r, conn);
    if (!c || (n && !in))
        return MT_E_bad_argument;
    if (c->closing || n == 0)
        return MT_OK;
    c->last_input_ns = relay_now(r);
    if (r->cfg.hooks.frame)
        r->cfg.hooks.frame(r->cfg.hooks.ctx, c->id, RELAY_IN, true, in, n, c->last_input_ns);
    if (c->kind == RELAY_CONN_HTTP)
        return relay_feed_http(r, c, in, n);
    return relay_feed_framed(r, c, in, n);
}

/* The timers of one open connection; lowers *next to its next deadline. */
static void tick_conn(relay *r, relay_conn *c, uint64_t now, uint64_t *next)
{
    if (c->closing)
        return;
    if (c->fail_code) {
        /* Over max_conns and still silent: no framing for the -429, so a plain close. */
        uint64_t give_up = c->opened_ns + RELAY_OVERLIMIT_WAIT_NS;
        if (now >= give_up) {
            c->fail_code = 0;
            relay_fail(r, c, 0);
            return;
        }
        *next = give_up < *next ? give_up : *next;
    }
    uint64_t idle_at = c->last_input_ns + r->lim.idle_timeout_ns;
    if (now >= idle_at) {
        relay_log(r, RELAY_LOG_INFO, c->id, "idle timeout");
        relay_fail_rule(r, c, MT_E_RELAY_IDLE_TIMEOUT);
        return;
    }
    *next = idle_at < *next ? idle_at : *next;
    relay_sess_tick(r, c, now, next);
    if (c->kind == RELAY_CONN_HTTP && !c->closing)
        relay_http_tick(r, c, now, next);
}

/* Removes expired temporary keys; the next expiry (clock ns) or UINT64_MAX. */
static uint64_t tick_keys(relay *r, uint64_t now)
{
    int64_t expiry = relay_keys_expire(r, (int64_t)(now / NS_PER_S));
    if (expiry != INT64_MAX && (uint64_t)expiry < UINT64_MAX / NS_PER_S)
        return (uint64_t)expiry * NS_PER_S;
    return UINT64_MAX;
}

uint64_t relay_tick(relay *r)
{
    uint64_t now = relay_now(r), next = tick_keys(r, now);
    for (relay_conn *c = r->open; c; c = c->next)
        tick_conn(r, c, now, &next);
    return next;
}

uint64_t relay_tick_conn(relay *r, uint32_t conn)
{
    uint64_t now = relay_now(r), next = tick_keys(r, now);
    relay_conn *c = relay_conn_get(r, conn);
    if (c)
        tick_conn(r, c, now, &next);
    return next;
}

void relay_get_stats(const relay *r, relay_stats *s)
{
    *s = r->st;
    s->keys = r->nkeys;
    s->rooms = r->nrooms;
}
