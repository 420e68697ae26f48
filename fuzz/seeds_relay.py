#!/usr/bin/python3
"""Seeds for fuzz_relay_api and fuzz_relay_conn (deterministic: fixed bytes, no randomness).

relay_api records: [u8 who][u16le len][query]; relay_conn: [u8 mode] then records
[u8 flags][u16le len][bytes]. Run from the source root: python3 fuzz/seeds_relay.py
"""
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedlib import write_seed  # noqa: E402


def tl_string(b):
    if len(b) < 254:
        out = bytes([len(b)]) + b
    else:
        out = b'\xfe' + struct.pack('<I', len(b))[:3] + b
    return out + b'\0' * (-len(out) % 4)


def u32(v):
    return struct.pack('<I', v)


JOIN, SEND, LEAVE = 0x41e6283a, 0x789f259e, 0x0fc86466


def join(room=None):
    return u32(JOIN) + (u32(1) + tl_string(room) if room is not None else u32(0))


def init_connection(query):
    fields = u32(0xc1cd5ea9) + u32(2) + u32(12345) + b''.join(tl_string(b'x') for _ in range(6))
    params = u32(0x99c1d49d) + u32(0x1cb5c415) + u32(1) + u32(0xc0de1bd9) + tl_string(b'k') + \
        u32(0xb71e767a) + tl_string(b'v')
    return u32(0xda9b0d0d) + u32(158) + fields + params + query


def rec_api(who, q):
    return bytes([who]) + struct.pack('<H', len(q)) + q


def rec_conn(flags, b):
    return bytes([flags]) + struct.pack('<H', len(b)) + b


def plain(body, msg_id=0x6553a1c000000004):
    return struct.pack('<QQI', 0, msg_id, len(body)) + body


REQ_PQ = plain(u32(0xbe7e8ef1) + bytes(range(16)))
KEY_ID = hashlib.sha1(b'\x5c' * 256).digest()[12:20]


write_seed('relay_api', 'join_send_leave',
      rec_api(0, join(b'lobby')) + rec_api(1, join(b'lobby')) +
      rec_api(0, u32(SEND) + tl_string(b'hello')) + rec_api(1, u32(LEAVE)))
write_seed('relay_api', 'join_any_redirect',
      rec_api(0, join()) + rec_api(1, join()) + rec_api(0, join(b'room-1')))
write_seed('relay_api', 'wrapped_config', rec_api(0, init_connection(u32(0xc4f9186b))))
write_seed('relay_api', 'nearest_and_unknown',
      rec_api(0, u32(0x1fb33026)) + rec_api(1, u32(0x0badf00d)) + rec_api(0, join(b'bad name')))
write_seed('relay_api', 'bind_garbage', rec_api(0, u32(0xcdd42a05) + bytes(24) + tl_string(bytes(104))))

write_seed('relay_conn', 'intermediate_req_pq',
      b'\0' + rec_conn(4, b'\xee\xee\xee\xee' + u32(len(REQ_PQ)) + REQ_PQ))
write_seed('relay_conn', 'abridged_req_pq',
      b'\0' + rec_conn(4, b'\xef' + bytes([len(REQ_PQ) // 4]) + REQ_PQ))
write_seed('relay_conn', 'padded_req_pq',
      b'\0' + rec_conn(6, b'\xdd\xdd\xdd\xdd' + u32(len(REQ_PQ) + 3) + REQ_PQ + b'abc'))
enc = KEY_ID + bytes(16) + bytes(range(64))
write_seed('relay_conn', 'intermediate_encrypted',
      b'\0' + rec_conn(0, b'\xee\xee\xee\xee' + u32(len(enc)) + enc) + rec_conn(3, b''))
http = b'POST /api HTTP/1.1\r\nHost: relay\r\nContent-Length: %d\r\n\r\n' % len(REQ_PQ) + REQ_PQ
write_seed('relay_conn', 'http_req_pq', b'\x01' + rec_conn(4, http) + rec_conn(7, http))
