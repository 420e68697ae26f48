#!/usr/bin/env python3
"""The fixed DH exponents b of harness/scenarios/dh.mts and handshake_faults.mts, reproduced.

With Telegram's 2048-bit prime p and g = 3 (crypto/prime_cache.c PRIME_TELEGRAM_DH, the prime the
relay and the builtin server use), g_b = 3^b mod p. The scenarios need b such that g_b, as 256
big-endian bytes, starts with N zero bytes while it still passes the server's checks
(2^(2048-64) <= g_b <= p - 2^(2048-64); mtproto/security_guidelines):
  N = 1: b = SHA512("mtproof g_b lead K") * 4 (64 bytes repeated to 256) for the first
         K = 0, 1, ... that works (dh.mts dh-gb-leading-zero);
  N = 2: b = B + k with B = SHA512("mtproof g_b lead2") * 4 and the first k = 0, 1, ... that works
         (each step multiplies g_b by 3: cheap), handshake_faults.mts hsf-gb-two-zero-bytes.
The auth key g_a^b depends on the server's secret a, so it cannot be fixed in advance: the
harness searches b at run time for that (`handshake steer=key0`, harness/conform_steer.c).
Usage: dh_edge_b.py            print both exponents as b=0x... values
       dh_edge_b.py --check DIR  verify that the scenario files in DIR use exactly these values
Deterministic, stdlib only.
"""
import hashlib
import sys

P = int(
    "C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F"
    "48198A0AA7C140582294 93D22530F4DBFA336F6E0AC925139543AED44CCE7C37".replace(" ", "") +
    "20FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454F18FAF8C595F64"
    "2477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4"
    "A4A695811051907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754"
    "FD17ED950D5965B4B9DD46582DB1178D169C6BC465B0D6FF9CA3928FEF5B9AE4"
    "E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F"
    "0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B", 16)
G = 3
BOUND = 1 << (2048 - 64)


def valid(gb):
    return BOUND <= gb <= P - BOUND


def lead_zero_bytes(v):
    return (2048 - v.bit_length()) // 8


def seed_b(text):
    return int.from_bytes(hashlib.sha512(text.encode()).digest() * 4, "big")


def b_one_zero():
    k = 0
    while True:
        b = seed_b("mtproof g_b lead %d" % k)
        gb = pow(G, b, P)
        if lead_zero_bytes(gb) == 1 and valid(gb):
            return b
        k += 1


def b_two_zeros():
    b = seed_b("mtproof g_b lead2")
    gb = pow(G, b, P)
    while not (lead_zero_bytes(gb) == 2 and valid(gb)):
        b += 1
        gb = gb * G % P
    return b


def main():
    values = {"one": "0x%0512x" % b_one_zero(), "two": "0x%0512x" % b_two_zeros()}
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        text = ""
        for f in ("dh.mts", "handshake_faults.mts"):
            text += open("%s/%s" % (sys.argv[2], f)).read().lower()
        missing = [k for k, v in values.items() if "b=" + v not in text]
        if missing:
            sys.exit("dh_edge_b: scenario files lack the %s value(s)" % ", ".join(missing))
        print("dh_edge_b: ok")
        return
    for k, v in values.items():
        print("%s zero byte(s): b=%s" % (k, v))


if __name__ == "__main__":
    main()
