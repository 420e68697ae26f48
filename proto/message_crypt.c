/*
 * MTProto 2.0 encrypted messages: pack, unpack with the checks of the security guidelines in
 * their order, the raw encrypt/decrypt layer, and MTProto 1.0 encryption (proto/message.h).
 */
#include "proto/message.h"

#include <string.h>

#include "common/ct.h"
#include "common/endian.h"
#include "crypto/ige.h"

/* Offsets inside the plaintext (the inner header). */
enum { OFF_SALT = 0, OFF_SESSION = 8, OFF_MSG_ID = 16, OFF_SEQ_NO = 24, OFF_LENGTH = 28 };

#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
static bool fuzzing_skip_msg_key;
void mt_msg_fuzzing_skip_msg_key(bool on)
{
    fuzzing_skip_msg_key = on;
}
#endif

static bool x_ok(unsigned x)
{
    return x == MT_X_CLIENT || x == MT_X_SERVER;
}

/* AES-256-IGE in place over m bytes with the keys MTProto 2.0 derives from msg_key. */
static int ige_v2(const mt_auth_key *k, unsigned x, const uint8_t msg_key[MT_MSG_KEY_LEN],
                  int decrypt, const uint8_t *in, uint8_t *out, size_t m)
{
    uint8_t key[MT_AES_KEY_LEN], iv[MT_AES_IV_LEN];
    int err = mt_kdf_v2(k->key, x, msg_key, key, iv);
    if (!err)
        err = decrypt ? aes256_ige_decrypt(key, sizeof key, iv, sizeof iv, in, out, m)
                      : aes256_ige_encrypt(key, sizeof key, iv, sizeof iv, in, out, m);
    ct_wipe(key, sizeof key);
    ct_wipe(iv, sizeof iv);
    return err;
}

/* out holds the m-byte padded plaintext at out + 24: writes auth_key_id and msg_key in front of
 * it and encrypts it in place. */
static int seal(const mt_auth_key *k, unsigned x, uint8_t *out, size_t m,
                const mt_msg_override *ovr)
{
    uint8_t *plain = out + MT_MSG_OUTER_LEN;
    uint8_t msg_key[MT_MSG_KEY_LEN];
    int err = mt_msg_key_v2(k->key, x, plain, m, msg_key, NULL);
    if (err)
        return err;
    if (ovr && (ovr->flags & MT_OVR_MSG_KEY))
        memcpy(msg_key, ovr->msg_key, MT_MSG_KEY_LEN);
    bool own_id = !(ovr && (ovr->flags & MT_OVR_AUTH_KEY_ID));
    memcpy(out, own_id ? k->id : ovr->auth_key_id, MT_AUTH_KEY_ID_LEN);
    memcpy(out + MT_AUTH_KEY_ID_LEN, msg_key, MT_MSG_KEY_LEN);
    return ige_v2(k, x, msg_key, 0, plain, plain, m);
}

int mt_msg_encrypt_raw(const mt_auth_key *k, unsigned x, const uint8_t *plain, size_t n,
                       const mt_msg_override *ovr, uint8_t *out, size_t cap)
{
    if (!x_ok(x))
        return MT_E_bad_argument;
    if (n % AES_BLOCK_LEN)
        return MT_E_bad_data_size;
    if (cap < n || cap - n < MT_MSG_OUTER_LEN)
        return MT_E_no_space;
    memmove(out + MT_MSG_OUTER_LEN, plain, n);
    int err = seal(k, x, out, n, ovr);
    if (err)
        ct_wipe(out, n + MT_MSG_OUTER_LEN);
    return err;
}

/* Decrypts the m bytes (whole blocks) after the packet's header into plain and sets *key_ok to
 * all-ones when the packet's msg_key is the one of that plaintext, compared in constant time. */
static int open_blocks(const mt_auth_key *k, unsigned x, const uint8_t *packet, size_t m,
                       uint8_t *plain, uint32_t *key_ok)
{
    const uint8_t *msg_key = packet + MT_AUTH_KEY_ID_LEN;
    uint8_t want[MT_MSG_KEY_LEN];
    int err = ige_v2(k, x, msg_key, 1, packet + MT_MSG_OUTER_LEN, plain, m);
    if (!err)
        err = mt_msg_key_v2(k->key, x, plain, m, want, NULL);
    *key_ok = err ? 0 : ct_eq_mask(want, msg_key, MT_MSG_KEY_LEN);
    ct_wipe(want, sizeof want);
    return err;
}

int mt_msg_decrypt_raw(const mt_auth_key *k, unsigned x, const uint8_t *packet, size_t n,
                       uint8_t *plain, size_t cap)
{
    if (!x_ok(x))
        return MT_E_bad_argument;
    if (n < MT_MSG_OUTER_LEN + AES_BLOCK_LEN)
        return MT_E_MSG_TOO_SHORT;
    size_t m = n - MT_MSG_OUTER_LEN;
    if (cap < m)
        return MT_E_no_space;
    uint32_t key_ok = 0;
    int err = m % AES_BLOCK_LEN ? MT_E_MSG_NOT_BLOCK_ALIGNED
                                : open_blocks(k, x, packet, m, plain, &key_ok);
    if (!err && !key_ok)
        err = MT_E_MSG_KEY_MISMATCH;
    if (err)
        ct_wipe(plain, m);
    return err;
}

/* The first failing check after decryption, chosen without branching on secret-derived data:
 * the checks are evaluated as masks and the error of the earliest failing one is selected. */
static int later_checks(const uint8_t *plain, size_t m, size_t n, const uint64_t *expect_session,
                        uint32_t key_ok, mt_msg_view *v)
{
    uint64_t avail = (uint64_t)m - MT_MSG_INNER_LEN;
    uint64_t length = ld32le(plain + OFF_LENGTH);
    uint64_t pad = avail - length; /* meaningful only when length <= avail */
    uint32_t sess_ok = ~0u;
    if (expect_session)
        sess_ok = (uint32_t)ct_is_zero64(ld64le(plain + OFF_SESSION) ^ *expect_session);
    const struct {
        uint32_t ok;
        int err;
    } checks[] = {
        {key_ok, MT_E_MSG_KEY_MISMATCH},
        {ct_is_zero32((uint32_t)((n - MT_MSG_OUTER_LEN) % AES_BLOCK_LEN)),
         MT_E_MSG_NOT_BLOCK_ALIGNED},
        {~(uint32_t)ct_lt64(avail, length), MT_E_MSG_LENGTH_TOO_BIG},
        {ct_is_zero32((uint32_t)length & 3), MT_E_MSG_LENGTH_NOT_ALIGNED},
        {~(uint32_t)ct_lt64(pad, MT_MSG_PAD_MIN), MT_E_MSG_PADDING_TOO_SHORT},
        {~(uint32_t)ct_lt64(MT_MSG_PAD_MAX, pad), MT_E_MSG_PADDING_TOO_LONG},
        {sess_ok, MT_E_MSG_SESSION_MISMATCH},
    };
    uint32_t err = MT_OK;
    for (size_t i = sizeof checks / sizeof checks[0]; i-- > 0;)
        err = ct_select32(checks[i].ok, err, (uint32_t)checks[i].err);
    v->hdr.salt = ld64le(plain + OFF_SALT);
    v->hdr.session_id = ld64le(plain + OFF_SESSION);
    v->hdr.msg_id = ld64le(plain + OFF_MSG_ID);
    v->hdr.seq_no = ld32le(plain + OFF_SEQ_NO);
    v->body = plain + MT_MSG_INNER_LEN;
    v->body_len = (size_t)length;
    v->pad_len = (size_t)pad;
    return (int)err;
}

int mt_msg_unpack(const mt_auth_key *k, unsigned x, const uint64_t *expect_session,
                  const uint8_t *packet, size_t n, uint8_t *plain, size_t cap, mt_msg_view *out)
{
    memset(out, 0, sizeof *out);
    if (!x_ok(x))
        return MT_E_bad_argument;
    /* Public facts, checked before anything secret is touched. */
    if (n < MT_MSG_MIN_PACKET)
        return MT_E_MSG_TOO_SHORT;
    if (cap < n - MT_MSG_OUTER_LEN)
        return MT_E_no_space;
    int err = MT_E_MSG_AUTH_KEY_ID_UNKNOWN;
    if (ct_eq(packet, k->id, MT_AUTH_KEY_ID_LEN)) {
        /* tdlib decrypts the whole blocks and ignores a tail; here the tail is reported, but
         * only after the msg_key check. */
        size_t m = (n - MT_MSG_OUTER_LEN) & ~(size_t)(AES_BLOCK_LEN - 1);
        uint32_t key_ok;
        err = open_blocks(k, x, packet, m, plain, &key_ok);
#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
        if (fuzzing_skip_msg_key)
            key_ok = ~0u;
#endif
        if (!err)
            err = later_checks(plain, m, n, expect_session, key_ok, out);
    }
    if (err) {
        ct_wipe(plain, n - MT_MSG_OUTER_LEN);
        memset(out, 0, sizeof *out);
    }
    return err;
}

/* The padding length: random (minimum aligned length plus random blocks) or the exact one asked
 * for, which must lie in 12..1024 unless the override allows any, and align the total. */
static int choose_padding(const mt_msg_pack_opts *o, size_t body_len, size_t *pad)
{
    size_t base = MT_MSG_INNER_LEN + body_len;
    if (o->pad_len == MT_PAD_RANDOM) {
        uint8_t r;
        if (!o->rng)
            return MT_E_bad_argument;
        int err = rng_fill(o->rng, &r, 1);
        if (err)
            return err;
        /* 256 is a multiple of 16, so r % 16 is uniform. */
        _Static_assert(256 % (MT_MSG_PAD_RANDOM_BLOCKS + 1) == 0, "uniform block count");
        *pad = MT_MSG_PAD_MIN + (16 - (base + MT_MSG_PAD_MIN) % 16) % 16 +
               16 * (size_t)(r % (MT_MSG_PAD_RANDOM_BLOCKS + 1));
        return MT_OK;
    }
    bool any = o->ovr && (o->ovr->flags & MT_OVR_PAD_ANY);
    if (o->pad_len > MT_MSG_MAX_BODY ||
        (!any && (o->pad_len < MT_MSG_PAD_MIN || o->pad_len > MT_MSG_PAD_MAX)))
        return MT_E_bad_argument;
    if ((base + o->pad_len) % AES_BLOCK_LEN)
        return MT_E_bad_data_size;
    if (!o->pad_bytes && !o->rng && o->pad_len)
        return MT_E_bad_argument;
    *pad = o->pad_len;
    return MT_OK;
}

/* Writes the plaintext (inner header, body, padding) of m bytes at p. */
static int write_plain(const mt_msg_hdr *h, const uint8_t *body, size_t body_len,
                       const mt_msg_pack_opts *o, size_t pad, uint8_t *p)
{
    bool ovr_len = o->ovr && (o->ovr->flags & MT_OVR_LENGTH);
    st64le(p + OFF_SALT, h->salt);
    st64le(p + OFF_SESSION, h->session_id);
    st64le(p + OFF_MSG_ID, h->msg_id);
    st32le(p + OFF_SEQ_NO, h->seq_no);
    st32le(p + OFF_LENGTH, ovr_len ? o->ovr->length : (uint32_t)body_len);
    if (body_len)
        memmove(p + MT_MSG_INNER_LEN, body, body_len);
    uint8_t *pp = p + MT_MSG_INNER_LEN + body_len;
    if (o->pad_bytes && o->pad_len != MT_PAD_RANDOM) {
        memcpy(pp, o->pad_bytes, pad);
        return MT_OK;
    }
    return pad ? rng_fill(o->rng, pp, pad) : MT_OK;
}

int mt_msg_pack(const mt_auth_key *k, unsigned x, const mt_msg_hdr *hdr, const uint8_t *body,
                size_t body_len, const mt_msg_pack_opts *opts, uint8_t *out, size_t cap,
                size_t *out_len)
{
    *out_len = 0;
    if (!x_ok(x) || body_len % 4 || body_len > MT_MSG_MAX_BODY)
        return MT_E_bad_argument;
    size_t pad;
    int err = choose_padding(opts, body_len, &pad);
    if (err)
        return err;
    size_t m = MT_MSG_INNER_LEN + body_len + pad;
    if (cap < m || cap - m < MT_MSG_OUTER_LEN)
        return MT_E_no_space;
    err = write_plain(hdr, body, body_len, opts, pad, out + MT_MSG_OUTER_LEN);
    if (!err)
        err = seal(k, x, out, m, opts->ovr);
    if (err) {
        ct_wipe(out, MT_MSG_OUTER_LEN + m);
        return err;
    }
    *out_len = MT_MSG_OUTER_LEN + m;
    return MT_OK;
}

int mt_msg_encrypt_v1(const mt_auth_key *k, unsigned x, const uint8_t *plain, size_t n, mt_rng *rng,
                      uint8_t *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (!x_ok(x) || n > MT_MSG_MAX_BODY)
        return MT_E_bad_argument;
    size_t pad = (AES_BLOCK_LEN - n % AES_BLOCK_LEN) % AES_BLOCK_LEN;
    if (cap < n + pad || cap - n - pad < MT_MSG_OUTER_LEN)
        return MT_E_no_space;
    uint8_t msg_key[MT_MSG_KEY_LEN], key[MT_AES_KEY_LEN], iv[MT_AES_IV_LEN];
    uint8_t *body = out + MT_MSG_OUTER_LEN;
    /* MTProto 1.0: msg_key is taken over the plaintext without its padding. */
    mt_msg_key_v1(plain, n, msg_key);
    memmove(body, plain, n);
    int err = pad ? (rng ? rng_fill(rng, body + n, pad) : MT_E_bad_argument) : MT_OK;
    if (!err)
        err = mt_kdf_v1(k->key, x, msg_key, key, iv);
    if (!err)
        err = aes256_ige_encrypt(key, sizeof key, iv, sizeof iv, body, body, n + pad);
    ct_wipe(key, sizeof key);
    ct_wipe(iv, sizeof iv);
    memcpy(out, k->id, MT_AUTH_KEY_ID_LEN);
    memcpy(out + MT_AUTH_KEY_ID_LEN, msg_key, MT_MSG_KEY_LEN);
    if (err) {
        ct_wipe(out, MT_MSG_OUTER_LEN + n + pad);
        return err;
    }
    *out_len = MT_MSG_OUTER_LEN + n + pad;
    return MT_OK;
}
