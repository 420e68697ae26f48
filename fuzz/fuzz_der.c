/*
 * Target: der_reader, der_enter, der_uint, der_null, der_oid_is, der_bit_string, der_done
 * (crypto/der.c) through rsa_der_parse and rsa_der_write (crypto/rsa_asn1.c).
 * Input: one byte choosing the key form, then the DER.
 * Property: the reader is strict, so whatever it accepts is canonical DER and writing the parsed
 * key back must give exactly the input; an error always carries an offset inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/pem.h"
#include "crypto/rsa_asn1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > PEM_MAX_DER)
        return 0;
    rsa_key_form form = (rsa_key_form)(data[0] & 3);
    rsa_key_der k;
    size_t off = 0;
    int err = rsa_der_parse(form, data + 1, size - 1, &k, &off);
    if (err) {
        if (off > size - 1)
            abort();
        return 0;
    }
    static uint8_t out[PEM_MAX_DER];
    size_t n;
    if (rsa_der_write(&k, out, sizeof out, &n) != 0 || n != size - 1 ||
        memcmp(out, data + 1, n) != 0)
        abort();
    return 0;
}
