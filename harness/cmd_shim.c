/* `mtproof shim`: the reference shim, speaking the line protocol of docs/shim.md on stdin/stdout.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli.h"
#include "harness/commands.h"
#include "harness/shim.h"

const char cmd_shim_usage[] =
    "usage: mtproof shim\n"
    "\n"
    "Reads one JSON request per line on stdin and writes one JSON response per line on stdout\n"
    "(flushed after each) until end of input. Request: {\"id\": 7, \"op\": \"sha256\", \"data\":\n"
    "\"616263\"}; response: {\"id\": 7, \"ok\": true, \"out\": \"ba78...\"}, or on failure\n"
    "{\"id\": 7, \"ok\": false, \"error\": \"NAME\", \"detail\": \"...\"}. Bad input is answered,\n"
    "never fatal. {\"op\": \"list_ops\"} lists the ops; docs/shim.md describes every op.\n"
    "Exit status: 0 at end of input, 3 when reading or writing fails.\n";

int cmd_shim(int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_err(CLI_USAGE, "shim", "takes no arguments (see 'mtproof help shim')");
    /* A reader that goes away should end the loop with an error, not kill us silently. */
    signal(SIGPIPE, SIG_IGN);
    int err = shim_serve(STDIN_FILENO, STDOUT_FILENO);
    if (err)
        return cli_err(CLI_ERROR, "shim", "%s", mt_err_message(err));
    return CLI_OK;
}
