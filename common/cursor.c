#include "common/cursor.h"

#include <string.h>

#include "common/endian.h"

void rd_fail(mt_rd *r, int err)
{
    if (!r->err)
        r->err = err ? err : MT_E_truncated;
    r->p = r->end;
}

const uint8_t *rd_bytes(mt_rd *r, size_t n)
{
    if (r->err || (size_t)(r->end - r->p) < n) {
        rd_fail(r, MT_E_truncated);
        return NULL;
    }
    const uint8_t *q = r->p;
    r->p += n;
    return q;
}

void rd_copy(mt_rd *r, void *out, size_t n)
{
    const uint8_t *q = rd_bytes(r, n);
    if (q)
        memcpy(out, q, n);
    else if (n)
        memset(out, 0, n);
}

void rd_skip(mt_rd *r, size_t n)
{
    (void)rd_bytes(r, n);
}

uint8_t rd_u8(mt_rd *r)
{
    const uint8_t *q = rd_bytes(r, 1);
    return q ? q[0] : 0;
}

uint16_t rd_u16le(mt_rd *r)
{
    const uint8_t *q = rd_bytes(r, 2);
    return q ? ld16le(q) : 0;
}

uint32_t rd_u24le(mt_rd *r)
{
    const uint8_t *q = rd_bytes(r, 3);
    return q ? ld24le(q) : 0;
}

uint32_t rd_u32le(mt_rd *r)
{
    const uint8_t *q = rd_bytes(r, 4);
    return q ? ld32le(q) : 0;
}

uint64_t rd_u64le(mt_rd *r)
{
    const uint8_t *q = rd_bytes(r, 8);
    return q ? ld64le(q) : 0;
}

uint16_t rd_u16be(mt_rd *r)
{
    const uint8_t *q = rd_bytes(r, 2);
    return q ? ld16be(q) : 0;
}

uint32_t rd_u32be(mt_rd *r)
{
    const uint8_t *q = rd_bytes(r, 4);
    return q ? ld32be(q) : 0;
}

uint64_t rd_u64be(mt_rd *r)
{
    const uint8_t *q = rd_bytes(r, 8);
    return q ? ld64be(q) : 0;
}

mt_rd rd_sub(mt_rd *r, size_t n)
{
    const uint8_t *q = rd_bytes(r, n);
    mt_rd c = {q, q ? q + n : NULL, q ? 0 : r->err};
    return c;
}

int rd_done(const mt_rd *r)
{
    if (r->err)
        return r->err;
    return r->p == r->end ? MT_OK : MT_E_trailing_data;
}

uint8_t *wr_reserve(mt_wr *w, size_t n)
{
    if (w->err || (size_t)(w->end - w->p) < n) {
        if (!w->err)
            w->err = MT_E_no_space;
        return NULL;
    }
    uint8_t *q = w->p;
    w->p += n;
    return q;
}

void wr_bytes(mt_wr *w, const void *data, size_t n)
{
    uint8_t *q = wr_reserve(w, n);
    if (q && n)
        memcpy(q, data, n);
}

void wr_zeros(mt_wr *w, size_t n)
{
    uint8_t *q = wr_reserve(w, n);
    if (q && n)
        memset(q, 0, n);
}

void wr_u8(mt_wr *w, uint8_t v)
{
    uint8_t *q = wr_reserve(w, 1);
    if (q)
        q[0] = v;
}

#define WR_INT(name, type, size, store)                                                            \
    void name(mt_wr *w, type v)                                                                    \
    {                                                                                              \
        uint8_t *q = wr_reserve(w, size);                                                          \
        if (q)                                                                                     \
            store(q, v);                                                                           \
    }
WR_INT(wr_u16le, uint16_t, 2, st16le)
WR_INT(wr_u24le, uint32_t, 3, st24le)
WR_INT(wr_u32le, uint32_t, 4, st32le)
WR_INT(wr_u64le, uint64_t, 8, st64le)
WR_INT(wr_u16be, uint16_t, 2, st16be)
WR_INT(wr_u32be, uint32_t, 4, st32be)
WR_INT(wr_u64be, uint64_t, 8, st64be)
#undef WR_INT
