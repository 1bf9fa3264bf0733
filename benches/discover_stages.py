#!/usr/bin/env python3
"""Median time of every stage of `portevoix discover`, end to end, on the
airline tweets and the whole Higgs activity log (and any other case given).

    python3 benches/discover_stages.py [--repeat 5] [--binary target/release/portevoix]

Runs `portevoix discover --timings` REPEAT times per case (report written to
/dev/null), reads the stage times it prints on standard error, and prints a
Markdown table of the medians (seconds) with the peak resident memory (the
largest over the runs, from wait4), for BENCHMARKS.md.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("PORTEVOIX_DATASETS", os.path.join(os.path.dirname(ROOT), "shared", "datasets"))

CASES = [
    ("airline tweets, advocacy (jsonl, every candidate)", "examples/campaigns/airline.toml",
     [os.path.join(DATA, "airline-sentiment/tweets.csv")], "jsonl", None),
    ("Higgs activity, awareness (table, top 25)", "examples/campaigns/higgs.toml",
     [os.path.join(DATA, "higgs-twitter/higgs-activity_time.txt.gz")], "table", None),
    ("Higgs activity, awareness (jsonl, top 1000)", "examples/campaigns/higgs.toml",
     [os.path.join(DATA, "higgs-twitter/higgs-activity_time.txt.gz")], "jsonl", 1000),
    ("fr-media, consideration (jsonl)", "examples/campaigns/fr-media.toml",
     [os.path.join(DATA, "fr-media/fusion.json"), os.path.join(DATA, "fr-media/twitter-accounts.json")],
     "jsonl", None),
    ("Bitcoin OTC, trust (jsonl)", "examples/campaigns/bitcoin-otc.toml",
     [os.path.join(DATA, "bitcoin-otc/soc-sign-bitcoinotc.csv")], "jsonl", None),
]

STAGES = ["read", "build", "context", "signals", "communities", "scores", "classes",
          "explanations", "report", "total"]


def run(binary, campaign, inputs, report, top):
    cmd = [binary, "discover", "--campaign", os.path.join(ROOT, campaign), "--report", report,
           "--timings", "--out", "/dev/null"]
    if top:
        cmd += ["--top", str(top)]
    cmd += inputs
    # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would be the
    # largest over every child so far).
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{stderr}")
    line = next(l for l in stderr.splitlines() if l.startswith("timings (s):"))
    times = {k: float(v) for k, v in re.findall(r"(\w+) ([0-9.]+)", line)}
    return times, usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/portevoix"))
    args = ap.parse_args()
    print("| case | " + " | ".join(STAGES) + " | peak RSS |")
    print("|---" * (len(STAGES) + 2) + "|")
    for name, campaign, inputs, report, top in CASES:
        if not all(os.path.exists(i) for i in inputs):
            print(f"| {name} | missing data |")
            continue
        runs = []
        peak = 0
        for _ in range(args.repeat):
            times, rss = run(args.binary, campaign, inputs, report, top)
            runs.append(times)
            peak = max(peak, rss)
        medians = [statistics.median(r.get(s, 0.0) for r in runs) for s in STAGES]
        print(f"| {name} | " + " | ".join(f"{m:.3f}" for m in medians) + f" | {peak / 1024:.0f} MiB |")


if __name__ == "__main__":
    main()
