/*
 * Shim ops of the transports (issue 4; docs/shim.md): frame and unframe one packet of the abridged,
 * intermediate, padded intermediate or full framing, without the connection's one-time tag; and
 * the obfuscated2 keys of an init. Both go through the engines of proto/transport.h.
 */
#include <string.h>

#include "common/ct.h"
#include "crypto/rng.h"
#include "harness/shim.h"
#include "harness/shim_call.h"
#include "proto/transport.h"

static const char *const F_FRAME[] = {"transport", "data", "?direction", "?quick_ack",
                                      "?padding",  "?seq", NULL};
static const char *const F_UNFRAME[] = {"transport", "data", "?direction", "?seq", NULL};
static const char *const F_OBF2_KEYS[] = {"init", "?secret", NULL};

/* A string field among `names` (index into it); `def` when optional and absent. */
static int get_choice(shim_call *c, const char *field, const char *const *names, int def, int *out)
{
    json_t *v = json_object_get(c->req, field);
    if (!v && def >= 0) {
        *out = def;
        return MT_OK;
    }
    if (!v)
        return MT_E_missing_field;
    for (int i = 0; names[i]; i++)
        if (json_is_string(v) && strcmp(json_string_value(v), names[i]) == 0) {
            *out = i;
            return MT_OK;
        }
    shim_detail(c, "field '%s' has an unknown value", field);
    return MT_E_bad_field;
}

static const char *const TRANSPORTS[] = {"abridged", "intermediate", "padded", "full", NULL};
static const char *const DIRECTIONS[] = {"c2s", "s2c", NULL};

/* The engine for one op: framing, and the side that sends (frame) or reads (unframe). */
typedef struct engine_args {
    int kind, dir;
    int64_t seq;
    const uint8_t *data;
    size_t len;
} engine_args;

static int read_common(shim_call *c, engine_args *a)
{
    int err = get_choice(c, "transport", TRANSPORTS, -1, &a->kind);
    if (!err)
        err = get_choice(c, "direction", DIRECTIONS, 0, &a->dir);
    if (!err)
        err = shim_get_bytes(c, "data", &a->data, &a->len);
    a->seq = 0;
    if (!err && shim_has(c, "seq"))
        err = shim_get_int(c, "seq", 0, UINT32_MAX, &a->seq);
    if (!err && a->seq && a->kind != MT_TRANSPORT_FULL) {
        shim_detail(c, "seq is for the full transport only");
        err = MT_E_bad_argument;
    }
    return err;
}

static int op_frame(shim_call *c)
{
    engine_args a;
    int64_t qa = 0;
    const uint8_t *pad = NULL;
    size_t pad_len = 0;
    int err = read_common(c, &a);
    if (!err && shim_has(c, "quick_ack"))
        err = shim_get_int(c, "quick_ack", 0, 1, &qa);
    if (!err && shim_has(c, "padding"))
        err = shim_get_bytes(c, "padding", &pad, &pad_len);
    if (err)
        return err;
    uint8_t *scratch = shim_alloc(c, MT_TRANSPORT_SHORT_PACKET);
    uint8_t *out = shim_alloc(c, a.len + MT_TRANSPORT_MAX_OVERHEAD);
    if (!scratch || !out)
        return MT_E_no_memory;
    mt_transport t;
    mt_transport_role role = a.dir == 0 ? MT_ROLE_CLIENT : MT_ROLE_SERVER;
    err = mt_transport_init(&t, (mt_transport_kind)a.kind, role, scratch, MT_TRANSPORT_SHORT_PACKET,
                            rng_os());
    if (err)
        return err;
    mt_transport_skip_tag(&t);
    t.tx_seq = (uint32_t)a.seq;
    size_t n;
    unsigned flags = qa ? MT_TF_QUICK_ACK : 0;
    if (pad || a.kind != MT_TRANSPORT_PADDED)
        err = mt_transport_frame_padding(&t, a.data, a.len, flags, pad, pad_len, out,
                                         a.len + MT_TRANSPORT_MAX_OVERHEAD, &n);
    else
        err = mt_transport_frame(&t, a.data, a.len, flags, out, a.len + MT_TRANSPORT_MAX_OVERHEAD,
                                 &n);
    mt_transport_wipe(&t);
    return err ? err : shim_put_bytes(c, "out", out, n);
}

static int put_event(shim_call *c, const mt_transport_event *ev)
{
    switch (ev->type) {
    case MT_TEV_FRAME: {
        int err = shim_put_bytes(c, "out", ev->payload, ev->len);
        return err ? err : shim_put_uint(c, "quick_ack", (ev->flags & MT_TF_QUICK_ACK) ? 1 : 0);
    }
    case MT_TEV_QUICK_ACK:
        return shim_put_uint(c, "token", ev->token);
    case MT_TEV_ERROR:
        return shim_put_json(c, "transport_error", json_integer(ev->code));
    default:
        return MT_E_truncated;
    }
}

static int op_unframe(shim_call *c)
{
    engine_args a;
    int err = read_common(c, &a);
    if (err)
        return err;
    size_t cap = a.len < MT_TRANSPORT_SHORT_PACKET ? MT_TRANSPORT_SHORT_PACKET : a.len;
    uint8_t *buf = shim_alloc(c, cap);
    if (!buf)
        return MT_E_no_memory;
    mt_transport t;
    mt_transport_role role = a.dir == 0 ? MT_ROLE_SERVER : MT_ROLE_CLIENT;
    err = mt_transport_init(&t, (mt_transport_kind)a.kind, role, buf, cap, rng_os());
    if (err)
        return err;
    mt_transport_skip_tag(&t);
    t.rx.seq = (uint32_t)a.seq;
    size_t used;
    mt_transport_event ev;
    err = mt_transport_feed(&t, a.data, a.len, &used, &ev);
    /* The buffer holds all of data, so a frame that does not fit is one data cannot hold. */
    if (err == MT_E_limit_exceeded)
        err = MT_E_truncated;
    if (!err && ev.type != MT_TEV_NEED_MORE && used != a.len) {
        shim_detail(c, "data holds more than one packet");
        err = MT_E_trailing_data;
    }
    if (!err)
        err = put_event(c, &ev);
    mt_transport_wipe(&t);
    return err;
}

static int op_obfuscated2_keys(shim_call *c)
{
    const uint8_t *init, *secret = NULL;
    size_t init_len, secret_len = 0;
    int err = shim_get_bytes(c, "init", &init, &init_len);
    if (!err && shim_has(c, "secret"))
        err = shim_get_bytes(c, "secret", &secret, &secret_len);
    if (err)
        return err;
    if (init_len != MT_OBF2_INIT_LEN) {
        shim_detail(c, "init must be 64 bytes");
        return MT_E_bad_argument;
    }
    mt_obf2_keys k;
    err = mt_obf2_derive(init, secret, secret_len, &k);
    if (!err)
        err = shim_put_bytes(c, "enc_key", k.enc_key, sizeof k.enc_key);
    if (!err)
        err = shim_put_bytes(c, "enc_iv", k.enc_iv, sizeof k.enc_iv);
    if (!err)
        err = shim_put_bytes(c, "dec_key", k.dec_key, sizeof k.dec_key);
    if (!err)
        err = shim_put_bytes(c, "dec_iv", k.dec_iv, sizeof k.dec_iv);
    ct_wipe(&k, sizeof k);
    return err;
}

static const shim_op transport_ops[] = {
    {"frame", F_FRAME, op_frame},
    {"unframe", F_UNFRAME, op_unframe},
    {"obfuscated2_keys", F_OBF2_KEYS, op_obfuscated2_keys},
};

const shim_op_table shim_ops_transport = {"transport", transport_ops,
                                          sizeof transport_ops / sizeof transport_ops[0]};
