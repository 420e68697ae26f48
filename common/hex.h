/* Lowercase hex text <-> bytes. The decoder accepts upper and lower case and nothing else. */
#ifndef MTPROOF_COMMON_HEX_H
#define MTPROOF_COMMON_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* Writes 2*n lowercase hex digits and a NUL to out (capacity 2*n+1). */
void hex_encode(const uint8_t *in, size_t n, char *out);

/* Decodes `len` hex digits into out (capacity cap). *out_len gets the byte count.
 * Errors: bad_hex (odd length or a non-hex digit), no_space. */
MT_WUR int hex_decode(const char *hex, size_t len, uint8_t *out, size_t cap, size_t *out_len);

#endif
