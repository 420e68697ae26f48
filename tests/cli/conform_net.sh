#!/usr/bin/env bash
# The network targets of `mtproof conform` against the reference programs (issue 8 "Runner and
# targets"): the harness as the client of a running `mtproof relay` (--server), and the harness
# as the server of `mtproof client` launched per scenario (--listen/--client-cmd). Every fast
# scenario of each role must pass; relay-idle-timeout is left out here because it waits the
# relay's 300 s idle timeout in real time (the builtin run covers it on the virtual clock).
# Usage: conform_net.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
relay_pid=
cleanup() {
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
key=$src/vectors/keys/test_rsa2048.pem
pub=$src/vectors/keys/test_rsa2048_pub_pkcs1.pem

"$bin" relay --listen 127.0.0.1:0 --key "$key" --ready-file "$tmp/ready" --log-level warn \
  2>"$tmp/relay.log" &
relay_pid=$!
for _ in $(seq 200); do [ -s "$tmp/ready" ] && break; sleep 0.05; done
port=$(awk '$1=="tcp"{split($2,a,":"); print a[2]}' "$tmp/ready")
[ -n "$port" ] || fail "the relay did not start: $(cat "$tmp/relay.log")"

# 1. The harness as client of the relay program.
"$bin" conform --server 127.0.0.1:"$port" --server-key "$pub" --role client \
  --skip relay-idle-timeout --junit "$tmp/server.xml" >"$tmp/server.out" 2>&1 ||
  { tail -40 "$tmp/server.out" >&2; fail "conform --server against mtproof relay"; }
grep -qE 'pass [1-9][0-9]+ fail 0' "$tmp/server.out" || fail "no scenario ran against the relay"
python3 "$src/tests/cli/junit_check.py" "$tmp/server.xml" >/dev/null || fail "JUnit (--server)"

# 2. The harness as server of the client program, one launch per scenario, in its transport.
"$bin" conform --listen 127.0.0.1:0 --key "$key" --role server --timeout 5 \
  --client-cmd "$bin client --server {host}:{port} --server-key $pub --transport {transport} {temp-key} --expect 1 --timeout 10" \
  >"$tmp/client.out" 2>&1 ||
  { tail -40 "$tmp/client.out" >&2; fail "conform --listen/--client-cmd against mtproof client"; }
grep -qE 'pass [1-9][0-9]+ fail 0' "$tmp/client.out" || fail "no scenario ran against the client"
echo "conform_net: ok"
