/* The mtproof command line: one table of subcommands, each in its own file (harness/cmd_*.c). */
#ifndef MTPROOF_HARNESS_CLI_H
#define MTPROOF_HARNESS_CLI_H

#include <stddef.h>
#include <stdio.h>

/* Exit codes shared by every subcommand. */
enum {
    CLI_OK = 0,    /* success */
    CLI_FAIL = 1,  /* the check the command ran failed (mismatch, conformance failure) */
    CLI_USAGE = 2, /* bad command line */
    CLI_ERROR = 3, /* could not run: unreadable file, resource error */
};

typedef struct cli_command {
    const char *name;
    const char *summary;               /* one line for `mtproof --help` */
    const char *usage;                 /* full text for `mtproof help NAME` */
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
} cli_command;

extern const cli_command cli_commands[];
extern const size_t cli_command_count;

/* Runs the CLI: `mtproof ARGS...`; returns the process exit code. */
int cli_main(int argc, char **argv);

/* The command named `name`, or NULL. */
const cli_command *cli_find(const char *name);

/* Prints "mtproof NAME: message" to stderr; returns `code` so callers can `return cli_err(...)`. */
int cli_err(int code, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
