#!/usr/bin/env python3
"""Generates the MTProto message-framing vector files: kdf_v2, kdf_v1 (+ msg_key_v1), msg_key_v2,
encrypt_v2 (the raw layer) and decrypt_v2 (whole messages, valid and one negative per rule).

Written from the formulas of mtproto-notes §4/§5 (page mtproto/description, security_guidelines)
with hashlib and AES-ECB from `cryptography`, IGE on top of it:
  msg_key_large = SHA256(ak[88+x:120+x] + plaintext incl. padding); msg_key = msg_key_large[8:24]
  a = SHA256(msg_key + ak[x:x+36]); b = SHA256(ak[40+x:76+x] + msg_key)
  aes_key = a[0:8] + b[8:24] + a[24:32]; aes_iv = b[0:8] + a[8:24] + b[24:32]
  v1: msg_key = SHA1(plaintext without padding)[4:20] and the four-SHA1 KDF.
"""
import hashlib
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecfile import VectorFile, seeded  # noqa: E402

SEED = 20240504
GEN = "vectors/gen/gen_framing.py (seed %d)" % SEED
SRC = GEN + "; formulas of mtproto-notes §4/§5; hashlib SHA-1/SHA-256, AES from python3-cryptography"


def sha256(b):
    return hashlib.sha256(b).digest()


def sha1(b):
    return hashlib.sha1(b).digest()


def xor(a, b):
    return bytes(p ^ q for p, q in zip(a, b))


def ecb(key, data, decrypt=False):
    c = Cipher(algorithms.AES(key), modes.ECB())
    ctx = c.decryptor() if decrypt else c.encryptor()
    return ctx.update(data) + ctx.finalize()


def ige(key, iv, data, decrypt=False):
    a, b = (iv[16:], iv[:16]) if decrypt else (iv[:16], iv[16:])
    out = bytearray()
    for i in range(0, len(data), 16):
        x = data[i:i + 16]
        y = xor(ecb(key, xor(x, a), decrypt), b)
        out += y
        a, b = y, x
    return bytes(out)


def msg_key_large(ak, x, plain):
    return sha256(ak[88 + x:120 + x] + plain)


def msg_key_v2(ak, x, plain):
    return msg_key_large(ak, x, plain)[8:24]


def kdf_v2(ak, msg_key, x):
    a = sha256(msg_key + ak[x:x + 36])
    b = sha256(ak[40 + x:76 + x] + msg_key)
    return a[0:8] + b[8:24] + a[24:32], b[0:8] + a[8:24] + b[24:32]


def msg_key_v1(plain):
    return sha1(plain)[4:20]


def kdf_v1(ak, msg_key, x):
    a = sha1(msg_key + ak[x:x + 32])
    b = sha1(ak[32 + x:48 + x] + msg_key + ak[48 + x:64 + x])
    c = sha1(ak[64 + x:96 + x] + msg_key)
    d = sha1(msg_key + ak[96 + x:128 + x])
    return a[0:8] + b[8:20] + c[4:16], a[8:20] + b[0:8] + c[16:20] + d[0:8]


def auth_key_id(ak):
    return sha1(ak)[12:20]


def encrypt_raw(ak, x, plain, msg_key=None):
    mk = msg_key or msg_key_v2(ak, x, plain)
    key, iv = kdf_v2(ak, mk, x)
    return auth_key_id(ak) + mk + ige(key, iv, plain)


def inner(salt, session, msg_id, seqno, body, pad, length=None):
    n = len(body) if length is None else length
    return salt + session + struct.pack("<QII", msg_id, seqno, n) + body + pad


def gen_kdf(rng):
    for ver, kdf, path in (("2.0", kdf_v2, "vectors/kdf_v2.json"),
                           ("1.0", kdf_v1, "vectors/kdf_v1.json")):
        op = "kdf_v2" if ver == "2.0" else "kdf_v1"
        vf = VectorFile("MTProto %s KDF" % ver, source=SRC, generator=GEN)
        g = vf.group(op, "random auth keys and msg_keys, x = 0 (client) and 8 (server)")
        for i in range(16):
            ak, mk, x = rng.randbytes(256), rng.randbytes(16), 8 * (i % 2)
            key, iv = kdf(ak, mk, x)
            g.valid({"auth_key": ak, "msg_key": mk, "x": x}, {"aes_key": key, "aes_iv": iv},
                    comment="x = %d" % x)
        g = vf.group(op, "refused inputs")
        g.invalid({"auth_key": rng.randbytes(256), "msg_key": rng.randbytes(16), "x": 4},
                  "bad_argument", comment="x is neither 0 nor 8")
        g.invalid({"auth_key": rng.randbytes(255), "msg_key": rng.randbytes(16), "x": 0},
                  "bad_key_size", comment="255-byte auth_key")
        g.invalid({"auth_key": rng.randbytes(256), "msg_key": rng.randbytes(15), "x": 0},
                  "bad_argument", comment="15-byte msg_key")
        if ver == "1.0":
            g = vf.group("msg_key_v1", "SHA1(plaintext without padding)[4:20], various lengths")
            for n in (0, 1, 15, 16, 40, 72, 100, 1000):
                p = rng.randbytes(n)
                g.valid({"plaintext": p}, {"out": msg_key_v1(p)}, comment="%d bytes" % n)
        vf.write(path)


def gen_msg_key(rng):
    vf = VectorFile("MTProto 2.0 msg_key", source=SRC, generator=GEN)
    g = vf.group("msg_key_v2", "padded plaintexts of various lengths, x = 0 and 8")
    for n in (16, 32, 48, 64, 96, 112, 128, 256, 1024, 4096):
        for x in (0, 8):
            ak, p = rng.randbytes(256), rng.randbytes(n)
            g.valid({"auth_key": ak, "plaintext": p, "x": x}, {"out": msg_key_v2(ak, x, p)},
                    comment="%d bytes, x = %d" % (n, x))
    g = vf.group("msg_key_v2", "refused inputs")
    g.invalid({"auth_key": rng.randbytes(256), "plaintext": rng.randbytes(32), "x": 1},
              "bad_argument", comment="x = 1")
    g.invalid({"auth_key": rng.randbytes(128), "plaintext": rng.randbytes(32), "x": 0},
              "bad_key_size", comment="128-byte auth_key")
    vf.write("vectors/msg_key_v2.json")


def gen_raw(rng):
    vf = VectorFile("MTProto 2.0 encryption (raw: padded plaintext)", source=SRC, generator=GEN)
    g = vf.group("encrypt_v2_raw", "out = auth_key_id + msg_key + AES-256-IGE(plaintext)")
    packets = []
    for n in (16, 32, 48, 64, 80, 112, 160, 256, 1024, 1056, 2048, 4096):
        for x in (0, 8):
            ak, p = rng.randbytes(256), rng.randbytes(n)
            out = encrypt_raw(ak, x, p)
            packets.append((ak, x, p, out))
            g.valid({"auth_key": ak, "x": x, "plaintext": p}, {"out": out},
                    comment="%d bytes, x = %d" % (n, x))
    g = vf.group("encrypt_v2_raw", "refused inputs")
    g.invalid({"auth_key": rng.randbytes(256), "x": 0, "plaintext": rng.randbytes(20)},
              "bad_data_size", comment="plaintext not a multiple of 16")
    g.invalid({"auth_key": rng.randbytes(256), "x": 16, "plaintext": rng.randbytes(32)},
              "bad_argument", comment="x = 16")
    g = vf.group("decrypt_v2_raw", "the packets above, decrypted; msg_key checked")
    for ak, x, p, out in packets[::3]:
        g.valid({"auth_key": ak, "x": x, "packet": out}, {"plaintext": p},
                comment="%d bytes, x = %d" % (len(p), x))
    g = vf.group("decrypt_v2_raw", "rejections")
    ak, x, p, out = packets[4]
    bad = bytearray(out)
    bad[8] ^= 1
    g.invalid({"auth_key": ak, "x": x, "packet": bad}, "MSG_KEY_MISMATCH",
              comment="msg_key with one bit flipped")
    bad = bytearray(out)
    bad[-1] ^= 0x80
    g.invalid({"auth_key": ak, "x": x, "packet": bad}, "MSG_KEY_MISMATCH",
              comment="last ciphertext byte flipped")
    g.invalid({"auth_key": ak, "x": 8 - x, "packet": out}, "MSG_KEY_MISMATCH",
              comment="decrypted with the other direction's x")
    g.invalid({"auth_key": ak, "x": x, "packet": out[:-4]}, "MSG_NOT_BLOCK_ALIGNED",
              comment="4 bytes cut off")
    g.invalid({"auth_key": ak, "x": x, "packet": out[:39]}, "MSG_TOO_SHORT",
              comment="39 bytes: no whole block")
    vf.write("vectors/encrypt_v2.json")


def pad_to(rng, n, lo=12):
    """Random padding bytes: at least lo, aligning 32 + n + pad to 16, plus 0..15 blocks."""
    p = lo + (16 - (32 + n + lo) % 16) % 16 + 16 * rng.randrange(16)
    return rng.randbytes(p)


def decrypt_out(salt, session, msg_id, seqno, body):
    return {"salt": salt, "session_id": session, "msg_id": str(msg_id), "seqno": seqno,
            "body": body}


def gen_decrypt(rng):
    vf = VectorFile("MTProto 2.0 encrypted messages", source=SRC, generator=GEN,
                    notes="salt and session_id: the 8 wire bytes; msg_id: a decimal string")
    g = vf.group("decrypt_v2", "valid messages: bodies 0..8192 bytes, padding 12..1024, both x")
    # (body length, padding length or None for random): the padding bounds, then random ones.
    cases = [(4, 12), (32, 1024), (20, 1020), (0, 16), (16, 16), (8, 24)]
    cases += [(n, None) for n in (0, 4, 12, 64, 100, 256, 1000, 4096, 8192)]
    for i, (n, plen) in enumerate(cases):
        x = 8 * (i % 2)
        ak, salt, sess = rng.randbytes(256), rng.randbytes(8), rng.randbytes(8)
        body = rng.randbytes(n)
        msg_id, seqno = rng.getrandbits(64), rng.getrandbits(32)
        pad = rng.randbytes(plen) if plen is not None else pad_to(rng, n)
        pkt = encrypt_raw(ak, x, inner(salt, sess, msg_id, seqno, body, pad))
        g.valid({"auth_key": ak, "x": x, "session_id": sess, "packet": pkt},
                decrypt_out(salt, sess, msg_id, seqno, body),
                comment="%d-byte body, %d-byte padding, x = %d" % (n, len(pad), x))
    gen_rejects(vf, rng)
    vf.write("vectors/decrypt_v2.json")


def gen_rejects(vf, rng):
    g = vf.group("decrypt_v2", "one rejection per rule, in the order of the checks")
    ak, salt, sess, x = rng.randbytes(256), rng.randbytes(8), rng.randbytes(8), 8
    body = rng.randbytes(40)

    def pkt(length=None, pad=None, session=sess, mk=None):
        p = inner(salt, session, 0x65C53D5000067201, 7, body,
                  pad if pad is not None else rng.randbytes(24), length)
        return encrypt_raw(ak, x, p, mk)

    def bad(p, err, comment, **kw):
        kw.setdefault("session_id", sess)
        g.invalid(dict({"auth_key": ak, "x": x, "packet": p}, **kw), err, comment=comment)

    good = pkt()
    bad(good[:55], "MSG_TOO_SHORT", "55 bytes: shorter than the header")
    bad(b"\x01" + good[1:], "MSG_AUTH_KEY_ID_UNKNOWN", "auth_key_id of another key")
    bad(good[:8] + xor(good[8:24], b"\x00" * 15 + b"\x01") + good[24:], "MSG_KEY_MISMATCH",
        "msg_key with one bit flipped")
    bad(good + rng.randbytes(8), "MSG_NOT_BLOCK_ALIGNED", "8 bytes appended")
    bad(pkt(length=40 + 24 + 4), "MSG_LENGTH_TOO_BIG", "length 4 bytes past the plaintext")
    bad(pkt(length=42), "MSG_LENGTH_NOT_ALIGNED", "length 42")
    bad(pkt(pad=rng.randbytes(8)), "MSG_PADDING_TOO_SHORT", "8 bytes of padding")
    bad(pkt(length=60, pad=rng.randbytes(24)), "MSG_PADDING_TOO_SHORT",
        "length 60 of 64 leaves 4 bytes of padding")
    bad(pkt(pad=rng.randbytes(1048)), "MSG_PADDING_TOO_LONG", "1048 bytes of padding")
    bad(pkt(length=0, pad=rng.randbytes(1000)), "MSG_PADDING_TOO_LONG",
        "length 0: the 40-byte body counts as padding, 1040 bytes")
    bad(pkt(session=rng.randbytes(8)), "MSG_SESSION_MISMATCH", "another session_id")
    bad(pkt(length=43, mk=rng.randbytes(16)), "MSG_KEY_MISMATCH",
        "bad msg_key and bad length: the msg_key rule is reported")
    bad(pkt(pad=rng.randbytes(8), session=rng.randbytes(8)), "MSG_PADDING_TOO_SHORT",
        "short padding and another session: the padding rule comes first")
    bad(good, "bad_argument", "x = 2", x=2)


def main():
    rng = seeded(SEED)
    gen_kdf(rng)
    gen_msg_key(rng)
    gen_raw(rng)
    gen_decrypt(rng)


if __name__ == "__main__":
    main()
