#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build: every fuzz/fuzz_<name>.c becomes $OUT/<name>, with
# $OUT/<name>_seed_corpus.zip (corpora/<name>/) and $OUT/<name>.dict (fuzz/dict/targets).
# Honours $CC, $CFLAGS (sanitizers and coverage come from there), $LIB_FUZZING_ENGINE, $OUT and
# $WORK. The source tree is $MTPROOF_SRC, else $SRC/mtproof, else the tree this script is in.
# Local check (no Docker): CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link -g" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out fuzz/oss-fuzz/build.sh
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${MTPROOF_SRC:-}" ]; then
  root=$MTPROOF_SRC
elif [ -n "${SRC:-}" ] && [ -f "$SRC/mtproof/fuzz/lib.sh" ]; then
  root=$SRC/mtproof
else
  root=$(cd "$here/../.." && pwd)
fi
export MTPROOF_ROOT=$root
. "$root/fuzz/lib.sh"
: "${CC:?}" "${LIB_FUZZING_ENGINE:?}" "${OUT:?}"
work=${WORK:-$(mktemp -d)}/mtproof-build
mkdir -p "$OUT"

# Fuzzer mode (deterministic RNG, msg_key check skippable); no -Werror: the engine's flags are not
# ours to vet. MTPROOF_SANITIZE stays off because $CFLAGS already carries the sanitizer.
cmake -S "$root" -B "$work" -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="${CFLAGS:-}" \
  -DCMAKE_BUILD_TYPE=Release -DMTPROOF_TESTS=OFF -DMTPROOF_FUZZING_MODE=ON \
  -DMTPROOF_LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE" >/dev/null
targets=()
while read -r t; do targets+=("$t"); done < <(fuzz_targets)
cmake --build "$work" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

for t in "${targets[@]}"; do
  cp "$work/fuzz/fuzz_$t" "$OUT/$t"
  rm -f "$OUT/${t}_seed_corpus.zip"
  while read -r d; do # corpora/<t>/ and the seed directories of fuzz/seed_dirs
    (cd "$d" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
  done < <(fuzz_seed_dirs "$t")
  dict=$(fuzz_dict_for "$t")
  if [ -n "$dict" ]; then cp "$dict" "$OUT/$t.dict"; fi
done
echo "mtproof: built ${#targets[@]} fuzz targets into $OUT"
