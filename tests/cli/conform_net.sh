#!/usr/bin/env bash
# The network targets of `mtproof conform` against the reference programs (issue 8 "Runner and
# targets"): the harness as the client of a running `mtproof relay` (--server), and the harness
# as the server of `mtproof client` launched per scenario (--listen/--client-cmd). Every fast
# scenario of each role must pass; relay-idle-timeout and hsf-resend-expired are left out here
# because they wait the relay's 300 s idle timeout / the 10-minute answer memory in real time (the
# builtin run covers them on the virtual clock). The `server-retries 2` scenarios run against a
# second relay started with --handshake-retries 2.
# Scenarios with a `limits` line are skipped by the first run (its relay has the default limits);
# a third relay started with --max-conns 2 runs relay-too-many-conns with --server-limits. The
# handshake-rate and slow-reader ones stay in-process only: the rate counts per second of the
# relay's clock (a real-time run could straddle a second) and a slow reader needs the kernel's
# socket buffers full before the relay's own output grows.
# Usage: conform_net.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
relay_pid=
relay2_pid=
relay3_pid=
cleanup() {
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null
  [ -n "$relay2_pid" ] && kill "$relay2_pid" 2>/dev/null && wait "$relay2_pid" 2>/dev/null
  [ -n "$relay3_pid" ] && kill "$relay3_pid" 2>/dev/null && wait "$relay3_pid" 2>/dev/null
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
  --skip relay-idle-timeout --skip hsf-resend-expired --junit "$tmp/server.xml" >"$tmp/server.out" 2>&1 ||
  { tail -40 "$tmp/server.out" >&2; fail "conform --server against mtproof relay"; }
grep -qE 'pass [1-9][0-9]+ fail 0' "$tmp/server.out" || fail "no scenario ran against the relay"
python3 "$src/tests/cli/junit_check.py" "$tmp/server.xml" >/dev/null || fail "JUnit (--server)"

grep -q 'SKIP  relay-too-many-conns.*--server-limits' "$tmp/server.out" ||
  fail "a scenario with limits must be skipped against a relay without them"
kill -0 "$relay_pid" 2>/dev/null || fail "the relay died during the run: $(cat "$tmp/relay.log")"

# 1b. The scenarios of a server answering dh_gen_retry, against a relay made to do so.
"$bin" relay --listen 127.0.0.1:0 --key "$key" --ready-file "$tmp/ready2" --log-level warn \
  --handshake-retries 2 2>"$tmp/relay2.log" &
relay2_pid=$!
for _ in $(seq 200); do [ -s "$tmp/ready2" ] && break; sleep 0.05; done
port2=$(awk '$1=="tcp"{split($2,a,":"); print a[2]}' "$tmp/ready2")
[ -n "$port2" ] || fail "the second relay did not start: $(cat "$tmp/relay2.log")"
"$bin" conform --server 127.0.0.1:"$port2" --server-key "$pub" --role client \
  --server-retries 2 >"$tmp/retry.out" 2>&1 ||
  { tail -40 "$tmp/retry.out" >&2; fail "conform --server-retries 2 against mtproof relay"; }
grep -qE 'pass [1-9][0-9]* fail 0' "$tmp/retry.out" || fail "no retry scenario ran"

# 1c. A relay started with --max-conns 2 runs the scenario whose `limits` say so.
"$bin" relay --listen 127.0.0.1:0 --key "$key" --ready-file "$tmp/ready3" --log-level warn \
  --max-conns 2 2>"$tmp/relay3.log" &
relay3_pid=$!
for _ in $(seq 200); do [ -s "$tmp/ready3" ] && break; sleep 0.05; done
port3=$(awk '$1=="tcp"{split($2,a,":"); print a[2]}' "$tmp/ready3")
[ -n "$port3" ] || fail "the third relay did not start: $(cat "$tmp/relay3.log")"
"$bin" conform --server 127.0.0.1:"$port3" --server-key "$pub" --server-limits max_conns=2 \
  --only relay-too-many-conns >"$tmp/limits.out" 2>&1 ||
  { cat "$tmp/limits.out" >&2; fail "relay-too-many-conns against mtproof relay --max-conns 2"; }
grep -qE 'pass 1 fail 0' "$tmp/limits.out" || { cat "$tmp/limits.out" >&2; fail "limits: not run"; }

# 2. The harness as server of the client program, one launch per scenario, in its transport.
# Each expect waits up to 15 s (a loaded machine running ASan: a client proving an unknown DH
# prime safe takes seconds); the client's own timeout is longer, so a client that gives up is
# never taken for one that closed on a broken rule.
"$bin" conform --listen 127.0.0.1:0 --key "$key" --role server --timeout 15 \
  --client-cmd "$bin client --server {host}:{port} --server-key $pub --transport {transport} {temp-key} --expect 1 --timeout 60" \
  >"$tmp/client.out" 2>&1 ||
  { tail -40 "$tmp/client.out" >&2; fail "conform --listen/--client-cmd against mtproof client"; }
grep -qE 'pass [1-9][0-9]+ fail 0' "$tmp/client.out" || fail "no scenario ran against the client"
echo "conform_net: ok"
