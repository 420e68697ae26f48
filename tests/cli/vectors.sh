#!/usr/bin/env bash
# `mtproof vectors` end to end: the tree's vectors pass through our shim; a shim that corrupts an
# answer, answers the wrong error, answers nothing, dies or hangs is caught and named.
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# run WANT_RC ARGS...: runs `mtproof vectors ARGS`, output in $tmp/out and $tmp/err.
run() {
    local want=$1; shift
    "$bin" vectors "$@" > "$tmp/out" 2> "$tmp/err"
    local rc=$?
    [[ $rc == "$want" ]] || { cat "$tmp/out" "$tmp/err" >&2; fail "vectors $* exited $rc, want $want"; }
}
has() { grep -qF -- "$2" "$tmp/$1" || { cat "$tmp/out" "$tmp/err" >&2; fail "no '$2' in $1"; }; }

# 1. Every vector file of the tree passes through our own shim.
run 0
has out "vectors/sha256.json: "
grep -Eq '^[0-9]+ passed, 0 failed, 0 skipped$' "$tmp/out" || fail "total line: $(tail -1 "$tmp/out")"
files=$(find "$src/vectors" -name '*.json' | wc -l)
[[ $(grep -c ': [0-9]* passed, 0 failed, ' "$tmp/out") == "$files" ]] || fail "not one line per file"
run 0 --verbose "$src/vectors/published/fips180_sha256.json"
has out "ok   $src/vectors/published/fips180_sha256.json tcId 1"

# A small file of our own, with a {"hex","repeat"} input (FIPS 180-2: one million 'a').
cat > "$tmp/v.json" <<'VEC'
{"schema": "mtproof-vectors-1", "algorithm": "mixed", "source": "FIPS 180-2 appendix B; FIPS-197",
 "numberOfTests": 4, "testGroups": [
  {"op": "sha256", "tests": [
    {"tcId": 1, "comment": "abc", "result": "valid", "in": {"data": "616263"},
     "out": {"out": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}},
    {"tcId": 2, "comment": "a million a", "result": "valid",
     "in": {"data": {"hex": "61", "repeat": 1000000}},
     "out": {"out": "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"}}]},
  {"op": "aes256_ecb_encrypt", "tests": [
    {"tcId": 3, "comment": "short key", "result": "invalid", "error": "bad_key_size",
     "in": {"key": "0011", "data": ""}},
    {"tcId": 4, "comment": "FIPS-197 C.3", "result": "valid",
     "in": {"key": "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "data": "00112233445566778899aabbccddeeff"},
     "out": {"out": "8ea2b7ca516745bfeafc49904b496089"}}]}]}
VEC
run 0 "$tmp/v.json"
has out "$tmp/v.json: 4 passed, 0 failed, 0 skipped"
mkdir -p "$tmp/dir/sub" && cp "$tmp/v.json" "$tmp/dir/sub/w.json"
run 0 --dir "$tmp/dir" --timeout 60
has out "dir/sub/w.json: 4 passed, 0 failed, 0 skipped"

# 2. A wrong shim: ours with one output corrupted, and one error renamed.
run 1 --shim "'$bin' shim | sed -u -e 's/\"out\":\"ba7816bf/\"out\":\"ba7816bb/' \
                                    -e 's/bad_key_size/bad_data_size/'" "$tmp/v.json"
has out "FAIL $tmp/v.json tcId 1 (sha256, \"abc\"): field 'out': expected \"ba7816bf"
has out "got \"ba7816bb"
has out "FAIL $tmp/v.json tcId 3 (aes256_ecb_encrypt, \"short key\"): expected error bad_key_size, got bad_data_size"
has out "$tmp/v.json: 2 passed, 2 failed, 0 skipped"
has out "2 passed, 2 failed, 0 skipped"
# ...and over the whole tree, with the corruption in the published SHA-256 vectors.
run 1 --shim "'$bin' shim | sed -u 's/\"out\":\"ba7816bf/\"out\":\"ba7816bb/'"
has out "FAIL vectors/published/fips180_sha256.json tcId"

# 3. A shim that implements nothing: every test skipped, exit 0.
cat > "$tmp/none.sh" <<'SH'
#!/bin/sh
exec sed -u -E 's/^\{"id":([0-9]+),.*/{"id":\1,"ok":false,"error":"unimplemented"}/'
SH
run 0 --shim "sh '$tmp/none.sh'"
grep -Eq '^0 passed, 0 failed, [1-9][0-9]* skipped$' "$tmp/out" || fail "skips: $(tail -1 "$tmp/out")"

# 4. A shim that exits at once, one that hangs, one that dies after one answer.
run 3 --shim "exit 7" "$tmp/v.json"
has err "failed before answering any request"
has err "status 7"
run 3 --shim "exec sleep 30" --timeout 1 "$tmp/v.json"
has err "no response within 1 s"
run 1 --shim "head -n 1 | '$bin' shim" "$tmp/v.json"
has err "restarting shim"
has out "FAIL $tmp/v.json tcId 2"
has out "$tmp/v.json: 2 passed, 2 failed, 0 skipped"

# 5. Bad usage and unreadable or malformed files.
run 2 --bogus
run 2 --timeout
run 2 --timeout -1
run 3 "$tmp/missing.json"
echo '{"schema": "something-else"}' > "$tmp/bad.json"
run 3 "$tmp/bad.json"
has err "not an mtproof-vectors-1 file"
mkdir "$tmp/empty"
run 3 --dir "$tmp/empty"
has err "no *.json vector files"
echo "vectors.sh: ok"
