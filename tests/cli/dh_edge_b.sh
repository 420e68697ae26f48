#!/usr/bin/env bash
# The fixed exponents b= of the DH edge scenarios are reproduced by their script
# (harness/scenarios/tools/dh_edge_b.py): a value cannot drift from its documented derivation.
# Usage: dh_edge_b.sh MTPROOF_BINARY SOURCE_DIR
set -euo pipefail
python3 "$2/harness/scenarios/tools/dh_edge_b.py" --check "$2/harness/scenarios"
