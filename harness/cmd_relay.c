/* mtproof relay: the reference server (reference-peers/relay_uv.h; docs/relay.md). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rules.h"
#include "harness/cli.h"
#include "harness/commands.h"
#include "proto/handshake.h"
#include "reference-peers/peer_util.h"
#include "reference-peers/relay_uv.h"

#define RELAY_DEFAULT_LISTEN "127.0.0.1:4430"
#define RELAY_DEFAULT_KEY    "mtproof-relay.pem"

const char cmd_relay_usage[] =
    "usage: mtproof relay [--listen ADDR:PORT]... [--http ADDR:PORT]... [--key FILE]\n"
    "                     [--state DIR] [--record DIR] [--log-level error|warn|info|debug]\n"
    "                     [--max-conns N] [--max-frame BYTES] [--max-pending BYTES]\n"
    "                     [--idle-timeout SECONDS] [--handshakes-per-sec N]\n"
    "                     [--handshake-retries N]\n"
    "                     [--violate RULE_ID]... [--violate list] [--strict] [--ready-file FILE]\n"
    "\n"
    "An MTProto server with end-to-end rooms (docs/relay.md). Listens on " RELAY_DEFAULT_LISTEN "\n"
    "by default and detects each connection's transport (abridged, intermediate, padded, full,\n"
    "obfuscated2); --http listens for the HTTP transport. --key FILE: the RSA key (created there "
    "on\n"
    "first run when missing; default DIR/server.pem with --state, else ./" RELAY_DEFAULT_KEY ").\n"
    "--state DIR persists auth keys so clients reconnect with their key. --record DIR writes a\n"
    "transcript per connection, with its keys (mode 0600). --violate RULE_ID breaks that rule on\n"
    "purpose (the harness's fault-injection proof); --violate list shows the rules it can break.\n"
    "--strict refuses deprecated handshake forms. --handshake-retries N answers the first N\n"
    "attempts of every handshake with dh_gen_retry (a test server for clients' retry path).\n"
    "The relay is a production DC: a test dc id (+10000) in p_q_inner_data_dc gets -444.\n"
    "--ready-file FILE gets one line per listener\n"
    "(\"tcp 127.0.0.1:PORT\") once all are bound: use port 0 and read the port there.\n"
    "SIGINT/SIGTERM shut down cleanly.\n";

static int list_violations(void)
{
    size_t n = 0;
    const int *v = relay_violations(&n);
    printf("rules `mtproof relay --violate` can break (%zu):\n", n);
    for (size_t i = 0; i < n; i++) {
        const mt_rule *r = mt_rule_of(v[i]);
        printf("  %-34s %s\n", r ? r->id : "?", r ? r->sentence : "");
    }
    return CLI_OK;
}

static int violation_of(const char *id)
{
    size_t n = 0;
    const int *v = relay_violations(&n);
    for (size_t i = 0; i < n; i++) {
        const mt_rule *r = mt_rule_of(v[i]);
        if (r && strcmp(r->id, id) == 0)
            return v[i];
    }
    return 0;
}

static bool num(const char *s, uint64_t max, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || !end || *end || end == s || s[0] == '-' || v > max)
        return false;
    *out = v;
    return true;
}

static int level_of(const char *s)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

typedef struct relay_args {
    relay_uv_opts o;
    const char *key_path;
    int violate[64];
} relay_args;

/* One option with a value; returns 0, or a CLI exit code. */
static int take(relay_args *a, const char *opt, const char *val)
{
    relay_uv_opts *o = &a->o;
    uint64_t v = 0;
    if (strcmp(opt, "--listen") == 0 || strcmp(opt, "--http") == 0) {
        bool http = opt[2] == 'h';
        size_t *n = http ? &o->n_http : &o->n_listen;
        if (*n == RELAY_UV_MAX_LISTEN)
            return cli_err(CLI_USAGE, "relay", "at most %d %s addresses", RELAY_UV_MAX_LISTEN, opt);
        (http ? o->http : o->listen)[(*n)++] = val;
    } else if (strcmp(opt, "--key") == 0)
        a->key_path = val;
    else if (strcmp(opt, "--state") == 0)
        o->state_dir = val;
    else if (strcmp(opt, "--record") == 0)
        o->record_dir = val;
    else if (strcmp(opt, "--ready-file") == 0)
        o->ready_file = val;
    else if (strcmp(opt, "--log-level") == 0) {
        int l = level_of(val);
        if (l < 0)
            return cli_err(CLI_USAGE, "relay", "--log-level: '%s' is not error|warn|info|debug",
                           val);
        o->log_level = (relay_log_level)l;
    } else if (strcmp(opt, "--violate") == 0) {
        int r = violation_of(val);
        if (!r)
            return cli_err(CLI_USAGE, "relay",
                           "--violate: '%s' is not a rule the relay can break (see --violate list)",
                           val);
        if (o->n_violate == sizeof a->violate / sizeof a->violate[0])
            return cli_err(CLI_USAGE, "relay", "too many --violate");
        a->violate[o->n_violate++] = r;
    } else if (strcmp(opt, "--max-conns") == 0 && num(val, 1000000, &v) && v)
        o->limits.max_conns = (uint32_t)v;
    else if (strcmp(opt, "--max-frame") == 0 && num(val, 16u << 20, &v) && v >= 64)
        o->limits.max_frame = (uint32_t)v;
    else if (strcmp(opt, "--max-pending") == 0 && num(val, UINT32_MAX, &v) && v >= 4096)
        o->limits.max_pending = (uint32_t)v;
    else if (strcmp(opt, "--idle-timeout") == 0 && num(val, 86400, &v) && v)
        o->limits.idle_timeout_ns = v * NS_PER_S;
    else if (strcmp(opt, "--handshakes-per-sec") == 0 && num(val, 1000000, &v) && v)
        o->limits.handshakes_per_s = (uint32_t)v;
    else if (strcmp(opt, "--handshake-retries") == 0 && num(val, HS_MAX_RETRIES, &v))
        o->hs_retries = (unsigned)v;
    else
        return cli_err(CLI_USAGE, "relay", "bad value '%s' for %s (see mtproof help relay)", val,
                       opt);
    return 0;
}

int cmd_relay(int argc, char **argv)
{
    static relay_args a;
    memset(&a, 0, sizeof a);
    a.o.log_level = RELAY_LOG_INFO;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0) {
            a.o.strict = true;
            continue;
        }
        if (strcmp(argv[i], "--violate") == 0 && i + 1 < argc && strcmp(argv[i + 1], "list") == 0)
            return list_violations();
        if (strncmp(argv[i], "--", 2) != 0 || i + 1 >= argc)
            return cli_err(CLI_USAGE, "relay", "unexpected argument '%s' (see mtproof help relay)",
                           argv[i]);
        int rc = take(&a, argv[i], argv[i + 1]);
        if (rc)
            return rc;
        i++;
    }
    a.o.violate = a.violate;
    if (!a.o.n_listen && !a.o.n_http)
        a.o.listen[a.o.n_listen++] = RELAY_DEFAULT_LISTEN;
    static char key_path[4096];
    if (!a.key_path) {
        if (a.o.state_dir)
            snprintf(key_path, sizeof key_path, "%s/server.pem", a.o.state_dir);
        else
            snprintf(key_path, sizeof key_path, "%s", RELAY_DEFAULT_KEY);
        a.key_path = key_path;
    }
    if (a.o.state_dir && peer_mkdir(a.o.state_dir) != 0)
        return cli_err(CLI_ERROR, "relay", "--state %s: cannot create it", a.o.state_dir);
    if (a.o.record_dir && peer_mkdir(a.o.record_dir) != 0)
        return cli_err(CLI_ERROR, "relay", "--record %s: cannot create it", a.o.record_dir);
    static rsa_private key;
    if (!peer_load_or_create_private(a.key_path, true, &key, "relay"))
        return CLI_ERROR;
    a.o.key = &key;
    for (size_t i = 0; i < a.o.n_violate; i++)
        fprintf(stderr, "mtproof relay: VIOLATING %s on purpose\n", mt_rule_of(a.violate[i])->id);
    /* A client that closes while the relay still writes to it (a room peer's updatePeerLeft
     * racing its own close: rooms_multi.mts over --server) must cost that write an EPIPE, not
     * the relay its life. */
    signal(SIGPIPE, SIG_IGN);
    int rc = relay_uv_run(&a.o);
    rsa_private_wipe(&key);
    return rc;
}
