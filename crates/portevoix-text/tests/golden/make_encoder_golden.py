#!/usr/bin/env python3
"""Reference sentence vectors of all-MiniLM-L6-v2 for `tests/encoder_fidelity.rs`.

The reference is sentence-transformers itself (pinned in scripts/encoder-reference/requirements.txt),
loading the same model directory that the Rust encoder reads, on CPU in float32, one thread.

Run from the repository root:

    python3 -m venv /tmp/encoder-venv
    /tmp/encoder-venv/bin/pip install --only-binary=:all: -r scripts/encoder-reference/requirements.txt
    scripts/fetch-encoder.sh /tmp/minilm
    HF_HUB_OFFLINE=1 /tmp/encoder-venv/bin/python crates/portevoix-text/tests/golden/make_encoder_golden.py /tmp/minilm

It writes `encoder_minilm.jsonl.gz`: a first line {"meta": {...}} (versions, model directory files,
max_seq_length), then one line per text {"source", "text", "ids", "embedding"}: the token ids of the
model's tokenizer (truncated to max_seq_length, [CLS] and [SEP] included) and the unit-length vector of
`SentenceTransformer.encode` (mean pooling, normalisation), each coordinate with 7 significant digits.

Texts, all real except the edge cases:
* the first 120 rows of airline-sentiment/tweets.csv (column text), as published;
* the first 120 lines of sentiment-train/tweeteval-en/val_text.txt;
* 40 rows of sentiment-train/semeval2017-en/train/twitter-2016train-A.tsv (every 150th), with their
  literal \\uXXXX and \\" escapes decoded;
* edge cases: empty, spaces only, emoji only, a flag, accents, French, Japanese, control characters,
  and a text longer than max_seq_length tokens (truncation).

The datasets directory is $PORTEVOIX_DATASETS or ../shared/datasets from the repository root.
"""
import csv
import gzip
import json
import os
import re
import sys

import numpy as np
import sentence_transformers
import tokenizers
import torch
import transformers
from sentence_transformers import SentenceTransformer

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("PORTEVOIX_DATASETS", os.path.join(HERE, "../../../../../shared/datasets"))


def decode_semeval(text):
    """SemEval's downloaded texts carry JSON escapes: \\uXXXX (with surrogate pairs) and \\"."""
    def unicode(m):
        return chr(int(m.group(1), 16))
    text = re.sub(r"\\u([0-9a-fA-F]{4})", unicode, text)
    text = text.encode("utf-16", "surrogatepass").decode("utf-16")
    return text.replace('\\"', '"')


def texts():
    out = []
    with open(os.path.join(DATA, "airline-sentiment/tweets.csv"), newline="", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if i == 120:
                break
            out.append(("airline", row["text"]))
    with open(os.path.join(DATA, "sentiment-train/tweeteval-en/val_text.txt"), encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i == 120:
                break
            out.append(("tweeteval-val", line.rstrip("\n")))
    path = os.path.join(DATA, "sentiment-train/semeval2017-en/train/twitter-2016train-A.tsv")
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 150 == 0:
                out.append(("semeval-2016train", decode_semeval(line.rstrip("\n").split("\t")[2])))
    long_text = " ".join(["@united flight 1142 delayed again, lost my bag and nobody answers"] * 30)
    for text in ["", "   ", "😂😂😂", "🇫🇷", "Ça a l'air génial, merci l'équipage !",
                 "C'est vraiment nul, deux heures de retard", "日本語のツイートです",
                 "tab\there\x00null\x07bell", "THANK YOU @United!!! :) <3", long_text]:
        out.append(("edge", text))
    return out


def main():
    model_dir = sys.argv[1]
    torch.set_num_threads(1)
    model = SentenceTransformer(model_dir, device="cpu")
    items = texts()
    sentences = [t for _, t in items]
    vectors = model.encode(sentences, batch_size=32, convert_to_numpy=True)
    assert vectors.dtype == np.float32 and vectors.shape == (len(sentences), 384)
    norms = np.linalg.norm(vectors, axis=1)
    assert np.all(np.abs(norms - 1) < 1e-5), norms
    max_len = model.max_seq_length
    ids = model.tokenizer(sentences, truncation=True, max_length=max_len)["input_ids"]
    meta = {
        "model_dir_files": sorted(os.listdir(model_dir)),
        "max_seq_length": max_len,
        "sentence_transformers": sentence_transformers.__version__,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "numpy": np.__version__,
        "texts": len(sentences),
    }
    path = os.path.join(HERE, "encoder_minilm.jsonl.gz")
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(json.dumps({"meta": meta}) + "\n")
        for (source, text), token_ids, vector in zip(items, ids, vectors):
            row = {"source": source, "text": text, "ids": token_ids,
                   "embedding": [float(f"{v:.7g}") for v in vector.tolist()]}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(items)} vectors to {path}")


if __name__ == "__main__":
    main()
