/* The rule catalogue (common/rules.def): each rule's severity, wire reaction and spec sentence. */
#ifndef MTPROOF_COMMON_RULES_H
#define MTPROOF_COMMON_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"

typedef enum mt_severity { MUST, SHOULD, DEPRECATED } mt_severity;

/* What the side that detects a violation does, as seen on the wire. */
typedef enum mt_reaction {
    RX_LOCAL,           /* refused locally before anything is sent (e.g. a caller's bad input) */
    RX_ABORT,           /* the client abandons the handshake / chat and discards the data */
    RX_DROP,            /* the message is ignored; no answer */
    RX_CLOSE,           /* the connection is closed */
    RX_TRANSPORT_ERROR, /* a transport error packet (code: -404, -429, -444), then close */
    RX_BAD_MSG,         /* bad_msg_notification with the rule's code */
    RX_BAD_SERVER_SALT, /* bad_server_salt (code 48) carrying the right salt */
    RX_RPC_ERROR,       /* rpc_error */
    RX_STATE_INFO,      /* msgs_state_info (e.g. an unanswerable msg_resend_req) */
    RX_HTTP_STATUS,     /* HTTP transport: an HTTP error response (code: its status), then close */
    RX_RESEND,          /* end-to-end: held back, decryptedMessageActionResend asks for the gap */
} mt_reaction;

typedef struct mt_rule {
    int err;        /* MT_E_<ID> */
    const char *id; /* "ID" */
    mt_severity severity;
    mt_reaction reaction;
    int code; /* bad_msg code or transport error, 0 when none */
    const char *sentence;
    const char *source;
} mt_rule;

/* The rule whose error code is err, or NULL when err is not a rule. */
const mt_rule *mt_rule_of(int err);
/* All rules, in catalogue order. */
const mt_rule *mt_rules(size_t *count);
const char *mt_severity_name(mt_severity s);
const char *mt_reaction_name(mt_reaction r);

#endif
