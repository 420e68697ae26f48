#!/usr/bin/env bash
# `mtproof scenario-from-input`: corpus files of the stateful fuzz targets become scenario stanzas
# that parse (`conform --list`), and those whose engine answers do not depend on the server's
# randomness run and pass against the builtin target; bad targets and files get clear errors.
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p "$tmp/run" "$tmp/parse" "$tmp/relay"

gen() { # target file dir
    "$bin" scenario-from-input --target "$1" "$src/corpora/$1/$2" > "$3/$1_$2.mts" ||
        fail "scenario-from-input $1 $2 exited $?"
}
for f in too_old too_new bad_salt bad_parity ping state_req; do gen session_server $f "$tmp/run"; done
gen handshake_server req_pq_only "$tmp/run"
gen handshake_server req_dh "$tmp/parse"
gen handshake_server perm_full "$tmp/parse"
n=0
for f in "$src"/corpora/relay_conn/*; do
    gen relay_conn "$(basename "$f")" "$tmp/relay"
    n=$((n + 1))
    ((n < 12)) || break
done

# The rule the engine reported is named; the steps are in the scenario language.
grep -q "rules   MSGID_TOO_LOW" "$tmp/run/session_server_too_old.mts" || fail "too_old: no rule"
grep -q "expect  bad_msg 16" "$tmp/run/session_server_too_old.mts" || fail "too_old: no expect"
grep -q "expect  bad_server_salt" "$tmp/run/session_server_bad_salt.mts" || fail "bad_salt: expect"
grep -q "expect  plain server_DH_params_ok" "$tmp/parse/handshake_server_req_dh.mts" ||
    fail "req_dh: the server's answer is not expected"

# Every stanza parses.
for d in run parse relay; do
    "$bin" conform --scenarios "$tmp/$d" --tier all --list > "$tmp/list_$d" 2>&1 ||
        { cat "$tmp/list_$d" >&2; fail "stanzas in $d do not parse"; }
done
[[ $(wc -l < "$tmp/list_run") == 7 ]] || fail "expected 7 scenarios in run/"

# Those run and pass against the builtin target.
"$bin" conform --scenarios "$tmp/run" --tier all > "$tmp/out" 2>&1 ||
    { cat "$tmp/out" >&2; fail "the stanzas did not pass against the builtin target"; }

# The same input gives the same stanza (the name is a hash of the input).
"$bin" scenario-from-input --target session_server "$src/corpora/session_server/too_old" |
    cmp -s - "$tmp/run/session_server_too_old.mts" || fail "not deterministic"

# Clear errors.
"$bin" scenario-from-input --target nosuch "$src/corpora/session_server/ping" 2> "$tmp/e1"
[[ $? == 2 ]] && grep -q "unknown target 'nosuch'" "$tmp/e1" || fail "unknown target"
"$bin" scenario-from-input --target session_server "$tmp/missing" 2> "$tmp/e2"
[[ $? == 3 ]] && grep -q "cannot open" "$tmp/e2" || fail "missing file"
printf 'ab' > "$tmp/short"
"$bin" scenario-from-input --target session_server "$tmp/short" 2> "$tmp/e3"
[[ $? == 3 ]] && grep -q "no complete record" "$tmp/e3" || fail "malformed file"
"$bin" scenario-from-input "$tmp/short" 2> /dev/null
[[ $? == 2 ]] || fail "missing --target"
echo "scenario_from_input: OK"
