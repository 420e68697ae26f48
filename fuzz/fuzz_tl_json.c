/*
 * Target: tl_json_to_obj / tl_json_encode / tl_json_decode (harness/tl_json.c, tl_json_io.c), and
 * beneath them tl_encode, tl_decode and tl_print_json, over both schemas. Input: arbitrary JSON
 * text. Property: whenever the JSON converts and encodes, the bytes decode again and print back to
 * equal JSON (the JSON form is exactly the printer's); nothing crashes or leaks either way.
 */
#include <stdint.h>
#include <stdlib.h>

#include "harness/tl_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > ((size_t)1 << 20))
        return 0;
    json_error_t jerr;
    json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!in)
        return 0;
    const char *schemas[] = {"mtproto", "secret"};
    for (size_t i = 0; i < 2; i++) {
        const tl_schema *s = tl_json_schema(schemas[i]);
        uint8_t *bytes = NULL;
        size_t len = 0;
        char why[TL_JSON_WHY];
        if (tl_json_encode(s, in, &bytes, &len, why, sizeof why) != MT_OK)
            continue;
        json_t *back = NULL;
        int err = tl_json_decode(s, bytes, len, &back);
        if (err != MT_OK || !json_equal(in, back))
            abort();
        json_decref(back);
        free(bytes);
    }
    json_decref(in);
    return 0;
}
