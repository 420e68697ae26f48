/* Entry points of the subcommands (one file each). */
#ifndef MTPROOF_HARNESS_COMMANDS_H
#define MTPROOF_HARNESS_COMMANDS_H

int cmd_help(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_keyinfo(int argc, char **argv);

#endif
