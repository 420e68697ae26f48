/*
 * Target: rng_pool_init, rng_pool_rng, rng_pool_wipe and the pool's fill (crypto/rng_pool.c): a
 * property target over sequences of request sizes, against a model of the pool.
 * Input: records [op:u8][n:u16le]: op & 3 = 0 or 3: a request of n bytes (0..65535: inside the
 * pool, across a refill, or RNG_POOL_BYTES and more straight from the source); 1: rng_pool_wipe;
 * 2: the next call of the source fails. The source is deterministic: byte i of its stream is a
 * hash of i, so bytes out of order, repeated or skipped are seen.
 * Properties (the header's promises): a successful request gets the source's stream in order,
 * continuing where the previous one ended, except that a wipe or a failure drops the bytes the
 * pool held; a failed request returns rng_failure and all zeros; the source is only asked for
 * RNG_POOL_BYTES or more at a time; bytes handed out are wiped in the pool.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "crypto/rng_pool.h"

typedef struct counting_src {
    mt_rng rng;   /* first member */
    uint64_t pos; /* stream bytes given out so far */
    bool fail_next;
} counting_src;

static uint8_t stream_byte(uint64_t i)
{
    uint32_t x = (uint32_t)(i * 2654435761u) ^ (uint32_t)(i >> 29);
    x ^= x >> 15;
    x *= 0x2c1b3c6du;
    return (uint8_t)(x ^ (x >> 12));
}

static int src_fill(mt_rng *self, uint8_t *out, size_t n)
{
    counting_src *s = (counting_src *)self;
    if (n < RNG_POOL_BYTES) /* the pool's promise: one large read serves many requests */
        abort();
    if (s->fail_next) {
        s->fail_next = false;
        memset(out, 0xa5, n); /* garbage the pool must not hand out */
        return MT_E_rng_failure;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = stream_byte(s->pos + i);
    s->pos += n;
    return MT_OK;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rng_pool pool;
    static uint8_t out[65535];
    counting_src src = {.rng = {.fill = src_fill}};
    uint64_t handed = 0; /* the model: the stream position of the next byte handed out */
    rng_pool_init(&pool, &src.rng);
    mt_rng *r = rng_pool_rng(&pool);
    for (; size >= 3; data += 3, size -= 3) {
        size_t n = ld16le(data + 1);
        switch (data[0] & 3) {
        case 1:
            rng_pool_wipe(&pool);
            handed = src.pos;
            if (!all_zero(pool.buf, RNG_POOL_BYTES))
                abort();
            continue;
        case 2:
            src.fail_next = true;
            continue;
        default:
            break;
        }
        int err = rng_fill(r, out, n);
        if (err) {
            if (err != MT_E_rng_failure || !all_zero(out, n))
                abort();
            handed = src.pos; /* what the pool held is gone */
        } else {
            for (size_t i = 0; i < n; i++)
                if (out[i] != stream_byte(handed + i))
                    abort();
            handed += n;
        }
        if (pool.pos > RNG_POOL_BYTES || !all_zero(pool.buf, pool.pos))
            abort();
        if (handed > src.pos || src.pos - handed != RNG_POOL_BYTES - pool.pos)
            abort(); /* the model and the pool agree on what it still holds */
    }
    rng_pool_wipe(&pool);
    return 0;
}
