/* The engines of the stateful fuzz targets, set up the way the targets set them up, shared by the
 * targets (fuzz/fuzz_session_server.c, fuzz_handshake_server.c, fuzz_relay_conn.c) and by their
 * scenario-from-input translators (harness/sfi_session.c, sfi_wire.c): a translated finding meets
 * the very engine the target ran (the same key, DRBG seed, virtual clock and limits). */
#ifndef MTPROOF_HARNESS_FUZZ_RIG_H
#define MTPROOF_HARNESS_FUZZ_RIG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/drbg.h"
#include "proto/handshake_server.h"
#include "proto/msgid.h"
#include "proto/session.h"
#include "reference-peers/relay_core.h"

/* The RPC of the session server rig: queries starting with 0xC0FFEE00 are echoed, others are
 * unknown (MT_E_unimplemented). */
MT_WUR int fuzz_rig_echo_rpc(void *ctx, uint64_t req, const uint8_t *q, size_t len, uint8_t *out,
                             size_t cap, size_t *out_len);

/* fuzz_session_server.c's engine: *vc at 1700000000 s, *d a DRBG seeded with 42, the echo RPC,
 * work (work_cap bytes) as its store. Errors: those of sess_server_init. */
MT_WUR int fuzz_rig_session_server(sess_server *srv, mt_vclock *vc, mt_drbg *d, uint8_t *work,
                                   size_t work_cap);

/* fuzz_handshake_server.c's engine: the test key vectors/keys/test_rsa2048.pem (loaded once, with
 * a DRBG seeded with 1), *drbg seeded with 1, *clock at 1707425105 s. Errors: bad_field when the
 * key does not load, those of hss_init. */
MT_WUR int fuzz_rig_hss(hss *server, mt_vclock *clock, mt_drbg *drbg);

/* fuzz_relay_conn.c's relay: *vc at 1700000000 s, *d a DRBG seeded with 9 (which also loads the
 * test key, the first time), max_frame and max_pending 64 KiB, one permanent key (auth_key = 0x5c
 * repeated) and two connections of this kind in conn[]. On an error (bad_field when the key does
 * not load, those of relay_new, relay_add_key, relay_open) *r is NULL. */
MT_WUR int fuzz_rig_relay(relay **r, mt_vclock *vc, mt_drbg *d, relay_conn_kind kind,
                          uint32_t conn[2]);

#endif
