#!/usr/bin/env python3
"""Writes the bignum vector files (bn_modexp, bn_mul, bn_div, bn_inverse) and pq.json.

Python's own big integers (pow, divmod, pow(a, -1, m)) are the independent implementation; the
values come from random.Random with a fixed seed, shaped to hit edge cases: 0, 1, n-1, exponents
0 and 1, one-limb moduli, top-bit-only and all-ones patterns, limbs of 0 / 1 / 2^63 / 2^64-1
(which drive Knuth division into its rare add-back step). Big integers are minimal big-endian
hex (zero is the empty string)."""
from vecfile import VectorFile, seeded

SEED = 3
SIZES = [64, 65, 127, 128, 256, 512, 1023, 1024, 1536, 2048, 3072, 4096]
SPECIAL_LIMBS = [0, 1, 2, 1 << 63, (1 << 63) - 1, (1 << 64) - 1, (1 << 64) - 2]


def be(v, width=None):
    """Minimal big-endian bytes (b"" for zero), or exactly `width` bytes."""
    n = (v.bit_length() + 7) // 8 if width is None else width
    return v.to_bytes(n, "big")


def value(rng, bits):
    """A value of exactly `bits` bits (0 for bits == 0) in one of several patterns."""
    if bits == 0:
        return 0
    kind = rng.randrange(6)
    top = 1 << (bits - 1)
    if kind == 0:
        return (1 << bits) - 1                  # all ones
    if kind == 1:
        return top                              # top bit only
    if kind == 2:
        return top | 1
    if kind == 3:                               # limbs from the special set
        v = 0
        for i in range((bits + 63) // 64):
            v |= rng.choice(SPECIAL_LIMBS) << (64 * i)
        return (v & ((1 << bits) - 1)) | top
    return rng.getrandbits(bits) | top


def odd_modulus(rng, bits):
    m = value(rng, bits) | 1
    return m if m >= 3 else 3


def gen_modexp(rng):
    vf = VectorFile("bignum modular exponentiation", generator="vectors/gen/gen_bn.py",
                    source="Python pow(base, exp, mod), random.Random(%d)" % SEED,
                    notes="odd moduli >= 3 (Montgomery; the MTProto and RSA uses); base may be up "
                          "to twice the modulus width")
    g = vf.group("modexp", "edge exponents and bases at every size")
    for bits in SIZES:
        m = odd_modulus(rng, bits)
        b = rng.randrange(m)
        cases = [(b, 0, "exponent 0"), (b, 1, "exponent 1"), (0, 5, "base 0"), (1, m - 2, "base 1"),
                 (m - 1, m - 2, "base n-1, odd exponent"), (m - 1, 2, "base n-1 squared"),
                 (m, 3, "base = n"), (m + 1, value(rng, bits), "base = n + 1"),
                 (value(rng, 2 * bits - 1), value(rng, bits), "base twice as wide"),
                 (b, (1 << bits) - 1, "all-ones exponent"), (b, 1 << (bits - 1), "top-bit exponent"),
                 (b, 65537, "e = 65537")]
        for base, e, what in cases:
            g.valid({"base": be(base), "exp": be(e), "mod": be(m)}, {"out": be(pow(base, e, m))},
                    comment="%d-bit modulus: %s" % (bits, what))
    g = vf.group("modexp", "random sizes and one-limb moduli")
    for i in range(40):
        bits = rng.choice([3, 17, 63, 64]) if i < 10 else rng.randrange(2, 4097)
        m = odd_modulus(rng, bits)
        base, e = rng.getrandbits(bits), value(rng, rng.randrange(0, 2049))
        g.valid({"base": be(base), "exp": be(e), "mod": be(m)}, {"out": be(pow(base, e, m))},
                comment="%d-bit modulus" % bits)
    g = vf.group("modexp", "invalid moduli")
    g.invalid({"base": be(2), "exp": be(3), "mod": b""}, error="bad_argument", comment="modulus 0")
    vf.write("vectors/bn_modexp.json")


def gen_mul(rng):
    vf = VectorFile("bignum multiplication", generator="vectors/gen/gen_bn.py",
                    source="Python a * b, random.Random(%d)" % SEED)
    g = vf.group("bn_mul", "edge values and random sizes up to 4096 x 4096 bits")
    for bits in SIZES:
        a, b = value(rng, bits), value(rng, rng.choice(SIZES))
        for x, y, what in [(a, 0, "times 0"), (a, 1, "times 1"), (a, b, "mixed sizes"),
                           ((1 << bits) - 1, (1 << bits) - 1, "all ones squared"),
                           (1 << (bits - 1), 1 << (bits - 1), "top bits"), (a, a, "square")]:
            g.valid({"a": be(x), "b": be(y)}, {"out": be(x * y)}, comment="%d bits: %s" % (bits, what))
    for _ in range(30):
        x, y = value(rng, rng.randrange(1, 4097)), value(rng, rng.randrange(1, 4097))
        g.valid({"a": be(x), "b": be(y)}, {"out": be(x * y)}, comment="random")
    vf.write("vectors/bn_mul.json")


def gen_div(rng):
    vf = VectorFile("bignum division with remainder", generator="vectors/gen/gen_bn.py",
                    source="Python divmod(a, b), random.Random(%d)" % SEED,
                    notes="dividends up to 8192 bits, divisors up to 4096 bits")
    g = vf.group("bn_divmod", "edge values, special limbs and random sizes")
    for bits in SIZES:
        b = value(rng, bits)
        q = value(rng, rng.randrange(1, 4097))
        for a, what in [(0, "zero dividend"), (b - 1, "a < b"), (b, "a = b"),
                        (b * q, "exact"), (b * q + b - 1, "largest remainder"),
                        (value(rng, bits + 64), "one limb longer")]:
            g.valid({"a": be(a), "b": be(b)}, {"q": be(a // b), "r": be(a % b)},
                    comment="%d-bit divisor: %s" % (bits, what))
    for i in range(60):
        bb = rng.randrange(1, 4097) if i % 3 else rng.choice([1, 7, 64])
        b = value(rng, bb)
        a = value(rng, rng.randrange(bb, min(8192, bb + 4096) + 1))
        g.valid({"a": be(a), "b": be(b)}, {"q": be(a // b), "r": be(a % b)},
                comment="%d / %d bits" % (a.bit_length(), bb))
    g.valid({"a": be(12345), "b": be(1)}, {"q": be(12345), "r": b""}, comment="divide by 1")
    g = vf.group("bn_divmod", "division by zero")
    g.invalid({"a": be(5), "b": b""}, error="bad_argument", comment="b = 0")
    vf.write("vectors/bn_div.json")


def gen_inverse(rng):
    vf = VectorFile("bignum modular inverse", generator="vectors/gen/gen_bn.py",
                    source="Python pow(a, -1, mod), math.gcd, random.Random(%d)" % SEED,
                    notes="odd and even moduli; not_invertible when gcd(a, mod) != 1")
    g = vf.group("mod_inverse", "invertible values")
    bad = vf.group("mod_inverse", "values with no inverse and invalid moduli")
    import math
    for bits in SIZES:
        for parity in (1, 0):
            m = value(rng, bits)
            m = (m | 1) if parity else (m & ~1) | 2
            for a in (1, m - 1, rng.randrange(m), m + rng.randrange(m), value(rng, 2 * bits)):
                if math.gcd(a, m) == 1:
                    g.valid({"a": be(a), "mod": be(m)}, {"out": be(pow(a, -1, m))},
                            comment="%d-bit %s modulus" % (bits, "odd" if parity else "even"))
                else:
                    bad.invalid({"a": be(a), "mod": be(m)}, error="not_invertible",
                                comment="gcd(a, mod) = %d bits" % math.gcd(a, m).bit_length())
            f = rng.choice([3, 5, 7]) if parity else 2
            bad.invalid({"a": be(f * rng.randrange(1, 1 << 64)), "mod": be(m * f)},
                        error="not_invertible", comment="common factor %d" % f)
            bad.invalid({"a": b"", "mod": be(m)}, error="not_invertible", comment="a = 0")
            bad.invalid({"a": be(m), "mod": be(m)}, error="not_invertible", comment="a = mod")
    for m in (b"", be(1)):
        bad.invalid({"a": be(3), "mod": m}, error="bad_argument", comment="modulus < 2")
    vf.write("vectors/bn_inverse.json")


def is_prime64(n):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def random_prime(rng, bits):
    while True:
        p = rng.getrandbits(bits) | (1 << (bits - 1)) | 1
        if is_prime64(p):
            return p


def gen_pq(rng):
    vf = VectorFile("MTProto pq factoring", generator="vectors/gen/gen_bn.py",
                    source="core.telegram.org/mtproto/samples-auth_key step 3 (the sample pq); "
                           "random semiprimes from random.Random(%d), primality by deterministic "
                           "Miller-Rabin (bases 2..37)" % SEED,
                    notes="pq is big-endian hex as on the wire (8 bytes in the sample); p < q")
    g = vf.group("factor_pq", "the official sample and random semiprimes up to 2^63")
    g.valid({"pq": be(2694724800268887959)}, {"p": be(1513098571), "q": be(1780931429)},
            comment="official sample: 2694724800268887959 = 1513098571 * 1780931429")
    g.valid({"pq": be(2694724800268887959, 12)}, {"p": be(1513098571), "q": be(1780931429)},
            comment="sample with leading zero bytes")
    for i in range(40):
        total = 63 if i < 20 else rng.randrange(8, 64)
        pb = rng.randrange(3, total - 2) if i >= 10 else total // 2
        while True:
            p, q = random_prime(rng, pb), random_prime(rng, total - pb)
            n = p * q
            if p != q and n < (1 << 63):
                break
        p, q = min(p, q), max(p, q)
        g.valid({"pq": be(n)}, {"p": be(p), "q": be(q)}, comment="%d-bit pq = %d-bit p * %d-bit q"
                % (n.bit_length(), p.bit_length(), q.bit_length()))
    p, q = 4294967291, 4294967279
    g.valid({"pq": be(p * q)}, {"p": be(q), "q": be(p)}, comment="64-bit pq, two 32-bit primes")
    g.valid({"pq": be(15)}, {"p": be(3), "q": be(5)}, comment="smallest odd semiprime of distinct primes")
    bad = vf.group("factor_pq", "refused inputs")
    for v, err, what in [(0, "bad_argument", "zero"), (1, "bad_argument", "one"),
                         (2694724800268887959 * 2 % (1 << 64), "bad_argument", "even"),
                         (1780931429, "pq_prime", "a prime"), ((1 << 61) - 1, "pq_prime", "2^61-1"),
                         (1513098571 ** 2, "pq_not_semiprime", "a square"),
                         (3 * 1513098571 * 1000003, "pq_not_semiprime", "three prime factors")]:
        bad.invalid({"pq": be(v)}, error=err, comment=what)
    bad.invalid({"pq": be((1 << 64) + 13)}, error="limit_exceeded", comment="over 64 bits")
    vf.write("vectors/pq.json")


def main():
    rng = seeded(SEED)
    gen_modexp(rng)
    gen_mul(rng)
    gen_div(rng)
    gen_inverse(rng)
    gen_pq(rng)


if __name__ == "__main__":
    main()
