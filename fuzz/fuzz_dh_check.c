/*
 * Target: dh_check, dh_check_params, dh_check_value (crypto/dh.c), and through them
 * prime_check_safe, prime_is_probable, prime_trial_division (crypto/prime.c) and the prime cache
 * (crypto/prime_cache.c), on arbitrary p, g and g_a. Deterministic: a fixed-seed HMAC-DRBG gives
 * the Miller–Rabin bases, with 2 rounds (not the adversarial 64) so that a 2048-bit candidate
 * costs milliseconds.
 * Properties:
 *  - every result is 0 or one of the DH_* rules (no other error, no crash);
 *  - a p that is not 2048 bits gives DH_PRIME_SIZE, a g outside 2..7 DH_G_UNSUPPORTED, checked
 *    against the size computed here;
 *  - for Telegram's prime the parameter verdict is exactly the residue rule of g computed here;
 *  - dh_check_value (GA and GB) on any p of the right size agrees with the range
 *    1 < v < p - 1 and the bounds 2^1984 <= v <= p - 2^1984 computed here on byte strings, so a
 *    value accepted for Telegram's prime passes those independent bounds;
 *  - dh_check is dh_check_params then dh_check_value(GA); a p that passed once is cached and
 *    passes again with the same verdict.
 * Input: [flags][g: signed byte][p_len: 2 bytes BE][p][g_a]; flags bit 0 replaces p by
 * Telegram's prime (p_len then gives the number of leading zero bytes added, modulo 4).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/dh.h"
#include "crypto/drbg.h"

enum { MR_ROUNDS = 2, MAX_P = 2 * DH_BYTES };

static void fail(const char *what, int got, int want)
{
    fprintf(stderr, "fuzz_dh_check: %s: got %d, expected %d\n", what, got, want);
    abort();
}

static bool is_dh_rule(int err)
{
    return err == MT_OK || err == MT_E_DH_PRIME_SIZE || err == MT_E_DH_PRIME_NOT_PRIME ||
           err == MT_E_DH_PRIME_NOT_SAFE || err == MT_E_DH_G_UNSUPPORTED ||
           err == MT_E_DH_G_NOT_RESIDUE || err == MT_E_DH_GA_RANGE || err == MT_E_DH_GA_BOUNDS;
}

/* v as exactly DH_BYTES big-endian bytes; false when its value needs more. */
static bool to_256(const uint8_t *v, size_t len, uint8_t out[DH_BYTES])
{
    while (len > 0 && v[0] == 0) {
        v++;
        len--;
    }
    if (len > DH_BYTES)
        return false;
    memset(out, 0, DH_BYTES - len);
    memcpy(out + DH_BYTES - len, v, len);
    return true;
}

/* r = a - b on DH_BYTES big-endian bytes (a >= b here). */
static void sub_256(uint8_t r[DH_BYTES], const uint8_t a[DH_BYTES], const uint8_t b[DH_BYTES])
{
    int borrow = 0;
    for (size_t i = DH_BYTES; i-- > 0;) {
        int d = a[i] - b[i] - borrow;
        borrow = d < 0;
        r[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
}

static uint64_t mod_small(const uint8_t p[DH_BYTES], uint64_t m)
{
    uint64_t r = 0;
    for (size_t i = 0; i < DH_BYTES; i++)
        r = (r * 256 + p[i]) % m;
    return r;
}

/* "2^2047 < p < 2^2048" on the stripped bytes. */
static bool size_ok(const uint8_t *p, size_t len, uint8_t p256[DH_BYTES])
{
    static const uint8_t two_2047[DH_BYTES] = {0x80};
    return to_256(p, len, p256) && (p256[0] & 0x80) && memcmp(p256, two_2047, DH_BYTES) != 0;
}

static bool residue_ok(const uint8_t p[DH_BYTES], int g)
{
    uint64_t m24 = mod_small(p, 24), m5 = mod_small(p, 5), m7 = mod_small(p, 7);
    return g == 2   ? m24 % 8 == 7
           : g == 3 ? m24 % 3 == 2
           : g == 4 ? true
           : g == 5 ? m5 == 1 || m5 == 4
           : g == 6 ? m24 == 19 || m24 == 23
                    : m7 == 3 || m7 == 5 || m7 == 6;
}

/* The value verdict for p of the right size, from byte-string comparisons. */
static int value_rule(const uint8_t p[DH_BYTES], const uint8_t *v, size_t len, bool ga)
{
    uint8_t x[DH_BYTES], one[DH_BYTES] = {0}, lo[DH_BYTES] = {0}, pm1[DH_BYTES], hi[DH_BYTES];
    one[DH_BYTES - 1] = 1;
    lo[DH_BYTES - 1 - DH_BOUND_BITS / 8] = 1; /* 2^1984 */
    sub_256(pm1, p, one);
    sub_256(hi, p, lo);
    bool in_range =
        to_256(v, len, x) && memcmp(x, one, DH_BYTES) > 0 && memcmp(x, pm1, DH_BYTES) < 0;
    if (!in_range)
        return ga ? MT_E_DH_GA_RANGE : MT_E_DH_GB_RANGE;
    bool in_bounds = memcmp(x, lo, DH_BYTES) >= 0 && memcmp(x, hi, DH_BYTES) <= 0;
    return in_bounds ? MT_OK : ga ? MT_E_DH_GA_BOUNDS : MT_E_DH_GB_BOUNDS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t pbuf[MAX_P + 4];
    if (size < 4)
        return 0;
    int g = (int8_t)data[1];
    size_t p_len = ((size_t)data[2] << 8 | data[3]) % (MAX_P + 1), rest = size - 4;
    const uint8_t *p = data + 4;
    if (data[0] & 1) {
        size_t zeros = p_len % 4;
        memset(pbuf, 0, zeros);
        memcpy(pbuf + zeros, PRIME_TELEGRAM_DH, DH_BYTES);
        p = pbuf;
        p_len = zeros + DH_BYTES;
    } else {
        p_len = p_len > rest ? rest : p_len;
        rest -= p_len;
    }
    const uint8_t *g_a = data + size - rest;
    uint8_t p256[DH_BYTES];
    bool sized = size_ok(p, p_len, p256);
    mt_drbg d;
    drbg_init_u64(&d, 0x6d7470726f6f66);
    prime_cache cache;
    prime_cache_init(&cache);
    int params = dh_check_params(p, p_len, g, &cache, MR_ROUNDS, &d.rng);
    if (!is_dh_rule(params))
        fail("dh_check_params returned no DH rule", params, MT_OK);
    if (!sized && params != MT_E_DH_PRIME_SIZE)
        fail("dh_check_params on a p that is not 2048 bits", params, MT_E_DH_PRIME_SIZE);
    if (sized && (g < 2 || g > 7) && params != MT_E_DH_G_UNSUPPORTED)
        fail("dh_check_params on g outside 2..7", params, MT_E_DH_G_UNSUPPORTED);
    bool telegram = sized && memcmp(p256, PRIME_TELEGRAM_DH, DH_BYTES) == 0;
    if (telegram && g >= 2 && g <= 7) {
        int want = residue_ok(p256, g) ? MT_OK : MT_E_DH_G_NOT_RESIDUE;
        if (params != want)
            fail("dh_check_params on Telegram's prime", params, want);
    }
    for (int ga = 0; ga < 2; ga++) {
        int got = dh_check_value(p, p_len, g_a, rest, ga ? DH_VALUE_GA : DH_VALUE_GB);
        int want = sized ? value_rule(p256, g_a, rest, ga) : MT_E_DH_PRIME_SIZE;
        if (got != want)
            fail(ga ? "dh_check_value(GA)" : "dh_check_value(GB)", got, want);
    }
    int all = dh_check(p, p_len, g, g_a, rest, &cache, MR_ROUNDS, &d.rng);
    int want = params != MT_OK ? params : value_rule(p256, g_a, rest, true);
    /* A prime that passed the primality tests is now cached: same verdict without Miller–Rabin. A p
     * that failed on primality may be retested with other bases; only the rule family must hold. */
    if (params == MT_OK || params == MT_E_DH_PRIME_SIZE || params == MT_E_DH_G_UNSUPPORTED ||
        params == MT_E_DH_G_NOT_RESIDUE) {
        if (all != want)
            fail("dh_check", all, want);
    } else if (!is_dh_rule(all)) {
        fail("dh_check returned no DH rule", all, want);
    }
    drbg_wipe(&d);
    return 0;
}
