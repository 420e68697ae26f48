/*
 * Target: mt_transport_detect and the AUTO server engine (proto/transport_detect.c,
 * proto/transport.c) over a connection's first bytes and what follows. Input: byte 0 picks the
 * chunking; the rest is what a client sent. Properties: the engine's decision equals
 * mt_transport_detect on the same prefix, and events, final error and kind do not depend on the
 * split of the input.
 */
#include "fuzz/transport_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t first = (uint8_t)(data[0] & ~1u); /* server role */
    uint8_t *copy = malloc(size);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    copy[0] = first;
    fz_check(FZ_AUTO, MT_TRANSPORT_AUTO, copy, size);
    mt_detected d;
    fz_summary s = fz_run(FZ_AUTO, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, copy + 1, size - 1, 0, 0);
    if (mt_transport_detect(copy + 1, size - 1, &d) && !d.obfuscated && d.kind != s.kind)
        abort();
    if (size - 1 < 8 && s.kind != MT_TRANSPORT_AUTO && !mt_transport_detect(copy + 1, size - 1, &d))
        abort();
    free(copy);
    return 0;
}
