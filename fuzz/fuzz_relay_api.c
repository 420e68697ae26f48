/*
 * Target: relay_rpc (reference-peers/relay_rpc.c: invokeWithLayer / initConnection unwrapping
 * with the JSONValue skipper, help.getConfig, help.getNearestDc, the bind gate of
 * proto/bind_gate.c) and relay_api (reference-peers/relay_rooms.c: relay.join / relay.send /
 * relay.leave, pushes to the room peer): arbitrary query bytes from two connections of one relay.
 * Input: records [u8 who][u16le len][len bytes of query]. Property: every query is answered (a
 * result object, rpc_error, or unimplemented), the answer fits its buffer, and rooms stay
 * consistent (a connection's room lists it).
 */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "crypto/drbg.h"
#include "reference-peers/relay_internal.h"

static uint8_t out[RELAY_OUT_BYTES];

static relay *setup(mt_vclock *vc, mt_drbg *d, rsa_private *key, const rsa_private **keys)
{
    (void)key;
    relay_config cfg = {.keys = keys, .n_keys = 1, .clock = &vc->clock, .rng = &d->rng};
    relay *r = NULL;
    if (relay_new(&r, &cfg) != MT_OK)
        abort();
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rsa_private dummy; /* never used: no handshake runs here */
    const rsa_private *keys[1] = {&dummy};
    mt_vclock vc;
    vclock_init(&vc, 1700000000ull * NS_PER_S);
    mt_drbg d;
    drbg_init_u64(&d, 5);
    relay *r = setup(&vc, &d, &dummy, keys);
    uint8_t raw[MT_AUTH_KEY_LEN];
    relay_conn *c[2];
    for (int i = 0; i < 2; i++) {
        uint32_t id;
        memset(raw, 0x10 + i, sizeof raw);
        mt_auth_key k;
        mt_auth_key_init(&k, raw);
        if (relay_add_key(r, &k, false, 0) || relay_open(r, RELAY_CONN_TCP, &id))
            abort();
        c[i] = relay_conn_get(r, id);
        if (relay_sess_attach(r, c[i], relay_key_find(r, k.id)))
            abort();
    }
    const uint8_t *p = data, *end = data + size;
    uint64_t req = 1;
    while (end - p >= 3) {
        relay_sess *s = c[p[0] & 1]->sess;
        size_t len = ld16le(p + 1);
        p += 3;
        len = len < (size_t)(end - p) ? len : (size_t)(end - p);
        size_t n = 0;
        int err = relay_rpc(s, req++ << 2, p, len, out, sizeof out, &n);
        if ((err && err != MT_E_unimplemented && err != MT_E_no_space) || n > sizeof out)
            abort();
        for (int i = 0; i < 2; i++) {
            relay_room *room = c[i]->room;
            if (room && room->member[0] != c[i] && room->member[1] != c[i])
                abort();
        }
        p += len;
        vclock_advance(&vc, NS_PER_S);
    }
    relay_free(r);
    return 0;
}
