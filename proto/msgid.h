/*
 * Message identifiers (page mtproto/description; spec/mtproto-notes.md §4) and the injected clock.
 *
 * "msg_id is approximately equal to unixtime * 2^32", with a non-zero fractional low half, and
 * ids "increase monotonically" within a session. "Client message identifiers are divisible by 4;
 * server message identifiers modulo 4 yield 1 if the message is a response to a client message,
 * and 3 otherwise." A generator keeps the offset between local time and server time: the client
 * corrects it from the msg_id of a server message (and of bad_msg_notification 16/17).
 *
 * Nothing here reads the wall clock: an mt_clock is passed in (tests use a virtual clock).
 */
#ifndef MTPROOF_PROTO_MSGID_H
#define MTPROOF_PROTO_MSGID_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"

#define NS_PER_S 1000000000ull

/* The injected clock: now_ns returns Unix time in nanoseconds. */
typedef struct mt_clock mt_clock;
struct mt_clock {
    uint64_t (*now_ns)(const mt_clock *self);
};

static inline uint64_t clock_now(const mt_clock *c)
{
    return c->now_ns(c);
}

/* A virtual clock that only moves when told: tests, fuzzers and scenarios. */
typedef struct mt_vclock {
    mt_clock clock; /* first member: (mt_clock *)&vc works */
    uint64_t ns;
} mt_vclock;

void vclock_init(mt_vclock *vc, uint64_t start_ns);
static inline void vclock_advance(mt_vclock *vc, uint64_t ns)
{
    vc->ns += ns;
}

/* The two low bits of a msg_id by sender and role. */
enum msgid_kind {
    MSGID_CLIENT = 0,          /* client ids are divisible by 4 */
    MSGID_SERVER_RESPONSE = 1, /* server answer to a client message */
    MSGID_SERVER_OTHER = 3,    /* any other server message */
};

/* tdlib XORs a random value below 2^22 into the fractional part (about 1 ms of jitter). */
#define MSGID_JITTER_BITS 22
/* When the clock has not moved past the last id, the next one is last + 4 * (1..1024). */
#define MSGID_MAX_STEP 1024u

typedef struct mt_msgid_gen {
    int64_t offset_ns; /* server time minus local time */
    uint64_t last;     /* the last id generated, 0 before the first */
} mt_msgid_gen;

void msgid_gen_init(mt_msgid_gen *g);

/* The msg_id for a time in nanoseconds: seconds in the high half, the fraction (x 2^32) in the
 * low half. */
uint64_t msgid_from_ns(uint64_t ns);
/* The time a msg_id stands for, in nanoseconds. */
uint64_t msgid_to_ns(uint64_t msg_id);

/* Server time now, by this generator's offset. */
uint64_t msgid_server_ns(const mt_msgid_gen *g, const mt_clock *clock);

/* The next id of this kind: about server time * 2^32 with random low bits, its two low bits set to
 * kind, its fractional half non-zero, and strictly above the previous id. Fails only when the RNG
 * fails. */
MT_WUR int msgid_next(mt_msgid_gen *g, const mt_clock *clock, mt_rng *rng, enum msgid_kind kind,
                      uint64_t *out);

/* Takes the server's time from a msg_id it generated ("correct the clock offset from the
 * notification's msg_id"). */
void msgid_sync(mt_msgid_gen *g, const mt_clock *clock, uint64_t server_msg_id);

#endif
