/* fuzz_conform_peer.c: the HTTP splitter of its peer, and the scenarios it runs (byte 0 of an input
 * picks one), in the syntax of the files of harness/scenarios/ (docs/scenarios.md). Each is a short
 * conversation whose every expect reads what the fuzzed peer sent: the harness as client (the peer
 * is a server) over each framing, HTTP and obfuscated2, and as server (the peer is a client, a room
 * member for the e2e steps). Append new stanzas at the end: the index of the existing ones is in
 * the committed seeds.
 */
#ifndef MTPROOF_FUZZ_CONFORM_PEER_INPUT_H
#define MTPROOF_FUZZ_CONFORM_PEER_INPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The harness's HTTP bytes (its requests or responses, well formed, whole): the next message's
 * body from *p (n bytes), by its Content-Length; false when no whole message is left. */
static inline bool fz_http_next(const uint8_t **p, size_t *n, const uint8_t **body, size_t *len)
{
    const uint8_t *end = NULL;
    for (size_t i = 0; i + 4 <= *n && !end; i++)
        if (memcmp(*p + i, "\r\n\r\n", 4) == 0)
            end = *p + i + 4;
    if (!end)
        return false;
    *len = 0;
    for (const uint8_t *s = *p; s + 16 < end; s++)
        if (strncasecmp((const char *)s, "Content-Length: ", 16) == 0)
            *len = strtoul((const char *)s + 16, NULL, 10); /* stops at the \r */
    size_t head = (size_t)(end - *p);
    if (*len > *n - head)
        return false;
    *body = end;
    *p += head + *len;
    *n -= head + *len;
    return true;
}

static const char FZ_CLIENT_SCENARIOS[] =
    "role client\n"
    "scenario c-ping\n"
    "  rules MSGID_BAD_PARITY\n"
    "  handshake\n"
    "  send ping(ping_id=1)\n"
    "  expect pong(ping_id=1)\n"
    "  send ping_delay_disconnect(ping_id=2, disconnect_delay=75)\n"
    "  expect pong(msg_id=last)\n"
    "  expect silence 3s\n"
    "scenario c-errors\n"
    "  rules MSGID_BAD_PARITY\n"
    "  handshake\n"
    "  send relay.join(room=\"r1\")\n"
    "  expect rpc_error 400 \"ROOM_NAME_INVALID\"\n"
    "  send ping(ping_id=3) msg_id=now-301s\n"
    "  expect bad_msg 16\n"
    "  send ping(ping_id=4) salt=bad\n"
    "  expect bad_server_salt\n"
    "  send ping(ping_id=5)\n"
    "  expect transport_error -404\n"
    "  expect close\n"
    "scenario c-container\n"
    "  rules MSGID_BAD_PARITY\n"
    "  transport abridged\n"
    "  handshake\n"
    "  send container ping(ping_id=6) msgs_ack(msg_ids=[recv])\n"
    "  expect pong(ping_id=6) within=5s\n"
    "  send gzip get_future_salts(num=2) quick_ack=1\n"
    "  expect quick_ack\n"
    "  expect future_salts(req_msg_id=last)\n"
    "  reconnect transport=full\n"
    "  send ping(ping_id=7)\n"
    "  expect no_close within=1s\n"
    "scenario c-plain\n"
    "  rules MSGID_BAD_PARITY\n"
    "  transport padded\n"
    "  send plain req_pq_multi(nonce=0x0102030405060708090a0b0c0d0e0f10)\n"
    "  expect plain resPQ\n"
    "  send frame 0x00000000\n"
    "  expect transport_error -404\n"
    "scenario c-http\n"
    "  rules MSGID_BAD_PARITY\n"
    "  transport http\n"
    "  handshake\n"
    "  send ping(ping_id=8)\n"
    "  expect pong(ping_id=8)\n"
    "  send http_wait(max_delay=0, wait_after=0, max_wait=1000)\n"
    "  expect silence 2s\n"
    "scenario c-obf2\n"
    "  rules MSGID_BAD_PARITY\n"
    "  transport obf2-intermediate\n"
    "  handshake\n"
    "  clock +100s\n"
    "  send ping(ping_id=9)\n"
    "  expect pong(ping_id=9)\n"
    "  session new\n"
    "  send ping(ping_id=10)\n"
    "  expect new_session_created\n"
    "scenario c-bind\n"
    "  rules MSGID_BAD_PARITY\n"
    "  handshake\n"
    "  handshake kind=temp expires=3600\n"
    "  bind\n"
    "  expect rpc_result(req_msg_id=last)\n"
    "  wait 30s\n"
    "  expect msgs_ack\n"
    "scenario c-hs-fault\n"
    "  rules MSGID_BAD_PARITY\n"
    "  handshake fault=inner_malformed\n"
    "  expect close\n";

static const char FZ_SERVER_SCENARIOS[] =
    "role server\n"
    "scenario s-query\n"
    "  rules MSGID_BAD_PARITY\n"
    "  handshake\n"
    "  expect query\n"
    "  send rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room=\"r1\"))\n"
    "  expect msgs_ack\n"
    "  expect silence 5s\n"
    "  expect close\n"
    "scenario s-e2e-member\n"
    "  rules MSGID_BAD_PARITY\n"
    "  handshake\n"
    "  e2e ready originator=false\n"
    "  e2e exchange\n"
    "  e2e send noop\n"
    "  e2e expect noop\n"
    "  e2e expect resend start_seq_no=1 end_seq_no=1\n"
    "scenario s-e2e-originator\n"
    "  rules MSGID_BAD_PARITY\n"
    "  transport abridged\n"
    "  handshake\n"
    "  e2e ready originator=true\n"
    "  e2e exchange\n"
    "  e2e expect abort E2E_ACCEPT_FINGERPRINT\n"
    "scenario s-http\n"
    "  rules MSGID_BAD_PARITY\n"
    "  transport http\n"
    "  handshake\n"
    "  expect query\n"
    "  send rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room=\"r1\"))\n"
    "  expect http_wait\n"
    "  wait 2s\n"
    "  expect msgs_ack\n"
    "scenario s-hs-fault\n"
    "  rules MSGID_BAD_PARITY\n"
    "  transport obf2-padded\n"
    "  handshake fault=respq_nonce\n"
    "  expect close\n"
    "scenario s-temp\n"
    "  rules MSGID_BAD_PARITY\n"
    "  transport full\n"
    "  handshake\n"
    "  handshake kind=temp\n"
    "  expect query\n"
    "  send rpc_error(error_code=401, error_message=\"AUTH_KEY_UNREGISTERED\")\n"
    "  expect ping\n"
    "scenario s-e2e-rekey\n"
    "  rules MSGID_BAD_PARITY\n"
    "  handshake\n"
    "  e2e ready originator=false\n"
    "  e2e exchange\n"
    "  e2e send request_key exchange_id=4242\n"
    "  e2e expect accept_key exchange_id=4242\n"
    "  e2e send commit_key\n"
    "  e2e expect text message=\"hi\" within=2s\n"
    "  e2e expect discard\n";

#endif
