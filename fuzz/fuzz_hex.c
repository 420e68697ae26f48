/*
 * Target: hex_decode, hex_encode (common/hex.c).
 * Property: decoding never overruns, and what decodes re-encodes to the lowercased input.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    uint8_t *out = malloc(size / 2 + 1);
    char *text = malloc(size + 1);
    size_t n = 0;
    if (out && text && hex_decode((const char *)data, size, out, size / 2, &n) == MT_OK) {
        hex_encode(out, n, text);
        for (size_t i = 0; i < size; i++)
            if (text[i] != tolower(data[i]))
                abort();
    }
    free(out);
    free(text);
    return 0;
}
