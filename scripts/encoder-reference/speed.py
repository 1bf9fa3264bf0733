#!/usr/bin/env python3
"""sentence-transformers' speed on the tweets that examples/encoder_speed.rs embeds, for comparison.

    HF_HUB_OFFLINE=1 /tmp/encoder-venv/bin/python scripts/encoder-reference/speed.py MODEL_DIR THREADS [BATCH ...]

Embeds the first 2,000 airline tweets (mentions -> @user, links -> http, as normalize_tweet does) on CPU,
float32, torch.set_num_threads(THREADS), one warm-up pass then three timed passes per batch size
(default 1 8 32 128); prints the median tweets/s and the peak resident memory of the process.
"""
import csv
import os
import resource
import sys
import time

import torch
from sentence_transformers import SentenceTransformer

DATA = os.environ.get("PORTEVOIX_DATASETS", os.path.join(os.path.dirname(__file__), "../../../shared/datasets"))


def normalize(text):
    return " ".join("@user" if w.startswith("@") and len(w) > 1 else "http" if w.startswith("http") else w
                    for w in text.split(" "))


def main():
    model_dir, threads = sys.argv[1], int(sys.argv[2])
    batches = [int(b) for b in sys.argv[3:]] or [1, 8, 32, 128]
    torch.set_num_threads(threads)
    model = SentenceTransformer(model_dir, device="cpu")
    with open(os.path.join(DATA, "airline-sentiment/tweets.csv"), newline="", encoding="utf-8") as f:
        tweets = [normalize(row["text"]) for _, row in zip(range(2000), csv.DictReader(f))]
    print(f"sentence-transformers, torch {torch.__version__}, {threads} thread(s), {len(tweets)} tweets")
    print("| batch | tweets/s | tweets/s per thread |\n|---:|---:|---:|")
    for batch in batches:
        model.encode(tweets, batch_size=batch)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            model.encode(tweets, batch_size=batch)
            times.append(time.perf_counter() - start)
        rate = len(tweets) / sorted(times)[1]
        print(f"| {batch} | {rate:.0f} | {rate / threads:.0f} |")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
