/*
 * Target: mt_msg_unpack and mt_msg_decrypt_raw (proto/message_crypt.c), and mt_msg_pack for the
 * round trip, with a fixed auth key.
 * Input: byte 0 holds flags (bit 0: x = 8 instead of 0; bit 1: check session_id = the fixed
 * SESSION; bit 2: keep the packet's own auth_key_id instead of writing the key's id over it;
 * bit 3, fuzzer mode only: skip the msg_key check), the rest is the packet.
 * In a normal build almost every input fails msg_key; in fuzzer mode (MTPROOF_FUZZING_MODE) bit 3
 * lets the fuzzer reach the length, padding and session checks behind the encryption.
 * Property: never crashes; a rejection is a framing rule, wipes the plaintext and zeroes the view;
 * an accepted message has body + padding + 32 = the decrypted size, padding 12..1024, and
 * (when msg_key was checked) re-packs with its own padding to exactly the input packet.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ct.h"
#include "proto/message.h"

enum { MAX_PACKET = 1 << 16 };
static const uint64_t SESSION = 0x1122334455667788ull;

static bool framing_rule(int err)
{
    return err >= MT_E_MSG_TOO_SHORT && err <= MT_E_MSG_SESSION_MISMATCH;
}

/* Re-packs an accepted message with its own padding; the result must be the input packet. */
static void check_repack(const mt_auth_key *k, unsigned x, const uint8_t *pkt, size_t n,
                         const uint8_t *plain, const mt_msg_view *v)
{
    static uint8_t again[MAX_PACKET + MT_MSG_OUTER_LEN];
    mt_msg_pack_opts o = {NULL, v->pad_len, plain + MT_MSG_INNER_LEN + v->body_len, NULL};
    size_t len;
    if (mt_msg_pack(k, x, &v->hdr, v->body, v->body_len, &o, again, sizeof again, &len) != 0 ||
        len != n || memcmp(again, pkt, n) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mt_auth_key k;
    static uint8_t pkt[MAX_PACKET], plain[MAX_PACKET];
    if (k.key[1] == 0) {
        uint8_t key[MT_AUTH_KEY_LEN];
        for (size_t i = 0; i < sizeof key; i++)
            key[i] = (uint8_t)(i * 7 + 3);
        mt_auth_key_init(&k, key);
    }
    if (size < 1 || size - 1 > MAX_PACKET)
        return 0;
    unsigned flags = data[0], x = (flags & 1) ? MT_X_SERVER : MT_X_CLIENT;
    size_t n = size - 1;
    memcpy(pkt, data + 1, n);
    if (!(flags & 4) && n >= MT_AUTH_KEY_ID_LEN)
        memcpy(pkt, k.id, MT_AUTH_KEY_ID_LEN);
    bool skip = false;
#if defined(MTPROOF_FUZZING) && MTPROOF_FUZZING
    skip = (flags & 8) != 0;
    mt_msg_fuzzing_skip_msg_key(skip);
#endif
    mt_msg_view v;
    int err = mt_msg_unpack(&k, x, (flags & 2) ? &SESSION : NULL, pkt, n, plain, sizeof plain, &v);
    if (err) {
        if (!framing_rule(err) || v.body ||
            (err != MT_E_MSG_TOO_SHORT && !ct_is_zero(plain, n - MT_MSG_OUTER_LEN)))
            abort();
    } else {
        size_t m = n - MT_MSG_OUTER_LEN;
        if (MT_MSG_INNER_LEN + v.body_len + v.pad_len != m || v.pad_len < MT_MSG_PAD_MIN ||
            v.pad_len > MT_MSG_PAD_MAX || v.body != plain + MT_MSG_INNER_LEN)
            abort();
        if (!skip)
            check_repack(&k, x, pkt, n, plain, &v);
    }
    /* The raw layer agrees with unpack on whether msg_key holds. */
    int raw = mt_msg_decrypt_raw(&k, x, pkt, n, plain, sizeof plain);
    if (!skip && err == MT_OK && raw != MT_OK)
        abort();
    return 0;
}
