/*
 * Differential target: crypto/sha1*.c, crypto/sha256*.c, crypto/hmac.c, crypto/hkdf.c against
 * OpenSSL.
 * Targets: sha1_init/update/final and sha256_init/update/final fed in pieces of fuzzer-chosen
 * sizes, sha1 and sha256 one-shot (vs EVP_Digest), hmac_sha256_init/update/final in pieces and
 * hmac_sha256 (vs HMAC()), hkdf_sha256, hkdf_sha256_extract, hkdf_sha256_expand (vs EVP_PKEY
 * HKDF with SHA-256, extract-and-expand and expand-only); each on the SHA-NI path and on the
 * portable one (cpu_set_mask(0)).
 * Property: every digest, tag and key equals OpenSSL's; an HKDF length over 255 * 32 is refused
 * with output_too_long, an empty one accepted (OpenSSL refuses it: nothing to compare). Any
 * difference aborts with a message naming the function and path. Input: [c0 c1 c2
 * c3][key_len][info_len][out_len: 2 bytes BE][key][info][msg]; the lengths are cut to the bytes
 * left, out_len is taken modulo HKDF_SHA256_MAX_OUT + 64; piece i of a stream has c[i % 4] bytes,
 * four empty pieces in a row end it with one piece holding the rest. The key is the HMAC key and
 * the HKDF salt, msg the hashed message and the HKDF input key material.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cpu.h"
#include "crypto/hkdf.h"
#include "crypto/hmac.h"
#include "crypto/sha1.h"

typedef struct input {
    const uint8_t *pieces, *key, *info, *msg;
    size_t key_len, info_len, n, out_len;
    const char *path;
} input;

static void check(int ok, const input *in, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_diff_hash: %s differs from OpenSSL (%s path)\n", what, in->path);
        abort();
    }
}

/* The length of piece i of the message, at most `left`. */
static size_t piece(const input *in, size_t i, size_t left, unsigned *empty)
{
    size_t len = in->pieces[i % 4];
    *empty = len == 0 ? *empty + 1 : 0;
    if (*empty >= 4)
        len = left;
    return len > left ? left : len;
}

static void diff_digests(const input *in)
{
    uint8_t ours[SHA256_DIGEST_LEN], ref[SHA256_DIGEST_LEN];
    sha1_ctx s1;
    sha256_ctx s2;
    unsigned empty = 0, len = 0;
    sha1_init(&s1);
    sha256_init(&s2);
    for (size_t at = 0, i = 0; at < in->n; i++) {
        size_t step = piece(in, i, in->n - at, &empty);
        sha1_update(&s1, in->msg + at, step);
        sha256_update(&s2, in->msg + at, step);
        at += step;
    }
    sha1_final(&s1, ours);
    check(EVP_Digest(in->msg, in->n, ref, &len, EVP_sha1(), NULL) && len == SHA1_DIGEST_LEN, in,
          "EVP_Digest");
    check(memcmp(ours, ref, SHA1_DIGEST_LEN) == 0, in, "sha1 in pieces");
    sha1(in->msg, in->n, ours);
    check(memcmp(ours, ref, SHA1_DIGEST_LEN) == 0, in, "sha1 one-shot");
    sha256_final(&s2, ours);
    check(EVP_Digest(in->msg, in->n, ref, &len, EVP_sha256(), NULL) && len == SHA256_DIGEST_LEN, in,
          "EVP_Digest");
    check(memcmp(ours, ref, SHA256_DIGEST_LEN) == 0, in, "sha256 in pieces");
    sha256(in->msg, in->n, ours);
    check(memcmp(ours, ref, SHA256_DIGEST_LEN) == 0, in, "sha256 one-shot");
}

static void diff_hmac(const input *in)
{
    uint8_t ours[SHA256_DIGEST_LEN], ref[SHA256_DIGEST_LEN];
    unsigned len = 0, empty = 0;
    hmac_sha256_ctx c;
    hmac_sha256_init(&c, in->key, in->key_len);
    for (size_t at = 0, i = 0; at < in->n; i++) {
        size_t step = piece(in, i, in->n - at, &empty);
        hmac_sha256_update(&c, in->msg + at, step);
        at += step;
    }
    hmac_sha256_final(&c, ours);
    check(HMAC(EVP_sha256(), in->key, (int)in->key_len, in->msg, in->n, ref, &len) != NULL &&
              len == SHA256_DIGEST_LEN,
          in, "HMAC");
    check(memcmp(ours, ref, sizeof ours) == 0, in, "hmac_sha256 in pieces");
    hmac_sha256(in->key, in->key_len, in->msg, in->n, ours);
    check(memcmp(ours, ref, sizeof ours) == 0, in, "hmac_sha256 one-shot");
}

/* OpenSSL's HKDF: expand_only uses key as the PRK; otherwise salt = in->key, ikm = key. */
static int openssl_hkdf(int expand_only, const input *in, const uint8_t *key, size_t key_len,
                        uint8_t *out)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    size_t len = in->out_len;
    int ok =
        c && EVP_PKEY_derive_init(c) > 0 && EVP_PKEY_CTX_set_hkdf_md(c, EVP_sha256()) > 0 &&
        EVP_PKEY_CTX_set_hkdf_mode(c, expand_only ? EVP_PKEY_HKDEF_MODE_EXPAND_ONLY
                                                  : EVP_PKEY_HKDEF_MODE_EXTRACT_AND_EXPAND) > 0 &&
        (expand_only || EVP_PKEY_CTX_set1_hkdf_salt(c, in->key, (int)in->key_len) > 0) &&
        EVP_PKEY_CTX_set1_hkdf_key(c, key, (int)key_len) > 0 &&
        EVP_PKEY_CTX_add1_hkdf_info(c, in->info, (int)in->info_len) > 0 &&
        EVP_PKEY_derive(c, out, &len) > 0 && len == in->out_len;
    EVP_PKEY_CTX_free(c);
    return ok;
}

static void diff_hkdf(const input *in)
{
    static uint8_t ours[HKDF_SHA256_MAX_OUT + 64], ref[HKDF_SHA256_MAX_OUT + 64];
    uint8_t prk[SHA256_DIGEST_LEN];
    int err = hkdf_sha256(in->key, in->key_len, in->msg, in->n, in->info, in->info_len, ours,
                          in->out_len);
    if (in->out_len > HKDF_SHA256_MAX_OUT) {
        check(err == MT_E_output_too_long, in, "hkdf_sha256 over the length limit");
        return;
    }
    check(err == MT_OK, in, "hkdf_sha256");
    if (in->out_len == 0) /* OpenSSL refuses an empty output; ours writes nothing */
        return;
    check(openssl_hkdf(0, in, in->msg, in->n, ref), in, "EVP_PKEY HKDF");
    check(memcmp(ours, ref, in->out_len) == 0, in, "hkdf_sha256");
    /* Expand on its own, from the PRK of extract, against OpenSSL's expand-only mode. */
    hkdf_sha256_extract(in->key, in->key_len, in->msg, in->n, prk);
    check(hkdf_sha256_expand(prk, sizeof prk, in->info, in->info_len, ours, in->out_len) == MT_OK,
          in, "hkdf_sha256_expand");
    check(openssl_hkdf(1, in, prk, sizeof prk, ref), in, "EVP_PKEY HKDF expand-only");
    check(memcmp(ours, ref, in->out_len) == 0, in, "hkdf_sha256_extract + expand");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    input in = {.pieces = data};
    size_t left = size - 8;
    in.key_len = data[4] > left ? left : data[4];
    left -= in.key_len;
    in.info_len = data[5] > left ? left : data[5];
    left -= in.info_len;
    in.out_len = (((size_t)data[6] << 8) | data[7]) % (HKDF_SHA256_MAX_OUT + 64);
    in.key = data + 8;
    in.info = in.key + in.key_len;
    in.msg = in.info + in.info_len;
    in.n = left;
    static const struct {
        uint32_t mask;
        const char *name;
    } paths[] = {{~0u, "SHA-NI"}, {0, "portable"}};
    for (size_t p = 0; p < 2; p++) {
        uint32_t old = cpu_set_mask(paths[p].mask);
        in.path = paths[p].name;
        diff_digests(&in);
        diff_hmac(&in);
        diff_hkdf(&in);
        cpu_set_mask(old);
    }
    return 0;
}
