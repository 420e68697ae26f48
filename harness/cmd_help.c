#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cpu.h"
#include "harness/cli.h"
#include "harness/commands.h"

static void print_overview(FILE *f)
{
    fprintf(f, "mtproof %s: conformance harness and fuzzing suite for MTProto 2.0\n\n",
            MTPROOF_VERSION);
    fprintf(f, "usage: mtproof [--version] [--help] SUBCOMMAND [ARGS...]\n\nsubcommands:\n");
    for (size_t i = 0; i < cli_command_count; i++)
        fprintf(f, "  %-12s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fprintf(f, "\n'mtproof help SUBCOMMAND' shows a subcommand's options.\n");
    fprintf(f, "Environment: MTPROOF_PORTABLE=1 uses the portable crypto code instead of "
               "SHA-NI/AES-NI.\n");
}

int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stdout);
        return CLI_OK;
    }
    if (argc > 2)
        return cli_err(CLI_USAGE, "help", "takes at most one subcommand name");
    const cli_command *c = cli_find(argv[1]);
    if (!c)
        return cli_err(CLI_USAGE, "help", "no such subcommand: '%s' (see 'mtproof --help')",
                       argv[1]);
    fputs(c->usage, stdout);
    return CLI_OK;
}

int cli_main(int argc, char **argv)
{
    /* MTPROOF_PORTABLE=1 turns off the SHA-NI/AES-NI paths, so a user can run the vectors (or
     * a shim session) through the portable code as well. */
    const char *portable = getenv("MTPROOF_PORTABLE");
    if (portable && strcmp(portable, "1") == 0)
        cpu_set_mask(0);
    if (argc < 2) {
        print_overview(stderr);
        return CLI_USAGE;
    }
    const char *a = argv[1];
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
        printf("mtproof %s\n", MTPROOF_VERSION);
        return CLI_OK;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
        return cmd_help(1, argv + 1);
    const cli_command *c = cli_find(a);
    if (!c)
        return cli_err(CLI_USAGE, a, "unknown subcommand (see 'mtproof --help')");
    /* `mtproof SUB --help` is the same as `mtproof help SUB`. */
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(c->usage, stdout);
            return CLI_OK;
        }
    return c->run(argc - 1, argv + 1);
}
