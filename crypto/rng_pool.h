/*
 * A pool in front of another RNG (normally rng_os()): one getrandom(2) of RNG_POOL_BYTES serves
 * many small requests. A relay or client asks for a few bytes per message (msg_id low bits,
 * padding), and a system call per request was a tenth of the load benchmark's CPU; the bytes are
 * the OS CSPRNG's all the same, handed out once each, in order, and wiped from the pool as they
 * are handed out (a later memory disclosure shows only bytes not yet used).
 * One pool per thread, and not across fork(): a child would repeat the parent's pooled bytes
 * (the peers that use it never fork).
 */
#ifndef MTPROOF_CRYPTO_RNG_POOL_H
#define MTPROOF_CRYPTO_RNG_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/rng.h"

#define RNG_POOL_BYTES 4096u

typedef struct rng_pool {
    mt_rng rng; /* first member: (mt_rng *)&pool works as an injected RNG */
    mt_rng *src;
    size_t pos; /* buf[pos..] not yet handed out; RNG_POOL_BYTES when empty */
    uint8_t buf[RNG_POOL_BYTES];
} rng_pool;

/* An empty pool over src (filled on the first request). */
void rng_pool_init(rng_pool *p, mt_rng *src);
/* The pool as an mt_rng. Requests of RNG_POOL_BYTES or more (after what the pool still holds)
 * go to src directly; a failure of src is returned (rng_failure) with out zeroed. */
mt_rng *rng_pool_rng(rng_pool *p);
/* Wipes the bytes not handed out; the pool is empty afterwards (still usable). */
void rng_pool_wipe(rng_pool *p);

#endif
