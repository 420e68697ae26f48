#!/usr/bin/env bash
# MTPROOF_PORTABLE=1 runs the crypto through the portable code (no SHA-NI/AES-NI): the symmetric
# vector files must pass there too, through the shim subprocess, which inherits the setting.
set -euo pipefail
bin=$1
src=$2
out=$(MTPROOF_PORTABLE=1 "$bin" vectors "$src"/vectors/sha1.json "$src"/vectors/sha256.json \
  "$src"/vectors/aes256_ige.json "$src"/vectors/aes256_ctr.json "$src"/vectors/aes256_ecb.json \
  "$src"/vectors/published/*.json)
echo "$out" | tail -1
echo "$out" | tail -1 | grep -Eq '^[1-9][0-9]* passed, 0 failed, 0 skipped$'
"$bin" --help | grep -q MTPROOF_PORTABLE
echo "portable.sh: ok"
