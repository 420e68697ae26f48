/*
 * Full auth-key handshakes per second: our client engine (proto/handshake.h) against our server
 * engine (proto/handshake_server.h) in one process, over the unencrypted packets they exchange
 * (req_pq_multi ... dh_gen_ok), with the committed RSA-2048 test key
 * (vectors/keys/test_rsa2048.pem), Telegram's DH prime with g = 3, pq of the default
 * HSS_PQ_BITS_DEFAULT bits, random values from a DRBG, fresh engines for every handshake.
 *
 * The reference is "the same handshake with the expensive math done by OpenSSL". Engines with a
 * pluggable math seam exist only for a benchmark, so the product has none; instead three things
 * are measured alternately in the same run (bench_alternate, bench/bench.h):
 *   H  one full handshake with our engines;
 *   M  our math of one handshake, the exact calls the engines make: rsa_public_op (RSA_PAD, the
 *      client; one per handshake: a temp_key giving a value >= n is redrawn before the RSA
 *      operation), rsa_private_op with blinding and the fault check (the server), and for each
 *      side dh_init (Montgomery set-up mod p), g^x (dh_set_secret) and peer^x (dh_compute_key,
 *      which also checks the peer value): four 2048-bit constant-time exponentiations;
 *   O  OpenSSL's equivalents of M: EVP_PKEY_encrypt and EVP_PKEY_decrypt with RSA_NO_PADDING
 *      (OpenSSL blinds and checks the private operation too), and per side BN_MONT_CTX_set plus
 *      two BN_mod_exp_mont_consttime (the calls OpenSSL's own DH makes for a private exponent).
 * The reference handshake time is H - M + O: the non-math remainder of our run (TL, AES-IGE,
 * SHA, pq generation and factoring, DH value checks, the cached prime check, which are the same
 * code in both) plus OpenSSL's math. "ours" is 1/H and "ref_value" 1/(H - M + O) in handshakes
 * per second; ratio = (H - M + O) / H, so ratio >= 1 means our handshake is at least as fast as
 * it would be with OpenSSL's bignum and RSA in its place.
 *
 * M and O are printed too (handshake_math_ours, handshake_math_openssl, in microseconds). Then
 * the cost split of one handshake in microseconds (bench_report), measured in the same
 * alternating run:
 * RSA (public + private), DH (the four exponentiations with their set-up), the cached prime
 * check (the client's dh_check_params on Telegram's prime: a table lookup), pq factoring (the
 * client's pq_factor on semiprimes the size the server makes), and the rest (H minus those).
 * The uncached prime check (64 Miller-Rabin rounds on p and (p-1)/2, what a first handshake
 * with an unknown prime costs) is reported apart, in milliseconds: it is not in H.
 */
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "crypto/drbg.h"
#include "crypto/pq.h"
#include "proto/handshake.h"
#include "proto/handshake_server.h"

#define PQ_SAMPLES 256

typedef struct hs_bench {
    rsa_private key;
    const rsa_public *pubs[1];
    const rsa_private *privs[1];
    prime_cache primes;
    mt_drbg cd, sd, md; /* client, server, math */
    mt_vclock clock;
    hs_client cl;
    hss sv;
    uint8_t c2s[HS_PACKET_MAX], s2c[HS_PACKET_MAX];
    uint8_t rsa_in[256], rsa_out[256];
    uint8_t exp[2][DH_BYTES], peer[2][DH_BYTES], dh_out[DH_BYTES];
    uint64_t pq[PQ_SAMPLES];
    size_t pq_next;
    /* OpenSSL */
    EVP_PKEY *pk;
    EVP_PKEY_CTX *enc, *dec;
    BN_CTX *bn;
    BIGNUM *P, *G, *E[2], *PEER[2], *R;
} hs_bench;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "bench_handshake: %s failed\n", what);
        exit(1);
    }
}

/* One full handshake: fresh engines, packets pumped until the client has dh_gen_ok. */
static void one_handshake(void *arg)
{
    hs_bench *b = arg;
    hs_client_config cc = {
        .keys = b->pubs, .n_keys = 1, .dc = 2, .kind = HS_KEY_PERM, .primes = &b->primes};
    hss_config sc = {.keys = b->privs, .n_keys = 1};
    size_t cn, sn;
    b->clock.ns += NS_PER_S;
    check(hs_client_init(&b->cl, &cc, &b->clock.clock, &b->cd.rng, NULL) == 0, "hs_client_init");
    check(hss_init(&b->sv, &sc, &b->clock.clock, &b->sd.rng, NULL) == 0, "hss_init");
    check(hs_client_start(&b->cl, b->c2s, sizeof b->c2s, &cn) == 0, "hs_client_start");
    while (cn > 0) {
        check(hss_feed(&b->sv, b->c2s, cn, b->s2c, sizeof b->s2c, &sn) == 0, "hss_feed");
        check(hs_client_feed(&b->cl, b->s2c, sn, b->c2s, sizeof b->c2s, &cn) == 0,
              "hs_client_feed");
    }
    check(hs_client_get_state(&b->cl) == HSC_DONE && hss_get_state(&b->sv) == HSS_DONE, "done");
    bench_sink(&b->cl, sizeof b->cl);
    hs_client_wipe(&b->cl);
    hss_wipe(&b->sv);
}

static void ours_rsa(hs_bench *b)
{
    check(rsa_public_op(&b->key.pub, b->rsa_in, 256, b->rsa_out) == 0, "rsa_public_op");
    check(rsa_private_op(&b->key, b->rsa_in, 256, b->rsa_out, &b->md.rng) == 0, "rsa_private_op");
    bench_sink(b->rsa_out, 1);
}

static void ours_dh(hs_bench *b)
{
    for (int side = 0; side < 2; side++) {
        dh_ctx dh;
        uint8_t pub[DH_BYTES];
        check(dh_init(&dh, PRIME_TELEGRAM_DH, DH_BYTES, HSS_G_DEFAULT) == 0, "dh_init");
        check(dh_set_secret(&dh, b->exp[side], pub) == 0, "dh_set_secret");
        check(dh_compute_key(&dh, b->peer[side], DH_BYTES, side ? DH_VALUE_GB : DH_VALUE_GA,
                             b->dh_out) == 0,
              "dh_compute_key");
        dh_wipe(&dh);
        bench_sink(pub, 1);
    }
}

/* M: our math of one handshake. */
static void ours_math(void *arg)
{
    ours_rsa(arg);
    ours_dh(arg);
}

/* O: OpenSSL's math of one handshake. */
static void ref_math(void *arg)
{
    hs_bench *b = arg;
    size_t n = 256;
    check(EVP_PKEY_encrypt(b->enc, b->rsa_out, &n, b->rsa_in, 256) == 1, "EVP_PKEY_encrypt");
    n = 256;
    check(EVP_PKEY_decrypt(b->dec, b->rsa_out, &n, b->rsa_in, 256) == 1, "EVP_PKEY_decrypt");
    for (int side = 0; side < 2; side++) {
        BN_MONT_CTX *mont = BN_MONT_CTX_new();
        check(mont && BN_MONT_CTX_set(mont, b->P, b->bn), "BN_MONT_CTX_set");
        check(BN_mod_exp_mont_consttime(b->R, b->G, b->E[side], b->P, b->bn, mont), "g^x");
        check(BN_mod_exp_mont_consttime(b->R, b->PEER[side], b->E[side], b->P, b->bn, mont),
              "peer^x");
        check(BN_bn2binpad(b->R, b->dh_out, DH_BYTES) == DH_BYTES, "BN_bn2binpad");
        BN_MONT_CTX_free(mont);
    }
    bench_sink(b->dh_out, 1);
}

static void split_rsa(void *arg)
{
    ours_rsa(arg);
}
static void split_dh(void *arg)
{
    ours_dh(arg);
}

static void split_prime_cached(void *arg)
{
    hs_bench *b = arg;
    check(dh_check_params(PRIME_TELEGRAM_DH, DH_BYTES, HSS_G_DEFAULT, &b->primes, 0, &b->md.rng) ==
              0,
          "dh_check_params");
}

static void split_pq(void *arg)
{
    hs_bench *b = arg;
    uint64_t p, q;
    check(pq_factor(b->pq[b->pq_next++ % PQ_SAMPLES], &p, &q) == 0, "pq_factor");
    bench_sink(&p, sizeof p);
}

static uint64_t random_prime(mt_drbg *d, unsigned bits)
{
    for (;;) {
        uint8_t r[8];
        drbg_generate(d, r, sizeof r);
        uint64_t x = 0;
        for (int i = 0; i < 8; i++)
            x = x << 8 | r[i];
        x = (x >> (64 - bits)) | 1ull << (bits - 1) | 1;
        if (pq_is_prime_u64(x))
            return x;
    }
}

/* The test key, found from this file's own path (CMake compiles it by absolute path). */
static size_t read_test_key(char *buf, size_t cap)
{
    char path[4096];
    const char *slash = strrchr(__FILE__, '/');
    int dir = slash ? (int)(slash - __FILE__) : 1;
    snprintf(path, sizeof path, "%.*s/../vectors/keys/test_rsa2048.pem", dir,
             slash ? __FILE__ : ".");
    FILE *f = fopen(path, "rb");
    check(f != NULL, "opening vectors/keys/test_rsa2048.pem");
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static BIGNUM *bn_of(const uint8_t *p, size_t n)
{
    BIGNUM *x = BN_bin2bn(p, (int)n, NULL);
    check(x != NULL, "BN_bin2bn");
    return x;
}

/* Exponents and peer values for both DH sides (peer of one = g^x of the other), in both forms. */
static void setup_dh(hs_bench *b)
{
    uint8_t pub[2][DH_BYTES];
    for (int side = 0; side < 2; side++) {
        dh_ctx dh;
        drbg_generate(&b->md, b->exp[side], DH_BYTES);
        check(dh_init(&dh, PRIME_TELEGRAM_DH, DH_BYTES, HSS_G_DEFAULT) == 0, "dh_init");
        check(dh_set_secret(&dh, b->exp[side], pub[side]) == 0, "dh_set_secret");
        dh_wipe(&dh);
    }
    memcpy(b->peer[0], pub[1], DH_BYTES);
    memcpy(b->peer[1], pub[0], DH_BYTES);
    b->P = bn_of(PRIME_TELEGRAM_DH, DH_BYTES);
    b->G = BN_new();
    b->R = BN_new();
    b->bn = BN_CTX_new();
    check(b->G && b->R && b->bn && BN_set_word(b->G, HSS_G_DEFAULT), "BN set-up");
    for (int side = 0; side < 2; side++) {
        b->E[side] = bn_of(b->exp[side], DH_BYTES);
        b->PEER[side] = bn_of(b->peer[side], DH_BYTES);
    }
}

static void setup(hs_bench *b)
{
    static char pem[PEM_MAX_TEXT];
    size_t len = read_test_key(pem, sizeof pem);
    drbg_init_u64(&b->cd, 1);
    drbg_init_u64(&b->sd, 2);
    drbg_init_u64(&b->md, 3);
    check(rsa_private_load_pem(&b->key, pem, len, &b->md.rng, NULL, NULL) == 0, "loading the key");
    b->pubs[0] = &b->key.pub;
    b->privs[0] = &b->key;
    prime_cache_init(&b->primes);
    vclock_init(&b->clock, 1700000000ull * NS_PER_S);
    drbg_generate(&b->md, b->rsa_in, sizeof b->rsa_in);
    b->rsa_in[0] &= 0x7f; /* below n */
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    b->pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    check(b->pk != NULL, "PEM_read_bio_PrivateKey");
    b->enc = EVP_PKEY_CTX_new(b->pk, NULL);
    b->dec = EVP_PKEY_CTX_new(b->pk, NULL);
    check(b->enc && b->dec && EVP_PKEY_encrypt_init(b->enc) == 1 &&
              EVP_PKEY_CTX_set_rsa_padding(b->enc, RSA_NO_PADDING) == 1 &&
              EVP_PKEY_decrypt_init(b->dec) == 1 &&
              EVP_PKEY_CTX_set_rsa_padding(b->dec, RSA_NO_PADDING) == 1,
          "EVP_PKEY_CTX set-up");
    setup_dh(b);
    unsigned bp = HSS_PQ_BITS_DEFAULT / 2, bq = HSS_PQ_BITS_DEFAULT - bp; /* as the server */
    for (size_t i = 0; i < PQ_SAMPLES; i++)
        b->pq[i] = random_prime(&b->md, bp) * random_prime(&b->md, bq);
}

static void teardown(hs_bench *b)
{
    EVP_PKEY_CTX_free(b->enc);
    EVP_PKEY_CTX_free(b->dec);
    EVP_PKEY_free(b->pk);
    BN_CTX_free(b->bn);
    BN_free(b->P);
    BN_free(b->G);
    BN_free(b->R);
    for (int side = 0; side < 2; side++) {
        BN_clear_free(b->E[side]);
        BN_free(b->PEER[side]);
    }
    rsa_private_wipe(&b->key);
}

/* The uncached safe-prime check of Telegram's prime (what dh_check_params runs for a prime in
 * no cache): one run per call, timed by bench_rate over a short budget (a run takes longer). */
static void prime_uncached(void *arg)
{
    hs_bench *b = arg;
    bn p;
    prime_safety v;
    check(bn_from_bytes(&p, PRIME_TELEGRAM_DH, DH_BYTES) == 0, "bn_from_bytes");
    check(prime_check_safe(&p, PRIME_MR_ROUNDS_ADVERSARIAL, &b->md.rng, &v) == 0 && v == PRIME_SAFE,
          "prime_check_safe");
}

int main(void)
{
    static hs_bench b;
    setup(&b);
    enum { HS, MATH, REF, RSA, DH, PQ, PRIME, N };
    const bench_fn fns[N] = {one_handshake, ours_math, ref_math,          split_rsa,
                             split_dh,      split_pq,  split_prime_cached};
    void *const args[N] = {&b, &b, &b, &b, &b, &b, &b};
    double rate[N], t[N];
    bench_alternate(fns, args, N, rate);
    for (int i = 0; i < N; i++)
        t[i] = 1 / rate[i];
    bench_print_compare("handshake", 2048, rate[HS], "our engines, RSA and DH math by OpenSSL",
                        1 / (t[HS] - t[MATH] + t[REF]), "ops/s");
    bench_report("handshake_math_ours", 2048, t[MATH] * 1e6, "us");
    bench_report("handshake_math_openssl", 2048, t[REF] * 1e6, "us");
    bench_report("handshake_split_rsa", 2048, t[RSA] * 1e6, "us");
    bench_report("handshake_split_dh", 2048, t[DH] * 1e6, "us");
    bench_report("handshake_split_prime_cached", 2048, t[PRIME] * 1e6, "us");
    bench_report("handshake_split_pq", HSS_PQ_BITS_DEFAULT, t[PQ] * 1e6, "us");
    bench_report("handshake_split_rest", 0, (t[HS] - t[RSA] - t[DH] - t[PRIME] - t[PQ]) * 1e6,
                 "us");
    bench_report("handshake_prime_uncached", 2048, 1e3 / bench_rate(prime_uncached, &b, 0.2), "ms");
    teardown(&b);
    return 0;
}
