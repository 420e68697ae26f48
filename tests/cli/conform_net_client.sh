#!/usr/bin/env bash
# The harness as the server of `mtproof client` (--listen/--client-cmd; issue 8 "Runner and
# targets"), the client launched per scenario in the scenario's transport: every fast server-role
# scenario must pass. The harness as client of `mtproof relay` is tests/cli/conform_net_relay.sh.
# The scenarios run in shards (tests/cli/conform_net_lib.bash), a listener each, side by side.
# Each expect waits up to 15 s (a loaded machine running ASan: a client proving an unknown DH
# prime safe takes seconds); the client's own timeout is longer, so a client that gives up is
# never taken for one that closed on a broken rule.
# Usage: conform_net_client.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
. "$src/tests/cli/conform_net_lib.bash"

client="$bin client --server {host}:{port} --server-key $pub --transport {transport} {temp-key} --expect 1 --timeout 60"
sel=(--listen 127.0.0.1:0 --key "$key" --role server --timeout 15)
mapfile -t names < <("$bin" conform "${sel[@]}" --client-cmd "$client" --list | awk '{print $1}')
((${#names[@]} > 100)) || fail "only ${#names[@]} server-role scenarios listed"
runs=()
for ((k = 0; k < net_shards; k++)); do
  net_shard "$k" "${names[@]}"
  "$bin" conform "${sel[@]}" --client-cmd "$client" "${shard[@]}" >"$tmp/client$k.out" 2>&1 &
  runs[k]=$!
  net_pids+=("$!")
done
net_wait_shards client
echo "conform_net_client: ok ($passed scenarios passed)"
