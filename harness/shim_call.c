/* The helpers ops use to read request fields and write response fields (harness/shim.h). */
#include "harness/shim_call.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "common/hex.h"

void shim_call_init(shim_call *c)
{
    memset(c, 0, sizeof *c);
}

int shim_call_begin(shim_call *c, json_t *id)
{
    c->resp = json_object();
    if (!c->resp)
        return MT_E_no_memory;
    int bad = 0;
    if (id)
        bad |= json_object_set(c->resp, "id", id);
    bad |= json_object_set_new(c->resp, "ok", json_true());
    return bad ? MT_E_no_memory : MT_OK;
}

void shim_call_end(shim_call *c)
{
    /* Fields may hold keys: wipe before freeing. */
    for (size_t i = 0; i < c->nbufs; i++) {
        ct_wipe(c->bufs[i].p, c->bufs[i].n);
        free(c->bufs[i].p);
    }
    json_decref(c->req);
    json_decref(c->resp);
    memset(c, 0, sizeof *c);
}

void shim_detail(shim_call *c, const char *fmt, ...)
{
    if (c->detail[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof c->detail, fmt, ap);
    va_end(ap);
}

uint8_t *shim_alloc(shim_call *c, size_t n)
{
    if (n > SHIM_MAX_OUTPUT || c->nbufs == SHIM_MAX_BUFS)
        return NULL;
    uint8_t *p = malloc(n ? n : 1);
    if (!p)
        return NULL;
    c->bufs[c->nbufs].p = p;
    c->bufs[c->nbufs].n = n;
    c->nbufs++;
    return p;
}

/* The field's value; declared fields are checked present before the op runs. */
static json_t *field_value(shim_call *c, const char *field)
{
    json_t *v = json_object_get(c->req, field);
    if (!v)
        shim_detail(c, "field '%s' is missing", field);
    return v;
}

int shim_get_bytes(shim_call *c, const char *field, const uint8_t **p, size_t *n)
{
    json_t *v = field_value(c, field);
    if (!v)
        return MT_E_missing_field;
    if (!json_is_string(v)) {
        shim_detail(c, "field '%s': not a hex string", field);
        return MT_E_bad_field;
    }
    size_t len = json_string_length(v);
    if (len % 2) {
        shim_detail(c, "field '%s': odd number of hex digits", field);
        return MT_E_bad_hex;
    }
    if (len / 2 > SHIM_MAX_FIELD) {
        shim_detail(c, "field '%s': %zu bytes, over the limit of %zu", field, len / 2,
                    SHIM_MAX_FIELD);
        return MT_E_limit_exceeded;
    }
    uint8_t *buf = shim_alloc(c, len / 2);
    if (!buf)
        return MT_E_no_memory;
    if (hex_decode(json_string_value(v), len, buf, len / 2, n) != MT_OK) {
        shim_detail(c, "field '%s': not hex", field);
        return MT_E_bad_hex;
    }
    *p = buf;
    return MT_OK;
}

int shim_get_json(shim_call *c, const char *field, json_t **out)
{
    *out = field_value(c, field);
    return *out ? MT_OK : MT_E_missing_field;
}

int shim_get_string(shim_call *c, const char *field, const char **out)
{
    json_t *v = field_value(c, field);
    if (!v)
        return MT_E_missing_field;
    *out = json_string_value(v);
    if (!*out || strlen(*out) != json_string_length(v)) {
        shim_detail(c, "field '%s': not a string", field);
        return MT_E_bad_field;
    }
    return MT_OK;
}

int shim_has(shim_call *c, const char *field)
{
    return json_object_get(c->req, field) != NULL;
}

int shim_get_int(shim_call *c, const char *field, int64_t min, int64_t max, int64_t *out)
{
    json_t *v = field_value(c, field);
    if (!v)
        return MT_E_missing_field;
    if (!json_is_integer(v)) {
        shim_detail(c, "field '%s': not an integer", field);
        return MT_E_bad_field;
    }
    json_int_t x = json_integer_value(v);
    if (x < 0 && min >= 0) {
        shim_detail(c, "field '%s': negative", field);
        return MT_E_bad_field;
    }
    if (x < min || x > max) {
        shim_detail(c, "field '%s': %lld is outside [%lld, %lld]", field, (long long)x,
                    (long long)min, (long long)max);
        return MT_E_limit_exceeded;
    }
    *out = (int64_t)x;
    return MT_OK;
}

int shim_get_size(shim_call *c, const char *field, size_t max, size_t *out)
{
    int64_t x;
    int64_t lim = max > (size_t)INT64_MAX ? INT64_MAX : (int64_t)max;
    int err = shim_get_int(c, field, 0, lim, &x);
    if (!err)
        *out = (size_t)x;
    return err;
}

int shim_put_json(shim_call *c, const char *field, json_t *v)
{
    if (!v || json_object_set_new(c->resp, field, v) != 0)
        return MT_E_no_memory;
    return MT_OK;
}

int shim_put_bytes(shim_call *c, const char *field, const uint8_t *p, size_t n)
{
    if (n > SHIM_MAX_OUTPUT)
        return MT_E_limit_exceeded;
    char *hex = malloc(2 * n + 1);
    if (!hex)
        return MT_E_no_memory;
    hex_encode(p, n, hex);
    json_t *s = json_stringn_nocheck(hex, 2 * n);
    free(hex);
    return shim_put_json(c, field, s);
}

int shim_put_uint(shim_call *c, const char *field, uint64_t v)
{
    if (v > (uint64_t)INT64_MAX)
        return MT_E_limit_exceeded;
    return shim_put_json(c, field, json_integer((json_int_t)v));
}
