/* The subcommand table. Keep it sorted by name. */
#include "harness/cli.h"

#include <stdarg.h>
#include <string.h>

#include "harness/commands.h"

const cli_command cli_commands[] = {
    {"client", "chat end to end through mtproof relay (the reference client)", cmd_client_usage,
     cmd_client},
    {"conform", "run the conformance scenarios against a target", cmd_conform_usage, cmd_conform},
    {"decode", "print hex input (TL object, MTProto packet, transport stream) as a tree",
     cmd_decode_usage, cmd_decode},
    {"help", "show help for a subcommand", "usage: mtproof help [SUBCOMMAND]\n", cmd_help},
    {"keygen", "generate an RSA-2048 server key",
     "usage: mtproof keygen --out FILE [--force]\n"
     "Writes a new RSA-2048 private key (e = 65537) as PKCS#1 PEM with mode 0600 and prints the\n"
     "MTProto fingerprint of its public key. An existing FILE is kept unless --force is given.\n",
     cmd_keygen},
    {"keyinfo", "show an RSA key's form, size and MTProto fingerprint",
     "usage: mtproof keyinfo FILE\n"
     "Reads an RSA key in PEM (RSA PUBLIC KEY, PUBLIC KEY, RSA PRIVATE KEY or unencrypted PRIVATE\n"
     "KEY), checks it (a private key must be consistent) and prints its form, size in bits and\n"
     "MTProto fingerprint. Exit status 1 with a reason when the file is not a usable key.\n",
     cmd_keyinfo},
    {"relay", "run the reference MTProto server with end-to-end rooms", cmd_relay_usage, cmd_relay},
    {"replay", "replay a handshake transcript with our engines; report the first diverging byte",
     cmd_replay_usage, cmd_replay},
    {"rules", "print the rule catalogue (text, --markdown for docs/rules.md, --json)",
     cmd_rules_usage, cmd_rules},
    {"scenario-from-input", "turn an input of a stateful fuzz target into a scenario stanza",
     cmd_scenario_from_input_usage, cmd_scenario_from_input},
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
