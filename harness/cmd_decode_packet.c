/*
 * `mtproof decode --as packet` and `--as transport` (harness/cmd_decode.c reads the input):
 * unencrypted and encrypted MTProto packets (proto/message.h) and transport streams
 * (proto/transport.h), each inner TL body printed by the TL mode.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "common/hex.h"
#include "harness/cli.h"
#include "harness/decode.h"
#include "proto/message.h"
#include "proto/transport.h"

static void put_hex(json_t *obj, const char *name, const uint8_t *p, size_t n)
{
    char *h = malloc(2 * n + 1);
    if (h) {
        hex_encode(p, n, h);
        json_object_set_new(obj, name, json_string(h));
    }
    free(h);
}

static void put_u64(json_t *obj, const char *name, uint64_t v)
{
    char s[24];
    snprintf(s, sizeof s, "%" PRIu64, v);
    json_object_set_new(obj, name, json_string(s));
}

__attribute__((format(printf, 4, 5))) static void say(const decode_opts *o, size_t at,
                                                      unsigned indent, const char *fmt, ...)
{
    if (o->json)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("%06zx  %*s", at, (int)(2 * indent), "");
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

/* The decrypted inner message: salt, session_id, msg_id, seq_no, length, body. */
static int packet_encrypted(const decode_opts *o, const uint8_t *base, const uint8_t *p, size_t n,
                            unsigned indent, json_t *obj, size_t *err_at)
{
    size_t at = (size_t)(p - base);
    mt_auth_key k;
    mt_auth_key_init(&k, o->auth_key);
    if (!ct_eq(k.id, p, MT_AUTH_KEY_ID_LEN))
        say(o, at, indent, "(auth_key_id is not the given key's: decrypting anyway)");
    /* The plaintext sits at the packet's offsets in a copy of the input, so that printed
     * offsets are those of the packet. */
    uint8_t *copy = malloc(at + n);
    if (!copy)
        return MT_E_no_memory;
    memcpy(copy, base, at + n);
    uint8_t *plain = copy + at + MT_MSG_OUTER_LEN;
    memcpy(copy + at, k.id, MT_AUTH_KEY_ID_LEN); /* unpack checks it against the key's id */
    mt_msg_view v;
    uint8_t *pkt = malloc(n);
    int err = pkt ? MT_OK : MT_E_no_memory;
    if (!err && n < MT_MSG_MIN_PACKET)
        err = MT_E_MSG_TOO_SHORT;
    if (!err) {
        memcpy(pkt, copy + at, n);
        err = mt_msg_unpack(&k, o->x, NULL, pkt, n, plain, n - MT_MSG_OUTER_LEN, &v);
    }
    *err_at = at + MT_AUTH_KEY_ID_LEN; /* the msg_key check covers the whole packet */
    if (!err) {
        size_t in = at + MT_MSG_OUTER_LEN;
        say(o, in, indent, "decrypted (x = %u)", o->x);
        say(o, in, indent + 1, "salt: 0x%016" PRIx64, v.hdr.salt);
        say(o, in + 8, indent + 1, "session_id: 0x%016" PRIx64, v.hdr.session_id);
        say(o, in + 16, indent + 1, "msg_id: %" PRIu64, v.hdr.msg_id);
        say(o, in + 24, indent + 1, "seq_no: %" PRIu32, v.hdr.seq_no);
        say(o, in + 28, indent + 1, "length: %zu", v.body_len);
        json_t *d = o->json ? json_object() : NULL;
        if (d) {
            put_hex(d, "salt", plain, 8);
            put_hex(d, "session_id", plain + 8, 8);
            put_u64(d, "msg_id", v.hdr.msg_id);
            json_object_set_new(d, "seq_no", json_integer(v.hdr.seq_no));
            json_object_set_new(d, "padding", json_integer((json_int_t)v.pad_len));
            json_object_set_new(obj, "decrypted", d);
        }
        err = decode_tl_part(o, copy, v.body, v.body_len, indent + 1, d, err_at);
        say(o, in + MT_MSG_INNER_LEN + v.body_len, indent + 1, "padding: %zu bytes", v.pad_len);
    }
    ct_wipe(copy, at + n);
    free(copy);
    free(pkt);
    mt_auth_key_wipe(&k);
    return err;
}

/* One packet at p (offsets from base). */
static int packet_at(const decode_opts *o, const uint8_t *base, const uint8_t *p, size_t n,
                     unsigned indent, json_t *obj, size_t *err_at)
{
    size_t at = (size_t)(p - base);
    *err_at = at;
    if (n < MT_AUTH_KEY_ID_LEN)
        return MT_E_truncated;
    uint64_t key_id = ld64le(p);
    if (key_id == 0) {
        mt_plain_view v;
        int err = mt_plain_unpack(p, n, &v);
        say(o, at, indent, "auth_key_id: 0 (unencrypted message)");
        if (err) {
            *err_at = at + (err == MT_E_PLAIN_TOO_SHORT ? 0 : 16);
            return err;
        }
        say(o, at + 8, indent, "msg_id: %" PRIu64, v.msg_id);
        say(o, at + 16, indent, "length: %zu", v.body_len);
        json_object_set_new(obj, "kind", json_string("unencrypted"));
        put_u64(obj, "msg_id", v.msg_id);
        return decode_tl_part(o, base, v.body, v.body_len, indent, obj, err_at);
    }
    say(o, at, indent, "auth_key_id: 0x%016" PRIx64 " (encrypted message)", key_id);
    if (n < MT_MSG_OUTER_LEN) {
        *err_at = at + 8;
        return MT_E_MSG_TOO_SHORT;
    }
    char mk[2 * MT_MSG_KEY_LEN + 1];
    hex_encode(p + 8, MT_MSG_KEY_LEN, mk);
    say(o, at + 8, indent, "msg_key: %s", mk);
    say(o, at + 24, indent, "ciphertext: %zu bytes", n - MT_MSG_OUTER_LEN);
    json_object_set_new(obj, "kind", json_string("encrypted"));
    put_hex(obj, "auth_key_id", p, 8);
    put_hex(obj, "msg_key", p + 8, MT_MSG_KEY_LEN);
    json_object_set_new(obj, "ciphertext_length", json_integer((json_int_t)(n - 24)));
    if (!o->have_key) {
        say(o, at + 24, indent, "(give --auth-key and --x to decrypt)");
        return MT_OK;
    }
    return packet_encrypted(o, base, p, n, indent, obj, err_at);
}

int decode_run_packet(const decode_opts *o, const uint8_t *data, size_t len)
{
    json_t *obj =
        o->json ? json_pack("{s:s, s:I}", "as", "packet", "length", (json_int_t)len) : NULL;
    size_t at = 0;
    int err = packet_at(o, data, data, len, 0, obj, &at);
    if (err)
        decode_report(o, obj, err, at);
    return decode_finish(o, obj, err);
}

/* A transport stream as a server reads it: the framing detected from the first bytes (plain or
 * obfuscated2), then every frame decoded as a packet. Offsets inside a frame count from the
 * frame's payload; the frame line gives the stream offset where its bytes begin. */
int decode_run_transport(const decode_opts *o, const uint8_t *data, size_t len)
{
    json_t *obj =
        o->json ? json_pack("{s:s, s:I}", "as", "transport", "length", (json_int_t)len) : NULL;
    json_t *frames = o->json ? json_array() : NULL;
    mt_detected d;
    int err = MT_OK;
    size_t pos = 0, at = 0;
    bool reported = false;
    if (!mt_transport_detect(data, len, &d))
        err = MT_E_truncated;
    const char *kind = err ? "?" : d.obfuscated ? "obfuscated2" : mt_transport_kind_name(d.kind);
    if (!o->json && !err)
        printf("%06x  transport: %s\n", 0, kind);
    if (obj) {
        json_object_set_new(obj, "transport", json_string(kind));
        json_object_set_new(obj, "frames", frames);
    }
    size_t cap = MT_TRANSPORT_MAX_FRAME; /* so a short stream is truncated, not over a limit */
    uint8_t *buf = err ? NULL : malloc(cap);
    mt_transport t;
    if (!err && !buf)
        err = MT_E_no_memory;
    if (!err)
        err = mt_transport_init(&t, MT_TRANSPORT_AUTO, MT_ROLE_SERVER, buf, cap, rng_os());
    for (unsigned i = 0; !err && pos < len; i++) {
        size_t used = 0;
        mt_transport_event ev;
        at = pos;
        err = mt_transport_feed(&t, data + pos, len - pos, &used, &ev);
        pos += used;
        if (!err && ev.type == MT_TEV_NEED_MORE)
            err = MT_E_truncated; /* the stream ends inside a frame */
        if (err || ev.type != MT_TEV_FRAME)
            break;
        json_t *fj = o->json ? json_pack("{s:I, s:I}", "offset", (json_int_t)at, "length",
                                         (json_int_t)ev.len)
                             : NULL;
        json_array_append_new(frames, fj);
        if (!o->json)
            printf("%06zx  frame %u: %zu bytes%s\n", at, i, ev.len,
                   ev.flags & MT_TF_QUICK_ACK ? " (quick ack requested)" : "");
        size_t in_at = 0;
        err = packet_at(o, ev.payload, ev.payload, ev.len, 1, fj, &in_at);
        if (err && o->json)
            decode_report(o, fj, err, in_at);
        else if (err)
            fprintf(stderr,
                    "mtproof decode: frame %u (stream offset %zu): stopped at payload offset "
                    "%zu (0x%zx): %s: %s\n",
                    i, at, in_at, in_at, mt_err_name(err), mt_err_message(err));
        reported = err != MT_OK;
    }
    if (err && !reported)
        decode_report(o, obj, err, at);
    if (buf) {
        mt_transport_wipe(&t);
        free(buf);
    }
    return decode_finish(o, obj, err);
}
