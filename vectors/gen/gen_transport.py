#!/usr/bin/env python3
"""Transport vectors: vectors/transport_frames.json (frame/unframe of abridged, intermediate,
padded intermediate and full) and vectors/obfuscated2.json (obfuscated2_keys, and whole client and
server streams as aes256_ctr cases). An implementation of spec/mtproto-notes.md §6 independent of
proto/transport*.c: Python's struct, zlib.crc32, hashlib and cryptography's AES-256-CTR."""
import hashlib
import struct
import zlib

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from vecfile import VectorFile, seeded

GEN = "vectors/gen/gen_transport.py --seed 4"
SRC = ("spec/mtproto-notes.md §6 (core.telegram.org/mtproto/mtproto-transports); values computed "
       "by the generator")
R = seeded(4)
MAX_FRAME = 16 << 20


def rand(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def abridged(payload, qa=False):
    units = len(payload) // 4
    flag = 0x80 if qa else 0
    if units < 0x7F:
        return bytes([units | flag]) + payload
    return bytes([0x7F | flag]) + units.to_bytes(3, "little") + payload


def intermediate(payload, qa=False, pad=b""):
    v = len(payload) + len(pad)
    return struct.pack("<I", v | (0x80000000 if qa else 0)) + payload + pad


def full(payload, seq=0):
    head = struct.pack("<II", len(payload) + 12, seq) + payload
    return head + struct.pack("<I", zlib.crc32(head))


def flip_last(b):
    return b[:-1] + bytes([b[-1] ^ 1])


def frame_vectors(vf):
    g = vf.group("frame", "one client packet (direction c2s, the default) or server packet (s2c), "
                          "without the connection's one-time tag")
    for n in (0, 4, 8, 24, 504, 508, 1024, 2000):
        p = rand(n)
        g.valid({"transport": "abridged", "data": p}, {"out": abridged(p)}, comment=f"{n} bytes")
        g.valid({"transport": "abridged", "data": p, "quick_ack": 1}, {"out": abridged(p, True)},
                comment=f"{n} bytes, quick ack requested")
        g.valid({"transport": "intermediate", "data": p}, {"out": intermediate(p)},
                comment=f"{n} bytes")
        g.valid({"transport": "intermediate", "data": p, "quick_ack": 1},
                {"out": intermediate(p, True)}, comment=f"{n} bytes, quick ack requested")
        seq = R.randrange(0, 1 << 32)
        g.valid({"transport": "full", "data": p, "seq": seq}, {"out": full(p, seq)},
                comment=f"{n} bytes, seq {seq}")
    for pad_len in range(16):
        p, pad = rand(4 * R.randrange(1, 40) + R.randrange(4)), rand(pad_len)
        g.valid({"transport": "padded", "data": p, "padding": pad}, {"out": intermediate(p, False, pad)},
                comment=f"{len(p)} bytes, {pad_len} bytes of padding")
    p = rand(40)
    g.valid({"transport": "padded", "data": p, "padding": b"", "quick_ack": 1},
            {"out": intermediate(p, True)}, comment="quick ack requested")
    g.valid({"transport": "full", "data": p}, {"out": full(p, 0)}, comment="seq absent: 0")
    g.valid({"transport": "abridged", "data": p, "direction": "s2c"}, {"out": abridged(p)},
            comment="server packet")
    g.invalid({"transport": "abridged", "data": rand(6)}, "TRANSPORT_LENGTH_NOT_ALIGNED",
              comment="abridged counts 4-byte units")
    g.invalid({"transport": "intermediate", "data": rand(7)}, "TRANSPORT_LENGTH_NOT_ALIGNED",
              comment="intermediate carries MTProto packets (multiples of 4)")
    g.invalid({"transport": "full", "data": rand(10)}, "TRANSPORT_LENGTH_NOT_ALIGNED",
              comment="full length not a multiple of 4")
    g.invalid({"transport": "full", "data": p, "quick_ack": 1}, "bad_argument",
              comment="full has no quick ack")
    g.invalid({"transport": "abridged", "data": p, "quick_ack": 1, "direction": "s2c"},
              "bad_argument", comment="a server packet cannot ask for a quick ack")
    g.invalid({"transport": "padded", "data": p, "padding": rand(16)}, "bad_argument",
              comment="padding over 15 bytes")
    g.invalid({"transport": "tcp", "data": p}, "bad_field", comment="unknown transport")


def unframe_vectors(vf):
    g = vf.group("unframe", "exactly one packet: c2s is read by a server, s2c by a client; "
                            "a frame gives out and quick_ack, a quick ack token, an error packet "
                            "transport_error")
    for n in (0, 4, 20, 508, 1200):
        p = rand(n)
        for qa in (0, 1):
            g.valid({"transport": "abridged", "data": abridged(p, qa)}, {"out": p, "quick_ack": qa},
                    comment=f"{n} bytes, quick_ack {qa}")
            g.valid({"transport": "intermediate", "data": intermediate(p, qa)},
                    {"out": p, "quick_ack": qa}, comment=f"{n} bytes, quick_ack {qa}")
        pad = rand(R.randrange(16))
        g.valid({"transport": "padded", "data": intermediate(p, False, pad)},
                {"out": p + pad, "quick_ack": 0},
                comment=f"{n} bytes + {len(pad)} padding: the receiver gets both")
        seq = R.randrange(0, 1000)
        g.valid({"transport": "full", "data": full(p, seq), "seq": seq},
                {"out": p, "quick_ack": 0}, comment=f"{n} bytes, seq {seq}")
    p = rand(64)
    g.valid({"transport": "abridged", "data": abridged(p), "direction": "s2c"},
            {"out": p, "quick_ack": 0}, comment="server packet")
    tok = 0x80000000 | R.getrandbits(31)
    g.valid({"transport": "abridged", "data": struct.pack(">I", tok), "direction": "s2c"},
            {"token": tok}, comment="abridged server quick ack: 4 bytes, byte-swapped")
    g.valid({"transport": "intermediate", "data": struct.pack("<I", tok), "direction": "s2c"},
            {"token": tok}, comment="intermediate server quick ack: a bare token")
    g.valid({"transport": "padded", "data": intermediate(struct.pack("<iI", -1, tok), False, rand(5)),
             "direction": "s2c"}, {"token": tok},
            comment="padded server quick ack: tlen | ffffffff | token | padding")
    for code in (-404, -429, -444):
        e = struct.pack("<i", code)
        g.valid({"transport": "abridged", "data": abridged(e), "direction": "s2c"},
                {"transport_error": code}, comment=f"transport error {code}")
        g.valid({"transport": "intermediate", "data": intermediate(e), "direction": "s2c"},
                {"transport_error": code}, comment=f"transport error {code}")
        g.valid({"transport": "full", "data": full(e, 3), "direction": "s2c", "seq": 3},
                {"transport_error": code}, comment=f"transport error {code}")
    g.valid({"transport": "intermediate", "data": intermediate(struct.pack("<i", -404))},
            {"out": struct.pack("<i", -404), "quick_ack": 0},
            comment="a server reads a client's short packet as a frame")
    inv = [
        ("abridged", b"\x7f\xff\xff\xff", "TRANSPORT_FRAME_TOO_LONG", "64 MiB claimed"),
        ("intermediate", struct.pack("<I", MAX_FRAME + 4), "TRANSPORT_FRAME_TOO_LONG",
         "over the 16 MiB limit"),
        ("padded", struct.pack("<I", MAX_FRAME + 1), "TRANSPORT_FRAME_TOO_LONG",
         "over the 16 MiB limit"),
        ("full", struct.pack("<II", MAX_FRAME + 16, 0), "TRANSPORT_FRAME_TOO_LONG",
         "over the 16 MiB limit"),
        ("intermediate", struct.pack("<I", 5) + rand(5), "TRANSPORT_LENGTH_NOT_ALIGNED", "length 5"),
        ("full", struct.pack("<II", 13, 0) + rand(5), "TRANSPORT_LENGTH_NOT_ALIGNED", "length 13"),
        ("full", struct.pack("<II", 8, 0), "FULL_TOO_SHORT", "length 8 < 12"),
        ("full", full(rand(8), 1), "FULL_BAD_SEQ", "seq 1 where 0 is expected"),
        ("full", flip_last(full(rand(8), 0)), "FULL_BAD_CRC", "CRC changed"),
        ("intermediate", struct.pack("<I", 8) + rand(4), "truncated", "4 of 8 bytes"),
        ("abridged", b"", "truncated", "no bytes"),
        ("abridged", abridged(rand(4)) + b"\x01", "trailing_data", "a second packet starts"),
    ]
    for tr, data, err, why in inv:
        g.invalid({"transport": tr, "data": data}, err, comment=why)
    g.invalid({"transport": "full", "data": full(rand(8), 6), "seq": 5}, "FULL_BAD_SEQ",
              comment="seq 6 where 5 is expected")


def ctr(key, iv, data):
    e = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    return e.update(data) + e.finalize()


FORBIDDEN = {0x44414548, 0x54534F50, 0x20544547, 0x4954504F, 0x02010316, 0xDDDDDDDD, 0xEEEEEEEE}


def client_init(tag, dc):
    while True:
        init = bytearray(rand(64))
        first, second = struct.unpack("<II", init[:8])
        if init[0] != 0xEF and first not in FORBIDDEN and second != 0:
            break
    init[56:60] = tag
    init[60:62] = struct.pack("<h", dc)
    return bytes(init)


def obf2_keys(init, secret=None):
    rev = init[::-1]
    ek, ei, dk, di = init[8:40], init[40:56], rev[8:40], rev[40:56]
    if secret is not None:
        ek, dk = hashlib.sha256(ek + secret).digest(), hashlib.sha256(dk + secret).digest()
    return ek, ei, dk, di


def obf2_vectors():
    vf = VectorFile("MTProto obfuscated2", source=SRC + "; AES-256-CTR by python3-cryptography",
                    generator=GEN,
                    notes="enc = the client's stream (client to server), dec = the server's. "
                          "The aes256_ctr groups are whole connection streams: the client's "
                          "first bytes on the wire are init[0:56] followed by out[56:].")
    g = vf.group("obfuscated2_keys", "enc_key = init[8:40], enc_iv = init[40:56]; dec from "
                                     "reverse(init); with a secret, key = SHA256(key ‖ secret)")
    counting = bytes(range(64))
    ek, ei, dk, di = obf2_keys(counting)
    g.valid({"init": counting}, {"enc_key": ek, "enc_iv": ei, "dec_key": dk, "dec_iv": di},
            comment="init 00..3f: dec_key is bytes 55..24, dec_iv bytes 23..8")
    for i in range(12):
        init = client_init(bytes.fromhex(("efefefef", "eeeeeeee", "dddddddd")[i % 3]), i)
        secret = rand(16) if i % 2 else None
        ek, ei, dk, di = obf2_keys(init, secret)
        inp = {"init": init}
        if secret is not None:
            inp["secret"] = secret
        g.valid(inp, {"enc_key": ek, "enc_iv": ei, "dec_key": dk, "dec_iv": di},
                comment="with a secret" if secret else "no secret")
    g.invalid({"init": rand(63)}, "bad_argument", comment="init of 63 bytes")
    g.invalid({"init": rand(64), "secret": rand(15)}, "bad_key_size", comment="secret of 15 bytes")

    s = vf.group("aes256_ctr", "whole obfuscated2 streams, one per direction")
    for i, (tag, fr) in enumerate(((b"\xef" * 4, abridged), (b"\xee" * 4, intermediate),
                                   (b"\xdd" * 4, intermediate))):
        secret = rand(16) if i == 1 else None
        init = client_init(tag, 2 if i != 2 else -10004)
        ek, ei, dk, di = obf2_keys(init, secret)
        c2s = init + b"".join(fr(rand(4 * R.randrange(6, 200))) for _ in range(4))
        s.valid({"key": ek, "iv": ei, "data": c2s}, {"out": ctr(ek, ei, c2s)},
                comment=f"client stream, tag {tag.hex()}, secret {'yes' if secret else 'no'}: "
                        "init then 4 frames")
        s2c = b"".join(fr(rand(4 * R.randrange(6, 200))) for _ in range(4))
        s.valid({"key": dk, "iv": di, "data": s2c}, {"out": ctr(dk, di, s2c)},
                comment=f"server stream of the same connection: 4 frames")
    vf.write("vectors/obfuscated2.json")


def main():
    vf = VectorFile("MTProto transports", source=SRC, generator=GEN,
                    notes="frame/unframe handle one packet without the one-time tag "
                          "(ef, eeeeeeee, dddddddd); see docs/shim.md")
    frame_vectors(vf)
    unframe_vectors(vf)
    vf.write("vectors/transport_frames.json")
    obf2_vectors()


if __name__ == "__main__":
    main()
