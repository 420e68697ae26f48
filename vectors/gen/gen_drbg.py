#!/usr/bin/env python3
"""A small HMAC_DRBG with SHA-256 (NIST SP 800-90A rev. 1 §10.1.2) on Python's hmac, independent
of ours, and the vector file it writes: vectors/hmac_drbg_sha256.json.

Op drbg_generate {seed, length} -> {out}: instantiate with seed as the whole seed material
(entropy || nonce || personalisation), then one fill of `length` bytes, split into generate
requests of at most 65536 bytes (crypto/drbg.h DRBG_MAX_REQUEST), no additional input.
"""
import hashlib
import hmac
import struct

from vecfile import VectorFile, seeded

SEED = 20240603
GENERATOR = "vectors/gen/gen_drbg.py (seed %d)" % SEED
MAX_REQUEST = 65536


class HmacDrbg:
    def __init__(self, seed_material):
        # §10.1.2.3: Key = 0x00..00, V = 0x01..01, then Update(seed_material).
        self.k, self.v = bytes(32), b"\x01" * 32
        self._update(seed_material)

    def _mac(self, data):
        return hmac.new(self.k, data, hashlib.sha256).digest()

    def _update(self, data):
        # §10.1.2.2
        self.k = self._mac(self.v + b"\x00" + data)
        self.v = self._mac(self.v)
        if data:
            self.k = self._mac(self.v + b"\x01" + data)
            self.v = self._mac(self.v)

    def _request(self, n):
        # §10.1.2.5 without additional input.
        out = b""
        while len(out) < n:
            self.v = self._mac(self.v)
            out += self.v
        self._update(b"")
        return out[:n]

    def fill(self, n):
        out = b""
        while n:
            chunk = min(n, MAX_REQUEST)
            out += self._request(chunk)
            n -= chunk
        return out


def main():
    rnd = seeded(SEED)
    vf = VectorFile("HMAC_DRBG-SHA256", source="generated with a Python HMAC_DRBG (SP 800-90A "
                    "rev. 1 §10.1.2) on hmac/hashlib, " + GENERATOR, generator=GENERATOR,
                    notes="drbg_generate: instantiate(seed), then one fill of `length` bytes "
                          "split into requests of at most 65536 bytes; no reseed, no additional "
                          "input.")
    g = vf.group("drbg_generate", "seed lengths")
    for sl in (0, 1, 8, 16, 32, 48, 55, 64, 100):
        seed = rnd.randbytes(sl)
        g.valid({"seed": seed, "length": 64}, {"out": HmacDrbg(seed).fill(64)},
                comment="seed %d bytes" % sl)
    g = vf.group("drbg_generate", "drbg_init_u64 seeds (8 bytes little-endian)")
    for s in (0, 1, 42, 0xFFFFFFFFFFFFFFFF):
        seed = struct.pack("<Q", s)
        g.valid({"seed": seed, "length": 48}, {"out": HmacDrbg(seed).fill(48)},
                comment="u64 seed %d" % s)
    g = vf.group("drbg_generate", "output lengths, including a split request")
    for n in (0, 1, 31, 32, 33, 64, 100, 1000, MAX_REQUEST + 1):
        seed = rnd.randbytes(48)
        g.valid({"seed": seed, "length": n}, {"out": HmacDrbg(seed).fill(n)},
                comment="%d bytes" % n)
    vf.write("vectors/hmac_drbg_sha256.json")


if __name__ == "__main__":
    main()
