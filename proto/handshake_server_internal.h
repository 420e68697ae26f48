/* Internal to proto/handshake_server*.c: the steps, the deprecated-form policy and the faults. */
#ifndef MTPROOF_PROTO_HANDSHAKE_SERVER_INTERNAL_H
#define MTPROOF_PROTO_HANDSHAKE_SERVER_INTERNAL_H

#include "common/cursor.h"
#include "proto/tl.h"
#include "proto/handshake_server.h"

#define HSS_ID_REQ_PQ_MULTI         0xbe7e8ef1u
#define HSS_ID_REQ_PQ               0x60469778u
#define HSS_ID_RES_PQ               0x05162463u
#define HSS_ID_PQ_INNER             0x83c95aecu
#define HSS_ID_PQ_INNER_DC          0xa9f55f95u
#define HSS_ID_PQ_INNER_TEMP        0x3c6a84d4u
#define HSS_ID_PQ_INNER_TEMP_DC     0x56fddf88u
#define HSS_ID_REQ_DH_PARAMS        0xd712e4beu
#define HSS_ID_SERVER_DH_PARAMS_OK  0xd0e8075cu
#define HSS_ID_SERVER_DH_INNER      0xb5890dbau
#define HSS_ID_SET_CLIENT_DH_PARAMS 0xf5045f1fu
#define HSS_ID_CLIENT_DH_INNER      0x6643b654u
#define HSS_ID_DH_GEN_OK            0x3bcbf734u
#define HSS_ID_DH_GEN_RETRY         0x46dc1fb9u
#define HSS_ID_DH_GEN_FAIL          0xa69dae02u
#define HSS_OLD_RSA_DATA_LEN        255 /* SHA1(data) + data + random, "255 bytes" */

/* The steps, also the index of their answer cache. */
enum { HSS_STEP_PQ, HSS_STEP_DH, HSS_STEP_SET_DH, HSS_STEP_NONE };

/* Each step reads the query body q (id included) and writes the answer body to w. */
MT_WUR int hss_step_req_pq(hss *s, const uint8_t *q, size_t n, mt_wr *w);
MT_WUR int hss_step_req_dh(hss *s, const uint8_t *q, size_t n, mt_wr *w);
MT_WUR int hss_step_set_dh(hss *s, const uint8_t *q, size_t n, mt_wr *w);

/* A deprecated form was seen: refused (returns rule) under strict, else recorded; returns 0. */
MT_WUR int hss_deprecated(hss *s, int rule);
/* Whether the engine was told to commit fault f. */
static inline bool hss_faulty(const hss *s, hss_fault f)
{
    return s->cfg.fault == f;
}
/* Writes dh_prime as the server sends it (the fault's bad prime, or ours). */
void hss_write_prime(const hss *s, mt_wr *w);
/* The g and g_a the server sends. */
int32_t hss_sent_g(const hss *s);
void hss_write_ga(const hss *s, mt_wr *w);

/* A random prime of exactly bits bits (handshake_server_pq.c). */
MT_WUR int hss_random_prime(mt_rng *rng, unsigned bits, uint64_t *out);
/* resPQ after its nonces: pq and the fingerprints, faults applied (handshake_server_pq.c). */
MT_WUR int hss_write_respq_tail(hss *s, mt_wr *w);

/* ---- the client's edge cases (handshake_server_steer.c) ---- */
/* pq as sent: p * q, or the fault's prime or 9-byte product. */
MT_WUR int hss_write_pq(hss *s, mt_wr *w);
/* The answer_with_hash padding for an answer of len bytes (the padding faults applied). */
size_t hss_answer_pad_len(const hss *s, size_t len);
/* The encrypted_answer length as sent (cut short or made unaligned by the faults). */
void hss_answer_cut(const hss *s, size_t *enc_len);
/* Whether req_DH_params gets something else than server_DH_params_ok, and writes it. */
bool hss_dh_refusal(const hss *s);
MT_WUR int hss_write_dh_refusal(hss *s, mt_wr *w);
/* dh_gen_ok / _retry / _fail (1, 2, 3) for the key in s->res, and whether its hash is wrong. */
unsigned hss_gen_number(const hss *s, bool id_in_use);
bool hss_gen_hash_wrong(const hss *s, unsigned number);

/* The value of a big-endian TL string of at most 8 bytes; false when longer or empty. */
bool hss_be_u64(tl_str v, uint64_t *out);
/* Writes v as a TL string of its minimal big-endian bytes. */
void hss_wr_be_u64(mt_wr *w, uint64_t v);

#endif
