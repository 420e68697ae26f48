/*
 * Target: shim_handle_line (harness/shim.c) — JSON parsing, field checks, dispatch to every op
 * (harness/shim_ops*.c: shim_ops_sym.c, shim_ops_bn.c, shim_ops_rsa.c, shim_ops_framing.c,
 * shim_ops_transport.c, shim_ops_tl.c, shim_ops_bind.c, shim_ops_handshake.c,
 * shim_ops_handshake_server.c), field helpers (harness/shim_call.c) — and linebuf_next's splitting
 * as shim_serve uses it, by cutting the input at newlines first. Property: every non-blank line
 * gets exactly one response, which is a single-line JSON object with a boolean "ok", and "error"
 * naming a known error when ok is false.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/err.h"
#include "harness/shim.h"

/* Keeps runs fast: the limits themselves are tested by tests/test_shim.c. */
#define FUZZ_SHIM_MAX_INPUT (1 << 16)

static void check_response(const char *resp)
{
    if (!resp || strchr(resp, '\n'))
        abort();
    json_t *r = json_loads(resp, JSON_REJECT_DUPLICATES, NULL);
    json_t *ok = json_object_get(r, "ok");
    if (!json_is_boolean(ok))
        abort();
    if (json_is_false(ok)) {
        const char *name = json_string_value(json_object_get(r, "error"));
        if (!name || mt_err_from_name(name) < 0)
            abort();
    }
    json_decref(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_SHIM_MAX_INPUT)
        return 0;
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (!shim_line_is_blank(p, len)) {
            char *resp = NULL;
            (void)shim_handle_line(p, len, &resp);
            check_response(resp);
            free(resp);
        }
        p += len + (nl != NULL);
    }
    return 0;
}
