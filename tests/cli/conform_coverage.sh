#!/usr/bin/env bash
# Scenario coverage of the rule catalogue (issue 8: "every rule in the catalogue is tested by at
# least one" scenario). Usage: conform_coverage.sh MTPROOF_BINARY SOURCE_DIR [--list]
#   The catalogue is `mtproof rules` (common/rules.def); a rule is covered when the `rules` line
#   of some scenario in harness/scenarios/*.mts names it. harness/scenarios/UNCOVERED lists, as
#   `RULE_ID  reason` lines, the rules no wire-level scenario can exercise. Fails when a rule is
#   neither covered nor listed, when an UNCOVERED entry has no reason, names no rule, is listed
#   twice, or is stale (a scenario covers it now). --list prints the uncovered rules and exits 0.
set -uo pipefail
bin=$1
src=$2
mode=${3:-}
dir=$src/harness/scenarios
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "FAIL: $*" >&2; bad=1; }

# The catalogue as the binary knows it: the first word of each line of `mtproof rules`.
"$bin" rules | awk '/^[A-Z]/ && ($2 == "MUST" || $2 == "SHOULD" || $2 == "DEPRECATED") {print $1}' | sort -u > "$tmp/all"
(( $(wc -l < "$tmp/all") > 100 )) || { echo "FAIL: could not read the catalogue" >&2; exit 1; }
# Every scenario file must parse (a rule that does not exist is a parse error there).
"$bin" conform --scenarios "$dir" --tier all --list > /dev/null \
    || { echo "FAIL: the scenario files do not parse" >&2; exit 1; }
awk '$1 == "rules" {for (i = 2; i <= NF && $i !~ /^#/; i++) print $i}' "$dir"/*.mts \
    | sort -u > "$tmp/covered"
comm -23 "$tmp/all" "$tmp/covered" > "$tmp/uncovered"

if [[ $mode == --list ]]; then
    cat "$tmp/uncovered"
    echo "$(wc -l < "$tmp/covered") of $(wc -l < "$tmp/all") rules covered" >&2
    exit 0
fi

listed=$dir/UNCOVERED
: > "$tmp/listed"
if [[ -f $listed ]]; then
    while read -r id reason; do
        [[ -z $id || $id == \#* ]] && continue
        grep -qx "$id" "$tmp/all" || fail "UNCOVERED: '$id' is not a rule of the catalogue"
        grep -qx "$id" "$tmp/listed" && fail "UNCOVERED: '$id' listed twice"
        (( $(wc -w <<< "$reason") >= 4 )) || fail "UNCOVERED: '$id' needs a specific reason"
        grep -qx "$id" "$tmp/covered" && fail "UNCOVERED: '$id' is covered by a scenario now (stale)"
        echo "$id" >> "$tmp/listed"
    done < "$listed"
fi
sort -o "$tmp/listed" "$tmp/listed"
missing=$(comm -23 "$tmp/uncovered" "$tmp/listed")
[[ -z $missing ]] || fail "rules named by no scenario and not in harness/scenarios/UNCOVERED:
$missing"
[[ $bad == 0 ]] || exit 1
echo "ok: $(wc -l < "$tmp/covered") of $(wc -l < "$tmp/all") rules covered by scenarios," \
    "$(wc -l < "$tmp/listed") listed in UNCOVERED"
