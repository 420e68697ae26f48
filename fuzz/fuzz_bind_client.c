/*
 * Target: the client side of auth.bindTempAuthKey (proto/bind_client.c): mt_bind_client_react
 * on the server's answer, mt_bind_action_name, and mt_bind_build_query / mt_bind_encrypt, whose
 * query is checked by the server side (mt_bind_parse_query, mt_bind_verify in bind_server.c).
 * Input: [perm_age_s: 1 byte][nonce: 8][session_id: 8][expires_at offset: 2 bytes BE][answer...]
 * with fixed keys and clock (fuzz_bind's); a DRBG seeded with the input gives the random int128
 * and the padding.
 * Properties:
 *  - the answer boolTrue alone means MT_BIND_DONE; any other action than DONE and FAIL needs an
 *    rpc_error answer; RECREATE_KEYS only for a permanent key older than 60 s and RETRY only for
 *    a younger one (api/pfs); every action has a name;
 *  - a query the client builds for any nonce, session and expiry parses on the server and passes
 *    every check, except BIND_EXPIRES_AT_INVALID exactly when expires_at is not in
 *    (now, key expiry].
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endian.h"
#include "crypto/drbg.h"
#include "fuzz_bind_keys.h"
#include "proto/bind.h"

#define NOW_S       1700000000
#define KEY_EXPIRES (NOW_S + 40000)
#define MSG_ID      0x6500000000000004ull
#define HEADER      19u

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_bind_client: %s\n", what);
    abort();
}

static void check_react(const uint8_t *answer, size_t len, uint64_t age)
{
    mt_bind_action a = mt_bind_client_react(answer, len, age);
    static const uint8_t bool_true[4] = {0xb5, 0x75, 0x72, 0x99}; /* boolTrue#997275b5 */
    static const uint8_t rpc_error[4] = {0x19, 0xca, 0x44, 0x21}; /* rpc_error#2144ca19 */
    if ((len == 4 && memcmp(answer, bool_true, 4) == 0) != (a == MT_BIND_DONE))
        fail("boolTrue and MT_BIND_DONE do not match");
    if (a != MT_BIND_DONE && a != MT_BIND_FAIL && (len < 4 || memcmp(answer, rpc_error, 4) != 0))
        fail("an action other than done/fail without rpc_error");
    if ((a == MT_BIND_RECREATE_KEYS && age <= MT_BIND_PERM_KEY_FRESH_S) ||
        (a == MT_BIND_RETRY && age > MT_BIND_PERM_KEY_FRESH_S))
        fail("ENCRYPTED_MESSAGE_INVALID reaction ignores the permanent key's age");
    if (strcmp(mt_bind_action_name(a), "unknown") == 0)
        fail("action without a name");
}

static void check_round_trip(const uint8_t *data, size_t size)
{
    mt_bind_inner in = {.nonce = (int64_t)ld64le(data + 1),
                        .temp_auth_key_id = mt_bind_key_id(&temp),
                        .perm_auth_key_id = mt_bind_key_id(&perm),
                        .temp_session_id = (int64_t)ld64le(data + 9),
                        .expires_at = NOW_S - 100 + (int32_t)ld16be(data + 17) * 2};
    mt_drbg d;
    drbg_init(&d, data, size);
    uint8_t query[MT_BIND_QUERY_LEN];
    size_t len = 0;
    if (mt_bind_build_query(&perm, &in, MSG_ID, &d.rng, query, sizeof query - 1, &len) !=
        MT_E_no_space)
        fail("mt_bind_build_query into a short buffer");
    if (mt_bind_build_query(&perm, &in, MSG_ID, &d.rng, query, sizeof query, &len) != MT_OK ||
        len != MT_BIND_QUERY_LEN)
        fail("mt_bind_build_query");
    drbg_wipe(&d);
    mt_bind_request req;
    if (mt_bind_parse_query(query, len, &req) != MT_OK)
        fail("the server cannot parse the client's query");
    mt_bind_conn conn = {in.temp_auth_key_id, true, KEY_EXPIRES, (uint64_t)in.temp_session_id};
    int err = mt_bind_verify(find_perm, NULL, NULL, &conn, MSG_ID, NOW_S, &req);
    bool expiry_ok = in.expires_at > NOW_S && in.expires_at <= KEY_EXPIRES;
    if (err != (expiry_ok ? MT_OK : MT_E_BIND_EXPIRES_AT_INVALID))
        fail("the server refuses the client's query");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEADER)
        return 0;
    fuzz_bind_keys_fill();
    check_react(data + HEADER, size - HEADER, data[0]);
    check_round_trip(data, size);
    return 0;
}
