/*
 * Target: tl_decode, tl_encode, tl_print_text, tl_print_json (proto/tl_obj.c, proto/tl_enc.c,
 * proto/tl_print.c) over the generated e2e_schema (proto/schema/secret_api.tl), and the primitives
 * of proto/tl.c beneath them.
 * Property: any input either fails to decode with an error, or decodes (strictly) into a fixed
 * arena and then re-encodes to exactly the same bytes and prints to text and JSON.
 */
#include "fuzz_tl_roundtrip.h"
#include "proto/tl_e2e.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_tl_roundtrip(&e2e_schema, data, size);
    return 0;
}
