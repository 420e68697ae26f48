/*
 * mtproof error codes: one enum generated from common/err.def (tool errors, lowercase names)
 * followed by the rule catalogue common/rules.def (protocol rejections, UPPERCASE rule IDs).
 * A function that refuses protocol input returns the rule's code, MT_E_<RULE_ID>.
 */
#ifndef MTPROOF_COMMON_ERR_H
#define MTPROOF_COMMON_ERR_H

#include <stdbool.h>

#define MT_WUR __attribute__((warn_unused_result))

typedef enum mt_err {
#define MT_ERR(name, msg) MT_E_##name,
#include "common/err.def"
#undef MT_ERR
    /* The first rule takes the value right after the last tool error: MT_E__RULES_FIRST names
     * that value, and the enumerator after it steps back one so the rules start there. */
    MT_E__RULES_FIRST,
    MT_E__RULES_STEP_BACK = MT_E__RULES_FIRST - 1,
#define MT_RULE(id, sev, rx, code, text, src) MT_E_##id,
#include "common/rules.def"
#undef MT_RULE
    MT_E__COUNT
} mt_err;

/* MT_OK is the success value of every function that returns mt_err. */
#define MT_OK MT_E_ok

/* True when err is a rule of the catalogue (details: common/rules.h). */
static inline bool mt_err_is_rule(int err)
{
    return err >= MT_E__RULES_FIRST && err < MT_E__COUNT;
}

/* The stable name of an error (e.g. "bad_key_size", "DH_PRIME_NOT_SAFE"), or "unknown" for an
 * out-of-range value. */
const char *mt_err_name(int err);

/* A one-line human-readable message for an error, or "unknown error". */
const char *mt_err_message(int err);

/* The error whose name is `name`, or -1 when there is none. */
int mt_err_from_name(const char *name);

#endif
