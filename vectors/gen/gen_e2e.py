#!/usr/bin/env python3
"""Generates vectors/e2e.json: the end-to-end layer of secret chats (mtproto-notes §8; pages
api/end-to-end, mtproto/description), written independently from the formulas with hashlib and
AES-ECB from `cryptography`, IGE on top of it:
  key_fingerprint = SHA1(key)[12:20] (the last 64 bits, SHA1 even in MTProto 2.0)
  plaintext = int32 len(object) + object + padding (12..1024 bytes, total a multiple of 16)
  msg_key = SHA256(key[88+x:120+x] + plaintext)[8:24], aes_key/aes_iv by the MTProto 2.0 KDF
  data = key_fingerprint + msg_key + AES-256-IGE(plaintext); x = 0 from the chat originator, 8 back.
"""
import hashlib
import os
import random
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecfile import VectorFile, seeded  # noqa: E402

SEED = 20240707
GEN = "vectors/gen/gen_e2e.py (seed %d)" % SEED
SRC = GEN + "; formulas of mtproto-notes §8 and §4 (api/end-to-end); hashlib, AES from python3-cryptography"


def sha256(b):
    return hashlib.sha256(b).digest()


def ecb(key, data, decrypt=False):
    c = Cipher(algorithms.AES(key), modes.ECB())
    ctx = c.decryptor() if decrypt else c.encryptor()
    return ctx.update(data) + ctx.finalize()


def xor(a, b):
    return bytes(p ^ q for p, q in zip(a, b))


def ige_encrypt(key, iv, data):
    a, b = iv[:16], iv[16:]
    out = bytearray()
    for i in range(0, len(data), 16):
        x = data[i:i + 16]
        y = xor(ecb(key, xor(x, a)), b)
        out += y
        a, b = y, x
    return bytes(out)


def fingerprint(key):
    return hashlib.sha1(key).digest()[12:20]


def kdf(key, x, msg_key):
    a = sha256(msg_key + key[x:x + 36])
    b = sha256(key[40 + x:76 + x] + msg_key)
    return a[0:8] + b[8:24] + a[24:32], b[0:8] + a[8:24] + b[24:32]


def seal(key, x, obj, pad):
    plain = struct.pack("<I", len(obj)) + obj + pad
    msg_key = sha256(key[88 + x:120 + x] + plain)[8:24]
    aes_key, aes_iv = kdf(key, x, msg_key)
    return fingerprint(key) + msg_key + ige_encrypt(aes_key, aes_iv, plain)


def pad_for(rng, n, extra_blocks):
    k = 12 + (16 - (4 + n + 12) % 16) % 16 + 16 * extra_blocks
    return rng.randbytes(k)


def main():
    rng = seeded(SEED)
    vf = VectorFile("MTProto 2.0 end-to-end encryption (secret chats)", source=SRC, generator=GEN)
    g = vf.group("e2e_fingerprint", "key_fingerprint = SHA1(key)[12:20], the TL long's wire bytes")
    for i in range(4):
        key = rng.randbytes(256)
        g.valid({"key": key}, {"fingerprint": fingerprint(key)}, comment="random key %d" % i)
    enc = vf.group("e2e_encrypt", "fingerprint + msg_key + AES-256-IGE(len + object + padding)")
    dec = vf.group("e2e_decrypt", "the inverse, with one negative per rule")
    for i in range(8):
        key = rng.randbytes(256)
        x = 0 if i % 2 == 0 else 8
        obj = rng.randbytes(4 * rng.randrange(1, 64))
        pad = pad_for(rng, len(obj), rng.randrange(0, 4))
        data = seal(key, x, obj, pad)
        who = "originator (x=0)" if x == 0 else "other side (x=8)"
        enc.valid({"key": key, "x": x, "object": obj, "padding": pad}, {"out": data},
                  comment="%s, %d-byte object, %d-byte padding" % (who, len(obj), len(pad)))
        dec.valid({"key": key, "x": x, "data": data}, {"object": obj}, comment=who)
    key = rng.randbytes(256)
    obj = rng.randbytes(32)
    data = seal(key, 0, obj, pad_for(rng, 32, 1))
    dec.invalid({"key": key, "x": 8, "data": data}, error="E2E_MSG_KEY_MISMATCH",
                comment="sent with x=0, opened with x=8")
    bad = bytearray(data)
    bad[40] ^= 1
    dec.invalid({"key": key, "x": 0, "data": bytes(bad)}, error="E2E_MSG_KEY_MISMATCH",
                comment="one ciphertext bit flipped")
    dec.invalid({"key": key, "x": 0, "data": data[:-8]}, error="E2E_DATA_LENGTH",
                comment="not a whole number of blocks")
    dec.invalid({"key": key, "x": 0, "data": data[:32]}, error="E2E_DATA_LENGTH",
                comment="shorter than fingerprint + msg_key + one block")
    other = rng.randbytes(256)
    dec.invalid({"key": other, "x": 0, "data": data}, error="E2E_FINGERPRINT_UNKNOWN",
                comment="another key's fingerprint")
    # A length prefix beyond the plaintext, and one leaving 4 bytes of padding: sealed by hand.
    for length, err, why in ((200, "E2E_LENGTH_INVALID", "length beyond the plaintext"),
                             (56, "E2E_PADDING_INVALID", "4 bytes of padding"),
                             (6, "E2E_LENGTH_INVALID", "length not a multiple of 4")):
        plain = struct.pack("<I", length) + rng.randbytes(60)
        msg_key = sha256(key[88:120] + plain)[8:24]
        aes_key, aes_iv = kdf(key, 0, msg_key)
        d = fingerprint(key) + msg_key + ige_encrypt(aes_key, aes_iv, plain)
        dec.invalid({"key": key, "x": 0, "data": d}, error=err, comment=why)
    enc.invalid({"key": key, "x": 0, "object": obj, "padding": rng.randbytes(4)},
                error="bad_argument", comment="padding under 12 bytes")
    enc.invalid({"key": key, "x": 4, "object": obj, "padding": rng.randbytes(12)},
                error="bad_argument", comment="x neither 0 nor 8")
    vf.write("vectors/e2e.json")


if __name__ == "__main__":
    main()
