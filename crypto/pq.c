/* pq factoring: trial division by tiny primes, then Pollard's rho with Brent's cycle detection
 * and batched gcds (R. P. Brent, "An improved Monte Carlo factorization algorithm", BIT 20,
 * 1980), in 64-bit Montgomery arithmetic so no step divides. */
#include "crypto/pq.h"

#include "common/err.h"

__extension__ typedef unsigned __int128 pq_u128;

/* Montgomery arithmetic modulo an odd n < 2^64 with R = 2^64, using the "subtractive" reduction
 * (m = T * n^-1, t = hi(T) - hi(m n)) that cannot overflow even for n >= 2^63. */
typedef struct mont64 {
    uint64_t n, ninv, r2; /* n^-1 mod 2^64, R^2 mod n */
} mont64;

static uint64_t redc(const mont64 *m, pq_u128 t)
{
    uint64_t k = (uint64_t)t * m->ninv;
    uint64_t hi = (uint64_t)(t >> 64), kn = (uint64_t)(((pq_u128)k * m->n) >> 64);
    uint64_t r = hi - kn;
    return hi < kn ? r + m->n : r;
}

static uint64_t mmul(const mont64 *m, uint64_t a, uint64_t b)
{
    return redc(m, (pq_u128)a * b);
}

static void mont64_init(mont64 *m, uint64_t n)
{
    uint64_t x = n; /* Newton: correct to 3, 6, 12, 24, 48, 96 bits */
    for (int i = 0; i < 5; i++)
        x *= 2 - n * x;
    m->n = n;
    m->ninv = x;
    m->r2 = (uint64_t)((((pq_u128)1 << 64) % n) * (((pq_u128)1 << 64) % n) % n);
}

static uint64_t to_mont(const mont64 *m, uint64_t a)
{
    return mmul(m, a % m->n, m->r2);
}

/* One strong-probable-prime test of odd n > a with base a. */
static bool sprp(const mont64 *m, uint64_t a)
{
    uint64_t n = m->n, d = n - 1;
    int s = __builtin_ctzll(d);
    d >>= s;
    uint64_t one = to_mont(m, 1), minus_one = to_mont(m, n - 1);
    uint64_t x = one, b = to_mont(m, a);
    for (; d; d >>= 1) {
        if (d & 1)
            x = mmul(m, x, b);
        b = mmul(m, b, b);
    }
    if (x == one || x == minus_one)
        return true;
    for (int i = 1; i < s; i++) {
        x = mmul(m, x, x);
        if (x == minus_one)
            return true;
    }
    return false;
}

bool pq_is_prime_u64(uint64_t n)
{
    static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    if (n < 2)
        return false;
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        if (n % bases[i] == 0)
            return n == bases[i];
    }
    if (n < 41 * 41)
        return true;
    mont64 m;
    mont64_init(&m, n);
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        if (!sprp(&m, bases[i]))
            return false;
    }
    return true;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    if (a == 0 || b == 0)
        return a | b;
    int shift = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    while (b != 0) {
        b >>= __builtin_ctzll(b);
        if (a > b) {
            uint64_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    }
    return a << shift;
}

/* Brent's rho for odd composite n with the map y -> y^2 + c (Montgomery form); returns a factor
 * in (1, n), or n when this c fails (the caller tries another c). */
static uint64_t brent(const mont64 *m, uint64_t c, uint64_t y0)
{
    enum { BATCH = 128 };
    const uint64_t n = m->n;
    uint64_t y = y0, x = y0, ys = y0, q = to_mont(m, 1), g = 1;
    for (uint64_t r = 1; g == 1; r *= 2) {
        x = y;
        for (uint64_t i = 0; i < r; i++)
            y = mmul(m, y, y) + c, y = y >= n ? y - n : y;
        for (uint64_t k = 0; k < r && g == 1; k += BATCH) {
            ys = y;
            for (uint64_t i = 0; i < BATCH && i < r - k; i++) {
                y = mmul(m, y, y) + c, y = y >= n ? y - n : y;
                q = mmul(m, q, x > y ? x - y : y - x);
            }
            g = gcd64(q, n);
        }
    }
    if (g == n) { /* the batch overshot: replay it one step at a time */
        do {
            ys = mmul(m, ys, ys) + c, ys = ys >= n ? ys - n : ys;
            g = gcd64(x > ys ? x - ys : ys - x, n);
        } while (g == 1);
    }
    return g;
}

/* A nontrivial factor of odd composite n. */
static uint64_t find_factor(uint64_t n)
{
    for (uint64_t p = 3; p < 1000; p += 2) {
        if (n % p == 0)
            return p;
    }
    mont64 m;
    mont64_init(&m, n);
    for (uint64_t c = 1;; c++) { /* terminates: some c always succeeds for composite n */
        uint64_t g = brent(&m, c % n, (2 + c) % n);
        if (g != n && g != 1)
            return g;
    }
}

int pq_factor(uint64_t pq, uint64_t *p, uint64_t *q)
{
    *p = *q = 0;
    if (pq < 2 || (pq & 1) == 0)
        return MT_E_bad_argument;
    if (pq_is_prime_u64(pq))
        return MT_E_pq_prime;
    uint64_t f = find_factor(pq), g = pq / f;
    uint64_t lo = f < g ? f : g, hi = f < g ? g : f;
    if (lo == hi || !pq_is_prime_u64(lo) || !pq_is_prime_u64(hi))
        return MT_E_pq_not_semiprime;
    *p = lo;
    *q = hi;
    return MT_OK;
}

int pq_factor_bytes(const uint8_t *pq, size_t len, uint64_t *p, uint64_t *q)
{
    *p = *q = 0;
    while (len > 0 && pq[0] == 0) {
        pq++;
        len--;
    }
    if (len > 8)
        return MT_E_limit_exceeded;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++)
        v = (v << 8) | pq[i];
    return pq_factor(v, p, q);
}
