/* The body of the TL codec round-trip targets (fuzz_tl_decode.c over mtp_schema, fuzz_tl_secret.c
 * over e2e_schema): one schema each, the same property. Any input either fails to decode with an
 * error, or decodes (strictly) into a fixed arena and then re-encodes to exactly the same bytes
 * and prints to text and JSON; anything else aborts. */
#ifndef MTPROOF_FUZZ_TL_ROUNDTRIP_H
#define MTPROOF_FUZZ_TL_ROUNDTRIP_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/tl_obj.h"

static void fuzz_tl_roundtrip(const tl_schema *schema, const uint8_t *data, size_t size)
{
    /* Fixed sizes: the arena bounds what decoding may allocate, whatever the input. */
    static uint8_t arena_mem[1u << 18];
    static uint8_t out[1u << 20];
    static char text[1u << 22];
    if (size > sizeof out)
        return;
    tl_arena a;
    tl_arena_init(&a, arena_mem, sizeof arena_mem);
    tl_obj o;
    if (tl_decode(schema, data, size, &a, TL_STRICT, &o) != MT_OK)
        return;
    mt_wr w = wr_init(out, sizeof out);
    if (tl_encode(&w, &o) != MT_OK || wr_len(&w) != size || memcmp(out, data, size) != 0)
        abort();
    /* Printing may run out of room on huge inputs; it must never overrun or fail otherwise. */
    int e1 = tl_print_text(&o, text, sizeof text, NULL);
    int e2 = tl_print_json(&o, text, sizeof text, NULL);
    if ((e1 && e1 != MT_E_no_space) || (e2 && e2 != MT_E_no_space))
        abort();
}

#endif
