#!/usr/bin/python3
"""Writes the action seeds of fuzz_e2e (corpora/e2e/walk_*): inputs made only of action records
(flags bit 3, fuzz/fuzz_e2e.c), so the two engines of the target exchange their own messages and
walk whole re-keys (request, accept, commit; both sides at once; lost, reordered and repeated
messages; a discard in the middle), texts around the switch, gaps filled by resend requests and
the old key's expiry on the virtual clock. The other seeds of corpora/e2e/ (sealed layer objects,
envelopes) are not written by this script. Deterministic."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'corpora', 'e2e')
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
    os.makedirs(OUT, exist_ok=True)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(OUT, name), 'wb') as f:
            f.write(data)
    print('%d seeds in %s' % (len(seeds), os.path.relpath(OUT)))


if __name__ == '__main__':
    main()
