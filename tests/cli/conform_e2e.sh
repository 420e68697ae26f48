#!/usr/bin/env bash
# The `e2e` step of the scenario language (docs/scenarios.md "e2e"; harness/scenario_e2e.c,
# harness/conform_e2e*.c): its parser errors name file:line:col, and the harness as room peer
# tells a client that follows the E2E_* rules from a wrong expectation — a probe expecting the
# wrong resend range, an abort naming another rule, an abort that does not come — so the e2e.mts
# scenarios that pass (run by conform_fast.sh and, against `mtproof client`, conform_net_client.sh)
# do assert something.
# Usage: conform_e2e.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. Parser errors: each bad step is refused (exit 3) at its column.
mkdir "$tmp/bad"
check_bad() { # STEP COL MESSAGE
  printf 'role server\nscenario x\n  rules E2E_SEQ_GAP\n  %s\n' "$1" > "$tmp/bad/a.mts"
  "$bin" conform --scenarios "$tmp/bad" > "$tmp/out" 2>&1
  [[ $? == 3 ]] || { cat "$tmp/out"; fail "'$1' must be refused with exit 3"; }
  grep -qF "a.mts:4:$2: e2e: $3" "$tmp/out" || { cat "$tmp/out"; fail "'$1': want 4:$2: $3"; }
}
check_bad 'e2e' 3 'e2e what?'
check_bad 'e2e dance' 7 "e2e 'dance'?"
check_bad 'e2e ready' 7 'e2e ready needs originator=true|false'
check_bad 'e2e ready originator=maybe' 13 'e2e ready takes originator=true|false'
check_bad 'e2e ready originator=true room=a/b' 29 'e2e ready takes originator'
check_bad 'e2e exchange g_a=0x01' 16 'e2e exchange takes fingerprint=N only'
check_bad 'e2e send' 7 'e2e send what?'
check_bad 'e2e send ping' 12 "e2e send what? ('ping'"
check_bad 'e2e send noop padding=x' 17 'unknown override or bad value: padding'
check_bad 'e2e send noop bogus=1' 17 'unknown override or bad value: bogus'
check_bad 'e2e send noop msg_key=0x0102' 17 'unknown override or bad value: msg_key'
check_bad 'e2e send noop random_bytes=300' 17 'unknown override or bad value: random_bytes'
check_bad 'e2e send noop 0x01' 17 "unexpected '0x01'"
check_bad 'e2e send text hello' 17 "write the text in quotes ('hello')"
check_bad 'e2e send envelope' 12 'e2e send envelope needs the bytes'
check_bad 'e2e send envelope 0xabc' 21 "'0xabc' is not hex bytes"
check_bad 'e2e expect hello' 14 "e2e expect what? ('hello')"
check_bad 'e2e expect resend 5' 21 "unexpected '5' (write field=value)"
check_bad 'e2e expect resend within=soon' 21 "bad duration 'soon'"
check_bad 'e2e expect abort' 14 "write 'e2e expect abort RULE_ID'"
check_bad 'e2e expect abort NOT_A_RULE' 20 "unknown rule 'NOT_A_RULE'"

# 2. Wrong expectations fail, naming the scenario's rule or what came instead.
mkdir "$tmp/neg"
cat > "$tmp/neg/neg.mts" <<'MTS'
role server
tier fast
scenario neg-wrong-range
  rules   E2E_DATA_LENGTH
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop data_len=50
  e2e     send noop out_raw=1
  e2e     expect resend start_seq_no=3 end_seq_no=3
scenario neg-no-gap
  rules   E2E_SEQ_GAP
  handshake
  e2e     ready originator=true
  e2e     exchange
  e2e     send noop
  e2e     send noop out_raw=1
  e2e     expect resend within=3s
scenario neg-other-rule
  rules   E2E_LAYER_TOO_LOW
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop layer=45
  e2e     expect abort E2E_SEQ_PARITY
scenario neg-no-abort
  rules   E2E_LAYER_TOO_LOW
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop layer=46
  e2e     expect abort E2E_LAYER_TOO_LOW within=3s
MTS
"$bin" conform --scenarios "$tmp/neg" > "$tmp/out" 2>&1
[[ $? == 1 ]] || { cat "$tmp/out"; fail "wrong expectations must fail (exit 1)"; }
grep -q 'pass 0 fail 4' "$tmp/out" || { cat "$tmp/out"; fail "all four must fail"; }
grep -q '"start_seq_no":1,"end_seq_no":1' "$tmp/out" || { cat "$tmp/out"; fail "no range shown"; }
grep -q 'naming E2E_LAYER_TOO_LOW, not E2E_SEQ_PARITY' "$tmp/out" ||
  { cat "$tmp/out"; fail "the client's rule is not shown"; }
grep -q 'the connection stayed open' "$tmp/out" || { cat "$tmp/out"; fail "no abort: no message"; }

echo "conform_e2e: ok"
