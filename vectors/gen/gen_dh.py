#!/usr/bin/env python3
"""Writes vectors/dh_check.json: the DH parameter and g_a checks of mtproto-notes §1/§5, each
failing case with its rule ID (common/rules.def) as `error`.

Safe primes: Telegram's dh_prime (core.telegram.org/mtproto/auth_key; p mod 8 = 3, mod 5 = 3,
mod 24 = 11, mod 7 = 6: rejects g = 2, 5, 6), the RFC 3526 2048-bit MODP group (group 14; accepts
every g in 2..7) and RFC 7919 ffdhe2048 (p mod 7 = 4: rejects g = 7), the last two computed here
from their defining formulas with integer pi and e. g = 3 cannot fail the residue rule for a safe
prime (p mod 3 = 1 would make 3 divide (p-1)/2), so it has no rejection case. Every prime is
re-verified with Miller-Rabin below."""
from vecfile import VectorFile, seeded

SEED = 5
TELEGRAM = int(
    "C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F48198A0AA7C14058229493D2"
    "2530F4DBFA336F6E0AC925139543AED44CCE7C3720FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454"
    "F18FAF8C595F642477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4A4A695811051"
    "907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754FD17ED950D5965B4B9DD46582DB1178D169C6B"
    "C465B0D6FF9CA3928FEF5B9AE4E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F"
    "0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B", 16)


def arctan_inv(x, one):
    total = term = one // x
    n, sign = 1, -1
    while term:
        term //= x * x
        n += 2
        total += sign * (term // n)
        sign = -sign
    return total


def pi_scaled(bits):
    one = 1 << (bits + 32)
    return (4 * (4 * arctan_inv(5, one) - arctan_inv(239, one))) >> 32   # Machin's formula


def e_scaled(bits):
    one = 1 << (bits + 32)
    term, total, k = one, one, 1
    while term:
        term //= k
        total += term
        k += 1
    return total >> 32


# RFC 3526 §3: p = 2^2048 - 2^1984 - 1 + 2^64 * { [2^1918 pi] + 124476 }
MODP14 = 2 ** 2048 - 2 ** 1984 - 1 + 2 ** 64 * (pi_scaled(1918) + 124476)
# RFC 7919 appendix A.1: p = 2^2048 - 2^1984 + {[2^1918 * e] + 560316} * 2^64 - 1
FFDHE2048 = 2 ** 2048 - 2 ** 1984 + (e_scaled(1918) + 560316) * 2 ** 64 - 1


def probable_prime(n, rng, rounds=20):
    if n < 4:
        return n in (2, 3)
    for p in (2, 3, 5, 7, 11, 13):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        x = pow(rng.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def random_prime(rng, bits, want):
    """A random prime of `bits` bits with its two top bits set; with want == "not_safe", one whose
    (p-1)/2 is composite."""
    while True:
        p = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if probable_prime(p, rng) and (want != "not_safe" or not probable_prime((p - 1) // 2, rng)):
            return p


def be(v, width=None):
    return v.to_bytes((v.bit_length() + 7) // 8 if width is None else width, "big")


def main():
    rng = seeded(SEED)
    for p in (TELEGRAM, MODP14, FFDHE2048):
        assert p.bit_length() == 2048 and probable_prime(p, rng) and probable_prime((p - 1) // 2, rng)
    lo = 1 << 1984
    vf = VectorFile("MTProto DH-2048 parameter and g_a checks", generator="vectors/gen/gen_dh.py",
                    source="rules of core.telegram.org/mtproto/security_guidelines and "
                           "/mtproto/auth_key (mtproto-notes §1, §5.1); primes: Telegram dh_prime, "
                           "RFC 3526 group 14, RFC 7919 ffdhe2048; random values from "
                           "random.Random(%d)" % SEED,
                    notes="error = the rule ID of common/rules.def; g is a JSON number")
    ga = rng.randrange(lo, TELEGRAM - lo)
    ok = vf.group("dh_check", "good parameters")
    for p, name in ((TELEGRAM, "Telegram"), (MODP14, "RFC 3526 group 14"), (FFDHE2048, "ffdhe2048")):
        for g in range(2, 8):
            a = rng.randrange(lo, p - lo)
            r = {2: p % 8 == 7, 3: p % 3 == 2, 4: True, 5: p % 5 in (1, 4),
                 6: p % 24 in (19, 23), 7: p % 7 in (3, 5, 6)}[g]
            if r:
                ok.valid({"p": be(p), "g": g, "g_a": be(a)}, {}, comment="%s, g = %d" % (name, g))
            else:
                vf_bad = {"p": be(p), "g": g, "g_a": be(a)}
                ok.invalid(vf_bad, error="DH_G_NOT_RESIDUE", comment="%s, g = %d: residue rule" % (name, g))
    ok.valid({"p": be(TELEGRAM, 257), "g": 3, "g_a": be(ga, 260)}, {},
             comment="leading zero bytes on p and g_a are accepted")
    bad = vf.group("dh_check", "bad prime")
    for p, err, what in [(TELEGRAM >> 1, "DH_PRIME_SIZE", "2047-bit p"), (1 << 2047, "DH_PRIME_SIZE", "p = 2^2047"),
                         (TELEGRAM << 1 | 1, "DH_PRIME_SIZE", "2049-bit p"), (0, "DH_PRIME_SIZE", "p = 0"),
                         (TELEGRAM + 1, "DH_PRIME_NOT_PRIME", "even p"),
                         (TELEGRAM + 2, "DH_PRIME_NOT_PRIME", "p + 2 (composite)")]:
        bad.invalid({"p": be(p), "g": 3, "g_a": be(ga)}, error=err, comment=what)
    q1, q2 = random_prime(rng, 1024, "any"), random_prime(rng, 1024, "any")
    assert (q1 * q2).bit_length() == 2048 and not probable_prime(TELEGRAM + 2, rng)
    bad.invalid({"p": be(q1 * q2), "g": 4, "g_a": be(ga)}, error="DH_PRIME_NOT_PRIME",
                comment="product of two 1024-bit primes (no small factor)")
    ns = random_prime(rng, 2048, "not_safe")
    bad.invalid({"p": be(ns), "g": 4, "g_a": be(rng.randrange(lo, ns - lo))}, error="DH_PRIME_NOT_SAFE",
                comment="a 2048-bit prime whose (p-1)/2 is composite")
    bad_g = vf.group("dh_check", "unsupported g")
    for g in (-1, 0, 1, 8, 9, 2 ** 31 - 1):
        bad_g.invalid({"p": be(TELEGRAM), "g": g, "g_a": be(ga)}, error="DH_G_UNSUPPORTED", comment="g = %d" % g)
    vals = vf.group("dh_check", "g_a range (1 < g_a < p - 1) and bounds (2^1984 <= g_a <= p - 2^1984)")
    p = TELEGRAM
    for v, err, what in [(0, "DH_GA_RANGE", "0"), (1, "DH_GA_RANGE", "1"), (p - 1, "DH_GA_RANGE", "p - 1"),
                         (p, "DH_GA_RANGE", "p"), (p + 5, "DH_GA_RANGE", "p + 5"),
                         (1 << 2048, "DH_GA_RANGE", "2^2048 (257 bytes)"),
                         (2, "DH_GA_BOUNDS", "2"), (lo - 1, "DH_GA_BOUNDS", "2^1984 - 1 (just outside)"),
                         (p - lo + 1, "DH_GA_BOUNDS", "p - 2^1984 + 1 (just outside)"),
                         (p - 2, "DH_GA_BOUNDS", "p - 2"),
                         (lo, None, "2^1984 (just inside)"), (p - lo, None, "p - 2^1984 (just inside)"),
                         (lo + 1, None, "2^1984 + 1")]:
        inp = {"p": be(p), "g": 3, "g_a": be(v)}
        if err:
            vals.invalid(inp, error=err, comment="g_a = " + what)
        else:
            vals.valid(inp, {}, comment="g_a = " + what)
    vals.valid({"p": be(p), "g": 3, "g_a": be(lo, 256)}, {}, comment="g_a = 2^1984 as 256 bytes")
    vf.write("vectors/dh_check.json")


if __name__ == "__main__":
    main()
