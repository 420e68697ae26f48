#!/usr/bin/env python3
"""Writes harness/scenarios/interop_dh.mts: the DH edge cases offered to clients under test
(issue 9 "edge cases that implementations commonly get wrong"), with the values computed here:
- a server exponent a whose g_a = 3^a mod p has a leading zero byte (a 255-byte number sent as 256
  bytes: a client that strips or miscounts it computes the wrong key);
- Telegram's prime with g = 4, 5, 6 or 7 where the residue condition of mtproto/auth_key holds
  (valid but unusual: Telegram always sends g = 3);
- RFC 3526's 2048-bit MODP prime (a safe prime that is not Telegram's) with a valid g.
Deterministic: the exponent search counts up from a fixed start. usage: gen_interop_scenarios.py
"""
import hashlib
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# RFC 3526 section 3, the 2048-bit MODP group (group 14): a safe prime.
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
    return int("".join(x.strip()[2:] for x in body.split(",") if x.strip()), 16)


def g_ok(g, p):
    """mtproto/auth_key: the residue conditions for g = 2..7."""
    return {2: p % 8 == 7, 3: p % 3 == 2, 4: True, 5: p % 5 in (1, 4), 6: p % 24 in (19, 23),
            7: p % 7 in (3, 5, 6)}[g]


def leading_zero_a(p, g=3):
    """The first exponent (2048 bits, counting from a SHA-256-derived start) whose g_a has a zero
    top byte yet stays inside 2^1984 < g_a < p - 2^1984."""
    a = int.from_bytes(hashlib.sha256(b"mtproof interop g_a leading zero").digest() * 8, "big")
    while True:
        ga = pow(g, a, p)
        if ga < 1 << 2040 and ga > 1 << 1984:
            return a
        a += 1


def main():
    tp = telegram_prime()
    a = leading_zero_a(tp)
    out = ["# DH edge cases offered to the client under test (issue 9); written by",
           "# harness/interop/gen_interop_scenarios.py. Each is valid: the client must create the key.",
           "role server", "tier fast", ""]
    out += ["scenario interop-ga-leading-zero",
            "  rules   DH_GA_BOUNDS DH_GA_RANGE",
            "  about   g_a = 3^a mod p has a leading zero byte (valid): the key must still agree",
            f"  handshake a=0x{a:0512x}", "  expect  query", ""]
    for g in (4, 5, 6, 7):
        if g_ok(g, tp):
            out += [f"scenario interop-telegram-prime-g{g}",
                    "  rules   DH_G_UNSUPPORTED DH_G_NOT_RESIDUE",
                    f"  about   Telegram's prime with g = {g} (its residue condition holds): valid, unusual",
                    f"  handshake g={g}", "  expect  query", ""]
    g = next(g for g in (2, 3, 4, 5, 6, 7) if g_ok(g, MODP_2048))
    out += ["scenario interop-modp-prime",
            "  rules   DH_PRIME_NOT_SAFE DH_PRIME_SIZE",
            f"  about   RFC 3526's 2048-bit MODP safe prime with g = {g}: valid, not Telegram's",
            f"  handshake prime=0x{MODP_2048:0512x} g={g}", "  expect  query"]
    with open(os.path.join(ROOT, "harness", "scenarios", "interop_dh.mts"), "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
