#!/usr/bin/python3
"""Writes the seed corpus of fuzz_bind_client (corpora/bind_client/): every answer the client
reacts to (boolTrue, boolFalse, each rpc_error text of api/pfs and method/auth.bindTempAuthKey,
for a fresh and an old permanent key, an unknown error, broken forms), with expiries before, in
and after the window the server accepts. Deterministic (no randomness at all).

    /usr/bin/python3 fuzz/seeds_bind_client.py
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedlib import write_seeds  # noqa: E402

BOOL_TRUE, BOOL_FALSE, RPC_ERROR = 0x997275b5, 0xbc799737, 0x2144ca19


def tlstring(b):
    s = bytes([len(b)]) + b
    return s + b'\0' * ((-len(s)) % 4)


def rpc_error(code, text):
    return struct.pack('<Ii', RPC_ERROR, code) + tlstring(text)


def head(age, offset):
    """[perm_age_s][nonce][session_id][expires_at offset]: expires_at = now - 100 + 2 * offset."""
    return bytes([age]) + struct.pack('<qq', 0x0102030405060708, 0x1122334455667788) + \
        struct.pack('>H', offset)


def main():
    if len(sys.argv) > 1:
        sys.exit(__doc__)
    seeds = {
        'bool_true': head(5, 1850) + struct.pack('<I', BOOL_TRUE),
        'bool_true_trailing': head(5, 1850) + struct.pack('<II', BOOL_TRUE, 0),
        'bool_false': head(5, 1850) + struct.pack('<I', BOOL_FALSE),
        'emi_fresh_key': head(30, 1850) + rpc_error(400, b'ENCRYPTED_MESSAGE_INVALID'),
        'emi_old_key': head(200, 1850) + rpc_error(400, b'ENCRYPTED_MESSAGE_INVALID'),
        'expires_at_invalid': head(5, 10) + rpc_error(400, b'EXPIRES_AT_INVALID'),
        'already_bound': head(5, 20050) + rpc_error(400, b'TEMP_AUTH_KEY_ALREADY_BOUND'),
        'temp_key_empty': head(5, 65535) + rpc_error(400, b'TEMP_AUTH_KEY_EMPTY'),
        'other_error': head(5, 1850) + rpc_error(500, b'INTERNAL'),
        'rpc_error_truncated': head(5, 1850) + rpc_error(400, b'EXPIRES_AT_INVALID')[:-6],
        'empty_answer': head(5, 1850),
    }
    write_seeds('bind_client', seeds)


if __name__ == '__main__':
    main()
