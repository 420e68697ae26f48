/*
 * Shim ops of the TL codec (issue 4): tl_encode {json} -> {out}, tl_decode {data} -> {json}.
 * The JSON form is tl_print_json's (docs/tl.md, harness/tl_json.h); an optional "schema" field
 * picks "mtproto" (the default) or "secret".
 */
#include <stdlib.h>

#include "harness/shim.h"
#include "harness/tl_json.h"

static const char *const F_ENCODE[] = {"json", "?schema", NULL};
static const char *const F_DECODE[] = {"data", "?schema", NULL};

static int get_schema(shim_call *c, const tl_schema **s)
{
    const char *name = NULL;
    if (shim_has(c, "schema")) {
        int err = shim_get_string(c, "schema", &name);
        if (err)
            return err;
    }
    *s = tl_json_schema(name);
    if (!*s) {
        shim_detail(c, "field 'schema': \"mtproto\" or \"secret\"");
        return MT_E_bad_field;
    }
    return MT_OK;
}

static int op_tl_encode(shim_call *c)
{
    const tl_schema *s;
    json_t *v;
    int err = get_schema(c, &s);
    if (!err)
        err = shim_get_json(c, "json", &v);
    if (err)
        return err;
    char why[TL_JSON_WHY];
    uint8_t *out = NULL;
    size_t len = 0;
    err = tl_json_encode(s, v, &out, &len, why, sizeof why);
    if (err)
        shim_detail(c, "field 'json': %s", why[0] ? why : mt_err_message(err));
    else
        err = shim_put_bytes(c, "out", out, len);
    free(out);
    return err;
}

static int op_tl_decode(shim_call *c)
{
    const tl_schema *s;
    const uint8_t *data;
    size_t n;
    int err = get_schema(c, &s);
    if (!err)
        err = shim_get_bytes(c, "data", &data, &n);
    if (err)
        return err;
    json_t *v = NULL;
    err = tl_json_decode(s, data, n, &v);
    if (err) {
        shim_detail(c, "%s", mt_err_message(err));
        return err;
    }
    return shim_put_json(c, "json", v);
}

static const shim_op tl_ops[] = {
    {"tl_encode", F_ENCODE, op_tl_encode},
    {"tl_decode", F_DECODE, op_tl_decode},
};

const shim_op_table shim_ops_tl = {"tl", tl_ops, sizeof tl_ops / sizeof tl_ops[0]};
