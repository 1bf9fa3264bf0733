#!/usr/bin/env python3
"""Compares two graph-scores files (rank --all-signals --out) column by column.

Usage: compare_graph_scores.py A.csv B.csv [--max-l1 1e-9]

Prints, per signal, the L1 distance of the columns divided by the number of
accounts (the columns have mean 1, so this is the L1 distance of the
probability vectors for the PageRanks), the largest absolute difference and
the number of rows that differ. Exits 1 when the files cover different
accounts or signals, or when an L1 exceeds --max-l1 (hop2 must be equal).
"""
import csv
import sys


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return header, {r[0]: [float(x) for x in r[1:]] for r in body}


def main():
    args = sys.argv[1:]
    max_l1 = 1e-9
    if "--max-l1" in args:
        i = args.index("--max-l1")
        max_l1 = float(args[i + 1])
        del args[i : i + 2]
    (ha, a), (hb, b) = read(args[0]), read(args[1])
    if ha != hb or a.keys() != b.keys():
        print("different signals or accounts")
        return 1
    n = len(a)
    bad = False
    for j, name in enumerate(ha[1:]):
        diffs = [abs(a[k][j] - b[k][j]) for k in a]
        l1 = sum(diffs) / n
        differ = sum(d > 0 for d in diffs)
        print(f"{name}: L1/n {l1:.3e}, max |diff| {max(diffs):.3e}, rows differing {differ} of {n}")
        if (name == "reach.hop2" and differ) or l1 > max_l1:
            bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
