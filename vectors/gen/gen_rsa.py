#!/usr/bin/env python3
"""Writes vectors/rsa_pad.json and vectors/rsa_fingerprint.json.

RSA_PAD (page mtproto/auth_key; mtproto-notes section 1 step 4) computed independently of mtproof:
RSA with Python's pow on the numbers `cryptography` reads from vectors/keys (test keys),
SHA-256/SHA-1 from hashlib, AES-256-IGE written here on cryptography's AES-ECB.
Deterministic: temp_key and padding come from random.Random(SEED).
"""
import hashlib
import os
import struct
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecfile import ROOT, VectorFile, seeded  # noqa: E402

SEED = 3
KEYS = os.path.join(ROOT, "vectors", "keys")


def read(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        return f.read()


def ige_encrypt(key, data):
    """AES-256-IGE with a zero IV: c_i = E(p_i ^ c_{i-1}) ^ p_{i-1}."""
    ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    prev_c, prev_p, out = bytes(16), bytes(16), b""
    for i in range(0, len(data), 16):
        p = data[i:i + 16]
        c = bytes(a ^ b for a, b in zip(ecb.update(bytes(a ^ b for a, b in zip(p, prev_c))), prev_p))
        out += c
        prev_c, prev_p = c, p
    return out


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def be(x, n=None):
    return x.to_bytes(n if n else (x.bit_length() + 7) // 8, "big")


def key_aes_encrypted(data_with_padding, temp_key, corrupt_hash=False):
    """The 256-byte value RSA_PAD raises to e (before the comparison with n)."""
    h = hashlib.sha256(temp_key + data_with_padding).digest()
    if corrupt_hash:
        h = bytes([h[0] ^ 1]) + h[1:]
    data_with_hash = data_with_padding[::-1] + h
    aes = ige_encrypt(temp_key, data_with_hash)
    return xor(temp_key, hashlib.sha256(aes).digest()) + aes


def rsa_pad(n, e, data, temp_key, padding, corrupt_hash=False):
    v = int.from_bytes(key_aes_encrypted(data + padding, temp_key, corrupt_hash), "big")
    return None if v >= n else be(pow(v, e, n), 256)


def gen_pad(rng, pub, priv_pem):
    n, e = pub.n, pub.e
    vf = VectorFile("MTProto RSA_PAD", source="computed by vectors/gen/gen_rsa.py (Python pow, hashlib, "
                    "AES-IGE on cryptography AES-ECB) with the test key vectors/keys/test_rsa2048.pem; "
                    "algorithm from page mtproto/auth_key (mtproto-notes section 1 step 4)",
                    generator="vectors/gen/gen_rsa.py (seed %d)" % SEED)
    enc = vf.group("rsa_pad_encrypt", "fixed temp_key and padding; n, e big-endian")
    dec = vf.group("rsa_pad_decrypt", "server side; private_key_pem is the PEM text, hex-encoded")
    pem_hex = priv_pem
    valid = []
    for dlen in (0, 1, 16, 100, 143, 144):
        data = rng.randbytes(dlen)
        while True:
            tk, pad = rng.randbytes(32), rng.randbytes(192 - dlen)
            out = rsa_pad(n, e, data, tk, pad)
            if out:
                break
        enc.valid({"n": be(n), "e": be(e), "data": data, "temp_key": tk, "padding": pad}, {"out": out},
                  comment="%d data bytes" % dlen)
        dec.valid({"private_key_pem": pem_hex, "data": out}, {"out": data + pad},
                  comment="%d data bytes" % dlen)
        valid.append((data, tk, pad, out))
    # A temp_key whose key_aes_encrypted is >= n: the explicit-temp_key op must report the rule.
    data = rng.randbytes(100)
    while True:
        tk, pad = rng.randbytes(32), rng.randbytes(92)
        if rsa_pad(n, e, data, tk, pad) is None:
            break
    enc.invalid({"n": be(n), "e": be(e), "data": data, "temp_key": tk, "padding": pad},
                error="RSAPAD_NOT_BELOW_MODULUS", comment="key_aes_encrypted >= n: a client retries")
    enc.invalid({"n": be(n), "e": be(e), "data": rng.randbytes(145), "temp_key": tk, "padding": b""},
                error="RSAPAD_DATA_TOO_LONG", comment="145 data bytes")
    data, tk, pad, out = valid[3]
    bad = rsa_pad(n, e, data, tk, pad, corrupt_hash=True)
    dec.invalid({"private_key_pem": pem_hex, "data": bad}, error="RSAPAD_HASH",
                comment="one bit of the SHA-256 flipped before encryption")
    v = bytearray(key_aes_encrypted(data + pad, tk))
    v[5] ^= 0x80  # temp_key_xor corrupted: the AES key is wrong
    if int.from_bytes(v, "big") < n:
        dec.invalid({"private_key_pem": pem_hex, "data": be(pow(int.from_bytes(v, "big"), e, n), 256)},
                    error="RSAPAD_HASH", comment="temp_key_xor corrupted")
    v = bytearray(key_aes_encrypted(data + pad, tk))
    v[200] ^= 0x01  # aes_encrypted corrupted
    dec.invalid({"private_key_pem": pem_hex, "data": be(pow(int.from_bytes(v, "big"), e, n), 256)},
                error="RSAPAD_HASH", comment="aes_encrypted corrupted")
    dec.invalid({"private_key_pem": pem_hex, "data": out[:255]}, error="RSAPAD_LENGTH",
                comment="255 bytes")
    dec.invalid({"private_key_pem": pem_hex, "data": b"\0" + out}, error="RSAPAD_LENGTH",
                comment="257 bytes")
    dec.invalid({"private_key_pem": pem_hex, "data": be(n, 256)}, error="RSAPAD_NOT_BELOW_MODULUS",
                comment="the value n")
    dec.invalid({"private_key_pem": pem_hex, "data": b"\xff" * 256}, error="RSAPAD_NOT_BELOW_MODULUS",
                comment="2^2048 - 1")
    vf.write("vectors/rsa_pad.json")


def tl_string(b):
    s = bytes([len(b)]) + b if len(b) <= 253 else b"\xfe" + struct.pack("<I", len(b))[:3] + b
    return s + bytes(-len(s) % 4)


def fingerprint(pub):
    return hashlib.sha1(tl_string(be(pub.n)) + tl_string(be(pub.e))).digest()[-8:]


def gen_fingerprint():
    vf = VectorFile("MTProto RSA key fingerprint",
                    source="lower 64 bits of SHA1 of the bare TL rsa_public_key n:string e:string "
                    "(page mtproto/auth_key), computed with hashlib; Telegram's production key has "
                    "fingerprint 0xd09d1d85de64fd85, wire 85fd64de851d9dd0 (official auth_key sample, "
                    "resPQ; mtproto-notes section 1)",
                    generator="vectors/gen/gen_rsa.py")
    g = vf.group("rsa_fingerprint", "public_key_pem is the PEM text, hex-encoded; any of the four forms")
    tg = read("telegram_production_pub.pem")
    fp = fingerprint(serialization.load_pem_public_key(tg).public_numbers())
    assert fp.hex() == "85fd64de851d9dd0", fp.hex()
    g.valid({"public_key_pem": tg}, {"fingerprint": fp}, comment="Telegram production key")
    for name in ("test_rsa2048_pub_pkcs1.pem", "test_rsa2048_pub_spki.pem", "test_rsa2048.pem",
                 "test_rsa2048_pkcs8.pem"):
        pem = read(name)
        if b"PRIVATE" in pem:
            pub = serialization.load_pem_private_key(pem, None).public_key()
        else:
            pub = serialization.load_pem_public_key(pem)
        g.valid({"public_key_pem": pem}, {"fingerprint": fingerprint(pub.public_numbers())},
                comment="test key, " + name)
    g.invalid({"public_key_pem": read("ec_p256_pub.pem")}, error="key_not_rsa", comment="an EC key")
    g.invalid({"public_key_pem": b"not a key\n"}, error="pem_not_pem", comment="not PEM")
    vf.write("vectors/rsa_fingerprint.json")


def main():
    rng = seeded(SEED)
    priv_pem = read("test_rsa2048.pem")
    priv = serialization.load_pem_private_key(priv_pem, None)
    gen_pad(rng, priv.public_key().public_numbers(), priv_pem)
    gen_fingerprint()


if __name__ == "__main__":
    main()
