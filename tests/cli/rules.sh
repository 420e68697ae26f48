#!/usr/bin/env bash
# `mtproof rules`: docs/rules.md must be what `mtproof rules --markdown` prints (regenerate with
# `build/mtproof rules --markdown > docs/rules.md`), --json is valid JSON with every rule, usage.
# Usage: rules.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

if ! diff -u "$src/docs/rules.md" <("$bin" rules --markdown) >&2; then
  fail "docs/rules.md is out of date: run '$bin rules --markdown > docs/rules.md'"
fi
# Every rule of common/rules.def (read now, so rules added later are covered) is in each form.
ids=$(grep -oE '^MT_RULE\([A-Z0-9_]+' "$src/common/rules.def" | sed 's/^MT_RULE(//')
[ -n "$ids" ] || fail "no MT_RULE entries found in common/rules.def"
json=$("$bin" rules --json) || fail "rules --json failed"
python3 -c 'import json,sys; a=json.load(sys.stdin); assert isinstance(a, list) and all("id" in r and "sentence" in r for r in a)' <<<"$json" ||
  fail "rules --json is not a JSON array of rules"
text=$("$bin" rules) || fail "rules failed"
for id in $ids; do
  grep -q "\"id\": \"$id\"" <<<"$json" || fail "rules --json lacks $id"
  grep -qw "$id" <<<"$text" || fail "rules lacks $id"
done
[ "$(grep -c '^| `' <("$bin" rules --markdown))" -eq "$(wc -w <<<"$ids")" ] ||
  fail "the markdown table has not one row per rule"
"$bin" rules --bogus >/dev/null 2>&1
[ $? -eq 2 ] || fail "rules --bogus should exit 2"
[ "$fails" -eq 0 ] || exit 1
echo "rules: ok"
