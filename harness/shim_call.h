/* The state of one shim request while it is answered (internal to harness/shim*.c). */
#ifndef MTPROOF_HARNESS_SHIM_CALL_H
#define MTPROOF_HARNESS_SHIM_CALL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "harness/shim.h"

/* Buffers one call may own (decoded fields and scratch); ops need a handful. */
#define SHIM_MAX_BUFS 16

struct shim_call {
    json_t *req;       /* the parsed request object */
    json_t *resp;      /* the ok response under construction: id, ok, then outputs */
    const shim_op *op; /* set once the op is known */
    struct {
        uint8_t *p;
        size_t n;
    } bufs[SHIM_MAX_BUFS];
    size_t nbufs;
    char detail[SHIM_MAX_DETAIL]; /* why the request failed; empty when not set */
};

void shim_call_init(shim_call *c);
/* Starts the ok response: {"id": id (when not NULL), "ok": true}. */
MT_WUR int shim_call_begin(shim_call *c, json_t *id);
/* Wipes and frees the buffers, drops the request and any unfinished response. */
void shim_call_end(shim_call *c);

#endif
