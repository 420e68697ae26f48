#include "crypto/md_buffer.h"

#include <string.h>

#include "common/endian.h"

void md_update(const md_state *s, const uint8_t *p, size_t n)
{
    if (n == 0)
        return;
    *s->total += n;
    if (*s->buf_len) {
        size_t take = MD_BLOCK_LEN - *s->buf_len;
        if (take > n)
            take = n;
        memcpy(s->buf + *s->buf_len, p, take);
        *s->buf_len += take;
        p += take;
        n -= take;
        if (*s->buf_len < MD_BLOCK_LEN)
            return;
        s->blocks(s->h, s->buf, 1);
        *s->buf_len = 0;
    }
    size_t whole = n / MD_BLOCK_LEN;
    if (whole) {
        s->blocks(s->h, p, whole);
        p += whole * MD_BLOCK_LEN;
        n -= whole * MD_BLOCK_LEN;
    }
    if (n) {
        memcpy(s->buf, p, n);
        *s->buf_len = n;
    }
}

void md_pad(const md_state *s)
{
    /* FIPS 180-4 §5.1.1: append 1 bit, zeros to 448 mod 512, then the 64-bit big-endian bit
     * length. */
    uint64_t bits = *s->total << 3;
    size_t len = *s->buf_len;
    s->buf[len++] = 0x80;
    if (len > MD_BLOCK_LEN - 8) {
        memset(s->buf + len, 0, MD_BLOCK_LEN - len);
        s->blocks(s->h, s->buf, 1);
        len = 0;
    }
    memset(s->buf + len, 0, MD_BLOCK_LEN - 8 - len);
    st64be(s->buf + MD_BLOCK_LEN - 8, bits);
    s->blocks(s->h, s->buf, 1);
    *s->buf_len = 0;
}
