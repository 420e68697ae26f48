/*
 * `mtproof scenario-from-input --target NAME FILE`: an input of a stateful fuzz target (a crash,
 * a finding, a corpus file) as a scenario stanza of docs/scenarios.md, so that it can join the
 * conformance suite (issue 6 "the loop from fuzzing back to conformance"). The translators are in
 * harness/sfi_*.c; this file reads the file, writes the stanza's header and the shared helpers.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/err.h"
#include "common/hex.h"
#include "common/rules.h"
#include "harness/cli.h"
#include "harness/commands.h"
#include "harness/sfi.h"
#include "proto/tl_obj.h"
#include "proto/tl_mtp.h"
#include "proto/tl_rly.h"

/* A fuzz input is at most this big (libFuzzer's -max_len default is far below). */
#define SFI_MAX_INPUT (1u << 20)

const char cmd_scenario_from_input_usage[] =
    "usage: mtproof scenario-from-input --target NAME FILE\n"
    "Reads FILE, an input of the stateful fuzz target NAME (fuzz/fuzz_NAME.c), decodes it exactly\n"
    "as the target does, runs the engine the target runs on it, and prints a scenario stanza\n"
    "(docs/scenarios.md): the messages as `send` steps and what the engine answered as `expect`\n"
    "steps, `rules` the first rule the engine reported. Targets: handshake_server, "
    "session_server,\n"
    "relay_conn. Exit status 2 for an unknown target, 3 for an unreadable or malformed file.\n";

typedef struct sfi_target {
    const char *name;
    int (*run)(sfi *s, const uint8_t *data, size_t size);
    const char *run_with;  /* how to run the stanza */
    const char *area_rule; /* the rule named when the input triggers none (marked TODO) */
} sfi_target;

static const sfi_target TARGETS[] = {
    {"handshake_server", sfi_handshake_server, "mtproof conform --scenarios DIR",
     "HSS_MALFORMED_QUERY"},
    {"relay_conn", sfi_relay_conn, "mtproof conform --target relay --scenarios DIR",
     "TRANSPORT_BAD_TAG"},
    {"session_server", sfi_session_server, "mtproof conform --scenarios DIR", "MSGID_TOO_LOW"},
};

int sfi_step(sfi *s, const char *fmt, ...)
{
    if (s->n_steps >= SFI_MAX_STEPS) {
        if (s->n_steps++ == SFI_MAX_STEPS)
            fprintf(s->steps, "  # ... the rest is cut: a scenario holds at most 256 steps\n");
        return 0;
    }
    s->n_steps++;
    va_list ap;
    va_start(ap, fmt);
    fputs("  ", s->steps);
    vfprintf(s->steps, fmt, ap);
    fputc('\n', s->steps);
    va_end(ap);
    return 1;
}

void sfi_note(sfi *s, const char *fmt, ...)
{
    if (s->n_steps > SFI_MAX_STEPS)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("  # ", s->steps);
    vfprintf(s->steps, fmt, ap);
    fputc('\n', s->steps);
    va_end(ap);
}

void sfi_send_hex(sfi *s, const char *mode, const uint8_t *p, size_t n, const char *suffix)
{
    if (n == 0) {
        sfi_note(s, "an empty %s: nothing to send", mode);
        return;
    }
    if (2 * n + strlen(suffix) + 32 > SFI_MAX_LINE) {
        sfi_note(s, "TODO: send %s of %zu bytes: over the scenario line limit", mode, n);
        return;
    }
    char *h = malloc(2 * n + 1);
    if (!h) {
        sfi_note(s, "TODO: send %s of %zu bytes: out of memory", mode, n);
        return;
    }
    hex_encode(p, n, h);
    h[2 * n] = 0;
    sfi_step(s, "send    %s %s%s%s", mode, h, suffix[0] ? " " : "", suffix);
    free(h);
}

void sfi_saw(sfi *s, int err)
{
    if (!s->rule && mt_err_is_rule(err))
        s->rule = err;
}

const char *sfi_ctor_name(const uint8_t *body, size_t len)
{
    if (len < 4)
        return NULL;
    const tl_ctor *c = tl_schema_find(&mtp_schema, ld32le(body));
    if (!c)
        c = tl_schema_find(&rly_schema, ld32le(body));
    return c ? c->name : NULL;
}

static int read_input(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_err(CLI_ERROR, "scenario-from-input", "%s: cannot open", path);
    uint8_t *buf = malloc(SFI_MAX_INPUT + 1);
    size_t n = buf ? fread(buf, 1, SFI_MAX_INPUT + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad || n > SFI_MAX_INPUT) {
        free(buf);
        return cli_err(CLI_ERROR, "scenario-from-input", "%s: %s", path,
                       !buf  ? "out of memory"
                       : bad ? "read error"
                             : "over 1 MiB: not a fuzz input");
    }
    *data = buf;
    *size = n;
    return CLI_OK;
}

/* FNV-1a of the input: the scenario's name stays the same for the same file. */
static uint32_t fnv32(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void print_stanza(const sfi_target *t, const sfi *s, const char *path, const uint8_t *data,
                         size_t size, const char *steps)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    printf("# From fuzz/fuzz_%s.c input %s (%zu bytes): `mtproof scenario-from-input`.\n", t->name,
           base, size);
    printf("# Run with: %s\n", t->run_with);
    if (s->extra)
        printf("# %s\n", s->extra);
    printf("role %s\ntier nightly\n\n", s->role);
    printf("scenario fuzz-%s-%08x\n", t->name, (unsigned)fnv32(data, size));
    const mt_rule *r = s->rule ? mt_rule_of(s->rule) : NULL;
    if (r) {
        printf("  rules   %s\n", r->id);
    } else {
        printf("  # TODO: the input triggered no rule; name the rule(s) this scenario tests\n");
        printf("  rules   %s\n", t->area_rule);
    }
    printf("  about   fuzz input %s of %s\n", base, t->name);
    fputs(steps, stdout);
}

int cmd_scenario_from_input(int argc, char **argv)
{
    const char *target = NULL, *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--target") == 0 && i + 1 < argc)
            target = argv[++i];
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else
            return cli_err(CLI_USAGE, "scenario-from-input", "unexpected argument '%s'", argv[i]);
    }
    if (!target || !path)
        return cli_err(CLI_USAGE, "scenario-from-input", "need --target NAME and FILE");
    const sfi_target *t = NULL;
    for (size_t i = 0; i < sizeof TARGETS / sizeof TARGETS[0]; i++)
        if (strcmp(TARGETS[i].name, target) == 0)
            t = &TARGETS[i];
    if (!t)
        return cli_err(CLI_USAGE, "scenario-from-input",
                       "unknown target '%s' (handshake_server, session_server, relay_conn)",
                       target);
    uint8_t *data = NULL;
    size_t size = 0;
    int rc = read_input(path, &data, &size);
    if (rc)
        return rc;
    char *steps = NULL;
    size_t steps_len = 0;
    sfi s = {.role = "client"};
    s.steps = open_memstream(&steps, &steps_len);
    int err = s.steps ? t->run(&s, data, size) : MT_E_no_memory;
    if (s.steps)
        fclose(s.steps);
    if (err == MT_OK && s.n_steps == 0)
        rc = cli_err(CLI_ERROR, "scenario-from-input", "%s: no complete record for %s", path,
                     t->name);
    else if (err != MT_OK)
        rc = cli_err(CLI_ERROR, "scenario-from-input", "%s: %s", path, mt_err_message(err));
    else
        print_stanza(t, &s, path, data, size, steps);
    free(steps);
    free(data);
    return rc;
}
