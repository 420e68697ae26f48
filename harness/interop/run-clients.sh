#!/usr/bin/env bash
# Runs every client driver over every transport its library supports against `mtproof relay`
# (one relay per run, on a free loopback port, with a fresh key, recording its transcripts), checks
# the transcripts (harness/interop/transcripts.py: every frame decodes, no bad_msg_notification
# from the relay) and writes the results as matrix checks ({"lib": {"client:TRANSPORT": {...}}})
# for matrix.py. A run passes when every driver step got its answer and the transcript is clean;
# a relay notification names the rule the client broke. usage: MTPROOF OUT.json
set -uo pipefail
mtproof=$1
out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
work=build/interop/clients
rm -rf "$work"
mkdir -p "$work"
"$mtproof" keygen --out "$work/server.pem" --force >/dev/null || exit 1
openssl rsa -in "$work/server.pem" -RSAPublicKey_out -out "$work/server.pub.pem" 2>/dev/null || exit 1
: >"$out.tmp"
# lib:transport[:workaround]. mtcute's ack-seqno run corrects its msgs_ack seqno at run time
# (client-mtcute.js) to show what passes once that one rule is kept.
runs=${INTEROP_RUNS:-"gramjs:full gramjs:abridged gramjs:obfuscated mtcute:intermediate mtcute:padded
  mtcute:obfuscated mtcute:intermediate:ack-seqno mtproto-core:obfuscated"}
for run in $runs; do
  IFS=: read -r lib transport workaround <<<"$run"
  name=$lib-$transport${workaround:+-$workaround}
  mkdir -p "$work/rec-$name"
  ready=$work/ready-$name
  "$mtproof" relay --listen 127.0.0.1:0 --ready-file "$ready" --key "$work/server.pem" \
    --record "$work/rec-$name" --log-level debug >"$work/relay-$name.log" 2>&1 &
  relay=$!
  for _ in $(seq 50); do [ -s "$ready" ] && break; sleep 0.1; done
  port=$(sed -n 's/^tcp .*:\([0-9]*\)$/\1/p' "$ready" | head -1)
  # @mtproto/core's pq factoring sometimes takes tens of seconds (docs/interop.md finding 2).
  limit=30
  [ "$lib" = mtproto-core ] && limit=90
  line=$(timeout $((limit + 10)) node "harness/interop/client-$lib.js" --host 127.0.0.1 --port "${port:-1}" \
    --key "$work/server.pub.pem" --transport "$transport" --timeout "$limit" \
    ${workaround:+--workaround "$workaround"} 2>"$work/client-$name.err" | tail -1)
  rc=$?
  kill "$relay" 2>/dev/null
  wait "$relay" 2>/dev/null
  python3 harness/interop/transcripts.py "$mtproof" "$work/rec-$name" >"$work/transcripts-$name.json" ||
    echo '{}' >"$work/transcripts-$name.json"
  echo "$name: exit $rc $line"
  [ -n "$line" ] || line='{"ok":false,"error":"no report"}'
  printf '%s\t%s\t%s\t%s\t%s\n' "$lib" "client:$transport${workaround:++$workaround}" "$rc" \
    "$work/transcripts-$name.json" "$line" >>"$out.tmp"
done
# One line per run -> {"lib": {"client:TRANSPORT": {...}}} for matrix.py.
python3 - "$out.tmp" "$out" <<'PY'
import json, sys
merged = {}
for row in open(sys.argv[1]):
    lib, check, rc, tfile, line = row.rstrip("\n").split("\t", 4)
    try:
        rep = json.loads(line)
    except ValueError:
        rep = {"raw": line}
    try:
        tr = json.load(open(tfile))
    except (OSError, ValueError):
        tr = {}
    rules = sorted({v["rule"] for v in tr.get("violations", [])})
    clean = tr.get("frames", 0) > 0 and not tr.get("undecodable") and not rules
    status = "pass" if rc == "0" and clean else "fail"
    merged.setdefault(lib, {})[check] = {"status": status, "rules": rules, "report": rep, "transcripts": tr}
json.dump(merged, open(sys.argv[2], "w"), indent=1, sort_keys=True)
PY
