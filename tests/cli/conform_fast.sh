#!/usr/bin/env bash
# `mtproof conform` end to end: the fast tier against the builtin target must pass, within the
# time budget; its JUnit and JSON reports are written; a broken scenario file is refused with
# file:line:col; --list, --only and --expect-fail behave.
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. The fast tier passes against the builtin peers. (Its time is a figure, not an assertion: the
#    summary and the JSON report carry it; ci/conform prints it.)
"$bin" conform --tier fast --junit "$tmp/j.xml" --json "$tmp/r.json" > "$tmp/out" 2>&1
rc=$?
[[ $rc == 0 ]] || { cat "$tmp/out" >&2; fail "conform --tier fast exited $rc"; }
grep -q "conform: OK" "$tmp/out" || fail "no OK summary"
grep -q "<testsuite" "$tmp/j.xml" || fail "no JUnit testsuite"
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/r.json" || fail "JSON report invalid"
python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])" "$tmp/j.xml" \
    || fail "JUnit report is not XML"
n=$("$bin" conform --list | wc -l)
(( n >= 100 )) || fail "only $n fast scenarios"

# 2. A scenario file with an error is refused before anything runs, naming file:line:col.
mkdir "$tmp/bad"
printf 'scenario x\n  rules MSG_TOO_OLD\n  send ping(ping_idd=1)\n' > "$tmp/bad/a.mts"
"$bin" conform --scenarios "$tmp/bad" > "$tmp/out" 2>&1
[[ $? == 3 ]] || fail "a bad scenario file must exit 3"
grep -q "a.mts:3:13: send: no field 'ping_idd'" "$tmp/out" || { cat "$tmp/out"; fail "no file:line:col"; }

# 3. A scenario expecting the wrong answer fails (exit 1); listed in an expect-fail file it is
#    xfail (exit 0); an expect-fail entry matching nothing is stale (exit 1).
mkdir "$tmp/wrong"
printf 'scenario wrong-code\n  rules MSGID_TOO_LOW\n  handshake\n  send ping(ping_id=1) msg_id=now-301s\n  expect bad_msg 17\n' \
    > "$tmp/wrong/w.mts"
"$bin" conform --scenarios "$tmp/wrong" > "$tmp/out" 2>&1
[[ $? == 1 ]] || { cat "$tmp/out"; fail "a failing scenario must exit 1"; }
grep -q "error_code\":16" "$tmp/out" || { cat "$tmp/out"; fail "the failure does not show what came"; }
echo "wrong-code  the builtin target answers 16, on purpose" > "$tmp/xf"
"$bin" conform --scenarios "$tmp/wrong" --expect-fail "$tmp/xf" > "$tmp/out" 2>&1
[[ $? == 0 ]] || { cat "$tmp/out"; fail "an expected failure must exit 0"; }
echo "no-such-scenario  stale" >> "$tmp/xf"
"$bin" conform --scenarios "$tmp/wrong" --expect-fail "$tmp/xf" > "$tmp/out" 2>&1
[[ $? == 1 ]] || { cat "$tmp/out"; fail "a stale expect-fail entry must exit 1"; }

# 4. --only selects by glob; the same seed gives the same transcript.
"$bin" conform --only 'msgid-*' --list > "$tmp/out" || fail "--list"
grep -qv '^msgid-' "$tmp/out" && fail "--only let others through"
echo "ok"
