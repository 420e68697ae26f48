/* JSON <-> TL bytes with heap buffers that grow as needed (harness/tl_json.h). */
#include <stdlib.h>

#include "harness/tl_json.h"

/* First arena size for converting JSON (grown by doubling up to TL_JSON_MAX_OUT). */
#define TL_JSON_ARENA_START ((size_t)64 << 10)

int tl_json_encode(const tl_schema *s, const json_t *v, uint8_t **out, size_t *len, char *why,
                   size_t why_len)
{
    *out = NULL;
    *len = 0;
    int err = MT_E_limit_exceeded, full = 1;
    uint8_t *mem = NULL;
    tl_obj o;
    for (size_t cap = TL_JSON_ARENA_START; full && cap <= TL_JSON_MAX_OUT; cap *= 2) {
        free(mem);
        mem = malloc(cap);
        if (!mem)
            return MT_E_no_memory;
        tl_arena a;
        tl_arena_init(&a, mem, cap);
        err = tl_json_to_obj(s, v, &a, &o, &full, why, why_len);
    }
    for (size_t cap = 4096; !err && cap <= TL_JSON_MAX_OUT; cap *= 2) {
        uint8_t *buf = malloc(cap);
        if (!buf) {
            err = MT_E_no_memory;
            break;
        }
        mt_wr w = wr_init(buf, cap);
        err = tl_encode(&w, &o);
        if (!err) {
            *out = buf;
            *len = wr_len(&w);
            break;
        }
        free(buf);
        if (err == MT_E_no_space)
            err = cap * 2 <= TL_JSON_MAX_OUT ? MT_OK : MT_E_limit_exceeded;
    }
    free(mem);
    return err;
}

/* tl_print_json into a growing buffer, then parsed. */
static int print_json(const tl_obj *o, json_t **out)
{
    for (size_t cap = 4096; cap <= TL_JSON_MAX_OUT; cap *= 2) {
        char *text = malloc(cap);
        if (!text)
            return MT_E_no_memory;
        size_t n = 0;
        int err = tl_print_json(o, text, cap, &n);
        if (!err) {
            json_error_t jerr;
            *out = json_loadb(text, n, JSON_REJECT_DUPLICATES, &jerr);
            free(text);
            return *out ? MT_OK : MT_E_bad_json;
        }
        free(text);
        if (err != MT_E_no_space)
            return err;
    }
    return MT_E_limit_exceeded;
}

int tl_json_decode(const tl_schema *s, const uint8_t *data, size_t len, json_t **out)
{
    *out = NULL;
    if (len > TL_JSON_MAX_OUT)
        return MT_E_limit_exceeded;
    /* Decoded structs outweigh the input (a 4-byte id becomes a 40-byte tl_obj plus its struct):
     * a first arena of 32x the input, and one retry at 4x that when it was not enough. A vector
     * over its limit fails the same way twice, at a bounded cost. */
    size_t cap = 32 * len + ((size_t)64 << 10);
    int err = MT_E_limit_exceeded;
    for (int attempt = 0; attempt < 2 && err == MT_E_limit_exceeded; attempt++, cap *= 4) {
        void *mem = malloc(cap);
        if (!mem)
            return MT_E_no_memory;
        tl_arena a;
        tl_arena_init(&a, mem, cap);
        tl_obj o;
        err = tl_decode(s, data, len, &a, TL_STRICT, &o);
        if (!err)
            err = print_json(&o, out);
        free(mem);
    }
    return err;
}
