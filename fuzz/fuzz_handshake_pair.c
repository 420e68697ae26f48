/*
 * Targets: the client and server handshake engines talking to each other, with their fault knobs:
 * hs_client_start / hs_client_feed (proto/handshake_client.c, handshake_client_dh.c) writing
 * through the client faults of proto/handshake_client_fault.c, and hss_feed
 * (proto/handshake_server.c, handshake_server_pq.c, handshake_server_dh.c,
 * handshake_server_gen.c) answering through the server faults and steers of
 * proto/handshake_server_fault.c and handshake_server_steer.c; each engine checks what the other
 * wrote, so every fault reaches the rule meant to catch it.
 * Input: [client fault][server fault][flags] then edits of 4 bytes [message][pos:u16le][xor]:
 * the faults are taken modulo HSC_FAULT_COUNT / HSS_FAULT_COUNT; flags bit 0: a temporary key,
 * bit 1: a strict server, bit 2: one forced dh_gen_retry, bit 3: the client sends a test dc to a
 * server that checks dc; an edit XORs byte pos (mod its length) of message number `message`
 * (0 = req_pq_multi, 1 = resPQ, 2 = req_DH_params, ... in the order sent) before it is delivered.
 * Deterministic: client DRBG seed 2, server DRBG seed 1, one virtual clock moving 1 s per message;
 * the key is the test key vectors/keys/test_rsa2048.pem (embedded).
 * Properties: every refusal on either side is a rule of the catalogue (never another error); a
 * refused server latches; with no fault and no edit both sides finish with the same auth key; a
 * client that finishes has the key the server made; a server fault that breaks a rule (not the
 * legal steers gen_retry, key_zero) never lets the client finish.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "common/rules.h"
#include "crypto/drbg.h"
#include "fuzz_records.h"
#include "proto/handshake.h"
#include "proto/handshake_server.h"

enum { MAX_MESSAGES = 16, EDIT_LEN = 4 };

static rsa_private key;

/* Applies the input's edits of message number k to pkt. */
static void tamper(const uint8_t *edits, size_t n_edits, unsigned k, uint8_t *pkt, size_t n,
                   bool *edited)
{
    for (size_t i = 0; i < n_edits && n; i++) {
        const uint8_t *e = edits + i * EDIT_LEN;
        if (e[0] == k && e[3]) {
            pkt[ld16le(e + 1) % n] ^= e[3];
            *edited = true;
        }
    }
}

static void check_rule(int err)
{
    if (err && !mt_rule_of(err))
        abort();
}

/* Whether the server fault is a violation the client must catch (the last two are legal). */
static bool breaks_rule(hss_fault f)
{
    return f != HSS_FAULT_NONE && f != HSS_FAULT_GEN_RETRY && f != HSS_FAULT_KEY_ZERO;
}

static void compare_keys(const hs_client *c, const hss *s)
{
    hs_result rc, rs;
    if (hs_client_result(c, &rc) || hss_result(s, &rs))
        abort();
    if (memcmp(rc.key.key, rs.key.key, sizeof rc.key.key) != 0 ||
        memcmp(rc.key.id, rs.key.id, sizeof rc.key.id) != 0)
        abort();
    hs_result_wipe(&rc);
    hs_result_wipe(&rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mt_drbg sd, cd;
    static mt_vclock clock;
    static hss s;
    static hs_client c;
    static uint8_t pkt[HS_PACKET_MAX], ans[HS_PACKET_MAX];
    if (size < 3)
        return 0;
    if (key.pub.bytes == 0) {
        drbg_init_u64(&sd, 1);
        if (rsa_private_load_pem(&key, FUZZ_TEST_KEY_PEM, sizeof FUZZ_TEST_KEY_PEM - 1, &sd.rng,
                                 NULL, NULL) != 0)
            abort();
    }
    hs_client_fault cf = (hs_client_fault)(data[0] % HSC_FAULT_COUNT);
    hss_fault sf = (hss_fault)(data[1] % HSS_FAULT_COUNT);
    unsigned flags = data[2];
    const uint8_t *edits = data + 3;
    size_t n_edits = (size - 3) / EDIT_LEN;
    const rsa_private *keys[1] = {&key};
    const rsa_public *pubs[1] = {&key.pub};
    hss_config scfg = {.keys = keys,
                       .n_keys = 1,
                       .strict = (flags & 2) != 0,
                       .forced_retries = (flags & 4) ? 1 : 0,
                       .check_dc = (flags & 8) != 0,
                       .fault = sf};
    hs_client_config ccfg = {.keys = pubs,
                             .n_keys = 1,
                             .dc = hs_dc_id(2, (flags & 8) != 0, false),
                             .kind = (flags & 1) ? HS_KEY_TEMP : HS_KEY_PERM,
                             .expires_in = 3600,
                             .mr_rounds = 2,
                             .fault = cf};
    drbg_init_u64(&sd, 1);
    drbg_init_u64(&cd, 2);
    vclock_init(&clock, 1707425105ull * NS_PER_S);
    size_t n = 0;
    if (hss_init(&s, &scfg, &clock.clock, &sd.rng, NULL) ||
        hs_client_init(&c, &ccfg, &clock.clock, &cd.rng, NULL) ||
        hs_client_start(&c, pkt, sizeof pkt, &n))
        abort();
    bool edited = false;
    int cerr = 0, serr = 0;
    for (unsigned k = 0; n && k + 1 < MAX_MESSAGES; k += 2) {
        tamper(edits, n_edits, k, pkt, n, &edited);
        size_t an = 0;
        serr = hss_feed(&s, pkt, n, ans, sizeof ans, &an);
        vclock_advance(&clock, NS_PER_S);
        check_rule(serr);
        if (serr) {
            if (an != 0 || hss_feed(&s, pkt, n, ans, sizeof ans, &an) != MT_E_HSS_LATCHED)
                abort();
            break;
        }
        tamper(edits, n_edits, k + 1, ans, an, &edited);
        cerr = hs_client_feed(&c, ans, an, pkt, sizeof pkt, &n);
        vclock_advance(&clock, NS_PER_S);
        check_rule(cerr);
        if (cerr)
            break;
    }
    bool client_done = hs_client_get_state(&c) == HSC_DONE;
    if (client_done && hss_get_state(&s) == HSS_DONE)
        compare_keys(&c, &s);
    if (!edited && cf == HSC_FAULT_NONE && sf == HSS_FAULT_NONE && !(flags & 8) && !client_done)
        abort();
    if (!edited && breaks_rule(sf) && client_done)
        abort();
    hs_client_wipe(&c);
    hss_wipe(&s);
    return 0;
}
