/* Public-key benchmarks: 2048-bit modexp and the 1024-bit one of an RSA-2048 CRT half (ours
 * constant-time vs OpenSSL BN_mod_exp), the CRT pair at once (modexp_x2), pq factoring
 * of random 63-bit semiprimes (median and worst), the 2048-bit safe-prime check and the cached
 * DH-prime lookup. */
#include <openssl/bn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "crypto/bn.h"
#include "crypto/pq.h"
#include "crypto/prime.h"

static uint64_t xs = 0x9E3779B97F4A7C15ull;
static uint64_t next_u64(void)
{
    xs ^= xs << 13;
    xs ^= xs >> 7;
    xs ^= xs << 17;
    return xs;
}
static int fill(mt_rng *self, uint8_t *out, size_t n)
{
    (void)self;
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(next_u64() >> 56);
    return 0;
}
static mt_rng bench_rng = {fill};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef struct modexp_arg {
    bn_mont mont;
    bn base, exp, out;
    size_t bits; /* modulus and exponent size */
    BIGNUM *B, *E, *M, *R;
    BN_CTX *ctx;
} modexp_arg;

static void ours_modexp(void *p)
{
    modexp_arg *a = p;
    if (bn_mod_exp_ct(&a->mont, &a->out, &a->base, &a->exp, a->bits) != MT_OK)
        abort();
    bench_sink(a->out.limb, 8);
}

static void ref_modexp(void *p)
{
    modexp_arg *a = p;
    BN_mod_exp(a->R, a->B, a->E, a->M, a->ctx);
}

static BIGNUM *to_ossl(const bn *a)
{
    uint8_t buf[BN_MAX_BYTES];
    size_t n = bn_num_bytes(a);
    if (bn_to_bytes(a, buf, n) != MT_OK)
        abort();
    return BN_bin2bn(buf, (int)n, NULL);
}

/* A random odd modulus, base and exponent of `bits` bits (a multiple of 64) in a, and their
 * OpenSSL copies. */
static void random_modexp(modexp_arg *a, size_t bits)
{
    bn m;
    a->bits = bits;
    if (bn_rand_bits(&m, bits, &bench_rng) || bn_rand_bits(&a->base, bits, &bench_rng) ||
        bn_rand_bits(&a->exp, bits, &bench_rng))
        abort();
    m.limb[bits / 64 - 1] |= 1ull << 63;
    m.limb[0] |= 1;
    m.top = bits / 64;
    if (bn_mod(&a->base, &a->base, &m) || bn_mont_init(&a->mont, &m))
        abort();
    a->B = to_ossl(&a->base);
    a->E = to_ossl(&a->exp);
    a->M = to_ossl(&m);
    a->R = BN_new();
    a->ctx = BN_CTX_new();
}

static void free_modexp(modexp_arg *a)
{
    BN_free(a->B);
    BN_free(a->E);
    BN_free(a->M);
    BN_free(a->R);
    BN_CTX_free(a->ctx);
}

static void bench_modexp(size_t bits)
{
    static modexp_arg a;
    random_modexp(&a, bits);
    bench_compare("modexp", bits, ours_modexp, &a, "OpenSSL BN_mod_exp", ref_modexp, &a, 0);
    free_modexp(&a);
}

/* Two 1024-bit modexps with different moduli, bases and exponents (an RSA-2048 CRT pair): ours
 * bn_mod_exp_ct_x2 (AVX-512 IFMA when the CPU has it) against two OpenSSL BN_mod_exp calls. */
static void ours_modexp_x2(void *p)
{
    modexp_arg *x = p, *y = x + 1;
    if (bn_mod_exp_ct_x2(&x->mont, &x->out, &x->base, &x->exp, &y->mont, &y->out, &y->base, &y->exp,
                         1024) != MT_OK)
        abort();
    bench_sink(x->out.limb, 8);
    bench_sink(y->out.limb, 8);
}

static void ref_modexp_x2(void *p)
{
    modexp_arg *a = p;
    for (int u = 0; u < 2; u++)
        BN_mod_exp(a[u].R, a[u].B, a[u].E, a[u].M, a[u].ctx);
}

static void bench_modexp_x2(void)
{
    static modexp_arg a[2];
    for (int u = 0; u < 2; u++)
        random_modexp(&a[u], 1024);
    bench_compare("modexp_x2", 1024, ours_modexp_x2, a, "2x OpenSSL BN_mod_exp", ref_modexp_x2, a,
                  0);
    for (int u = 0; u < 2; u++)
        free_modexp(&a[u]);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static uint64_t prime_bits(unsigned bits)
{
    for (;;) {
        uint64_t v = (next_u64() >> (64 - bits)) | (1ull << (bits - 1)) | 1;
        if (pq_is_prime_u64(v))
            return v;
    }
}

static void bench_pq(void)
{
    enum { N = 2000 };
    static double t[N];
    for (int i = 0; i < N; i++) {
        uint64_t p = prime_bits(31), q = prime_bits(32), rp, rq;
        double t0 = now();
        if (pq_factor(p * q, &rp, &rq) != MT_OK)
            abort();
        t[i] = now() - t0;
    }
    qsort(t, N, sizeof t[0], cmp_double);
    bench_report("factor_pq_median", 63, t[N / 2] * 1e6, "us");
    bench_report("factor_pq_worst", 63, t[N - 1] * 1e6, "us");
}

static void bench_safe_prime(void)
{
    bn p;
    prime_safety v;
    if (bn_from_bytes(&p, PRIME_TELEGRAM_DH, 256))
        abort();
    double t0 = now();
    int runs = 3;
    for (int i = 0; i < runs; i++) {
        if (prime_check_safe(&p, PRIME_MR_ROUNDS_ADVERSARIAL, &bench_rng, &v) || v != PRIME_SAFE)
            abort();
    }
    bench_report("safe_prime_check_64_rounds", 2048, (now() - t0) / runs * 1e3, "ms");
    t0 = now();
    if (prime_check_safe(&p, 15, &bench_rng, &v) || v != PRIME_SAFE)
        abort();
    bench_report("safe_prime_check_15_rounds", 2048, (now() - t0) * 1e3, "ms");
    prime_cache c;
    prime_cache_init(&c);
    uint8_t q[256];
    memcpy(q, PRIME_TELEGRAM_DH, 256);
    enum { M = 1000000 };
    int hits = 0;
    t0 = now();
    for (int i = 0; i < M; i++) {
        q[255] ^= (uint8_t)(i & 1) << 1; /* alternate hit and miss */
        hits += prime_cache_has(&c, q);
    }
    double ns = (now() - t0) / M * 1e9;
    if (hits != M / 2)
        abort();
    bench_report("dh_prime_cached_check", 2048, ns, "ns");
}

int main(void)
{
    bench_modexp(2048);
    bench_modexp(1024);
    bench_modexp_x2();
    bench_pq();
    bench_safe_prime();
    return 0;
}
