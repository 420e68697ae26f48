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

#include "fuzz/fuzz_test_key.h"

static rsa_private key;
static mt_drbg drbg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (key.pub.bytes == 0) {
        drbg_init_u64(&drbg, 1);
        if (rsa_private_load_pem(&key, FUZZ_TEST_KEY_PEM, sizeof FUZZ_TEST_KEY_PEM - 1, &drbg.rng,
                                 NULL, NULL) != 0)
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
