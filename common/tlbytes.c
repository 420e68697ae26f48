#include "common/tlbytes.h"

size_t tl_bytes_size(size_t n)
{
    size_t head = n <= TL_BYTES_SHORT_MAX ? 1 : 4;
    return (head + n + 3) & ~(size_t)3;
}

void wr_tl_bytes(mt_wr *w, const uint8_t *p, size_t n)
{
    if (n > TL_BYTES_MAX) {
        if (!w->err)
            w->err = MT_E_limit_exceeded;
        return;
    }
    if (n <= TL_BYTES_SHORT_MAX) {
        wr_u8(w, (uint8_t)n);
    } else {
        wr_u8(w, 254);
        wr_u24le(w, (uint32_t)n);
    }
    wr_bytes(w, p, n);
    wr_zeros(w, tl_bytes_size(n) - (n <= TL_BYTES_SHORT_MAX ? 1 : 4) - n);
}
