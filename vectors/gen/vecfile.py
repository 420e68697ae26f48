"""Writes mtproof-vectors-1 files (see vectors/README.md) deterministically.

Usage from a generator:
    vf = VectorFile("AES-256-IGE", source="...", generator="vectors/gen/gen_aes.py")
    g = vf.group("aes256_ige_encrypt", "random lengths")
    g.valid({"key": key, "iv": iv, "data": pt}, {"out": ct}, comment="2 blocks", flags=["InPlace"])
    g.invalid({"key": key[:31], ...}, error="bad_key_size", comment="short key")
    vf.write("vectors/aes256_ige.json")
Bytes values are written as lowercase hex; ints as JSON numbers; {"hex", "repeat"} objects pass through.
"""
import json
import os
import random

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def seeded(seed):
    """A deterministic random.Random for a generator; the seed is recorded in the file."""
    return random.Random(seed)


def _enc(v):
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    if isinstance(v, dict):
        return {k: _enc(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_enc(x) for x in v]
    return v


class Group:
    def __init__(self, vf, op, comment, extra):
        self.vf, self.op, self.comment, self.extra, self.tests = vf, op, comment, extra, []

    def _add(self, test):
        self.vf.next_id += 1
        t = {"tcId": self.vf.next_id}
        t.update(test)
        self.tests.append(t)

    def valid(self, inp, out, comment="", flags=()):
        self._add({"comment": comment, "flags": list(flags), "result": "valid",
                   "in": _enc(inp), "out": _enc(out)})

    def invalid(self, inp, error=None, comment="", flags=()):
        t = {"comment": comment, "flags": list(flags), "result": "invalid", "in": _enc(inp)}
        if error:
            t["error"] = error
        self._add(t)


class VectorFile:
    def __init__(self, algorithm, source, generator=None, notes=None):
        self.algorithm, self.source, self.generator, self.notes = algorithm, source, generator, notes
        self.groups, self.next_id = [], 0

    def group(self, op, comment="", **extra):
        g = Group(self, op, comment, extra)
        self.groups.append(g)
        return g

    def write(self, rel_path):
        doc = {"schema": "mtproof-vectors-1", "algorithm": self.algorithm, "source": self.source}
        if self.generator:
            doc["generator"] = self.generator
        if self.notes:
            doc["notes"] = self.notes
        doc["numberOfTests"] = sum(len(g.tests) for g in self.groups)
        doc["testGroups"] = []
        for g in self.groups:
            gd = {"op": g.op, "comment": g.comment}
            gd.update(_enc(g.extra))
            gd["tests"] = g.tests
            doc["testGroups"].append(gd)
        path = os.path.join(ROOT, rel_path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(doc, f, indent=1, sort_keys=False)
            f.write("\n")
