#!/usr/bin/python3
"""Seeds for the differential targets and the DH check target (deterministic, fixed seed).

    /usr/bin/python3 fuzz/seeds_diff.py        # rewrites corpora/{diff_bn,diff_aes,diff_hash,dh_check}/

Each seed steers one path of its target (input layouts are documented at the top of each
fuzz/fuzz_<name>.c): every bignum operation on both CPU paths at 64 to 4096 bits with the edge
cases of each (zero divisor, even or tiny modulus, over-wide base, no inverse, the 1024-bit pair
of the AVX-512 IFMA path); AES and hashes at block-boundary lengths with several ways of cutting
the stream; HKDF lengths at and over 255 * 32; DH checks on Telegram's prime with every g and g_a
at each bound, on another safe prime (RFC 3526 group 14), on a prime that is not safe and on
composites.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedlib import ROOT, write_seed  # noqa: E402

RNG = random.Random(0x6D7470726F6F66)

# RFC 3526 §3, the 2048-bit MODP group (group 14): a safe prime with generator 2.
MODP_2048 = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B"
    "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836"
    "1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804"
    "F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6"
    "955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF", 16)


def telegram_prime():
    """PRIME_TELEGRAM_DH, read from crypto/prime_cache.c (one source of truth)."""
    text = open(os.path.join(ROOT, "crypto", "prime_cache.c")).read()
    body = text[text.index("PRIME_TELEGRAM_DH["):]
    body = body[body.index("{") + 1:body.index("}")]
    vals = [int(t, 16) for t in body.replace(",", " ").split() if t.startswith("0x")]
    assert len(vals) == 256, len(vals)
    return int.from_bytes(bytes(vals), "big")


def rand_bits(bits, odd=False, top=True):
    v = RNG.getrandbits(bits)
    if top and bits:
        v |= 1 << (bits - 1)
    return v | 1 if odd else v


def be(v, width=None):
    n = width if width is not None else (v.bit_length() + 7) // 8
    return v.to_bytes(n, "big")


def is_probable_prime(n, rounds=16):
    if n < 4:
        return n in (2, 3)
    if n % 2 == 0:
        return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        x = pow(RNG.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def bn_seed(op, x, *operands):
    out = bytes([op, x])
    for v in operands:
        b = v if isinstance(v, bytes) else be(v)
        out += len(b).to_bytes(2, "big") + b
    return out


def bn_seeds():
    s = []
    for path, tag in ((0, "fast"), (8, "portable")):
        s += [(tag + "_" + name, data) for name, data in [
            ("mul_64", bn_seed(0 | path, 0, rand_bits(64), rand_bits(64))),
            ("mul_4096", bn_seed(0 | path, 0, rand_bits(4096), rand_bits(4096))),
            ("mul_zero", bn_seed(0 | path, 0, 0, rand_bits(300))),
            ("divmod_4096_2048", bn_seed(1 | path, 0, rand_bits(4096), rand_bits(2048))),
            ("divmod_one_limb", bn_seed(1 | path, 0, rand_bits(1000), rand_bits(61))),
            ("divmod_small_by_big", bn_seed(1 | path, 0, rand_bits(100), rand_bits(200))),
            ("divmod_zero", bn_seed(1 | path, 0, rand_bits(100), 0)),
            ("divmod_top_ones", bn_seed(1 | path, 0, (1 << 4096) - 1, (1 << 2047) + 1)),
            ("exp_ct_2048", bn_seed(2 | path, 0, rand_bits(2048), rand_bits(2048),
                                    rand_bits(2048, odd=True))),
            ("exp_ct_4096_wide", bn_seed(2 | path, 37, rand_bits(8000), rand_bits(64),
                                         rand_bits(4096, odd=True))),
            ("exp_ct_64_overwide", bn_seed(2 | path, 0, rand_bits(200), rand_bits(10),
                                           rand_bits(64, odd=True))),
            ("exp_ct_even", bn_seed(2 | path, 0, 5, 7, rand_bits(512) & ~1)),
            ("exp_ct_zero_exp", bn_seed(2 | path, 0, rand_bits(512), 0, rand_bits(512, odd=True))),
            ("exp_vt_1024", bn_seed(3 | path, 0, rand_bits(1024), rand_bits(1024),
                                    rand_bits(1024, odd=True))),
            ("exp_vt_e65537", bn_seed(3 | path, 0, rand_bits(4000), 65537,
                                      rand_bits(4096, odd=True))),
            ("exp_vt_modulus_1", bn_seed(3 | path, 0, 3, 3, 1)),
            ("exp_vt_192", bn_seed(3 | path, 0, rand_bits(300), rand_bits(192),
                                   rand_bits(192, odd=True))),
            ("x2_1024", bn_seed(7 | path, 0, rand_bits(1024), rand_bits(1024),
                                rand_bits(1024, odd=True), rand_bits(1024, odd=True))),
            ("x2_mixed", bn_seed(7 | path, 5, rand_bits(700), rand_bits(900),
                                 rand_bits(2048, odd=True), rand_bits(1024, odd=True))),
            ("x2_overwide", bn_seed(7 | path, 0, rand_bits(300), rand_bits(20),
                                    rand_bits(64, odd=True), rand_bits(64, odd=True))),
        ]]
    p = rand_bits(1024, odd=True)
    s += [
        ("inverse_2048", bn_seed(4, 0, rand_bits(2048), rand_bits(2048, odd=True))),
        ("inverse_even_modulus", bn_seed(4, 0, rand_bits(1000, odd=True), rand_bits(1024) & ~1)),
        ("inverse_common_factor", bn_seed(4, 0, p * 3, p * 5)),
        ("inverse_bigger_than_m", bn_seed(4, 0, rand_bits(4096), rand_bits(512, odd=True))),
        ("inverse_modulus_1", bn_seed(4, 0, 5, 1)),
        ("inverse_zero", bn_seed(4, 0, 0, 97)),
        ("gcd_random", bn_seed(5, 0, rand_bits(4096), rand_bits(3000))),
        ("gcd_shared_twos", bn_seed(5, 0, rand_bits(1000) << 40, p << 13)),
        ("gcd_zero_zero", bn_seed(5, 0, 0, 0)),
        ("gcd_zero", bn_seed(5, 0, 0, rand_bits(100))),
        ("modular_2048", bn_seed(6, 0, rand_bits(2048), rand_bits(2000),
                                 rand_bits(2048, odd=True))),
        ("modular_even", bn_seed(6, 0, rand_bits(3000), rand_bits(100), rand_bits(1024) & ~1)),
        ("modular_overwide", bn_seed(6, 0, rand_bits(4000), rand_bits(64),
                                     rand_bits(128, odd=True))),
        ("modular_zero", bn_seed(6, 0, 5, 6, 0)),
        ("modular_portable", bn_seed(6 | 8, 0, rand_bits(4096), rand_bits(4096),
                                     rand_bits(4096, odd=True))),
    ]
    return s


def aes_seeds():
    s = []
    for n, pieces, flags, name in (
        (0, b"\0\0\0\0", 0, "empty"),
        (16, b"\x10\0\0\0", 0, "one_block"),
        (53, b"\x01\x0f\x10\x11", 0, "tail_small_pieces"),
        (1000, b"\x03\0\0\0", 0, "pieces_of_3"),
        (4096, b"\xff\x40\x00\x21", 0, "max_length"),
        (160, b"\x05\x02\x00\x07", 1, "aes128_pieces"),
        (333, b"\0\0\0\0", 1, "aes128_whole"),
    ):
        key = RNG.randbytes(32)
        iv = RNG.randbytes(32)
        if name == "max_length":
            iv = b"\xff" * 16 + iv[16:]  # the 128-bit counter wraps around
        s.append((name, bytes([flags]) + pieces + key + iv + RNG.randbytes(n)))
    return s


def hash_seeds():
    s = []
    for n, klen, ilen, olen, pieces, name in (
        (0, 0, 0, 32, b"\0\0\0\0", "empty"),
        (55, 32, 10, 42, b"\x37\0\0\0", "len55"),
        (56, 64, 0, 64, b"\x01\x02\x03\x04", "len56_block_key"),
        (64, 65, 20, 100, b"\x40\0\0\0", "len64_long_key"),
        (65, 200, 255, 8160, b"\x3f\x01\0\x00", "len65_max_out"),
        (1000, 16, 1, 8161, b"\x07\x3f\x40\x41", "over_max_out"),
        (3000, 3, 5, 1, b"\xc8\x00\x00\x00", "long_msg"),
        (9, 0, 0, 0, b"\x02\0\0\0", "no_output"),
    ):
        head = pieces + bytes([klen, ilen]) + olen.to_bytes(2, "big")
        s.append((name, head + RNG.randbytes(klen + ilen + n)))
    return s


def dh_seed(flags, g, p=b"", g_a=b"", p_len=None):
    n = len(p) if p_len is None else p_len
    return bytes([flags, g & 0xFF]) + n.to_bytes(2, "big") + p + g_a


def random_prime(bits):
    """A prime with its two top bits set (so two of them multiply to exactly 2 * bits bits)."""
    while True:
        c = rand_bits(bits, odd=True) | (1 << (bits - 2))
        if all(c % q for q in (3, 5, 7, 11, 13, 17, 19, 23)) and is_probable_prime(c):
            return c


def dh_seeds():
    tp = telegram_prime()
    lo = 1 << 1984
    s = [("tg_g%d_ok" % g, dh_seed(1, g, g_a=be(rand_bits(2040), 256))) for g in range(2, 8)]
    for name, v in (("zero", 0), ("one", 1), ("two", 2), ("below_bound", lo - 1), ("at_bound", lo),
                    ("top_bound", tp - lo), ("over_top", tp - lo + 1), ("p_minus_1", tp - 1),
                    ("p", tp), ("over_p", tp + 5)):
        s.append(("tg_ga_" + name, dh_seed(1, 3, g_a=be(v, 257))))
    s += [
        ("tg_leading_zeros", dh_seed(1, 4, g_a=b"\0\0" + be(rand_bits(2000)), p_len=3)),
        ("tg_ga_long", dh_seed(1, 3, g_a=b"\x01" * 300)),
        ("g_1", dh_seed(1, 1)),
        ("g_8", dh_seed(1, 8)),
        ("g_negative", dh_seed(1, -2)),
        ("p_short", dh_seed(0, 3, be(rand_bits(2040)), be(rand_bits(2000)))),
        ("p_2_2047", dh_seed(0, 3, be(1 << 2047), be(rand_bits(2000)))),
        ("p_long", dh_seed(0, 3, be(rand_bits(2056)))),
        ("p_empty", dh_seed(0, 3)),
        ("p_even", dh_seed(0, 3, be(rand_bits(2048) & ~1), be(rand_bits(2040)))),
        ("p_composite", dh_seed(0, 3, be(random_prime(1024) * random_prime(1024)))),
        ("p_not_safe", dh_seed(0, 3, be(random_prime(2048)), be(rand_bits(2040)))),
        ("modp14_g2", dh_seed(0, 2, be(MODP_2048), be(rand_bits(2040)))),
        ("modp14_g5", dh_seed(0, 5, be(MODP_2048), be(rand_bits(2040)))),
        ("modp14_ga_p", dh_seed(0, 2, be(MODP_2048), be(MODP_2048 - 1))),
    ]
    return s


def main():
    if len(sys.argv) > 1:
        sys.exit(__doc__)
    for target, seeds in (("diff_bn", bn_seeds()), ("diff_aes", aes_seeds()),
                          ("diff_hash", hash_seeds()), ("dh_check", dh_seeds())):
        d = os.path.join(ROOT, "corpora", target)
        for old in os.listdir(d) if os.path.isdir(d) else []:
            os.remove(os.path.join(d, old))
        for name, data in seeds:
            write_seed(target, name, data)
        print("corpora/%s: %d seeds" % (target, len(seeds)))


if __name__ == "__main__":
    main()
