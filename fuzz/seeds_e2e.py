#!/usr/bin/python3
"""Writes the action seeds of fuzz_e2e (corpora/e2e/walk_*): inputs made only of action records
(flags bit 3, fuzz/fuzz_e2e.c), so the two engines of the target exchange their own messages and
walk whole re-keys (request, accept, commit; both sides at once; lost, reordered and repeated
messages; a discard in the middle), texts around the switch, gaps filled by resend requests and
the old key's expiry on the virtual clock; and sealed_* seeds, re-keying actions from the
originator with values its engine would never send (flags bit 1: the target seals the layer
object). The other seeds of corpora/e2e/ are not written by this script. Deterministic."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedlib import write_seeds  # noqa: E402

DELIVER, REKEY, SEND, TICK, DISCARD, DROP, NEWEST, REPEAT = range(8)
A, B = 0, 1  # the originator, the other side


def act(side, action, data=b''):
    return struct.pack('<BH', 8 | side | action << 4, len(data)) + data


def deliver(*sides):
    return b''.join(act(s, DELIVER) for s in sides)


def text(side, words):
    return act(side, SEND, words.encode())


def rekey_walk(first):
    """A re-key started by `first`, every message delivered in order, then texts both ways."""
    other = first ^ 1
    return (act(first, REKEY) + deliver(other, first, other, first) + text(A, 'after A') +
            deliver(B) + text(B, 'after B') + deliver(A))


def tl_bytes(b):
    head = bytes([len(b)]) if len(b) < 254 else b'\xfe' + len(b).to_bytes(3, 'little')
    return head + b + bytes(-(len(head) + len(b)) % 4)


def service(action):
    """decryptedMessageLayer (layer 73, the originator's first message: in_seq_no 0,
    out_seq_no 1) carrying decryptedMessageService(random_id 1, action)."""
    msg = struct.pack('<Iq', 0x73164160, 1) + action
    return (struct.pack('<I', 0x1be31789) + tl_bytes(bytes(16)) + struct.pack('<iii', 73, 0, 1) +
            msg)


def sealed_to_other(obj):
    return struct.pack('<BH', 2 | B, len(obj)) + obj


def main():
    seeds = {
        'walk_rekey_by_other': rekey_walk(B) + act(A, TICK) + act(B, TICK) + text(A, 'late') +
        deliver(B),
        'walk_rekey_by_originator': rekey_walk(A) + act(B, TICK) + text(B, 'x') + deliver(A),
        'walk_rekey_twice': rekey_walk(A) + rekey_walk(B) + act(A, TICK) + act(B, TICK),
        'walk_rekey_race': act(A, REKEY) + act(B, REKEY) + deliver(A, B, A, B, A, B, A, B) +
        text(A, 'race') + deliver(B) + text(B, 'race') + deliver(A),
        'walk_rekey_race_one_late': act(A, REKEY) + act(B, REKEY) + deliver(B, B, A, A, B, A, B) +
        text(B, 'y') + deliver(A),
        'walk_rekey_request_lost': act(A, REKEY) + act(B, DROP) + text(A, 'lost') +
        deliver(B) + act(A, REKEY) + deliver(B, A, B, A),
        'walk_rekey_accept_lost': act(B, REKEY) + deliver(A) + act(B, DROP) + text(A, 'after') +
        deliver(B, A, B, A),
        'walk_rekey_reordered': act(A, REKEY) + text(A, 'one') + text(A, 'two') +
        act(B, NEWEST) + deliver(B, B, A, B, A, B),
        'walk_rekey_repeated': act(B, REKEY) + act(A, REPEAT) + deliver(A) + act(B, REPEAT) +
        deliver(B, A, A, B),
        'walk_text_old_key': act(A, REKEY) + deliver(B) + text(B, 'under old key') +
        deliver(A) + act(B, DROP) + deliver(A, B, A) + act(A, TICK) + text(B, 'new') + deliver(A),
        'walk_rekey_discarded': act(A, REKEY) + deliver(B) + act(B, DISCARD) + deliver(A, A) +
        act(A, REKEY) + text(A, 'closed'),
        'walk_gap_resend': text(A, '1') + text(A, '2') + text(A, '3') + act(B, DROP) +
        deliver(B, B) + deliver(A) + deliver(B, B, B) + text(B, 'ok') + deliver(A),
        'walk_texts_both_ways': text(A, 'hi') + text(B, 'hello') + deliver(A, B) +
        text(A, 'again') + act(B, REPEAT) + deliver(B) + deliver(A),
    }
    one = (1).to_bytes(256, 'big')
    request = lambda g_a: struct.pack('<Iq', 0xf3c9611b, 5) + tl_bytes(g_a)  # RequestKey
    accept = struct.pack('<Iq', 0x6fe1735b, 5) + tl_bytes((2).to_bytes(256, 'big')) + bytes(8)
    seeds['sealed_request_key_ga_one'] = sealed_to_other(service(request(one))) + deliver(A, A)
    seeds['sealed_request_key_ga_short'] = sealed_to_other(service(request(b'\x02' * 255)))
    seeds['sealed_accept_unknown'] = sealed_to_other(service(accept)) + deliver(A)
    write_seeds('e2e', seeds)


if __name__ == '__main__':
    main()
