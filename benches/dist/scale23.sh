#!/usr/bin/env bash
# Kronecker scale 23 (134M edges): the distributed engine beside the local one,
# and peak memory per process with 2 processes against the single process.
# Needs about 8 GiB of memory and 3 GiB of disk in $TMP; run on a quiet machine.
#
#   bash benches/dist/scale23.sh            # writes benches/dist/results-scale23.md
set -euo pipefail
cd "$(dirname "$0")/../.."
TMP="${TMP:-/tmp}"
cargo build --release -p portevoix-cli --features timely
cargo build --release --example kronecker
# QUICK=1 skips timely 1 x 1 and 1 x 2 (the memory comparison needs only the
# local engine and 2 x 1).
python3 benches/dist/bench.py --scale 23 --processes 2 --repeat "${REPEAT:-1}" --tmp "$TMP" \
  ${QUICK:+--skip-timely-single} --out benches/dist/results-scale23.md
