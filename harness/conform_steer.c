/*
 * `handshake steer=key0|gb0` (docs/scenarios.md): the harness as client picks its DH exponent b
 * once it knows the server's group and g_a, so that auth_key = g_a^b mod p (key0) or
 * g_b = g^b mod p (gb0) starts with a zero byte of its 256 — the edge values implementations get
 * wrong when they serialise a number with its minimal bytes or hash a key without its leading
 * zeros (issue 8; mtproto-notes §1: "auth_key ... 2048 bits", kept as 256 bytes).
 *
 * The search is cheap: from a random b0, the candidates b0 + k give g_b * g^k and key * g_a^k, one
 * modular multiplication each per step, so 1/256 of them (on average 256 steps) have a zero top
 * byte. Each candidate's g_b must pass the server's checks (dh_check_value, DH_VALUE_GB), so the
 * handshake goes on normally. b comes from the harness's DRBG: a builtin run is reproducible.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/bn.h"
#include "harness/conform_peer.h"

#define STEER_MAX_STEPS 8192 /* P(no hit in 8192 steps) = (255/256)^8192 < 2^-46 */

typedef struct steer_nums {
    bn p, b, gb, key, g, ga;
    bn_mont m;
} steer_nums;

/* g_b = g^b, key = g_a^b for b = a random 2047-bit number. */
static int start(steer_nums *s, const uint8_t *p, int32_t g, const uint8_t *g_a, mt_rng *rng)
{
    int err = bn_from_bytes(&s->p, p, DH_BYTES);
    if (!err)
        err = bn_from_bytes(&s->ga, g_a, DH_BYTES);
    if (!err)
        err = bn_mont_init(&s->m, &s->p);
    if (!err)
        err = bn_rand_bits(&s->b, DH_BITS - 1, rng);
    bn_set_u64(&s->g, (uint64_t)g);
    if (!err)
        err = bn_mod_exp_vartime(&s->m, &s->gb, &s->g, &s->b);
    if (!err)
        err = bn_mod_exp_vartime(&s->m, &s->key, &s->ga, &s->b);
    return err;
}

/* One candidate: whether the steered value's first byte is zero and g_b is a valid share. */
static bool hit(const steer_nums *s, const uint8_t *p, bool key0)
{
    uint8_t gb[DH_BYTES], key[DH_BYTES];
    if (bn_to_bytes(&s->gb, gb, sizeof gb) || bn_to_bytes(&s->key, key, sizeof key))
        return false;
    bool ok = (key0 ? key[0] : gb[0]) == 0 &&
              dh_check_value(p, DH_BYTES, gb, sizeof gb, DH_VALUE_GB) == 0;
    memset(key, 0, sizeof key);
    return ok;
}

bool cf_steer_b(void *ctx, unsigned attempt, const uint8_t dh_prime[DH_BYTES], int32_t g,
                const uint8_t g_a[DH_BYTES], uint8_t b[DH_BYTES])
{
    const cf_steer *st = ctx;
    cf_peer *p = st->p;
    bool key0 = st->key0;
    steer_nums *s = calloc(1, sizeof *s);
    if (!s || start(s, dh_prime, g, g_a, &p->drbg.rng) != 0) {
        free(s);
        return false;
    }
    unsigned k = 0;
    bool found = false;
    for (; k < STEER_MAX_STEPS && !found; k++) {
        found = hit(s, dh_prime, key0);
        if (!found && (bn_mod_mul(&s->gb, &s->gb, &s->g, &s->p) ||
                       bn_mod_mul(&s->key, &s->key, &s->ga, &s->p) || bn_add_u64(&s->b, &s->b, 1)))
            break;
    }
    found = found && bn_to_bytes(&s->b, b, DH_BYTES) == 0;
    if (found)
        cf_logf(p, "-- attempt %u: b steered (%s starts with a zero byte) after %u steps", attempt,
                key0 ? "auth_key" : "g_b", k);
    bn_mont_wipe(&s->m);
    memset(s, 0, sizeof *s);
    free(s);
    return found;
}
