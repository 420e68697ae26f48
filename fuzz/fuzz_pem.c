/*
 * Target: pem_decode (crypto/pem.c), rsa_pem_parse and rsa_pem_write (crypto/rsa_asn1.c), key
 * loading: rsa_public_load_pem, rsa_private_load_pem with its consistency check (crypto/rsa_key.c).
 * Input: PEM text.
 * Property: never crashes; an accepted key written back as PEM parses again to the same key; a
 * private key that loads has a working private operation (checked by its own public operation).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/pem.h"
#include "crypto/drbg.h"
#include "crypto/rsa.h"
#include "crypto/rsa_asn1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t der[PEM_MAX_DER], der2[PEM_MAX_DER];
    static char text[PEM_MAX_TEXT + 1];
    rsa_key_der k, k2;
    if (rsa_pem_parse((const char *)data, size, der, sizeof der, &k, NULL) != 0)
        return 0;
    size_t n;
    if (rsa_pem_write(&k, text, sizeof text, &n) != 0)
        abort();
    if (rsa_pem_parse(text, n, der2, sizeof der2, &k2, NULL) != 0 || k2.form != k.form ||
        k2.n.len != k.n.len || memcmp(k2.n.p, k.n.p, k.n.len) != 0 || k2.e.len != k.e.len ||
        memcmp(k2.e.p, k.e.p, k.e.len) != 0)
        abort();
    static rsa_public pub;
    static rsa_private priv;
    if (rsa_public_load_pem(&pub, (const char *)data, size, NULL, NULL) != 0 ||
        !rsa_form_is_private(k.form))
        return 0;
    mt_drbg drbg;
    drbg_init_u64(&drbg, 1);
    if (rsa_private_load_pem(&priv, (const char *)data, size, &drbg.rng, NULL, NULL) != 0)
        return 0;
    uint8_t in[RSA_MAX_BYTES] = {0}, out[RSA_MAX_BYTES];
    in[priv.pub.bytes - 1] = 2;
    if (rsa_private_op(&priv, in, priv.pub.bytes, out, &drbg.rng) != 0)
        abort();
    return 0;
}
