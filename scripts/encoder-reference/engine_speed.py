#!/usr/bin/env python3
"""Speed and peak memory of `portevoix sentiment` per engine, same machine, same run.

    python3 scripts/encoder-reference/engine_speed.py target/release/portevoix MODEL_DIR [TWEETS] [PASSES]

Pipes the first TWEETS airline tweets (default 2,000; one per line, newlines inside a tweet replaced
by spaces) into `portevoix sentiment --engine E --lang en -` for E in model, encoder (with
--encoder MODEL_DIR), on one thread (RAYON_NUM_THREADS=1), PASSES times each (default 3), the engines
interleaved so that both see the same load. For each run: wall time, CPU time (user + system of the
child, from os.wait4) and peak resident memory (ru_maxrss). Prints a Markdown table of the medians:
tweets per second of wall time, tweets per CPU-second (per core), peak RSS; and the load average.
Model loading is included (the command as a user runs it); the encoder's load is about 0.3 s.
"""
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time

DATA = os.environ.get("PORTEVOIX_DATASETS",
                      os.path.join(os.path.dirname(__file__), "../../../shared/datasets"))


def run(binary, args, stdin_path):
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    with open(stdin_path, "rb") as stdin, open(os.devnull, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([binary, *args], stdin=stdin, stdout=out, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{binary} {' '.join(args)} failed: {err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def main():
    binary, model_dir = sys.argv[1], sys.argv[2]
    tweets = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    passes = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    with open(os.path.join(DATA, "airline-sentiment/tweets.csv"), newline="", encoding="utf-8") as f:
        texts = [row["text"].replace("\r", " ").replace("\n", " ") for row in csv.DictReader(f)][:tweets]
    engines = {
        "model (linear, embedded)": ["sentiment", "--engine", "model", "--lang", "en", "-"],
        "encoder (all-MiniLM-L6-v2 + head)": ["sentiment", "--engine", "encoder", "--encoder", model_dir,
                                              "--lang", "en", "-"],
    }
    results = {name: [] for name in engines}
    load_before = os.getloadavg()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(texts) + "\n")
        path = f.name
    try:
        for _ in range(passes):
            for name, args in engines.items():
                results[name].append(run(binary, args, path))
    finally:
        os.unlink(path)
    load_after = os.getloadavg()
    print(f"{len(texts)} airline tweets, one thread (RAYON_NUM_THREADS=1), medians of {passes} runs, "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after\n")
    print("| engine | wall (s) | CPU (s) | tweets/s (wall) | tweets per CPU-second | peak RSS (MiB) |")
    print("|---|---:|---:|---:|---:|---:|")
    medians = {}
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        rss = statistics.median(r[2] for r in runs)
        medians[name] = cpu
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {len(texts) / wall:.0f} | {len(texts) / cpu:.0f} | {rss:.0f} |")
    names = list(medians)
    print(f"\nCPU-time ratio encoder / model: {medians[names[1]] / medians[names[0]]:.0f}x")


if __name__ == "__main__":
    main()
