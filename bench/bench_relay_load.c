/*
 * Load benchmark of the reference peers (issue 7 "Load benchmark"): one `mtproof relay` process
 * on loopback and N reference clients (client_core.h) in this process on one libuv loop. Every
 * client creates its auth key, joins a room with one other client, agrees an end-to-end key and
 * sends M chat messages once every pair has its key (a barrier), closed-loop (WINDOW in flight;
 * each message received lets one more go),
 * so the latency figures are not queueing artefacts. Reports handshakes/s, relayed messages/s,
 * p50/p99 message latency (send → the peer's decrypted delivery), the relay's peak RSS (VmHWM)
 * and errors, as JSON lines against the targets, and the CPU seconds per 100k relayed
 * messages of the message phase for the relay and for this generator (comparable across runs on
 * a busy machine). The clients keep their end-to-end layer: every message is sealed by the sender
 * and opened by the peer, so the generator's CPU includes both crypto layers. Stops by itself (a
 * 300 s guard).
 *
 * Usage: bench_relay_load [--clients N] [--messages M] [--relay PATH_TO_MTPROOF]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "bench/bench.h"
#include "crypto/rng.h"
#include "crypto/rng_pool.h"
#include "crypto/rsa.h"
#include "harness/keyfile.h"
#include "reference-peers/client_core.h"
#include "reference-peers/peer_util.h"
#include "reference-peers/uv_write.h"

#define WINDOW      8
#define GUARD_MS    300000
#define MAX_CLIENTS 20000

typedef struct lclient {
    uv_tcp_t tcp;
    uv_connect_t conn;
    pclient *core;
    struct load *L;
    bool writing, keyed, chat, done, closed;
    unsigned sent, got;
} lclient;

typedef struct load {
    uv_loop_t *loop;
    uv_timer_t guard, tick;
    lclient *c;
    unsigned n, m;
    unsigned keyed, finished, errors, connected, max_connected, ready;
    bool go, started;
    uint64_t t0, t_keys, t_first_send, t_last_recv;
    uint64_t *lat; /* ns */
    size_t n_lat, cap_lat;
    struct sockaddr_in addr;
    pid_t relay;
    rng_pool rng; /* the OS RNG pooled, as the relay and client programs use it */
    double cpu_relay0, cpu_self0, cpu_relay1, cpu_self1; /* CPU seconds at go and at the end */
} load;

static uint64_t now_ns(void)
{
    return clock_now(peer_wall_clock());
}

static void flush(lclient *c);

/* CPU seconds (user + system) a process has used so far, from /proc/PID/stat; -1 if unreadable.
 * CPU time rather than wall time: other work on the machine barely changes it. */
static double cpu_seconds(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    unsigned long long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void send_one(lclient *c)
{
    char text[64];
    int n = snprintf(text, sizeof text, "t=%llu", (unsigned long long)now_ns());
    if (pclient_send_text(c->core, text, (size_t)n) != 0) {
        c->L->errors++;
        return;
    }
    if (!c->L->t_first_send)
        c->L->t_first_send = now_ns();
    c->sent++;
}

static void finish_client(lclient *c)
{
    if (c->done)
        return;
    c->done = true;
    c->L->finished++;
    if (c->L->finished == c->L->n)
        uv_stop(c->L->loop);
}

static void on_event(void *ctx, const pclient_event *ev)
{
    lclient *c = ctx;
    load *L = c->L;
    switch (ev->kind) {
    case PCLIENT_EV_KEY:
        if (!c->keyed && ++L->keyed == L->n)
            L->t_keys = now_ns();
        c->keyed = true;
        break;
    case PCLIENT_EV_E2E_READY:
        /* A barrier: the message phase starts when every pair has its key, so the rate measured
         * is relaying alone, not relaying while other clients still run handshakes. */
        c->chat = true;
        if (++L->ready == L->n)
            L->go = true;
        break;
    case PCLIENT_EV_MESSAGE: {
        unsigned long long t = 0;
        if (ev->len > 2 && sscanf(ev->text, "t=%llu", &t) == 1 && L->n_lat < L->cap_lat)
            L->lat[L->n_lat++] = now_ns() - t;
        L->t_last_recv = now_ns();
        c->got++;
        if (c->sent < L->m)
            send_one(c);
        if (c->got >= L->m && c->sent >= L->m)
            finish_client(c);
        break;
    }
    case PCLIENT_EV_ERROR:
    case PCLIENT_EV_PEER_LEFT:
        if (!c->done) {
            L->errors++;
            finish_client(c);
        }
        break;
    default:
        break;
    }
}

static void on_written(void *ctx, size_t n, int status)
{
    lclient *c = ctx;
    c->writing = false;
    pclient_output_done(c->core, n);
    if (status < 0)
        c->L->errors++;
    else
        flush(c);
}

static void flush(lclient *c)
{
    if (c->writing || c->closed)
        return;
    size_t n = 0;
    const uint8_t *p = pclient_output(c->core, &n);
    if (!n)
        return;
    c->writing = true;
    if (peer_write_copy((uv_stream_t *)&c->tcp, p, n, on_written, c) != 0) {
        c->writing = false;
        c->L->errors++;
    }
}

static void on_alloc(uv_handle_t *h, size_t s, uv_buf_t *buf)
{
    (void)h;
    (void)s;
    static char rb[65536];
    buf->base = rb;
    buf->len = sizeof rb;
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    lclient *c = st->data;
    if (nread < 0) {
        c->closed = true;
        c->L->connected--;
        if (!c->done) {
            c->L->errors++;
            finish_client(c);
        }
        uv_close((uv_handle_t *)&c->tcp, NULL);
        return;
    }
    if (nread > 0)
        if (pclient_feed(c->core, (const uint8_t *)buf->base, (size_t)nread) != 0 && !c->done) {
            c->L->errors++;
            finish_client(c);
        }
    flush(c);
}

static void on_connected(uv_connect_t *req, int status)
{
    lclient *c = req->data;
    load *L = c->L;
    if (status < 0 || pclient_start(c->core) != 0) {
        L->errors++;
        finish_client(c);
        return;
    }
    if (++L->connected > L->max_connected)
        L->max_connected = L->connected;
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    flush(c);
}

static void on_tick(uv_timer_t *t)
{
    load *L = t->data;
    if (L->go && !L->started) {
        L->started = true;
        L->cpu_relay0 = cpu_seconds(L->relay);
        L->cpu_self0 = cpu_seconds(getpid());
        for (unsigned i = 0; i < L->n; i++)
            for (unsigned k = 0; k < WINDOW && L->c[i].sent < L->m; k++)
                send_one(&L->c[i]);
    }
    for (unsigned i = 0; i < L->n; i++) {
        lclient *c = &L->c[i];
        if (c->core && !c->closed) {
            (void)pclient_tick(c->core);
            flush(c);
        }
    }
}

static void on_guard(uv_timer_t *t)
{
    load *L = t->data;
    fprintf(stderr, "bench_relay_load: gave up after %d s (%u of %u clients finished)\n",
            GUARD_MS / 1000, L->finished, L->n);
    L->errors += L->n - L->finished;
    uv_stop(L->loop);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The relay's peak resident set (VmHWM), in MB; -1 when unreadable. */
static double peak_rss_mb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    double kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtod(line + 6, NULL);
    if (f)
        fclose(f);
    return kb < 0 ? -1 : kb / 1024.0;
}

/* Starts `mtproof relay` on a free port; returns its pid (port in *port) or -1. */
static pid_t start_relay(const char *bin, const char *dir, unsigned n, int *port)
{
    char keyp[512], ready[512], conns[32];
    snprintf(keyp, sizeof keyp, "%s/key.pem", dir);
    snprintf(ready, sizeof ready, "%s/ready", dir);
    snprintf(conns, sizeof conns, "%u", n + 64);
    pid_t pid = fork();
    if (pid == 0) {
        execl(bin, bin, "relay", "--listen", "127.0.0.1:0", "--key", keyp, "--ready-file", ready,
              "--log-level", "error", "--max-conns", conns, "--handshakes-per-sec", "1000000",
              (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 400 && pid > 0; i++) {
        FILE *f = fopen(ready, "r");
        char host[64];
        if (f && fscanf(f, "tcp %63[^:]:%d", host, port) == 2) {
            fclose(f);
            return pid;
        }
        if (f)
            fclose(f);
        usleep(25000);
    }
    return -1;
}

static bool write_key(const char *dir, rsa_private *k)
{
    static char pem[PEM_MAX_TEXT];
    size_t len = 0;
    char path[512];
    snprintf(path, sizeof path, "%s/key.pem", dir);
    return rsa_generate(k, RSA_KEYGEN_BITS, rng_os()) == 0 &&
           rsa_private_to_pem(k, RSA_FORM_PKCS1_PRIVATE, pem, sizeof pem, &len) == 0 &&
           keyfile_write_private(path, pem, len, true, "bench") == 0;
}

static bool make_clients(load *L, const rsa_public *const *keys)
{
    for (unsigned i = 0; i < L->n; i++) {
        lclient *c = &L->c[i];
        c->L = L;
        static char rooms[MAX_CLIENTS / 2 + 1][24];
        snprintf(rooms[i / 2], sizeof rooms[0], "load-%u", i / 2);
        pclient_config cfg = {.keys = keys,
                              .n_keys = 1,
                              .clock = peer_wall_clock(),
                              .rng = rng_pool_rng(&L->rng),
                              .transport = MT_TRANSPORT_INTERMEDIATE,
                              .room = rooms[i / 2],
                              .rekey_every = 1000000,
                              .stop_after = PCLIENT_STAGE_ALL,
                              .on_event = on_event,
                              .event_ctx = c};
        if (pclient_new(&c->core, &cfg) != 0)
            return false;
        uv_tcp_init(L->loop, &c->tcp);
        c->tcp.data = c;
        c->conn.data = c;
        if (uv_tcp_connect(&c->conn, &c->tcp, (const struct sockaddr *)&L->addr, on_connected))
            return false;
    }
    return true;
}

static void report(load *L, double rss)
{
    double hs_s = (double)(L->t_keys - L->t0) / 1e9;
    double msg_s = (double)(L->t_last_recv - L->t_first_send) / 1e9;
    double relayed = (double)L->n_lat;
    qsort(L->lat, L->n_lat, sizeof *L->lat, cmp_u64);
    double p50 = L->n_lat ? (double)L->lat[L->n_lat / 2] / 1e6 : -1;
    double p99 = L->n_lat ? (double)L->lat[L->n_lat * 99 / 100] / 1e6 : -1;
    bench_report("relay_load_handshakes", L->n, L->t_keys ? L->n / hs_s : 0, "handshakes/s");
    bench_print_compare("relay_load_relayed_msgs", L->m, msg_s > 0 ? relayed / msg_s : 0,
                        "issue-7 target", 50000, "msgs/s");
    bench_report("relay_load_latency_p50", L->m, p50, "ms");
    bench_report("relay_load_latency_p99", L->m, p99, "ms");
    /* For RSS and connections the ratio is target over ours: above 1 means within the target. */
    bench_print_compare("relay_load_connections_held", L->n, L->max_connected, "issue-7 target",
                        1000, "connections");
    bench_print_compare("relay_load_peak_rss", L->n, rss, "issue-7 target", 200, "MB");
    bench_report("relay_load_errors", L->n, L->errors, "errors");
    /* CPU seconds per 100k relayed messages in the message phase (after the barrier), for each
     * process: the figure to compare across runs on a busy machine. */
    double per = relayed > 0 ? 1e5 / relayed : 0;
    bench_report("relay_load_cpu_relay_per_100k_msgs", L->m, (L->cpu_relay1 - L->cpu_relay0) * per,
                 "cpu-s");
    bench_report("relay_load_cpu_generator_per_100k_msgs", L->m,
                 (L->cpu_self1 - L->cpu_self0) * per, "cpu-s");
}

int main(int argc, char **argv)
{
    static load L;
    L.n = 1000;
    L.m = 200;
    const char *bin = MTPROOF_BINARY;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--clients") == 0)
            L.n = (unsigned)strtoul(argv[i + 1], NULL, 10) & ~1u;
        else if (strcmp(argv[i], "--messages") == 0)
            L.m = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--relay") == 0)
            bin = argv[i + 1];
    }
    if (L.n < 2 || L.n > MAX_CLIENTS || L.m < 1) {
        fprintf(stderr,
                "usage: bench_relay_load [--clients 2..%d] [--messages M>0] [--relay BIN]\n",
                MAX_CLIENTS);
        return 2;
    }
    char dir[] = "/tmp/mtproof-load-XXXXXX";
    static rsa_private key;
    int port = 0;
    pid_t relay = -1;
    if (!mkdtemp(dir) || !write_key(dir, &key) || (relay = start_relay(bin, dir, L.n, &port)) < 0) {
        fprintf(stderr, "bench_relay_load: cannot start the relay (%s)\n", bin);
        return 1;
    }
    L.loop = uv_default_loop();
    rng_pool_init(&L.rng, rng_os());
    L.c = calloc(L.n, sizeof *L.c);
    L.cap_lat = (size_t)L.n * L.m;
    L.lat = malloc(L.cap_lat * sizeof *L.lat);
    uv_ip4_addr("127.0.0.1", port, &L.addr);
    L.relay = relay;
    const rsa_public *keys[1] = {&key.pub};
    L.t0 = now_ns();
    int rc = 1;
    if (L.c && L.lat && make_clients(&L, keys)) {
        uv_timer_init(L.loop, &L.guard);
        uv_timer_init(L.loop, &L.tick);
        L.guard.data = L.tick.data = &L;
        uv_timer_start(&L.guard, on_guard, GUARD_MS, 0);
        uv_timer_start(&L.tick, on_tick, 5, 5);
        uv_run(L.loop, UV_RUN_DEFAULT);
        L.cpu_relay1 = cpu_seconds(relay);
        L.cpu_self1 = cpu_seconds(getpid());
        report(&L, peak_rss_mb(relay));
        rc = L.errors ? 1 : 0;
    }
    kill(relay, SIGTERM);
    waitpid(relay, NULL, 0);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_relay_load: could not remove %s\n", dir);
    return rc;
}
