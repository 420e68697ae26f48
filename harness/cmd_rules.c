/*
 * `mtproof rules [--markdown|--json]`: the rule catalogue (common/rules.def through
 * common/rules.h) as text, as the Markdown of docs/rules.md, or as JSON for tools.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/rules.h"
#include "harness/cli.h"
#include "harness/commands.h"

const char cmd_rules_usage[] =
    "usage: mtproof rules [--markdown | --json]\n"
    "\n"
    "Prints the rule catalogue: every MUST/SHOULD of MTProto that mtproof checks, with its ID "
    "(the\n"
    "error name engines, reports and the shim use), severity, expected reaction on the wire, spec\n"
    "sentence and source. --markdown prints docs/rules.md (regenerate it with\n"
    "`build/mtproof rules --markdown > docs/rules.md`); --json prints one JSON array.\n";

/* The reaction with its code, e.g. "bad_msg_notification 16", "transport error -404". */
static void reaction_text(const mt_rule *r, char *out, size_t n)
{
    if (r->code)
        snprintf(out, n, "%s %d", mt_reaction_name(r->reaction), r->code);
    else
        snprintf(out, n, "%s", mt_reaction_name(r->reaction));
}

/* A table cell: '|' escaped so a sentence cannot split the row. */
static void md_cell(const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else
            putchar(*s);
    }
}

static void print_markdown(const mt_rule *rules, size_t n)
{
    printf("# Rule catalogue\n\n"
           "<!-- Generated from common/rules.def by `mtproof rules --markdown`; do not edit.\n"
           "     Regenerate: build/mtproof rules --markdown > docs/rules.md\n"
           "     (ctest `cli_rules` fails when this file is out of date.) -->\n\n"
           "Every rule of MTProto that mtproof checks. The ID is the error name an engine returns "
           "when it rejects input, the name reports and the shim print, and the name a test or "
           "scenario uses to provoke it (ctest `cli_rules_tested` fails when a rule has no test). "
           "Severity: MUST (a violation fails), SHOULD (a warning), DEPRECATED (accepted but "
           "reported). Reaction: what the side that detects the violation does, as seen on the "
           "wire.\n\n%zu rules.\n\n",
           n);
    printf("| ID | severity | reaction | rule | source |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        char rx[64];
        reaction_text(&rules[i], rx, sizeof rx);
        printf("| `%s` | %s | %s | ", rules[i].id, mt_severity_name(rules[i].severity), rx);
        md_cell(rules[i].sentence);
        printf(" | ");
        md_cell(rules[i].source);
        printf(" |\n");
    }
}

static int print_json(const mt_rule *rules, size_t n)
{
    json_t *all = json_array();
    for (size_t i = 0; all && i < n; i++) {
        const mt_rule *r = &rules[i];
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:i, s:s, s:s}", "id", r->id, "severity",
                      mt_severity_name(r->severity), "reaction", mt_reaction_name(r->reaction),
                      "code", r->code, "sentence", r->sentence, "source", r->source);
        if (!o || json_array_append_new(all, o) != 0) {
            json_decref(all);
            all = NULL;
        }
    }
    char *text = all ? json_dumps(all, JSON_INDENT(1)) : NULL;
    json_decref(all);
    if (!text)
        return cli_err(CLI_ERROR, "rules", "out of memory");
    puts(text);
    free(text);
    return CLI_OK;
}

int cmd_rules(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (argc > 2 || (argc == 2 && strcmp(mode, "--markdown") != 0 && strcmp(mode, "--json") != 0))
        return cli_err(CLI_USAGE, "rules", "usage: mtproof rules [--markdown | --json]");
    size_t n = 0;
    const mt_rule *rules = mt_rules(&n);
    if (strcmp(mode, "--json") == 0)
        return print_json(rules, n);
    if (strcmp(mode, "--markdown") == 0) {
        print_markdown(rules, n);
        return CLI_OK;
    }
    for (size_t i = 0; i < n; i++) {
        char rx[64];
        reaction_text(&rules[i], rx, sizeof rx);
        printf("%-28s %-10s %s\n    %s (%s)\n", rules[i].id, mt_severity_name(rules[i].severity),
               rx, rules[i].sentence, rules[i].source);
    }
    return CLI_OK;
}
