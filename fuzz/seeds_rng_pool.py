#!/usr/bin/python3
"""Writes the seed corpus of fuzz_rng_pool (corpora/rng_pool/): sequences of requests (records
[op:u8][n:u16le] of fuzz/fuzz_rng_pool.c) that stay inside the pool, cross refills, go straight
to the source, wipe the pool and meet source failures. Deterministic."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedlib import write_seeds  # noqa: E402

POOL = 4096  # RNG_POOL_BYTES (crypto/rng_pool.h)
REQ, WIPE, FAIL = 0, 1, 2


def rec(*ops):
    return b''.join(struct.pack('<BH', op, n) for op, n in ops)


def main():
    seeds = {
        'small_requests': rec(*[(REQ, n) for n in (8, 4, 16, 32, 0, 1, 255)]),
        'across_refill': rec((REQ, 4000), (REQ, 200), (REQ, 4000), (REQ, 100)),
        'exact_pool': rec((REQ, POOL), (REQ, 1), (REQ, POOL - 1), (REQ, POOL)),
        'large_direct': rec((REQ, 10), (REQ, 3 * POOL + 7), (REQ, 65535), (REQ, 10)),
        'wipe': rec((REQ, 100), (WIPE, 0), (REQ, 100), (WIPE, 0), (WIPE, 0), (REQ, 5000)),
        'fail_refill': rec((FAIL, 0), (REQ, 16), (REQ, 16), (REQ, 4090), (FAIL, 0), (REQ, 100)),
        'fail_direct': rec((REQ, 50), (FAIL, 0), (REQ, 2 * POOL), (REQ, 2 * POOL)),
    }
    write_seeds('rng_pool', seeds)


if __name__ == '__main__':
    main()
