#!/usr/bin/env python3
"""Generates the AES-256 ECB/IGE/CTR and CRC-32 vector files.

AES-ECB comes from the `cryptography` module (OpenSSL underneath: an implementation independent
of ours); IGE and CTR are written here on top of ECB, straight from their definitions:
  IGE: c_i = E(p_i ^ c_{i-1}) ^ p_{i-1}, p_i = D(c_i ^ p_{i-1}) ^ c_{i-1}, iv = c_{-1} || p_{-1}
  CTR: block i of key stream = E(iv + i mod 2^128), the iv read as a big-endian integer.
CRC-32 comes from zlib.crc32. Before writing, the published AES vectors in vectors/published/
are checked against these models, so a wrong transcription cannot be committed.
"""
import json
import os
import sys
import zlib

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecfile import ROOT, VectorFile, seeded  # noqa: E402

SEED = 20240502
GEN = "vectors/gen/gen_aes.py (seed %d)" % SEED


def ecb(key, data, decrypt=False):
    c = Cipher(algorithms.AES(key), modes.ECB())
    ctx = c.decryptor() if decrypt else c.encryptor()
    return ctx.update(data) + ctx.finalize()


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def ige(key, iv, data, decrypt=False):
    # enc: chain input a = c_{i-1}, partner b = p_{i-1}; dec: a = p_{i-1}, b = c_{i-1}.
    a, b = (iv[16:], iv[:16]) if decrypt else (iv[:16], iv[16:])
    out = bytearray()
    for i in range(0, len(data), 16):
        x = data[i:i + 16]
        y = xor(ecb(key, xor(x, a), decrypt), b)
        out += y
        a, b = y, x
    return bytes(out)


def ctr(key, iv, data):
    n = (len(data) + 15) // 16
    start = int.from_bytes(iv, "big")
    blocks = b"".join(((start + i) % (1 << 128)).to_bytes(16, "big") for i in range(n))
    return xor(data, ecb(key, blocks)) if data else b""


ECB_LENS = [0, 16, 32, 48, 64, 80, 112, 128, 144, 256, 1024, 65536]
IGE_LENS = [0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 256, 512, 1024, 4096, 65536]
CTR_LENS = [0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 100, 127, 128, 129, 255, 256,
            257, 1000, 4096, 65536]


def flags_for(i):
    return ["InPlace"] if i % 3 == 1 else []


def gen_ecb(rng):
    vf = VectorFile("AES-256-ECB", source=GEN + "; AES from python3-cryptography", generator=GEN)
    for op, dec in (("aes256_ecb_encrypt", False), ("aes256_ecb_decrypt", True)):
        g = vf.group(op, "random keys; 0 to several blocks, block boundaries, 64 KiB")
        for i, n in enumerate(ECB_LENS):
            key, data = rng.randbytes(32), rng.randbytes(n)
            g.valid({"key": key, "data": data}, {"out": ecb(key, data, dec)},
                    comment="%d bytes" % n, flags=flags_for(i))
        g = vf.group(op, "refused sizes")
        for kl in (31, 33, 16, 0):
            g.invalid({"key": rng.randbytes(kl), "data": rng.randbytes(16)}, "bad_key_size",
                      comment="%d-byte key" % kl)
        for dl in (15, 17, 1, 31):
            g.invalid({"key": rng.randbytes(32), "data": rng.randbytes(dl)}, "bad_data_size",
                      comment="%d-byte data" % dl)
    vf.write("vectors/aes256_ecb.json")


def gen_ige(rng):
    vf = VectorFile("AES-256-IGE", source=GEN + "; IGE written on python3-cryptography's AES-ECB",
                    generator=GEN, notes="iv = c_{-1} || p_{-1} (MTProto, OpenSSL AES_ige_encrypt)")
    for op, dec in (("aes256_ige_encrypt", False), ("aes256_ige_decrypt", True)):
        g = vf.group(op, "random keys and ivs; 0 to several blocks, block boundaries, 64 KiB")
        for i, n in enumerate(IGE_LENS):
            key, iv, data = rng.randbytes(32), rng.randbytes(32), rng.randbytes(n)
            g.valid({"key": key, "iv": iv, "data": data}, {"out": ige(key, iv, data, dec)},
                    comment="%d bytes" % n, flags=flags_for(i))
        key = rng.randbytes(32)
        g.valid({"key": key, "iv": bytes(32), "data": bytes(64)},
                {"out": ige(key, bytes(32), bytes(64), dec)}, comment="zero iv and data")
        g = vf.group(op, "refused sizes")
        for kl in (31, 33, 16, 0):
            g.invalid({"key": rng.randbytes(kl), "iv": rng.randbytes(32), "data": rng.randbytes(32)},
                      "bad_key_size", comment="%d-byte key" % kl)
        for il in (31, 33, 16, 0):
            g.invalid({"key": rng.randbytes(32), "iv": rng.randbytes(il), "data": rng.randbytes(32)},
                      "bad_iv_size", comment="%d-byte iv" % il)
        for dl in (15, 17, 1, 47):
            g.invalid({"key": rng.randbytes(32), "iv": rng.randbytes(32), "data": rng.randbytes(dl)},
                      "bad_data_size", comment="%d-byte data" % dl)
    vf.write("vectors/aes256_ige.json")


def gen_ctr(rng):
    vf = VectorFile("AES-256-CTR", source=GEN + "; CTR written on python3-cryptography's AES-ECB",
                    generator=GEN, notes="the whole 16-byte iv is a big-endian counter mod 2^128")
    g = vf.group("aes256_ctr", "random keys and ivs; every length class, 64 KiB")
    for i, n in enumerate(CTR_LENS):
        key, iv, data = rng.randbytes(32), rng.randbytes(16), rng.randbytes(n)
        g.valid({"key": key, "iv": iv, "data": data}, {"out": ctr(key, iv, data)},
                comment="%d bytes" % n, flags=flags_for(i))
    g = vf.group("aes256_ctr", "counters near carry and wrap points")
    near = [(1 << 32) - 3, (1 << 64) - 3, (1 << 64) - 1, (1 << 96) - 2, (1 << 128) - 3,
            (1 << 128) - 1, (1 << 128) - 9]
    for i, start in enumerate(near):
        key, data = rng.randbytes(32), rng.randbytes(16 * 12 + 5)
        iv = start.to_bytes(16, "big")
        g.valid({"key": key, "iv": iv, "data": data}, {"out": ctr(key, iv, data)},
                comment="counter starts at 0x%032x" % start, flags=flags_for(i))
    g = vf.group("aes256_ctr", "refused sizes")
    for kl in (31, 33, 16, 0):
        g.invalid({"key": rng.randbytes(kl), "iv": rng.randbytes(16), "data": rng.randbytes(20)},
                  "bad_key_size", comment="%d-byte key" % kl)
    for il in (15, 17, 31, 0):
        g.invalid({"key": rng.randbytes(32), "iv": rng.randbytes(il), "data": rng.randbytes(20)},
                  "bad_iv_size", comment="%d-byte iv" % il)
    vf.write("vectors/aes256_ctr.json")


def gen_crc32(rng):
    vf = VectorFile("CRC-32", source=GEN + "; values from Python's zlib.crc32", generator=GEN)
    g = vf.group("crc32", "check value, edge patterns, every length 0..72, 64 KiB")
    g.valid({"data": b"123456789"}, {"value": zlib.crc32(b"123456789")},
            comment="the CRC-32 check value 0xcbf43926")
    for pat, name in ((b"\x00" * 32, "32 zero bytes"), (b"\xff" * 32, "32 0xff bytes")):
        g.valid({"data": pat}, {"value": zlib.crc32(pat)}, comment=name)
    for n in list(range(0, 73)) + [255, 1000, 65536]:
        data = rng.randbytes(n)
        g.valid({"data": data}, {"value": zlib.crc32(data)}, comment="%d random bytes" % n)
    vf.write("vectors/crc32.json")


def check_published():
    """Fails the generator when a published AES vector disagrees with the models above."""
    models = {
        "aes128_ecb_encrypt": lambda i: ecb(i["key"], i["data"]),
        "aes128_ecb_decrypt": lambda i: ecb(i["key"], i["data"], True),
        "aes256_ecb_encrypt": lambda i: ecb(i["key"], i["data"]),
        "aes256_ecb_decrypt": lambda i: ecb(i["key"], i["data"], True),
        "aes128_ige_encrypt": lambda i: ige(i["key"], i["iv"], i["data"]),
        "aes128_ige_decrypt": lambda i: ige(i["key"], i["iv"], i["data"], True),
    }
    for name in ("fips197_aes.json", "openssl_ige.json"):
        path = os.path.join(ROOT, "vectors", "published", name)
        if not os.path.exists(path):
            continue
        with open(path) as f:
            doc = json.load(f)
        for g in doc["testGroups"]:
            for t in g["tests"]:
                inp = {k: bytes.fromhex(v) for k, v in t["in"].items()}
                got = models[g["op"]](inp)
                if got.hex() != t["out"]["out"]:
                    sys.exit("%s tcId %d: model gives %s" % (name, t["tcId"], got.hex()))


def main():
    check_published()
    rng = seeded(SEED)
    gen_ecb(rng)
    gen_ige(rng)
    gen_ctr(rng)
    gen_crc32(rng)


if __name__ == "__main__":
    main()
