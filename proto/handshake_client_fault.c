/*
 * Client faults of the handshake engine (proto/handshake.h hs_client_fault): for conformance tests
 * of servers, the client writes one message wrong on purpose while everything derived from it
 * (RSA, SHA1, AES-IGE, TL lengths) is computed as usual, so the server's check of exactly that
 * rule is what fails (page mtproto/auth_key; mtproto-notes §1 steps 4 and 6).
 */
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "crypto/sha1.h"
#include "proto/handshake_client_internal.h"

#define ID_P_Q_INNER_DATA      0x83c95aecu /* p_q_inner_data (no dc; deprecated) */
#define ID_P_Q_INNER_DATA_TEMP 0x3c6a84d4u /* p_q_inner_data_temp (no dc; deprecated) */
#define OLD_RSA_DATA_LEN       255         /* "such that the length equals 255 bytes" */

static const char *const names[HSC_FAULT_COUNT] = {
    [HSC_FAULT_NONE] = "none",
    [HSC_FAULT_RSA_SHORT] = "rsa_short",
    [HSC_FAULT_RSA_ABOVE_N] = "rsa_above_n",
    [HSC_FAULT_INNER_MALFORMED] = "inner_malformed",
    [HSC_FAULT_INNER_NO_DC] = "inner_no_dc",
    [HSC_FAULT_OLD_RSA_PADDING] = "old_rsa_padding",
    [HSC_FAULT_ANSWER_UNALIGNED] = "set_dh_unaligned",
    [HSC_FAULT_ANSWER_PADDING] = "set_dh_padding",
    [HSC_FAULT_DH_INNER_MALFORMED] = "set_dh_inner_malformed",
    [HSC_FAULT_RETRY_ID] = "retry_id",
};

const char *hs_client_fault_name(hs_client_fault f)
{
    return (unsigned)f < HSC_FAULT_COUNT ? names[f] : "?";
}

hs_client_fault hs_client_fault_by_name(const char *name)
{
    for (unsigned f = HSC_FAULT_NONE + 1; f < HSC_FAULT_COUNT; f++)
        if (strcmp(names[f], name) == 0)
            return (hs_client_fault)f;
    return HSC_FAULT_COUNT;
}

bool hs_client_fault_sent(const hs_client *c)
{
    return c->fault_sent;
}

/* p_q_inner_data_dc#a9f55f95 pq:string ... dc:int [expires_in:int] as built: the deprecated form
 * without dc, or a pq string whose length (200) runs past RSA_PAD's 192 bytes. */
void hsc_fault_pq_inner(hs_client *c)
{
    bool temp = c->cfg.kind == HS_KEY_TEMP;
    if (c->cfg.fault == HSC_FAULT_INNER_NO_DC && c->pq_inner_len >= 8) {
        uint8_t *p = c->pq_inner;
        size_t dc_at = c->pq_inner_len - (temp ? 8 : 4);
        st32le(p, temp ? ID_P_Q_INNER_DATA_TEMP : ID_P_Q_INNER_DATA);
        memmove(p + dc_at, p + dc_at + 4, c->pq_inner_len - dc_at - 4);
        c->pq_inner_len -= 4;
        c->fault_sent = true;
    } else if (c->cfg.fault == HSC_FAULT_INNER_MALFORMED && c->pq_inner_len >= 8) {
        static const uint8_t overrun[4] = {0xfe, 200, 0, 0}; /* a 200-byte string */
        memcpy(c->pq_inner + 4, overrun, sizeof overrun);
        c->fault_sent = true;
    }
}

/* "data_with_hash := SHA1(data) + data + (any random bytes); such that the length equals 255
 * bytes; encrypted_data := RSA(data_with_hash, server_public_key)" (the pre-RSA_PAD revision of
 * page mtproto/auth_key): a 256-byte big-endian number with a zero first byte, below n. */
static int old_rsa(hs_client *c, uint8_t out[RSA_PAD_OUT_LEN])
{
    uint8_t in[RSA_PAD_OUT_LEN] = {0};
    size_t n = c->pq_inner_len;
    if (1 + SHA1_DIGEST_LEN + n > sizeof in)
        return MT_E_bad_argument;
    sha1(c->pq_inner, n, in + 1);
    memcpy(in + 1 + SHA1_DIGEST_LEN, c->pq_inner, n);
    int err =
        rng_fill(c->rng, in + 1 + SHA1_DIGEST_LEN + n, OLD_RSA_DATA_LEN - SHA1_DIGEST_LEN - n);
    if (!err)
        err = rsa_public_op(c->key, in, sizeof in, out);
    ct_wipe(in, sizeof in);
    return err;
}

int hsc_encrypt_pq_inner(hs_client *c, uint8_t out[RSA_PAD_OUT_LEN], size_t *out_len)
{
    *out_len = RSA_PAD_OUT_LEN;
    switch (c->cfg.fault) {
    case HSC_FAULT_OLD_RSA_PADDING:
        c->fault_sent = true;
        return old_rsa(c, out);
    case HSC_FAULT_RSA_ABOVE_N: /* "if key_aes_encrypted ... is >= n": n itself */
        c->fault_sent = true;
        return bn_to_bytes(&c->key->n, out, RSA_PAD_OUT_LEN);
    case HSC_FAULT_RSA_SHORT: /* a right encryption, its last byte cut */
        c->fault_sent = true;
        *out_len = RSA_PAD_OUT_LEN - 1;
        return rsa_pad_encrypt(c->key, c->pq_inner, c->pq_inner_len, c->rng, out);
    default:
        return rsa_pad_encrypt(c->key, c->pq_inner, c->pq_inner_len, c->rng, out);
    }
}

/* client_DH_inner_data as built: a wrong constructor (the SHA1 is taken over it as it is), or
 * after dh_gen_retry a retry_id that is not the previous attempt's auth_key_aux_hash. */
void hsc_fault_dh_inner(hs_client *c)
{
    if (c->cfg.fault == HSC_FAULT_DH_INNER_MALFORMED && c->attempt == 0) {
        c->client_dh_inner[0] ^= 0x01;
        c->fault_sent = true;
    } else if (c->cfg.fault == HSC_FAULT_RETRY_ID && c->attempt > 0) {
        c->client_dh_inner[4 + 2 * HS_NONCE_LEN] ^= 0x01; /* retry_id's first byte */
        c->fault_sent = true;
    }
}

bool hsc_fault_seals(const hs_client *c)
{
    return c->attempt == 0 &&
           (c->cfg.fault == HSC_FAULT_ANSWER_PADDING || c->cfg.fault == HSC_FAULT_ANSWER_UNALIGNED);
}

/* answer_with_hash encrypted: 16 more padding bytes than needed, or 4 bytes past the last block
 * (out has room: the caller's buffer is HS_ANSWER_MAX for a ~300-byte answer). */
int hsc_fault_seal(hs_client *c, uint8_t *out, size_t cap, size_t *out_len)
{
    const uint8_t *d = c->client_dh_inner;
    size_t n = c->client_dh_inner_len;
    uint8_t pad[32];
    size_t pad_len = (16 - (HS_SHA1_LEN + n) % 16) % 16;
    pad_len += c->cfg.fault == HSC_FAULT_ANSWER_PADDING ? 16 : 0;
    int err = rng_fill(c->rng, pad, pad_len);
    if (!err)
        err = hs_answer_encrypt_with(&c->tmp, d, n, pad, pad_len, out, cap, out_len);
    if (!err && c->cfg.fault == HSC_FAULT_ANSWER_UNALIGNED) {
        err = *out_len + 4 <= cap ? rng_fill(c->rng, out + *out_len, 4) : MT_E_no_space;
        *out_len += 4;
    }
    c->fault_sent = !err;
    ct_wipe(pad, sizeof pad);
    return err;
}
