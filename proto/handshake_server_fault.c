/*
 * The server's deliberate misbehaviours (hss_fault), for conformance tests of clients: each breaks
 * one check a client must make (mtproto-notes §1 "Checks the client must make"). DH faults change
 * only the bytes sent; the engine's own group and exponent stay the true ones.
 */
#include <string.h>

#include "proto/handshake_server_internal.h"

/* A 2048-bit prime p with p mod 3 = 2 (so g = 3 passes the residue rule) whose (p-1)/2 is
 * composite (divisible by 2, 7 and 173): only the safe-prime check can catch it. Found with a
 * seeded search (Python random.Random(20240505), 40 Miller–Rabin rounds on p). */
static const uint8_t HSS_BAD_PRIME_NOT_SAFE[DH_BYTES] = {
    0xf2, 0x54, 0xa9, 0x1a, 0x3b, 0x29, 0xf8, 0x33, 0x76, 0x49, 0x2b, 0x6e, 0x41, 0x83, 0x54, 0xb6,
    0x98, 0x44, 0xa7, 0xe4, 0x8b, 0x55, 0x6a, 0xc3, 0xc9, 0x46, 0xb3, 0xd4, 0x3a, 0x09, 0x62, 0x15,
    0xee, 0xb8, 0xca, 0xce, 0x62, 0x0b, 0x65, 0xeb, 0x17, 0x29, 0x9d, 0x14, 0x6f, 0x7d, 0xff, 0x81,
    0x7c, 0xed, 0x2f, 0x94, 0xbb, 0x3a, 0x1c, 0xeb, 0x60, 0x00, 0xa7, 0xee, 0xdd, 0x65, 0x1a, 0x61,
    0xee, 0x13, 0x54, 0xf4, 0x73, 0x16, 0xb8, 0x02, 0x20, 0x77, 0xcb, 0xc4, 0x67, 0xe6, 0xd1, 0xc3,
    0x62, 0x64, 0x98, 0x43, 0xd8, 0x6d, 0x09, 0x7d, 0xd9, 0xab, 0xf8, 0x63, 0x25, 0x4f, 0xb7, 0x32,
    0x0e, 0xe8, 0xf5, 0x68, 0x16, 0x85, 0xf8, 0x44, 0x52, 0xdc, 0xec, 0xde, 0x6e, 0xa5, 0xfd, 0x13,
    0x9b, 0xf9, 0xa2, 0x35, 0x50, 0xee, 0x44, 0xbf, 0xb5, 0x9b, 0xef, 0xe1, 0x6c, 0x6d, 0x30, 0x97,
    0x1c, 0x16, 0x2a, 0xb9, 0x44, 0x66, 0xb9, 0x1f, 0x4d, 0x53, 0x40, 0x9a, 0x73, 0x43, 0x07, 0x3a,
    0x49, 0x99, 0xe4, 0x23, 0xb2, 0x7b, 0xa0, 0x7a, 0xe9, 0x34, 0xa6, 0x20, 0xd2, 0xf8, 0xb9, 0xf8,
    0x22, 0x56, 0x6f, 0x05, 0x48, 0x2c, 0x5f, 0x16, 0xc2, 0xd0, 0xfe, 0x35, 0x6c, 0xf7, 0xae, 0x77,
    0x0e, 0x8a, 0x10, 0x11, 0xf5, 0xb9, 0x1d, 0x23, 0xde, 0x82, 0xd2, 0xe8, 0xed, 0xc6, 0xd6, 0xe9,
    0x6d, 0xd4, 0xc4, 0x56, 0x0a, 0xd9, 0x63, 0x50, 0xa4, 0xb0, 0x12, 0xa7, 0x9c, 0x27, 0xc8, 0x18,
    0xb4, 0x3f, 0x81, 0x22, 0x96, 0xda, 0xdf, 0x92, 0x2e, 0xaf, 0xe9, 0x21, 0x9e, 0xce, 0xe5, 0xd1,
    0xdf, 0x2b, 0x54, 0x65, 0x86, 0x47, 0xcb, 0xad, 0x39, 0xca, 0x35, 0x9f, 0x4e, 0x43, 0xdf, 0xce,
    0x2a, 0x91, 0x27, 0x8a, 0xf3, 0x75, 0xb9, 0x92, 0xbb, 0xf8, 0x1b, 0xf7, 0x57, 0x16, 0x43, 0x4d,
};

static const char *const FAULT_NAMES[HSS_FAULT_COUNT] = {
    [HSS_FAULT_NONE] = "none",
    [HSS_FAULT_RESPQ_NONCE] = "respq_nonce",
    [HSS_FAULT_PQ_PRIME] = "pq_prime",
    [HSS_FAULT_FINGERPRINTS] = "fingerprints",
    [HSS_FAULT_DH_NONCE] = "dh_nonce",
    [HSS_FAULT_DH_SERVER_NONCE] = "dh_server_nonce",
    [HSS_FAULT_INNER_NONCE] = "inner_nonce",
    [HSS_FAULT_ANSWER_HASH] = "answer_hash",
    [HSS_FAULT_ANSWER_PADDING] = "answer_padding",
    [HSS_FAULT_ANSWER_UNALIGNED] = "answer_unaligned",
    [HSS_FAULT_PRIME_SIZE] = "prime_size",
    [HSS_FAULT_PRIME_COMPOSITE] = "prime_composite",
    [HSS_FAULT_PRIME_NOT_SAFE] = "prime_not_safe",
    [HSS_FAULT_G_UNSUPPORTED] = "g_unsupported",
    [HSS_FAULT_G_RESIDUE] = "g_residue",
    [HSS_FAULT_GA_RANGE] = "ga_range",
    [HSS_FAULT_GA_BOUNDS] = "ga_bounds",
    [HSS_FAULT_GEN_NONCE] = "gen_nonce",
    [HSS_FAULT_NEW_NONCE_HASH] = "new_nonce_hash",
    [HSS_FAULT_GEN_FAIL] = "gen_fail",
    [HSS_FAULT_PQ_TOO_BIG] = "pq_too_big",
    [HSS_FAULT_ANSWER_TOO_LONG] = "answer_too_long",
    [HSS_FAULT_ANSWER_TOO_SHORT] = "answer_too_short",
    [HSS_FAULT_DH_PARAMS_FAIL] = "dh_params_fail",
    [HSS_FAULT_UNEXPECTED] = "unexpected",
    [HSS_FAULT_RETRY_HASH] = "retry_hash",
    [HSS_FAULT_FAIL_HASH] = "fail_hash",
    [HSS_FAULT_RETRY_ALWAYS] = "retry_always",
    [HSS_FAULT_GEN_RETRY] = "gen_retry",
    [HSS_FAULT_KEY_ZERO] = "key_zero",
};

const char *hss_fault_name(hss_fault f)
{
    return (unsigned)f < HSS_FAULT_COUNT ? FAULT_NAMES[f] : "?";
}

hss_fault hss_fault_by_name(const char *name)
{
    for (unsigned i = 0; i < HSS_FAULT_COUNT; i++)
        if (strcmp(FAULT_NAMES[i], name) == 0)
            return (hss_fault)i;
    return HSS_FAULT_COUNT;
}

/* p + 4 for a p with p mod 3 = 2 (Telegram's) is divisible by 3. Adds 4 to the big-endian bytes. */
static void add4(uint8_t b[DH_BYTES])
{
    unsigned carry = 4;
    for (size_t i = DH_BYTES; i-- > 0 && carry;) {
        unsigned v = b[i] + carry;
        b[i] = (uint8_t)v;
        carry = v >> 8;
    }
}

void hss_write_prime(const hss *s, mt_wr *w)
{
    uint8_t p[DH_BYTES];
    memcpy(p, s->dh_prime, sizeof p);
    if (hss_faulty(s, HSS_FAULT_PRIME_SIZE)) {
        tl_wr_string(w, p + 1, DH_BYTES - 1); /* 2040 bits */
        return;
    }
    if (hss_faulty(s, HSS_FAULT_PRIME_COMPOSITE))
        add4(p);
    if (hss_faulty(s, HSS_FAULT_PRIME_NOT_SAFE))
        memcpy(p, HSS_BAD_PRIME_NOT_SAFE, sizeof p);
    tl_wr_string(w, p, sizeof p);
}

int32_t hss_sent_g(const hss *s)
{
    if (hss_faulty(s, HSS_FAULT_G_UNSUPPORTED))
        return 8;
    return hss_faulty(s, HSS_FAULT_G_RESIDUE) ? 2 : s->cfg.g;
}

void hss_write_ga(const hss *s, mt_wr *w)
{
    static const uint8_t one = 1, two = 2;
    if (hss_faulty(s, HSS_FAULT_GA_RANGE))
        tl_wr_string(w, &one, 1);
    else if (hss_faulty(s, HSS_FAULT_GA_BOUNDS))
        tl_wr_string(w, &two, 1);
    else
        tl_wr_string(w, s->dh.pub, DH_BYTES);
}
