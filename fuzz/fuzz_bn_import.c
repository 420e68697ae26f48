/*
 * Target: bn_from_bytes, bn_to_bytes, bn_num_bytes, bn_shl/bn_shr (crypto/bn.c).
 * Property: any byte string imports (or is refused with limit_exceeded exactly when its value
 * needs more than BN_MAX_BYTES bytes); exporting at the minimal width gives the input without its
 * leading zeros, a wider export left-pads with zeros, a narrower one fails with no_space; a shift
 * left and back right is the identity.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/bn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[BN_MAX_BYTES + 16];
    size_t lead = 0;
    while (lead < size && data[lead] == 0)
        lead++;
    size_t sig = size - lead;
    bn a, b;
    int err = bn_from_bytes(&a, data, size);
    if (sig > BN_MAX_BYTES) {
        if (err != MT_E_limit_exceeded || !bn_is_zero(&a))
            abort();
        return 0;
    }
    if (err != MT_OK || bn_num_bytes(&a) != sig)
        abort();
    if (bn_to_bytes(&a, out, sig) != MT_OK || memcmp(out, data + lead, sig) != 0)
        abort();
    size_t wide = sig + 1 + (size % 16);
    if (bn_to_bytes(&a, out, wide) != MT_OK || memcmp(out + wide - sig, data + lead, sig) != 0)
        abort();
    for (size_t i = 0; i < wide - sig; i++)
        if (out[i] != 0)
            abort();
    if (sig > 0 && bn_to_bytes(&a, out, sig - 1) != MT_E_no_space)
        abort();
    size_t shift = size > 0 ? data[size - 1] : 0;
    if (bn_num_bits(&a) + shift <= BN_MAX_BITS) {
        if (bn_shl(&b, &a, shift) != MT_OK)
            abort();
        bn_shr(&b, &b, shift);
        if (bn_cmp(&a, &b) != 0)
            abort();
    }
    return 0;
}
