/* The decoders of the stateful fuzz targets' inputs, shared by the targets and by
 * `mtproof scenario-from-input` (harness/cmd_scenario_from_input.c), so that a finding is read
 * back exactly as the target read it. The session targets' format is fuzz/fuzz_session_input.h.
 * Also the RSA key the server-side targets embed: vectors/keys/test_rsa2048.pem. */
#ifndef MTPROOF_FUZZ_RECORDS_H
#define MTPROOF_FUZZ_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "common/endian.h"

/* fuzz_handshake_server.c: records [len:u16le][len bytes]; a short last record takes what is
 * left. Reads the next one into *rec / *n; 0 at the end (fewer than 2 bytes left). */
static inline int fuzz_hs_next(const uint8_t **p, const uint8_t *end, const uint8_t **rec,
                               size_t *n)
{
    if (end - *p < 2)
        return 0;
    size_t len = ld16le(*p);
    *p += 2;
    if (len > (size_t)(end - *p))
        len = (size_t)(end - *p);
    *rec = *p;
    *n = len;
    *p += len;
    return 1;
}

/* fuzz_relay_conn.c: [u8 mode] then records [u8 flags][u16le len][len bytes] (a short last
 * record takes what is left). mode bit 0: HTTP connections. flags bit 0: connection 1 (else 0),
 * bit 1: advance the clock 10 s and tick after the feed, bit 2: drain the output. */
#define FUZZ_RELAY_HTTP  1u
#define FUZZ_RELAY_CONN1 1u
#define FUZZ_RELAY_TICK  2u
#define FUZZ_RELAY_DRAIN 4u
static inline int fuzz_relay_next(const uint8_t **p, const uint8_t *end, uint8_t *flags,
                                  const uint8_t **rec, size_t *n)
{
    if (end - *p < 3)
        return 0;
    *flags = (*p)[0];
    size_t len = ld16le(*p + 1);
    *p += 3;
    if (len > (size_t)(end - *p))
        len = (size_t)(end - *p);
    *rec = *p;
    *n = len;
    *p += len;
    return 1;
}

/* The test key vectors/keys/test_rsa2048.pem. */
static const char FUZZ_TEST_KEY_PEM[] =
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

#endif
