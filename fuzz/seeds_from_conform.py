#!/usr/bin/python3
"""Seeds for the fuzz corpora from the bytes of conformance runs (docs/fuzzing.md "Corpora").

Runs `mtproof conform --record DIR` against the builtin engines and the relay core (virtual
time, seed 1: byte-exact and repeatable), then turns what was recorded into seeds:

  corpora/session_server/     the encrypted messages each scenario sent (NAME.session files,
                              already in the format of fuzz/fuzz_session_input.h)
  corpora/relay_conn/         [mode 0] + one record [flags 4][len u16le][bytes] per chunk the
                              harness wrote on the connection (fuzz/fuzz_records.h)
  corpora/transport_<kind>/   [0] + the client's stream after its tag (a server reading), and
                              [1] + the server's stream (a client reading), per transport
  corpora/transport_detect/   [0] + the client's whole stream, tag included

Each seed is named by the SHA-1 of its bytes (so a rerun adds nothing twice); at most PER_CORPUS
new seeds of at most MAX_SEED bytes per corpus, spread over the sizes, to keep the corpora small.
usage: fuzz/seeds_from_conform.py MTPROOF_BINARY [--dry-run]
"""
import hashlib
import os
import pathlib
import struct
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PER_CORPUS = 24
MAX_SEED = 2048
# The tag a client sends first on each plain transport (mtproto-transports).
TAGS = {"abridged": b"\xef", "intermediate": b"\xee" * 4, "padded": b"\xdd" * 4, "full": b""}


def parse(path):
    """(transport, [(dir, bytes)]) of a recorded transcript (docs/transcripts.md)."""
    transport, frames = None, []
    for line in path.read_text().splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] == "transport":
            transport = words[1]
        elif words[0] == "frame":
            frames.append([words[2], b""])
        elif words[0] == "hex" and frames:
            frames[-1][1] += bytes.fromhex(words[1])
    return transport, frames


def seeds_of(rec_dir):
    """{corpus: [seed bytes]} from one --record directory."""
    out = {}
    add = lambda corpus, data: out.setdefault(corpus, []).append(data)
    for p in sorted(rec_dir.glob("*.session")):
        add("session_server", p.read_bytes())
    for p in sorted(rec_dir.glob("*.txt")):
        transport, frames = parse(p)
        c2s = b"".join(b for d, b in frames if d == "c2s")
        s2c = b"".join(b for d, b in frames if d == "s2c")
        records = b"".join(bytes([4]) + struct.pack("<H", len(b)) + b
                           for d, b in frames if d == "c2s" and len(b) <= 0xffff)
        if records:
            add("relay_conn", b"\x00" + records)
        if c2s:
            add("transport_detect", b"\x00" + c2s)
        tag = TAGS.get(transport)
        if tag is not None and c2s.startswith(tag):
            add("transport_" + transport, b"\x00" + c2s[len(tag):])
            if s2c:
                add("transport_" + transport, b"\x01" + s2c)
    return out


def write(all_seeds, dry_run):
    for corpus, seeds in sorted(all_seeds.items()):
        d = ROOT / "corpora" / corpus
        have = {p.name for p in d.iterdir()} if d.is_dir() else set()
        cand = {}
        for s in sorted(seeds, key=lambda s: (len(s), s)):
            name = hashlib.sha1(s).hexdigest()
            if len(s) <= MAX_SEED and name not in have:
                cand[name] = s
        # Spread over the sizes: short refusals and long exchanges alike.
        names = list(cand)
        step = max(1.0, len(names) / PER_CORPUS)
        new = {names[int(i * step)]: cand[names[int(i * step)]]
               for i in range(min(PER_CORPUS, len(names)))}
        print(f"{corpus}: {len(seeds)} recorded, {len(new)} new seeds")
        if not dry_run:
            d.mkdir(parents=True, exist_ok=True)
            for name, s in new.items():
                (d / name).write_bytes(s)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    binary, dry_run = sys.argv[1], "--dry-run" in sys.argv[2:]
    all_seeds = {}
    with tempfile.TemporaryDirectory() as tmp:
        for target in ("engines", "relay"):
            rec = pathlib.Path(tmp) / target
            rec.mkdir()
            cmd = [binary, "conform", "--tier", "fast", "--target", target, "--record", str(rec)]
            r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if r.returncode not in (0, 1):  # 1: a failing scenario still recorded its bytes
                sys.exit(f"seeds_from_conform: {' '.join(cmd)} exited {r.returncode}: {r.stderr}")
            for corpus, seeds in seeds_of(rec).items():
                all_seeds.setdefault(corpus, []).extend(seeds)
    write(all_seeds, dry_run)


if __name__ == "__main__":
    main()
