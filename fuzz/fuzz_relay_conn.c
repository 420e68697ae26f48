/*
 * Target: relay_feed, relay_tick, relay_output (reference-peers/relay_core.c, relay_conn.c,
 * relay_http.c, relay_hs.c, relay_sess.c and what they drive: the AUTO transport detector and
 * framings, obfuscated2, the HTTP server engine, the handshake server, mt_msg_unpack and the
 * session engine): arbitrary bytes into relay connections. The RSA key is the test key
 * vectors/keys/test_rsa2048.pem (embedded, as in fuzz_handshake_server.c). One permanent key is
 * known (auth_key = 0x5c repeated) so encrypted packets reach the session; in fuzzer mode
 * (MTPROOF_FUZZING) the msg_key check is skipped so the fuzzer gets past the encryption.
 * Input: [u8 mode] then records [u8 flags][u16le len][len bytes]: flags bit 0 picks one of two
 * connections, bit 1 advances the virtual clock 10 s and ticks, bit 2 drains the output.
 * mode bit 0: the connections are HTTP ones. Property: no crash, no leak, output only grows
 * within max_pending (+ one transport error), a closing connection stays closing.
 */
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "crypto/drbg.h"
#include "proto/message.h"
#include "reference-peers/relay_core.h"

static const char TEST_KEY_PEM[] =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEpAIBAAKCAQEA1pki4VDG7/sEZEfNDOuQdrN6Azo/5I03b3FLqZShigDmG3NX\n"
    "yzSDQFfWYHpPmfdQubtv1P9/0hvTA5z8BZ5uxGMJDAubRMYL02KT2//QVfp1Mvz/\n"
    "zWPPw4OSIuedZ/NOm90PiIaWbobMafVTuQa4Ld/tBNeskDEjyOBD+NPlUyJfdMhP\n"
    "IcIg0WdWhwmPhEIx0vJix6o4JhFXGU/IC1VJkJZYYHIpKCPYgKtIZMZwE03sgB1z\n"
    "7huyLGKpC3zdCtD6EB9N5UjKWHWbEqT4w8XgqAGYS29WZAoMIZuLPpz2pYeOgpzt\n"
    "oQcJSDrM6PdSvT9DJldkoAX8lcOWLC52JbMeYwIDAQABAoIBAFN+07Zs8mpO9V97\n"
    "HEoJoXS90hxNXqyzUT1YDINXpB6IyP8nOqKCtQqk4nE5RZ13P350ckeifX4ne0ut\n"
    "mdUp1pksm0mHfoscr184vKTdfJbnUxBapcCpNB4zI/nWukTGwvAb675H92Hbqs8T\n"
    "N9cGyUR4GsVGkQqtQ+oVb/zxnQlh4FxVw/QZdUlcYTXsjOKv8aKGhS/0wp7L31vs\n"
    "/yUJ5xwJe8mCZqU8Py650hImFVOU+FHi40yWsqXpDwp9rD/VbeboqTdYEls4+EGc\n"
    "YQpEt+ivZreTBdoGmj1QvqRbrZB9gpLftLbmBvSV8HCVbuVzQXU4s7JXjKJr5HG2\n"
    "YKY4cZECgYEA/giTS0s9/W5QtZ4rNMcXTrl6WoBSO0BDmE7T3DHvzV9BRx1Osgt2\n"
    "SIi5nQtTPROwzPPN9rGLDPE0xiPr/Jg+jqzHEyGQuh7ygNmlec9XTI4Df9aXFi7f\n"
    "OzrXHfOovVkzzLiD0JItVcz5Rn42ELEg4yJ4DjmtMNxxwTrY29CbbbkCgYEA2EJp\n"
    "Mq8i/bhjZU0qqtzYHgmN9jPeDRDeYR0GsrajidjgnBcNfz9tGAaNNw0G5a1BgLPs\n"
    "ukruhgB7B/xAGcTE+0rcyABvh7uz1wWPCSS+toDTPhCm7APZHv2G+ZNBjLcwIsSp\n"
    "8vSzJoTqRUPFuxiYqyBu+ZpuDMVU73YXBbhX2vsCgYEA4wotAtVLoQ6QKdIkUXZC\n"
    "uYSB+xLG69fC0gRZy2oCJe4lfHaQGAawf6FbKyWtDmBj2rln8jy5xyZpAVGnn0k+\n"
    "V+vJvKp6HC5+lHRxNY3/OxeNvxq+TAA2WUx8aHOV8y0fY6/hd269//pDLCKvFXoJ\n"
    "p5bt7+DSjmHndUiv+r3VvFkCgYBObFbl0GkqBTHWTJOKfqfIzMI0ZD7EEjfyk6oY\n"
    "KO9JT+Kz+BAm8wNG0Sloq0qzA49bcuQH8qBo68ex76H3NkoQruc9iBrp6AGhmhxy\n"
    "vmaCnFj+it9de0/DU0EdRG9i7hOAqDzRJDfLYivqjlcoMBU9CXf1ADGkY/MXG4Xh\n"
    "xyXk/QKBgQDfcMXGPZIpEW8Y8UIqcPiUpOAnz4vJjmLsFcYElT2qeRlbfogQr0jT\n"
    "hQtibL4WsjE6KUCP+jOWEHKjDIMdPz6MDKH4lS1ca9tp4JKitgC4Z8YLHE2Jk7q2\n"
    "1gwklD2JmRKyeEvI6KMjkqChWUl/5Vo0LbOLEaPA2DJwNFWSTePXsg==\n"
    "-----END RSA PRIVATE KEY-----\n";

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
        rsa_private_load_pem(&key, TEST_KEY_PEM, sizeof TEST_KEY_PEM - 1, &d.rng, NULL, NULL))
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
    relay_conn_kind kind = (data[0] & 1) ? RELAY_CONN_HTTP : RELAY_CONN_TCP;
    if (relay_add_key(r, &k, false, 0) || relay_open(r, kind, &conn[0]) ||
        relay_open(r, kind, &conn[1]))
        abort();
    const uint8_t *p = data + 1, *end = data + size;
    while (end - p >= 3) {
        uint8_t flags = p[0];
        size_t len = ld16le(p + 1);
        p += 3;
        len = len < (size_t)(end - p) ? len : (size_t)(end - p);
        uint32_t c = conn[flags & 1];
        bool was_closing = relay_closing(r, c);
        int err = relay_feed(r, c, p, len);
        if (err && !mt_err_is_rule(err) && err != MT_E_no_memory && err != MT_E_bad_argument)
            abort();
        if (was_closing && !relay_closing(r, c))
            abort();
        size_t n;
        if (relay_output(r, c, &n) && n > (1u << 16) + 1024)
            abort();
        if (flags & 2) {
            vclock_advance(&vc, 10 * NS_PER_S);
            (void)relay_tick(r);
        }
        if ((flags & 4) && relay_output(r, c, &n))
            relay_output_done(r, c, n);
        p += len;
    }
    relay_free(r);
#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
    mt_msg_fuzzing_skip_msg_key(false);
#endif
    return 0;
}
