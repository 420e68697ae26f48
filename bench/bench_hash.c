/*
 * SHA-1 and SHA-256 throughput against OpenSSL EVP of the same hash, at 64 B, 1 KiB, 8 KiB and
 * 64 KiB, each measured alternately in the same process (bench/bench.h). Both use whatever the
 * CPU offers (SHA-NI here); MTPROOF_BENCH_PORTABLE=1 masks it off for our side.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "crypto/cpu.h"
#include "crypto/sha1.h"
#include "crypto/sha256.h"

typedef struct hash_job {
    const uint8_t *data;
    size_t len;
    const EVP_MD *md;
    EVP_MD_CTX *ctx;
    uint8_t out[EVP_MAX_MD_SIZE];
} hash_job;

static void ours_sha1(void *arg)
{
    hash_job *j = arg;
    sha1(j->data, j->len, j->out);
    bench_sink(j->out, SHA1_DIGEST_LEN);
}

static void ours_sha256(void *arg)
{
    hash_job *j = arg;
    sha256(j->data, j->len, j->out);
    bench_sink(j->out, SHA256_DIGEST_LEN);
}

/* The EVP streaming calls on a reused context: the cheapest way to drive OpenSSL's hash. */
static void ref_evp(void *arg)
{
    hash_job *j = arg;
    unsigned n = 0;
    if (EVP_DigestInit_ex(j->ctx, j->md, NULL) != 1 ||
        EVP_DigestUpdate(j->ctx, j->data, j->len) != 1 ||
        EVP_DigestFinal_ex(j->ctx, j->out, &n) != 1) {
        fprintf(stderr, "bench_hash: OpenSSL EVP failed\n");
        exit(1);
    }
    bench_sink(j->out, n);
}

int main(void)
{
    static const size_t sizes[] = {64, 1024, 8192, 65536};
    const char *portable = getenv("MTPROOF_BENCH_PORTABLE");
    if (portable && strcmp(portable, "1") == 0)
        cpu_set_mask(0);
    uint8_t *data = malloc(65536);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!data || !ctx)
        return 1;
    for (size_t i = 0; i < 65536; i++)
        data[i] = (uint8_t)(i * 131 + 7);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        hash_job ours = {data, sizes[i], NULL, NULL, {0}};
        hash_job ref = {data, sizes[i], EVP_sha1(), ctx, {0}};
        bench_compare("sha1", sizes[i], ours_sha1, &ours, "openssl_evp_sha1", ref_evp, &ref,
                      (double)sizes[i]);
    }
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        hash_job ours = {data, sizes[i], NULL, NULL, {0}};
        hash_job ref = {data, sizes[i], EVP_sha256(), ctx, {0}};
        bench_compare("sha256", sizes[i], ours_sha256, &ours, "openssl_evp_sha256", ref_evp, &ref,
                      (double)sizes[i]);
    }
    EVP_MD_CTX_free(ctx);
    free(data);
    return 0;
}
