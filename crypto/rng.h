/*
 * Randomness is injected: engines take an mt_rng and never read the system RNG themselves.
 * Two implementations: the OS CSPRNG (getrandom) and a seeded deterministic DRBG (crypto/drbg.h)
 * for reproducible runs, transcripts and fuzzing.
 */
#ifndef MTPROOF_CRYPTO_RNG_H
#define MTPROOF_CRYPTO_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

typedef struct mt_rng mt_rng;
struct mt_rng {
    /* Fills out with n random bytes; returns 0 or an error (rng_failure). */
    int (*fill)(mt_rng *self, uint8_t *out, size_t n);
};

static inline MT_WUR int rng_fill(mt_rng *r, uint8_t *out, size_t n)
{
    return r->fill(r, out, n);
}

/* The process-wide OS CSPRNG (getrandom(2), retried on EINTR and short reads). */
mt_rng *rng_os(void);

#endif
