#include "proto/msgid.h"

#include "common/endian.h"

static uint64_t vclock_read(const mt_clock *c)
{
    return ((const mt_vclock *)c)->ns;
}

void vclock_init(mt_vclock *vc, uint64_t start_ns)
{
    vc->clock.now_ns = vclock_read;
    vc->ns = start_ns;
}

void msgid_gen_init(mt_msgid_gen *g)
{
    g->offset_ns = 0;
    g->last = 0;
}

uint64_t msgid_from_ns(uint64_t ns)
{
    uint64_t sec = ns / NS_PER_S;
    uint64_t frac = ns % NS_PER_S;
    /* frac < 10^9 < 2^30, so frac << 32 fits in 64 bits. */
    return (sec << 32) | ((frac << 32) / NS_PER_S);
}

uint64_t msgid_to_ns(uint64_t msg_id)
{
    uint64_t sec = msg_id >> 32;
    uint64_t frac = msg_id & 0xFFFFFFFFu;
    return sec * NS_PER_S + ((frac * NS_PER_S) >> 32);
}

uint64_t msgid_server_ns(const mt_msgid_gen *g, const mt_clock *clock)
{
    /* Unsigned wrap-around adds a negative offset correctly. */
    return clock_now(clock) + (uint64_t)g->offset_ns;
}

int msgid_next(mt_msgid_gen *g, const mt_clock *clock, mt_rng *rng, enum msgid_kind kind,
               uint64_t *out)
{
    uint8_t r[8];
    int err = rng_fill(rng, r, sizeof r);
    if (err)
        return err;
    uint32_t jitter = ld32le(r) & ((1u << MSGID_JITTER_BITS) - 1);
    uint64_t id = msgid_from_ns(msgid_server_ns(g, clock)) ^ jitter;
    id = (id & ~(uint64_t)3) | (uint64_t)kind;
    /* "The fractional part must not be zero": only a client id (kind 0) can have a zero low
     * half here. */
    if ((id & 0xFFFFFFFFu) == 0)
        id += 4;
    if (id <= g->last) {
        uint64_t step = 1 + ld32le(r + 4) % MSGID_MAX_STEP;
        id = (g->last & ~(uint64_t)3) + 4 * step + (uint64_t)kind;
    }
    g->last = id;
    *out = id;
    return MT_OK;
}

void msgid_sync(mt_msgid_gen *g, const mt_clock *clock, uint64_t server_msg_id)
{
    g->offset_ns = (int64_t)(msgid_to_ns(server_msg_id) - clock_now(clock));
}
