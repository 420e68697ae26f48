/* The server salt schedule of proto/session_check.h (mtproto-notes §4: "Salt: a 64-bit value,
 * changed every 30 min per session; the old salt is accepted for another 1800 s. get_future_salts
 * returns up to 64 future salts"). */
#include <string.h>

#include "common/endian.h"
#include "proto/session_check.h"

void salts_init(sess_salts *s)
{
    s->n = 0;
    s->refreshed = 0;
}

static uint32_t now_s(uint64_t now_ns)
{
    return (uint32_t)(now_ns / NS_PER_S);
}

/* Drops salts whose grace period is over. */
static void salts_expire(sess_salts *s, uint32_t now)
{
    uint32_t k = 0;
    while (k < s->n && (uint64_t)s->s[k].valid_until + SALT_GRACE_S <= now)
        k++;
    memmove(&s->s[0], &s->s[k], (size_t)(s->n - k) * sizeof s->s[0]);
    s->n -= k;
}

int salts_refresh(sess_salts *s, uint64_t now_ns, mt_rng *rng)
{
    uint32_t now = now_s(now_ns);
    if (s->refreshed == now + 1u)
        return MT_OK;
    salts_expire(s, now);
    uint32_t start = s->n ? s->s[s->n - 1].valid_until : now - now % SALT_PERIOD_S;
    if (s->n && start < now - now % SALT_PERIOD_S)
        start = now - now % SALT_PERIOD_S; /* a gap: the schedule restarts at the current period */
    /* Until SALT_FUTURE_MAX salts are current or still to come. */
    uint32_t live = 0;
    for (uint32_t i = 0; i < s->n; i++)
        live += s->s[i].valid_until > now;
    while (live < SALT_FUTURE_MAX && s->n < SALT_SCHED_MAX) {
        uint8_t r[8];
        int err = rng_fill(rng, r, sizeof r);
        if (err)
            return err;
        s->s[s->n++] = (sess_salt){
            .salt = (int64_t)ld64le(r), .valid_since = start, .valid_until = start + SALT_PERIOD_S};
        start += SALT_PERIOD_S;
        live++;
    }
    s->refreshed = now + 1u;
    return MT_OK;
}

void salts_learn(sess_salts *s, int64_t salt, uint32_t valid_since, uint32_t valid_until)
{
    s->refreshed = 0;
    /* A learned schedule replaces whatever was planned from valid_since on. */
    while (s->n && s->s[s->n - 1].valid_since >= valid_since)
        s->n--;
    if (s->n == SALT_SCHED_MAX) {
        memmove(&s->s[0], &s->s[1], (size_t)(s->n - 1) * sizeof s->s[0]);
        s->n--;
    }
    s->s[s->n++] =
        (sess_salt){.salt = salt, .valid_since = valid_since, .valid_until = valid_until};
}

bool salts_current(const sess_salts *s, uint64_t now_ns, int64_t *salt)
{
    uint32_t now = now_s(now_ns);
    bool found = false;
    for (uint32_t i = 0; i < s->n && s->s[i].valid_since <= now; i++) {
        *salt = s->s[i].salt;
        found = true;
    }
    return found;
}

int salts_check(const sess_salts *s, uint64_t now_ns, int64_t salt)
{
    uint32_t now = now_s(now_ns);
    for (uint32_t i = 0; i < s->n; i++) {
        const sess_salt *e = &s->s[i];
        if (e->salt == salt && e->valid_since <= now &&
            now < (uint64_t)e->valid_until + SALT_GRACE_S)
            return MT_OK;
    }
    return MT_E_BAD_SERVER_SALT;
}

uint32_t salts_future(const sess_salts *s, uint64_t now_ns, uint32_t num, sess_salt *out)
{
    uint32_t now = now_s(now_ns), k = 0;
    for (uint32_t i = 0; i < s->n && k < num; i++)
        if (s->s[i].valid_until > now)
            out[k++] = s->s[i];
    return k;
}
