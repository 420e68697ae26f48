/*
 * Target: mt_bind_verify, mt_bind_parse_query (proto/bind_server.c) and mt_bind_gate_rpc
 * (proto/bind_gate.c), the server side of auth.bindTempAuthKey.
 * Input: any bytes, used twice with fixed keys and values (those of vectors/bind.json's first
 * test): (1) as encrypted_message of a request whose outer fields are the fixed ones, (2) as a
 * whole query handed to the gate of an unbound temporary key (wrappers, bind, help.*, others).
 * Property: never crashes; verification returns MT_OK or a BIND_* rule; the gate answers within
 * its buffer or returns unimplemented for a method it leaves to the application, and an OK bind
 * leaves exactly one binding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_bind_keys.h"
#include "proto/bind.h"

#define NOW_S      1700000000
#define MSG_ID     0x6500000000000004ull
#define SESSION_ID 0x1122334455667788ull
#define NONCE      0x0102030405060708ll
#define EXPIRES_AT 1700003600

static uint64_t fixed_now(const mt_clock *c)
{
    (void)c;
    return (uint64_t)NOW_S * NS_PER_S;
}

static bool is_bind_rule(int err)
{
    int32_t code;
    const char *text;
    return err == MT_OK || mt_bind_rule_error(err, &code, &text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mt_bind_server srv;
    static const mt_clock clock = {fixed_now};
    fuzz_bind_keys_fill();
    mt_bind_conn conn = {mt_bind_key_id(&temp), true, NOW_S + 86400, SESSION_ID};
    mt_bind_request req = {mt_bind_key_id(&perm), NONCE, EXPIRES_AT, data, size};
    if (!is_bind_rule(mt_bind_verify(find_perm, NULL, NULL, &conn, MSG_ID, NOW_S, &req)))
        abort();
    if (mt_bind_parse_query(data, size, &req) == MT_OK &&
        !is_bind_rule(mt_bind_verify(find_perm, NULL, NULL, &conn, MSG_ID, NOW_S, &req)))
        abort();
    srv = (mt_bind_server){.clock = &clock, .find_perm = find_perm, .this_dc = 2};
    mt_bind_table_init(&srv.table);
    mt_bind_gate gate = {&srv, conn, NULL, 0};
    uint8_t out[1024];
    size_t len = 0;
    int err = mt_bind_gate_rpc(&gate, MSG_ID, data, size, out, sizeof out, &len);
    if (err == MT_OK ? len > sizeof out || len < 4 : err != MT_E_unimplemented)
        abort();
    if (err == MT_OK && gate.last_rule == 0 && srv.table.n > 1)
        abort();
    return 0;
}
