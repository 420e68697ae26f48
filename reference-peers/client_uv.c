/* `mtproof client`: the libuv pump around the client core (client_uv.h). */
#include "reference-peers/client_uv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "common/rules.h"
#include "crypto/rng.h"
#include "crypto/rng_pool.h"
#include "harness/cli.h"
#include "reference-peers/client_state.h"
#include "reference-peers/peer_util.h"
#include "reference-peers/uv_write.h"

#define LINE_MAX_BYTES PCLIENT_TEXT_MAX
/* Lines typed before the end-to-end key is ready wait here (not dropped), up to this many bytes
 * (each line stored after its length, a uint32 in host order). */
#define EARLY_MAX_BYTES 65536

typedef struct cli_run {
    const client_uv_opts *o;
    uv_loop_t *loop;
    uv_tcp_t tcp;
    uv_connect_t connect;
    uv_getaddrinfo_t resolve;
    uv_timer_t timer, deadline;
    uv_pipe_t in;
    bool in_open, tcp_open, writing, chat, finished, leaving;
    pclient *core;
    rng_pool rng; /* the OS RNG, pooled: one getrandom per 4 KiB, not per message */
    const rsa_public *keys[1];
    hs_result saved;
    bool have_saved;
    size_t sent;   /* scripted messages sent */
    long received; /* peer messages */
    int rc;
    char line[LINE_MAX_BYTES + 1];
    size_t line_len;
    bool line_too_long;
    char early[EARLY_MAX_BYTES]; /* lines before the chat, length-prefixed */
    size_t early_len;
    bool early_eof; /* stdin ended before the chat: leave once the early lines are out */
    char readbuf[65536];
} cli_run;

static void flush(cli_run *r);
static void finish(cli_run *r, int rc);

/* Done as asked: leave the room (relay.leave) so the messages still queued go out first; the run
 * ends when the relay has answered (pclient_done) and the output is written. */
static void leave_ok(cli_run *r)
{
    if (r->leaving || r->finished)
        return;
    r->leaving = true;
    r->rc = CLI_OK;
    if (pclient_leave(r->core) != 0)
        finish(r, CLI_FAIL);
}

static void say(cli_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(cli_run *r, const char *fmt, ...)
{
    if (r->o->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static void send_scripted(cli_run *r)
{
    while (r->sent < r->o->n_send) {
        const char *t = r->o->send[r->sent];
        if (pclient_send_text(r->core, t, strlen(t)) != 0)
            break;
        r->sent++;
    }
    if (r->o->expect >= 0 && r->sent == r->o->n_send && r->received >= r->o->expect)
        leave_ok(r);
}

/* The chat is ready: the lines typed while waiting go out in order; a stdin that ended meanwhile
 * leaves now. */
static void send_early(cli_run *r)
{
    for (size_t at = 0; at < r->early_len;) {
        uint32_t n;
        memcpy(&n, r->early + at, sizeof n);
        if (pclient_send_text(r->core, r->early + at + sizeof n, n) != 0)
            fprintf(stderr, "mtproof client: a line typed while waiting was not sent\n");
        at += sizeof n + n;
    }
    r->early_len = 0;
    if (r->early_eof)
        leave_ok(r);
}

static void on_event(void *ctx, const pclient_event *ev)
{
    cli_run *r = ctx;
    switch (ev->kind) {
    case PCLIENT_EV_KEY:
        if (!r->have_saved && r->o->state_dir && ev->key)
            (void)client_state_save(r->o->state_dir, ev->key);
        say(r, r->have_saved ? "Auth key loaded." : "Auth key created.");
        break;
    case PCLIENT_EV_BOUND:
        say(r, "Temporary key bound.");
        break;
    case PCLIENT_EV_WAITING:
        say(r, "Joined room %.*s. Waiting for peer...", (int)ev->len, ev->text);
        break;
    case PCLIENT_EV_READY:
        say(r, "Room %.*s ready; %s.", (int)ev->len, ev->text,
            ev->originator ? "you are the originator" : "your peer is the originator");
        break;
    case PCLIENT_EV_E2E_READY:
        say(r, "End-to-end key fingerprint %016llx. Compare with your peer:\n%s",
            (unsigned long long)ev->fingerprint, ev->visual ? ev->visual : "");
        r->chat = true;
        send_early(r);
        send_scripted(r);
        break;
    case PCLIENT_EV_MESSAGE:
        printf("peer: %.*s\n", (int)ev->len, ev->text);
        fflush(stdout);
        r->received++;
        if (r->o->expect >= 0 && r->sent == r->o->n_send && r->received >= r->o->expect)
            leave_ok(r);
        break;
    case PCLIENT_EV_REKEYED:
        say(r, "Re-keyed: new fingerprint %016llx.", (unsigned long long)ev->fingerprint);
        break;
    case PCLIENT_EV_PEER_LEFT:
        say(r, "Peer left.");
        if (!r->leaving)
            finish(r, r->o->expect >= 0 && r->received < r->o->expect ? CLI_FAIL : CLI_OK);
        break;
    case PCLIENT_EV_STOPPED:
        finish(r, CLI_OK);
        break;
    case PCLIENT_EV_ERROR: {
        const mt_rule *rule = mt_rule_of(ev->rule);
        fprintf(stderr, "mtproof client: %s: %s\n", rule ? rule->id : mt_err_name(ev->rule),
                rule ? rule->sentence : mt_err_message(ev->rule));
        finish(r, CLI_FAIL);
        break;
    }
    }
}

/* ---- ending ---- */

static void close_if_open(uv_handle_t *h)
{
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

/* Ends the run with rc (the first reason wins): closes every handle; uv_run then returns. */
static void finish(cli_run *r, int rc)
{
    if (r->finished)
        return;
    r->finished = true;
    r->rc = rc;
    if (r->tcp_open)
        close_if_open((uv_handle_t *)&r->tcp);
    if (r->in_open)
        close_if_open((uv_handle_t *)&r->in);
    close_if_open((uv_handle_t *)&r->timer);
    close_if_open((uv_handle_t *)&r->deadline);
}

/* ---- socket ---- */

static void on_written(void *ctx, size_t n, int status)
{
    cli_run *r = ctx;
    r->writing = false;
    pclient_output_done(r->core, n);
    if (status < 0) {
        fprintf(stderr, "mtproof client: write failed: %s\n", uv_strerror(status));
        finish(r, CLI_ERROR);
        return;
    }
    flush(r);
}

static void arm_timer(cli_run *r);
static void on_timer(uv_timer_t *t)
{
    cli_run *r = t->data;
    arm_timer(r);
    flush(r);
}

static void arm_timer(cli_run *r)
{
    if (r->finished)
        return;
    uint64_t next = pclient_tick(r->core);
    uint64_t now = clock_now(peer_wall_clock());
    uint64_t ms = next == UINT64_MAX ? 60000 : next <= now ? 1 : (next - now + 999999) / 1000000;
    uv_timer_start(&r->timer, on_timer, ms > 60000 ? 60000 : ms, 0);
}

static void flush(cli_run *r)
{
    if (r->finished || r->writing || !r->tcp_open)
        return;
    size_t n = 0;
    const uint8_t *p = pclient_output(r->core, &n);
    if (!n) {
        if (pclient_done(r->core))
            finish(r, r->rc);
        return;
    }
    r->writing = true;
    if (peer_write_copy((uv_stream_t *)&r->tcp, p, n, on_written, r) != 0) {
        r->writing = false;
        finish(r, CLI_ERROR);
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    cli_run *r = h->data;
    buf->base = r->readbuf;
    buf->len = sizeof r->readbuf;
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    cli_run *r = st->data;
    if (nread < 0) {
        if (!r->finished) {
            fprintf(stderr, "mtproof client: the server closed the connection\n");
            finish(r, r->o->expect >= 0 ? CLI_FAIL : CLI_OK);
        }
        return;
    }
    if (nread == 0 || r->finished)
        return;
    int err = pclient_feed(r->core, (const uint8_t *)buf->base, (size_t)nread);
    if (err && !r->finished) /* a broken rule came as an ERROR event; anything else ends here */
        finish(r, CLI_FAIL);
    flush(r);
    arm_timer(r);
}

/* ---- stdin: one chat message per line; "/rekey" re-keys, "/quit" leaves ---- */

static void on_line(cli_run *r)
{
    r->line[r->line_len] = '\0';
    if (r->line_too_long) {
        fprintf(stderr, "mtproof client: line longer than %u bytes, not sent\n", PCLIENT_TEXT_MAX);
    } else if (strcmp(r->line, "/quit") == 0) {
        leave_ok(r);
    } else if (strcmp(r->line, "/rekey") == 0) {
        if (pclient_rekey(r->core) != 0)
            fprintf(stderr, "mtproof client: cannot re-key now\n");
    } else if (r->line_len) {
        if (!r->chat) {
            uint32_t n = (uint32_t)r->line_len;
            if (r->early_len + sizeof n + n > sizeof r->early) {
                fprintf(stderr,
                        "mtproof client: %u bytes already wait for the chat; line dropped\n",
                        (unsigned)r->early_len);
            } else {
                memcpy(r->early + r->early_len, &n, sizeof n);
                memcpy(r->early + r->early_len + sizeof n, r->line, n);
                r->early_len += sizeof n + n;
            }
        } else if (pclient_send_text(r->core, r->line, r->line_len) != 0) {
            fprintf(stderr, "mtproof client: line not sent\n");
        }
    }
    r->line_len = 0;
    r->line_too_long = false;
}

static void on_stdin(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    cli_run *r = st->data;
    if (nread < 0) {
        close_if_open((uv_handle_t *)&r->in);
        r->in_open = false;
        if (r->o->expect < 0 && !r->finished) {
            if (r->chat || !r->early_len)
                leave_ok(r); /* end of input: leave the room and finish */
            else
                r->early_eof = true; /* after the waiting lines went out (send_early) */
        }
        flush(r);
        return;
    }
    for (ssize_t i = 0; i < nread; i++) {
        char ch = buf->base[i];
        if (ch == '\n') {
            on_line(r);
        } else if (r->line_len < LINE_MAX_BYTES) {
            r->line[r->line_len++] = ch;
        } else {
            r->line_too_long = true;
        }
    }
    flush(r);
    arm_timer(r);
}

static void on_stdin_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    cli_run *r = h->data;
    static char b[4096];
    (void)r;
    buf->base = b;
    buf->len = sizeof b;
}

/* ---- connecting ---- */

static void on_connected(uv_connect_t *req, int status)
{
    cli_run *r = req->data;
    if (status < 0) {
        fprintf(stderr, "mtproof client: cannot connect to %s:%d: %s\n", r->o->host, r->o->port,
                uv_strerror(status));
        finish(r, CLI_ERROR);
        return;
    }
    uv_tcp_nodelay(&r->tcp, 1);
    uv_read_start((uv_stream_t *)&r->tcp, on_alloc, on_read);
    if (r->o->stdin_lines && uv_pipe_init(r->loop, &r->in, 0) == 0) {
        r->in.data = r;
        r->in_open = true;
        if (uv_pipe_open(&r->in, 0) != 0 ||
            uv_read_start((uv_stream_t *)&r->in, on_stdin_alloc, on_stdin) != 0) {
            close_if_open((uv_handle_t *)&r->in);
            r->in_open = false;
        }
    }
    if (pclient_start(r->core) != 0) {
        finish(r, CLI_ERROR);
        return;
    }
    flush(r);
    arm_timer(r);
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    cli_run *r = req->data;
    if (status < 0 || !res) {
        fprintf(stderr, "mtproof client: cannot resolve %s: %s\n", r->o->host, uv_strerror(status));
        finish(r, CLI_ERROR);
        return;
    }
    uv_tcp_init(r->loop, &r->tcp);
    r->tcp.data = r;
    r->tcp_open = true;
    r->connect.data = r;
    int rc = uv_tcp_connect(&r->connect, &r->tcp, res->ai_addr, on_connected);
    uv_freeaddrinfo(res);
    if (rc) {
        fprintf(stderr, "mtproof client: cannot connect: %s\n", uv_strerror(rc));
        finish(r, CLI_ERROR);
    }
}

static void on_deadline(uv_timer_t *t)
{
    cli_run *r = t->data;
    fprintf(stderr, "mtproof client: timeout after %g s (%ld of %ld messages received)\n",
            r->o->timeout_s, r->received, r->o->expect < 0 ? 0 : r->o->expect);
    finish(r, CLI_FAIL);
}

static int make_core(cli_run *r)
{
    const client_uv_opts *o = r->o;
    if (o->state_dir) {
        int got = client_state_load(o->state_dir, &r->saved);
        if (got < 0)
            return CLI_ERROR;
        r->have_saved = got == 1;
    }
    r->keys[0] = o->key; /* the core keeps the array: it lives in the run */
    rng_pool_init(&r->rng, rng_os());
    pclient_config cfg = {
        .keys = r->keys,
        .n_keys = 1,
        .clock = peer_wall_clock(),
        .rng = rng_pool_rng(&r->rng),
        .transport = o->transport,
        .obfuscated = o->obfuscated,
        .http = o->http,
        .room = o->room,
        .saved_key = r->have_saved ? &r->saved : NULL,
        .temp_key = o->temp_key,
        .rekey_every = o->rekey_every,
        .stop_after = PCLIENT_STAGE_ALL,
        .on_event = on_event,
        .event_ctx = r,
    };
    int err = pclient_new(&r->core, &cfg);
    if (err)
        return cli_err(CLI_ERROR, "client", "cannot start: %s", mt_err_message(err));
    return 0;
}

int client_uv_run(const client_uv_opts *o)
{
    static cli_run r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.loop = uv_default_loop();
    int rc = make_core(&r);
    if (rc)
        return rc;
    uv_timer_init(r.loop, &r.timer);
    uv_timer_init(r.loop, &r.deadline);
    r.timer.data = r.deadline.data = r.resolve.data = &r;
    if (o->timeout_s > 0)
        uv_timer_start(&r.deadline, on_deadline, (uint64_t)(o->timeout_s * 1000.0), 0);
    char port[16];
    snprintf(port, sizeof port, "%d", o->port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    rc = uv_getaddrinfo(r.loop, &r.resolve, on_resolved, o->host, port, &hints);
    if (rc) {
        fprintf(stderr, "mtproof client: cannot resolve %s: %s\n", o->host, uv_strerror(rc));
        finish(&r, CLI_ERROR);
    }
    uv_run(r.loop, UV_RUN_DEFAULT);
    uv_loop_close(r.loop);
    pclient_free(r.core);
    rng_pool_wipe(&r.rng);
    hs_result_wipe(&r.saved);
    return r.rc;
}
