/*
 * `mtproof replay FILE [--side client|server|both]`: replays a handshake transcript with our
 * engines (harness/replay.h) and reports the first diverging byte.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli.h"
#include "harness/commands.h"
#include "harness/replay.h"
#include "harness/transcript.h"

const char cmd_replay_usage[] =
    "usage: mtproof replay FILE [--side client|server|both]\n"
    "\n"
    "Replays a handshake transcript (docs/transcripts.md) with mtproof's own engines: each side\n"
    "is set up from the header (RSA keys, DH group, params, DRBG seed and the random values it\n"
    "used), fed the other side's frames at the recorded times, and every frame it sends is\n"
    "compared byte for byte; then its auth_key, auth_key_id, server_salt and result are compared\n"
    "with the header's `expect` lines. Frames marked unreproducible are not compared. With\n"
    "--side both (the default) a side the transcript marks no-replay is skipped with a note.\n"
    "Key files are read relative to FILE's directory.\n"
    "\n"
    "Exit status: 0 identical, 1 a divergence (frame, byte offset, expected and produced bytes\n"
    "with hex context), 2 usage, 3 a transcript that does not parse or cannot be replayed.\n";

/* Hex context: the bytes around the divergence, with their frame offsets. */
static void context(const char *label, size_t start, const uint8_t *p, size_t n, size_t mark)
{
    printf("  %-8s %06zx ", label, start);
    for (size_t i = 0; i < n; i++)
        printf(start + i == mark ? "[%02x]" : " %02x", p[i]);
    if (n == 0)
        printf(" (no bytes here)");
    putchar('\n');
}

static void report(const replay_report *r)
{
    const char *side = transcript_side_name(r->side);
    if (!r->diverged) {
        printf("%s: identical: %zu frame(s) compared, %zu unreproducible skipped; result %s\n",
               side, r->frames, r->skipped, r->result);
        return;
    }
    printf("%s: DIVERGES: %s\n", side, r->why);
    if (r->want_len || r->got_len) {
        printf("  frame %zu, offset %zu (0x%zx); expected %zu bytes, got %zu\n", r->frame,
               r->offset, r->offset, r->want_len, r->got_len);
        context("expected", r->ctx_start, r->want, r->want_ctx, r->offset);
        context("got", r->ctx_start, r->got, r->got_ctx, r->offset);
    }
    printf("  %s result: %s\n", side, r->result);
}

/* Runs one side; returns CLI_OK, CLI_FAIL or CLI_ERROR, or -1 for a skipped side. */
static int run_side(const mt_transcript *t, const char *dir, unsigned side, bool optional)
{
    if (optional && t->no_replay[side]) {
        printf("%s: not replayed: %s\n", transcript_side_name(side), t->no_replay[side]);
        return -1;
    }
    replay_report r;
    int err = replay_side(t, dir, side, &r);
    if (err)
        return cli_err(CLI_ERROR, "replay", "%s: %s", transcript_side_name(side),
                       r.why[0] ? r.why : mt_err_message(err));
    report(&r);
    return r.diverged ? CLI_FAIL : CLI_OK;
}

static int parse_args(int argc, char **argv, const char **file, int *side)
{
    *file = NULL;
    *side = -1; /* both */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--side") == 0 && i + 1 < argc) {
            const char *s = argv[++i];
            if (strcmp(s, "client") == 0)
                *side = TR_CLIENT;
            else if (strcmp(s, "server") == 0)
                *side = TR_SERVER;
            else if (strcmp(s, "both") != 0)
                return cli_err(CLI_USAGE, "replay", "--side takes client, server or both");
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_err(CLI_USAGE, "replay", "unknown option '%s'\n%s", argv[i],
                           cmd_replay_usage);
        } else if (!*file) {
            *file = argv[i];
        } else {
            return cli_err(CLI_USAGE, "replay", "one FILE only\n%s", cmd_replay_usage);
        }
    }
    return *file ? CLI_OK : cli_err(CLI_USAGE, "replay", "no FILE\n%s", cmd_replay_usage);
}

int cmd_replay(int argc, char **argv)
{
    const char *file;
    int side;
    int rc = parse_args(argc, argv, &file, &side);
    if (rc)
        return rc;
    mt_transcript t;
    tr_error e;
    if (transcript_load(file, &t, &e) != MT_OK) {
        transcript_free(&t);
        if (e.line)
            return cli_err(CLI_ERROR, "replay", "%s:%u:%u: %s (%s)", file, e.line, e.col, e.msg,
                           mt_err_name(e.code));
        return cli_err(CLI_ERROR, "replay", "%s: %s", file, e.msg);
    }
    char *copy = strdup(file);
    const char *dir = copy ? dirname(copy) : ".";
    rc = CLI_OK;
    int ran = 0;
    for (unsigned s = 0; s < 2 && rc != CLI_ERROR; s++) {
        if (side >= 0 && (unsigned)side != s)
            continue;
        int one = run_side(&t, dir, s, side < 0);
        if (one >= 0)
            ran++;
        if (one > rc)
            rc = one;
    }
    if (rc == CLI_OK && ran == 0)
        rc = cli_err(CLI_ERROR, "replay", "%s: no side can be replayed", file);
    free(copy);
    transcript_free(&t);
    return rc;
}
