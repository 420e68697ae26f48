/* `mtproof conform --record DIR` (harness/conform_record.c): a target that wraps another and
 * writes what crossed it. Per connection of a scenario, DIR/NAME.N.txt: a transcript
 * (docs/transcripts.md) with `records scenario`, `layer transport` and every chunk of bytes sent
 * (c2s) and received (s2c), at the peer's clock. Per scenario, DIR/NAME.session: the encrypted
 * messages the harness sent, as an input of fuzz/fuzz_session_server.c
 * (fuzz/fuzz_session_input.h). fuzz/seeds_from_conform.py turns both into seeds. */
#ifndef MTPROOF_HARNESS_CONFORM_RECORD_H
#define MTPROOF_HARNESS_CONFORM_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/target.h"

/* Wraps inner (owned from here on: freed with the wrapper) into *out. name: the scenario's, a
 * file name part ([A-Za-z0-9_.-]). Errors: no_memory (inner is freed). */
MT_WUR int cf_record_target(target *inner, const char *dir, const char *name, target **out);

/* An encrypted message the harness sent (conform_peer_io.c); nothing unless t records. now_ns:
 * the harness's clock; bad_salt / other_session: the salt or session was overridden. */
void cf_record_message(target *t, uint64_t msg_id, uint64_t now_ns, uint32_t seqno,
                       const uint8_t *body, size_t len, bool bad_salt, bool other_session);

#endif
