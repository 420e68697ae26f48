#include "crypto/pem.h"

#include <stdbool.h>
#include <string.h>

#include "common/ct.h"
#include "common/cursor.h"

static const char PEM_BEGIN[] = "-----BEGIN ";
static const char PEM_END[] = "-----END ";
static const char PEM_DASHES[] = "-----";
#define LIT_LEN(s) (sizeof(s) - 1)

/* ---- base64 without secret-dependent branches or table lookups (private keys pass here) ---- */

/* The value of a base64 character, or -1. Each term is all-ones-masked when ch lies in its
 * range: ((lo - ch) & (ch - hi)) is negative exactly when lo < ch < hi. */
static int b64_val(uint8_t ch)
{
    int c = ch, r = -1;
    r += (((64 - c) & (c - 91)) >> 8) & (c - 64);  /* A-Z -> 0..25 */
    r += (((96 - c) & (c - 123)) >> 8) & (c - 70); /* a-z -> 26..51 */
    r += (((47 - c) & (c - 58)) >> 8) & (c + 5);   /* 0-9 -> 52..61 */
    r += (((42 - c) & (c - 44)) >> 8) & 63;        /* + -> 62 */
    r += (((46 - c) & (c - 48)) >> 8) & 64;        /* / -> 63 */
    return r;
}

/* The base64 character of v in 0..63. */
static char b64_char(unsigned v)
{
    unsigned c = v + 'A';
    c += ((25u - v) >> 8) & 6;  /* 26.. -> 'a'.. */
    c -= ((51u - v) >> 8) & 75; /* 52.. -> '0'.. */
    c -= ((61u - v) >> 8) & 15; /* 62 -> '+' */
    c += ((62u - v) >> 8) & 3;  /* 63 -> '/' */
    return (char)c;
}

typedef struct b64_state {
    mt_wr out;
    uint32_t acc; /* bits of the current quad */
    int count;    /* characters of the current quad, '=' included */
    int pads;     /* '=' seen in the current quad */
    bool ended;   /* a padded quad was completed: nothing may follow */
} b64_state;

/* Completes a quad: 3 bytes, or 2/1 when padded; padding bits must be zero (canonical form). */
static int b64_quad(b64_state *s)
{
    uint8_t b[3] = {(uint8_t)(s->acc >> 16), (uint8_t)(s->acc >> 8), (uint8_t)s->acc};
    size_t n = 3;
    if (s->pads == 1) {
        if (s->acc & 3)
            return MT_E_pem_bad_base64;
        b[0] = (uint8_t)(s->acc >> 10), b[1] = (uint8_t)(s->acc >> 2), n = 2;
    } else if (s->pads == 2) {
        if (s->acc & 15)
            return MT_E_pem_bad_base64;
        b[0] = (uint8_t)(s->acc >> 4), n = 1;
    }
    wr_bytes(&s->out, b, n);
    ct_wipe(b, sizeof b);
    s->ended = s->pads > 0;
    s->acc = 0, s->count = 0, s->pads = 0;
    return s->out.err;
}

static int b64_feed(b64_state *s, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s->ended)
            return MT_E_pem_bad_base64;
        if (p[i] == '=') {
            /* '=' only in the last two places of a quad (RFC 4648 §4). */
            if (s->count < 2)
                return MT_E_pem_bad_base64;
            s->pads++;
        } else {
            int v = b64_val((uint8_t)p[i]);
            if (v < 0 || s->pads)
                return MT_E_pem_bad_base64;
            s->acc = (s->acc << 6) | (uint32_t)v;
        }
        if (++s->count == 4) {
            int err = b64_quad(s);
            if (err)
                return err;
        }
    }
    return 0;
}

/* ---- armor ---- */

typedef struct pem_line {
    size_t start, end; /* content, without the line end and trailing blanks */
    size_t next;       /* start of the next line */
} pem_line;

static pem_line next_line(const char *t, size_t len, size_t i)
{
    pem_line l = {i, i, len};
    const char *nl = memchr(t + i, '\n', len - i);
    if (nl)
        l.next = (size_t)(nl - t) + 1;
    l.end = nl ? (size_t)(nl - t) : len;
    while (l.end > l.start && (t[l.end - 1] == '\r' || t[l.end - 1] == ' ' || t[l.end - 1] == '\t'))
        l.end--;
    return l;
}

static bool starts_with(const char *t, const pem_line *l, const char *lit, size_t n)
{
    return l->end - l->start >= n && memcmp(t + l->start, lit, n) == 0;
}

/* Parses "<prefix>LABEL-----" into label (RFC 7468 §3: printable characters, no leading or
 * trailing blank or hyphen). */
static int parse_label(const char *t, const pem_line *l, size_t prefix, char *label)
{
    size_t s = l->start + prefix, e = l->end;
    if (e - s < LIT_LEN(PEM_DASHES) + 1 || memcmp(t + e - 5, PEM_DASHES, 5) != 0)
        return MT_E_pem_bad_label;
    e -= LIT_LEN(PEM_DASHES);
    if (e - s > PEM_LABEL_MAX || t[s] == ' ' || t[s] == '-' || t[e - 1] == ' ' || t[e - 1] == '-')
        return MT_E_pem_bad_label;
    for (size_t i = s; i < e; i++)
        if (t[i] < 0x20 || t[i] > 0x7e)
            return MT_E_pem_bad_label;
    memcpy(label, t + s, e - s);
    label[e - s] = 0;
    return 0;
}

/* Decodes the body lines up to the END line; *i is left at the END line. */
static int decode_body(const char *t, size_t len, size_t *i, b64_state *s, pem_line *end)
{
    for (;;) {
        if (*i >= len)
            return MT_E_pem_not_pem; /* no END line */
        pem_line l = next_line(t, len, *i);
        if (starts_with(t, &l, PEM_END, LIT_LEN(PEM_END))) {
            *end = l;
            return 0;
        }
        /* RFC 1421 headers ("Proc-Type: 4,ENCRYPTED", "DEK-Info: ...") only come with
         * encrypted keys. */
        if (memchr(t + l.start, ':', l.end - l.start))
            return starts_with(t, &l, "Proc-Type:", 10) ? MT_E_pem_encrypted : MT_E_pem_bad_base64;
        int err = b64_feed(s, t + l.start, l.end - l.start);
        if (err)
            return err;
        *i = l.next;
    }
}

static int decode(const char *t, size_t len, char *label, b64_state *s)
{
    size_t i = 0;
    pem_line l;
    for (;; i = l.next) {
        if (i >= len)
            return MT_E_pem_not_pem;
        l = next_line(t, len, i);
        if (starts_with(t, &l, PEM_BEGIN, LIT_LEN(PEM_BEGIN)))
            break;
    }
    int err = parse_label(t, &l, LIT_LEN(PEM_BEGIN), label);
    if (err)
        return err;
    if (strcmp(label, "ENCRYPTED PRIVATE KEY") == 0)
        return MT_E_pem_encrypted; /* PKCS#8 EncryptedPrivateKeyInfo (RFC 7468 §11) */
    i = l.next;
    err = decode_body(t, len, &i, s, &l);
    if (err)
        return err;
    char end_label[PEM_LABEL_MAX + 1];
    if (parse_label(t, &l, LIT_LEN(PEM_END), end_label) || strcmp(label, end_label) != 0)
        return MT_E_pem_bad_label;
    for (i = l.next; i < len; i++)
        if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r' && t[i] != '\n')
            return MT_E_trailing_data;
    if (s->count != 0)
        return MT_E_pem_bad_base64; /* length not a multiple of 4 */
    return 0;
}

int pem_decode(const char *text, size_t len, char label[PEM_LABEL_MAX + 1], uint8_t *der,
               size_t cap, size_t *der_len)
{
    *der_len = 0;
    label[0] = 0;
    if (len > PEM_MAX_TEXT)
        return MT_E_limit_exceeded;
    b64_state s = {wr_init(der, cap), 0, 0, 0, false};
    int err = decode(text, len, label, &s);
    if (!err)
        *der_len = wr_len(&s.out);
    else
        ct_wipe(der, wr_len(&s.out));
    ct_wipe(&s, sizeof s);
    return err;
}

size_t pem_encoded_len(size_t label_len, size_t n)
{
    size_t b = 4 * ((n + 2) / 3);
    size_t lines = (b + PEM_LINE_LEN - 1) / PEM_LINE_LEN;
    return LIT_LEN(PEM_BEGIN) + LIT_LEN(PEM_END) + 2 * (label_len + LIT_LEN(PEM_DASHES) + 1) + b +
           lines;
}

static void encode_body(mt_wr *w, const uint8_t *der, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i += 3) {
        size_t k = n - i < 3 ? n - i : 3;
        uint32_t v = (uint32_t)der[i] << 16;
        v |= k > 1 ? (uint32_t)der[i + 1] << 8 : 0;
        v |= k > 2 ? der[i + 2] : 0;
        char q[4] = {b64_char(v >> 18), b64_char((v >> 12) & 63),
                     k > 1 ? b64_char((v >> 6) & 63) : '=', k > 2 ? b64_char(v & 63) : '='};
        wr_bytes(w, q, 4);
        ct_wipe(q, sizeof q);
        col += 4;
        if (col == PEM_LINE_LEN || i + 3 >= n) {
            wr_u8(w, '\n');
            col = 0;
        }
    }
}

int pem_encode(const char *label, const uint8_t *der, size_t n, char *out, size_t cap,
               size_t *out_len)
{
    *out_len = 0;
    size_t ll = strlen(label);
    if (ll == 0 || ll > PEM_LABEL_MAX)
        return MT_E_bad_argument;
    if (cap < pem_encoded_len(ll, n) + 1)
        return MT_E_no_space;
    mt_wr w = wr_init((uint8_t *)out, cap);
    wr_bytes(&w, PEM_BEGIN, LIT_LEN(PEM_BEGIN));
    wr_bytes(&w, label, ll);
    wr_bytes(&w, "-----\n", 6);
    encode_body(&w, der, n);
    wr_bytes(&w, PEM_END, LIT_LEN(PEM_END));
    wr_bytes(&w, label, ll);
    wr_bytes(&w, "-----\n", 6);
    wr_u8(&w, 0);
    if (w.err)
        return w.err;
    *out_len = wr_len(&w) - 1;
    return 0;
}
