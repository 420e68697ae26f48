/* mtproof: the one CLI. Everything lives in harness/; this file only hands over. */
#include "harness/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
