#!/usr/bin/env bash
# Shim op handshake_server_step: a req_pq_multi gets a resPQ echoing its nonce, the same request
# gets the same bytes (seeded DRBG), a query out of order gets HSS_UNEXPECTED_QUERY, a fault knob
# changes the answer, bad fields are refused.
# Usage: handshake_server_step.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
pem=$(od -An -v -tx1 "$src/vectors/keys/test_rsa2048.pem" | tr -d ' \n')
nonce=406709f612fadfbec3f0289d0aa67eef
# unencrypted message: auth_key_id 0, msg_id, length 20, req_pq_multi#be7e8ef1 nonce
req_pq=0000000000000000d4720600503dc56514000000f18e7ebe$nonce
set_dh=0000000000000000d8720600503dc565140000001f5f04f5$nonce
step() { # step MESSAGES_JSON [EXTRA]
  printf '{"op":"handshake_server_step","private_key_pem":"%s","seed":1,"time":1707425105,"messages":%s%s}\n' \
    "$pem" "$1" "${2:-}" | "$bin" shim
}
out=$(step "[\"$req_pq\"]")
grep -q '"ok": *true' <<<"$out" || fail "req_pq_multi refused: $out"
grep -qE "\"out\": *\"0000000000000000[0-9a-f]{16}[0-9a-f]{8}63241605$nonce" <<<"$out" ||
  fail "no resPQ with our nonce: $out"
[ "$(step "[\"$req_pq\"]")" = "$out" ] || fail "same seed, different answer"
out2=$(step "[\"$req_pq\"]" ',"fault":"respq_nonce"')
grep -q "63241605$nonce" <<<"$out2" && fail "fault respq_nonce kept the nonce: $out2"
out=$(step "[\"$set_dh\"]")
grep -q '"error": *"HSS_UNEXPECTED_QUERY"' <<<"$out" || fail "set_client_DH_params first: $out"
out=$(step "[\"$req_pq\",\"$req_pq\",\"$set_dh\"]")
grep -q '"error": *"HSS_UNEXPECTED_QUERY"' <<<"$out" || fail "out of order after resend: $out"
out=$(step "[\"$req_pq\"]" ',"fault":"nope"')
grep -q '"error": *"bad_field"' <<<"$out" || fail "unknown fault accepted: $out"
out=$(step "[]")
grep -q '"error": *"bad_field"' <<<"$out" || fail "empty messages accepted: $out"
[ "$fails" -eq 0 ] && echo "handshake_server_step: ok"
exit "$fails"
