#include "common/rules.h"

#include <stddef.h>

static const mt_rule rule_table[] = {
#define MT_RULE(id, sev, rx, code, text, src) {MT_E_##id, #id, sev, rx, code, text, src},
#include "common/rules.def"
#undef MT_RULE
};

#define RULE_COUNT (sizeof(rule_table) / sizeof(rule_table[0]))

const mt_rule *mt_rule_of(int err)
{
    if (err < MT_E__RULES_FIRST || err >= MT_E__COUNT)
        return NULL;
    return &rule_table[err - MT_E__RULES_FIRST];
}

const mt_rule *mt_rules(size_t *count)
{
    *count = RULE_COUNT;
    return rule_table;
}

const char *mt_severity_name(mt_severity s)
{
    switch (s) {
    case MUST:
        return "MUST";
    case SHOULD:
        return "SHOULD";
    case DEPRECATED:
        return "DEPRECATED";
    }
    return "?";
}

const char *mt_reaction_name(mt_reaction r)
{
    static const char *const names[] = {
        "local refusal",   "abort",
        "silent drop",     "close",
        "transport error", "bad_msg_notification",
        "bad_server_salt", "rpc_error",
        "msgs_state_info", "HTTP error status",
        "resend request",
    };
    if ((unsigned)r < sizeof(names) / sizeof(names[0]))
        return names[r];
    return "?";
}
