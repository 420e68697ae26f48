/* CRC-32 with the zlib/IEEE polynomial (reflected 0xEDB88320), as the full transport uses. */
#ifndef MTPROOF_CRYPTO_CRC32_H
#define MTPROOF_CRYPTO_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continues a CRC: start with crc = 0, as zlib's crc32(). (Our one-shot is named crc32_compute
 * so that this header and zlib.h can be included together.) */
uint32_t crc32_update(uint32_t crc, const void *data, size_t n);
static inline uint32_t crc32_compute(const void *data, size_t n)
{
    return crc32_update(0, data, n);
}

#endif
