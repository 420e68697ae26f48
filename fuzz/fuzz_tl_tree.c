/*
 * Target: tl_tree_print (harness/tl_tree.c), the offset-annotated walker of `mtproof decode`,
 * against tl_decode (proto/tl_obj.c) over the mtproto schema. Property: both give the same
 * verdict (success, or the same error) on any input, and the walker's stop offset lies within the
 * input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness/tl_tree.h"
#include "proto/tl_mtp.h"

static uint8_t arena_mem[1u << 22];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > ((size_t)1 << 16))
        return 0;
    tl_arena a;
    tl_arena_init(&a, arena_mem, sizeof arena_mem);
    tl_obj o;
    int want = tl_decode(&mtp_schema, data, size, &a, TL_STRICT, &o);
    size_t at = 0;
    int got = tl_tree_print(&mtp_schema, data, data, size, NULL, 0, &at);
    if (got != want || at > size)
        abort();
    return 0;
}
