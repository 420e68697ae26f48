#include "proto/tl.h"

#include <string.h>

#include "common/endian.h"

int32_t tl_rd_int(mt_rd *r)
{
    return (int32_t)rd_u32le(r);
}

int64_t tl_rd_long(mt_rd *r)
{
    return (int64_t)rd_u64le(r);
}

double tl_rd_double(mt_rd *r)
{
    uint64_t bits = rd_u64le(r);
    double d;
    _Static_assert(sizeof d == sizeof bits, "IEEE-754 binary64 double");
    memcpy(&d, &bits, sizeof d);
    return d;
}

void tl_rd_int128(mt_rd *r, uint8_t out[16])
{
    rd_copy(r, out, 16);
}

void tl_rd_int256(mt_rd *r, uint8_t out[32])
{
    rd_copy(r, out, 32);
}

/* Padding that brings a header + data of `used` bytes to a multiple of 4. */
static size_t pad4(size_t used)
{
    return (4 - (used & 3)) & 3;
}

tl_str tl_rd_string(mt_rd *r, unsigned flags)
{
    tl_str s = {NULL, 0};
    size_t header = 1;
    size_t len = rd_u8(r);
    if (len == TL_LONG_STRING_MARK) {
        header = 4;
        len = rd_u24le(r);
        /* "If L <= 253, the serialization contains one byte with the value of L" */
        if (!r->err && len <= TL_SHORT_STRING_MAX && !(flags & TL_LENIENT))
            rd_fail(r, MT_E_tl_noncanonical_length);
    } else if (len > TL_LONG_STRING_MARK) {
        rd_fail(r, MT_E_tl_bad_string);
    }
    const uint8_t *data = rd_bytes(r, len);
    size_t npad = pad4(header + len);
    const uint8_t *pad = rd_bytes(r, npad);
    if (r->err)
        return s;
    for (size_t i = 0; i < npad && !(flags & TL_LENIENT); i++) {
        if (pad[i]) {
            rd_fail(r, MT_E_tl_nonzero_padding);
            return s;
        }
    }
    s.p = data;
    s.len = len;
    return s;
}

bool tl_rd_bool(mt_rd *r)
{
    uint32_t id = rd_u32le(r);
    if (r->err)
        return false;
    if (id == TL_ID_BOOL_TRUE)
        return true;
    if (id != TL_ID_BOOL_FALSE)
        rd_fail(r, MT_E_tl_bad_bool);
    return false;
}

uint32_t tl_rd_vector(mt_rd *r, bool boxed, uint32_t max, size_t min_elem_size)
{
    if (boxed && rd_u32le(r) != TL_ID_VECTOR && !r->err)
        rd_fail(r, MT_E_tl_bad_vector);
    uint32_t n = rd_u32le(r);
    if (r->err)
        return 0;
    if (n > max) {
        rd_fail(r, MT_E_limit_exceeded);
        return 0;
    }
    if (min_elem_size && rd_left(r) / min_elem_size < n) {
        rd_fail(r, MT_E_truncated);
        return 0;
    }
    return n;
}

void tl_wr_int(mt_wr *w, int32_t v)
{
    wr_u32le(w, (uint32_t)v);
}

void tl_wr_long(mt_wr *w, int64_t v)
{
    wr_u64le(w, (uint64_t)v);
}

void tl_wr_double(mt_wr *w, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    wr_u64le(w, bits);
}

void tl_wr_int128(mt_wr *w, const uint8_t v[16])
{
    wr_bytes(w, v, 16);
}

void tl_wr_int256(mt_wr *w, const uint8_t v[32])
{
    wr_bytes(w, v, 32);
}

static void wr_string_form(mt_wr *w, const uint8_t *p, size_t len, bool long_form)
{
    if (len > TL_STRING_MAX) {
        if (!w->err)
            w->err = MT_E_limit_exceeded;
        return;
    }
    size_t header = long_form ? 4 : 1;
    if (long_form) {
        wr_u8(w, TL_LONG_STRING_MARK);
        wr_u24le(w, (uint32_t)len);
    } else {
        wr_u8(w, (uint8_t)len);
    }
    wr_bytes(w, p, len);
    wr_zeros(w, pad4(header + len));
}

void tl_wr_string(mt_wr *w, const uint8_t *p, size_t len)
{
    wr_string_form(w, p, len, len > TL_SHORT_STRING_MAX);
}

void tl_wr_string_long_form(mt_wr *w, const uint8_t *p, size_t len)
{
    wr_string_form(w, p, len, true);
}

void tl_wr_bool(mt_wr *w, bool v)
{
    wr_u32le(w, v ? TL_ID_BOOL_TRUE : TL_ID_BOOL_FALSE);
}

void tl_wr_vector(mt_wr *w, bool boxed, uint32_t count)
{
    if (boxed)
        wr_u32le(w, TL_ID_VECTOR);
    wr_u32le(w, count);
}

size_t tl_string_size(size_t len)
{
    size_t header = len > TL_SHORT_STRING_MAX ? 4 : 1;
    return header + len + pad4(header + len);
}
