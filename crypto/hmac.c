/* HMAC-SHA256 (RFC 2104 §2, FIPS 198-1): H(K ^ opad, H(K ^ ipad, text)). */
#include "crypto/hmac.h"

#include <string.h>

#include "common/ct.h"

void hmac_sha256_init(hmac_sha256_ctx *c, const void *key, size_t key_len)
{
    /* RFC 2104 §2: "Applications that use keys longer than B bytes will first hash the key
     * using H"; shorter keys are padded with zeros to B bytes. */
    uint8_t k0[SHA256_BLOCK_LEN] = {0};
    if (key_len > SHA256_BLOCK_LEN)
        sha256(key, key_len, k0);
    else if (key_len)
        memcpy(k0, key, key_len);

    uint8_t pad[SHA256_BLOCK_LEN];
    for (size_t i = 0; i < sizeof pad; i++)
        pad[i] = k0[i] ^ 0x36; /* ipad */
    sha256_init(&c->inner);
    sha256_update(&c->inner, pad, sizeof pad);
    for (size_t i = 0; i < sizeof pad; i++)
        pad[i] = k0[i] ^ 0x5c; /* opad */
    sha256_init(&c->outer);
    sha256_update(&c->outer, pad, sizeof pad);

    ct_wipe(k0, sizeof k0);
    ct_wipe(pad, sizeof pad);
}

void hmac_sha256_update(hmac_sha256_ctx *c, const void *data, size_t n)
{
    sha256_update(&c->inner, data, n);
}

void hmac_sha256_final(hmac_sha256_ctx *c, uint8_t out[SHA256_DIGEST_LEN])
{
    uint8_t ihash[SHA256_DIGEST_LEN];
    sha256_final(&c->inner, ihash); /* wipes c->inner */
    sha256_update(&c->outer, ihash, sizeof ihash);
    sha256_final(&c->outer, out); /* wipes c->outer */
    ct_wipe(ihash, sizeof ihash);
}

void hmac_sha256(const void *key, size_t key_len, const void *data, size_t n,
                 uint8_t out[SHA256_DIGEST_LEN])
{
    hmac_sha256_ctx c;
    hmac_sha256_init(&c, key, key_len);
    hmac_sha256_update(&c, data, n);
    hmac_sha256_final(&c, out);
}
