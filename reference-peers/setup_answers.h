/*
 * The answers a server owes a third-party client's setup queries (issue 9: "answers that
 * third-party clients expect on connect get a well-formed minimal answer"). Every client from
 * the wild wraps its first query in invokeWithLayer(initConnection(...)) (mtcute also in
 * invokeWithoutUpdates) and asks help.getConfig, help.getNearestDc or updates.getState before
 * anything else. The relay (reference-peers/relay_rpc.c) and the conformance harness playing the
 * server (harness/conform_setup.c) answer them with this same code, so a client under test sees
 * the same server in both.
 */
#ifndef MTPROOF_REFERENCE_PEERS_SETUP_ANSWERS_H
#define MTPROOF_REFERENCE_PEERS_SETUP_ANSWERS_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* The DC the answers name (this server). */
#define SETUP_THIS_DC 2

typedef struct setup_server {
    int32_t now_s;  /* the server's clock (Config.date, updates.state.date) */
    const char *ip; /* the DC option of Config; NULL: 127.0.0.1 */
    int32_t port;   /* 0: 443 */
} setup_server;

/* The innermost query under invokeWithLayer / initConnection / invokeWithoutUpdates (nested in
 * any order). A wrapper that does not parse leaves the query as it is (its id is then unknown). */
void setup_unwrap(const uint8_t **q, size_t *len);

/* The answer to an (unwrapped) help.getConfig, help.getNearestDc or updates.getState: 0 with the
 * result's TL in out; MT_E_unimplemented for any other query (nothing written). */
MT_WUR int setup_answer(const setup_server *s, const uint8_t *q, size_t len, uint8_t *out,
                        size_t cap, size_t *out_len);

#endif
