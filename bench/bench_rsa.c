/*
 * RSA-2048 raw operations, ours against OpenSSL's RSA with RSA_NO_PADDING, on the committed test
 * key: "rsa_private" (our CRT with the fault check, without blinding, vs EVP_PKEY_decrypt; OpenSSL
 * blinds and checks too) and "rsa_public" (vs EVP_PKEY_encrypt). size = modulus bits.
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "crypto/drbg.h"
#include "crypto/rsa.h"

typedef struct rsa_bench {
    rsa_private *key;
    EVP_PKEY_CTX *ctx;
    uint8_t in[256], out[256];
} rsa_bench;

static void ours_private(void *arg)
{
    rsa_bench *b = arg;
    if (rsa_private_op(b->key, b->in, 256, b->out, NULL) != 0)
        abort();
    bench_sink(b->out, 1);
}

static void ours_public(void *arg)
{
    rsa_bench *b = arg;
    if (rsa_public_op(&b->key->pub, b->in, 256, b->out) != 0)
        abort();
    bench_sink(b->out, 1);
}

static void ref_private(void *arg)
{
    rsa_bench *b = arg;
    size_t n = 256;
    if (EVP_PKEY_decrypt(b->ctx, b->out, &n, b->in, 256) != 1)
        abort();
    bench_sink(b->out, 1);
}

static void ref_public(void *arg)
{
    rsa_bench *b = arg;
    size_t n = 256;
    if (EVP_PKEY_encrypt(b->ctx, b->out, &n, b->in, 256) != 1)
        abort();
    bench_sink(b->out, 1);
}

/* The test key, found from this file's own path (CMake compiles it by absolute path). */
static char *read_test_key(size_t *len)
{
    char path[4096];
    const char *slash = strrchr(__FILE__, '/');
    int dir = slash ? (int)(slash - __FILE__) : 1;
    snprintf(path, sizeof path, "%.*s/../vectors/keys/test_rsa2048.pem", dir,
             slash ? __FILE__ : ".");
    FILE *f = fopen(path, "rb");
    static char buf[PEM_MAX_TEXT];
    if (!f)
        return NULL;
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

int main(void)
{
    size_t len;
    char *pem = read_test_key(&len);
    static rsa_private key;
    mt_drbg drbg;
    drbg_init_u64(&drbg, 1);
    if (!pem || rsa_private_load_pem(&key, pem, len, &drbg.rng, NULL, NULL) != 0) {
        fprintf(stderr, "bench_rsa: cannot load the test key\n");
        return 1;
    }
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    EVP_PKEY *pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    rsa_bench ours = {&key, NULL, {0}, {0}}, ref = {&key, EVP_PKEY_CTX_new(pk, NULL), {0}, {0}};
    drbg_generate(&drbg, ours.in, sizeof ours.in);
    ours.in[0] &= 0x7f; /* below n */
    memcpy(ref.in, ours.in, sizeof ref.in);
    if (EVP_PKEY_decrypt_init(ref.ctx) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ref.ctx, RSA_NO_PADDING) != 1)
        return 1;
    bench_compare("rsa_private", 2048, ours_private, &ours, "openssl EVP_PKEY_decrypt raw",
                  ref_private, &ref, 0);
    if (EVP_PKEY_encrypt_init(ref.ctx) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ref.ctx, RSA_NO_PADDING) != 1)
        return 1;
    bench_compare("rsa_public", 2048, ours_public, &ours, "openssl EVP_PKEY_encrypt raw",
                  ref_public, &ref, 0);
    EVP_PKEY_CTX_free(ref.ctx);
    EVP_PKEY_free(pk);
    rsa_private_wipe(&key);
    return 0;
}
