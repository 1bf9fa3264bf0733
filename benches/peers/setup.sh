#!/usr/bin/env bash
# Create benches/peers/.venv and install the pinned peers. Idempotent: re-running
# it only installs what is missing or differs from requirements.txt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
venv="$here/.venv"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
# Binary wheels only: a peer that would need compiling from source here (no
# wheel for this Python/platform) must fail loudly, not build for 20 minutes.
"$venv/bin/python" -m pip install --quiet --only-binary=:all: -r "$here/requirements.txt"
"$venv/bin/python" - <<'PY'
import importlib.metadata as md
for d in ["numpy", "scipy", "pandas", "pyarrow", "networkx", "igraph", "networkit",
          "rustworkx", "scikit-network", "vaderSentiment", "PyNetIM"]:
    print(f"{d}=={md.version(d)}")
PY
echo "peers venv ready: $venv"
