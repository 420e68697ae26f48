/*
 * Target: tl_decode, tl_encode, tl_print_text, tl_print_json (proto/tl_obj.c, proto/tl_enc.c,
 * proto/tl_print.c) over the generated mtp_schema (proto/schema/mtproto_schema.tl), and the
 * primitives of proto/tl.c beneath them. Property: any input either fails to decode with an error,
 * or decodes (strictly) into a fixed arena and then re-encodes to exactly the same bytes and prints
 * to text and JSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/tl_mtp.h"

/* Fixed sizes: the arena bounds what decoding may allocate, whatever the input. */
static uint8_t arena_mem[1u << 18];
static uint8_t out[1u << 20];
static char text[1u << 22];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > sizeof out)
        return 0;
    tl_arena a;
    tl_arena_init(&a, arena_mem, sizeof arena_mem);
    tl_obj o;
    if (tl_decode(&mtp_schema, data, size, &a, TL_STRICT, &o) != MT_OK)
        return 0;
    mt_wr w = wr_init(out, sizeof out);
    if (tl_encode(&w, &o) != MT_OK || wr_len(&w) != size || memcmp(out, data, size) != 0)
        abort();
    /* Printing may run out of room on huge inputs; it must never overrun or fail otherwise. */
    int e1 = tl_print_text(&o, text, sizeof text, NULL);
    int e2 = tl_print_json(&o, text, sizeof text, NULL);
    if ((e1 && e1 != MT_E_no_space) || (e2 && e2 != MT_E_no_space))
        abort();
    return 0;
}
