/* Internals shared by the scenario parser's files (harness/scenario_*.c) and the runner. */
#ifndef MTPROOF_HARNESS_SCENARIO_INTERNAL_H
#define MTPROOF_HARNESS_SCENARIO_INTERNAL_H

#include <jansson.h>

#include "proto/tl_rly.h"
#include "harness/scenario.h"
#include "harness/tl_json.h"

/* Symbols in TL values (`last`, `random`...): sym writes the JSON value of name for a field of
 * kind (enum tl_kind) and returns 0, or returns -1 when name is not a symbol it knows. */
typedef struct sc_resolver {
    void *ctx;
    int (*sym)(void *ctx, const char *name, int kind, json_t **out);
} sc_resolver;

/* Splits one line into tokens (docs/scenarios.md "Lexical structure"). On an error *bad_col and
 * why say where and what; tokens already made are in toks[0..*count). */
MT_WUR int sc_lex_line(const char *line, size_t n, sc_tok *toks, size_t max, size_t *count,
                       unsigned *bad_col, char *why, size_t why_cap);
void sc_toks_free(sc_tok *toks, size_t n);

/* The text form of a TL object -> the JSON form of tl_json.h. pattern: fields may be left out and
 * `*` is allowed (expect). why gets "+OFFSET: message". */
MT_WUR int sc_tl_parse(const char *text, const sc_resolver *res, bool pattern, json_t **out,
                       char *why, size_t why_cap);
/* The constructor named name in the mtproto or relay schema (*s gets which). */
const tl_ctor *sc_tl_ctor(const char *name, const tl_schema **s);
/* The schema of a JSON object's constructor ("_"), mtproto when unknown. */
const tl_schema *sc_tl_schema_of(const json_t *o);

/* Checks one step's tokens against the verb's grammar; why gets "col: message" material. On an
 * error *col is the offending token's column. */
MT_WUR int sc_check_step(const sc_step *st, unsigned *col, char *why, size_t why_cap);

/* The `e2e` step's grammar (harness/scenario_e2e.c). */
MT_WUR int sc_check_e2e(const sc_step *st, unsigned *col, char *why, size_t why_cap);
/* The `connection` step's grammar and the stanza line `limits` (harness/scenario_multi.c); *col
 * and why as in sc_check_step. */
MT_WUR int sc_check_connection(const sc_step *st, unsigned *col, char *why, size_t why_cap);
MT_WUR int sc_header_limits(scenario *c, const sc_tok *t, size_t n, unsigned *col, char *why,
                            size_t why_cap);

/* The bytes/string symbol `fill:N` (docs/scenarios.md "TL objects"): N bytes 00 01 02 ... ff 00...,
 * for payloads longer than a line may hold. */
#define SC_FILL_MAX (1 << 20)
bool sc_fill_len(const char *name, size_t *n);

/* The resolver the parser validates with: every runner symbol, as a placeholder value. */
extern const sc_resolver sc_check_resolver;

/* The verb named name, or -1. */
int sc_verb_by_name(const char *name);
void sc_scenario_free(scenario *c);
/* A transport a scenario may name: a framing, obf2-<framing>. */
bool sc_transport_ok(const char *s);

/* Relay objects in fields of an mtproto object (rpc_result.result) become the opaque objects
 * its encoder takes (harness/scenario_nested.c). */
MT_WUR int sc_nest_relay(json_t *j);
/* The other way (expect): an opaque object {"_":"opaque","id","data"} of a relay constructor as
 * that relay object's JSON, or NULL (new reference). */
json_t *sc_relay_of_opaque(const json_t *o);

#endif
