/*
 * `mtproof conform`: runs the scenario files against a target and reports (issue 8; DESIGN.md
 * "The harness"). Options are parsed here; the run itself is in conform_main.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rules.h"
#include "harness/cli.h"
#include "harness/commands.h"
#include "harness/conform_main.h"
#include "reference-peers/relay_core.h"

const char cmd_conform_usage[] =
    "usage: mtproof conform [OPTIONS]\n"
    "Runs the conformance scenarios (harness/scenarios/*.mts, docs/scenarios.md) against a "
    "target.\n"
    "Targets (default: builtin, the reference engines in process on a virtual clock):\n"
    "  --server HOST:PORT --server-key PEM [--transport T]\n"
    "                       the harness is the client of a running server\n"
    "  --server-limits 'K=V ...'  the server was started with these limits (scenarios with a\n"
    "                       `limits` line run only when theirs are these; docs/scenarios.md)\n"
    "  --listen ADDR:PORT --key PEM --client-cmd 'CMD {host} {port} {transport}' [--transport T]\n"
    "                       the harness is the server; CMD is launched per scenario (exit 3:\n"
    "                       it lacks the transport: skipped); --transport T replaces the\n"
    "                       transport of scenarios that do not name their own\n"
    "  --shim CMD           run the vector files through a third-party shim instead\n"
    "  --target relay|engines  the builtin server: the relay core (reference-peers/\n"
    "                       relay_core.h, default) or the bare handshake and session engines;\n"
    "                       the builtin client: the reference client core (default), or with\n"
    "                       engines the bare handshake client engine\n"
    "  --server-retries N   the --server answers the first N attempts of each handshake with\n"
    "                       dh_gen_retry (mtproof relay --handshake-retries N): only the\n"
    "                       scenarios with `server-retries N` run (they are skipped otherwise)\n"
    "  --violate RULE_ID    (repeatable) the builtin relay breaks that rule on purpose\n"
    "                       (`mtproof relay --violate list`; docs/fault-injection.md)\n"
    "Selection and run:\n"
    "  --tier fast|nightly|all   (default fast)\n"
    "  --only GLOB, --skip GLOB  by scenario name (repeatable)\n"
    "  --role client|server      only the scenarios where the harness plays that role\n"
    "  --list                    list the selected scenarios and exit\n"
    "  --scenarios DIR           (default: the source tree's harness/scenarios/)\n"
    "  --seed N                  seed of the in-process randomness (default 1)\n"
    "  --timeout SECONDS         per expect step (virtual in process, real on the network;\n"
    "                            default 10)\n"
    "  --record DIR              write each scenario's bytes as transcripts and its messages as\n"
    "                            a session fuzz input (fuzz/seeds_from_conform.py)\n"
    "Reports: --json FILE, --junit FILE, --html FILE; --expect-fail FILE (known failures).\n"
    "Exit code 0 only when nothing unexpected happened.\n";

static int take(int argc, char **argv, int *i, const char **dst)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "mtproof conform: %s needs a value\n", argv[*i]);
        return -1;
    }
    *dst = argv[++*i];
    return 0;
}

static int add_glob(cf_args *a, bool only, const char *g)
{
    const char **v = only ? a->only : a->skip;
    size_t *n = only ? &a->n_only : &a->n_skip;
    if (*n == CF_MAX_GLOBS) {
        fprintf(stderr, "mtproof conform: too many --%s patterns\n", only ? "only" : "skip");
        return -1;
    }
    v[(*n)++] = g;
    return 0;
}

/* --violate RULE_ID: a rule of relay_violations(), by its catalogue ID. */
static int add_violation(cf_args *a, const char *id)
{
    size_t n = 0;
    const int *v = relay_violations(&n);
    int rule = 0;
    for (size_t i = 0; i < n && !rule; i++) {
        const mt_rule *r = mt_rule_of(v[i]);
        if (r && strcmp(r->id, id) == 0)
            rule = v[i];
    }
    if (!rule) {
        fprintf(stderr,
                "mtproof conform: --violate: '%s' is not a rule the relay can break "
                "(mtproof relay --violate list)\n",
                id);
        return -1;
    }
    if (a->n_violate == CF_MAX_VIOLATE) {
        fprintf(stderr, "mtproof conform: too many --violate\n");
        return -1;
    }
    a->violate[a->n_violate++] = rule;
    return 0;
}

static int parse_args(int argc, char **argv, cf_args *a)
{
    static const struct {
        const char *opt;
        size_t off;
    } vals[] = {
        {"--tier", offsetof(cf_args, tier)},
        {"--seed", offsetof(cf_args, seed_s)},
        {"--timeout", offsetof(cf_args, timeout_s)},
        {"--json", offsetof(cf_args, json)},
        {"--junit", offsetof(cf_args, junit)},
        {"--html", offsetof(cf_args, html)},
        {"--expect-fail", offsetof(cf_args, xfail)},
        {"--scenarios", offsetof(cf_args, dir)},
        {"--server", offsetof(cf_args, server)},
        {"--server-key", offsetof(cf_args, server_key)},
        {"--transport", offsetof(cf_args, transport)},
        {"--listen", offsetof(cf_args, listen)},
        {"--key", offsetof(cf_args, key)},
        {"--client-cmd", offsetof(cf_args, client_cmd)},
        {"--shim", offsetof(cf_args, shim)},
        {"--target", offsetof(cf_args, target)},
        {"--role", offsetof(cf_args, role)},
        {"--record", offsetof(cf_args, record)},
        {"--server-retries", offsetof(cf_args, server_retries)},
        {"--server-limits", offsetof(cf_args, server_limits)},
    };
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = NULL;
        bool done = false;
        for (size_t k = 0; k < sizeof vals / sizeof vals[0] && !done; k++)
            if (strcmp(o, vals[k].opt) == 0) {
                if (take(argc, argv, &i, (const char **)((char *)a + vals[k].off)) != 0)
                    return -1;
                done = true;
            }
        if (done)
            continue;
        if (!strcmp(o, "--list"))
            a->list = true;
        else if (!strcmp(o, "--only") || !strcmp(o, "--skip")) {
            if (take(argc, argv, &i, &v) != 0 || add_glob(a, o[2] == 'o', v) != 0)
                return -1;
        } else if (!strcmp(o, "--violate")) {
            if (take(argc, argv, &i, &v) != 0 || add_violation(a, v) != 0)
                return -1;
        } else {
            fprintf(stderr, "mtproof conform: unknown option %s\n%s", o, cmd_conform_usage);
            return -1;
        }
    }
    return 0;
}

int cmd_conform(int argc, char **argv)
{
    cf_args a;
    memset(&a, 0, sizeof a);
    a.tier = "fast";
    if (parse_args(argc, argv, &a) != 0)
        return CLI_USAGE;
    return conform_main(&a);
}
