#!/usr/bin/env bash
# The CLI's help and usage errors: --version, --help, `help SUBCOMMAND`, `SUBCOMMAND --help`,
# unknown subcommands and options (exit 2, see harness/cli.h).
set -uo pipefail
bin=$1
src=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect RC CMD...: runs the binary with CMD, output in $out, checks the exit code.
expect() {
    local want=$1; shift
    out=$("$bin" "$@" 2>&1)
    local rc=$?
    [[ $rc == "$want" ]] || fail "mtproof $* exited $rc, want $want: $out"
}

version=$(sed -n 's/^project(mtproof VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
expect 0 --version
[[ $out == "mtproof $version" ]] || fail "--version printed '$out', want 'mtproof $version'"
expect 0 --help
for sub in help shim vectors; do
    grep -Eq "^  $sub +[a-z]" <<< "$out" || fail "--help does not list '$sub': $out"
done
expect 0 help
[[ $out == *"usage: mtproof"* ]] || fail "help: $out"
expect 0 help shim
[[ $out == "usage: mtproof shim"* && $out == *"docs/shim.md"* ]] || fail "help shim: $out"
expect 0 help vectors
[[ $out == "usage: mtproof vectors"* && $out == *"--shim CMD"* && $out == *"--timeout"* ]] ||
    fail "help vectors: $out"
expect 0 vectors --help
[[ $out == "usage: mtproof vectors"* ]] || fail "vectors --help: $out"
expect 0 shim --help
[[ $out == "usage: mtproof shim"* ]] || fail "shim --help: $out"

expect 2 no-such-subcommand
[[ $out == *"unknown subcommand"* ]] || fail "unknown subcommand message: $out"
expect 2
expect 2 help no-such-subcommand
expect 2 help shim vectors
expect 2 vectors --no-such-option
expect 2 shim unexpected-argument
echo "help.sh: ok"
