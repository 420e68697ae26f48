#!/usr/bin/python3
"""Seeds for fuzz_relay_state (one line of the relay's DIR/auth_keys) and fuzz_client_state (the
client's DIR/client.key), in the forms relay_state_save / client_state_save write, plus near
misses. Deterministic (a fixed seed). Run from the source root: python3 fuzz/seeds_state.py
"""
import os
import random


def write(target, name, text):
    os.makedirs(f'corpora/{target}', exist_ok=True)
    with open(f'corpora/{target}/{name}', 'w', newline='') as f:
        f.write(text)


def main():
    r = random.Random(11)
    k = bytes(r.randrange(256) for _ in range(256)).hex()
    write('relay_state', 'perm', f'perm 0 {k}\n')
    write('relay_state', 'temp', f'temp 1700000000 {k}\r\n')
    write('relay_state', 'bad_kind', f'tmp 1 {k}\n')
    write('relay_state', 'short', 'perm 0 00ff\n')
    write('client_state', 'saved', f'key {k}\nsalt 0102030405060708\n')
    write('client_state', 'crlf', f'key {k}\r\nsalt a1b2c3d4e5f60718\r\n')
    write('client_state', 'truncated', f'key {k[:100]}')


if __name__ == '__main__':
    main()
