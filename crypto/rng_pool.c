/* The pooled RNG of crypto/rng_pool.h. */
#include "crypto/rng_pool.h"

#include <string.h>

#include "common/ct.h"

/* Hands out up to n pooled bytes, wiping them in the pool; returns how many. */
static size_t take(rng_pool *p, uint8_t *out, size_t n)
{
    size_t k = RNG_POOL_BYTES - p->pos;
    if (k > n)
        k = n;
    memcpy(out, p->buf + p->pos, k);
    ct_wipe(p->buf + p->pos, k);
    p->pos += k;
    return k;
}

static int pool_fill(mt_rng *self, uint8_t *out, size_t n)
{
    rng_pool *p = (rng_pool *)self;
    size_t done = take(p, out, n);
    int err = MT_OK;
    if (n - done >= RNG_POOL_BYTES) {
        err = rng_fill(p->src, out + done, n - done); /* large: no detour through the pool */
    } else if (done < n) {
        err = rng_fill(p->src, p->buf, RNG_POOL_BYTES);
        if (err)
            ct_wipe(p->buf, RNG_POOL_BYTES); /* never hand out a partial fill */
        else
            p->pos = 0;
        if (!err)
            done += take(p, out + done, n - done);
    }
    if (err)
        ct_wipe(out, n);
    return err;
}

void rng_pool_init(rng_pool *p, mt_rng *src)
{
    p->rng.fill = pool_fill;
    p->src = src;
    p->pos = RNG_POOL_BYTES;
}

mt_rng *rng_pool_rng(rng_pool *p)
{
    return &p->rng;
}

void rng_pool_wipe(rng_pool *p)
{
    ct_wipe(p->buf, RNG_POOL_BYTES);
    p->pos = RNG_POOL_BYTES;
}
