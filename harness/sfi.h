/* `mtproof scenario-from-input` (harness/cmd_scenario_from_input.c): the per-target translators
 * of a stateful fuzz target's input into the steps of a scenario stanza (docs/scenarios.md). Each
 * decodes the input with the target's own decoder (fuzz/fuzz_records.h,
 * fuzz/fuzz_session_input.h), runs the same engine the target runs, set up the same way, and
 * writes what the engine answered as `expect` steps. */
#ifndef MTPROOF_HARNESS_SFI_H
#define MTPROOF_HARNESS_SFI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The scenario language's limits (docs/scenarios.md "Lexical structure"), kept a little under. */
#define SFI_MAX_LINE  4000u
#define SFI_MAX_STEPS 250u

typedef struct sfi {
    FILE *steps;       /* the step lines, written first, printed after the header */
    size_t n_steps;    /* steps written */
    int rule;          /* the first rule the engine reported (MT_E_<ID>), or 0 */
    const char *role;  /* "client" (the harness plays the client) */
    const char *extra; /* a comment line for the header: how to run it, or NULL */
} sfi;

/* A step "VERB ARGS" (printf format), counted against SFI_MAX_STEPS; false once over. */
__attribute__((format(printf, 2, 3))) int sfi_step(sfi *s, const char *fmt, ...);
/* A comment line among the steps. */
__attribute__((format(printf, 2, 3))) void sfi_note(sfi *s, const char *fmt, ...);
/* `send MODE HEX SUFFIX`, or a comment when the line would be over SFI_MAX_LINE. */
void sfi_send_hex(sfi *s, const char *mode, const uint8_t *p, size_t n, const char *suffix);
/* Records the first rule seen. */
void sfi_saw(sfi *s, int err);
/* The constructor name of a boxed mtproto (or relay) object, or NULL. */
const char *sfi_ctor_name(const uint8_t *body, size_t len);

/* Translators: 0, or an MT_E_ error (no_memory, a key that does not load). */
int sfi_handshake_server(sfi *s, const uint8_t *data, size_t size);
int sfi_session_server(sfi *s, const uint8_t *data, size_t size);
int sfi_relay_conn(sfi *s, const uint8_t *data, size_t size);

#endif
