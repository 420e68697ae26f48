#!/usr/bin/python3
"""Writes the seed corpora of fuzz_container, fuzz_gzip, fuzz_session_server and
fuzz_session_client (corpora/<name>/). Deterministic: gzip with mtime 0, no randomness.
Record format of the session targets: fuzz/fuzz_session_input.h."""
import gzip
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedlib import write_seed  # noqa: E402

T0 = 1700000000 << 32  # the targets' virtual clock starts at this second


def w(name, data):
    """name: TARGET/SEED."""
    write_seed(*name.split('/', 1), data)


L = lambda v: struct.pack('<q', v)
I = lambda v: struct.pack('<i', v)
U = lambda v: struct.pack('<I', v)


def tlbytes(b):
    h = bytes([len(b)]) if len(b) <= 253 else b'\xfe' + struct.pack('<I', len(b))[:3]
    s = h + b
    return s + b'\0' * ((-len(s)) % 4)


PING = U(0x7abe77ec) + L(1)
ACK0 = U(0x62d6b459) + U(0x1cb5c415) + U(0)


def cont(msgs):
    return U(0x73f1f8dc) + U(len(msgs)) + b''.join(L(i) + I(s) + I(len(b)) + b for i, s, b in msgs)


def gz(b):
    return U(0x3072cfa1) + tlbytes(gzip.compress(b, mtime=0))


def rec(body, flags=0, adv=1, delta=0, seqno=1):
    return struct.pack('<HBBiI', len(body), flags, adv, delta, seqno) + body


def main():
    w('container/two_pings', L(T0 + 0x100) + U(4) + cont([(T0 + 4, 1, PING), (T0 + 8, 3, PING)]))
    w('container/empty', L(T0 + 0x100) + U(0) + cont([]))
    w('container/nested', L(T0 + 0x100) + U(4) + cont([(T0 + 4, 1, cont([]))]))
    w('container/inner_not_below', L(T0) + U(4) + cont([(T0 + 4, 1, PING)]))
    w('container/too_many', L(T0 + 0x100000) + U(5000) + U(0x73f1f8dc) + U(1025) +
      b''.join(L(T0 + 4 * i) + I(0) + I(12) + ACK0 for i in range(1025)))
    w('gzip/hello', struct.pack('<H', 4096) + gzip.compress(b'hello gzip_packed', mtime=0))
    w('gzip/bomb', struct.pack('<H', 256) + gzip.compress(b'\0' * 100000, mtime=0))
    w('gzip/packed_obj', struct.pack('<H', 0x8000 | 1024) + gz(PING))
    w('gzip/truncated', struct.pack('<H', 4096) + gzip.compress(b'abc' * 50, mtime=0)[:-5])
    w('gzip/empty_cap', struct.pack('<H', 0) + gzip.compress(b'', mtime=0))
    text = b''.join(b'line %d of a longer text\n' % i for i in range(400))
    w('gzip/exact_cap', struct.pack('<H', 17) + gzip.compress(b'hello gzip_packed', mtime=0))
    w('gzip/one_short', struct.pack('<H', 16) + gzip.compress(b'hello gzip_packed', mtime=0))
    w('gzip/trailing', struct.pack('<H', 4096) + gzip.compress(b'abc', mtime=0) + b'junk')
    w('gzip/two_streams', struct.pack('<H', 4096) + gzip.compress(b'a', mtime=0) * 2)
    w('gzip/bad_crc', struct.pack('<H', 4096) + gzip.compress(b'abcdef', mtime=0)[:-8] + bytes(8))
    w('gzip/not_gzip', struct.pack('<H', 4096) + b'\x78\x9c' + bytes(20))
    w('gzip/long_text', struct.pack('<H', 0x7fff) + gzip.compress(text, mtime=0))
    w('gzip/packed_long', struct.pack('<H', 0x8000 | 0x7fff) + gz(text))
    w('gzip/packed_wrong_id', struct.pack('<H', 0x8000 | 1024) + U(0x3072cfa2) + gz(PING)[4:])
    w('gzip/packed_trailing', struct.pack('<H', 0x8000 | 1024) + gz(PING) + bytes(4))
    # server target: client messages
    w('session_server/ping', rec(PING))
    w('session_server/ping_then_ack', rec(PING) + rec(ACK0, seqno=2))
    w('session_server/bad_salt', rec(PING, flags=1))
    w('session_server/bad_parity', rec(PING, delta=2))
    w('session_server/too_old', rec(PING, delta=-(301 << 22)))
    w('session_server/too_new', rec(PING, delta=31 << 22))
    w('session_server/seqno_even_query', rec(U(0xC0FFEE00), seqno=2))
    w('session_server/rpc', rec(U(0xC0FFEE00) + L(5)) + rec(U(0x01020304), seqno=3))
    w('session_server/container',
      rec(cont([(T0 + 4, 1, PING), (T0 + 8, 3, U(0xC0FFEE00))]), adv=0, delta=0x1000, seqno=4))
    w('session_server/gzip_query', rec(gz(U(0xC0FFEE00) + b'\0' * 60)))
    w('session_server/state_req', rec(PING) + rec(U(0xda69fb52) + U(0x1cb5c415) + U(2) + L(T0) +
                                                  L(T0 + (1 << 40)), seqno=3))
    w('session_server/resend_req', rec(PING) + rec(U(0x7d861a08) + U(0x1cb5c415) + U(1) + L(0),
                                                   flags=4, seqno=3))
    w('session_server/future_salts', rec(U(0xb921bd04) + I(3)) + rec(U(0xb921bd04) + I(0), seqno=3))
    w('session_server/destroy_session', rec(PING) + rec(U(0xe7512126) + L(1), flags=2, seqno=1))
    w('session_server/http_wait_pdd', rec(U(0x9299359f) + I(0) + I(0) + I(25000)) +
      rec(U(0xf3427b8c) + L(9) + I(75), seqno=3, flags=8, adv=20))
    # client target: server messages (odd ids)
    bmn = lambda code: U(0xa7eff811) + L(0) + I(1) + I(code)
    w('session_client/new_session', rec(U(0x9ec20908) + L(0) + L(1) + L(99), delta=3))
    w('session_client/pong', rec(U(0x347773c5) + L(0) + L(5), flags=4, delta=1))
    w('session_client/rpc_result', rec(U(0xf35c6d01) + L(0) + U(0x997275b5), flags=4, delta=1))
    w('session_client/rpc_result_gzip', rec(U(0xf35c6d01) + L(0) + gz(U(0x997275b5)), flags=4,
                                            delta=1))
    w('session_client/bad_server_salt', rec(U(0xedab447b) + L(0) + I(1) + I(48) + L(1234), flags=4,
                                            delta=1, seqno=0))
    for c in (16, 17, 18, 20, 32, 33, 34, 35, 64, 99):
        w('session_client/bad_msg_%d' % c, rec(bmn(c), flags=4, delta=1, seqno=0))
    w('session_client/container', rec(cont([(T0 + 1, 1, U(0x347773c5) + L(0) + L(5)),
                                            (T0 + 5, 2, ACK0)]), adv=0, delta=0x1001, seqno=2))
    w('session_client/future_salts', rec(U(0xae500895) + L(0) + I(1700000000) + U(2) +
                                         I(1700000000) + I(1700001800) + L(11) + I(1700001800) +
                                         I(1700003600) + L(12), delta=1, flags=4))
    w('session_client/ack_and_tick', rec(U(0x62d6b459) + U(0x1cb5c415) + U(1) + L(0), flags=13,
                                         delta=1, seqno=0) + rec(U(0x12345678), delta=1, adv=15))
    w('session_client/even_id', rec(ACK0, delta=0, seqno=0))
    return 0


if __name__ == '__main__':
    sys.exit(main())
