#!/usr/bin/env python3
"""Writes the SHA-1, SHA-256, HMAC-SHA256 and HKDF-SHA256 vector files from Python's hashlib and
hmac (an implementation independent of ours), reproducibly from a fixed seed.

    vectors/sha1.json, vectors/sha256.json, vectors/hmac_sha256.json, vectors/hkdf_sha256.json
"""
import hashlib
import hmac

from vecfile import VectorFile, seeded

SEED = 20240602
GENERATOR = "vectors/gen/gen_hash.py (seed %d)" % SEED
SOURCE = "generated with Python hashlib/hmac, " + GENERATOR
BLOCK = 64
HKDF_MAX = 255 * 32


def boundary_lengths():
    """Every length 0..130 (covers 55, 56, 63, 64, 65, 119, 120, 127, 128), then the padding and
    block boundaries of blocks 3..9: k*64 - 9, -8, -1, 0, +1."""
    lens = list(range(0, 131))
    for k in range(3, 10):
        lens += [k * BLOCK + d for d in (-9, -8, -1, 0, 1)]
    return lens


def hash_file(name, algo, fn):
    rnd = seeded(SEED + len(name))
    vf = VectorFile(algo, source=SOURCE, generator=GENERATOR)
    g = vf.group(name, "every length around the block and padding boundaries")
    for n in boundary_lengths():
        data = rnd.randbytes(n)
        g.valid({"data": data}, {"out": fn(data)}, comment="%d bytes" % n)
    g = vf.group(name, "random lengths up to 32 blocks")
    for _ in range(24):
        n = rnd.randrange(0, 32 * BLOCK)
        data = rnd.randbytes(n)
        g.valid({"data": data}, {"out": fn(data)}, comment="%d bytes" % n)
    g = vf.group(name, "long inputs")
    data = rnd.randbytes(16411)
    g.valid({"data": data}, {"out": fn(data)}, comment="16411 random bytes")
    for unit_len, rep in ((1, 65537), (7, 150001), (64, 16384)):
        unit = rnd.randbytes(unit_len)
        data = unit * rep
        g.valid({"data": {"hex": unit.hex(), "repeat": rep}}, {"out": fn(data)},
                comment="%d-byte pattern x %d (%d bytes)" % (unit_len, rep, len(data)),
                flags=["Long"])
    vf.write("vectors/%s.json" % name)


def hmac_file():
    rnd = seeded(SEED + 1)
    vf = VectorFile("HMAC-SHA256", source=SOURCE, generator=GENERATOR)
    key_lens = (0, 1, 16, 20, 31, 32, 33, 63, 64, 65, 100, 128, 131, 200)
    data_lens = (0, 1, 28, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000)
    for kl in key_lens:
        rel = "shorter than" if kl < BLOCK else ("equal to" if kl == BLOCK else "longer than")
        g = vf.group("hmac_sha256", "%d-byte key (%s the 64-byte block)" % (kl, rel))
        for dl in data_lens:
            key, data = rnd.randbytes(kl), rnd.randbytes(dl)
            tag = hmac.new(key, data, hashlib.sha256).digest()
            g.valid({"key": key, "data": data}, {"out": tag},
                    comment="key %d bytes, data %d bytes" % (kl, dl))
    g = vf.group("hmac_sha256", "random key and data lengths")
    for _ in range(20):
        key, data = rnd.randbytes(rnd.randrange(0, 300)), rnd.randbytes(rnd.randrange(0, 3000))
        tag = hmac.new(key, data, hashlib.sha256).digest()
        g.valid({"key": key, "data": data}, {"out": tag},
                comment="key %d bytes, data %d bytes" % (len(key), len(data)))
    vf.write("vectors/hmac_sha256.json")


def hkdf(salt, ikm, info, length):
    """RFC 5869 §2.2-2.3 on Python's hmac."""
    prk = hmac.new(salt if salt else bytes(32), ikm, hashlib.sha256).digest()
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:length]


def hkdf_file():
    rnd = seeded(SEED + 2)
    vf = VectorFile("HKDF-SHA256", source=SOURCE, generator=GENERATOR)
    g = vf.group("hkdf_sha256", "output lengths 0 .. 255*HashLen")
    for length in (0, 1, 31, 32, 33, 63, 64, 65, 100, 255, 1000, 8159, HKDF_MAX):
        salt, ikm, info = rnd.randbytes(32), rnd.randbytes(22), rnd.randbytes(10)
        g.valid({"salt": salt, "ikm": ikm, "info": info, "length": length},
                {"out": hkdf(salt, ikm, info, length)}, comment="L = %d" % length)
    g = vf.group("hkdf_sha256", "salt, ikm and info lengths (empty salt = HashLen zeros)")
    for sl in (0, 1, 13, 32, 63, 64, 65, 80, 100):
        for il, nl in ((1, 0), (22, 10), (80, 80), (200, 300)):
            salt, ikm, info = rnd.randbytes(sl), rnd.randbytes(il), rnd.randbytes(nl)
            length = rnd.choice((32, 42, 82))
            g.valid({"salt": salt, "ikm": ikm, "info": info, "length": length},
                    {"out": hkdf(salt, ikm, info, length)},
                    comment="salt %d, ikm %d, info %d, L = %d" % (sl, il, nl, length))
    g = vf.group("hkdf_sha256", "output longer than 255*HashLen (RFC 5869 §2.3: L <= 255*HashLen)")
    for length in (HKDF_MAX + 1, 10000):
        salt, ikm, info = rnd.randbytes(32), rnd.randbytes(22), rnd.randbytes(10)
        g.invalid({"salt": salt, "ikm": ikm, "info": info, "length": length},
                  error="output_too_long", comment="L = %d" % length)
    vf.write("vectors/hkdf_sha256.json")


def main():
    hash_file("sha1", "SHA-1", lambda d: hashlib.sha1(d).digest())
    hash_file("sha256", "SHA-256", lambda d: hashlib.sha256(d).digest())
    hmac_file()
    hkdf_file()


if __name__ == "__main__":
    main()
