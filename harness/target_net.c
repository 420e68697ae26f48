/*
 * Network targets (issue 8): --server HOST:PORT (the harness connects to a running server) and
 * --listen ADDR:PORT with --client-cmd (the harness listens and launches the client under test per
 * connection, "{host}" and "{port}" replaced). Plain POSIX sockets, poll(2) for the real-time
 * limits; the clock is the wall clock.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/target.h"

/* A client command starts a runtime (node, python...) per scenario: on a loaded machine that takes
 * seconds, so --listen waits at least this long for the connection, and less only when the command
 * exits first. */
#define ACCEPT_MIN_NS  (30ull * NS_PER_S)
#define ACCEPT_POLL_MS 100
/* The exit status of a client command that lacks the scenario's transport. */
#define CLIENT_UNSUPPORTED_EXIT 3

typedef struct ntarget {
    target t;
    mt_clock clock;
    char host[256], port[16];
    const char *cmd;
    const char *scenario;
    bool temp_key;
    int fd, lfd;
    pid_t child;
    uint64_t timeout_ns;
} ntarget;

static uint64_t wall_ns(const mt_clock *c)
{
    (void)c;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static int split_addr(ntarget *n, const char *addr, char *why, size_t cap)
{
    const char *c = strrchr(addr ? addr : "", ':');
    if (!c || c == addr || strlen(c + 1) == 0 || strlen(c + 1) >= sizeof n->port ||
        (size_t)(c - addr) >= sizeof n->host) {
        snprintf(why, cap, "address '%s' is not HOST:PORT", addr ? addr : "");
        return MT_E_bad_argument;
    }
    memcpy(n->host, addr, (size_t)(c - addr));
    n->host[c - addr] = '\0';
    snprintf(n->port, sizeof n->port, "%s", c + 1);
    return 0;
}

static void n_close(target *t)
{
    ntarget *n = (ntarget *)t;
    if (n->fd >= 0)
        close(n->fd);
    n->fd = -1;
    if (n->child > 0) {
        /* The whole process group: `sh -c CMD` forks CMD (node...), which would otherwise live on
         * as an orphan and may reconnect to the listening socket as the next scenario's client. */
        kill(-n->child, SIGTERM);
        kill(n->child, SIGTERM);
        waitpid(n->child, NULL, 0);
        n->child = 0;
    }
}

static int n_send(target *t, const uint8_t *p, size_t len)
{
    ntarget *n = (ntarget *)t;
    while (len > 0) {
        ssize_t k = n->fd < 0 ? -1 : send(n->fd, p, len, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return MT_E_io_error;
        p += k;
        len -= (size_t)k;
    }
    return 0;
}

static int n_recv(target *t, uint8_t *buf, size_t cap, size_t *got, bool *closed, uint64_t timeout)
{
    ntarget *n = (ntarget *)t;
    *got = 0;
    *closed = n->fd < 0;
    if (n->fd < 0)
        return 0;
    struct pollfd pf = {n->fd, POLLIN, 0};
    int ms = (int)(timeout / 1000000);
    int r = poll(&pf, 1, ms > 0 ? ms : 1);
    if (r <= 0)
        return r < 0 && errno != EINTR ? MT_E_io_error : 0;
    ssize_t k = recv(n->fd, buf, cap, 0);
    if (k <= 0)
        *closed = true;
    else
        *got = (size_t)k;
    return 0;
}

static void n_pass(target *t, uint64_t ns)
{
    (void)t;
    struct timespec ts = {(time_t)(ns / NS_PER_S), (long)(ns % NS_PER_S)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void n_free(target *t)
{
    ntarget *n = (ntarget *)t;
    n_close(t);
    if (n->lfd >= 0)
        close(n->lfd);
    free(n);
}

static int connect_server(target *t, const char *transport, char *why, size_t cap)
{
    ntarget *n = (ntarget *)t;
    (void)transport;
    n_close(t);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    int rc = getaddrinfo(n->host, n->port, &hints, &ai);
    if (rc != 0) {
        snprintf(why, cap, "%s: %s", n->host, gai_strerror(rc));
        return MT_E_io_error;
    }
    for (struct addrinfo *a = ai; a && n->fd < 0; a = a->ai_next) {
        n->fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (n->fd >= 0 && connect(n->fd, a->ai_addr, a->ai_addrlen) != 0) {
            close(n->fd);
            n->fd = -1;
        }
    }
    freeaddrinfo(ai);
    if (n->fd < 0) {
        snprintf(why, cap, "cannot connect to %s:%s: %s", n->host, n->port, strerror(errno));
        return MT_E_io_error;
    }
    return 0;
}

/* cmd with {host}, {port}, {transport} (the scenario's: intermediate, full, obfuscated2-
 * padded...), {temp-key} (--temp-key when the scenario binds a temporary key) and {scenario} (its
 * name: a driver may log what its library did per scenario) replaced. */
static void expand(const ntarget *n, const char *transport, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *c = n->cmd; *c && o + 1 < cap;) {
        size_t skip = 6;
        const char *rep = !strncmp(c, "{host}", 6)   ? n->host
                          : !strncmp(c, "{port}", 6) ? n->port
                                                     : NULL;
        if (!rep && !strncmp(c, "{transport}", 11)) {
            rep = transport && *transport ? transport : "intermediate";
            skip = 11;
        }
        if (!rep && !strncmp(c, "{temp-key}", 10)) {
            rep = n->temp_key ? "--temp-key" : "";
            skip = 10;
        }
        if (!rep && !strncmp(c, "{scenario}", 10)) {
            rep = n->scenario ? n->scenario : "";
            skip = 10;
        }
        if (rep) {
            o += (size_t)snprintf(out + o, cap - o, "%s", rep);
            c += skip;
        } else {
            out[o++] = *c++;
        }
        if (o >= cap)
            o = cap - 1;
    }
    out[o] = '\0';
}

/* Waits for the client command to connect: until accept_ns pass or the command exits first. An
 * exit with status 3 means "I do not have this transport" (docs/scenarios.md, --client-cmd). */
static int wait_connect(ntarget *n, const char *cmd, char *why, size_t cap)
{
    uint64_t left = n->timeout_ns > ACCEPT_MIN_NS ? n->timeout_ns : ACCEPT_MIN_NS;
    while (left > 0) {
        struct pollfd pf = {n->lfd, POLLIN, 0};
        int r = poll(&pf, 1, ACCEPT_POLL_MS);
        if (r > 0 && (n->fd = accept4(n->lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
            return 0;
        int st = 0;
        if (waitpid(n->child, &st, WNOHANG) == n->child) {
            n->child = 0;
            bool unsup = WIFEXITED(st) && WEXITSTATUS(st) == CLIENT_UNSUPPORTED_EXIT;
            n->t.unsupported = unsup;
            snprintf(why, cap, "the client (%s) exited with status %d before connecting%s", cmd,
                     WIFEXITED(st) ? WEXITSTATUS(st) : -1, unsup ? " (unsupported)" : "");
            return MT_E_io_error;
        }
        left -= left > ACCEPT_POLL_MS * 1000000ull ? ACCEPT_POLL_MS * 1000000ull : left;
    }
    snprintf(why, cap, "the client (%s) did not connect in time", cmd);
    return MT_E_io_error;
}

static int accept_client(target *t, const char *transport, char *why, size_t cap)
{
    ntarget *n = (ntarget *)t;
    n_close(t);
    n->t.unsupported = false;
    char cmd[4096];
    expand(n, transport, cmd, sizeof cmd);
    n->child = fork();
    if (n->child == 0) {
        setpgid(0, 0); /* its own group, ended whole by n_close */
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    if (n->child > 0)
        (void)setpgid(n->child, n->child); /* also here: whichever of the two runs first */
    if (n->child < 0) {
        snprintf(why, cap, "cannot start the client: %s", strerror(errno));
        return MT_E_io_error;
    }
    return wait_connect(n, cmd, why, cap);
}

static int n_another(target *t, target **out);
static const target_ops server_ops = {connect_server, n_send, n_recv,   n_pass,
                                      n_close,        n_free, n_another};
static const target_ops client_ops = {accept_client, n_send, n_recv, n_pass, n_close, n_free, NULL};

static ntarget *new_target(const target_cfg *cfg, char *why, size_t cap)
{
    ntarget *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->fd = n->lfd = -1;
    n->clock.now_ns = wall_ns;
    n->t.clock = &n->clock;
    n->timeout_ns = cfg->timeout_ns ? cfg->timeout_ns : 10 * NS_PER_S;
    n->cmd = cfg->client_cmd;
    n->temp_key = cfg->temp_key;
    n->scenario = cfg->scenario;
    if (split_addr(n, cfg->addr, why, cap) != 0) {
        free(n);
        return NULL;
    }
    return n;
}

/* A further connection to the same server (`connection NAME`): its own socket. */
static int n_another(target *t, target **out)
{
    const ntarget *n = (const ntarget *)t;
    ntarget *m = calloc(1, sizeof *m);
    if (!m)
        return MT_E_no_memory;
    *m = *n;
    m->fd = m->lfd = -1;
    m->child = 0;
    m->t.clock = &m->clock;
    *out = &m->t;
    return 0;
}

int target_net_server(const target_cfg *cfg, target **out, char *why, size_t cap)
{
    ntarget *n = new_target(cfg, why, cap);
    if (!n)
        return MT_E_bad_argument;
    n->t.ops = &server_ops;
    snprintf(n->t.desc, sizeof n->t.desc, "server %.60s:%.10s", n->host, n->port);
    *out = &n->t;
    return 0;
}

int target_net_client(const target_cfg *cfg, target **out, char *why, size_t cap)
{
    ntarget *n = new_target(cfg, why, cap);
    if (!n)
        return MT_E_bad_argument;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *ai = NULL;
    int one = 1;
    if (getaddrinfo(n->host, n->port, &hints, &ai) == 0) {
        n->lfd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (n->lfd >= 0 && (setsockopt(n->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
                            bind(n->lfd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(n->lfd, 4))) {
            close(n->lfd);
            n->lfd = -1;
        }
        freeaddrinfo(ai);
    }
    if (n->lfd < 0) {
        snprintf(why, cap, "cannot listen on %s:%s: %s", n->host, n->port, strerror(errno));
        free(n);
        return MT_E_io_error;
    }
    /* Port 0 asks the system for a free port: {port} must be the one actually bound. */
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (getsockname(n->lfd, (struct sockaddr *)&ss, &sl) == 0) {
        unsigned bound = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                        : ((struct sockaddr_in *)&ss)->sin_port);
        snprintf(n->port, sizeof n->port, "%u", bound);
    }
    n->t.ops = &client_ops;
    snprintf(n->t.desc, sizeof n->t.desc, "client %.80s", n->cmd);
    *out = &n->t;
    return 0;
}
