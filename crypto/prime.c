/* Trial division and Miller–Rabin (FIPS 186-5 B.3.1), the safe-prime test and random prime
 * generation with an incremental sieve. */
#include "crypto/prime.h"

#include <string.h>

#include "common/ct.h"
#include "crypto/bn_internal.h"

/* The odd primes below 2^12 (563 of them). */
static const uint16_t SMALL_PRIMES[] = {
    3,    5,    7,    11,   13,   17,   19,   23,   29,   31,   37,   41,   43,   47,   53,   59,
    61,   67,   71,   73,   79,   83,   89,   97,   101,  103,  107,  109,  113,  127,  131,  137,
    139,  149,  151,  157,  163,  167,  173,  179,  181,  191,  193,  197,  199,  211,  223,  227,
    229,  233,  239,  241,  251,  257,  263,  269,  271,  277,  281,  283,  293,  307,  311,  313,
    317,  331,  337,  347,  349,  353,  359,  367,  373,  379,  383,  389,  397,  401,  409,  419,
    421,  431,  433,  439,  443,  449,  457,  461,  463,  467,  479,  487,  491,  499,  503,  509,
    521,  523,  541,  547,  557,  563,  569,  571,  577,  587,  593,  599,  601,  607,  613,  617,
    619,  631,  641,  643,  647,  653,  659,  661,  673,  677,  683,  691,  701,  709,  719,  727,
    733,  739,  743,  751,  757,  761,  769,  773,  787,  797,  809,  811,  821,  823,  827,  829,
    839,  853,  857,  859,  863,  877,  881,  883,  887,  907,  911,  919,  929,  937,  941,  947,
    953,  967,  971,  977,  983,  991,  997,  1009, 1013, 1019, 1021, 1031, 1033, 1039, 1049, 1051,
    1061, 1063, 1069, 1087, 1091, 1093, 1097, 1103, 1109, 1117, 1123, 1129, 1151, 1153, 1163, 1171,
    1181, 1187, 1193, 1201, 1213, 1217, 1223, 1229, 1231, 1237, 1249, 1259, 1277, 1279, 1283, 1289,
    1291, 1297, 1301, 1303, 1307, 1319, 1321, 1327, 1361, 1367, 1373, 1381, 1399, 1409, 1423, 1427,
    1429, 1433, 1439, 1447, 1451, 1453, 1459, 1471, 1481, 1483, 1487, 1489, 1493, 1499, 1511, 1523,
    1531, 1543, 1549, 1553, 1559, 1567, 1571, 1579, 1583, 1597, 1601, 1607, 1609, 1613, 1619, 1621,
    1627, 1637, 1657, 1663, 1667, 1669, 1693, 1697, 1699, 1709, 1721, 1723, 1733, 1741, 1747, 1753,
    1759, 1777, 1783, 1787, 1789, 1801, 1811, 1823, 1831, 1847, 1861, 1867, 1871, 1873, 1877, 1879,
    1889, 1901, 1907, 1913, 1931, 1933, 1949, 1951, 1973, 1979, 1987, 1993, 1997, 1999, 2003, 2011,
    2017, 2027, 2029, 2039, 2053, 2063, 2069, 2081, 2083, 2087, 2089, 2099, 2111, 2113, 2129, 2131,
    2137, 2141, 2143, 2153, 2161, 2179, 2203, 2207, 2213, 2221, 2237, 2239, 2243, 2251, 2267, 2269,
    2273, 2281, 2287, 2293, 2297, 2309, 2311, 2333, 2339, 2341, 2347, 2351, 2357, 2371, 2377, 2381,
    2383, 2389, 2393, 2399, 2411, 2417, 2423, 2437, 2441, 2447, 2459, 2467, 2473, 2477, 2503, 2521,
    2531, 2539, 2543, 2549, 2551, 2557, 2579, 2591, 2593, 2609, 2617, 2621, 2633, 2647, 2657, 2659,
    2663, 2671, 2677, 2683, 2687, 2689, 2693, 2699, 2707, 2711, 2713, 2719, 2729, 2731, 2741, 2749,
    2753, 2767, 2777, 2789, 2791, 2797, 2801, 2803, 2819, 2833, 2837, 2843, 2851, 2857, 2861, 2879,
    2887, 2897, 2903, 2909, 2917, 2927, 2939, 2953, 2957, 2963, 2969, 2971, 2999, 3001, 3011, 3019,
    3023, 3037, 3041, 3049, 3061, 3067, 3079, 3083, 3089, 3109, 3119, 3121, 3137, 3163, 3167, 3169,
    3181, 3187, 3191, 3203, 3209, 3217, 3221, 3229, 3251, 3253, 3257, 3259, 3271, 3299, 3301, 3307,
    3313, 3319, 3323, 3329, 3331, 3343, 3347, 3359, 3361, 3371, 3373, 3389, 3391, 3407, 3413, 3433,
    3449, 3457, 3461, 3463, 3467, 3469, 3491, 3499, 3511, 3517, 3527, 3529, 3533, 3539, 3541, 3547,
    3557, 3559, 3571, 3581, 3583, 3593, 3607, 3613, 3617, 3623, 3631, 3637, 3643, 3659, 3671, 3673,
    3677, 3691, 3697, 3701, 3709, 3719, 3727, 3733, 3739, 3761, 3767, 3769, 3779, 3793, 3797, 3803,
    3821, 3823, 3833, 3847, 3851, 3853, 3863, 3877, 3881, 3889, 3907, 3911, 3917, 3919, 3923, 3929,
    3931, 3943, 3947, 3967, 3989, 4001, 4003, 4007, 4013, 4019, 4021, 4027, 4049, 4051, 4057, 4073,
    4079, 4091, 4093,
};
#define NUM_SMALL_PRIMES (sizeof SMALL_PRIMES / sizeof SMALL_PRIMES[0])
_Static_assert(NUM_SMALL_PRIMES == 563, "odd primes below 4096");
/* A number with no prime factor below 4096 and below 4099^2 (4099 is the next prime) is prime. */
#define TRIAL_EXACT_LIMIT (4099ull * 4099ull)

/* rem[i] = n mod SMALL_PRIMES[i]. Products of consecutive primes that fit in 64 bits cut the
 * number of multi-limb divisions about fivefold. */
static void small_residues(const bn *n, uint16_t rem[NUM_SMALL_PRIMES])
{
    size_t i = 0;
    while (i < NUM_SMALL_PRIMES) {
        uint64_t prod = 1;
        size_t j = i;
        while (j < NUM_SMALL_PRIMES && prod <= UINT64_MAX / SMALL_PRIMES[j])
            prod *= SMALL_PRIMES[j++];
        uint64_t r = 0;
        if (bn_mod_u64(n, prod, &r) != MT_OK) /* prod > 0: cannot fail */
            r = 0;
        for (; i < j; i++)
            rem[i] = (uint16_t)(r % SMALL_PRIMES[i]);
    }
}

int prime_trial_division(const bn *n, bool *has_factor)
{
    bool fits;
    uint64_t v = bn_get_u64(n, &fits);
    if (fits && v < 4) {
        *has_factor = v < 2;
        return MT_OK;
    }
    if (!bn_is_odd(n)) {
        *has_factor = true;
        return MT_OK;
    }
    uint16_t rem[NUM_SMALL_PRIMES];
    small_residues(n, rem);
    *has_factor = false;
    for (size_t i = 0; i < NUM_SMALL_PRIMES; i++) {
        if (rem[i] == 0 && !(fits && v == SMALL_PRIMES[i]))
            *has_factor = true;
    }
    return MT_OK;
}

/* One Miller–Rabin round with base a (2 <= a <= n - 2), n - 1 = d * 2^s with d odd.
 * n1 is n - 1, ctx is Montgomery modulo n. Returns true when n passes ("probably prime"). */
static int mr_round(const bn_mont *ctx, const bn *a, const bn *d, size_t s, bool *pass)
{
    bn x;
    uint64_t xm[BN_MOD_LIMBS], minus_one[BN_MOD_LIMBS];
    const size_t k = ctx->nlimbs;
    int err = bn_mod_exp_ct(ctx, &x, a, d, ctx->bits);
    if (err != MT_OK)
        return err;
    /* Work in the Montgomery domain: 1 is ctx->one, n - 1 is n - ctx->one. */
    bn_to_limbs(xm, &x, k);
    bn_mont_mul_limbs(ctx, xm, xm, ctx->rr);
    bn_limbs_sub(minus_one, ctx->n, ctx->one, k);
    bool ok = memcmp(xm, ctx->one, k * 8) == 0 || memcmp(xm, minus_one, k * 8) == 0;
    for (size_t i = 1; i < s && !ok; i++) {
        bn_mont_sqr_limbs(ctx, xm, xm);
        if (memcmp(xm, ctx->one, k * 8) == 0)
            break; /* a nontrivial square root of 1: composite */
        ok = memcmp(xm, minus_one, k * 8) == 0;
    }
    *pass = ok;
    bn_wipe(&x);
    ct_wipe(xm, sizeof xm);
    return MT_OK;
}

/* Miller–Rabin rounds only (n odd, n >= TRIAL_EXACT_LIMIT). */
static int miller_rabin(const bn *n, unsigned rounds, mt_rng *rng, bool *is_prime)
{
    bn_mont ctx;
    bn n1, d, lo, hi, a;
    size_t s = 0;
    int err = bn_mont_init(&ctx, n);
    if (err == MT_OK)
        err = bn_sub_u64(&n1, n, 1);
    while (err == MT_OK && !bn_bit(&n1, s))
        s++;
    if (err == MT_OK) {
        bn_shr(&d, &n1, s);
        bn_set_u64(&lo, 2);
        err = bn_sub_u64(&hi, n, 2);
    }
    bool pass = err == MT_OK;
    for (unsigned r = 0; err == MT_OK && pass && r < rounds; r++) {
        err = bn_rand_range(&a, &lo, &hi, rng); /* FIPS 186-5 B.3.1 step 4.1/4.2 */
        if (err == MT_OK)
            err = mr_round(&ctx, &a, &d, s, &pass);
    }
    *is_prime = err == MT_OK && pass;
    bn_mont_wipe(&ctx);
    bn_wipe(&d);
    bn_wipe(&n1);
    bn_wipe(&a);
    return err;
}

int prime_is_probable(const bn *n, unsigned rounds, mt_rng *rng, bool *is_prime)
{
    *is_prime = false;
    if (rounds > PRIME_MR_ROUNDS_MAX)
        return MT_E_bad_argument;
    if (n->top > BN_MOD_LIMBS)
        return MT_E_limit_exceeded;
    bool has_factor;
    int err = prime_trial_division(n, &has_factor);
    if (err != MT_OK || has_factor)
        return err;
    if (bn_cmp_u64(n, TRIAL_EXACT_LIMIT) < 0) {
        *is_prime = true;
        return MT_OK;
    }
    return miller_rabin(n, rounds ? rounds : PRIME_MR_ROUNDS_DEFAULT, rng, is_prime);
}

int prime_check_safe(const bn *p, unsigned rounds, mt_rng *rng, prime_safety *out)
{
    bn q;
    bool p_prime = false, q_factor = false, q_prime = false;
    *out = PRIME_NOT_PRIME;
    int err = prime_is_probable(p, rounds, rng, &p_prime);
    if (err != MT_OK || !p_prime)
        return err;
    *out = PRIME_NOT_SAFE;
    bn_shr(&q, p, 1); /* p odd (or 2, which gives q = 1: not prime) */
    err = prime_trial_division(&q, &q_factor);
    if (err == MT_OK && !q_factor)
        err = prime_is_probable(&q, rounds, rng, &q_prime);
    if (err == MT_OK && q_prime)
        *out = PRIME_SAFE;
    return err;
}

/* Candidates tried from one random start before drawing a new one, and the number of starts
 * after which the RNG is considered broken (a prime is found in the first few otherwise). */
#define SIEVE_SPAN     (1u << 16)
#define MAX_GEN_STARTS 1000

/* A random odd `bits`-bit start with its two top bits set. */
static int random_start(bn *base, size_t bits, mt_rng *rng)
{
    uint8_t buf[BN_MOD_MAX_BYTES];
    size_t nbytes = (bits + 7) / 8;
    unsigned extra = (unsigned)(8 * nbytes - bits);
    int err = rng_fill(rng, buf, nbytes);
    if (err == MT_OK) {
        uint16_t top = (uint16_t)(((buf[0] << 8) | (nbytes > 1 ? buf[1] : 0)) & (0xFFFFu >> extra));
        top |= (uint16_t)(0xC000u >> extra);
        buf[0] = (uint8_t)(top >> 8);
        if (nbytes > 1)
            buf[1] = (uint8_t)top;
        buf[nbytes - 1] |= 1;
        err = bn_from_bytes(base, buf, nbytes);
    }
    ct_wipe(buf, sizeof buf);
    return err;
}

/* Whether base + delta has no factor among the small primes, from base's residues. */
static bool sieve_passes(const uint16_t rem[NUM_SMALL_PRIMES], uint32_t delta)
{
    for (size_t i = 0; i < NUM_SMALL_PRIMES; i++) {
        if ((rem[i] + delta) % SMALL_PRIMES[i] == 0)
            return false;
    }
    return true;
}

/* Incremental search from random starts (as FIPS 186-5 B.3.3 permits for the candidates' tests;
 * the slight bias toward primes after long gaps is the usual price of sieving). */
int prime_generate(bn *out, size_t bits, unsigned rounds, mt_rng *rng)
{
    out->top = 0;
    if (bits < PRIME_GEN_MIN_BITS || bits > PRIME_GEN_MAX_BITS || rounds > PRIME_MR_ROUNDS_MAX)
        return MT_E_bad_argument;
    bn base, cand;
    uint16_t rem[NUM_SMALL_PRIMES];
    int err = MT_OK;
    bool found = false;
    for (int start = 0; err == MT_OK && !found && start < MAX_GEN_STARTS; start++) {
        err = random_start(&base, bits, rng);
        if (err == MT_OK)
            small_residues(&base, rem);
        for (uint32_t delta = 0; err == MT_OK && !found && delta < SIEVE_SPAN; delta += 2) {
            if (!sieve_passes(rem, delta))
                continue;
            err = bn_add_u64(&cand, &base, delta);
            if (err != MT_OK || bn_num_bits(&cand) != bits)
                break; /* ran past 2^bits: draw a new start */
            err = miller_rabin(&cand, rounds ? rounds : PRIME_MR_ROUNDS_DEFAULT, rng, &found);
        }
    }
    if (err == MT_OK && !found)
        err = MT_E_rng_failure;
    if (err == MT_OK)
        bn_copy(out, &cand);
    bn_wipe(&base);
    bn_wipe(&cand);
    ct_wipe(rem, sizeof rem);
    return err;
}
