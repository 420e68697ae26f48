#!/usr/bin/env bash
# `mtproof replay`: every golden transcript replays (exit 0); a transcript with one byte flipped
# reports that byte's frame and offset (exit 1); usage errors exit 2, parse errors 3 with
# FILE:LINE:COLUMN.
# Usage: replay.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
dir=$src/vectors/transcripts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# expect CODE PATTERN ARGS...: runs replay, checks the exit code and that stdout+stderr match.
expect() {
  local code=$1 pattern=$2; shift 2
  local out rc
  out=$("$bin" replay "$@" 2>&1); rc=$?
  [ "$rc" -eq "$code" ] || fail "'replay $*' exited $rc, want $code: $out"
  grep -qE -- "$pattern" <<<"$out" || fail "'replay $*' does not match '$pattern': $out"
}

n=0
for f in "$dir"/*.txt; do
  expect 0 '^client: (identical|not replayed)' "$f"
  n=$((n + 1))
done
[ "$n" -ge 13 ] || fail "only $n golden transcripts"
expect 0 '^server: identical: 3 frame\(s\) compared.*result ok$' "$dir/perm.txt" --side server
expect 0 'client: identical: 2 frame\(s\) compared, 1 unreproducible skipped; result ok' \
  "$dir/official_sample.txt"
expect 0 '^server: not replayed' "$dir/official_sample.txt" --side both
expect 3 "server cannot be replayed" "$dir/official_sample.txt" --side server
# A temporary key and its binding: two handshakes and the bind, both sides, 7 frames each.
expect 0 '^client: identical: 7 frame\(s\) compared, 0 unreproducible skipped; result ok$' \
  "$dir/temp_bind.txt"
expect 0 '^server: identical: 7 frame\(s\) compared, 0 unreproducible skipped; result ok$' \
  "$dir/temp_bind.txt"
# `decode --as packet` opens the bind frames with the temporary key (the file's auth-key line).
key=$(awk '$1 == "auth-key" { print $2 }' "$dir/temp_bind.txt")
frame_hex() { awk -v n="$1" '$1 == "frame" { x = ($2 == n) } x && $1 == "hex" { printf "%s", $2 }' \
  "$dir/temp_bind.txt"; }
out=$("$bin" decode --as packet --auth-key "$key" --x 0 "$(frame_hex 13)" 2>&1) ||
  fail "decode of the bind query: $out"
grep -q 'length: 132' <<<"$out" || fail "bind query: no 132-byte body: $out"
grep -q '#cdd42a05' <<<"$out" || fail "bind query: no auth.bindTempAuthKey id: $out"
out=$("$bin" decode --as packet --auth-key "$key" --x 8 "$(frame_hex 14)" 2>&1) ||
  fail "decode of the bind answer: $out"
grep -q 'rpc_result#f35c6d01' <<<"$out" || fail "bind answer: no rpc_result: $out"
grep -q '#997275b5' <<<"$out" || fail "bind answer: no boolTrue: $out"
expect 0 'result HSS_NONCE_MISMATCH' "$dir/refuse_nonce.txt" --side server
expect 0 'result transport-error:-404' "$dir/refuse_nonce.txt" --side client

# One byte flipped in frame 4 (server_DH_params_ok) of perm.txt: its frame and offset.
# Frame 4's hex starts on the second 'hex' line after 'frame 4'; byte 40 is on its second line.
mkdir -p "$tmp/t" "$tmp/keys" && cp "$src/vectors/keys/test_rsa2048.pem" "$tmp/keys/"
awk '
  /^frame 4 / { in4 = 1; line = 0 }
  /^frame 5 / { in4 = 0 }
  in4 && /^hex / { line++; if (line == 2) { c = substr($0, 5 + 16, 1); c = (c == "0") ? "1" : "0";
                   $0 = substr($0, 1, 4 + 16) c substr($0, 4 + 16 + 2) } }
  { print }' "$dir/perm.txt" >"$tmp/t/flipped.txt"
expect 1 'frame 4 differs at byte 40: expected' "$tmp/t/flipped.txt" --side server
expect 1 'frame 4, offset 40 \(0x28\)' "$tmp/t/flipped.txt" --side server
expect 1 'expected 000018 ' "$tmp/t/flipped.txt" --side server
# The client reads the flipped answer and stops; the replay says where its side ran out.
expect 1 '^client: DIVERGES' "$tmp/t/flipped.txt" --side client
expect 1 'DIVERGES' "$tmp/t/flipped.txt"

# Usage and parse errors.
expect 2 'no FILE' 
expect 2 'takes client, server or both' "$dir/perm.txt" --side middle
expect 2 'unknown option' "$dir/perm.txt" --fast
printf 'mtproof-transcript 1\nrecords handshake\nlayer packet\nframe 1 c2s 1\nhex 0g\n' >"$tmp/bad.txt"
expect 3 'bad.txt:5:6: .*not a hex digit' "$tmp/bad.txt"
expect 3 'cannot open' "$tmp/missing.txt"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "replay: all checks passed"
