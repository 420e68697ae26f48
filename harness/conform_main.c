/*
 * The run of `mtproof conform`: find and parse the scenarios, select them (tier, --only/--skip),
 * make a target per scenario by its role, run, apply the expect-fail list, write the reports
 * (harness/report.h). Exit code 0 only when nothing unexpected happened.
 */
#include <fnmatch.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto/drbg.h"
#include "harness/cli.h"
#include "harness/conform_main.h"
#include "harness/conform_record.h"
#include "harness/conform_run.h"
#include "harness/keyfile.h"

#ifndef MTPROOF_SOURCE_DIR
#define MTPROOF_SOURCE_DIR ""
#endif

/* Virtual time starts here in process (2024-02-08, the time of the transcripts). */
#define CF_T0_NS (1707425105ull * NS_PER_S)

typedef struct cf_ctx {
    const cf_args *a;
    uint64_t seed;
    cf_opts opts;
    rsa_private *priv; /* builtin server key / --key */
    rsa_public *pub;   /* the key the harness as client trusts */
    conform_run run;
    xfail_list xf;
    bool has_xf;
    sc_limits server_limits; /* --server-limits */
    char skip_why[512];      /* a skip reason made for one scenario */
} cf_ctx;

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A directory of the source tree: the tree this binary was built from, else near the binary. */
static int tree_path(const char *rel, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", MTPROOF_SOURCE_DIR, rel);
    if (MTPROOF_SOURCE_DIR[0] && access(out, R_OK) == 0)
        return 0;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return -1;
    exe[len] = '\0';
    const char *bin = dirname(exe);
    static const char *const up[] = {"/..", "/../.."};
    for (size_t i = 0; i < 2; i++) {
        snprintf(out, n, "%s%s/%s", bin, up[i], rel);
        if (access(out, R_OK) == 0)
            return 0;
    }
    return -1;
}

static int load_key(cf_ctx *c, const char *path, bool priv)
{
    static char text[16384];
    size_t len;
    if (keyfile_read(path, text, sizeof text, &len, "conform") != 0)
        return -1;
    mt_drbg d;
    drbg_init_u64(&d, 1);
    int err;
    if (priv) {
        c->priv = calloc(1, sizeof *c->priv);
        err =
            c->priv ? rsa_private_load_pem(c->priv, text, len, &d.rng, NULL, NULL) : MT_E_no_memory;
        if (!err && !c->pub)
            c->pub = &c->priv->pub;
    } else {
        c->pub = calloc(1, sizeof *c->pub);
        err = c->pub ? rsa_public_load_pem(c->pub, text, len, NULL, NULL) : MT_E_no_memory;
    }
    if (err)
        fprintf(stderr, "mtproof conform: %s: %s\n", path, mt_err_message(err));
    return err ? -1 : 0;
}

static int setup_keys(cf_ctx *c)
{
    const cf_args *a = c->a;
    if (a->server)
        return a->server_key ? load_key(c, a->server_key, false) : -1;
    if (a->listen)
        return a->key ? load_key(c, a->key, true) : -1;
    char path[PATH_MAX];
    if (tree_path("vectors/keys/test_rsa2048.pem", path, sizeof path) != 0) {
        fprintf(stderr, "mtproof conform: cannot find vectors/keys/test_rsa2048.pem\n");
        return -1;
    }
    return load_key(c, path, true);
}

static bool selected(const cf_ctx *c, const scenario *s)
{
    const cf_args *a = c->a;
    if (strcmp(a->tier, "all") != 0 &&
        strcmp(a->tier, s->tier == SC_TIER_FAST ? "fast" : "nightly") != 0)
        return false;
    if (a->role && strcmp(a->role, s->role == SC_ROLE_CLIENT ? "client" : "server") != 0)
        return false;
    bool only = a->n_only == 0;
    for (size_t i = 0; i < a->n_only; i++)
        only |= fnmatch(a->only[i], s->name, 0) == 0;
    for (size_t i = 0; i < a->n_skip; i++)
        if (fnmatch(a->skip[i], s->name, 0) == 0)
            return false;
    return only;
}

/* Whether a scenario has a `handshake kind=temp` step: the client under test then binds a
 * temporary key (--client-cmd's {temp-key}). */
static bool wants_temp_key(const scenario *s)
{
    for (size_t i = 0; i < s->n_steps; i++) {
        const sc_tok *k =
            s->steps[i].verb == SV_HANDSHAKE ? sc_step_get(&s->steps[i], "kind") : NULL;
        if (k && strcmp(k->val, "temp") == 0)
            return true;
    }
    return false;
}

/* A scenario with `limits` against --server: the server must have been started with them. */
static const char *limits_skip(cf_ctx *c, const scenario *s)
{
    snprintf(c->skip_why, sizeof c->skip_why,
             "needs a server started with the limits '%s' (then pass --server-limits '%s')",
             s->limits.text, s->limits.text);
    return c->skip_why;
}

/* The target for a scenario's role; NULL with *skip set when this run cannot play it. */
static target *make_target(cf_ctx *c, const scenario *s, const char **skip, char *why, size_t cap)
{
    const cf_args *a = c->a;
    target_cfg tc = {.seed = c->seed,
                     .t0_ns = CF_T0_NS,
                     .key = c->priv,
                     .pub = c->pub,
                     .addr = a->server ? a->server : a->listen,
                     .client_cmd = a->client_cmd,
                     .temp_key = wants_temp_key(s),
                     .scenario = s->name,
                     .timeout_ns = c->opts.timeout_ns,
                     .violate = a->violate,
                     .n_violate = a->n_violate,
                     .hs_retries = s->server_retries,
                     .max_conns = s->limits.max_conns,
                     .max_frame = s->limits.max_frame,
                     .max_pending = s->limits.max_pending,
                     .handshakes_per_s = s->limits.handshake_rate,
                     .idle_timeout_ns = s->limits.idle_ns};
    target *t = NULL;
    unsigned remote_retries = a->server_retries ? (unsigned)atoi(a->server_retries) : 0;
    int err = 0;
    bool client_role = s->role == SC_ROLE_CLIENT;
    if (a->server && !client_role)
        *skip = "the target is a server; this scenario tests clients";
    else if (a->listen && client_role)
        *skip = "the target is a client; this scenario tests servers";
    else if (a->server && client_role && s->server_retries != remote_retries)
        *skip = s->server_retries ? "needs a server answering dh_gen_retry (--server-retries N)"
                                  : "the server answers dh_gen_retry (--server-retries)";
    else if (s->builtin_only && (a->server || a->listen))
        *skip = "this scenario needs the builtin targets' shared virtual clock (target builtin)";
    else if (s->relay_only && !a->server && a->target && strcmp(a->target, "engines") == 0)
        *skip = "this scenario needs the relay API (target relay)";
    else if (a->server && s->limits.set && !sc_limits_equal(&s->limits, &c->server_limits))
        *skip = limits_skip(c, s);
    else if (a->server)
        err = target_net_server(&tc, &t, why, cap);
    else if (a->listen)
        err = target_net_client(&tc, &t, why, cap);
    else if (client_role && a->target && strcmp(a->target, "engines") == 0)
        err = target_builtin_server(&tc, &t);
    else if (client_role)
        err = target_relay(&tc, &t);
    else if (a->target && strcmp(a->target, "engines") == 0)
        err = target_builtin_client(&tc, &t);
    else
        err = target_pclient(&tc, s, &t);
    if (!err && t && a->record)
        err = cf_record_target(t, a->record, s->name, &t);
    if (err && !why[0])
        snprintf(why, cap, "target: %s", mt_err_message(err));
    return t;
}

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static void repro(const cf_ctx *c, const scenario *s, char *out, size_t n)
{
    const cf_args *a = c->a;
    int k = snprintf(out, n, "mtproof conform --tier all --only '%s' --seed %llu", s->name,
                     (unsigned long long)c->seed);
    if (k > 0 && (size_t)k < n && a->server)
        snprintf(out + k, n - (size_t)k, " --server %s --server-key %s", a->server, a->server_key);
    else if (k > 0 && (size_t)k < n && a->listen)
        snprintf(out + k, n - (size_t)k, " --listen %s --key %s --client-cmd '%s'", a->listen,
                 a->key, a->client_cmd);
}

static int run_one(cf_ctx *c, const scenario *s)
{
    conform_case k;
    memset(&k, 0, sizeof k);
    char rp[1024], why[256] = "";
    const char *skip = NULL;
    repro(c, s, rp, sizeof rp);
    k.name = s->name;
    k.area = s->area;
    k.file = s->file;
    k.line = s->line;
    k.role = s->role == SC_ROLE_CLIENT ? "client" : "server";
    k.tier = s->tier == SC_TIER_FAST ? "fast" : "nightly";
    for (size_t i = 0; i < s->n_rules && i < CONFORM_MAX_RULES; i++)
        k.rules[k.n_rules++] = s->rules[i];
    k.repro = rp;
    uint64_t t0 = mono_ns();
    target *t = make_target(c, s, &skip, why, sizeof why);
    char *msg = NULL, *tr = NULL;
    if (skip) {
        k.outcome = CO_SKIP;
        k.reason = (char *)skip;
    } else if (!t) {
        k.outcome = CO_ERROR;
        k.message = why;
    } else {
        cf_run_scenario(s, t, &c->opts, &k);
        msg = k.message;
        tr = k.transcript;
        t->ops->free(t);
    }
    k.elapsed_ns = mono_ns() - t0;
    const xfail_entry *x = c->has_xf ? xfail_match(&c->xf, s->name) : NULL;
    if (x && (k.outcome == CO_FAIL || k.outcome == CO_PASS)) {
        k.outcome = k.outcome == CO_FAIL ? CO_XFAIL : CO_XPASS;
        k.reason = x->reason;
    }
    int err = conform_run_add(&c->run, &k);
    report_text_case(stdout, &k, isatty(1));
    free(msg);
    free(tr);
    return err;
}

static int write_reports(cf_ctx *c)
{
    char why[256];
    const cf_args *a = c->a;
    int err = 0;
    if (!err && a->json && (err = report_json(a->json, &c->run, why, sizeof why)) != 0)
        fprintf(stderr, "mtproof conform: %s\n", why);
    if (!err && a->junit && (err = report_junit(a->junit, &c->run, why, sizeof why)) != 0)
        fprintf(stderr, "mtproof conform: %s\n", why);
    if (!err && a->html && (err = report_html(a->html, &c->run, why, sizeof why)) != 0)
        fprintf(stderr, "mtproof conform: %s\n", why);
    return err;
}

static int run_all(cf_ctx *c, const sc_set *set)
{
    uint64_t t0 = mono_ns();
    const char *tdesc = c->a->server ? c->a->server : c->a->listen ? c->a->client_cmd : "builtin";
    conform_run_init(&c->run, tdesc, c->a->tier, c->seed);
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++) {
        if (!selected(c, &set->v[i]))
            continue;
        n++;
        if (c->a->list) {
            printf("%-40s %-10s %-7s %-6s %s:%u\n", set->v[i].name, set->v[i].area,
                   set->v[i].role == SC_ROLE_CLIENT ? "client" : "server",
                   set->v[i].tier == SC_TIER_FAST ? "fast" : "nightly", set->v[i].file,
                   set->v[i].line);
            continue;
        }
        if (run_one(c, &set->v[i]) != 0)
            return CLI_ERROR;
    }
    if (c->a->list)
        return CLI_OK;
    if (n == 0)
        fprintf(stderr, "mtproof conform: no scenario selected\n");
    c->run.elapsed_ns = mono_ns() - t0;
    if (c->has_xf && xfail_finish(&c->xf, &c->run) != 0)
        return CLI_ERROR;
    report_text_summary(stdout, &c->run, isatty(1));
    if (write_reports(c) != 0)
        return CLI_ERROR;
    return conform_run_ok(&c->run) && n > 0 ? CLI_OK : CLI_FAIL;
}

static int check_args(const cf_args *a, cf_ctx *c)
{
    int64_t v = 1;
    if (strcmp(a->tier, "fast") && strcmp(a->tier, "nightly") && strcmp(a->tier, "all"))
        return fprintf(stderr, "mtproof conform: --tier is fast, nightly or all\n"), -1;
    if (a->seed_s && !sc_int64(a->seed_s, &v))
        return fprintf(stderr, "mtproof conform: bad --seed %s\n", a->seed_s), -1;
    c->seed = (uint64_t)v;
    v = 10;
    if (a->timeout_s && (!sc_int64(a->timeout_s, &v) || v <= 0 || v > 3600))
        return fprintf(stderr, "mtproof conform: bad --timeout %s\n", a->timeout_s), -1;
    c->opts.timeout_ns = (uint64_t)v * NS_PER_S;
    if (a->transport && !sc_transport_ok(a->transport) && strcmp(a->transport, "http") != 0)
        return fprintf(stderr, "mtproof conform: unknown --transport %s\n", a->transport), -1;
    if (a->transport && !strcmp(a->transport, "http") && a->listen)
        return fprintf(stderr, "mtproof conform: --listen has no http transport\n"), -1;
    c->opts.transport = a->transport;
    c->opts.seed = c->seed;
    if (a->role && strcmp(a->role, "client") && strcmp(a->role, "server"))
        return fprintf(stderr, "mtproof conform: --role is client or server\n"), -1;
    if (a->target && strcmp(a->target, "relay") && strcmp(a->target, "engines"))
        return fprintf(stderr, "mtproof conform: --target is relay or engines\n"), -1;
    if (a->n_violate && (a->server || a->listen || (a->target && !strcmp(a->target, "engines"))))
        return fprintf(stderr, "mtproof conform: --violate needs the builtin relay target\n"), -1;
    if (a->server && a->listen)
        return fprintf(stderr, "mtproof conform: --server and --listen exclude each other\n"), -1;
    if (a->server && !a->server_key)
        return fprintf(stderr, "mtproof conform: --server needs --server-key PEM\n"), -1;
    char lw[SC_WHY];
    if (a->server_limits && !sc_limits_parse(a->server_limits, &c->server_limits, lw, sizeof lw))
        return fprintf(stderr, "mtproof conform: --server-limits: %s\n", lw), -1;
    if (a->server_limits && !a->server)
        return fprintf(stderr, "mtproof conform: --server-limits needs --server\n"), -1;
    if (a->listen && (!a->key || !a->client_cmd))
        return fprintf(stderr, "mtproof conform: --listen needs --key PEM and --client-cmd\n"), -1;
    return 0;
}

int conform_main(const cf_args *a)
{
    cf_ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    if (check_args(a, &c) != 0)
        return CLI_USAGE;
    if (a->shim)
        return conform_shim(a->shim, c.opts.timeout_ns);
    char dir[PATH_MAX], why[SC_WHY + PATH_MAX];
    if (a->dir)
        snprintf(dir, sizeof dir, "%s", a->dir);
    else if (tree_path("harness/scenarios", dir, sizeof dir) != 0 || !is_dir(dir))
        return fprintf(stderr, "mtproof conform: cannot find harness/scenarios; use --scenarios\n"),
               CLI_ERROR;
    sc_set set;
    sc_set_init(&set);
    int rc = CLI_ERROR;
    if (sc_parse_dir(&set, dir, why, sizeof why) != 0)
        fprintf(stderr, "mtproof conform: %s\n", why);
    else if (a->xfail && xfail_load(a->xfail, &c.xf, why, sizeof why) != 0)
        fprintf(stderr, "mtproof conform: %s\n", why);
    else if (a->list || setup_keys(&c) == 0) {
        c.has_xf = a->xfail != NULL;
        c.opts.pub = c.pub;
        c.opts.key = c.priv;
        rc = run_all(&c, &set);
    }
    if (c.has_xf)
        xfail_free(&c.xf);
    conform_run_free(&c.run);
    if (c.priv)
        rsa_private_wipe(c.priv);
    if (c.pub && (!c.priv || c.pub != &c.priv->pub))
        free(c.pub);
    free(c.priv);
    sc_set_free(&set);
    return rc;
}
