/* The keys of the bind targets (fuzz_bind.c, fuzz_bind_client.c): a permanent and a temporary auth
 * key of fixed bytes (fuzz_bind_keys_fill: perm from 1, temp from 3, each byte 7 more than the one
 * before; the seeds, fuzz/seeds_bind*.py, use the same keys), and the server's lookup of the
 * permanent key by its id. */
#ifndef MTPROOF_FUZZ_BIND_KEYS_H
#define MTPROOF_FUZZ_BIND_KEYS_H

#include <stdint.h>

#include "proto/bind.h"

static mt_auth_key perm, temp;

static void fill_key(mt_auth_key *k, uint8_t start)
{
    uint8_t raw[MT_AUTH_KEY_LEN];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(start + 7 * i);
    mt_auth_key_init(k, raw);
}

static void fuzz_bind_keys_fill(void)
{
    fill_key(&perm, 1);
    fill_key(&temp, 3);
}

static const mt_auth_key *find_perm(void *ctx, int64_t id)
{
    (void)ctx;
    return id == mt_bind_key_id(&perm) ? &perm : NULL;
}

#endif
