#!/usr/bin/env python3
"""Runs the client-role scenarios (`role server`: harness/scenarios/client*.mts plus
harness/interop/scenarios/*.mts) with each library's real client as the client under test:
`mtproof conform --listen 127.0.0.1:0 --key PEM --client-cmd 'node harness/interop/conform-driver.js
LIB {host} {port} {transport} PUB'` (docs/interop.md "Conformance runs").

The scenarios expect the reference client's first query, relay.join; a third-party client's first
query is help.getConfig wrapped in invokeWithLayer(initConnection(...)), so the scenario files are
copied into build/interop/conform/scenarios with `relay.join` replaced by the pattern
{"_":"opaque","id":"0xda9b0d0d"} (invokeWithLayer, which our schemas decode as opaque). Scenarios
that need the relay API beyond the first query (client_relay.mts: rooms, end-to-end) and scenarios
over a transport the library lacks are "unsupported" and not run. Each result: pass, fail (with the
scenario's rule IDs and the harness's reason as evidence) or unsupported. Writes
{"lib": {"scenario:NAME": {...}}} for matrix.py.
usage: run-conform.py MTPROOF OUT.json [LIB...] [--timeout S]
"""
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "build", "interop", "conform")
# The transport a scenario without its own runs over, per library (the file default is intermediate).
MAIN = {"gramjs": "full", "mtcute": "intermediate", "mtproto-core": "obf2-intermediate"}
TRANSPORTS = {
    "gramjs": {"full", "abridged", "obf2-abridged"},
    "mtcute": {"intermediate", "padded", "obf2-intermediate", "obf2-padded"},
    "mtproto-core": {"obf2-intermediate"},
}
# Files whose scenarios need the relay API after the first query (relay.joined..., rooms).
NEEDS_RELAY_API = {"client_relay.mts"}
FIRST_QUERY = '{"_":"opaque","id":"0xda9b0d0d"}'


def scenarios(lib):
    """name -> (file, transports used, rules, tier) of every role-server scenario, files copied
    with the library's main transport as the files' default."""
    out_dir = os.path.join(WORK, "scenarios-" + lib)
    os.makedirs(out_dir, exist_ok=True)
    for old in glob.glob(os.path.join(out_dir, "*.mts")):
        os.remove(old)
    found = {}
    files = sorted(glob.glob(os.path.join(ROOT, "harness", "scenarios", "*.mts")) +
                   glob.glob(os.path.join(ROOT, "harness", "interop", "scenarios", "*.mts")))
    for path in files:
        text = open(path).read()
        if not re.search(r"^\s*role\s+server\b", text, re.M):
            continue
        base = os.path.basename(path)
        default = "intermediate"
        copy = re.sub(r"\brelay\.join\b", FIRST_QUERY, text)
        if not re.search(r"^transport\s", text, re.M):  # no file default: the library's main one
            copy = re.sub(r"^role\s+server\b", f"role server\ntransport {MAIN[lib]}", copy, count=1, flags=re.M)
            default = MAIN[lib]
        with open(os.path.join(out_dir, base), "w") as f:
            f.write(copy)
        cur = None
        for line in text.splitlines():
            w = line.split("#", 1)[0].split()
            if not w:
                continue
            if w[0] == "scenario":
                cur = {"file": base, "transports": set(), "rules": [], "tier": None, "steps": 0}
                found[w[1]] = cur
            elif cur is None and w[0] == "transport":
                default = w[1]
            elif cur is not None and w[0] == "rules":
                cur["rules"] = w[1:]
            elif cur is not None and w[0] in ("transport",) and len(w) > 1:
                cur["transports"].add(w[1])
            elif cur is not None and w[0] == "reconnect":
                cur["transports"].update(t.split("=", 1)[1] for t in w[1:] if t.startswith("transport="))
        for sc in found.values():
            if sc["file"] == base and not sc["transports"]:
                sc["transports"].add(default)
    return out_dir, found


def drop_stanzas(scen_dir, names):
    """Removes the scenarios named from the copied files (conform takes few --only patterns)."""
    for path in glob.glob(os.path.join(scen_dir, "*.mts")):
        out, keep = [], True
        for line in open(path).read().splitlines(keepends=True):
            w = line.split()
            if w and w[0] == "scenario":
                keep = w[1] not in names
            if keep:
                out.append(line)
        with open(path, "w") as f:
            f.writelines(out)


def run_lib(mtproof, lib, scen_dir, found, timeout):
    res, run = {}, []
    for name, sc in sorted(found.items()):
        if sc["file"] in NEEDS_RELAY_API:
            res[name] = {"status": "unsupported", "rules": [], "why": "needs the relay API (relay.join answers)"}
        elif not sc["transports"] <= TRANSPORTS[lib]:
            res[name] = {"status": "unsupported", "rules": [],
                         "why": f"transport {', '.join(sorted(sc['transports']))} not in the library"}
        else:
            run.append(name)
    if not run:
        return res
    drop_stanzas(scen_dir, {n for n in found if n not in run})
    report = os.path.join(WORK, f"conform-{lib}.json")
    timeout = max(timeout, 30) if lib == "mtproto-core" else timeout  # its slow pq factoring
    cmd = [mtproof, "conform", "--tier", "all", "--scenarios", scen_dir, "--listen", "127.0.0.1:0",
           "--key", os.path.join(WORK, "server.pem"), "--timeout", str(timeout), "--json", report,
           "--client-cmd", f"node harness/interop/conform-driver.js {lib} {{host}} {{port}} {{transport}} "
           f"{os.path.join(WORK, 'server.pub.pem')}"]
    cmd += ["--role", "server"]
    with open(os.path.join(WORK, f"conform-{lib}.log"), "w") as log:
        subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        data = json.load(open(report))
    except (OSError, ValueError) as e:
        for name in run:
            res[name] = {"status": "fail", "rules": [], "why": f"no conform report ({e})"}
        return res
    for r in data.get("cases", []):
        name, st = r.get("name"), str(r.get("outcome", "?")).lower()
        status = "pass" if st == "pass" else "unsupported" if st == "skip" else "fail"
        if st == "error" or "did not connect" in str(r.get("message")):
            status = "warning"  # a tool error (the client never connected), not the library's failure
        rule = (r.get("failed_rule") or {}).get("id") or (found.get(name, {}).get("rules") or [None])[0]
        tail = (r.get("transcript") or "").rstrip("\n").split("\n")[-8:]
        res[name] = {"status": status, "rules": [rule] if status == "fail" and rule else [],
                     "why": str(r.get("message") or r.get("reason") or "")[:400],
                     "excerpt": tail if status == "fail" else []}
    return res


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    timeout = 5
    if "--timeout" in sys.argv:
        timeout = int(sys.argv[sys.argv.index("--timeout") + 1])
        args.remove(str(timeout))
    if len(args) < 2:
        sys.exit(__doc__)
    mtproof, out, libs = args[0], args[1], args[2:] or sorted(TRANSPORTS)
    os.makedirs(WORK, exist_ok=True)
    if not os.path.exists(os.path.join(WORK, "server.pub.pem")):  # one key for every run
        subprocess.run([mtproof, "keygen", "--out", os.path.join(WORK, "server.pem"), "--force"], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["openssl", "rsa", "-in", os.path.join(WORK, "server.pem"), "-RSAPublicKey_out",
                        "-out", os.path.join(WORK, "server.pub.pem")], check=True, stderr=subprocess.DEVNULL)
    merged = {}
    for lib in libs:
        scen_dir, found = scenarios(lib)
        res = run_lib(mtproof, lib, scen_dir, found, timeout)
        merged[lib] = {f"scenario:{n}": v for n, v in res.items()}
        counts = {s: sum(1 for v in res.values() if v["status"] == s) for s in ("pass", "fail", "unsupported")}
        print(f"{lib}: {counts}", flush=True)
    with open(out, "w") as f:
        json.dump(merged, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
