/* mtproof client: the reference end-to-end chat client (reference-peers/client_uv.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli.h"
#include "harness/commands.h"
#include "reference-peers/client_uv.h"
#include "reference-peers/peer_util.h"

const char cmd_client_usage[] =
    "usage: mtproof client --server HOST:PORT --server-key FILE [--room NAME]\n"
    "                      [--transport T] [--state DIR] [--temp-key] [--rekey-every N]\n"
    "                      [--send TEXT]... [--expect N] [--timeout SECONDS] [--quiet]\n"
    "\n"
    "Joins a room on `mtproof relay` and chats end to end with the other member (docs/relay.md,\n"
    "docs/e2e.md). --server-key: the relay's key (its private or public PEM). T: abridged,\n"
    "intermediate, padded, full, obfuscated2 (= obfuscated2-padded), obfuscated2-abridged,\n"
    "obfuscated2-intermediate, obfuscated2-padded (or obf2-T), http (default intermediate). "
    "--state DIR keeps\n"
    "the auth key between runs. --temp-key uses a temporary key bound to the permanent one.\n"
    "Interactive by default: each stdin line is a message, '/rekey' re-keys, '/quit' leaves.\n"
    "Scripted: --send TEXT (repeatable) is sent once the chat is ready; the client exits 0 once\n"
    "--expect N messages came from the peer, 1 on a broken rule, the peer leaving early or\n"
    "--timeout (default 30 s when scripted), 3 when it cannot connect.\n";

static bool transport_of(const char *s, client_uv_opts *o)
{
    if (strcmp(s, "http") == 0) {
        o->http = true;
        return true;
    }
    if (strcmp(s, "obfuscated2") == 0) {
        o->obfuscated = true;
        o->transport = MT_TRANSPORT_PADDED;
        return true;
    }
    if (strncmp(s, "obfuscated2-", 12) == 0 || strncmp(s, "obf2-", 5) == 0) {
        o->obfuscated = true; /* obf2-T: the scenario language's spelling */
        s += s[3] == '2' ? 5 : 12;
    }
    int k = mt_transport_kind_from_name(s);
    if (k < 0 || k == MT_TRANSPORT_HTTP || (o->obfuscated && k == MT_TRANSPORT_FULL))
        return false;
    o->transport = (mt_transport_kind)k;
    return true;
}

static bool number(const char *s, double max, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || !end || *end || end == s || !(v >= 0) || v > max)
        return false;
    *out = v;
    return true;
}

static int take(client_uv_opts *o, const char **key_path, const char *opt, const char *val)
{
    double v = 0;
    if (strcmp(opt, "--server") == 0) {
        static char host[256];
        if (!peer_split_addr(val, host, sizeof host, &o->port) || !o->port)
            return cli_err(CLI_USAGE, "client", "--server: '%s' is not HOST:PORT", val);
        o->host = host;
    } else if (strcmp(opt, "--server-key") == 0)
        *key_path = val;
    else if (strcmp(opt, "--room") == 0)
        o->room = val;
    else if (strcmp(opt, "--state") == 0)
        o->state_dir = val;
    else if (strcmp(opt, "--transport") == 0) {
        if (!transport_of(val, o))
            return cli_err(CLI_USAGE, "client", "--transport: unknown transport '%s'", val);
    } else if (strcmp(opt, "--send") == 0) {
        if (o->n_send == CLIENT_UV_MAX_SEND)
            return cli_err(CLI_USAGE, "client", "at most %d --send", CLIENT_UV_MAX_SEND);
        if (strlen(val) > PCLIENT_TEXT_MAX)
            return cli_err(CLI_USAGE, "client", "--send: longer than %u bytes", PCLIENT_TEXT_MAX);
        o->send[o->n_send++] = val;
    } else if (strcmp(opt, "--expect") == 0 && number(val, 1e9, &v) && v == (long)v)
        o->expect = (long)v;
    else if (strcmp(opt, "--timeout") == 0 && number(val, 86400, &v) && v > 0)
        o->timeout_s = v;
    else if (strcmp(opt, "--rekey-every") == 0 && number(val, 1e6, &v) && v >= 1 && v == (long)v)
        o->rekey_every = (unsigned)v;
    else
        return cli_err(CLI_USAGE, "client", "bad value '%s' for %s (see mtproof help client)", val,
                       opt);
    return 0;
}

int cmd_client(int argc, char **argv)
{
    static client_uv_opts o;
    memset(&o, 0, sizeof o);
    o.transport = MT_TRANSPORT_INTERMEDIATE;
    o.expect = -1;
    const char *key_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--temp-key") == 0) {
            o.temp_key = true;
            continue;
        }
        if (strcmp(argv[i], "--quiet") == 0) {
            o.quiet = true;
            continue;
        }
        if (strncmp(argv[i], "--", 2) != 0 || i + 1 >= argc)
            return cli_err(CLI_USAGE, "client",
                           "unexpected argument '%s' (see mtproof help client)", argv[i]);
        int rc = take(&o, &key_path, argv[i], argv[i + 1]);
        if (rc)
            return rc;
        i++;
    }
    if (!o.host || !key_path)
        return cli_err(CLI_USAGE, "client",
                       "--server HOST:PORT and --server-key FILE are required");
    bool scripted = o.n_send || o.expect >= 0;
    if (scripted && o.expect < 0)
        o.expect = 0;
    if (scripted && o.timeout_s == 0)
        o.timeout_s = 30;
    o.stdin_lines = !scripted;
    static rsa_public key;
    if (!peer_load_public(key_path, &key, "client"))
        return CLI_ERROR;
    o.key = &key;
    return client_uv_run(&o);
}
