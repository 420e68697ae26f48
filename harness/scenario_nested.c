/*
 * Relay objects inside mtproto ones (docs/scenarios.md "TL objects"): the harness playing the
 * relay answers `rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room="r1"))`, but
 * rpc_result.result is an `Object` of the mtproto schema, whose encoder knows no relay
 * constructor. Each such field value is encoded with the relay schema here and put back as the
 * opaque object the mtproto encoder takes for an unknown id ({"_":"opaque","id","data"}).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/hex.h"
#include "harness/scenario_internal.h"
#include "harness/tl_json.h"
#include "proto/tl_rly.h"

static int to_opaque(json_t *parent, const char *key, const json_t *v)
{
    uint8_t *b = NULL;
    size_t n = 0;
    char why[TL_JSON_WHY];
    int err = tl_json_encode(&rly_schema, v, &b, &n, why, sizeof why);
    if (err)
        return err;
    char id[11], *hex = malloc(2 * n + 1);
    if (!hex || n < 4) {
        free(b);
        free(hex);
        return hex ? MT_E_bad_field : MT_E_no_memory;
    }
    snprintf(id, sizeof id, "0x%08x", ld32le(b));
    hex_encode(b + 4, n - 4, hex);
    json_t *o = json_pack("{s:s, s:s, s:s}", "_", "opaque", "id", id, "data", hex);
    free(b);
    free(hex);
    if (!o)
        return MT_E_no_memory;
    return json_object_set_new(parent, key, o) == 0 ? 0 : MT_E_no_memory;
}

int sc_nest_relay(json_t *j)
{
    const tl_schema *mtp = tl_json_schema(NULL);
    const char *top = json_string_value(json_object_get(j, "_"));
    if (!top || !tl_schema_find_name(mtp, top))
        return 0; /* a relay object at the top: its own schema encodes it whole */
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v)
    {
        const char *name = json_is_object(v) ? json_string_value(json_object_get(v, "_")) : NULL;
        if (name && !tl_schema_find_name(mtp, name) && tl_schema_find_name(&rly_schema, name)) {
            int err = to_opaque(j, key, v);
            if (err)
                return err;
        }
    }
    return 0;
}

json_t *sc_relay_of_opaque(const json_t *o)
{
    const char *id = json_string_value(json_object_get(o, "id"));
    const char *data = json_string_value(json_object_get(o, "data"));
    int64_t v;
    if (!id || !sc_int64(id, &v) || v < 0 || v > (int64_t)UINT32_MAX)
        return NULL;
    size_t hn = data ? strlen(data) : 0, n = 0;
    uint8_t *b = malloc(4 + hn / 2 + 1);
    json_t *r = NULL;
    if (!b)
        return NULL;
    st32le(b, (uint32_t)v);
    if (hex_decode(data ? data : "", hn, b + 4, hn / 2 + 1, &n) == 0 &&
        tl_json_decode(&rly_schema, b, 4 + n, &r) != 0)
        r = NULL;
    free(b);
    return r;
}
