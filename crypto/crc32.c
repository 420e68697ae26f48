/*
 * CRC-32 of zlib / IEEE 802.3 (reflected polynomial 0xEDB88320, initial and final value
 * 0xFFFFFFFF), as the MTProto "full" transport appends to each packet
 * (core.telegram.org/mtproto/mtproto-transports#full).
 *
 * Slicing-by-8 (Kounavis and Berry, Intel 2005): eight 256-entry tables let one step consume
 * eight bytes with eight independent lookups. Lookups indexed by data are fine here: CRC32
 * protects public transport bytes, not secrets. The tables are computed from the polynomial
 * once, before main (a constructor), so there is no lazy initialisation race.
 */
#include "crypto/crc32.h"

#include "common/endian.h"

#define CRC32_POLY 0xEDB88320u

static uint32_t crc_table[8][256];

__attribute__((constructor)) static void crc32_tables(void)
{
    for (uint32_t b = 0; b < 256; b++) {
        uint32_t c = b;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (CRC32_POLY & (0u - (c & 1)));
        crc_table[0][b] = c;
    }
    /* Table t advances a byte that sits t positions before the end of an 8-byte group. */
    for (int t = 1; t < 8; t++)
        for (int b = 0; b < 256; b++) {
            uint32_t c = crc_table[t - 1][b];
            crc_table[t][b] = (c >> 8) ^ crc_table[0][c & 0xff];
        }
}

uint32_t crc32_update(uint32_t crc, const void *data, size_t n)
{
    const uint8_t *p = data;
    uint32_t c = ~crc;
    for (; n >= 8; n -= 8, p += 8) {
        uint32_t lo = ld32le(p) ^ c, hi = ld32le(p + 4);
        c = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
            crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^ crc_table[3][hi & 0xff] ^
            crc_table[2][(hi >> 8) & 0xff] ^ crc_table[1][(hi >> 16) & 0xff] ^
            crc_table[0][hi >> 24];
    }
    for (; n > 0; n--, p++)
        c = (c >> 8) ^ crc_table[0][(c ^ *p) & 0xff];
    return ~c;
}
