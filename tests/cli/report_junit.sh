#!/usr/bin/env bash
# The report files as outside tools read them: `test_report --write DIR` writes a sample run (one
# case of every outcome, a stale expect-fail entry) and a run of hostile strings in each format;
# tests/cli/junit_check.py (also what ci/ runs on a conformance run's --junit file) checks the
# JUnit XML and its counts, Python's json reads the JSON, html.parser checks the HTML's nesting.
# The checker itself must refuse a malformed file and wrong counts.
# Usage: report_junit.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
check="python3 $src/tests/cli/junit_check.py"
writer=$(dirname "$bin")/tests/test_report
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

[ -x "$writer" ] || { echo "FAIL: $writer not built" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$writer" --write "$dir" || fail "test_report --write failed"

$check "$dir/sample.xml" --tests 8 --failures 3 --errors 1 --skipped 3 --name-contains hs_fail ||
  fail "sample.xml"
# Hostile strings come back as text after XML parsing (markup and quotes escaped, not lost).
$check "$dir/hostile.xml" --tests 2 --failures 1 --errors 0 --skipped 1 \
  --name-contains "nq\"'<script>alert(1)</script>&amp;]]>\\x01\\x1b[31m" ||
  fail "hostile.xml"

# The checker refuses what CI would choke on.
printf '<testsuites><testsuite name="a" tests="1" failures="0" errors="0">' >"$dir/bad.xml"
$check "$dir/bad.xml" >/dev/null 2>&1
[ $? -eq 1 ] || fail "junit_check accepted malformed XML"
$check "$dir/sample.xml" --failures 2 >/dev/null 2>&1
[ $? -eq 1 ] || fail "junit_check accepted wrong counts"
sed 's/tests="3"/tests="4"/' "$dir/sample.xml" >"$dir/lie.xml"
$check "$dir/lie.xml" >/dev/null 2>&1
[ $? -eq 1 ] || fail "junit_check accepted a suite whose tests attribute lies"
$check >/dev/null 2>&1
[ $? -eq 2 ] || fail "junit_check without FILE should exit 2"

python3 - "$dir/sample.json" <<'EOF' || fail "sample.json"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["format"] == "mtproof-conform-1" and r["ok"] is False, r["format"]
assert r["counts"]["total"] == len(r["cases"]) == 7, r["counts"]
assert [a["area"] for a in r["areas"]] == ["handshake", "msgid", "transport"]
assert r["cases"][1]["failed_rule"]["sentence"], "failed rule without its sentence"
EOF

python3 - "$dir/sample.html" "$dir/hostile.html" <<'EOF' || fail "HTML nesting"
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "input", "hr", "img", "link"}
class Nest(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.tags = [], [], set()
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag not in VOID:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
    def handle_data(self, data):
        self.text.append(data)
for path in sys.argv[1:]:
    p = Nest()
    p.feed(open(path, encoding="utf-8").read())
    p.close()
    assert not p.stack, f"{path}: unclosed {p.stack}"
    assert "script" not in p.tags, f"{path}: has a script element"
    if "hostile" in path:
        assert "<script>alert(1)</script>" in "".join(p.text), "hostile text lost"
EOF

[ "$fails" -eq 0 ] || exit 1
echo "report_junit: ok"
