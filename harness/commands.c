/* The subcommand table. Keep it sorted by name. */
#include "harness/cli.h"

#include <stdarg.h>
#include <string.h>

#include "harness/commands.h"

const cli_command cli_commands[] = {
    {"help", "show help for a subcommand", "usage: mtproof help [SUBCOMMAND]\n", cmd_help},
    {"shim", "answer shim protocol requests on stdin/stdout (docs/shim.md)", cmd_shim_usage,
     cmd_shim},
    {"vectors", "run test vector files through a shim", cmd_vectors_usage, cmd_vectors},
};
const size_t cli_command_count = sizeof(cli_commands) / sizeof(cli_commands[0]);

const cli_command *cli_find(const char *name)
{
    for (size_t i = 0; i < cli_command_count; i++)
        if (strcmp(cli_commands[i].name, name) == 0)
            return &cli_commands[i];
    return NULL;
}

int cli_err(int code, const char *name, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mtproof %s: ", name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}
