/*
 * obfuscated2 (mtproto-notes §6). The client sends 64 random bytes `init`, "regenerated while
 * init[0]==0xef, or the first uint32 LE in {HEAD, POST, GET , OPTI, 0x02010316, 0xdddddddd,
 * 0xeeeeeeee}, or init[4:8]==0", with the protocol tag at init[56:60] and, for MTProxy, the DC id
 * as int16 LE at init[60:62]. "enc_key = init[8:40], enc_iv = init[40:56]; rev = reverse(init);
 * dec_key = rev[8:40], dec_iv = rev[40:56]; with an MTProxy secret, key = SHA256(key ‖ secret16)
 * in both directions." AES-256-CTR, one continuous stream per direction; the client encrypts the
 * whole init with its stream and sends init[0:56] ‖ encrypted[56:64].
 */
#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "crypto/sha256.h"
#include "proto/transport_internal.h"

#define OBF2_KEY_OFF 8
#define OBF2_IV_OFF  40
#define OBF2_TAG_OFF 56
#define OBF2_DC_OFF  60
/* A broken RNG must not hang the client: give up after this many forbidden inits (a healthy RNG
 * needs a second try about once in 200 connections). */
#define OBF2_MAX_TRIES 64

bool mt_obf2_init_forbidden(const uint8_t init[MT_OBF2_INIT_LEN])
{
    static const uint32_t forbidden[] = {
        0x44414548u, /* "HEAD" */
        0x54534f50u, /* "POST" */
        0x20544547u, /* "GET " */
        0x4954504fu, /* "OPTI" */
        0x02010316u, /* TLS 16 03 01 02 */
        0xddddddddu, /* padded intermediate */
        0xeeeeeeeeu, /* intermediate */
    };
    uint32_t first = ld32le(init);
    if (init[0] == 0xEF || ld32le(init + 4) == 0)
        return true;
    for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++)
        if (first == forbidden[i])
            return true;
    return false;
}

uint32_t mt_obf2_tag(mt_transport_kind kind)
{
    switch (kind) {
    case MT_TRANSPORT_ABRIDGED:
        return 0xEFEFEFEFu;
    case MT_TRANSPORT_INTERMEDIATE:
        return 0xEEEEEEEEu;
    case MT_TRANSPORT_PADDED:
        return 0xDDDDDDDDu;
    default:
        return 0;
    }
}

/* key (32) ‖ iv (16) from 48 bytes; with a secret, key = SHA256(key ‖ secret). */
static void derive_one(const uint8_t src[48], const uint8_t *secret, uint8_t key[32],
                       uint8_t iv[16])
{
    if (secret) {
        sha256_ctx h;
        sha256_init(&h);
        sha256_update(&h, src, 32);
        sha256_update(&h, secret, MT_OBF2_SECRET_LEN);
        sha256_final(&h, key);
    } else {
        memcpy(key, src, 32);
    }
    memcpy(iv, src + 32, 16);
}

int mt_obf2_derive(const uint8_t init[MT_OBF2_INIT_LEN], const uint8_t *secret, size_t secret_len,
                   mt_obf2_keys *k)
{
    if (secret && secret_len != MT_OBF2_SECRET_LEN)
        return MT_E_bad_key_size;
    uint8_t rev[MT_OBF2_INIT_LEN];
    for (size_t i = 0; i < MT_OBF2_INIT_LEN; i++)
        rev[i] = init[MT_OBF2_INIT_LEN - 1 - i];
    derive_one(init + OBF2_KEY_OFF, secret, k->enc_key, k->enc_iv);
    derive_one(rev + OBF2_KEY_OFF, secret, k->dec_key, k->dec_iv);
    ct_wipe(rev, sizeof rev);
    return MT_OK;
}

/* Client: enc is keyed by enc_*, dec by dec_*; the server the other way round. */
int obf2_set_streams(mt_transport *t, const mt_obf2_keys *k)
{
    bool client = t->role == MT_ROLE_CLIENT;
    int err = aes256_ctr_init(&t->enc, client ? k->enc_key : k->dec_key, 32,
                              client ? k->enc_iv : k->dec_iv, 16);
    if (!err)
        err = aes256_ctr_init(&t->dec, client ? k->dec_key : k->enc_key, 32,
                              client ? k->dec_iv : k->enc_iv, 16);
    return err;
}

static int make_init(mt_rng *rng, uint8_t init[MT_OBF2_INIT_LEN])
{
    for (int i = 0; i < OBF2_MAX_TRIES; i++) {
        int err = rng_fill(rng, init, MT_OBF2_INIT_LEN);
        if (err)
            return err;
        if (!mt_obf2_init_forbidden(init))
            return MT_OK;
    }
    return MT_E_rng_failure;
}

static int client_setup(mt_transport *t, uint32_t tag, int16_t dc_id, const uint8_t *secret)
{
    uint8_t init[MT_OBF2_INIT_LEN], wire[MT_OBF2_INIT_LEN];
    mt_obf2_keys k;
    int err = make_init(t->rng, init);
    if (err)
        goto out;
    st32le(init + OBF2_TAG_OFF, tag);
    if (dc_id != 0)
        st16le(init + OBF2_DC_OFF, (uint16_t)dc_id);
    err = mt_obf2_derive(init, secret, secret ? MT_OBF2_SECRET_LEN : 0, &k);
    if (!err)
        err = obf2_set_streams(t, &k);
    if (err)
        goto out;
    /* The whole init goes through the stream (64 bytes consumed); only its tail is sent
     * encrypted, so the server can read the key material in clear. */
    aes_ctr_xor(&t->enc, init, wire, MT_OBF2_INIT_LEN);
    memcpy(t->init, init, OBF2_TAG_OFF);
    memcpy(t->init + OBF2_TAG_OFF, wire + OBF2_TAG_OFF, MT_OBF2_INIT_LEN - OBF2_TAG_OFF);
    t->dc_id = dc_id;
out:
    ct_wipe(init, sizeof init);
    ct_wipe(wire, sizeof wire);
    ct_wipe(&k, sizeof k);
    return err;
}

int mt_transport_init_obf2_client(mt_transport *t, mt_transport_kind kind, int16_t dc_id,
                                  const uint8_t *secret, size_t secret_len, uint8_t *buf,
                                  size_t cap, mt_rng *rng)
{
    uint32_t tag = mt_obf2_tag(kind);
    if (!tag)
        return MT_E_bad_argument;
    if (secret && secret_len != MT_OBF2_SECRET_LEN)
        return MT_E_bad_key_size;
    int err = mt_transport_init(t, kind, MT_ROLE_CLIENT, buf, cap, rng);
    if (err)
        return err;
    t->obfuscated = true;
    err = client_setup(t, tag, dc_id, secret);
    if (err)
        mt_transport_wipe(t);
    return err;
}

static mt_transport_kind kind_of_tag(uint32_t tag)
{
    for (int k = MT_TRANSPORT_ABRIDGED; k <= MT_TRANSPORT_PADDED; k++)
        if (mt_obf2_tag((mt_transport_kind)k) == tag)
            return (mt_transport_kind)k;
    return MT_TRANSPORT_AUTO;
}

/* The server has the 64-byte init in rx.hdr: keys from it, then its own copy decrypted with the
 * client's stream names the framing ("the server side decrypts the init, checks the tag"). */
int obf2_server_accept(mt_transport *t)
{
    uint8_t *init = t->rx.hdr;
    mt_obf2_keys k;
    if (mt_obf2_init_forbidden(init))
        return MT_E_OBF2_FORBIDDEN_INIT;
    int err = mt_obf2_derive(init, t->has_secret ? t->secret : NULL,
                             t->has_secret ? MT_OBF2_SECRET_LEN : 0, &k);
    if (!err)
        err = obf2_set_streams(t, &k);
    ct_wipe(&k, sizeof k);
    if (err)
        return err;
    aes_ctr_xor(&t->dec, init, init, MT_OBF2_INIT_LEN);
    mt_transport_kind kind = kind_of_tag(ld32le(init + OBF2_TAG_OFF));
    t->dc_id = (int16_t)ld16le(init + OBF2_DC_OFF);
    ct_wipe(init, MT_OBF2_INIT_LEN);
    if (kind == MT_TRANSPORT_AUTO)
        return MT_E_OBF2_BAD_TAG;
    t->kind = kind;
    return MT_OK;
}
