#!/usr/bin/env bash
# Several connections per scenario (docs/scenarios.md "connection", "limits"): the parser's
# file:line:col errors for the new step and stanza line; the step on every in-process
# harness-as-client target (--target relay and --target engines: separate keys, sessions and
# queues per connection); a wrong expectation on the second connection fails; the rooms_multi
# scenarios pass on the builtin relay (the network run is tests/cli/conform_net_relay.sh).
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. Parser errors, each as file:line:col.
bad() { # NAME LINE... -- EXPECTED
    local name=$1 want=$2
    shift 2
    rm -rf "$tmp/bad" && mkdir "$tmp/bad"
    printf 'scenario x\n  rules RELAY_TOO_MANY_CONNS\n' > "$tmp/bad/$name.mts"
    printf '%s\n' "$@" >> "$tmp/bad/$name.mts"
    "$bin" conform --scenarios "$tmp/bad" --target relay > "$tmp/out" 2>&1
    [[ $? == 3 ]] || { cat "$tmp/out"; fail "$name: a bad file must exit 3"; }
    grep -qF "$name.mts:$want" "$tmp/out" || { cat "$tmp/out"; fail "$name: want '$want'"; }
}
bad noname "3:3: connection: write 'connection NAME" "  connection"
bad badname "3:14: connection: write 'connection NAME" "  connection a/b"
bad closename "3:14: connection: write 'connection NAME" "  connection close"
bad longname "3:14: connection: write" "  connection aaaaaaaaaaaaaaaaaaaaaaaa"
bad badtr "3:16: connection: unknown transport 'tcp'" "  connection b transport=tcp"
bad extra "3:16: connection: only transport=NAME or close" "  connection b now"
bad twice "3:22: connection: only transport=NAME or close" "  connection b close close"
bad closetr "3:22: connection: close takes no transport" "  connection b close transport=full"
bad limkey "3:11: limits: unknown limit 'max_con'" "  limits  max_con=2" "  handshake"
bad limval "3:11: limits: bad value '0' for max_conns" "  limits  max_conns=0" "  handshake"
bad limpend "3:11: limits: bad value '100' for max_pending" "  limits  max_pending=100" "  handshake"
bad limbare "3:11: limits: write KEY=VALUE" "  limits  max_conns" "  handshake"
bad limlate "4:3: limits: one 'limits' line, before the first step" "  handshake" "  limits max_conns=2"
bad fillbig "3:36: send: 'fill:2000000': fill:N takes N from 0 to 1048576" "  send relay.send(data=fill:2000000)"

# 2. Two connections on the bare engines (--target engines) and on the relay: each its own key
#    and session; an expect on b does not see main's pong.
mkdir "$tmp/two"
cat > "$tmp/two/two.mts" <<'MTS'
scenario two-conns
  rules MSGID_TOO_LOW
  handshake
  send    ping(ping_id=1)
  connection b transport=abridged
  handshake
  send    ping(ping_id=2)
  expect  pong(ping_id=2)
  connection main
  expect  pong(ping_id=1)
  send    ping(ping_id=3) msg_id=now-301s
  expect  bad_msg 16
  connection b
  send    ping(ping_id=4)
  expect  pong(ping_id=4)
  connection b close
  connection main
  send    ping(ping_id=5)
  expect  pong(ping_id=5)
MTS
for t in engines relay; do
    "$bin" conform --scenarios "$tmp/two" --target $t > "$tmp/out" 2>&1 ||
        { cat "$tmp/out"; fail "two connections on --target $t"; }
    grep -q "PASS  two-conns" "$tmp/out" || fail "two-conns did not run on $t"
done
sed 's/expect  pong(ping_id=2)/expect  pong(ping_id=1) within=2s/' "$tmp/two/two.mts" > "$tmp/two/x" &&
    mv "$tmp/two/x" "$tmp/two/two.mts"
"$bin" conform --scenarios "$tmp/two" --target engines > "$tmp/out" 2>&1
[[ $? == 1 ]] || { cat "$tmp/out"; fail "b must not see main's pong"; }
grep -q "\[b\] >" "$tmp/out" || { cat "$tmp/out"; fail "the transcript does not tag connection b"; }

# 3. A room scenario with the wrong originator fails; the real ones pass on the builtin relay.
mkdir "$tmp/orig"
sed -n '/^scenario room-two-ready/,/^$/p' "$src/harness/scenarios/rooms_multi.mts" |
    sed 's/originator=true/originator=false/' > "$tmp/orig/o.mts"
"$bin" conform --scenarios "$tmp/orig" --target relay > "$tmp/out" 2>&1
[[ $? == 1 ]] || { cat "$tmp/out"; fail "a wrong originator must fail"; }
# (All of rooms_multi.mts runs in tests/cli/conform_relay_api.sh; the limits ones here too.)
"$bin" conform --target relay --only room-slow-reader --only 'relay-too-many-conns' \
    --only relay-handshake-rate > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "limits scenarios"; }
grep -q "pass 3 fail 0" "$tmp/out" || { cat "$tmp/out"; fail "the limits scenarios did not run"; }

# 4. A client under test has one connection: the step in a role-server scenario is refused when
# the file is read (exit 3, file:line:col), and so is an e2e step in a role-client one.
mkdir "$tmp/srv"
printf 'role server\nscenario s\n  rules PCLIENT_BAD_ANSWER\n  connection b\n' > "$tmp/srv/s.mts"
"$bin" conform --scenarios "$tmp/srv" > "$tmp/out" 2>&1
[[ $? == 3 ]] || { cat "$tmp/out"; fail "connection in role server: exit 3"; }
grep -q "s.mts:4:3: connection: needs .role client." "$tmp/out" || { cat "$tmp/out"; fail "role server"; }
printf 'scenario s\n  rules E2E_SEQ_GAP\n  e2e ready originator=true\n' > "$tmp/srv/s.mts"
"$bin" conform --scenarios "$tmp/srv" > "$tmp/out" 2>&1
[[ $? == 3 ]] || { cat "$tmp/out"; fail "e2e in role client: exit 3"; }
grep -q "s.mts:3:3: e2e: needs .role server." "$tmp/out" || { cat "$tmp/out"; fail "e2e in role client"; }
# --server-limits is checked.
"$bin" conform --server 127.0.0.1:1 --server-key x --server-limits max_conns=x > "$tmp/out" 2>&1
[[ $? == 2 ]] || fail "a bad --server-limits must exit 2"
echo "conform_multi: ok"
