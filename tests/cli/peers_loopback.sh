#!/usr/bin/env bash
# Loopback tests of `mtproof relay` and `mtproof client` as programs (issue 7 "Tests"): two clients
# chat through the relay over each transport; a lone client waits; a third is redirected; nothing
# the relay received, recorded or logged holds a message's plaintext; a client killed mid-chat is
# announced to its peer; malformed bytes on one connection get -404 while others keep working;
# a restart with --state keeps the keys; lines typed before the chat wait for it; --violate list;
# bad flags.
# Usage: peers_loopback.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
relay_pid=
cleanup() {
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null
  jobs -p | xargs -r kill 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
key=$src/vectors/keys/test_rsa2048.pem
pub=$src/vectors/keys/test_rsa2048_pub_pkcs1.pem

# start_relay ARGS...: starts the relay on free ports; sets relay_pid, port, http_port.
start_relay() {
  rm -f "$tmp/ready"
  "$bin" relay --listen 127.0.0.1:0 --http 127.0.0.1:0 --key "$key" --ready-file "$tmp/ready" \
    --log-level debug "$@" 2>>"$tmp/relay.log" &
  relay_pid=$!
  for _ in $(seq 100); do [ -s "$tmp/ready" ] && break; sleep 0.05; done
  port=$(awk '$1=="tcp"{split($2,a,":"); print a[2]}' "$tmp/ready")
  http_port=$(awk '$1=="http"{split($2,a,":"); print a[2]}' "$tmp/ready")
  [ -n "$port" ] || { fail "relay did not start: $(cat "$tmp/relay.log")"; exit 1; }
}
stop_relay() {
  kill -TERM "$relay_pid"; wait "$relay_pid"; local rc=$?
  [ "$rc" -eq 0 ] || fail "relay exited $rc on SIGTERM"
  relay_pid=
}

client() { "$bin" client --server-key "$pub" "$@"; }

# chat T P: two scripted clients chat over transport T (port P); both must see the other's text.
chat() {
  local t=$1 p=$2 room="room-$1"
  client --server 127.0.0.1:"$p" --transport "$t" --room "$room" --send "secret-a-$t" \
    --send "second-a-$t" --expect 2 --timeout 20 >"$tmp/a.$t" 2>&1 &
  local a=$!
  client --server 127.0.0.1:"$p" --transport "$t" --room "$room" --send "secret-b-$t" \
    --send "second-b-$t" --expect 2 --timeout 20 >"$tmp/b.$t" 2>&1
  local rb=$?
  wait "$a"; local ra=$?
  [ "$ra" -eq 0 ] && [ "$rb" -eq 0 ] || fail "chat over $t: exit $ra/$rb: $(cat "$tmp/a.$t" "$tmp/b.$t")"
  grep -q "peer: secret-b-$t" "$tmp/a.$t" || fail "chat over $t: a did not get b's message"
  grep -q "peer: secret-a-$t" "$tmp/b.$t" || fail "chat over $t: b did not get a's message"
  grep -q "Waiting for peer..." "$tmp/a.$t" "$tmp/b.$t" || fail "chat over $t: nobody waited"
  grep -q "fingerprint" "$tmp/a.$t" || fail "chat over $t: no key fingerprint printed"
}

start_relay --record "$tmp/rec" --state "$tmp/state"
for t in abridged intermediate padded full obfuscated2 obfuscated2-abridged \
         obfuscated2-intermediate; do
  chat "$t" "$port"
done
chat http "$http_port"

# Re-keying under traffic: a new key every 2 messages while both sides chat (interactive mode,
# one line every 0.3 s, so exchanges complete between messages); stdin's end leaves the room.
rk=()
for w in a b; do
  (sleep 1; for i in 1 2 3 4 5 6 7 8; do echo "$w-$i"; sleep 0.3; done; sleep 2) |
    "$bin" client --server-key "$pub" --server 127.0.0.1:"$port" --room rekey --rekey-every 2 \
      >"$tmp/rk.$w" 2>&1 &
  rk+=($!)
done
wait "${rk[@]}"
for w in a b; do
  grep -q "Re-keyed" "$tmp/rk.$w" || fail "re-keying under traffic: $w never re-keyed: $(cat "$tmp/rk.$w")"
  n=$(grep -c '^peer: ' "$tmp/rk.$w")
  [ "$n" -eq 8 ] || fail "re-keying under traffic: $w got $n of 8 messages"
done

# Lines typed before the chat is ready wait for it (never dropped), and an input that ends while
# waiting leaves only after they went out: the first client's whole input is there at once, its
# peer joins two seconds later.
printf 'early-1\nearly-2\nearly-3\n' |
  "$bin" client --server-key "$pub" --server 127.0.0.1:"$port" --room early >"$tmp/early.a" 2>&1 &
ea=$!
sleep 2
client --server 127.0.0.1:"$port" --room early --expect 3 --timeout 20 >"$tmp/early.b" 2>&1 ||
  fail "lines typed while waiting: the peer did not get 3 messages: $(cat "$tmp/early.b" "$tmp/early.a")"
wait "$ea" || fail "the client whose input ended while waiting did not exit 0: $(cat "$tmp/early.a")"
[ "$(grep -c '^peer: early-' "$tmp/early.b")" -eq 3 ] || fail "lines typed while waiting: $(cat "$tmp/early.b")"

# A lone client waits (and gives up at its timeout).
client --server 127.0.0.1:"$port" --room lonely --expect 1 --timeout 2 >"$tmp/lone" 2>&1
[ $? -eq 1 ] || fail "a lone client did not time out with 1"
grep -q "Waiting for peer..." "$tmp/lone" || fail "a lone client did not print Waiting for peer..."

# A third joining a full room is redirected to another room, named in its output.
# (the binary itself, not the shell function, so that $! is the client's pid for the kill below)
"$bin" client --server-key "$pub" --server 127.0.0.1:"$port" --room full --expect 5 --timeout 6 \
  >"$tmp/f1" 2>&1 &
f1=$!
client --server 127.0.0.1:"$port" --room full --expect 5 --timeout 6 >"$tmp/f2" 2>&1 &
f2=$!
sleep 1.5
client --server 127.0.0.1:"$port" --room full --expect 1 --timeout 2 >"$tmp/f3" 2>&1
grep -q "Joined room" "$tmp/f3" && ! grep -q "Joined room full\." "$tmp/f3" ||
  fail "a third client was not redirected: $(cat "$tmp/f3")"
# A client killed mid-chat: its peer learns it left.
kill -9 "$f1"; wait "$f1" 2>/dev/null
wait "$f2"
grep -q "Peer left." "$tmp/f2" || fail "the peer of a killed client was not told: $(cat "$tmp/f2")"

# Malformed bytes on one connection: -404 (6cfeffff in intermediate framing) or a close, while a
# chat on other connections still works.
if command -v python3 >/dev/null; then
  python3 - "$port" >"$tmp/bad" 2>&1 <<'PY' || fail "malformed frame: $(cat "$tmp/bad")"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
# intermediate tag, then a 40-byte packet with an auth_key_id nobody has
s.sendall(b"\xee\xee\xee\xee" + (40).to_bytes(4, "little") + b"\x42" * 40)
data = b""
try:
    while True:
        chunk = s.recv(64)
        if not chunk:
            break
        data += chunk
except socket.timeout:
    sys.exit("no reaction within 5 s")
if data not in (b"", b"\x04\x00\x00\x00\x6c\xfe\xff\xff"):
    sys.exit("unexpected answer %s" % data.hex())
PY
  chat intermediate "$port"
fi

# Nothing the relay received, recorded or logged holds a message's plaintext (as text or hex).
for t in abridged full http; do
  for s in "secret-a-$t" "secret-b-$t"; do
    hexs=$(printf %s "$s" | od -An -tx1 | tr -d ' \n')
    if grep -rqF -- "$s" "$tmp/rec" "$tmp/relay.log" || grep -rqiF -- "$hexs" "$tmp/rec"; then
      fail "plaintext '$s' found in the relay's records or log"
    fi
  done
done
ls "$tmp/rec"/*.transcript >/dev/null 2>&1 || fail "--record wrote no transcripts"
"$bin" decode --help >/dev/null 2>&1 || true

# Restart with --state: the client's saved key is accepted (no new handshake).
client --server 127.0.0.1:"$port" --state "$tmp/cstate" --room keep --expect 1 --timeout 2 \
  >"$tmp/k1" 2>&1
grep -q "Auth key created." "$tmp/k1" || fail "--state: first run did not create a key"
stop_relay
[ -s "$tmp/state/auth_keys" ] || fail "--state: the relay saved no keys"
start_relay --state "$tmp/state"
client --server 127.0.0.1:"$port" --state "$tmp/cstate" --room keep --expect 1 --timeout 2 \
  >"$tmp/k2" 2>&1
grep -q "Auth key loaded." "$tmp/k2" || fail "--state: the saved key was not loaded"
grep -q "Waiting for peer..." "$tmp/k2" || fail "--state: the relay refused the saved key: $(cat "$tmp/k2")"
stop_relay

# --violate list and bad flags.
"$bin" relay --violate list >"$tmp/vl" 2>&1 || fail "--violate list failed"
grep -qE '^  [A-Z0-9_]+ ' "$tmp/vl" || fail "--violate list shows no rules"
"$bin" relay --violate NO_SUCH_RULE >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --violate not a usage error"
"$bin" relay --listen nonsense >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --listen not a usage error"
"$bin" client --server 127.0.0.1:1 --server-key "$pub" --expect 1 --timeout 2 >/dev/null 2>&1
[ $? -eq 3 ] || fail "connecting to a closed port did not exit 3"

[ "$fails" -eq 0 ] && echo "peers_loopback: ok"
exit $((fails > 0))
