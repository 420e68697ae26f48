/*
 * Target: sc_parse (harness/scenario_parse.c) and beneath it sc_lex_line (scenario_lex.c),
 * sc_check_step (scenario_check.c), sc_tl_parse (scenario_tl.c, the text form of TL objects),
 * sc_expr_parse / sc_duration (scenario_value.c), sc_check_e2e (scenario_e2e.c),
 * sc_check_connection / sc_header_limits / sc_fill_len (scenario_multi.c) and sc_nest_relay
 * (scenario_nested.c, relay objects inside rpc_result). Input: arbitrary scenario file text.
 * Property: the parser accepts or refuses with a "path:line:col: message" error, never crashes or
 * leaks; an accepted file has named scenarios with at least one rule and one step each.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > SC_MAX_FILE)
        return 0;
    sc_set set;
    sc_set_init(&set);
    char why[SC_WHY + 64];
    int err = sc_parse(&set, "fuzz.mts", "fuzz", (const char *)data, size, why, sizeof why);
    if (err && strncmp(why, "fuzz.mts:", 9) != 0 && err != MT_E_no_memory)
        abort(); /* every refusal says where */
    for (size_t i = 0; !err && i < set.n; i++)
        if (!set.v[i].name || set.v[i].n_rules == 0 || set.v[i].n_steps == 0)
            abort();
    sc_set_free(&set);
    return 0;
}
