#include "crypto/der.h"

#include <string.h>

/* Longest length field we reserve and accept: 0x82 + two bytes covers DER_MAX_LEN. */
#define DER_LEN_RESERVE 3

_Static_assert(DER_MAX_LEN == 0xffff, "the two-byte long form covers DER_MAX_LEN");

der_rd der_reader(const uint8_t *p, size_t n, der_status *st)
{
    st->base = p;
    st->off = 0;
    st->err = 0;
    der_rd d = {rd_init(p, n), st};
    return d;
}

/* Records the first error at `at` and empties the reader so nothing more can be read. */
void der_fail_at(der_rd *d, const uint8_t *at, int err)
{
    if (!d->st->err) {
        d->st->err = err;
        d->st->off = (size_t)(at - d->st->base);
    }
    rd_fail(&d->r, err);
}

void der_fail(der_rd *d, int err)
{
    der_fail_at(d, d->r.p, err);
}

/* A reader that is already failed (returned when the parent has failed). */
static der_rd failed_child(der_rd *d)
{
    der_rd c = {d->r, d->st};
    rd_fail(&c.r, d->st->err ? d->st->err : MT_E_truncated);
    return c;
}

/* Reads a tag and a definite, minimal length; returns the content length (0 on error). */
static size_t read_header(der_rd *d, uint8_t tag)
{
    const uint8_t *start = d->r.p;
    if (d->st->err || d->r.err || rd_left(&d->r) < 2) {
        der_fail_at(d, start, d->st->err ? d->st->err : MT_E_truncated);
        return 0;
    }
    if (rd_u8(&d->r) != tag) {
        der_fail_at(d, start, MT_E_der_bad_tag);
        return 0;
    }
    uint8_t l = rd_u8(&d->r);
    size_t len = l;
    if (l >= 0x80) {
        /* 0x80 is the indefinite form (BER only); more than two length bytes exceeds
         * DER_MAX_LEN. The long form must be needed: a first byte of 0, or a value below 0x80,
         * is a non-minimal encoding (X.690 §10.1). */
        size_t k = l & 0x7f;
        if (k == 0 || k > 2 || rd_left(&d->r) < k) {
            der_fail_at(d, start, MT_E_der_bad_length);
            return 0;
        }
        len = 0;
        for (size_t i = 0; i < k; i++)
            len = (len << 8) | rd_u8(&d->r);
        if (len < 0x80 || len >> (8 * (k - 1)) == 0) {
            der_fail_at(d, start, MT_E_der_bad_length);
            return 0;
        }
    }
    if (len > rd_left(&d->r)) {
        der_fail_at(d, start, MT_E_der_bad_length);
        return 0;
    }
    return len;
}

der_rd der_enter(der_rd *d, uint8_t tag)
{
    size_t len = read_header(d, tag);
    if (d->st->err)
        return failed_child(d);
    der_rd c = {rd_sub(&d->r, len), d->st};
    return c;
}

const uint8_t *der_uint(der_rd *d, size_t *len)
{
    *len = 0;
    const uint8_t *start = d->r.p;
    der_rd c = der_enter(d, DER_TAG_INTEGER);
    size_t n = rd_left(&c.r);
    const uint8_t *p = n ? rd_bytes(&c.r, n) : NULL;
    if (d->st->err)
        return NULL;
    /* X.690 §8.3.2: the first nine bits must not be all ones or all zeros; §8.3.3: two's
     * complement, so a set top bit is a negative number. */
    if (n == 0 || (p[0] & 0x80) || (n > 1 && p[0] == 0 && !(p[1] & 0x80))) {
        der_fail_at(d, start, MT_E_der_bad_integer);
        return NULL;
    }
    if (p[0] == 0) {
        p++;
        n--;
    }
    *len = n;
    return p;
}

uint32_t der_small_uint(der_rd *d)
{
    const uint8_t *start = d->r.p;
    size_t n;
    const uint8_t *p = der_uint(d, &n);
    if (d->st->err)
        return 0;
    if (n > 4) {
        der_fail_at(d, start, MT_E_der_bad_value);
        return 0;
    }
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

void der_null(der_rd *d)
{
    const uint8_t *start = d->r.p;
    size_t len = read_header(d, DER_TAG_NULL);
    if (!d->st->err && len != 0)
        der_fail_at(d, start, MT_E_der_bad_value); /* X.690 §8.8.2: no contents octets */
}

bool der_oid_is(der_rd *d, const uint8_t *oid, size_t n)
{
    der_rd c = der_enter(d, DER_TAG_OID);
    size_t len = rd_left(&c.r);
    const uint8_t *p = len ? rd_bytes(&c.r, len) : NULL;
    if (d->st->err)
        return false;
    if (len == 0) {
        der_fail(d, MT_E_der_bad_value);
        return false;
    }
    return len == n && memcmp(p, oid, n) == 0;
}

der_rd der_bit_string(der_rd *d)
{
    const uint8_t *start = d->r.p;
    der_rd c = der_enter(d, DER_TAG_BIT_STRING);
    if (d->st->err)
        return c;
    /* The first contents byte counts the unused bits of the last byte; keys use whole bytes. */
    if (rd_left(&c.r) == 0 || rd_u8(&c.r) != 0) {
        der_fail_at(d, start, MT_E_der_bad_value);
        return failed_child(d);
    }
    return c;
}

bool der_peek(const der_rd *d, uint8_t tag)
{
    return !d->st->err && rd_left(&d->r) > 0 && d->r.p[0] == tag;
}

int der_done(der_rd *d)
{
    if (d->st->err)
        return d->st->err;
    if (d->r.err)
        der_fail_at(d, d->r.p, d->r.err);
    else if (rd_left(&d->r) > 0)
        der_fail_at(d, d->r.p, MT_E_trailing_data);
    return d->st->err;
}

void der_end(der_rd *d)
{
    if (der_done(d))
        return; /* recorded in the shared status */
}

/* ---- writer ---- */

size_t der_wr_begin(mt_wr *w, uint8_t tag)
{
    wr_u8(w, tag);
    size_t mark = wr_len(w);
    (void)wr_reserve(w, DER_LEN_RESERVE);
    return mark;
}

void der_wr_end(mt_wr *w, size_t mark)
{
    if (w->err)
        return;
    size_t body = wr_len(w) - mark - DER_LEN_RESERVE;
    if (body > DER_MAX_LEN) {
        w->err = MT_E_limit_exceeded;
        return;
    }
    uint8_t hdr[DER_LEN_RESERVE];
    size_t h;
    if (body < 0x80) {
        hdr[0] = (uint8_t)body;
        h = 1;
    } else if (body < 0x100) {
        hdr[0] = 0x81;
        hdr[1] = (uint8_t)body;
        h = 2;
    } else {
        hdr[0] = 0x82;
        hdr[1] = (uint8_t)(body >> 8);
        hdr[2] = (uint8_t)body;
        h = 3;
    }
    uint8_t *len_at = w->start + mark;
    memmove(len_at + h, len_at + DER_LEN_RESERVE, body);
    memcpy(len_at, hdr, h);
    w->p -= DER_LEN_RESERVE - h;
}

void der_wr_uint(mt_wr *w, const uint8_t *be, size_t n)
{
    while (n > 0 && be[0] == 0) {
        be++;
        n--;
    }
    size_t mark = der_wr_begin(w, DER_TAG_INTEGER);
    /* A sign byte when the top bit is set (the value would read as negative), and a single
     * zero byte for the value zero. */
    if (n == 0 || (be[0] & 0x80))
        wr_u8(w, 0);
    wr_bytes(w, be, n);
    der_wr_end(w, mark);
}

void der_wr_small_uint(mt_wr *w, uint32_t v)
{
    uint8_t be[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    der_wr_uint(w, be, sizeof be);
}

void der_wr_null(mt_wr *w)
{
    wr_u8(w, DER_TAG_NULL);
    wr_u8(w, 0);
}

void der_wr_oid(mt_wr *w, const uint8_t *oid, size_t n)
{
    size_t mark = der_wr_begin(w, DER_TAG_OID);
    wr_bytes(w, oid, n);
    der_wr_end(w, mark);
}
