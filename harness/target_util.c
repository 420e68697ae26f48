/* Helpers shared by the targets and the runner (harness/target.h). */
#include "common/endian.h"
#include "harness/target.h"
#include "proto/message.h"

size_t mt_padded_trim(const mt_transport *t, const uint8_t *p, size_t n)
{
    if (t->kind != MT_TRANSPORT_PADDED)
        return n;
    if (n >= MT_PLAIN_HEADER_LEN && ld64le(p) == 0) {
        size_t len = ld32le(p + 16);
        return len <= n - MT_PLAIN_HEADER_LEN ? MT_PLAIN_HEADER_LEN + len : n;
    }
    if (n < MT_MSG_OUTER_LEN)
        return n;
    return MT_MSG_OUTER_LEN + (n - MT_MSG_OUTER_LEN) / 16 * 16;
}
