# shellcheck shell=bash
# Shared by ci/fuzz-smoke, fuzz/campaign and fuzz/oss-fuzz/build.sh (sourced, not run).
# MTPROOF_ROOT must be the source tree.

# fuzz_targets: every target name (fuzz/fuzz_<name>.c), sorted, one a line.
fuzz_targets() {
  local f
  for f in "$MTPROOF_ROOT"/fuzz/fuzz_*.c; do
    f=${f##*/fuzz_}
    echo "${f%.c}"
  done | LC_ALL=C sort
}

# fuzz_dict_for NAME: the path of NAME's dictionary (fuzz/dict/targets), or nothing.
fuzz_dict_for() {
  local name=$1 glob dict
  while read -r glob dict; do
    case $glob in '' | '#'*) continue ;; esac
    # shellcheck disable=SC2254  # the glob is the point
    case $name in
      $glob)
        [ "$dict" = - ] || echo "$MTPROOF_ROOT/fuzz/dict/$dict"
        return 0 ;;
    esac
  done <"$MTPROOF_ROOT/fuzz/dict/targets"
}

# fuzz_seed_dirs NAME: NAME's seed directories, one a line: corpora/NAME first, then those of
# fuzz/seed_dirs (read only; e.g. harness/scenarios for the scenario target).
fuzz_seed_dirs() {
  local name=$1 t d
  echo "$MTPROOF_ROOT/corpora/$name"
  while read -r t d; do
    [ "$t" = "$name" ] || continue
    for d in $d; do echo "$MTPROOF_ROOT/$d"; done
  done <"$MTPROOF_ROOT/fuzz/seed_dirs"
}

# fuzz_check_targets NAME...: fails naming any NAME that has no fuzz/fuzz_<name>.c.
fuzz_check_targets() {
  local n ok=0
  for n in "$@"; do
    [ -f "$MTPROOF_ROOT/fuzz/fuzz_$n.c" ] || { echo "no such target: $n (fuzz/fuzz_$n.c)" >&2; ok=1; }
  done
  return $ok
}
