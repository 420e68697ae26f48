#!/usr/bin/env python3
"""Runs the client-role scenarios (`role server`: harness/scenarios/client*.mts, interop_*.mts)
with each library's real client as the client under test, one library at a time:
`mtproof conform --listen 127.0.0.1:0 --key PEM --transport MAIN --client-cmd 'node
harness/interop/conform-driver.js LIB {host} {port} {transport} PUB'` (docs/interop.md
"Conformance runs"). The scenario files are used as they are: the harness as server answers each
library's setup queries itself as the relay does and `expect query` takes its first query
(docs/scenarios.md "Setup queries"); --transport gives scenarios without their own transport the
library's main one, and the driver exits 3 for a transport the library lacks (skipped by conform:
"unsupported"). Scenarios that expect relay.* objects need the relay API, which only the reference
client speaks: unsupported, not run. Each result: pass, fail (the rule conform names, with the
transcript's end as evidence), warning (a harness or driver error: the run says nothing about the
library) or unsupported. Writes {"lib": {"scenario:NAME": {...}}} for matrix.py.
usage: run-conform.py MTPROOF OUT.json [LIB...] [--timeout S] [--reuse]
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "build", "interop", "conform")
# The transport of scenarios that do not name one, per library (its default connection).
# --reuse: classify the reports of the last run again (build/interop/conform/conform-LIB.json)
# instead of running conform.
REUSE = "--reuse" in sys.argv
MAIN = {"gramjs": "full", "mtcute": "intermediate", "mtproto-core": "obf2-intermediate"}


def scenarios():
    """name -> {file, rules, relay_api} of every role-server scenario."""
    found = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "harness", "scenarios", "*.mts"))):
        text = open(path).read()
        if not re.search(r"^\s*role\s+server\b", text, re.M):
            continue
        cur = None
        file_transport = None
        for line in text.splitlines():
            w = line.split("#", 1)[0].split()
            if not w:
                continue
            if w[0] == "transport" and len(w) > 1:
                if cur is None:
                    file_transport = w[1]
                else:
                    cur["http"] = w[1] == "http"
            if w[0] == "scenario":
                cur = {"file": os.path.basename(path), "rules": [], "relay_api": False,
                       "http": file_transport == "http"}
                found[w[1]] = cur
            elif cur is not None and w[0] == "handshake" and "kind=temp" in w:
                cur["temp"] = True
            elif cur is not None and w[0] == "rules":
                cur["rules"] = w[1:]
            elif cur is not None and ((w[0] == "expect" and len(w) > 1 and w[1].startswith("relay."))
                                      or w[0] == "e2e"):  # the room peer speaks through relay.*
                cur["relay_api"] = True
    return found


def catalogue(mtproof):
    """rule id -> (severity, reaction) from `mtproof rules`."""
    out = subprocess.run([mtproof, "rules"], capture_output=True, text=True).stdout
    cat = {}
    for line in out.splitlines():
        m = re.match(r"^([A-Z][A-Z0-9_]+)\s+(MUST|SHOULD|DEPRECATED)\s+(.*)$", line)
        if m:
            cat[m.group(1)] = (m.group(2), m.group(3).strip())
    return cat


# What the libraries log when they refuse a received message (gramjs MTProtoSender, mtcute
# SessionConnection / AuthKey); nothing else a library logs counts as a refusal.
REFUSAL = re.compile(r"Security error while unpacking|failed to decrypt message|invalid messageKey|"
                     r"ignoring message with invalid messageId")


def events_of(path):
    """The driver's events of one scenario (conform-driver.js EVENTS.jsonl), oldest first."""
    out = []
    try:
        for line in open(path):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    except OSError:
        pass
    return out


def judge(res, cat):
    """Honest classes for a failure that is not a broken MUST: a client that stays connected
    after a message it must drop ("silent drop"), a handshake answer it must abandon ("abort") or
    a server error it can only refuse (the server's -404 has no client counterpart), and does not
    go on with the handshake, did what the spec asks; the close is only the reference client's
    stricter reaction (docs/scenarios.md "The builtin client"). A DEPRECATED form is a warning."""
    rule = res["rules"][0] if res["rules"] else None
    sev, reaction = cat.get(rule, ("MUST", ""))
    if sev == "DEPRECATED":
        res.update(status="warning", why=f"uses a deprecated form ({rule}): {res['why']}")
        return
    lines = res.get("transcript", [])
    if rule and rule.startswith("DH_") and "(line" in res["why"] and "handshake): connection closed" in res["why"] \
            and not any("fault=" in l for l in lines[:3]) and res.get("valid_dh"):
        res.update(status="warning", rules=[], why="refuses valid but unusual DH parameters (stricter than "
                   f"the spec: it cannot connect to such a server; no rule broken): {res['why'][:200]}")
        return
    resync = [e.get("detail", "") for e in res.get("events", []) if "corrected offset" in e.get("detail", "")]
    if rule in ("MSGID_TOO_HIGH", "MSGID_TOO_LOW") and "then a close" in res["why"] and resync:
        # mtcute on 16/17: "corrected offset ..., resetting session": it reconnects, and the harness
        # takes one connection per scenario, so its resend cannot be seen.
        said = re.sub(r"\s+", " ", resync[0])[:200]
        res.update(status="warning", rules=[], why="corrected its clock and reset the session (a new "
                   f"connection, which the harness does not take), so a resend is not observable: it logged '{said}'")
        return
    if '"_":"msgs_ack"' in res["why"] and "got nothing" in res["why"]:
        res.update(status="warning", rules=[], why="no msgs_ack within the step's limit: acks may be "
                   f"delayed and batched, the spec sets no time ({res['why']})")
        return
    if "expected a close; the connection stayed open" not in res["why"]:
        return
    if reaction.startswith("bad_msg"):  # the server's check, told to the client: no client reaction
        failed = [e.get("detail", "") for e in res.get("events", []) if e.get("event") == "failed"]
        res.update(status="warning", rules=[], why=f"stayed connected: {rule}'s reaction is the server's "
                   f"({reaction}); the spec names none for a client (the reference client closes)"
                   + (f"; the library failed its query with '{failed[0][:120]}'" if failed else ""))
        return
    if reaction == "close" or reaction.startswith("rpc_error"):
        return
    lines = res.get("transcript", [])
    last_sent = max((i for i, l in enumerate(lines) if l.startswith("> ")), default=-1)
    acted = [l for l in lines[last_sent + 1:] if l.startswith("< plain")]  # went on with the handshake
    if acted:
        return
    if rule.startswith(("DH_", "HS_ANSWER_")) and any("-- auth key created" in l for l in lines):
        # These rules are about server_DH_params; the harness creates the key from the client's
        # set_client_DH_params, so the client took the broken answer: the rule's failure stands.
        res["why"] = ("took the broken server_DH_params and sent set_client_DH_params (the harness "
                      f"created the key): {res['why']}")
        return
    gave_up = [e for e in res.get("events", []) if e.get("event") in ("gave_up", "failed")]
    if reaction == "abort" and gave_up:
        # The wire shows only that the socket stayed open; the library told its caller it gave
        # up the handshake, which is what "abort" asks. Closing the socket is no rule.
        told = "; ".join(e.get("detail", "") for e in res.get("events", []) if e.get("event") == "log")
        res.update(status="pass", rules=[], why=f"abandoned the handshake ({rule}, reaction abort): "
                   f"its connect/first query ended '{gave_up[0]['event']}: {gave_up[0].get('detail', '')}'"
                   f"{'; it logged: ' + told[:200] if told else ''}; it left its socket open (no rule asks "
                   "a client to close it; the reference client does)")
        return
    refused = [e.get("detail", "") for e in res.get("events", []) if e.get("event") == "log" and
               REFUSAL.search(e.get("detail", ""))]
    if reaction != "abort" and refused and not [e for e in res.get("events", []) if e.get("event") == "answered"]:
        # The message had to be refused (silent drop, or the server's -404 a client has no
        # counterpart for); the library logged that it refused it and went on: what the rule asks.
        said = re.sub(r"\x1b\[[0-9;]*m", "", refused[0])[:200]
        res.update(status="pass", rules=[], why=f"refused the broken message and stayed connected ({rule}, "
                   f"reaction '{reaction}'): it logged '{said}'")
        return
    res.update(status="warning", rules=[], why=f"ignored the broken message and stayed connected "
               f"({rule}: reaction '{reaction}' allows it; the reference client closes)"
               + ("" if reaction != "abort" else "; the library told its caller nothing within the "
                  "scenario, so whether it abandoned the handshake or still waits is not observable"))


def skip_globs(names, keep):
    """--skip arguments for names (conform takes at most 32 patterns): each name's shortest
    dash-separated prefix that no scenario in keep starts with, as PREFIX*."""
    globs = set()
    for n in names:
        parts = n.split("-")
        for k in range(1, len(parts) + 1):
            pre = "-".join(parts[:k])
            if k == len(parts) or not any(m.startswith(pre) for m in keep):
                globs.add(pre if k == len(parts) else pre + "*")
                break
    out = []
    for g in sorted(globs):
        out += ["--skip", g]
    return out


def run_lib(mtproof, lib, found, timeout):
    res = {}
    skip = []
    cat = catalogue(mtproof)
    for name, sc in sorted(found.items()):
        if sc["relay_api"]:
            res[name] = {"status": "unsupported", "rules": [],
                         "why": "needs the relay API (relay.join and its answers, or the e2e room peer): only "
                                "the reference client speaks it"}
            skip += ["--skip", name]
        elif sc.get("temp"):
            res[name] = {"status": "unsupported", "rules": [],
                         "why": "needs a temporary key bound with auth.bindTempAuthKey: the drivers create a "
                                "permanent key only"}
            skip += ["--skip", name]
        elif sc["http"]:  # --transport would replace the file's `transport http` with a TCP one
            res[name] = {"status": "unsupported", "rules": [],
                         "why": "needs the HTTP transport: the drivers connect over TCP transports only"}
            skip += ["--skip", name]
    skip = skip_globs([skip[i + 1] for i in range(0, len(skip), 2)], [n for n in found if n not in res])
    report = os.path.join(WORK, f"conform-{lib}.json")
    events_dir = os.path.join(WORK, f"events-{lib}")  # what the library told its caller, per scenario
    if os.path.exists(report) and not REUSE:
        os.remove(report)  # never a stale report of an earlier run
    cmd = [mtproof, "conform", "--tier", "all", "--role", "server", "--listen", "127.0.0.1:0",
           "--key", os.path.join(WORK, "server.pem"), "--timeout", str(timeout), "--json", report,
           "--transport", MAIN[lib], "--client-cmd",
           f"node harness/interop/conform-driver.js {lib} {{host}} {{port}} {{transport}} "
           f"{os.path.join(WORK, 'server.pub.pem')} {os.path.join(events_dir, '{scenario}.jsonl')}"] + skip
    if not REUSE:
        shutil.rmtree(events_dir, ignore_errors=True)
        os.makedirs(events_dir)
    if not REUSE:
        with open(os.path.join(WORK, f"conform-{lib}.log"), "w") as log:
            subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        data = json.load(open(report))
    except (OSError, ValueError) as e:
        for name in found:
            res.setdefault(name, {"status": "warning", "rules": [], "why": f"no conform report ({e})"})
        return res
    for r in data.get("cases", []):
        name, st = r.get("name"), str(r.get("outcome", "?")).lower()
        if name in res:
            continue
        status = {"pass": "pass", "fail": "fail", "skip": "unsupported"}.get(st, "warning")
        rule = (r.get("failed_rule") or {}).get("id") if isinstance(r.get("failed_rule"), dict) \
            else r.get("failed_rule")
        lines = (r.get("transcript") or "").rstrip("\n").split("\n")
        res[name] = {"status": status, "rules": [rule] if status == "fail" and rule else [],
                     "why": str(r.get("message") or r.get("reason") or "")[:400],
                     "transcript": lines}
        res[name]["valid_dh"] = found.get(name, {}).get("file") == "interop_dh.mts"  # all valid offers
        res[name]["events"] = events_of(os.path.join(events_dir, f"{name}.jsonl"))
        if status == "fail":
            judge(res[name], cat)
        del res[name]["valid_dh"]
        res[name]["driver"] = [f"{e.get('event')}: {e.get('detail', '')}"[:200] for e in res[name].pop("events")][-6:]
        res[name]["excerpt"] = lines[-10:] if res[name]["status"] in ("fail", "warning") else []
        del res[name]["transcript"]
    return res


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    timeout = 5
    if "--timeout" in sys.argv:
        timeout = int(sys.argv[sys.argv.index("--timeout") + 1])
        args.remove(str(timeout))
    if len(args) < 2:
        sys.exit(__doc__)
    mtproof, out, libs = args[0], args[1], args[2:] or sorted(MAIN)
    os.makedirs(WORK, exist_ok=True)
    if not os.path.exists(os.path.join(WORK, "server.pub.pem")):  # one key for every run
        subprocess.run([mtproof, "keygen", "--out", os.path.join(WORK, "server.pem"), "--force"], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["openssl", "rsa", "-in", os.path.join(WORK, "server.pem"), "-RSAPublicKey_out",
                        "-out", os.path.join(WORK, "server.pub.pem")], check=True, stderr=subprocess.DEVNULL)
    merged = {}
    found = scenarios()
    for lib in libs:  # one library at a time: each run launches a node process per scenario
        res = run_lib(mtproof, lib, found, timeout)
        merged[lib] = {f"scenario:{n}": v for n, v in res.items()}
        counts = {s: sum(1 for v in res.values() if v["status"] == s) for s in ("pass", "fail", "warning", "unsupported")}
        print(f"{lib}: {counts}", flush=True)
    with open(out, "w") as f:
        json.dump(merged, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
