#!/usr/bin/env python3
"""Decodes and checks the transcripts `mtproof relay --record DIR` wrote for a client run
(docs/transcripts.md): every frame of every connection is decoded with `mtproof decode --json`
(the transcript's auth-key lines, x = 0 for client frames, 8 for server frames). Reported, as
one JSON object on stdout:
  connections, frames, undecodable  frames that do not decode (must be none)
  content_related  the client's odd-seqno messages by constructor (invokeWithLayer is opaque#da9b0d0d)
  rpc_errors     the relay's rpc_error answers (code, text, the query's constructor)
  violations     each bad_msg_notification of the relay: the rule of its error code
                 (common/rules.def, RX_BAD_MSG), with an excerpt: the client's message it names
                 and the notification
usage: transcripts.py MTPROOF DIR [--excerpts N]
"""
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RULE_RE = re.compile(r"MT_RULE\((\w+),\s*\w+,\s*RX_BAD_MSG,\s*(\d+),")


def bad_msg_rules():
    with open(os.path.join(ROOT, "common", "rules.def")) as f:
        return {int(code): rule for rule, code in RULE_RE.findall(f.read())}


def frames(path):
    """(number, direction, hex, auth keys) of every frame of one transcript."""
    keys, out, cur = [], [], None
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] == "auth-key":
                keys.append(w[1])
            elif w[0] == "frame":
                cur = [int(w[1]), w[2], ""]
                out.append(cur)
            elif w[0] == "hex" and cur is not None:
                cur[2] += "".join(w[1:])
    return [(n, d, h, keys) for n, d, h in out]


def decode(mtproof, direction, hexdata, keys):
    x = "0" if direction == "c2s" else "8"
    for key in keys or [None]:
        cmd = [mtproof, "decode", "--json", "--as", "packet"] + (["--auth-key", key, "--x", x] if key else []) + [hexdata]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode == 0:
            try:
                j = json.loads(p.stdout)
            except ValueError:
                continue
            if j.get("kind") != "encrypted" or "decrypted" in j:
                return j
    return None


def messages(j):
    """(msg_id, seqno, body) of a decoded packet's messages, containers opened."""
    if not j:
        return []
    d = j.get("decrypted") or j
    top = d.get("value") or d.get("body") or {}
    mid, seq = d.get("msg_id"), d.get("seq_no")
    if top.get("_") == "msg_container":
        return [(m.get("msg_id"), m.get("seqno"), m.get("body") or {}) for m in top.get("messages", [])]
    return [(mid, seq, top)]


def name(body):
    n = body.get("_", "?")
    return f"{n}#{body['id'][2:]}" if n == "opaque" and "id" in body else n


def brief(body):
    return json.dumps({k: v for k, v in body.items() if k != "data"}, sort_keys=True)[:240]


def check(mtproof, directory, max_excerpts=4):
    rules = bad_msg_rules()
    res = {"connections": 0, "frames": 0, "undecodable": [], "content_related": {}, "rpc_errors": [], "violations": []}
    for path in sorted(glob.glob(os.path.join(directory, "*.transcript"))):
        res["connections"] += 1
        sent = {}
        for n, direction, h, keys in frames(path):
            res["frames"] += 1
            j = decode(mtproof, direction, h, keys)
            if j is None:
                res["undecodable"].append(f"{os.path.basename(path)} frame {n}")
                continue
            for mid, seq, body in messages(j):
                if direction == "c2s":
                    sent[mid] = (seq, body)
                    if j.get("kind") == "encrypted" and seq is not None and seq % 2 == 1:
                        res["content_related"][name(body)] = res["content_related"].get(name(body), 0) + 1
                elif body.get("_") == "bad_msg_notification":
                    code = body.get("error_code")
                    bad = sent.get(body.get("bad_msg_id"), (None, {}))
                    if len(res["violations"]) < max_excerpts or all(v["rule"] != rules.get(code) for v in res["violations"]):
                        res["violations"].append({
                            "rule": rules.get(code, f"code {code}"), "code": code,
                            "transcript": f"{os.path.basename(path)} frame {n}",
                            "excerpt": [f"c2s msg_id {body.get('bad_msg_id')} seqno {bad[0]}: {brief(bad[1])}",
                                        f"s2c {brief(body)}"]})
                elif body.get("_") == "rpc_result" and (body.get("result") or {}).get("_") == "rpc_error":
                    q = sent.get(body.get("req_msg_id"), (None, {}))[1]
                    r = body["result"]
                    res["rpc_errors"].append({"code": r.get("error_code"), "text": r.get("error_message"), "query": name(q)})
    return res


if __name__ == "__main__":
    if len(sys.argv) not in (3, 5):
        sys.exit(__doc__)
    n = int(sys.argv[4]) if len(sys.argv) == 5 else 4
    json.dump(check(sys.argv[1], sys.argv[2], n), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
