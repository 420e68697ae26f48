/* Entry points of the subcommands (one file each). */
#ifndef MTPROOF_HARNESS_COMMANDS_H
#define MTPROOF_HARNESS_COMMANDS_H

int cmd_client(int argc, char **argv);
int cmd_conform(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_keyinfo(int argc, char **argv);
int cmd_relay(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_scenario_from_input(int argc, char **argv);
int cmd_shim(int argc, char **argv);
int cmd_vectors(int argc, char **argv);

/* Usage texts, defined next to each command. */
extern const char cmd_client_usage[];
extern const char cmd_conform_usage[];
extern const char cmd_decode_usage[];
extern const char cmd_relay_usage[];
extern const char cmd_replay_usage[];
extern const char cmd_rules_usage[];
extern const char cmd_scenario_from_input_usage[];
extern const char cmd_shim_usage[];
extern const char cmd_vectors_usage[];

#endif
