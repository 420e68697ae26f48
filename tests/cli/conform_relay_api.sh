#!/usr/bin/env bash
# The scenarios marked `target relay` (rooms, the relay API, HTTP, binding) run only against the
# relay core, the default builtin server: they pass there and on an explicit `--target relay`, and
# `--target engines` (the bare engines, no relay API) skips them naming why. Each stanza with
# `target relay` is selected by its file's name (bind, http, rooms).
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# The scenario names of those files begin with these prefixes (checked below).
only=(--only 'room-*' --only 'relay-*' --only 'http-*' --only 'bind-*')
n=0
for f in "$src"/harness/scenarios/*.mts; do
    grep -q '^target relay' "$f" || continue
    while read -r name; do
        [[ $name == room-* || $name == relay-* || $name == http-* || $name == bind-* ]] \
            || fail "$name: a relay-only scenario outside the prefixes of this test"
        n=$((n + 1))
    done < <(awk '$1 == "scenario" {print $2}' "$f")
done
(( n >= 40 )) || fail "only $n relay-only scenarios found"
"$bin" conform --target relay --tier fast "${only[@]}" > "$tmp/out" 2>&1
rc=$?
[[ $rc == 0 ]] || { cat "$tmp/out" >&2; fail "conform --target relay exited $rc"; }
grep -q "skip 0 " "$tmp/out" || { cat "$tmp/out" >&2; fail "a relay-only scenario was skipped"; }
# The default target runs them too; the bare engines skip them, naming why.
"$bin" conform --tier fast --only 'room-join-waiting' > "$tmp/out" 2>&1 || fail "the default target failed"
grep -q "pass 1 fail 0 .*skip 0 " "$tmp/out" || { cat "$tmp/out" >&2; fail "the default target skipped a relay-only scenario"; }
"$bin" conform --tier fast --target engines --only 'room-join-waiting' > "$tmp/out" 2>&1 ||
    fail "--target engines failed"
grep -q "skip 1 " "$tmp/out" && grep -q "needs the relay API" "$tmp/out" ||
    { cat "$tmp/out" >&2; fail "--target engines ran a relay-only scenario"; }
echo "ok: $n relay-only scenarios pass on --target relay"
