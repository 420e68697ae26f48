#include "common/err.h"

#include <string.h>

/* Indexed by error code: the tool errors, then the rules, exactly as the enum counts them. */
static const char *const err_names[] = {
#define MT_ERR(name, msg) #name,
#include "common/err.def"
#undef MT_ERR
#define MT_RULE(id, sev, rx, code, text, src) #id,
#include "common/rules.def"
#undef MT_RULE
};

/* A rule's message is its spec sentence. */
static const char *const err_messages[] = {
#define MT_ERR(name, msg) msg,
#include "common/err.def"
#undef MT_ERR
#define MT_RULE(id, sev, rx, code, text, src) text,
#include "common/rules.def"
#undef MT_RULE
};

_Static_assert(sizeof(err_names) / sizeof(err_names[0]) == MT_E__COUNT, "name per error");
_Static_assert(sizeof(err_messages) / sizeof(err_messages[0]) == MT_E__COUNT, "message per error");

const char *mt_err_name(int err)
{
    if (err < 0 || err >= MT_E__COUNT)
        return "unknown";
    return err_names[err];
}

const char *mt_err_message(int err)
{
    if (err < 0 || err >= MT_E__COUNT)
        return "unknown error";
    return err_messages[err];
}

int mt_err_from_name(const char *name)
{
    for (int i = 0; i < MT_E__COUNT; i++)
        if (strcmp(err_names[i], name) == 0)
            return i;
    return -1;
}
