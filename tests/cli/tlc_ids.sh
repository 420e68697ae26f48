#!/usr/bin/env bash
# The schema compiler verifies every constructor id: the shipped schemas pass, and changing one
# declared id (or one field type) in a copy makes tlc.py fail and name the constructor.
set -euo pipefail
src=$2
tlc="python3 $src/proto/gen/tlc.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in mtproto_schema secret_api; do
  $tlc --check "$src/proto/schema/$s.tl" >/dev/null
done
expect_fail() { # FILE NAME
  if $tlc --check "$1" 2>"$tmp/err"; then
    echo "FAIL: tlc accepted a tampered schema ($2)"; exit 1
  fi
  grep -q "$2" "$tmp/err" || { echo "FAIL: error does not name $2:"; cat "$tmp/err"; exit 1; }
}
sed 's/^resPQ#05162463/resPQ#05162464/' "$src/proto/schema/mtproto_schema.tl" >"$tmp/a.tl"
expect_fail "$tmp/a.tl" resPQ
sed 's/^pong#347773c5 msg_id:long ping_id:long/pong#347773c5 msg_id:long ping_id:int/' \
  "$src/proto/schema/mtproto_schema.tl" >"$tmp/b.tl"
expect_fail "$tmp/b.tl" pong
sed 's/^decryptedMessage46#36b091de/decryptedMessage46#36b091df/' "$src/proto/schema/secret_api.tl" >"$tmp/c.tl"
expect_fail "$tmp/c.tl" decryptedMessage46
# A listed exception is narrow: the unverifiable id is accepted only for its own constructor.
sed 's/^messageEntityBold#bd610bc9/messageEntityBold#6abd9782/' "$src/proto/schema/secret_api.tl" >"$tmp/d.tl"
expect_fail "$tmp/d.tl" messageEntityBold
echo "ok: tlc refuses tampered ids"
