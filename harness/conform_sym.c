/*
 * Run-time values of a scenario (docs/scenarios.md "Symbols" and "Envelope overrides"): the
 * symbols inside TL objects (`last`, `recv`, `nonce`...) and the envelope expressions
 * (`msg_id=now-301s`, `seqno=last`, `salt=bad`, `session=new`).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/hex.h"
#include "harness/conform_run.h"

static json_t *long_json(uint64_t v)
{
    char d[24];
    snprintf(d, sizeof d, "%" PRId64, (int64_t)v);
    return json_string(d);
}

static json_t *hex_json(const uint8_t *b, size_t n)
{
    char h[2 * 32 + 1];
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        h[2 * i] = hx[b[i] >> 4];
        h[2 * i + 1] = hx[b[i] & 15];
    }
    h[2 * n] = '\0';
    return json_string(h);
}

static uint64_t random64(cf_peer *p)
{
    uint8_t b[8];
    drbg_generate(&p->drbg, b, sizeof b);
    return ld64le(b);
}

/* A msg_id for server time now (its low bits those of the harness's kind), not taken from the
 * generator, so an id shifted on purpose does not move the ids of later messages. */
static uint64_t msgid_now(cf_peer *p)
{
    uint64_t id = msgid_from_ns(msgid_server_ns(&p->ids, &p->clock.c));
    /* a msg_id's fraction is never 0 (the virtual clock starts on a whole second) */
    id |= (random64(p) & 0xfffffffcu) | 0x10000u;
    return (id & ~(uint64_t)3) | (p->server ? MSGID_SERVER_OTHER : MSGID_CLIENT);
}

/* The peer's time now as a msg_id, exactly: no random fraction, no kind bits (`clock-300s` is
 * the edge of the window itself). In process the harness and the target share one virtual clock
 * (the harness's own skew left out); on the network this is the harness's estimate (its clock
 * plus the offset the handshake taught it), which is why edge scenarios are `target builtin`. */
static uint64_t msgid_clock(cf_peer *p)
{
    uint64_t ns =
        p->tg->virtual_time ? clock_now(p->tg->clock) : msgid_server_ns(&p->ids, &p->clock.c);
    return msgid_from_ns(ns);
}

/* fill:N -> N bytes 00 01 .. ff 00 .. as hex (harness/scenario_multi.c). */
static int fill_json(size_t n, json_t **out)
{
    static const char hx[] = "0123456789abcdef";
    char *h = malloc(2 * n + 1);
    if (!h)
        return -1;
    for (size_t i = 0; i < n; i++) {
        h[2 * i] = hx[(i & 0xff) >> 4];
        h[2 * i + 1] = hx[i & 15];
    }
    h[2 * n] = '\0';
    *out = json_string(h);
    free(h);
    return *out ? 0 : -1;
}

static int peer_sym(void *ctx, const char *name, int kind, json_t **out)
{
    cf_peer *p = ctx;
    size_t fill;
    if ((kind == TL_K_BYTES || kind == TL_K_STRING) && sc_fill_len(name, &fill))
        return fill_json(fill, out);
    if (kind == TL_K_LONG) {
        uint64_t v;
        if (!strcmp(name, "last"))
            v = p->last_sent;
        else if (!strcmp(name, "prev"))
            v = p->prev_sent;
        else if (!strcmp(name, "first"))
            v = p->first_sent;
        else if (!strcmp(name, "recv"))
            v = p->last_recv;
        else if (!strcmp(name, "session"))
            v = p->session_id;
        else if (!strcmp(name, "salt"))
            v = (uint64_t)p->salt;
        else if (!strcmp(name, "random"))
            v = random64(p);
        else if (!strcmp(name, "now"))
            v = msgid_now(p);
        else
            return -1;
        *out = long_json(v);
        return 0;
    }
    uint8_t r[32];
    size_t n = kind == TL_K_INT128 ? 16 : kind == TL_K_INT256 ? 32 : 0;
    if (!n)
        return -1;
    if (!strcmp(name, "random"))
        drbg_generate(&p->drbg, r, n);
    else if (!strcmp(name, "nonce") && n == 16)
        memcpy(r, p->nonce, 16);
    else if (!strcmp(name, "server_nonce") && n == 16)
        memcpy(r, p->server_nonce, 16);
    else if (!strcmp(name, "new_nonce") && n == 32)
        memcpy(r, p->new_nonce, 32);
    else
        return -1;
    if (!strcmp(name, "random") && n == 16)
        memcpy(p->nonce, r, 16); /* `nonce` then names the one just sent */
    *out = hex_json(r, n);
    return 0;
}

sc_resolver cf_resolver(cf_peer *p)
{
    sc_resolver r = {p, peer_sym};
    return r;
}

/* The shift of a msg_id by ns nanoseconds (seconds in the high half), keeping the low two bits. */
static int64_t msgid_shift(int64_t ns)
{
    uint64_t a = msgid_from_ns((uint64_t)(ns < 0 ? -ns : ns)) & ~(uint64_t)3;
    return ns < 0 ? -(int64_t)a : (int64_t)a;
}

int cf_env_value(cf_peer *p, const char *key, const char *val, cf_env *e)
{
    sc_expr x;
    if (!sc_expr_parse(val, &x))
        return MT_E_bad_field;
    int64_t off = x.plus;
    if (!strcmp(key, "msg_id")) {
        uint64_t base = !strcmp(x.base, "now")     ? msgid_now(p)
                        : !strcmp(x.base, "clock") ? msgid_clock(p)
                        : !strcmp(x.base, "last")  ? p->last_sent
                        : !strcmp(x.base, "prev")  ? p->prev_sent
                        : !strcmp(x.base, "first") ? p->first_sent
                        : !strcmp(x.base, "recv")  ? p->last_recv
                                                   : (uint64_t)x.num;
        e->msg_id = base + (uint64_t)(off + msgid_shift(x.ns));
        e->has_msg_id = true;
    } else if (!strcmp(key, "seqno")) {
        uint32_t base = (uint32_t)x.num;
        if (!strcmp(x.base, "last"))
            base = p->last_seqno;
        else if (!strcmp(x.base, "next") || !strcmp(x.base, "even"))
            base = 2 * p->content_sent;
        else if (!strcmp(x.base, "odd"))
            base = 2 * p->content_sent++ + 1;
        e->seqno = base + (uint32_t)off;
        e->has_seqno = true;
    } else if (!strcmp(key, "salt")) {
        int64_t base = !strcmp(x.base, "current")    ? p->salt
                       : !strcmp(x.base, "previous") ? p->prev_salt
                       : !strcmp(x.base, "bad")      ? p->salt ^ (int64_t)(random64(p) | 1)
                                                     : x.num;
        e->salt = base + off;
        e->has_salt = true;
    } else if (!strcmp(key, "session")) {
        e->session = !strcmp(x.base, "new")       ? random64(p)
                     : !strcmp(x.base, "current") ? p->session_id
                                                  : (uint64_t)x.num;
        e->session += (uint64_t)off;
        e->has_session = true;
    } else {
        return MT_E_bad_field;
    }
    return 0;
}
