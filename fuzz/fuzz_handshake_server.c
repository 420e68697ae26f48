/*
 * Target: hss_feed (proto/handshake_server.c) and the steps behind it (hss_step_req_pq,
 * hss_step_req_dh with rsa_pad_decrypt and the deprecated padding, hss_step_set_dh with
 * hs_answer_decrypt/hs_answer_verify and dh_compute_key), stateful.
 * Input (fuzz_hs_next of fuzz/fuzz_records.h): client messages as records [len:u16le][bytes], each
 * fed to one server engine in order (an unencrypted packet: auth_key_id 0 | msg_id | length |
 * body). Deterministic: the server draws from a DRBG seeded with 1, the clock is virtual and moves
 * 1 s per message; the key is the test key vectors/keys/test_rsa2048.pem (embedded). Properties:
 * never crashes; an answer fits HS_PACKET_MAX; once a message is refused every later one gets
 * HSS_LATCHED; every refusal is a rule of the catalogue with a transport error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "fuzz_records.h"
#include "harness/fuzz_rig.h"

static hss server;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mt_drbg drbg;
    static mt_vclock clock;
    if (fuzz_rig_hss(&server, &clock, &drbg) != 0)
        abort();
    static uint8_t out[HS_PACKET_MAX];
    int refused = 0;
    const uint8_t *p = data, *end = data + size, *rec;
    size_t n;
    while (fuzz_hs_next(&p, end, &rec, &n)) {
        size_t out_len = 0;
        int err = hss_feed(&server, rec, n, out, sizeof out, &out_len);
        vclock_advance(&clock, NS_PER_S);
        if (refused && err != MT_E_HSS_LATCHED)
            abort(); /* the -404 latch */
        if (err) {
            const mt_rule *r = mt_rule_of(err);
            if (!r || r->reaction != RX_TRANSPORT_ERROR || out_len != 0)
                abort();
            refused = err;
        } else if (out_len == 0 || out_len > sizeof out) {
            abort();
        }
    }
    hss_wipe(&server);
    return 0;
}
