#!/usr/bin/env bash
# Runs every client driver over every transport its library supports against `mtproof relay`
# (one relay per run, on a free loopback port, with a fresh key), and writes the results as
# matrix checks ({"lib": {"client:TRANSPORT": {...}}}) for matrix.py. usage: MTPROOF OUT.json
set -uo pipefail
mtproof=$1
out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
work=build/interop/clients
mkdir -p "$work"
"$mtproof" keygen --out "$work/server.pem" --force >/dev/null || exit 1
openssl rsa -in "$work/server.pem" -RSAPublicKey_out -out "$work/server.pub.pem" 2>/dev/null || exit 1
port=$((20000 + RANDOM % 20000))
: >"$out.tmp"
for run in gramjs:full gramjs:abridged gramjs:obfuscated mtcute:intermediate mtcute:padded mtcute:obfuscated mtproto-core:obfuscated; do
  lib=${run%%:*}
  transport=${run#*:}
  port=$((port + 1))
  "$mtproof" relay --listen "127.0.0.1:$port" --key "$work/server.pem" >"$work/relay-$lib-$transport.log" 2>&1 &
  relay=$!
  sleep 0.5
  line=$(timeout 60 node "harness/interop/client-$lib.js" --host 127.0.0.1 --port "$port" \
    --key "$work/server.pub.pem" --transport "$transport" --timeout 30 2>"$work/client-$lib-$transport.err" | tail -1)
  rc=$?
  kill "$relay" 2>/dev/null
  wait "$relay" 2>/dev/null
  echo "$lib $transport: exit $rc $line"
  [ -n "$line" ] || line='{"ok":false,"error":"no report"}'
  status=fail
  [ "$rc" -eq 0 ] && status=pass
  printf '%s\t%s\t%s\t%s\n' "$lib" "$transport" "$status" "$line" >>"$out.tmp"
done
# One line per run -> {"lib": {"client:TRANSPORT": {...}}} for matrix.py.
python3 - "$out.tmp" "$out" <<'PY'
import json, sys
merged = {}
for row in open(sys.argv[1]):
    lib, transport, status, line = row.rstrip("\n").split("\t", 3)
    try:
        rep = json.loads(line)
    except ValueError:
        rep = {"raw": line}
    merged.setdefault(lib, {})["client:" + transport] = {"status": status, "rules": [], "report": rep}
json.dump(merged, open(sys.argv[2], "w"), indent=1)
PY
