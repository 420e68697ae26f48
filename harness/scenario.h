/*
 * Conformance scenarios: the data-only language of docs/scenarios.md (DESIGN.md "The harness";
 * issue 8 "Scenarios"). A file holds stanzas; each stanza is one scenario:
 *
 *     scenario msgid-too-old
 *       rules  MSG_TOO_OLD
 *       role   client            # the role the harness plays
 *       tier   fast
 *       handshake
 *       send   ping(ping_id=7) msg_id=now-301s
 *       expect bad_msg 16
 *
 * The parser keeps each step as a verb and its tokens (words, key=value pairs, TL objects in the
 * text form `ctor(field=value, ...)` or JSON); it checks every verb, key and TL object against the
 * schema, so a scenario file with an error is refused as file:line:column: message before any
 * scenario runs. Values that depend on the run (msg_ids, `last`, `now`) are resolved by the
 * runner. Limits keep a hostile file bounded (SC_MAX_*).
 */
#ifndef MTPROOF_HARNESS_SCENARIO_H
#define MTPROOF_HARNESS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define SC_MAX_FILE      ((size_t)1 << 20) /* bytes of one scenario file */
#define SC_MAX_LINE      4096              /* bytes of one line */
#define SC_MAX_TOKENS    64                /* tokens of one step */
#define SC_MAX_STEPS     256               /* steps of one scenario */
#define SC_MAX_RULES     8                 /* rules of one scenario (report.h CONFORM_MAX_RULES) */
#define SC_MAX_NAME      80                /* bytes of a scenario name */
#define SC_MAX_SCENARIOS 4096              /* scenarios of one set */
#define SC_WHY           256               /* room for an error message */
#define SC_CONN_NAME_MAX 23                /* bytes of a connection name (`connection NAME`) */

typedef enum sc_role { SC_ROLE_CLIENT, SC_ROLE_SERVER } sc_role; /* the harness's role */
typedef enum sc_tier { SC_TIER_FAST, SC_TIER_NIGHTLY } sc_tier;

typedef enum sc_verb {
    SV_HANDSHAKE,
    SV_SEND,
    SV_EXPECT,
    SV_CLOCK,
    SV_WAIT,
    SV_RECONNECT,
    SV_TRANSPORT,
    SV_SESSION,
    SV_BIND,
    SV_E2E,        /* the harness as the client's room peer (harness/conform_e2e.h) */
    SV_CONNECTION, /* harness/scenario_multi.c: several connections of one scenario */
    SV_VERB_COUNT
} sc_verb;

/* One token: `word`, `key=value`, or an object (`ctor(...)`, `{json}`, `[list]`). */
typedef struct sc_tok {
    char *key; /* NULL for a bare token */
    char *val;
    unsigned col; /* 1-based column of the token */
} sc_tok;

typedef struct sc_step {
    sc_verb verb;
    unsigned line, col;
    sc_tok *toks; /* after the verb */
    size_t n;
} sc_step;

/* `limits k=v...` (harness/scenario_multi.c): the builtin relay's limits for one scenario, so
 * the fast tier reaches them with a few connections; 0 keeps a limit's default. */
typedef struct sc_limits {
    bool set;
    uint32_t max_conns, max_frame, max_pending, handshake_rate;
    uint64_t idle_ns;
    char text[160]; /* as written, for reports: "max_conns=2 handshake_rate=3" */
} sc_limits;

typedef struct scenario {
    char *name;
    char *about; /* one line of description, or NULL */
    char *file;
    char *area; /* the file's base name without extension */
    unsigned line;
    int rules[SC_MAX_RULES]; /* MT_E_<ID> */
    size_t n_rules;
    sc_role role;
    sc_tier tier;
    char *transport;      /* "intermediate" when not given; see docs/scenarios.md */
    bool transport_named; /* the scenario's own `transport` line (not the file's default) */
    bool relay_only;      /* `target relay`: needs the relay API (skipped by other targets) */
    /* `server-retries N`: the server answers the first N attempts of each handshake with
     * dh_gen_retry (builtin: configured so; --server: run only with --server-retries N). */
    unsigned server_retries;
    bool builtin_only; /* `target builtin`: needs the shared virtual clock (skipped on the network)
                        */
    sc_limits limits;  /* `limits ...`: implies relay_only */
    sc_step *steps;
    size_t n_steps;
} scenario;

typedef struct sc_set {
    scenario *v;
    size_t n, cap;
} sc_set;

void sc_set_init(sc_set *s);
void sc_set_free(sc_set *s);

/* Parses text (n bytes) of the file named path and appends its scenarios to set. area: the
 * scenarios' area. Errors: bad_field with "path:line:col: message" in why (the first error only;
 * set is left with the scenarios of earlier files), no_memory, limit_exceeded. A name used
 * twice in the set is an error. */
MT_WUR int sc_parse(sc_set *set, const char *path, const char *area, const char *text, size_t n,
                    char *why, size_t why_cap);
/* Reads and parses a file (area = base name without extension). */
MT_WUR int sc_parse_file(sc_set *set, const char *path, char *why, size_t why_cap);
/* Every *.mts file under dir, sorted by name. */
MT_WUR int sc_parse_dir(sc_set *set, const char *dir, char *why, size_t why_cap);

const char *sc_verb_name(sc_verb v);
/* The token with this key in a step, or NULL. */
const sc_tok *sc_step_get(const sc_step *s, const char *key);

/* ---- values shared by parser and runner (scenario_value.c) ---- */

/* A duration: "31s", "500ms", "2m", "1h", a bare number of seconds; a leading + or - for clock.
 * *ns is signed. false when malformed. */
bool sc_duration(const char *s, int64_t *ns);
/* A signed 64-bit integer: decimal or 0x hex (hex read as the unsigned 64-bit pattern). */
bool sc_int64(const char *s, int64_t *v);
/* A fault name of the bind step (harness/conform_bind.c). */
bool sc_bind_fault_ok(const char *f);
/* `limits` values (docs/scenarios.md): "max_conns=2 handshake_rate=3", blanks or commas between
 * them. false with why set when malformed. Also parses `--server-limits`. */
bool sc_limits_parse(const char *text, sc_limits *l, char *why, size_t cap);
/* The same limits (each value equal; text ignored). */
bool sc_limits_equal(const sc_limits *a, const sc_limits *b);
/* The rule with this ID ("MSG_TOO_OLD"), or 0. */
int sc_rule_by_id(const char *id);

/* An envelope value: BASE { (+|-) OFFSET }, BASE a name (`now`, `last`, `next`...) or a number,
 * each OFFSET a duration with a unit (`301s`: seconds, shifting a msg_id by OFFSET * 2^32) or a
 * plain integer. "now-301s", "last+1", "0x5e0b000000000004", "next+2". */
typedef struct sc_expr {
    char base[16]; /* "" when the base is a number */
    int64_t num;   /* the number base */
    int64_t plus;  /* sum of the plain integer offsets */
    int64_t ns;    /* sum of the duration offsets */
} sc_expr;
bool sc_expr_parse(const char *s, sc_expr *e);

#endif
