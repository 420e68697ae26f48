#include "proto/gzip.h"

#include <limits.h>
#include <string.h>
#include <zlib.h>

#include "common/cursor.h"
#include "proto/tl.h"
#include "proto/tl_mtp.h"

/* windowBits + 16: gzip wrapper only (RFC 1952), as gzip_packed carries. */
#define GZIP_WINDOW_BITS (MAX_WBITS + 16)

size_t gzip_limit(size_t packed_len, size_t cap)
{
    size_t limit = cap < GZIP_MAX_UNPACKED ? cap : GZIP_MAX_UNPACKED;
    if (packed_len < limit / GZIP_MAX_RATIO)
        limit = packed_len * GZIP_MAX_RATIO;
    return limit;
}

/* After the output is full: does the stream hold more? Inflates into one spare byte. */
static int more_output(z_stream *z)
{
    uint8_t spare;
    z->next_out = &spare;
    z->avail_out = 1;
    int rc = inflate(z, Z_FINISH);
    if (z->avail_out == 0)
        return MT_E_GZIP_BOMB;
    return rc == Z_STREAM_END ? MT_OK : MT_E_GZIP_INVALID;
}

static int inflate_bounded(z_stream *z, size_t limit)
{
    z->avail_out = (uInt)limit;
    int rc = inflate(z, Z_FINISH);
    if (rc == Z_STREAM_END)
        return MT_OK;
    if (rc == Z_MEM_ERROR)
        return MT_E_no_memory;
    if ((rc == Z_OK || rc == Z_BUF_ERROR) && z->avail_out == 0)
        return more_output(z);
    return MT_E_GZIP_INVALID;
}

int gzip_unpack(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (in_len > UINT_MAX)
        return MT_E_GZIP_INVALID;
    size_t limit = gzip_limit(in_len, cap);
    z_stream z = {0};
    z.next_in = (Bytef *)(uintptr_t)in; /* zlib does not write through next_in */
    z.avail_in = (uInt)in_len;
    z.next_out = out;
    if (inflateInit2(&z, GZIP_WINDOW_BITS) != Z_OK)
        return MT_E_no_memory;
    int err = inflate_bounded(&z, limit);
    /* One stream exactly: bytes after its end are refused. */
    if (!err && z.avail_in != 0)
        err = MT_E_GZIP_INVALID;
    if (!err)
        *out_len = (size_t)z.total_out;
    inflateEnd(&z);
    return err;
}

int gzip_pack(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (in_len > UINT_MAX || cap > UINT_MAX)
        return MT_E_limit_exceeded;
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, GZIP_WINDOW_BITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return MT_E_no_memory;
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)in_len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    int err = rc == Z_STREAM_END ? MT_OK : MT_E_no_space;
    if (!err)
        *out_len = (size_t)z.total_out;
    deflateEnd(&z);
    return err;
}

int gzip_packed_unpack(const uint8_t *body, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    mt_rd r = rd_init(body, len);
    uint32_t id = rd_u32le(&r);
    tl_str data = tl_rd_string(&r, TL_STRICT);
    if (id != MTP_ID_gzip_packed || rd_done(&r) != MT_OK)
        return MT_E_GZIP_INVALID;
    return gzip_unpack(data.p, data.len, out, cap, out_len);
}

int gzip_packed_pack(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    /* The string header is 1 byte below 254 bytes, 4 bytes above, and the packed size is only
     * known afterwards: deflate behind the largest header, then move the data into place. */
    if (cap < 8)
        return MT_E_no_space;
    size_t packed = 0;
    int err = gzip_pack(in, in_len, out + 8, cap - 8, &packed);
    if (err)
        return err;
    size_t need = 4 + tl_string_size(packed);
    if (need > cap)
        return MT_E_no_space;
    size_t hdr = packed <= TL_SHORT_STRING_MAX ? 1 : 4;
    memmove(out + 4 + hdr, out + 8, packed);
    mt_wr w = wr_init(out, 4 + hdr);
    wr_u32le(&w, MTP_ID_gzip_packed);
    if (hdr == 1) {
        wr_u8(&w, (uint8_t)packed);
    } else {
        wr_u8(&w, TL_LONG_STRING_MARK);
        wr_u24le(&w, (uint32_t)packed);
    }
    for (size_t i = 4 + hdr + packed; i < need; i++)
        out[i] = 0;
    *out_len = need;
    return w.err;
}
