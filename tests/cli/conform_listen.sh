#!/usr/bin/env bash
# `mtproof conform --listen` details (issue 9): --transport T is what the client under test is
# told ({transport}) and the framing the harness then expects; a client that frames otherwise is
# an error, not a pass; a client command that exits 3 before connecting lacks the transport (the
# scenario is skipped); `expect query` takes the reference client's first query (relay.join).
# Usage: conform_listen.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
key=$src/vectors/keys/test_rsa2048.pem
pub=$src/vectors/keys/test_rsa2048_pub_pkcs1.pem
client="$bin client --server {host}:{port} --server-key $pub --expect 1 --timeout 10"
run() { "$bin" conform --listen 127.0.0.1:0 --key "$key" --role server --timeout 5 "$@"; }

# 1. Told abridged (and obfuscated2-padded), the reference client frames so and passes.
for t in abridged obf2-padded; do
  run --transport "$t" --only client-handshake-ok --only client-msg-key-mismatch \
    --client-cmd "$client --transport {transport}" >"$tmp/$t.out" 2>&1 ||
    { cat "$tmp/$t.out" >&2; fail "--transport $t against mtproof client"; }
  grep -qE 'pass 2 fail 0' "$tmp/$t.out" || fail "--transport $t: not 2 passes"
done

# 2. A client that ignores {transport} (always intermediate) while abridged is expected: an error
#    naming both framings, never a pass.
run --transport abridged --only client-handshake-ok \
  --client-cmd "$client --transport intermediate" >"$tmp/wrong.out" 2>&1
[ $? -eq 1 ] || fail "a client in the wrong framing did not fail the run"
grep -q 'error 1' "$tmp/wrong.out" || { cat "$tmp/wrong.out" >&2; fail "wrong framing not an error"; }
grep -q 'framed with intermediate, not the transport abridged' "$tmp/wrong.out" ||
  fail "wrong framing not named"

# 3. A client command without the transport exits 3: skipped, at once (no connect wait).
start=$(date +%s)
run --transport full --only client-handshake-ok --client-cmd 'exit 3' >"$tmp/unsup.out" 2>&1
grep -qE 'skip 1 error 0' "$tmp/unsup.out" || { cat "$tmp/unsup.out" >&2; fail "exit 3 not a skip"; }
[ $(($(date +%s) - start)) -lt 20 ] || fail "exit 3 waited for the connect limit"
run --only client-handshake-ok --client-cmd 'exit 1' >"$tmp/dead.out" 2>&1
grep -q 'exited with status 1 before connecting' "$tmp/dead.out" || fail "exit 1 not reported"

# 4. Bad --transport values are usage errors.
run --transport nonsense --client-cmd x >/dev/null 2>&1
[ $? -eq 2 ] || fail "--transport nonsense not a usage error"
run --transport http --client-cmd x >/dev/null 2>&1
[ $? -eq 2 ] || fail "--listen --transport http not a usage error"
echo "conform_listen: ok"
