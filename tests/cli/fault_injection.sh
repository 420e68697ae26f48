#!/usr/bin/env bash
# The fault-injection proof (issue 8; docs/fault-injection.md): for every rule R of
# `mtproof relay --violate list`, the fast tier against the builtin relay violating R must fail
# with a case naming R. Release build: every `role client` fast scenario per rule (37 runs, two at
# a time), and docs/fault-injection.md must match the result (FI_WRITE=1 rewrites it). Sanitizer
# build (the binary holds AddressSanitizer; FI_FULL=1 forces the full run): per rule only the two
# scenarios the document lists first, which must still fail naming R.
# Usage: fault_injection.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
doc=$src/docs/fault-injection.md
table="python3 $src/tests/cli/fault_table.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" relay --violate list | tail -n +2 | awk '{print $1}' >"$tmp/rules.txt"
n=$(wc -l <"$tmp/rules.txt")
[ "$n" -gt 0 ] || { echo "FAIL: no rules from mtproof relay --violate list"; exit 1; }

full=1
if [ -z "${FI_FULL:-}" ] && [ -z "${FI_WRITE:-}" ] && grep -qa AddressSanitizer "$bin"; then
  full=0
fi

# One run: exit 1 (scenarios failed) is expected; 0 (nothing detected) or 2/3 are not.
run_one() {
  local rule=$1
  shift
  "$bin" conform --role client --violate "$rule" --json "$tmp/$rule.json" "$@" >"$tmp/$rule.out" 2>&1
  echo $? >"$tmp/$rule.rc"
}
export -f run_one
export bin tmp

start=$(date +%s)
if [ $full = 1 ]; then
  xargs -P2 -I{} bash -c 'run_one {}' <"$tmp/rules.txt"
else
  [ -f "$doc" ] || { echo "FAIL: $doc is missing"; exit 1; }
  while read -r rule; do
    picks=$($table pick "$doc" "$rule") || { echo "FAIL: $rule is not in $doc (stale)" >&2; continue; }
    args=""
    for s in $picks; do args="$args --only $s"; done
    echo "$rule$args"
  done <"$tmp/rules.txt" | xargs -P2 -L1 bash -c 'run_one "$@"' _
fi
echo "fault injection: $n runs in $(($(date +%s) - start)) s (full=$full)"

fails=0
while read -r rule; do
  rc=$(cat "$tmp/$rule.rc" 2>/dev/null || echo none)
  if [ "$rc" != 1 ]; then
    echo "FAIL: --violate $rule: exit $rc (want 1: the tier must fail)"
    tail -5 "$tmp/$rule.out"
    fails=$((fails + 1))
  elif ! $table named "$tmp/$rule.json" "$rule"; then
    echo "FAIL: --violate $rule: no failing case names $rule"
    grep -E '^(FAIL|ERROR)' "$tmp/$rule.out" | head -5
    fails=$((fails + 1))
  fi
done <"$tmp/rules.txt"

if [ $full = 1 ]; then
  $table gen "$tmp" "$src" >"$tmp/doc.md" || fails=$((fails + 1))
  if [ -n "${FI_WRITE:-}" ]; then
    cp "$tmp/doc.md" "$doc"
    echo "wrote $doc"
  elif ! diff -u "$doc" "$tmp/doc.md"; then
    echo "FAIL: $doc is stale (FI_WRITE=1 bash $0 BIN SRC rewrites it)"
    fails=$((fails + 1))
  fi
fi
[ $fails = 0 ] && echo "fault injection: all $n violations detected and named"
exit $((fails > 0))
