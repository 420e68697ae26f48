/*
 * Target: vec_judge_line (harness/vectors.c, the judging half of `mtproof vectors` and
 * harness/cmd_vectors.c): a third-party shim's response line is untrusted text.
 * Input: a vector test object (JSON) on the first line, the shim's response on the rest.
 * Property: never crashes or leaks; the verdict is one of pass/fail/skip, a failure always says
 * why, and a response that is not a JSON object never passes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/vectors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl || size > (1 << 20))
        return 0;
    json_error_t e;
    json_t *test = json_loadb((const char *)data, (size_t)(nl - data), JSON_REJECT_DUPLICATES, &e);
    if (!test)
        return 0;
    const char *resp = (const char *)nl + 1;
    size_t len = size - (size_t)(nl - data) - 1;
    char why[512] = "";
    int v = vec_judge_line(1, test, resp, len, why, sizeof why);
    if (v != VEC_PASS && v != VEC_FAIL && v != VEC_SKIP)
        abort();
    if (v == VEC_FAIL && why[0] == '\0')
        abort();
    json_t *parsed = json_loadb(resp, len, JSON_DECODE_ANY, &e);
    if (v == VEC_PASS && !json_is_object(parsed))
        abort();
    json_decref(parsed);
    json_decref(test);
    return 0;
}
