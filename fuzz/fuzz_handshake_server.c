/*
 * Target: hss_feed (proto/handshake_server.c) and the steps behind it (hss_step_req_pq,
 * hss_step_req_dh with rsa_pad_decrypt and the deprecated padding, hss_step_set_dh with
 * hs_answer_decrypt/hs_answer_verify and dh_compute_key), stateful.
 * Input: a sequence of client messages as records [len:u16 little-endian][len bytes], each fed
 * to one server engine in order (an unencrypted packet: auth_key_id 0 | msg_id | length | body).
 * Deterministic: the server draws from a DRBG seeded with 1, the clock is virtual and moves 1 s
 * per message; the key is the test key vectors/keys/test_rsa2048.pem (embedded).
 * Properties: never crashes; an answer fits HS_PACKET_MAX; once a message is refused every later
 * one gets HSS_LATCHED; every refusal is a rule of the catalogue with a transport error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "crypto/drbg.h"
#include "proto/handshake_server.h"

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

static rsa_private key;
static hss server;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mt_drbg drbg;
    static mt_vclock clock;
    if (key.pub.bytes == 0) {
        drbg_init_u64(&drbg, 1);
        if (rsa_private_load_pem(&key, TEST_KEY_PEM, sizeof TEST_KEY_PEM - 1, &drbg.rng, NULL,
                                 NULL) != 0)
            abort();
    }
    const rsa_private *keys[1] = {&key};
    hss_config cfg = {.keys = keys, .n_keys = 1};
    drbg_init_u64(&drbg, 1);
    vclock_init(&clock, 1707425105ull * NS_PER_S);
    if (hss_init(&server, &cfg, &clock.clock, &drbg.rng, NULL) != 0)
        abort();
    static uint8_t out[HS_PACKET_MAX];
    int refused = 0;
    while (size >= 2) {
        size_t n = ld16le(data);
        data += 2;
        size -= 2;
        if (n > size)
            n = size;
        size_t out_len = 0;
        int err = hss_feed(&server, data, n, out, sizeof out, &out_len);
        data += n;
        size -= n;
        vclock_advance(&clock, NS_PER_S);
        if (refused && err != MT_E_HSS_LATCHED)
            abort(); /* the -404 latch */
        if (err) {
            const mt_rule *r = mt_rule_of(err);
            if (!r || r->reaction != RX_TRANSPORT_ERROR || out_len != 0)
                abort();
            refused = err;
        } else if (out_len == 0 || out_len > sizeof out) {
            abort();
        }
    }
    hss_wipe(&server);
    return 0;
}
