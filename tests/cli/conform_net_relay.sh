#!/usr/bin/env bash
# The harness as the client of a running `mtproof relay` (--server; issue 8 "Runner and targets"):
# every fast client-role scenario must pass; the harness as server of `mtproof client` is
# tests/cli/conform_net_client.sh (two ctest tests, so that ctest -j2 runs them side by side).
# relay-idle-timeout and hsf-resend-expired are left out here because they wait the relay's 300 s
# idle timeout / the 10-minute answer memory in real time (the builtin run covers them on the
# virtual clock). The scenarios run in shards (tests/cli/conform_net_lib.bash), each against its
# own relay, side by side. The `server-retries 2` scenarios run against another relay started
# with --handshake-retries 2.
# Scenarios with a `limits` line are skipped by the shards (their relays have the default limits);
# a relay started with --max-conns 2 runs relay-too-many-conns with --server-limits. The
# handshake-rate and slow-reader ones stay in-process only: the rate counts per second of the
# relay's clock (a real-time run could straddle a second) and a slow reader needs the kernel's
# socket buffers full before the relay's own output grows.
# Usage: conform_net_relay.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
. "$src/tests/cli/conform_net_lib.bash"

# 1. Every client-role scenario, in shards side by side, each against its own relay.
sel=(--server-key "$pub" --role client --skip relay-idle-timeout --skip hsf-resend-expired)
relays=()
for ((k = 0; k < net_shards; k++)); do
  net_relay "shard$k"
  relays+=("$relay_pid")
  ports[k]=$port
done
mapfile -t names < <("$bin" conform --server 127.0.0.1:"$port" "${sel[@]}" --list | awk '{print $1}')
((${#names[@]} > 100)) || fail "only ${#names[@]} client-role scenarios listed"
runs=()
for ((k = 0; k < net_shards; k++)); do
  net_shard "$k" "${names[@]}"
  "$bin" conform --server 127.0.0.1:"${ports[k]}" "${sel[@]}" "${shard[@]}" \
    --junit "$tmp/server$k.xml" >"$tmp/server$k.out" 2>&1 &
  runs[k]=$!
  net_pids+=("$!")
done
net_wait_shards server
for ((k = 0; k < net_shards; k++)); do
  python3 "$src/tests/cli/junit_check.py" "$tmp/server$k.xml" >/dev/null ||
    fail "JUnit (--server, shard $k)"
  kill -0 "${relays[k]}" 2>/dev/null || fail "relay $k died during the run: $(cat "$tmp/shard$k.log")"
done
grep -q 'SKIP  relay-too-many-conns.*--server-limits' "$tmp"/server*.out ||
  fail "a scenario with limits must be skipped against a relay without them"

# 2. The scenarios of a server answering dh_gen_retry, against a relay made to do so.
net_relay retry --handshake-retries 2
"$bin" conform --server 127.0.0.1:"$port" --server-key "$pub" --role client \
  --server-retries 2 >"$tmp/retry.out" 2>&1 ||
  { tail -40 "$tmp/retry.out" >&2; fail "conform --server-retries 2 against mtproof relay"; }
grep -qE 'pass [1-9][0-9]* fail 0' "$tmp/retry.out" || fail "no retry scenario ran"

# 3. A relay started with --max-conns 2 runs the scenario whose `limits` say so.
net_relay limits --max-conns 2
"$bin" conform --server 127.0.0.1:"$port" --server-key "$pub" --server-limits max_conns=2 \
  --only relay-too-many-conns >"$tmp/limits.out" 2>&1 ||
  { cat "$tmp/limits.out" >&2; fail "relay-too-many-conns against mtproof relay --max-conns 2"; }
grep -qE 'pass 1 fail 0' "$tmp/limits.out" || { cat "$tmp/limits.out" >&2; fail "limits: not run"; }
echo "conform_net_relay: ok ($passed scenarios passed)"
