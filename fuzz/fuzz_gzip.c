/*
 * Target: gzip_unpack, gzip_packed_unpack, gzip_pack, gzip_packed_pack, gzip_limit (proto/gzip.c).
 * Input: [output capacity:u16 LE][gzip stream, or a gzip_packed object when the capacity's top bit
 * is set]. Property: unpacking fails with a rule or no_memory, or fits gzip_limit; what it gives
 * packs and unpacks back to the same bytes, as a gzip stream and as a gzip_packed object (which
 * needs exactly its length: one byte less is no_space). The output buffer is exactly the
 * capacity, so a write past the limit is a sanitizer error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "proto/gzip.h"

static uint8_t repacked[1u << 17], again[1u << 15];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint16_t word = ld16le(data);
    size_t cap = word & 0x7fffu;
    uint8_t *out = malloc(cap ? cap : 1);
    if (!out)
        return 0;
    size_t len = 0;
    int err = (word & 0x8000u) ? gzip_packed_unpack(data + 2, size - 2, out, cap, &len)
                               : gzip_unpack(data + 2, size - 2, out, cap, &len);
    if (err) {
        if ((!mt_err_is_rule(err) && err != MT_E_no_memory) || len != 0)
            abort();
    } else {
        size_t plen, ulen;
        if (len > gzip_limit(size - 2, cap) ||
            gzip_pack(out, len, repacked, sizeof repacked, &plen) != MT_OK ||
            gzip_unpack(repacked, plen, again, sizeof again, &ulen) != MT_OK || ulen != len ||
            memcmp(again, out, len) != 0)
            abort();
        if (gzip_packed_pack(out, len, repacked, sizeof repacked, &plen) != MT_OK ||
            gzip_packed_unpack(repacked, plen, again, sizeof again, &ulen) != MT_OK ||
            ulen != len || memcmp(again, out, len) != 0 ||
            gzip_packed_pack(out, len, repacked, plen - 1, &ulen) != MT_E_no_space || ulen != 0)
            abort();
    }
    free(out);
    return 0;
}
