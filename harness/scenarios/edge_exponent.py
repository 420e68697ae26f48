#!/usr/bin/python3
"""The server exponent a of harness/scenarios/client_edges.mts (scenario client-ga-leading-zeros).

The harness as server fixes a (`handshake a=0x...`) so that g_a = 3^a mod p, with Telegram's
dh_prime (the builtin server's), starts with ZEROS zero bytes of its 256: a value a client must
keep at 256 bytes and still accept (2^(2048-64) <= g_a holds while fewer than 8 bytes are zero).
Deterministic: a starts at SHA512("mtproof g_a lead") x 4 and counts up by one; g_a follows by one
multiplication by g each step. Prints the first a that fits, as 512 hex digits, and its g_a.
Usage: edge_exponent.py [ZEROS]   (default 3; about 2^(8*ZEROS) steps)
"""
import hashlib
import sys

P = int(
    "C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F48198A0AA7C14058229493D2"
    "2530F4DBFA336F6E0AC925139543AED44CCE7C3720FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454"
    "F18FAF8C595F642477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4A4A695811051"
    "907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754FD17ED950D5965B4B9DD46582DB1178D169C6B"
    "C465B0D6FF9CA3928FEF5B9AE4E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F"
    "0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B", 16)
G = 3


def main():
    zeros = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    assert 1 <= zeros < 8, "8 zero bytes would break 2^(2048-64) <= g_a"
    a = int.from_bytes(hashlib.sha512(b"mtproof g_a lead").digest() * 4, "big") >> 1
    ga = pow(G, a, P)
    limit = 1 << (8 * (256 - zeros))
    while ga >= limit:
        a += 1
        ga = ga * G % P
    assert pow(G, a, P) == ga and ga >= 1 << (2048 - 64)
    print("a   = 0x" + a.to_bytes(256, "big").hex())
    print("g_a = 0x" + ga.to_bytes(256, "big").hex())


if __name__ == "__main__":
    main()
