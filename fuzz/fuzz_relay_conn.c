/*
 * Target: relay_feed, relay_tick, relay_output (reference-peers/relay_core.c, relay_conn.c,
 * relay_http.c, relay_hs.c, relay_sess.c and what they drive: the AUTO transport detector and
 * framings, obfuscated2, the HTTP server engine, the handshake server, mt_msg_unpack and the
 * session engine): arbitrary bytes into relay connections. The RSA key is the test key
 * vectors/keys/test_rsa2048.pem (embedded, as in fuzz_handshake_server.c). One permanent key is
 * known (auth_key = 0x5c repeated) so encrypted packets reach the session; in fuzzer mode
 * (MTPROOF_FUZZING) the msg_key check is skipped so the fuzzer gets past the encryption.
 * Input (fuzz_relay_next of fuzz/fuzz_records.h): [u8 mode] then records [u8 flags][u16le len][len
 * bytes]: flags bit 0 picks one of two connections, bit 1 advances the virtual clock 10 s and
 * ticks, bit 2 drains the output. mode bit 0: the connections are HTTP ones. Property: no crash, no
 * leak, output only grows within max_pending (+ one transport error), a closing connection stays
 * closing.
 */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "crypto/drbg.h"
#include "fuzz_records.h"
#include "proto/message.h"
#include "reference-peers/relay_core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
    mt_msg_fuzzing_skip_msg_key(true);
#endif
    static rsa_private key;
    const rsa_private *keys[1] = {&key};
    if (size < 1)
        return 0;
    mt_vclock vc;
    vclock_init(&vc, 1700000000ull * NS_PER_S);
    mt_drbg d;
    drbg_init_u64(&d, 9);
    if (key.pub.bytes == 0 &&
        rsa_private_load_pem(&key, FUZZ_TEST_KEY_PEM, sizeof FUZZ_TEST_KEY_PEM - 1, &d.rng, NULL,
                             NULL))
        abort();
    relay_config cfg = {.keys = keys,
                        .n_keys = 1,
                        .clock = &vc.clock,
                        .rng = &d.rng,
                        .limits = {.max_frame = 1u << 16, .max_pending = 1u << 16}};
    relay *r = NULL;
    if (relay_new(&r, &cfg) != MT_OK)
        abort();
    uint8_t raw[MT_AUTH_KEY_LEN];
    memset(raw, 0x5c, sizeof raw);
    mt_auth_key k;
    mt_auth_key_init(&k, raw);
    uint32_t conn[2];
    relay_conn_kind kind = (data[0] & FUZZ_RELAY_HTTP) ? RELAY_CONN_HTTP : RELAY_CONN_TCP;
    if (relay_add_key(r, &k, false, 0) || relay_open(r, kind, &conn[0]) ||
        relay_open(r, kind, &conn[1]))
        abort();
    const uint8_t *p = data + 1, *end = data + size;
    const uint8_t *rec;
    uint8_t flags;
    size_t len;
    while (fuzz_relay_next(&p, end, &flags, &rec, &len)) {
        uint32_t c = conn[flags & FUZZ_RELAY_CONN1];
        bool was_closing = relay_closing(r, c);
        int err = relay_feed(r, c, rec, len);
        if (err && !mt_err_is_rule(err) && err != MT_E_no_memory && err != MT_E_bad_argument)
            abort();
        if (was_closing && !relay_closing(r, c))
            abort();
        size_t n;
        if (relay_output(r, c, &n) && n > (1u << 16) + 1024)
            abort();
        if (flags & FUZZ_RELAY_TICK) {
            vclock_advance(&vc, 10 * NS_PER_S);
            (void)relay_tick(r);
        }
        if ((flags & FUZZ_RELAY_DRAIN) && relay_output(r, c, &n))
            relay_output_done(r, c, n);
    }
    relay_free(r);
#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
    mt_msg_fuzzing_skip_msg_key(false);
#endif
    return 0;
}
