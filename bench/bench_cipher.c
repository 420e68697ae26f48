/*
 * AES-256-IGE and AES-256-CTR against OpenSSL, for 64 B, 1 KiB, 8 KiB and 64 KiB messages.
 * IGE (both directions) is compared with EVP aes-256-cbc *encryption*, the serial AES-NI bound
 * (each block waits for the previous one, as in IGE), and with OpenSSL's own AES_ige_encrypt.
 * CTR is compared with EVP aes-256-ctr. Keys are expanded once; every operation continues the
 * chain or stream of the previous one, on both sides.
 */
#define OPENSSL_API_COMPAT 0x10100000L /* AES_ige_encrypt is deprecated in OpenSSL 3 */
#include "bench.h"

#include <openssl/aes.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/ctr.h"
#include "crypto/ige.h"

typedef struct job {
    size_t n;
    uint8_t *in, *out;
    aes_ctx key;
    aes_ctr_ctx ctr;
    uint8_t iv[32];
    AES_KEY ossl_key;
    EVP_CIPHER_CTX *evp;
} job;

static void ours_ige_enc(void *a)
{
    job *j = a;
    if (ige_encrypt(&j->key, j->iv, j->in, j->out, j->n) != 0)
        abort();
    bench_sink(j->out, j->n);
}

static void ours_ige_dec(void *a)
{
    job *j = a;
    if (ige_decrypt(&j->key, j->iv, j->in, j->out, j->n) != 0)
        abort();
    bench_sink(j->out, j->n);
}

static void ours_ctr(void *a)
{
    job *j = a;
    aes_ctr_xor(&j->ctr, j->in, j->out, j->n);
    bench_sink(j->out, j->n);
}

static void ref_evp(void *a)
{
    job *j = a;
    int len = 0;
    if (EVP_EncryptUpdate(j->evp, j->out, &len, j->in, (int)j->n) != 1 || (size_t)len != j->n)
        abort();
    bench_sink(j->out, j->n);
}

static void ref_ige(void *a)
{
    job *j = a;
    AES_ige_encrypt(j->in, j->out, j->n, &j->ossl_key, j->iv, AES_ENCRYPT);
    bench_sink(j->out, j->n);
}

static void ref_ige_dec(void *a)
{
    job *j = a;
    AES_ige_encrypt(j->in, j->out, j->n, &j->ossl_key, j->iv, AES_DECRYPT);
    bench_sink(j->out, j->n);
}

static job *job_new(size_t n, const EVP_CIPHER *evp_cipher, int ossl_dec)
{
    static const uint8_t key[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};
    job *j = calloc(1, sizeof *j);
    if (!j)
        abort();
    j->n = n;
    j->in = aligned_alloc(64, n);
    j->out = aligned_alloc(64, n);
    if (!j->in || !j->out)
        abort();
    for (size_t i = 0; i < n; i++)
        j->in[i] = (uint8_t)(i * 131 + 7);
    memset(j->iv, 0x5a, sizeof j->iv);
    if (aes256_init(&j->key, key, 32) != 0 ||
        aes256_ctr_init(&j->ctr, key, 32, j->iv, AES_BLOCK_LEN) != 0)
        abort();
    if (ossl_dec)
        AES_set_decrypt_key(key, 256, &j->ossl_key);
    else
        AES_set_encrypt_key(key, 256, &j->ossl_key);
    j->evp = EVP_CIPHER_CTX_new();
    if (!j->evp || EVP_EncryptInit_ex(j->evp, evp_cipher, NULL, key, j->iv) != 1)
        abort();
    return j;
}

static void job_free(job *j)
{
    aes_wipe(&j->key);
    aes_ctr_wipe(&j->ctr);
    EVP_CIPHER_CTX_free(j->evp);
    free(j->in);
    free(j->out);
    free(j);
}

int main(void)
{
    static const size_t sizes[] = {64, 1024, 8192, 65536};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        job *e = job_new(n, EVP_aes_256_cbc(), 0), *d = job_new(n, EVP_aes_256_cbc(), 1);
        job *c = job_new(n, EVP_aes_256_ctr(), 0);
        bench_compare("aes256_ige_encrypt", n, ours_ige_enc, e, "openssl_evp_aes256_cbc_encrypt",
                      ref_evp, e, (double)n);
        bench_compare("aes256_ige_encrypt", n, ours_ige_enc, e, "openssl_AES_ige_encrypt", ref_ige,
                      e, (double)n);
        bench_compare("aes256_ige_decrypt", n, ours_ige_dec, d, "openssl_evp_aes256_cbc_encrypt",
                      ref_evp, d, (double)n);
        bench_compare("aes256_ige_decrypt", n, ours_ige_dec, d, "openssl_AES_ige_encrypt",
                      ref_ige_dec, d, (double)n);
        bench_compare("aes256_ctr", n, ours_ctr, c, "openssl_evp_aes256_ctr", ref_evp, c,
                      (double)n);
        job_free(e);
        job_free(d);
        job_free(c);
    }
    return 0;
}
