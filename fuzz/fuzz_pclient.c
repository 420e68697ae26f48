/*
 * Target: pclient_start, pclient_feed, pclient_tick, pclient_output (reference-peers/client_core.c,
 * client_wire.c, client_auth.c, client_session.c, client_relay.c) with the engines beneath them:
 * arbitrary server bytes into a reference client after it started. Input: byte 0 picks the
 * client (bits 0-1 framing, bit 2 obfuscated2, bit 3 HTTP, bit 4 a saved key instead of a
 * handshake, bit 5 a temporary key), byte 1 where the rest is split into two feeds; the rest is
 * what the server sent. With a saved key and fuzzer mode (msg_key not checked) the bytes reach
 * the session engine and the relay API. Property: the core never crashes, every failure is a
 * rule or a tool error reported once, and a finished client stays finished.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/drbg.h"
#include "proto/message.h"
#include "reference-peers/client_core.h"

static rsa_public server_key;
static bool key_ready;
static int errors;

static void on_event(void *ctx, const pclient_event *ev)
{
    (void)ctx;
    if (ev->kind == PCLIENT_EV_ERROR && ++errors > 1)
        abort(); /* one ERROR ends a run */
}

/* A fixed 2048-bit modulus (odd, top bit set): the handshake engine only needs its shape. */
static void init_key(void)
{
    uint8_t n[256], e[3] = {1, 0, 1};
    for (size_t i = 0; i < sizeof n; i++)
        n[i] = (uint8_t)(0xC3 ^ (i * 29));
    n[0] |= 0x80;
    n[255] |= 1;
    if (rsa_public_init(&server_key, n, sizeof n, e, sizeof e) != MT_OK)
        abort();
    key_ready = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    if (!key_ready)
        init_key();
#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
    mt_msg_fuzzing_skip_msg_key(true);
#endif
    mt_vclock vc;
    vclock_init(&vc, 1700000000ull * NS_PER_S);
    mt_drbg d;
    drbg_init_u64(&d, 11);
    static hs_result saved;
    memset(&saved, 0, sizeof saved);
    uint8_t k[MT_AUTH_KEY_LEN];
    memset(k, 0x42, sizeof k);
    mt_auth_key_init(&saved.key, k);
    const rsa_public *keys[1] = {&server_key};
    uint8_t mode = data[0];
    pclient_config cfg = {
        .keys = keys,
        .n_keys = 1,
        .clock = &vc.clock,
        .rng = &d.rng,
        .transport = (mt_transport_kind)(mode & 3),
        .obfuscated = (mode & 4) && (mode & 3) != MT_TRANSPORT_FULL,
        .http = mode & 8,
        .saved_key = (mode & 16) ? &saved : NULL,
        .temp_key = mode & 32,
        .stop_after = PCLIENT_STAGE_ALL,
        .on_event = on_event,
    };
    errors = 0;
    pclient *c = NULL;
    if (pclient_new(&c, &cfg) != MT_OK)
        abort();
    if (pclient_start(c) == MT_OK) {
        size_t rest = size - 2, split = data[1] < rest ? data[1] : rest;
        size_t n;
        (void)pclient_output(c, &n);
        pclient_output_done(c, n);
        int err = pclient_feed(c, data + 2, split);
        if (!pclient_done(c) || !err) {
            vclock_advance(&vc, 2 * NS_PER_S);
            (void)pclient_tick(c);
            err = pclient_feed(c, data + 2 + split, rest - split);
        }
        if (err && !mt_err_is_rule(err) && err != MT_E_limit_exceeded && err != MT_E_no_space &&
            err != MT_E_bad_argument && !pclient_done(c))
            abort();
        if (pclient_done(c) && pclient_tick(c) != UINT64_MAX)
            abort();
    }
    pclient_free(c);
    return 0;
}
