#!/usr/bin/env python3
"""Interop matrix: runs every vector file through each library's shim (`mtproof vectors --shim`),
classifies the answers and writes interop.json; `--render` turns interop.json into the generated
part of docs/interop.md (between the GENERATED markers).

Classification of one implementation x vector file:
  pass         every test the shim answered passed
  fail         a valid test got a wrong answer, or an invalid test was accepted (the rule IDs
               the vectors name are listed)
  warning      only invalid tests rejected for another reason than the vector names (or tool errors)
  unsupported  every test was answered `unimplemented`
usage: matrix.py run MTPROOF OUT.json [extra.json ...] | matrix.py render IN.json DOC.md
"""
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIMS = {
    "gramjs": "exec node harness/interop/shim-gramjs.js",
    "mtcute": "exec node harness/interop/shim-mtcute.js",
    "mtproto-core": "exec node harness/interop/shim-mtproto-core.js",
}
PACKAGES = {"gramjs": ["telegram"], "mtcute": ["@mtcute/core", "@mtcute/node"], "mtproto-core": ["@mtproto/core"]}
FAIL_RE = re.compile(r'^FAIL (\S+) tcId (\d+) \(([^,]+), "(.*)"\): (.*)$')
SUM_RE = re.compile(r"^(\S+\.json): (\d+) passed, (\d+) failed, (\d+) skipped$")


def classify(fails, passed, skipped):
    if passed == 0 and not fails:
        return "unsupported" if skipped else "pass", []
    rules, hard = set(), False
    for f in fails:
        m = re.match(r"expected error (\S+), got (\S+)", f["what"])
        if m and m.group(1).isupper():
            rules.add(m.group(1))
        if m and m.group(2) != "ok":
            continue  # rejected, for another reason
        hard = True
    if not fails:
        return "pass", []
    return ("fail" if hard else "warning"), sorted(rules)


def run_one(mtproof, shim, vfile):
    cmd = [mtproof, "vectors", "--timeout", "10", "--shim", shim, vfile]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    fails, counts = [], (0, 0, 0)
    for line in p.stdout.splitlines():
        m = FAIL_RE.match(line)
        if m:
            fails.append({"tcId": int(m.group(2)), "op": m.group(3), "comment": m.group(4), "what": m.group(5)[:300]})
        m = SUM_RE.match(line)
        if m:
            counts = tuple(int(x) for x in m.group(2, 3, 4))
    return counts, fails, p.returncode


def versions(lib):
    out = {}
    for pkg in PACKAGES[lib]:
        path = os.path.join(ROOT, "build", "interop", "node_modules", pkg, "package.json")
        try:
            with open(path) as f:
                out[pkg] = json.load(f)["version"]
        except OSError:
            out[pkg] = None
    return out


def run(mtproof, out_path, extras):
    files = sorted(os.path.relpath(f, ROOT) for f in glob.glob(os.path.join(ROOT, "vectors", "**", "*.json"), recursive=True))
    result = {"schema": "mtproof-interop-1", "implementations": {}}
    for lib, shim in SHIMS.items():
        impl = {"versions": versions(lib), "checks": {}}
        for vf in files:
            (passed, failed, skipped), fails, rc = run_one(mtproof, shim, vf)
            status, rules = classify(fails, passed, skipped)
            if rc == 3:
                status = "fail"
            impl["checks"]["vectors:" + os.path.relpath(vf, "vectors")] = {
                "status": status, "rules": rules, "passed": passed, "failed": failed, "skipped": skipped, "failures": fails}
            print(f"{lib:13} {vf:45} {status:11} {passed} passed, {failed} failed, {skipped} skipped", flush=True)
        result["implementations"][lib] = impl
    for extra in extras:  # differential and client runs: {"lib": {"check": {...}}}
        try:
            with open(extra) as f:
                more = json.load(f)
        except (OSError, ValueError):
            continue
        for lib, checks in more.items():
            result["implementations"].setdefault(lib, {"versions": versions(lib) if lib in PACKAGES else {}, "checks": {}})
            result["implementations"][lib]["checks"].update(checks)
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")


def cell(c):
    if c is None:
        return "—"
    s = c["status"]
    counts = f" {c['passed']}/{c['passed'] + c['failed']}" if "passed" in c and s != "unsupported" else ""
    rules = f" ({', '.join(c['rules'])})" if c.get("rules") else ""
    return f"{s}{counts}{rules}"


def render(in_path, doc_path):
    with open(in_path) as f:
        data = json.load(f)
    impls = data["implementations"]
    libs = sorted(impls)
    checks = sorted({k for i in impls.values() for k in i["checks"]})
    lines = ["| check | " + " | ".join(libs) + " |", "|---|" + "---|" * len(libs)]
    for ck in checks:
        lines.append(f"| {ck} | " + " | ".join(cell(impls[l]["checks"].get(ck)) for l in libs) + " |")
    vers = ["", "Library versions: " + "; ".join(
        f"{l}: " + ", ".join(f"{p} {v}" for p, v in sorted(impls[l].get("versions", {}).items())) for l in libs) + "."]
    totals = []
    for l in libs:
        st = [c["status"] for c in impls[l]["checks"].values()]
        totals.append(f"{l}: " + ", ".join(f"{n} {s}" for s in ("pass", "fail", "warning", "unsupported") if (n := st.count(s))))
    sc_totals = []
    for l in libs:
        st = [c["status"] for k, c in impls[l]["checks"].items() if k.startswith("scenario:")]
        sc_totals.append(f"{l}: " + ", ".join(f"{n} {s}" for s in ("pass", "fail", "warning", "unsupported") if (n := st.count(s))))
    gen = "\n".join(lines + vers + ["", "Totals (checks): " + "; ".join(totals) + ".", "",
                                     "Client-role scenarios (`scenario:*`): " + "; ".join(sc_totals) + "."])
    with open(doc_path) as f:
        doc = f.read()
    start, end = "<!-- GENERATED: matrix.py render -->", "<!-- END GENERATED -->"
    a, b = doc.index(start) + len(start), doc.index(end)
    with open(doc_path, "w") as f:
        f.write(doc[:a] + "\n" + gen + "\n" + doc[b:])


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) == 4 and sys.argv[1] == "render":
        render(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
