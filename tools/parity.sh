#!/usr/bin/env bash
# Runs the full parity check against transformers' references (6 directions x 1,000 lines, greedy
# and beam 4) and writes parity.json. Usage: tools/parity.sh [REFS_DIR] [extra parity options]
set -euo pipefail
cd "$(dirname "$0")/.."
refs=${1:-../shared/refs/m30k-mul-marian}
shift || true
[ -x build/parity ] || cmake --build build --target parity
build/parity "$refs" models/m30k-mul-marian "$@"
