#!/usr/bin/env bash
# `mtproof decode`: every mode (tl, packet plain/encrypted with and without a key, transport),
# --json validity, garbage input with the offset where decoding stopped, exit codes.
# Usage: decode.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# expect CODE PATTERN ARGS...: runs decode, checks the exit code and that stdout+stderr match.
expect() {
  local code=$1 pattern=$2; shift 2
  local out rc
  out=$("$bin" decode "$@" 2>&1); rc=$?
  [ "$rc" -eq "$code" ] || fail "'decode $*' exited $rc, want $code: $out"
  grep -qE -- "$pattern" <<<"$out" || fail "'decode $*' does not match '$pattern': $out"
}
# json_ok ARGS...: stdout is one valid JSON object.
json_ok() {
  "$bin" decode --json "$@" 2>/dev/null | python3 -m json.tool >/dev/null ||
    fail "'decode --json $*' is not valid JSON"
}

# The official resPQ (core.telegram.org/mtproto/samples-auth_key step 2).
RESPQ=63241605406709f612fadfbec3f0289d0aa67eefe11dbc3bc97d91a26154f932af01994308256595edb776679700000015c4b51c03000000a5b7f709355fc30b216be86c022bb4c385fd64de851d9dd0
PLAIN=000000000000000001d83175503dc56550000000$RESPQ

# --as tl (default): tree with offsets; hex with whitespace and 0x; stdin; --file.
expect 0 '^000030 +server_public_key_fingerprints: vector#1cb5c415 \[3\]' "$RESPQ"
expect 0 '000048 +\[2\]: -3414540481677951611' --as tl "0x${RESPQ:0:40} ${RESPQ:40}"
out=$(echo "$RESPQ" | "$bin" decode -) || fail "stdin: $out"
grep -q 'resPQ#05162463' <<<"$out" || fail "stdin: $out"
echo "$RESPQ" >"$tmp/in.hex"
expect 0 'pq: #256595edb7766797 \(8 bytes\)' --file "$tmp/in.hex"
json_ok "$RESPQ"
v=$("$bin" decode --json "$RESPQ" | python3 -c 'import json,sys; print(json.load(sys.stdin)["value"]["pq"])')
[ "$v" = 256595edb7766797 ] || fail "--json value.pq is '$v'"
expect 0 'decryptedMessageActionSetMessageTTL' --schema secret ec3a73a105000000
expect 0 'object: opaque#deadbeef' efbeadde0102

# Garbage: where decoding stopped (byte offset) and why (error name), exit 1.
expect 1 'stopped at byte offset 4 \(0x4\): truncated' 63241605
expect 1 'stopped at byte offset 0 \(0x0\): truncated' 6324
expect 1 'stopped at byte offset 12 \(0xc\): trailing_data' ec77be7a010000000000000000000000
expect 1 'offset 4 .*tl_unknown_constructor' b24660e078563412
expect 1 'offset 4 .*tl_unexpected_constructor' b24660e0ec77be7a0100000000000000
expect 1 'offset 12 .*tl_noncanonical_length' 7db5de040900000000000000fe030000616263
o=$("$bin" decode --json 63241605 2>/dev/null)
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["error"]=="truncated" and d["offset"]==4' "$o" ||
  fail "--json garbage: $o"

# --as packet: unencrypted, encrypted without a key, encrypted with the key (vectors/decrypt_v2.json).
expect 0 '^000014 +object: resPQ#05162463' --as packet "$PLAIN"
json_ok --as packet "$PLAIN"
expect 1 'PLAIN_LENGTH_MISMATCH' --as packet "${PLAIN:0:40}"
expect 0 'give --auth-key' --as packet 0102030405060708aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa00112233445566778899aabbccddeeff
read -r key x pkt body < <(python3 - "$src/vectors/decrypt_v2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for g in d["testGroups"]:
    for t in g["tests"]:
        if g["op"] == "decrypt_v2" and t["result"] == "valid" and t["out"]["body"]:
            print(t["in"]["auth_key"], t["in"]["x"], t["in"]["packet"], t["out"]["body"])
            sys.exit(0)
PY
)
if [ -n "${key:-}" ]; then
  echo "$key" >"$tmp/key.hex"
  out=$("$bin" decode --as packet --auth-key "$tmp/key.hex" --x "$x" "$pkt" 2>&1)
  grep -q 'decrypted (x = ' <<<"$out" || fail "encrypted packet not decrypted: $out"
  o=$("$bin" decode --as packet --json --auth-key "$key" --x "$x" "$pkt" 2>/dev/null)
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["kind"]=="encrypted" and "decrypted" in d' "$o" ||
    fail "encrypted --json: $o"
  other=$((8 - x))
  expect 1 'MSG_KEY_MISMATCH' --as packet --auth-key "$key" --x "$other" "$pkt"
else
  fail "no decrypt_v2 vector with a body found"
fi
expect 2 'go together' --as packet --x 0 "$PLAIN"

# --as transport: intermediate (two frames), abridged, truncated stream.
expect 0 'frame 1: 100 bytes' --as transport "eeeeeeee64000000${PLAIN}64000000${PLAIN}"
expect 0 'transport: abridged' --as transport "ef19${PLAIN}"
json_ok --as transport "ef19${PLAIN}"
expect 1 'truncated' --as transport eeeeeeee640000000000

# Usage and input errors: exit 2 (bad usage, bad hex), 3 (unreadable file).
expect 2 'not hex' zz
expect 2 'not hex' 123
expect 2 'tl, packet or transport' --as frame 00
expect 2 'HEX' --as tl
expect 3 'cannot read' --file "$tmp/does-not-exist"
[ "$fails" -eq 0 ] || exit 1
echo "decode: ok"
