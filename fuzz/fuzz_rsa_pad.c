/*
 * Target: rsa_pad_decrypt (crypto/rsa_pad.c) and through it rsa_private_op (crypto/rsa.c), with
 * the test key vectors/keys/test_rsa2048.pem (a test key; embedded so the target is standalone).
 * Input: encrypted_data of any length (256 bytes reaches the private operation).
 * Property: never crashes; the result is the same with and without blinding; an error leaves the
 * output zeroed and is one of the rules (length, value, hash).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "crypto/drbg.h"
#include "crypto/rsa.h"
#include "crypto/rsa_pad.h"

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
static mt_drbg drbg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (key.pub.bytes == 0) {
        drbg_init_u64(&drbg, 1);
        if (rsa_private_load_pem(&key, TEST_KEY_PEM, sizeof TEST_KEY_PEM - 1, &drbg.rng, NULL,
                                 NULL) != 0)
            abort();
    }
    uint8_t plain[RSA_PAD_PADDED_LEN], blinded[RSA_PAD_PADDED_LEN];
    int err = rsa_pad_decrypt(&key, data, size, NULL, plain);
    int err2 = rsa_pad_decrypt(&key, data, size, &drbg.rng, blinded);
    if (err != err2 || memcmp(plain, blinded, sizeof plain) != 0)
        abort();
    if (err && (!ct_is_zero(plain, sizeof plain) ||
                (err != MT_E_RSAPAD_LENGTH && err != MT_E_RSAPAD_NOT_BELOW_MODULUS &&
                 err != MT_E_RSAPAD_HASH)))
        abort();
    return 0;
}
