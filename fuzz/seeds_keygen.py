#!/usr/bin/python3
"""Writes the seed corpus of fuzz_keygen (corpora/keygen/): [mode][k][DRBG seed] inputs
(fuzz/fuzz_keygen.c) for primes of several sizes, two 1024-bit RSA keys, and RNG failures in
the middle of each. The DRBG seeds are fixed strings. Deterministic."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedlib import write_seeds  # noqa: E402

PRIME, RSA, FAIL = 0, 1, 2


def seed(mode, k, text):
    return bytes([mode, k]) + text.encode()


def main():
    seeds = {
        'prime_16': seed(PRIME, 0, 'small'),
        'prime_64': seed(PRIME, 24, 'sixty-four'),
        'prime_256': seed(PRIME, 120, 'two hundred fifty-six'),
        'prime_526': seed(PRIME, 255, 'largest of the target'),
        'prime_rng_fails': seed(PRIME | FAIL, 1, 'fails early'),
        'prime_rng_fails_late': seed(PRIME | FAIL, 20, 'fails after some candidates'),
        'rsa_1024': seed(RSA, 0, 'key one'),
        'rsa_1024_b': seed(RSA, 0, 'another key'),
        'rsa_rng_fails': seed(RSA | FAIL, 40, 'fails inside the first prime'),
    }
    write_seeds('keygen', seeds)


if __name__ == '__main__':
    main()
