#include "harness/shim_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* In the child: wire the pipes to stdin/stdout and exec the shim. Never returns. */
static void exec_shim(const char *cmd, int in_fd, int out_fd)
{
    if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0)
        _exit(127);
    if (cmd)
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    else
        execl("/proc/self/exe", "mtproof", "shim", (char *)NULL);
    fprintf(stderr, "mtproof vectors: cannot run the shim: %s\n", strerror(errno));
    _exit(127);
}

int shim_client_start(shim_client *c, const char *cmd, char *why, size_t why_len)
{
    int in[2], out[2];
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    c->to_fd = c->from_fd = -1;
    linebuf_init(&c->rd, SHIM_CLIENT_MAX_LINE);
    if (pipe2(in, O_CLOEXEC) != 0)
        goto fail;
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        goto fail;
    }
    fflush(NULL); /* so the child does not inherit unwritten output */
    c->pid = fork();
    if (c->pid == 0)
        exec_shim(cmd, in[0], out[1]);
    close(in[0]);
    close(out[1]);
    if (c->pid < 0) {
        c->pid = 0;
        close(in[1]);
        close(out[0]);
        goto fail;
    }
    c->to_fd = in[1];
    c->from_fd = out[0];
    fcntl(c->to_fd, F_SETFL, fcntl(c->to_fd, F_GETFL) | O_NONBLOCK);
    return 0;
fail:
    snprintf(why, why_len, "cannot start the shim: %s", strerror(errno));
    return -1;
}

/* Reaps the child, waiting at most wait_ms before killing it; describes how it ended. */
static void reap(shim_client *c, int wait_ms, char *why, size_t why_len)
{
    int status = 0;
    pid_t got = 0;
    for (int waited = 0; c->pid && (got = waitpid(c->pid, &status, WNOHANG)) == 0; waited += 10) {
        if (waited >= wait_ms) {
            kill(c->pid, SIGKILL);
            got = waitpid(c->pid, &status, 0);
            break;
        }
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    if (why && got == c->pid && WIFEXITED(status))
        snprintf(why, why_len, "the shim exited with status %d", WEXITSTATUS(status));
    else if (why && got == c->pid && WIFSIGNALED(status))
        snprintf(why, why_len, "the shim was killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    if (c->to_fd >= 0)
        close(c->to_fd);
    if (c->from_fd >= 0)
        close(c->from_fd);
    c->to_fd = c->from_fd = -1;
    c->pid = 0;
    linebuf_free(&c->rd);
}

void shim_client_stop(shim_client *c)
{
    if (c->to_fd >= 0)
        close(c->to_fd);
    c->to_fd = -1;
    reap(c, 1000, NULL, 0);
}

/* Writes as much of the pending request as the pipe takes. Returns -1 when the shim has closed its
 * stdin (EPIPE; SIGPIPE must be ignored by the caller). */
static int push(shim_client *c, const char *req, size_t len, size_t *sent)
{
    while (*sent < len + 1) {
        const char *p = *sent < len ? req + *sent : "\n";
        size_t n = *sent < len ? len - *sent : 1;
        ssize_t w = write(c->to_fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN)
            return 0;
        if (w <= 0)
            return -1;
        *sent += (size_t)w;
    }
    return 0;
}

/* Waits for the shim to become writable (while sending) or readable; reads what it says. Returns
 * 1 on progress, 0 on timeout, -1 on error. */
static int wait_io(shim_client *c, int sending, long long deadline)
{
    long long left = deadline - now_ms();
    if (left <= 0)
        return 0;
    struct pollfd p[2] = {{c->from_fd, POLLIN, 0}, {sending ? c->to_fd : -1, POLLOUT, 0}};
    int n = poll(p, 2, left > 60000 ? 60000 : (int)left);
    if (n < 0)
        return errno == EINTR ? 1 : -1;
    if (n == 0)
        return now_ms() >= deadline ? 0 : 1;
    if (p[0].revents && linebuf_read(&c->rd, c->from_fd) < 0 && errno != EAGAIN)
        return -1;
    return 1;
}

int shim_client_call(shim_client *c, const char *req, size_t len, int timeout_ms, const char **resp,
                     size_t *resp_len, char *why, size_t why_len)
{
    long long deadline = now_ms() + timeout_ms;
    size_t sent = 0;
    for (;;) {
        int sending = sent < len + 1;
        if (sending && push(c, req, len, &sent) != 0) {
            reap(c, 1000, why, why_len);
            return SHIM_DEAD;
        }
        sending = sent < len + 1;
        int got = sending ? LINEBUF_NONE : linebuf_next(&c->rd, resp, resp_len);
        if (got == LINEBUF_LINE) {
            c->answered++;
            return SHIM_REPLY;
        }
        if (got == LINEBUF_TOO_LONG) {
            snprintf(why, why_len, "response line over %zu bytes", (size_t)SHIM_CLIENT_MAX_LINE);
            return SHIM_BAD_LINE;
        }
        if (c->rd.eof) {
            snprintf(why, why_len, "the shim closed its output");
            reap(c, 1000, why, why_len);
            return SHIM_DEAD;
        }
        int io = wait_io(c, sending, deadline);
        if (io <= 0) {
            if (io == 0)
                snprintf(why, why_len, "no response within %d s; shim killed", timeout_ms / 1000);
            else
                snprintf(why, why_len, "reading from the shim: %s", strerror(errno));
            reap(c, 0, NULL, 0);
            return io == 0 ? SHIM_TIMEOUT : SHIM_DEAD;
        }
    }
}
