# Shared by tests/cli/conform_net_relay.sh and conform_net_client.sh (sourced; not a test itself:
# ctest runs tests/cli/*.sh only). Each script runs its scenarios in shards side by side: the
# union of the shards is every selected scenario, each run exactly once.
# Needs bin, src set; sets tmp, key, pub; cleans up on exit (NET_KEEP=DIR keeps the conform
# outputs there, to see where a run spends its time).
tmp=$(mktemp -d)
key=$src/vectors/keys/test_rsa2048.pem
pub=$src/vectors/keys/test_rsa2048_pub_pkcs1.pem
net_pids=()
net_cleanup() {
  local p
  for p in "${net_pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  [ -n "${NET_KEEP:-}" ] && cp "$tmp"/*.out "$NET_KEEP"/; rm -rf "$tmp"
}
trap net_cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# net_relay NAME [RELAY OPTIONS...]: starts `mtproof relay` on a free port; sets port and
# relay_pid. Waits for its ready file (up to 20 s: an ASan build on a loaded machine), ending early.
net_relay() {
  local name=$1
  shift
  "$bin" relay --listen 127.0.0.1:0 --key "$key" --ready-file "$tmp/$name.ready" --log-level warn \
    "$@" 2>"$tmp/$name.log" &
  relay_pid=$!
  net_pids+=("$relay_pid")
  for _ in $(seq 400); do [ -s "$tmp/$name.ready" ] && break; sleep 0.05; done
  port=$(awk '$1=="tcp"{split($2,a,":"); print a[2]}' "$tmp/$name.ready" 2>/dev/null)
  [ -n "$port" ] || fail "relay $name did not start: $(cat "$tmp/$name.log")"
}

# The number of shards: the runs are real time and mostly waiting (silences, pings, client
# launches), so three side by side finish sooner even on two cores.
net_shards=3

# net_shard K NAME...: sets shard to the --only options of shard K of the names, dealt in turn, so
# that the slow scenarios (which stand together in their files) are spread over the shards.
net_shard() {
  local k=$1 i=0 n
  shift
  shard=()
  for n in "$@"; do
    ((i++ % net_shards == k)) && shard+=(--only "$n")
  done
  return 0
}

# net_wait_shards WHAT: waits for the shard runs (pids in runs and net_pids, outputs $tmp/$WHAT$K.out); fails
# unless every one exited 0 with no failure, and unless between them every one of the selected
# scenarios (names) ran or was skipped. Sets passed to the number that passed.
net_wait_shards() {
  local what=$1 k counts ran=0
  passed=0
  for k in "${!runs[@]}"; do
    wait "${runs[$k]}" ||
      { tail -40 "$tmp/$what$k.out" >&2; fail "conform ($what, shard $k) exited with an error"; }
  done
  for k in "${!runs[@]}"; do
    counts=$(sed -nE 's/^ *pass ([0-9]+) fail 0 xfail 0 xpass 0 skip ([0-9]+) error 0$/\1 \2/p' \
      "$tmp/$what$k.out")
    [ -n "$counts" ] || { tail -40 "$tmp/$what$k.out" >&2; fail "$what, shard $k: no clean summary"; }
    set -- $counts
    passed=$((passed + $1))
    ran=$((ran + $1 + $2))
  done
  ((ran == ${#names[@]})) || fail "$what: the shards ran $ran of ${#names[@]} scenarios"
  ((passed >= 10)) || fail "$what: only $passed scenarios passed"
}
