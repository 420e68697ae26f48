/*
 * MTProto RSA_PAD (page mtproto/auth_key, mtproto-notes §1 step 4), the encryption of
 * p_q_inner_data for req_DH_params with a 2048-bit server key:
 *   data_with_padding = data + random bytes to 192;  data_pad_reversed =
 * reverse(data_with_padding); temp_key = 32 random bytes; data_with_hash = data_pad_reversed +
 * SHA256(temp_key + data_with_padding)   (224 bytes) aes_encrypted = AES256_IGE(data_with_hash,
 * temp_key, iv = 32 zero bytes) temp_key_xor = temp_key XOR SHA256(aes_encrypted) key_aes_encrypted
 * = temp_key_xor + aes_encrypted                           (256 bytes) "if key_aes_encrypted as a
 * big-endian number is >= n, retry with a new temp_key" encrypted_data = key_aes_encrypted^e mod n
 * (256 bytes) The server side undoes each step and checks the length, the value and the hash; each
 * failure returns its rule ID (common/rules.def).
 */
#ifndef MTPROOF_CRYPTO_RSA_PAD_H
#define MTPROOF_CRYPTO_RSA_PAD_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/rng.h"
#include "crypto/rsa.h"

#define RSA_PAD_DATA_MAX     144 /* "len(data) <= 144" */
#define RSA_PAD_PADDED_LEN   192 /* data_with_padding */
#define RSA_PAD_TEMP_KEY_LEN 32
#define RSA_PAD_HASHED_LEN   224 /* data_with_hash */
#define RSA_PAD_OUT_LEN      256 /* encrypted_data; the key must be 2048-bit */
/* Fresh temp_keys tried before giving up; each try fails with probability (2^2048 - n) / 2^2048,
 * at most 1/2 for a 2048-bit n, so 64 tries fail with probability at most 2^-64. */
#define RSA_PAD_MAX_TRIES 64

/* Encrypts data[0..len) for key k (2048-bit: key_bad_size otherwise) with padding and temp_key
 * from rng, retrying with a new temp_key while the value is >= n. Errors: RSAPAD_DATA_TOO_LONG,
 * key_bad_size, rng_failure, RSAPAD_NOT_BELOW_MODULUS (after RSA_PAD_MAX_TRIES). The temp keys
 * and the padded data are wiped. */
MT_WUR int rsa_pad_encrypt(const rsa_public *k, const uint8_t *data, size_t len, mt_rng *rng,
                           uint8_t out[RSA_PAD_OUT_LEN]);

/* The same with an explicit temp_key and padding (pad_len must be 192 - len: bad_argument
 * otherwise), for vectors and for building wrong messages. No retry: a value >= n gives
 * RSAPAD_NOT_BELOW_MODULUS. */
MT_WUR int rsa_pad_encrypt_with(const rsa_public *k, const uint8_t *data, size_t len,
                                const uint8_t temp_key[RSA_PAD_TEMP_KEY_LEN],
                                const uint8_t *padding, size_t pad_len,
                                uint8_t out[RSA_PAD_OUT_LEN]);

/* Server side: decrypts encrypted_data in[0..len) with the private key and returns
 * data_with_padding (192 bytes; the caller parses the TL inside). rng (may be NULL) blinds the
 * private operation. Errors: RSAPAD_LENGTH (len != 256), RSAPAD_NOT_BELOW_MODULUS (the value is
 * >= n), RSAPAD_HASH (the SHA-256 check fails; compared in constant time), key_bad_size,
 * rsa_fault, rng_failure. On error out is zeroed. */
MT_WUR int rsa_pad_decrypt(const rsa_private *k, const uint8_t *in, size_t len, mt_rng *rng,
                           uint8_t out[RSA_PAD_PADDED_LEN]);

#endif
