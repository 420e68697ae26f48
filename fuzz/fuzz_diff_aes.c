/*
 * Differential target: crypto/aes*.c, crypto/ige*.c, crypto/ctr*.c against OpenSSL.
 * Targets: aes_init, aes_ecb_encrypt, aes_ecb_decrypt (vs EVP aes-128/256-ecb), ige_encrypt,
 * ige_decrypt in block-aligned pieces and aes256_ige_encrypt/decrypt (vs AES_ige_encrypt),
 * aes256_ctr_init + aes_ctr_xor in pieces of fuzzer-chosen sizes and aes256_ctr (vs EVP
 * aes-256-ctr in one call); each on the AES-NI path and on the portable one (cpu_set_mask(0)).
 * Property: every output equals OpenSSL's, byte for byte. Any difference aborts with a message
 * naming the mode and the path.
 * Input: [flags][c0 c1 c2 c3][key: 32][iv: 32][data: up to 4096]; flags bit 0 uses the first 16
 * key bytes (AES-128) for ECB and IGE; piece i has length c[i % 4] bytes (CTR) or c[i % 4] % 16
 * blocks (IGE); four empty pieces in a row end the split with one piece holding the rest.
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* AES_ige_encrypt is the only IGE oracle OpenSSL has */
#include <openssl/aes.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cpu.h"
#include "crypto/ctr.h"
#include "crypto/ige.h"

enum { MAX_DATA = 4096, HEADER = 1 + 4 + 32 + 32 };

typedef struct input {
    const uint8_t *key, *iv, *msg, *pieces;
    size_t key_len, n, whole; /* whole: n rounded down to blocks */
    const char *path;
} input;

static void check(int ok, const input *in, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_diff_aes: %s differs from OpenSSL (%s path)\n", what, in->path);
        abort();
    }
}

/* OpenSSL's EVP one-shot for a cipher without padding. */
static void evp(const EVP_CIPHER *cipher, int enc, const input *in, const uint8_t *src,
                uint8_t *dst, size_t n)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0;
    if (!c || !EVP_CipherInit_ex(c, cipher, NULL, in->key, in->iv, enc) ||
        !EVP_CIPHER_CTX_set_padding(c, 0) || !EVP_CipherUpdate(c, dst, &len, src, (int)n) ||
        !EVP_CipherFinal_ex(c, dst + len, &fin) || (size_t)(len + fin) != n)
        abort();
    EVP_CIPHER_CTX_free(c);
}

/* The length of piece i, at most `left` (unit: bytes for CTR, 16-byte blocks for IGE). */
static size_t piece(const input *in, size_t i, size_t unit, size_t left, unsigned *empty)
{
    size_t len = unit == 1 ? in->pieces[i % 4] : (size_t)(in->pieces[i % 4] % 16) * 16;
    *empty = len == 0 ? *empty + 1 : 0;
    if (*empty >= 4)
        len = left;
    return len > left ? left : len;
}

static void diff_ecb(const input *in, uint8_t *ours, uint8_t *ref)
{
    aes_ctx k;
    const EVP_CIPHER *ecb = in->key_len == 16 ? EVP_aes_128_ecb() : EVP_aes_256_ecb();
    check(aes_init(&k, in->key, in->key_len) == MT_OK, in, "aes_init");
    check(aes_ecb_encrypt(&k, in->msg, ours, in->whole) == MT_OK, in, "aes_ecb_encrypt");
    evp(ecb, 1, in, in->msg, ref, in->whole);
    check(memcmp(ours, ref, in->whole) == 0, in, "aes_ecb_encrypt");
    check(aes_ecb_decrypt(&k, in->msg, ours, in->whole) == MT_OK, in, "aes_ecb_decrypt");
    evp(ecb, 0, in, in->msg, ref, in->whole);
    check(memcmp(ours, ref, in->whole) == 0, in, "aes_ecb_decrypt");
    aes_wipe(&k);
}

/* IGE in pieces with the chained IV, against AES_ige_encrypt in one call. */
static void diff_ige_dir(const input *in, int enc, uint8_t *ours, uint8_t *ref)
{
    aes_ctx k;
    AES_KEY ok;
    uint8_t chain[IGE_IV_LEN], ref_iv[IGE_IV_LEN];
    unsigned empty = 0;
    check(aes_init(&k, in->key, in->key_len) == MT_OK, in, "aes_init");
    memcpy(chain, in->iv, IGE_IV_LEN);
    for (size_t at = 0, i = 0; at < in->whole; i++) {
        size_t len = piece(in, i, 16, in->whole - at, &empty);
        int err = enc ? ige_encrypt(&k, chain, in->msg + at, ours + at, len)
                      : ige_decrypt(&k, chain, in->msg + at, ours + at, len);
        check(err == MT_OK, in, enc ? "ige_encrypt" : "ige_decrypt");
        at += len;
    }
    aes_wipe(&k);
    int bits = (int)in->key_len * 8;
    if ((enc ? AES_set_encrypt_key(in->key, bits, &ok) : AES_set_decrypt_key(in->key, bits, &ok)))
        abort();
    memcpy(ref_iv, in->iv, IGE_IV_LEN);
    AES_ige_encrypt(in->msg, ref, in->whole, &ok, ref_iv, enc ? AES_ENCRYPT : AES_DECRYPT);
    check(memcmp(ours, ref, in->whole) == 0, in, enc ? "ige_encrypt" : "ige_decrypt");
    if (in->key_len != AES256_KEY_LEN)
        return;
    int err = enc ? aes256_ige_encrypt(in->key, 32, in->iv, 32, in->msg, ours, in->whole)
                  : aes256_ige_decrypt(in->key, 32, in->iv, 32, in->msg, ours, in->whole);
    check(err == MT_OK && memcmp(ours, ref, in->whole) == 0, in, "aes256_ige one-shot");
}

/* CTR in pieces of any byte length (one continuous key stream), against one EVP call. */
static void diff_ctr(const input *in, uint8_t *ours, uint8_t *ref)
{
    aes_ctr_ctx c;
    unsigned empty = 0;
    check(aes256_ctr_init(&c, in->key, 32, in->iv, 16) == MT_OK, in, "aes256_ctr_init");
    for (size_t at = 0, i = 0; at < in->n; i++) {
        size_t len = piece(in, i, 1, in->n - at, &empty);
        aes_ctr_xor(&c, in->msg + at, ours + at, len);
        at += len;
    }
    aes_ctr_wipe(&c);
    evp(EVP_aes_256_ctr(), 1, in, in->msg, ref, in->n);
    check(memcmp(ours, ref, in->n) == 0, in, "aes_ctr_xor in pieces");
    check(aes256_ctr(in->key, 32, in->iv, 16, in->msg, ours, in->n) == MT_OK &&
              memcmp(ours, ref, in->n) == 0,
          in, "aes256_ctr one-shot");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEADER || size - HEADER > MAX_DATA)
        return 0;
    static uint8_t ours[MAX_DATA], ref[MAX_DATA];
    input in = {.key = data + 5, .iv = data + 37, .msg = data + HEADER, .pieces = data + 1};
    in.key_len = (data[0] & 1) ? 16 : 32;
    in.n = size - HEADER;
    in.whole = in.n - in.n % 16;
    static const struct {
        uint32_t mask;
        const char *name;
    } paths[] = {{~0u, "AES-NI"}, {0, "portable"}};
    for (size_t p = 0; p < 2; p++) {
        uint32_t old = cpu_set_mask(paths[p].mask);
        in.path = paths[p].name;
        diff_ecb(&in, ours, ref);
        diff_ige_dir(&in, 1, ours, ref);
        diff_ige_dir(&in, 0, ours, ref);
        in.key_len = 32;
        diff_ctr(&in, ours, ref);
        in.key_len = (data[0] & 1) ? 16 : 32;
        cpu_set_mask(old);
    }
    return 0;
}
