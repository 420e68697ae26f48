/*
 * MTProto 2.0 message encryption and decryption (proto/message.h) against the same algorithm
 * built from OpenSSL, for 64-byte and 4 KiB bodies (size = body bytes), in messages/s.
 * Both sides do the whole job per message: write the inner header, body and padding (a fixed
 * 16-byte padding on both sides, so the RNG is not measured), msg_key (SHA-256), the KDF (two
 * SHA-256), AES-256 key expansion and IGE; decryption also checks auth_key_id, msg_key (constant
 * time) and the length/padding/session rules. The auth_key_id is computed once per key on both.
 * Two references: SHA-256 via EVP (reused EVP_MD_CTX) with
 *   - "openssl_evp_sha256+evp_aes256_ecb_ige": IGE written block by block over EVP aes-256-ecb
 *     (one EVP_CipherUpdate per block, a reused EVP_CIPHER_CTX re-keyed per message), and
 *   - "openssl_evp_sha256+AES_ige_encrypt": OpenSSL's own AES_ige_encrypt (deprecated low-level
 *     API) with AES_set_{en,de}crypt_key per message.
 */
#define OPENSSL_API_COMPAT 0x10100000L /* AES_ige_encrypt is deprecated in OpenSSL 3 */
#include <openssl/aes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "common/endian.h"
#include "proto/message.h"

enum { PAD = 16, BODY_MAX = 4096, PKT_MAX = MT_MSG_PACKED_LEN(BODY_MAX, PAD) };

typedef struct job {
    size_t n, pkt_len;
    int use_ige_api; /* reference flavour */
    mt_auth_key k;
    mt_msg_hdr hdr;
    uint8_t body[BODY_MAX], pad[PAD];
    uint8_t pkt[PKT_MAX], out[PKT_MAX], plain[PKT_MAX];
    EVP_MD_CTX *md;
    EVP_CIPHER_CTX *ecb;
} job;

static void die(const char *what)
{
    fprintf(stderr, "bench_framing: %s failed\n", what);
    exit(1);
}

static void ours_encrypt(void *a)
{
    job *j = a;
    mt_msg_pack_opts o = {NULL, PAD, j->pad, NULL};
    size_t len;
    if (mt_msg_pack(&j->k, 0, &j->hdr, j->body, j->n, &o, j->out, sizeof j->out, &len) != 0)
        die("mt_msg_pack");
    bench_sink(j->out, len);
}

static void ours_decrypt(void *a)
{
    job *j = a;
    mt_msg_view v;
    if (mt_msg_unpack(&j->k, 0, &j->hdr.session_id, j->pkt, j->pkt_len, j->plain, sizeof j->plain,
                      &v) != 0)
        die("mt_msg_unpack");
    bench_sink(v.body, v.body_len);
}

/* ---- the reference, from OpenSSL calls ---- */

static void ref_sha256(job *j, const uint8_t *a, size_t an, const uint8_t *b, size_t bn,
                       uint8_t out[32])
{
    if (EVP_DigestInit_ex(j->md, EVP_sha256(), NULL) != 1 || EVP_DigestUpdate(j->md, a, an) != 1 ||
        EVP_DigestUpdate(j->md, b, bn) != 1 || EVP_DigestFinal_ex(j->md, out, NULL) != 1)
        die("EVP sha256");
}

static void ref_kdf(job *j, const uint8_t mk[16], uint8_t key[32], uint8_t iv[32])
{
    uint8_t a[32], b[32];
    ref_sha256(j, mk, 16, j->k.key, 36, a);
    ref_sha256(j, j->k.key + 40, 36, mk, 16, b);
    memcpy(key, a, 8), memcpy(key + 8, b + 8, 16), memcpy(key + 24, a + 24, 8);
    memcpy(iv, b, 8), memcpy(iv + 8, a + 8, 16), memcpy(iv + 24, b + 24, 8);
}

/* IGE over EVP aes-256-ecb, one block per call: c_i = E(p_i ^ c_{i-1}) ^ p_{i-1}. */
static void ref_ige(job *j, const uint8_t key[32], const uint8_t iv[32], int enc, const uint8_t *in,
                    uint8_t *out, size_t m)
{
    if (j->use_ige_api) {
        AES_KEY ak;
        uint8_t ivc[32];
        memcpy(ivc, iv, 32);
        if ((enc ? AES_set_encrypt_key(key, 256, &ak) : AES_set_decrypt_key(key, 256, &ak)) != 0)
            die("AES_set_key");
        AES_ige_encrypt(in, out, m, &ak, ivc, enc ? AES_ENCRYPT : AES_DECRYPT);
        return;
    }
    /* enc: a = c_{i-1}, b = p_{i-1}; dec: a = p_{i-1}, b = c_{i-1}. */
    uint8_t a[16], b[16], cur[16], x[16], y[16];
    int len;
    memcpy(a, enc ? iv : iv + 16, 16);
    memcpy(b, enc ? iv + 16 : iv, 16);
    if (EVP_CipherInit_ex(j->ecb, EVP_aes_256_ecb(), NULL, key, NULL, enc) != 1)
        die("EVP_CipherInit_ex");
    EVP_CIPHER_CTX_set_padding(j->ecb, 0);
    for (size_t i = 0; i < m; i += 16) {
        memcpy(cur, in + i, 16);
        for (int t = 0; t < 16; t++)
            x[t] = cur[t] ^ a[t];
        if (EVP_CipherUpdate(j->ecb, y, &len, x, 16) != 1)
            die("EVP_CipherUpdate");
        for (int t = 0; t < 16; t++)
            out[i + t] = y[t] ^ b[t];
        memcpy(b, cur, 16);
        memcpy(a, out + i, 16);
    }
}

static void ref_encrypt(void *arg)
{
    job *j = arg;
    uint8_t *p = j->out + MT_MSG_OUTER_LEN, mk_large[32], key[32], iv[32];
    size_t m = MT_MSG_INNER_LEN + j->n + PAD;
    st64le(p, j->hdr.salt);
    st64le(p + 8, j->hdr.session_id);
    st64le(p + 16, j->hdr.msg_id);
    st32le(p + 24, j->hdr.seq_no);
    st32le(p + 28, (uint32_t)j->n);
    memcpy(p + 32, j->body, j->n);
    memcpy(p + 32 + j->n, j->pad, PAD);
    ref_sha256(j, j->k.key + 88, 32, p, m, mk_large);
    memcpy(j->out, j->k.id, 8);
    memcpy(j->out + 8, mk_large + 8, 16);
    ref_kdf(j, mk_large + 8, key, iv);
    ref_ige(j, key, iv, 1, p, p, m);
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(iv, sizeof iv);
    bench_sink(j->out, MT_MSG_OUTER_LEN + m);
}

static void ref_decrypt(void *arg)
{
    job *j = arg;
    uint8_t mk_large[32], key[32], iv[32];
    size_t m = j->pkt_len - MT_MSG_OUTER_LEN;
    if (j->pkt_len < MT_MSG_MIN_PACKET || m % 16 || memcmp(j->pkt, j->k.id, 8) != 0)
        die("reference framing");
    ref_kdf(j, j->pkt + 8, key, iv);
    ref_ige(j, key, iv, 0, j->pkt + MT_MSG_OUTER_LEN, j->plain, m);
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(iv, sizeof iv);
    ref_sha256(j, j->k.key + 88, 32, j->plain, m, mk_large);
    uint32_t len = ld32le(j->plain + 28);
    size_t pad = m - 32 - len;
    if (CRYPTO_memcmp(mk_large + 8, j->pkt + 8, 16) != 0 || len > m - 32 || len % 4 || pad < 12 ||
        pad > 1024 || ld64le(j->plain + 8) != j->hdr.session_id)
        die("reference checks");
    bench_sink(j->plain + 32, len);
}

static job *job_new(size_t n, int use_ige_api)
{
    job *j = calloc(1, sizeof *j);
    uint8_t key[MT_AUTH_KEY_LEN];
    if (!j)
        die("calloc");
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(i * 13 + 5);
    for (size_t i = 0; i < n; i++)
        j->body[i] = (uint8_t)(i * 131 + 7);
    memset(j->pad, 0x5a, sizeof j->pad);
    j->n = n;
    j->use_ige_api = use_ige_api;
    mt_auth_key_init(&j->k, key);
    j->hdr = (mt_msg_hdr){0x0102030405060708ull, 0x1122334455667788ull, 0x65c53d5000067200ull, 9};
    j->md = EVP_MD_CTX_new();
    j->ecb = EVP_CIPHER_CTX_new();
    if (!j->md || !j->ecb)
        die("EVP ctx");
    mt_msg_pack_opts o = {NULL, PAD, j->pad, NULL};
    if (mt_msg_pack(&j->k, 0, &j->hdr, j->body, n, &o, j->pkt, sizeof j->pkt, &j->pkt_len) != 0)
        die("mt_msg_pack");
    /* The reference must produce the same packet and accept ours. */
    ref_encrypt(j);
    if (memcmp(j->out, j->pkt, j->pkt_len) != 0)
        die("reference encryption differs");
    ref_decrypt(j);
    return j;
}

static void job_free(job *j)
{
    mt_auth_key_wipe(&j->k);
    EVP_MD_CTX_free(j->md);
    EVP_CIPHER_CTX_free(j->ecb);
    free(j);
}

int main(void)
{
    static const size_t sizes[] = {64, 4096};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (int api = 0; api < 2; api++) {
            job *j = job_new(sizes[s], api);
            const char *ref = api ? "openssl_evp_sha256+AES_ige_encrypt"
                                  : "openssl_evp_sha256+evp_aes256_ecb_ige";
            bench_compare("encrypt_v2", sizes[s], ours_encrypt, j, ref, ref_encrypt, j, 0);
            bench_compare("decrypt_v2", sizes[s], ours_decrypt, j, ref, ref_decrypt, j, 0);
            job_free(j);
        }
    }
    return 0;
}
