#!/usr/bin/python3
"""Seeds for fuzz_relay_state (one line of the relay's DIR/auth_keys) and fuzz_client_state (the
client's DIR/client.key), in the forms relay_state_save / client_state_save write, plus near
misses. Deterministic (a fixed seed). Run from the source root: python3 fuzz/seeds_state.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedlib import write_seed  # noqa: E402


def main():
    r = random.Random(11)
    k = bytes(r.randrange(256) for _ in range(256)).hex()
    write_seed('relay_state', 'perm', f'perm 0 {k}\n')
    write_seed('relay_state', 'temp', f'temp 1700000000 {k}\r\n')
    write_seed('relay_state', 'bad_kind', f'tmp 1 {k}\n')
    write_seed('relay_state', 'short', 'perm 0 00ff\n')
    write_seed('client_state', 'saved', f'key {k}\nsalt 0102030405060708\n')
    write_seed('client_state', 'crlf', f'key {k}\r\nsalt a1b2c3d4e5f60718\r\n')
    write_seed('client_state', 'truncated', f'key {k[:100]}')


if __name__ == '__main__':
    main()
