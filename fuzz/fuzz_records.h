/* The decoders of the stateful fuzz targets' inputs, shared by the targets and by
 * `mtproof scenario-from-input` (harness/cmd_scenario_from_input.c), so that a finding is read
 * back exactly as the target read it. The session targets' format is fuzz/fuzz_session_input.h.
 * Also the RSA key the server-side targets embed: vectors/keys/test_rsa2048.pem. */
#ifndef MTPROOF_FUZZ_RECORDS_H
#define MTPROOF_FUZZ_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "fuzz/fuzz_test_key.h"

#include "common/endian.h"

/* fuzz_handshake_server.c: records [len:u16le][len bytes]; a short last record takes what is
 * left. Reads the next one into *rec / *n; 0 at the end (fewer than 2 bytes left). */
static inline int fuzz_hs_next(const uint8_t **p, const uint8_t *end, const uint8_t **rec,
                               size_t *n)
{
    if (end - *p < 2)
        return 0;
    size_t len = ld16le(*p);
    *p += 2;
    if (len > (size_t)(end - *p))
        len = (size_t)(end - *p);
    *rec = *p;
    *n = len;
    *p += len;
    return 1;
}

/* fuzz_relay_conn.c: [u8 mode] then records [u8 flags][u16le len][len bytes] (a short last
 * record takes what is left). mode bit 0: HTTP connections. flags bit 0: connection 1 (else 0),
 * bit 1: advance the clock 10 s and tick after the feed, bit 2: drain the output. */
#define FUZZ_RELAY_HTTP  1u
#define FUZZ_RELAY_CONN1 1u
#define FUZZ_RELAY_TICK  2u
#define FUZZ_RELAY_DRAIN 4u
static inline int fuzz_relay_next(const uint8_t **p, const uint8_t *end, uint8_t *flags,
                                  const uint8_t **rec, size_t *n)
{
    if (end - *p < 3)
        return 0;
    *flags = (*p)[0];
    size_t len = ld16le(*p + 1);
    *p += 3;
    if (len > (size_t)(end - *p))
        len = (size_t)(end - *p);
    *rec = *p;
    *n = len;
    *p += len;
    return 1;
}

#endif
