#!/usr/bin/python3
"""Writes the seed corpus of fuzz_bind (corpora/bind/): the encrypted_message and the whole
auth.bindTempAuthKey query for the target's fixed keys and values (the first test of
vectors/bind.json), the same query wrapped in invokeWithLayer + initConnection, the help.*
methods an unbound key may call, another method, and broken forms. Deterministic."""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'vectors', 'gen'))
from gen_bind import bind_encrypt, fill_key  # noqa: E402
from gen_framing import auth_key_id  # noqa: E402
sys.path.insert(0, HERE)
from seedlib import write_seed  # noqa: E402

U = lambda v: struct.pack('<I', v)
L = lambda v: struct.pack('<q', v)
I = lambda v: struct.pack('<i', v)


def tlbytes(b):
    s = bytes([len(b)]) + b
    return s + b'\0' * ((-len(s)) % 4)


def w(name, data):
    write_seed('bind', name, data)


def main():
    perm, temp = fill_key(1), fill_key(3)
    nonce, session, expires, msg_id = 0x0102030405060708, 0x1122334455667788, 1700003600, \
        0x6500000000000004
    enc = bind_encrypt(perm, L(nonce), auth_key_id(temp), auth_key_id(perm),
                       struct.pack('<Q', session), expires, msg_id, bytes(range(24)))
    query = U(0xcdd42a05) + auth_key_id(perm) + L(nonce) + I(expires) + tlbytes(enc)
    w('valid_encrypted_message', enc)
    w('valid_query', query)
    init = U(0xc1cd5ea9) + U(0) + I(6) + b''.join(tlbytes(s) for s in
                                                  (b'pc', b'1.0', b'1.0', b'en', b'', b'en'))
    w('wrapped_get_config', U(0xda9b0d0d) + I(186) + init + U(0xc4f9186b))
    w('wrapped_bind', U(0xda9b0d0d) + I(186) + query)
    w('get_nearest_dc', U(0x1fb33026))
    w('other_method', U(0xc0ffee00))
    w('bad_msg_key', enc[:30] + bytes([enc[30] ^ 1]) + enc[31:])
    w('truncated_query', query[:-8])


if __name__ == '__main__':
    main()
