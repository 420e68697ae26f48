#!/usr/bin/python3
"""Writes the seed corpus of fuzz_handshake_pair (corpora/handshake_pair/): one seed per client
fault and per server fault (the other side correct), the fault values taken from the enums of
proto/handshake.h and proto/handshake_server.h by name, a few flag combinations (temporary key,
strict server with the deprecated client forms, a forced dh_gen_retry, a test dc) and a few edits
of messages in flight. The input format is fuzz/fuzz_handshake_pair.c's. Deterministic."""
import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedlib import ROOT, write_seeds  # noqa: E402

TEMP, STRICT, RETRY, TEST_DC = 1, 2, 4, 8


def enum(header, name):
    """The members of `typedef enum name {...}` in order, without the _COUNT sentinel."""
    text = open(os.path.join(ROOT, header)).read()
    body = re.search(r'typedef enum %s \{(.*?)\}' % name, text, re.S).group(1)
    body = re.sub(r'/\*.*?\*/', '', body, flags=re.S)
    names = [m.split('=')[0].strip() for m in body.split(',')]
    return [n for n in names if n and not n.endswith('_COUNT')]


def seed(cf, sf, flags=0, edits=()):
    return bytes([cf, sf, flags]) + b''.join(struct.pack('<BHB', *e) for e in edits)


def main():
    client = enum('proto/handshake.h', 'hs_client_fault')
    server = enum('proto/handshake_server.h', 'hss_fault')
    seeds = {'none': seed(0, 0), 'temp_key': seed(0, 0, TEMP), 'test_dc': seed(0, 0, TEST_DC),
             'forced_retry': seed(0, 0, RETRY)}
    for i, name in enumerate(client[1:], 1):
        # retry_id needs a dh_gen_retry to answer
        seeds['client_' + name[len('HSC_FAULT_'):].lower()] = seed(i, 0, RETRY if name == 'HSC_FAULT_RETRY_ID' else 0)
    for i, name in enumerate(server[1:], 1):
        seeds['server_' + name[len('HSS_FAULT_'):].lower()] = seed(0, i)
    seeds['client_inner_no_dc_strict'] = seed(client.index('HSC_FAULT_INNER_NO_DC'), 0, STRICT)
    seeds['client_inner_no_dc_temp'] = seed(client.index('HSC_FAULT_INNER_NO_DC'), 0, TEMP)
    seeds['client_old_rsa_padding_strict'] = seed(client.index('HSC_FAULT_OLD_RSA_PADDING'), 0,
                                                  STRICT)
    # edits: message 1 is resPQ, 2 req_DH_params, 3 server_DH_params_ok, 4 set_client_DH_params,
    # 5 dh_gen_ok; positions past the 20-byte unencrypted header reach the TL bodies
    seeds['edit_respq_fingerprint'] = seed(0, 0, 0, [(1, 70, 0x01)])
    seeds['edit_req_dh_rsa'] = seed(0, 0, 0, [(2, 100, 0x80)])
    seeds['edit_dh_params_answer'] = seed(0, 0, 0, [(3, 300, 0x10)])
    seeds['edit_set_dh_answer'] = seed(0, 0, 0, [(4, 90, 0x04)])
    seeds['edit_gen_ok_hash'] = seed(0, 0, 0, [(5, 60, 0x01)])
    seeds['edit_req_pq_length'] = seed(0, 0, 0, [(0, 16, 0x04)])
    write_seeds('handshake_pair', seeds)


if __name__ == '__main__':
    main()
