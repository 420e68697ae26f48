#!/usr/bin/env python3
"""Generates vectors/bind.json: bind_auth_key_inner encrypted for auth.bindTempAuthKey
(mtproto-notes §7; page api/pfs).

  plaintext = random:int128 + msg_id + seqno 0 + msg_len 40 + bind_auth_key_inner#75a3f765
              (nonce temp_auth_key_id perm_auth_key_id temp_session_id expires_at)
  msg_key   = SHA1(plaintext)[4:20]                      (MTProto 1.0: without padding)
  out       = auth_key_id(perm) + msg_key + AES-IGE(v1 KDF(perm, msg_key, x = 0), plaintext + pad)

The shim op `bind_encrypt` takes `random` = the 16 bytes of random:int128 followed by the 8 padding
bytes (72 plaintext bytes pad to 80): all the randomness the encryption uses. The v1 KDF, IGE and
auth_key_id are those of gen_framing.py (hashlib SHA-1, AES-ECB from python3-cryptography).
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecfile import VectorFile, seeded  # noqa: E402
from gen_framing import auth_key_id, ige, kdf_v1, msg_key_v1  # noqa: E402

SEED = 20240505
GEN = "vectors/gen/gen_bind.py (seed %d)" % SEED
SRC = (GEN + "; formulas of mtproto-notes §7 (page api/pfs; tdlib SessionConnection::encrypted_bind); "
       "hashlib SHA-1, AES from python3-cryptography")
BIND_INNER_ID = 0x75A3F765


def bind_encrypt(perm, nonce, temp_id, perm_id, session, expires_at, msg_id, random):
    """nonce, temp_id, perm_id, session: 8 wire bytes each; random: 24 bytes (int128 + padding)."""
    obj = struct.pack("<I", BIND_INNER_ID) + nonce + temp_id + perm_id + session + \
        struct.pack("<i", expires_at)
    assert len(obj) == 40
    plain = random[:16] + struct.pack("<QiI", msg_id, 0, len(obj)) + obj
    assert len(plain) == 72
    mk = msg_key_v1(plain)
    key, iv = kdf_v1(perm, mk, 0)
    return auth_key_id(perm) + mk + ige(key, iv, plain + random[16:24])


def fill_key(start):
    """The keys tests/test_bind.c and fuzz/fuzz_bind.c make: byte i = start + 7 i (mod 256)."""
    return bytes((start + 7 * i) & 0xFF for i in range(256))


def case(perm, temp, nonce, session, expires_at, msg_id, random):
    req = {"perm_auth_key": perm, "nonce": nonce, "temp_auth_key_id": auth_key_id(temp),
           "perm_auth_key_id": auth_key_id(perm), "temp_session_id": session,
           "expires_at": expires_at, "msg_id": str(msg_id), "random": random}
    out = bind_encrypt(perm, nonce, auth_key_id(temp), auth_key_id(perm), session, expires_at,
                       msg_id, random)
    return req, {"out": out}


def main():
    rng = seeded(SEED)
    vf = VectorFile("auth.bindTempAuthKey encrypted_message (MTProto 1.0 under the permanent key)",
                    source=SRC, generator=GEN)
    g = vf.group("bind_encrypt", "bind_auth_key_inner encrypted under the permanent key")
    # The fixed parameters of fuzz/fuzz_bind.c (its seed corpus decrypts to a valid bind).
    req, out = case(fill_key(1), fill_key(3), struct.pack("<q", 0x0102030405060708),
                    struct.pack("<Q", 0x1122334455667788), 1700003600, 0x6500000000000004,
                    bytes(range(24)))
    g.valid(req, out, comment="the keys and values of tests/test_bind.c and fuzz/fuzz_bind.c")
    for i in range(8):
        perm = bytes(rng.getrandbits(8) for _ in range(256))
        temp = bytes(rng.getrandbits(8) for _ in range(256))
        msg_id = (rng.randrange(1600000000, 1900000000) << 32) | (rng.getrandbits(30) << 2)
        req, out = case(perm, temp, rng.randbytes(8), rng.randbytes(8),
                        rng.randrange(-2**31, 2**31), msg_id, rng.randbytes(24))
        g.valid(req, out, comment="random keys and values %d" % i)
    perm = fill_key(1)
    req, _ = case(perm, fill_key(3), bytes(8), bytes(8), 0, 4, bytes(24))
    g.invalid(dict(req, perm_auth_key=perm[:255]), error="bad_key_size", comment="255-byte key")
    g.invalid(dict(req, random=bytes(23)), error="bad_argument", comment="23 random bytes")
    g.invalid(dict(req, nonce=bytes(7)), error="bad_argument", comment="7-byte nonce")
    vf.write("vectors/bind.json")


if __name__ == "__main__":
    main()
