/* HKDF-SHA256 (RFC 5869 §2): extract-then-expand on our HMAC-SHA256. */
#include "crypto/hkdf.h"

#include <string.h>

#include "common/ct.h"
#include "crypto/hmac.h"

void hkdf_sha256_extract(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                         uint8_t prk[SHA256_DIGEST_LEN])
{
    /* §2.2: "if not provided, [salt] is set to a string of HashLen zeros". HMAC pads its key
     * with zeros to the block size, so an empty key and 32 zero bytes give the same PRK. */
    hmac_sha256(salt, salt_len, ikm, ikm_len, prk);
}

int hkdf_sha256_expand(const uint8_t *prk, size_t prk_len, const uint8_t *info, size_t info_len,
                       uint8_t *out, size_t out_len)
{
    /* §2.3: "L length of output keying material in octets (<= 255*HashLen)". */
    if (out_len > HKDF_SHA256_MAX_OUT)
        return MT_E_output_too_long;

    /* T(i) = HMAC-Hash(PRK, T(i-1) | info | i), T(0) empty. The keyed context is computed once
     * and copied for each block (contexts are flat structs). */
    hmac_sha256_ctx keyed, c;
    uint8_t t[SHA256_DIGEST_LEN];
    hmac_sha256_init(&keyed, prk, prk_len);
    size_t done = 0;
    for (unsigned i = 1; done < out_len; i++) {
        uint8_t counter = (uint8_t)i; /* i <= 255 by the length check above */
        memcpy(&c, &keyed, sizeof c);
        if (i > 1)
            hmac_sha256_update(&c, t, sizeof t);
        hmac_sha256_update(&c, info, info_len);
        hmac_sha256_update(&c, &counter, 1);
        hmac_sha256_final(&c, t);
        size_t take = out_len - done < sizeof t ? out_len - done : sizeof t;
        memcpy(out + done, t, take);
        done += take;
    }
    ct_wipe(&keyed, sizeof keyed);
    ct_wipe(&c, sizeof c);
    ct_wipe(t, sizeof t);
    return MT_OK;
}

int hkdf_sha256(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len)
{
    if (out_len > HKDF_SHA256_MAX_OUT)
        return MT_E_output_too_long;
    uint8_t prk[SHA256_DIGEST_LEN];
    hkdf_sha256_extract(salt, salt_len, ikm, ikm_len, prk);
    int err = hkdf_sha256_expand(prk, sizeof prk, info, info_len, out, out_len);
    ct_wipe(prk, sizeof prk);
    return err;
}
