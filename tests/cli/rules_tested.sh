#!/usr/bin/env bash
# Every rule of common/rules.def must be provoked by some test: its MT_E_<ID> or its bare ID must
# appear in tests/*.c, tests/cli/*.sh, harness/scenarios/ (conformance scenarios) or a vector file
# (vectors/**/*.json names the rule as the expected error of an invalid test; tests/cli/vectors.sh
# runs them all with none skipped). rules.def is read at test time, so new rules are covered.
# Prints the unreferenced IDs and fails when there are any.
# Usage: rules_tested.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
src=$2
ids=$(grep -oE '^MT_RULE\([A-Z0-9_]+' "$src/common/rules.def" | sed 's/^MT_RULE(//')
[ -n "$ids" ] || { echo "FAIL: no MT_RULE entries in common/rules.def" >&2; exit 1; }
where=()
for d in "$src"/tests/*.c "$src"/tests/cli/*.sh; do
  [ -f "$d" ] && [ "$(basename "$d")" != rules_tested.sh ] && where+=("$d")
done
while IFS= read -r -d '' f; do where+=("$f"); done < <(
  find "$src/vectors" -name '*.json' -print0 2>/dev/null
  [ -d "$src/harness/scenarios" ] && find "$src/harness/scenarios" -type f -print0)
missing=()
for id in $ids; do
  # -w: DH_GA_RANGE must not count as a reference to DH_GA.
  grep -qwE "MT_E_$id|$id" "${where[@]}" || missing+=("$id")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "rules referenced by no test (${#missing[@]}):" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi
echo "rules_tested: all $(wc -w <<<"$ids") rules are referenced by a test"
