/*
 * Targets: aes_init, aes_ecb_encrypt/decrypt, ige_encrypt/decrypt, aes_ctr_xor (crypto/aes*.c,
 * crypto/ige*.c, crypto/ctr*.c).
 * Property: the AES-NI and portable back ends agree byte for byte on ECB, IGE and CTR (the
 * portable path forced with cpu_set_mask(0)); decryption inverts encryption; a CTR stream split
 * at a fuzzer-chosen byte equals the unsplit stream; an IGE stream split at a block boundary
 * equals the unsplit one.
 * Input: [flags][split][key: 32 or 16 bytes][iv: 32 bytes][data...]; flags bit 0 picks AES-128.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cpu.h"
#include "crypto/ctr.h"
#include "crypto/ige.h"

enum { MAX_DATA = 4096 };

typedef struct outputs {
    uint8_t ecb[MAX_DATA], ige[MAX_DATA], ige_split[MAX_DATA], ctr[MAX_DATA], ctr_split[MAX_DATA];
} outputs;

/* Everything one back end computes from the input. */
static void run_path(uint32_t mask, const uint8_t *key, size_t key_len, const uint8_t iv[32],
                     const uint8_t *data, size_t n, size_t split, outputs *o)
{
    uint32_t old = cpu_set_mask(mask);
    size_t whole = n - n % 16, cut = split % (n + 1);
    size_t icut = cut / 16 * 16 > whole ? whole : cut / 16 * 16;
    aes_ctx k;
    uint8_t chain[32], back[MAX_DATA];
    if (aes_init(&k, key, key_len) != MT_OK || aes_ecb_encrypt(&k, data, o->ecb, whole) != MT_OK ||
        aes_ecb_decrypt(&k, o->ecb, back, whole) != MT_OK || memcmp(back, data, whole) != 0)
        abort();
    memcpy(chain, iv, 32);
    if (ige_encrypt(&k, chain, data, o->ige, whole) != MT_OK)
        abort();
    memcpy(chain, iv, 32);
    if (ige_decrypt(&k, chain, o->ige, back, whole) != MT_OK || memcmp(back, data, whole) != 0)
        abort();
    memcpy(chain, iv, 32);
    memcpy(o->ige_split, data, whole);
    if (ige_encrypt(&k, chain, o->ige_split, o->ige_split, icut) != MT_OK ||
        ige_encrypt(&k, chain, o->ige_split + icut, o->ige_split + icut, whole - icut) != MT_OK)
        abort();
    aes_wipe(&k);
    aes_ctr_ctx c;
    if (aes256_ctr(key, 32, iv, 16, data, o->ctr, n) != MT_OK ||
        aes256_ctr_init(&c, key, 32, iv, 16) != MT_OK)
        abort();
    aes_ctr_xor(&c, data, o->ctr_split, cut);
    aes_ctr_xor(&c, data + cut, o->ctr_split + cut, n - cut);
    aes_ctr_wipe(&c);
    cpu_set_mask(old);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 + 32 + 32 || size - 66 > MAX_DATA)
        return 0;
    size_t key_len = (data[0] & 1) ? 16 : 32, split = (size_t)data[1] * 17;
    const uint8_t *key = data + 2, *iv = data + 34, *msg = data + 66;
    size_t n = size - 66;
    static outputs a, b;
    run_path(~0u, key, key_len, iv, msg, n, split, &a);
    run_path(0, key, key_len, iv, msg, n, split, &b);
    size_t whole = n - n % 16;
    if (memcmp(a.ecb, b.ecb, whole) || memcmp(a.ige, b.ige, whole) ||
        memcmp(a.ige_split, a.ige, whole) || memcmp(b.ige_split, b.ige, whole) ||
        memcmp(a.ctr, b.ctr, n) || memcmp(a.ctr_split, a.ctr, n) || memcmp(b.ctr_split, b.ctr, n))
        abort();
    return 0;
}
