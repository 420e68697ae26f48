/*
 * Server-side transport detection from a connection's first bytes (mtproto-notes §6; the order
 * MTProxy and the obfuscated2 forbidden-prefix rules imply): 0xef is abridged; ee ee ee ee
 * intermediate; dd dd dd dd padded intermediate; an HTTP method (POST, GET , HEAD, OPTI) is HTTP;
 * a plausible full length followed by seq 0 is full; anything else is an obfuscated2 init. An
 * obfuscated2 client never starts with any of these, and its init[4:8] is never 0, so the
 * decision is unambiguous for conforming clients.
 */
#include "common/endian.h"
#include "proto/transport_internal.h"

static bool is_http_method(uint32_t first)
{
    return first == 0x54534f50u    /* "POST" */
           || first == 0x20544547u /* "GET " */
           || first == 0x44414548u /* "HEAD" */
           || first == 0x4954504fu /* "OPTI" */;
}

static bool plausible_full(const uint8_t head[8])
{
    uint32_t len = ld32le(head);
    return len >= 12 && len % 4 == 0 && len - 12 <= MT_TRANSPORT_MAX_FRAME && ld32le(head + 4) == 0;
}

static bool decide(mt_detected *d, mt_transport_kind kind, bool obf, size_t tag_len)
{
    d->kind = kind;
    d->obfuscated = obf;
    d->tag_len = tag_len;
    return true;
}

bool mt_transport_detect(const uint8_t *head, size_t n, mt_detected *d)
{
    if (n < 1)
        return false;
    if (head[0] == 0xEF)
        return decide(d, MT_TRANSPORT_ABRIDGED, false, 1);
    if (n < 4)
        return false;
    uint32_t first = ld32le(head);
    if (first == 0xEEEEEEEEu)
        return decide(d, MT_TRANSPORT_INTERMEDIATE, false, 4);
    if (first == 0xDDDDDDDDu)
        return decide(d, MT_TRANSPORT_PADDED, false, 4);
    if (is_http_method(first))
        return decide(d, MT_TRANSPORT_HTTP, false, 0);
    if (n < 8)
        return false;
    if (plausible_full(head))
        return decide(d, MT_TRANSPORT_FULL, false, 0);
    return decide(d, MT_TRANSPORT_AUTO, true, 0);
}
