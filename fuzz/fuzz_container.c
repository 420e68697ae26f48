/*
 * Target: container_unpack, container_pack, container_size (proto/container.c).
 * Input: [container msg_id:u64 LE][container seqno:u32 LE][container body]. Property: unpacking
 * either fails with a rule of the catalogue or gives messages that repack to exactly the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "proto/container.h"

static mt_msg msgs[CONTAINER_MAX_MESSAGES];
static uint8_t out[1u << 20];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 12 || size - 12 > sizeof out)
        return 0;
    uint64_t id = ld64le(data);
    uint32_t seqno = ld32le(data + 8);
    size_t n = 0;
    int err = container_unpack(data + 12, size - 12, id, seqno, msgs, CONTAINER_MAX_MESSAGES, &n);
    if (err) {
        if (!mt_err_is_rule(err) || n != 0)
            abort();
        return 0;
    }
    mt_wr w = wr_init(out, sizeof out);
    if (container_pack(&w, msgs, n) != MT_OK || wr_len(&w) != size - 12 ||
        container_size(msgs, n) != size - 12 || memcmp(out, data + 12, size - 12) != 0)
        abort();
    return 0;
}
