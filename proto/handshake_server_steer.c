/*
 * The server's answers that test a client's edge cases (issue 8, client side of auth-key
 * creation; page mtproto/auth_key): a pq over 64 bits, an encrypted_answer too long or too short,
 * server_DH_params_fail, an answer out of order, dh_gen_retry / dh_gen_fail with a wrong hash, and
 * more dh_gen_retry than a client follows. Two knobs are legal server choices, not faults: one
 * dh_gen_retry, and dh_gen_retry until the new key's first byte is 0 ("auth keys with leading
 * zero bytes, steered there through dh_gen_retry"). Every derived field stays correct unless the
 * fault is that field.
 */
#include <string.h>

#include "common/ct.h"
#include "crypto/sha1.h"
#include "proto/handshake_server_internal.h"

#define HSS_ID_SERVER_DH_PARAMS_FAIL 0x79cb045du
#define HSS_BIG_PRIME_BITS           36    /* two of them: a 72-bit pq, 9 bytes */
#define HSS_LONG_ANSWER              1040u /* 65 AES blocks: over HS_ANSWER_MAX (1024) */

/* p * q as 16 big-endian bytes (schoolbook on 32-bit halves: no 128-bit type needed). */
static void mul_be128(uint64_t p, uint64_t q, uint8_t out[16])
{
    uint64_t pl = p & 0xffffffffu, ph = p >> 32, ql = q & 0xffffffffu, qh = q >> 32;
    uint64_t ll = pl * ql, lh = pl * qh, hl = ph * ql, hh = ph * qh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    uint64_t lo = (mid << 32) | (ll & 0xffffffffu);
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    for (int i = 0; i < 8; i++) {
        out[i] = (uint8_t)(hi >> (56 - 8 * i));
        out[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
    }
}

int hss_write_pq(hss *s, mt_wr *w)
{
    if (hss_faulty(s, HSS_FAULT_PQ_PRIME)) { /* q alone: a prime no client splits into p < q */
        hss_wr_be_u64(w, s->q);
        return 0;
    }
    if (!hss_faulty(s, HSS_FAULT_PQ_TOO_BIG)) {
        hss_wr_be_u64(w, s->p * s->q);
        return 0;
    }
    /* A true semiprime, only too big: "pq ... normally not exceeding 2^63-1". */
    uint64_t p, q;
    int err = hss_random_prime(s->rng, HSS_BIG_PRIME_BITS, &p);
    if (!err)
        err = hss_random_prime(s->rng, HSS_BIG_PRIME_BITS, &q);
    if (err)
        return err;
    uint8_t be[16];
    mul_be128(p, q, be);
    size_t skip = 0;
    while (skip < sizeof be - 1 && be[skip] == 0)
        skip++;
    tl_wr_string(w, be + skip, sizeof be - skip);
    return 0;
}

size_t hss_answer_pad_len(const hss *s, size_t len)
{
    size_t pad = (16 - (HS_SHA1_LEN + len) % 16) % 16;
    if (hss_faulty(s, HSS_FAULT_ANSWER_PADDING))
        pad += 16;
    if (hss_faulty(s, HSS_FAULT_ANSWER_TOO_LONG) && HS_SHA1_LEN + len + pad < HSS_LONG_ANSWER)
        pad = HSS_LONG_ANSWER - HS_SHA1_LEN - len; /* still whole blocks: 1040 is 65 * 16 */
    return pad;
}

void hss_answer_cut(const hss *s, size_t *enc_len)
{
    if (hss_faulty(s, HSS_FAULT_ANSWER_TOO_SHORT))
        *enc_len = 16; /* one block: "answer_with_hash holds SHA1(answer) and the answer" */
    if (hss_faulty(s, HSS_FAULT_ANSWER_UNALIGNED))
        *enc_len += 4; /* the caller's buffer has room for 4 more bytes */
}

bool hss_dh_refusal(const hss *s)
{
    return hss_faulty(s, HSS_FAULT_DH_PARAMS_FAIL) || hss_faulty(s, HSS_FAULT_UNEXPECTED);
}

int hss_write_dh_refusal(hss *s, mt_wr *w)
{
    if (hss_faulty(s, HSS_FAULT_UNEXPECTED)) { /* the resPQ of step 1, again */
        tl_wr_int(w, (int32_t)HSS_ID_RES_PQ);
        tl_wr_int128(w, s->nonce);
        tl_wr_int128(w, s->server_nonce);
        return hss_write_respq_tail(s, w);
    }
    /* server_DH_params_fail#79cb045d nonce server_nonce new_nonce_hash:int128, the hash "the 128
     * lower-order bits of SHA1(new_nonce)" (older revision of mtproto/auth_key). */
    uint8_t h[SHA1_DIGEST_LEN];
    sha1(s->new_nonce, HS_NEW_NONCE_LEN, h);
    tl_wr_int(w, (int32_t)HSS_ID_SERVER_DH_PARAMS_FAIL);
    tl_wr_int128(w, s->nonce);
    tl_wr_int128(w, s->server_nonce);
    tl_wr_int128(w, h + SHA1_DIGEST_LEN - HS_NONCE_LEN);
    ct_wipe(h, sizeof h);
    return 0;
}

unsigned hss_gen_number(const hss *s, bool id_in_use)
{
    if (hss_faulty(s, HSS_FAULT_RETRY_ALWAYS) || hss_faulty(s, HSS_FAULT_RETRY_HASH))
        return 2;
    if (hss_faulty(s, HSS_FAULT_FAIL_HASH))
        return 3;
    bool retry = id_in_use || (hss_faulty(s, HSS_FAULT_GEN_RETRY) && s->retries == 0) ||
                 (hss_faulty(s, HSS_FAULT_KEY_ZERO) && s->res.key.key[0] != 0);
    if (retry)
        return s->retries < s->cfg.max_retries ? 2 : id_in_use ? 3 : 1;
    return hss_faulty(s, HSS_FAULT_GEN_FAIL) ? 3 : 1;
}

bool hss_gen_hash_wrong(const hss *s, unsigned number)
{
    return (number == 1 && hss_faulty(s, HSS_FAULT_NEW_NONCE_HASH)) ||
           (number == 2 && hss_faulty(s, HSS_FAULT_RETRY_HASH)) ||
           (number == 3 && hss_faulty(s, HSS_FAULT_FAIL_HASH));
}
