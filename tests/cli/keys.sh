#!/usr/bin/env bash
# End-to-end test of `mtproof keygen` and `mtproof keyinfo`, including bad key files.
# Usage: keys.sh MTPROOF_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# expect CODE PATTERN CMD...: runs CMD, checks the exit code and that stdout+stderr match PATTERN.
expect() {
  local code=$1 pattern=$2; shift 2
  local out rc
  out=$("$@" 2>&1); rc=$?
  [ "$rc" -eq "$code" ] || fail "'$*' exited $rc, want $code: $out"
  grep -qE -- "$pattern" <<<"$out" || fail "'$*' output does not match '$pattern': $out"
}

# keyinfo on the committed keys: form, size and the known fingerprints.
expect 0 'fingerprint: 0xd09d1d85de64fd85 \(wire bytes 85fd64de851d9dd0\)' \
  "$bin" keyinfo "$src/vectors/keys/telegram_production_pub.pem"
expect 0 'PKCS#1 public key' "$bin" keyinfo "$src/vectors/keys/test_rsa2048_pub_pkcs1.pem"
expect 0 'SPKI public key' "$bin" keyinfo "$src/vectors/keys/test_rsa2048_pub_spki.pem"
expect 0 'PKCS#1 private key' "$bin" keyinfo "$src/vectors/keys/test_rsa2048.pem"
expect 0 'PKCS#8 private key' "$bin" keyinfo "$src/vectors/keys/test_rsa2048_pkcs8.pem"
expect 0 'bits: +2048' "$bin" keyinfo "$src/vectors/keys/test_rsa2048.pem"
fp=$("$bin" keyinfo "$src/vectors/keys/test_rsa2048.pem" | grep fingerprint)
for f in test_rsa2048_pub_pkcs1 test_rsa2048_pub_spki test_rsa2048_pkcs8; do
  [ "$("$bin" keyinfo "$src/vectors/keys/$f.pem" | grep fingerprint)" = "$fp" ] ||
    fail "$f: fingerprint differs from the private key's"
done

# keygen: a new key, mode 0600, loads with keyinfo, same fingerprint; no overwrite without --force.
out=$("$bin" keygen --out "$tmp/k.pem") || fail "keygen failed: $out"
grep -qE 'fingerprint: 0x[0-9a-f]{16}' <<<"$out" || fail "keygen printed no fingerprint: $out"
[ "$(stat -c %a "$tmp/k.pem")" = 600 ] || fail "key mode is $(stat -c %a "$tmp/k.pem"), want 600"
head -1 "$tmp/k.pem" | grep -q -- '-----BEGIN RSA PRIVATE KEY-----' || fail "not PKCS#1 PEM"
gen_fp=$(grep fingerprint <<<"$out" | sed 's/.*0x//')
info_fp=$("$bin" keyinfo "$tmp/k.pem" | grep fingerprint | sed 's/.*0x//')
[ "$gen_fp" = "$info_fp" ] || fail "keygen and keyinfo fingerprints differ: $gen_fp / $info_fp"
if command -v openssl >/dev/null; then
  openssl rsa -in "$tmp/k.pem" -check -noout >/dev/null 2>&1 || fail "openssl rejects the key"
fi
before=$(sha256sum "$tmp/k.pem")
expect 1 'already exists' "$bin" keygen --out "$tmp/k.pem"
[ "$(sha256sum "$tmp/k.pem")" = "$before" ] || fail "existing key was modified"
chmod 644 "$tmp/k.pem"
expect 0 'wrote' "$bin" keygen --out "$tmp/k.pem" --force
[ "$(sha256sum "$tmp/k.pem")" != "$before" ] || fail "--force did not replace the key"
[ "$(stat -c %a "$tmp/k.pem")" = 600 ] || fail "--force: mode is not 600"
expect 2 'required' "$bin" keygen
expect 2 'unexpected argument' "$bin" keygen --out "$tmp/x.pem" --bogus
expect 3 'cannot create' "$bin" keygen --out "$tmp/no/such/dir/k.pem"

# keyinfo on bad files: each message names what is wrong.
printf 'hello\n' >"$tmp/text"
expect 1 'not PEM' "$bin" keyinfo "$tmp/text"
sed 's/RSA PUBLIC KEY/CERTIFICATE/' "$src/vectors/keys/test_rsa2048_pub_pkcs1.pem" >"$tmp/cert.pem"
expect 1 "unknown PEM label 'CERTIFICATE'" "$bin" keyinfo "$tmp/cert.pem"
expect 1 'not an RSA key' "$bin" keyinfo "$src/vectors/keys/ec_p256_pub.pem"
# A DER error at a known offset: the modulus INTEGER (offset 4) given a negative sign.
printf -- '-----BEGIN RSA PUBLIC KEY-----\n%s\n-----END RSA PUBLIC KEY-----\n' \
  "$(printf '30060201850201 03' | tr -d ' ' | xxd -r -p | base64 -w0)" >"$tmp/neg.pem"
expect 1 'bad DER at offset 2' "$bin" keyinfo "$tmp/neg.pem"
sed '2s/^M/N/' "$src/vectors/keys/test_rsa2048.pem" >"$tmp/tag.pem"
expect 1 'bad DER at offset 0' "$bin" keyinfo "$tmp/tag.pem"
sed '3s/A/*/' "$src/vectors/keys/test_rsa2048.pem" >"$tmp/b64.pem"
expect 1 'bad base64' "$bin" keyinfo "$tmp/b64.pem"
head -n 10 "$src/vectors/keys/test_rsa2048.pem" >"$tmp/trunc.pem"
expect 1 'not PEM' "$bin" keyinfo "$tmp/trunc.pem"
printf -- '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----\n' >"$tmp/enc.pem"
expect 1 'encrypted' "$bin" keyinfo "$tmp/enc.pem"
# An inconsistent private key: one bit flipped inside qInv keeps the DER well-formed (needs
# python3 to re-armor it; skipped without).
python3 - "$src/vectors/keys/test_rsa2048.pem" "$tmp/incons.pem" <<'PY' 2>/dev/null && \
  expect 1 'inconsistent private key' "$bin" keyinfo "$tmp/incons.pem"
import base64, sys
lines = open(sys.argv[1]).read().split("\n")
der = bytearray(base64.b64decode("".join(l for l in lines if l and not l.startswith("-----"))))
der[-5] ^= 0x10  # inside qInv: DER still well-formed, the key no longer consistent
b = base64.b64encode(bytes(der)).decode()
body = "\n".join(b[i:i + 64] for i in range(0, len(b), 64))
open(sys.argv[2], "w").write("-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----\n")
PY
expect 3 'cannot open' "$bin" keyinfo "$tmp/missing.pem"
expect 2 'usage' "$bin" keyinfo
head -c 20000 /dev/zero >"$tmp/big"
expect 1 'too large' "$bin" keyinfo "$tmp/big"

[ "$fails" -eq 0 ] && echo "keys.sh: all checks passed"
exit $((fails > 0))
