/* Shared between the two files of the client engine (proto/handshake_client*.c). */
#ifndef MTPROOF_PROTO_HANDSHAKE_CLIENT_INTERNAL_H
#define MTPROOF_PROTO_HANDSHAKE_CLIENT_INTERNAL_H

#include "common/cursor.h"
#include "proto/handshake.h"

/* Constructor ids (mtproto-notes §3; proto/schema/mtproto_schema.tl). */
#define HS_ID_REQ_PQ_MULTI           0xbe7e8ef1u
#define HS_ID_RES_PQ                 0x05162463u
#define HS_ID_P_Q_INNER_DATA_DC      0xa9f55f95u
#define HS_ID_P_Q_INNER_DATA_TEMP_DC 0x56fddf88u
#define HS_ID_REQ_DH_PARAMS          0xd712e4beu
#define HS_ID_SERVER_DH_PARAMS_OK    0xd0e8075cu
#define HS_ID_SERVER_DH_PARAMS_FAIL  0x79cb045du
#define HS_ID_SERVER_DH_INNER_DATA   0xb5890dbau
#define HS_ID_CLIENT_DH_INNER_DATA   0x6643b654u
#define HS_ID_SET_CLIENT_DH_PARAMS   0xf5045f1fu
#define HS_ID_DH_GEN_OK              0x3bcbf734u
#define HS_ID_DH_GEN_RETRY           0x46dc1fb9u
#define HS_ID_DH_GEN_FAIL            0xa69dae02u

/* Wraps body as an unencrypted message with our next msg_id (fixed ones first). */
MT_WUR int hsc_emit(hs_client *c, const uint8_t *body, size_t len, uint8_t *out, size_t cap,
                    size_t *out_len);
/* Checks an answer's nonce and server_nonce: HS_NONCE_MISMATCH, HS_SERVER_NONCE_MISMATCH. */
MT_WUR int hsc_check_nonces(const hs_client *c, const uint8_t nonce[HS_NONCE_LEN],
                            const uint8_t server_nonce[HS_NONCE_LEN]);
/* server_DH_params_ok / _fail: checks everything and answers with set_client_DH_params. */
MT_WUR int hsc_on_dh_params(hs_client *c, const uint8_t *body, size_t len, uint8_t *out, size_t cap,
                            size_t *out_len);
/* dh_gen_ok / dh_gen_retry / dh_gen_fail. */
MT_WUR int hsc_on_dh_gen(hs_client *c, const uint8_t *body, size_t len, uint8_t *out, size_t cap,
                         size_t *out_len);
/* Builds client_DH_inner_data for the current attempt (a fresh b), computes auth_key into
 * c->res.key and writes set_client_DH_params. */
MT_WUR int hsc_send_client_dh(hs_client *c, uint8_t *out, size_t cap, size_t *out_len);

/* The fault steps (proto/handshake_client_fault.c; hs_client_fault): each sets c->fault_sent
 * when it changed the message. */
/* Rewrites c->pq_inner (no dc, or malformed) after it was built. */
void hsc_fault_pq_inner(hs_client *c);
/* encrypted_data of req_DH_params: RSA_PAD, or the RSA faults; *out_len is 256 or 255. */
MT_WUR int hsc_encrypt_pq_inner(hs_client *c, uint8_t out[RSA_PAD_OUT_LEN], size_t *out_len);
/* Rewrites c->client_dh_inner (constructor, retry_id) after it was built. */
void hsc_fault_dh_inner(hs_client *c);
/* Whether this attempt's answer_with_hash is sealed by hsc_fault_seal (padding, alignment). */
bool hsc_fault_seals(const hs_client *c);
MT_WUR int hsc_fault_seal(hs_client *c, uint8_t *out, size_t cap, size_t *out_len);

#endif
