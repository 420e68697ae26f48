/*
 * Target: pem_decode (crypto/pem.c), rsa_pem_parse and rsa_pem_write (crypto/rsa_asn1.c).
 * Input: PEM text.
 * Property: never crashes; an accepted key written back as PEM parses again to the same key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/pem.h"
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
    return 0;
}
