#!/usr/bin/python3
"""Writes the seed corpus of fuzz_conform_peer (corpora/conform_peer/): per built-in scenario
(fuzz/conform_peer_input.h, byte 0 its index) the peer's side of a conversation as records
[u8 kind|flags][u16le len][bytes] of fuzz/fuzz_conform_peer.c: the real handshake (AUTO), then
the answers the scenario's expects look for, encrypted by the target with the agreed key, and
some that break a rule. Deterministic."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedlib import write_seeds  # noqa: E402

AUTO, RAW, FRAME, MSG, PLAIN, QACK, CLOSE, WAIT = range(8)
AUTO_ID, LAST, OTHER_SESSION, ODD, E2E = 8, 16, 32, 64, 128  # MSG flags
(C_PING, C_ERRORS, C_CONTAINER, C_PLAIN, C_HTTP, C_OBF2, C_BIND, C_HS_FAULT,
 S_QUERY, S_E2E_MEMBER, S_E2E_ORIGINATOR, S_HTTP, S_HS_FAULT, S_TEMP, S_E2E_REKEY) = range(15)

L = lambda v: struct.pack('<q', v)  # noqa: E731
I = lambda v: struct.pack('<i', v)  # noqa: E731
U = lambda v: struct.pack('<I', v)  # noqa: E731


def rec(kind, data=b'', param=None):
    return struct.pack('<BH', kind, len(data) if param is None else param) + data


def msg(body, flags=AUTO_ID | LAST, msg_id=0, seqno=1):
    return rec(MSG | flags, struct.pack('<QI', msg_id, seqno) + body)


def tl_string(b):
    n = len(b)
    head = bytes([n]) if n < 254 else b'\xfe' + n.to_bytes(3, 'little')
    pad = (-(len(head) + n)) % 4
    return head + b + b'\0' * pad


def vector_long(*v):
    return U(0x1cb5c415) + I(len(v)) + b''.join(L(x) for x in v)


def pong(ping_id):
    return U(0x347773c5) + L(0) + L(ping_id)  # msg_id: the harness's last (flag LAST)


def rpc_result(result):
    return U(0xf35c6d01) + L(0) + result


def rpc_error(code, text):
    return U(0x2144ca19) + I(code) + tl_string(text)


def bad_msg(code, seqno=1):
    return U(0xa7eff811) + L(0) + I(seqno) + I(code)


def bad_server_salt(new_salt):
    return U(0xedab447b) + L(0) + I(1) + I(48) + L(new_salt)


def relay_join(room=None):
    return U(0x41e6283a) + (I(1) + tl_string(room) if room else I(0))


def relay_send(envelope):
    return U(0x789f259e) + tl_string(envelope)


G = b'\x80' + b'\x11' * 255  # a g_a / g_b inside the bounds of the Telegram prime (0xc7...)
E2E_REQUEST = U(0xff37ee09) + tl_string(G)
E2E_ACCEPT = U(0x9e2a84a7) + tl_string(G) + L(0x1122334455667788)
E2E_DISCARD = U(0xbd990e17) + tl_string(b'E2E_ACCEPT_FINGERPRINT')


def layer(message, in_seq, out_seq):
    """decryptedMessageLayer (secret_api.tl), layer 73, 16 random_bytes."""
    return U(0x1be31789) + tl_string(bytes(range(16))) + I(73) + I(in_seq) + I(out_seq) + message


def service(action):
    return U(0x73164160) + L(0x0102030405060708) + action


def text(t):
    return U(0x91cc4674) + I(0) + L(0x1112131415161718) + I(0) + tl_string(t)


NOOP = service(U(0xa82fdd63))


def resend(start, end):
    return service(U(0x511110b0) + I(start) + I(end))


def e2e(plain=None, envelope=None):
    """An E2E record: a layer the target seals under the chat key, or an envelope as it is."""
    return rec(MSG | E2E, (b'\0' + plain) if envelope is None else (b'\1' + envelope))


HS3 = rec(AUTO) * 3  # the three answers (or questions) of a handshake
ACK = U(0x62d6b459) + vector_long(0x6553f10000000004)  # msgs_ack of an id the harness never sent


def main():
    seeds = {
        'c_ping_ok': bytes([C_PING]) + HS3 + msg(pong(1), seqno=1) + msg(pong(2), seqno=3) +
        rec(WAIT, param=40),
        'c_ping_bad_parity': bytes([C_PING]) + HS3 + msg(pong(1), flags=LAST, msg_id=0x6553f10000000002),
        'c_ping_other_session': bytes([C_PING]) + HS3 + msg(pong(1), flags=AUTO_ID | LAST | OTHER_SESSION),
        'c_errors_ok': bytes([C_ERRORS]) + HS3 +
        msg(rpc_result(rpc_error(400, b'ROOM_NAME_INVALID')), flags=AUTO_ID | LAST | ODD) +
        msg(bad_msg(16), seqno=2) + msg(bad_server_salt(0x0102030405060708), seqno=4) +
        rec(FRAME, I(-404)) + rec(CLOSE),
        'c_errors_gzip_noise': bytes([C_ERRORS]) + HS3 +
        msg(U(0x62d6b459) + vector_long(1, 2, 3), flags=AUTO_ID, seqno=2) +
        msg(U(0x3072cfa1) + tl_string(b'\x1f\x8b\x08\x00' + b'\0' * 12), seqno=3) +
        rec(RAW, b'\x04\x00\x00\x00\x6c\xfe\xff\xff'),
        'c_container_ok': bytes([C_CONTAINER]) + HS3 + msg(pong(6), seqno=2) +
        rec(QACK, U(0x12345678)) +
        msg(U(0xae500895) + L(0) + I(1700000000) + I(0), seqno=4) + HS3 + rec(WAIT, param=20),
        'c_container_inner': bytes([C_CONTAINER]) + HS3 +
        msg(U(0x73f1f8dc) + I(2) + L(0x6553f10000000005) + I(2) + I(20) + pong(6) +
            L(0x6553f10000000009) + I(4) + I(12) + U(0x62d6b459) + vector_long(5), seqno=6),
        'c_plain_respq': bytes([C_PLAIN]) +
        rec(PLAIN | AUTO_ID, L(0) + U(0x05162463) + bytes(range(1, 17)) + bytes(16) +
            tl_string(bytes.fromhex('17ed48941a08f981')) + vector_long(-4344800451088585951)) +
        rec(FRAME, I(-404)),
        'c_plain_auto': bytes([C_PLAIN]) + rec(AUTO) + rec(AUTO),
        'c_http_ok': bytes([C_HTTP]) + HS3 + msg(pong(8), seqno=2) + rec(WAIT, param=30),
        'c_http_raw': bytes([C_HTTP]) + rec(RAW, b'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'),
        'c_obf2_ok': bytes([C_OBF2]) + HS3 + msg(pong(9), seqno=2) +
        msg(U(0x9ec20908) + L(0) + L(77) + L(5), seqno=4),
        'c_bind_ok': bytes([C_BIND]) + HS3 + HS3 + msg(rpc_result(U(0x997275b5)), seqno=1) +
        msg(ACK, flags=AUTO_ID, seqno=2),
        'c_hs_fault_close': bytes([C_HS_FAULT]) + rec(AUTO) + rec(AUTO) + rec(CLOSE),
        's_query_ok': bytes([S_QUERY]) + HS3 + msg(relay_join(b'r1'), flags=AUTO_ID | ODD) +
        msg(ACK, flags=AUTO_ID, seqno=2) + rec(WAIT, param=60) + rec(CLOSE),
        's_query_setup': bytes([S_QUERY]) + HS3 +
        msg(U(0x7abe77ec) + L(42), flags=AUTO_ID, seqno=0) +
        msg(U(0xda9b0d0d) + I(1) + relay_join(), flags=AUTO_ID | ODD),
        's_e2e_member': bytes([S_E2E_MEMBER]) + HS3 + msg(relay_join(b'r1'), flags=AUTO_ID | ODD) +
        msg(U(0x789f259e) + tl_string(b'\x01\x02\x03\x04'), flags=AUTO_ID | ODD),
        's_e2e_originator': bytes([S_E2E_ORIGINATOR]) + HS3 +
        msg(relay_join(), flags=AUTO_ID | ODD) + rec(AUTO) + rec(CLOSE),
        's_e2e_member_accept': bytes([S_E2E_MEMBER]) + HS3 +
        msg(relay_join(b'r1'), flags=AUTO_ID | ODD) +
        msg(relay_send(E2E_ACCEPT), flags=AUTO_ID | ODD, seqno=3),
        's_e2e_originator_abort': bytes([S_E2E_ORIGINATOR]) + HS3 +
        msg(relay_join(), flags=AUTO_ID | ODD) +
        msg(relay_send(E2E_REQUEST), flags=AUTO_ID | ODD, seqno=3) +
        msg(relay_send(E2E_DISCARD), flags=AUTO_ID | ODD, seqno=5) + rec(CLOSE),
        # The room member agrees the chat key for real (AUTO: its e2e.accept / e2e.request), then
        # its messages open. Not the originator: out_seq_no even, in_seq_no odd.
        's_e2e_member_chat': bytes([S_E2E_MEMBER]) + HS3 +
        msg(relay_join(b'r1'), flags=AUTO_ID | ODD) + rec(AUTO) +
        e2e(layer(NOOP, 3, 0)) + e2e(layer(resend(1, 1), 3, 2)),
        's_e2e_member_text': bytes([S_E2E_MEMBER]) + HS3 +
        msg(relay_join(b'r1'), flags=AUTO_ID | ODD) + rec(AUTO) +
        e2e(layer(text(b'hi'), 3, 0)) + e2e(layer(NOOP, 1, 0)) +
        e2e(envelope=E2E_DISCARD) + rec(CLOSE),
        's_e2e_originator_chat': bytes([S_E2E_ORIGINATOR]) + HS3 +
        msg(relay_join(), flags=AUTO_ID | ODD) + rec(AUTO) + e2e(layer(NOOP, 0, 1)) +
        e2e(envelope=E2E_DISCARD) + rec(CLOSE),
        # AUTO answers the harness's RequestKey with a real AcceptKey; after its CommitKey the
        # text is sealed under the new key.
        's_e2e_rekey': bytes([S_E2E_REKEY]) + HS3 +
        msg(relay_join(b'r1'), flags=AUTO_ID | ODD) + rec(AUTO) + rec(AUTO) +
        e2e(layer(text(b'hi'), 5, 2)) + e2e(envelope=U(0xbd990e17) + tl_string(b'bye')),
        's_e2e_rekey_wrong_fingerprint': bytes([S_E2E_REKEY]) + HS3 +
        msg(relay_join(b'r1'), flags=AUTO_ID | ODD) + rec(AUTO) +
        e2e(layer(service(U(0x6fe1735b) + L(4242) + tl_string(G) + L(0x1122334455667788)), 3, 0)) +
        e2e(layer(text(b'hi'), 5, 2)) + e2e(envelope=U(0xbd990e17) + tl_string(b'bye')),
        's_e2e_rekey_abort': bytes([S_E2E_REKEY]) + HS3 +
        msg(relay_join(b'r1'), flags=AUTO_ID | ODD) + rec(AUTO) +
        e2e(layer(service(U(0xdd05ec6b) + L(4242)), 3, 0)) +
        e2e(layer(service(U(0xec2e0b9b) + L(4242) + L(1)), 3, 2)) +
        e2e(layer(text(b'hi'), 5, 4)),
        's_http_ok': bytes([S_HTTP]) + HS3 + msg(relay_join(b'r1'), flags=AUTO_ID | ODD) +
        msg(U(0x9299359f) + I(0) + I(0) + I(25000), flags=AUTO_ID, seqno=2) +
        rec(WAIT, param=20) + msg(ACK, flags=AUTO_ID, seqno=2),
        's_hs_fault_close': bytes([S_HS_FAULT]) + rec(AUTO) + rec(CLOSE),
        's_temp_ok': bytes([S_TEMP]) + HS3 + rec(AUTO | AUTO_ID | LAST) + rec(AUTO) * 2 +
        msg(relay_join(b'r1'), flags=AUTO_ID | ODD) + msg(U(0x7abe77ec) + L(7), flags=AUTO_ID, seqno=2),
    }
    write_seeds('conform_peer', seeds)


if __name__ == '__main__':
    main()
