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
#include "fuzz_records.h"
#include "harness/fuzz_rig.h"
#include "proto/message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
    mt_msg_fuzzing_skip_msg_key(true);
#endif
    if (size < 1)
        return 0;
    mt_vclock vc;
    mt_drbg d;
    relay *r;
    uint32_t conn[2];
    relay_conn_kind kind = (data[0] & FUZZ_RELAY_HTTP) ? RELAY_CONN_HTTP : RELAY_CONN_TCP;
    if (fuzz_rig_relay(&r, &vc, &d, kind, conn) != MT_OK)
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
