#!/usr/bin/python3
"""Writes the seed corpus of fuzz_handshake_client (corpora/handshake_client/): the official
worked example's server messages (vectors/gen/gen_handshake.py holds them, with their
message_length fields fixed) as records [len:u16 LE][message], and variants. Deterministic."""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'vectors', 'gen'))
import gen_handshake as s  # noqa: E402

sys.path.insert(0, HERE)
from seedlib import write_seeds  # noqa: E402



def rec(*msgs):
    return b''.join(struct.pack('<H', len(m)) + m for m in msgs)


def gen(number, hash16):
    """dh_gen_ok / retry / fail with the sample's nonces and the given hash."""
    cid = {1: 0x3bcbf734, 2: 0x46dc1fb9, 3: 0xa69dae02}[number]
    body = struct.pack('<I', cid) + s.NONCE + s.SERVER_NONCE + hash16
    return bytes(8) + struct.pack('<QI', 0x65c53d5191be0001, len(body)) + body


def main():
    res_pq = s.fix_length(s.RES_PQ, 80)
    dh_ok = s.fix_length(s.DH_PARAMS_OK, 632)
    gen_ok = s.fix_length(s.DH_GEN_OK, 52)
    flip = lambda m, i: m[:i] + bytes([m[i] ^ 1]) + m[i + 1:]
    seeds = {
        'sample_valid': rec(res_pq, dh_ok, gen_ok),
        'sample_page_lengths': rec(s.RES_PQ),
        'only_res_pq': rec(res_pq),
        'res_pq_wrong_nonce': rec(flip(res_pq, 24)),
        'answer_bit_flipped': rec(res_pq, flip(dh_ok, 200)),
        'dh_gen_ok_wrong_hash': rec(res_pq, dh_ok, flip(gen_ok, 71)),
        'dh_gen_retry_then_junk': rec(res_pq, dh_ok,
                                      gen(2, s.new_nonce_hash(s.NEW_NONCE, 2, s.AUTH_KEY)),
                                      gen(1, bytes(16))),
        'dh_gen_fail': rec(res_pq, dh_ok, gen(3, s.new_nonce_hash(s.NEW_NONCE, 3, s.AUTH_KEY))),
        'truncated_answer': rec(res_pq, dh_ok[:300]),
    }
    write_seeds('handshake_client', seeds)


if __name__ == '__main__':
    main()
