#!/usr/bin/env bash
# `mtproof shim` end to end: a scripted session of good and bad lines; every response line is
# checked, blank lines get none, and the shim exits 0 at end of input.
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$tmp/in" <<'REQ'
{"id": 1, "op": "sha256", "data": "616263"}

{"id": "two", "op": "aes256_ige_encrypt", "key": "00", "iv": "00", "data": ""}
{"id": 3, "op": "no_such_op"}
this is not json
   
{"id": null, "op": "sha1", "data": "6"}
{"id": 5, "op": "crc32", "data": "313233343536373839"}
{"id": 6, "op": "sha1", "data": "00", "data": "00"}
[1, 2]
{"id": 8, "op": "hmac_sha256", "data": "00"}
{"id": 9, "op": "aes128_ecb_encrypt", "key": "000102030405060708090a0b0c0d0e0f", "data": "00112233445566778899aabbccddeeff"}
{"id": 10, "op": "sha1", "data": "zz"}
REQ
# The last request has no newline: it must still be answered.
printf '%s' '{"id": 11, "op": "sha1", "data": ""}' >> "$tmp/in"

"$bin" shim < "$tmp/in" > "$tmp/out" || fail "shim exited with $? at end of input"

# Details are for people and partly come from the JSON parser: compare without them, then check
# that every error has one and that ours name the field.
cat > "$tmp/want" <<'RESP'
{"id":1,"ok":true,"out":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}
{"id":"two","ok":false,"error":"bad_key_size"}
{"id":3,"ok":false,"error":"unimplemented"}
{"ok":false,"error":"bad_json"}
{"id":null,"ok":false,"error":"bad_hex"}
{"id":5,"ok":true,"value":3421780262}
{"ok":false,"error":"bad_json"}
{"ok":false,"error":"bad_json"}
{"id":8,"ok":false,"error":"missing_field"}
{"id":9,"ok":true,"out":"69c4e0d86a7b0430d8cdb78070b4c55a"}
{"id":10,"ok":false,"error":"bad_hex"}
{"id":11,"ok":true,"out":"da39a3ee5e6b4b0d3255bfef95601890afd80709"}
RESP
sed -E 's/,"detail":"([^"\\]|\\.)*"//' "$tmp/out" > "$tmp/bare"
diff -u "$tmp/want" "$tmp/bare" || fail "responses differ (above)"
[[ $(grep -c '"ok":false' "$tmp/out") == $(grep -c '"ok":false,"error":"[a-z_]*","detail":"..*"}$' "$tmp/out") ]] ||
    fail "an error response without a detail"
grep -qF '"detail":"field '"'"'data'"'"': odd number of hex digits"' "$tmp/out" || fail "odd-hex detail"
grep -qF '"detail":"field '"'"'key'"'"' is missing"' "$tmp/out" || fail "missing-field detail"
grep -qF 'duplicate' "$tmp/out" || fail "duplicate-key detail"

# One response per request, written as soon as it is answered (not at exit): ask, read, ask.
coproc SHIM { "$bin" shim; }
shim_pid=$SHIM_PID # bash unsets SHIM_PID once the coprocess ends
echo '{"id":1,"op":"sha1","data":"616263"}' >&"${SHIM[1]}"
read -r -t 10 line <&"${SHIM[0]}" || fail "no response while the shim's input stays open"
[[ $line == '{"id":1,"ok":true,"out":"a9993e364706816aba3e25717850c26c9cd0d89d"}' ]] ||
    fail "unexpected response: $line"
echo '{"id":2,"op":"list_ops"}' >&"${SHIM[1]}"
read -r -t 10 line <&"${SHIM[0]}" || fail "no second response"
[[ $line == *'"aes256_ige_encrypt"'* && $line == *'"crc32"'* ]] || fail "list_ops: $line"
exec {SHIM[1]}>&-
wait "$shim_pid" || fail "interactive shim exited with $?"

# Empty input: no output, exit 0. Extra arguments: usage error.
[[ -z $("$bin" shim < /dev/null) ]] || fail "output on empty input"
set +e
"$bin" shim extra < /dev/null 2>/dev/null
rc=$?
set -e
[[ $rc == 2 ]] || fail "'shim extra' exited $rc, want 2"
echo "shim.sh: ok"
