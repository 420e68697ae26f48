/* `mtproof relay`: the libuv pump around the relay core (relay_uv.h). */
#include "reference-peers/relay_uv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "crypto/rng.h"
#include "crypto/rng_pool.h"
#include "harness/cli.h"
#include "reference-peers/peer_util.h"
#include "reference-peers/relay_record.h"
#include "reference-peers/relay_state.h"
#include "reference-peers/uv_write.h"

#define READ_CHUNK 65536

typedef struct rconn rconn;
typedef struct relay_srv {
    uv_loop_t *loop;
    relay *core;
    const rsa_private *keys[1];
    const relay_uv_opts *o;
    uv_tcp_t listeners[2 * RELAY_UV_MAX_LISTEN];
    size_t n_listeners;
    uv_timer_t timer;
    uint64_t timer_due; /* the deadline the timer is armed for (clock ns) */
    rng_pool rng;       /* the OS RNG, pooled: one getrandom per 4 KiB, not per message */
    uv_signal_t sigint, sigterm;
    peer_idmap conns;
    uint32_t *dirty; /* conns woken during a core call: flushed after it */
    size_t n_dirty, cap_dirty;
    bool stopping;
    uint64_t start_s;
    char readbuf[READ_CHUNK];
} relay_srv;

struct rconn {
    uv_tcp_t tcp;
    relay_srv *srv;
    uint32_t id;
    size_t inflight; /* bytes handed to uv_write, not yet done */
    bool closing;    /* uv_close called */
    bool core_closed;
    relay_rec rec;
    bool recording;
};

static void flush(relay_srv *s, rconn *c);
static void free_data(uv_handle_t *h)
{
    free(h->data);
}
static void arm_timer(relay_srv *s);
static void after_event(relay_srv *s, rconn *c);

/* ---- hooks from the core ---- */

static void hook_wake(void *ctx, uint32_t id)
{
    relay_srv *s = ctx;
    if (s->n_dirty == s->cap_dirty) {
        size_t cap = s->cap_dirty ? 2 * s->cap_dirty : 64;
        uint32_t *d = realloc(s->dirty, cap * sizeof *d);
        if (!d)
            return; /* the connection is flushed on its next event instead */
        s->dirty = d;
        s->cap_dirty = cap;
    }
    s->dirty[s->n_dirty++] = id;
}

static const char *const level_names[] = {"error", "warn", "info", "debug"};

static void hook_log(void *ctx, relay_log_level level, uint32_t conn, const char *line)
{
    relay_srv *s = ctx;
    if (level > s->o->log_level)
        return;
    char ts[40];
    peer_timestamp(ts, sizeof ts);
    if (conn)
        fprintf(stderr, "%s %s conn=%u %s\n", ts, level_names[level], conn, line);
    else
        fprintf(stderr, "%s %s %s\n", ts, level_names[level], line);
}

static void hook_frame(void *ctx, uint32_t id, relay_dir dir, bool wire, const uint8_t *p, size_t n,
                       uint64_t t_ns)
{
    relay_srv *s = ctx;
    rconn *c = peer_idmap_get(&s->conns, id);
    if (c && c->recording && !wire)
        relay_rec_frame(&c->rec, dir, p, n, t_ns);
}

static void hook_key_used(void *ctx, uint32_t id, const mt_auth_key *key)
{
    relay_srv *s = ctx;
    rconn *c = peer_idmap_get(&s->conns, id);
    if (c && c->recording)
        relay_rec_key(&c->rec, key);
}

static void hook_key_created(void *ctx, const mt_auth_key *key, bool temp, int64_t expires_at)
{
    relay_srv *s = ctx;
    if (s->o->state_dir)
        (void)relay_state_save(s->o->state_dir, key, temp, expires_at);
}

/* ---- connections ---- */

static void on_closed(uv_handle_t *h)
{
    rconn *c = h->data;
    relay_srv *s = c->srv;
    if (c->recording) {
        (void)relay_rec_write(&c->rec, s->o->record_dir, s->start_s, c->id);
        relay_rec_free(&c->rec);
    }
    peer_idmap_del(&s->conns, c->id);
    free(c);
}

static void conn_close(relay_srv *s, rconn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    if (!c->core_closed) {
        c->core_closed = true;
        relay_close(s->core, c->id); /* announces the leave to a room peer: may wake others */
    }
    uv_close((uv_handle_t *)&c->tcp, on_closed);
}

static void flush_dirty(relay_srv *s)
{
    /* Flushing can wake more connections (not today, but keep it safe): loop until empty. */
    while (s->n_dirty) {
        uint32_t id = s->dirty[--s->n_dirty];
        rconn *c = peer_idmap_get(&s->conns, id);
        if (c)
            flush(s, c);
    }
}

static void on_written(void *ctx, size_t n, int status)
{
    rconn *c = ctx;
    relay_srv *s = c->srv;
    c->inflight -= n;
    if (!c->core_closed)
        relay_output_done(s->core, c->id, n);
    if (status < 0) {
        conn_close(s, c);
        return;
    }
    flush(s, c);
    flush_dirty(s);
}

/* Writes the core's output for c (one write in flight at a time: relay_output's bytes stay the
 * core's until relay_output_done, so its pending count includes what the socket has not taken). */
static void flush(relay_srv *s, rconn *c)
{
    if (c->closing || c->inflight)
        return;
    size_t n = 0;
    const uint8_t *p = relay_output(s->core, c->id, &n);
    if (n) {
        c->inflight = n;
        if (peer_write_copy((uv_stream_t *)&c->tcp, p, n, on_written, c) != 0) {
            c->inflight = 0;
            conn_close(s, c);
        }
        return;
    }
    if (relay_closing(s->core, c->id))
        conn_close(s, c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    rconn *c = h->data;
    buf->base = c->srv->readbuf;
    buf->len = sizeof c->srv->readbuf;
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    rconn *c = st->data;
    relay_srv *s = c->srv;
    if (nread < 0) {
        conn_close(s, c);
        flush_dirty(s);
        arm_timer(s);
        return;
    }
    if (nread == 0 || c->closing)
        return;
    /* A rule broken by the input has its reaction queued already (-404, a close...). */
    int broken = relay_feed(s->core, c->id, (const uint8_t *)buf->base, (size_t)nread);
    (void)broken;
    after_event(s, c);
}

static void on_connection(uv_stream_t *server, int status)
{
    relay_srv *s = server->data;
    if (status < 0 || s->stopping)
        return;
    rconn *c = calloc(1, sizeof *c);
    if (!c)
        return;
    c->srv = s;
    uv_tcp_init(s->loop, &c->tcp);
    c->tcp.data = c;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
        uv_close((uv_handle_t *)&c->tcp, free_data);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    bool http = (uintptr_t)server >= (uintptr_t)&s->listeners[s->o->n_listen];
    if (relay_open(s->core, http ? RELAY_CONN_HTTP : RELAY_CONN_TCP, &c->id) != 0 ||
        peer_idmap_put(&s->conns, c->id, c) != 0) {
        c->core_closed = c->id == 0;
        c->closing = true;
        if (c->id)
            relay_close(s->core, c->id);
        uv_close((uv_handle_t *)&c->tcp, free_data);
        return;
    }
    if (s->o->record_dir) {
        c->recording = true;
        relay_rec_init(&c->rec);
    }
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    after_event(s, c); /* over max_conns the core has queued -429 already */
}

/* ---- timer, signals, listeners ---- */

static void on_timer(uv_timer_t *t)
{
    relay_srv *s = t->data;
    arm_timer(s);
}

/* Sleeps until next (clock ns), at most 60 s. */
static void start_timer(relay_srv *s, uint64_t next)
{
    uint64_t now = clock_now(peer_wall_clock());
    uint64_t ms = next == UINT64_MAX ? 60000 : next <= now ? 1 : (next - now + 999999) / 1000000;
    if (ms > 60000)
        ms = 60000;
    s->timer_due = now + ms * 1000000;
    uv_timer_start(&s->timer, on_timer, ms, 0);
}

/* Runs every due timer of the core and sleeps until its next deadline. */
static void arm_timer(relay_srv *s)
{
    uint64_t next = relay_tick(s->core);
    flush_dirty(s);
    if (!s->stopping)
        start_timer(s, next);
}

/* After an event on c: the timers of c and of the connections the event woke (an event moves
 * no other connection's deadlines, so the whole table is not walked per read), then their
 * output; the timer is brought forward when one of them is due sooner. */
static void after_event(relay_srv *s, rconn *c)
{
    uint64_t at = relay_tick_conn(s->core, c->id);
    /* A woken connection's timers may wake others (a session closed leaves its room): those are
     * ticked too. Each is ticked once per event in practice; past the bound, the full walk. */
    size_t bound = 2 * s->n_dirty + 16;
    for (size_t i = 0; i < s->n_dirty; i++) {
        if (i == bound) {
            arm_timer(s);
            break;
        }
        uint64_t a = relay_tick_conn(s->core, s->dirty[i]);
        at = a < at ? a : at;
    }
    flush(s, c);
    flush_dirty(s);
    if (!s->stopping && at < s->timer_due)
        start_timer(s, at);
}

static void close_conn_cb(uv_handle_t *h, void *arg)
{
    relay_srv *s = arg;
    if (h->type == UV_TCP && h->data && h->data != s) {
        rconn *c = h->data;
        conn_close(s, c);
    }
}

static void on_signal(uv_signal_t *sig, int signum)
{
    relay_srv *s = sig->data;
    if (s->stopping)
        return;
    s->stopping = true;
    char line[160];
    relay_stats st;
    relay_get_stats(s->core, &st);
    snprintf(line, sizeof line,
             "signal %d: shutting down (%llu connections served, %llu keys, %llu messages relayed)",
             signum, (unsigned long long)st.conns_total, (unsigned long long)st.keys,
             (unsigned long long)st.relayed_msgs);
    hook_log(s, RELAY_LOG_INFO, 0, line);
    for (size_t i = 0; i < s->n_listeners; i++)
        uv_close((uv_handle_t *)&s->listeners[i], NULL);
    uv_walk(s->loop, close_conn_cb, s);
    uv_timer_stop(&s->timer);
    uv_close((uv_handle_t *)&s->timer, NULL);
    uv_close((uv_handle_t *)&s->sigint, NULL);
    uv_close((uv_handle_t *)&s->sigterm, NULL);
}

static int bind_one(relay_srv *s, const char *addr, FILE *ready)
{
    char host[256];
    int port = 0;
    struct sockaddr_storage ss;
    if (!peer_split_addr(addr, host, sizeof host, &port))
        return cli_err(CLI_USAGE, "relay", "'%s' is not ADDR:PORT", addr);
    if (uv_ip4_addr(host, port, (struct sockaddr_in *)&ss) != 0 &&
        uv_ip6_addr(host, port, (struct sockaddr_in6 *)&ss) != 0)
        return cli_err(CLI_USAGE, "relay", "'%s': not an IP address", host);
    uv_tcp_t *l = &s->listeners[s->n_listeners];
    uv_tcp_init(s->loop, l);
    l->data = s;
    s->n_listeners++;
    int rc = uv_tcp_bind(l, (const struct sockaddr *)&ss, 0);
    if (!rc)
        rc = uv_listen((uv_stream_t *)l, 511, on_connection);
    if (rc)
        return cli_err(CLI_ERROR, "relay", "cannot listen on %s: %s", addr, uv_strerror(rc));
    struct sockaddr_storage got;
    int len = sizeof got;
    char name[INET6_ADDRSTRLEN] = "?";
    uv_tcp_getsockname(l, (struct sockaddr *)&got, &len);
    if (got.ss_family == AF_INET6)
        uv_ip6_name((struct sockaddr_in6 *)&got, name, sizeof name);
    else
        uv_ip4_name((struct sockaddr_in *)&got, name, sizeof name);
    int p = ntohs(got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
                                            : ((struct sockaddr_in *)&got)->sin_port);
    bool http = s->n_listeners > s->o->n_listen;
    fprintf(stderr, "mtproof relay: listening on %s:%d (%s)\n", name, p, http ? "http" : "tcp");
    if (ready)
        fprintf(ready, "%s %s:%d\n", http ? "http" : "tcp", name, p);
    return 0;
}

static int listen_all(relay_srv *s)
{
    FILE *ready = NULL;
    if (s->o->ready_file && !(ready = fopen(s->o->ready_file, "w")))
        return cli_err(CLI_ERROR, "relay", "%s: cannot write", s->o->ready_file);
    int rc = 0;
    for (size_t i = 0; i < s->o->n_listen && !rc; i++)
        rc = bind_one(s, s->o->listen[i], ready);
    for (size_t i = 0; i < s->o->n_http && !rc; i++)
        rc = bind_one(s, s->o->http[i], ready);
    if (ready && fclose(ready) != 0 && !rc)
        rc = cli_err(CLI_ERROR, "relay", "%s: cannot write", s->o->ready_file);
    return rc;
}

static int make_core(relay_srv *s)
{
    s->keys[0] = s->o->key; /* the core keeps the array: it lives in the server */
    rng_pool_init(&s->rng, rng_os());
    relay_config cfg = {
        .keys = s->keys,
        .n_keys = 1,
        .clock = peer_wall_clock(),
        .rng = rng_pool_rng(&s->rng),
        .limits = s->o->limits,
        .violate = s->o->violate,
        .n_violate = s->o->n_violate,
        .strict = s->o->strict,
        .hs_retries = s->o->hs_retries,
        .log_level = s->o->log_level,
        .hooks = {s, hook_wake, hook_log, hook_frame, hook_key_used, hook_key_created},
    };
    int err = relay_new(&s->core, &cfg);
    if (err)
        return cli_err(CLI_ERROR, "relay", "cannot start: %s", mt_err_message(err));
    if (s->o->state_dir) {
        long n = relay_state_load(s->o->state_dir, s->core, (int64_t)s->start_s);
        if (n < 0)
            return CLI_ERROR;
        fprintf(stderr, "mtproof relay: %ld auth keys loaded from %s\n", n, s->o->state_dir);
    }
    return 0;
}

int relay_uv_run(const relay_uv_opts *o)
{
    static relay_srv s;
    memset(&s, 0, sizeof s);
    s.o = o;
    s.loop = uv_default_loop();
    s.start_s = clock_now(peer_wall_clock()) / NS_PER_S;
    int rc = make_core(&s);
    if (!rc)
        rc = listen_all(&s);
    if (!rc) {
        uv_timer_init(s.loop, &s.timer);
        s.timer.data = &s;
        uv_signal_init(s.loop, &s.sigint);
        uv_signal_init(s.loop, &s.sigterm);
        s.sigint.data = s.sigterm.data = &s;
        uv_signal_start(&s.sigint, on_signal, SIGINT);
        uv_signal_start(&s.sigterm, on_signal, SIGTERM);
        arm_timer(&s);
        uv_run(s.loop, UV_RUN_DEFAULT);
    } else {
        for (size_t i = 0; i < s.n_listeners; i++)
            uv_close((uv_handle_t *)&s.listeners[i], NULL);
        uv_run(s.loop, UV_RUN_DEFAULT);
    }
    uv_loop_close(s.loop);
    relay_free(s.core);
    rng_pool_wipe(&s.rng);
    peer_idmap_free(&s.conns);
    free(s.dirty);
    return rc;
}
