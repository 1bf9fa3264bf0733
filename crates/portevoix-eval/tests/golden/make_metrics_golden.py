#!/usr/bin/env python3
"""Writes metrics.json: scipy / scikit-learn reference values for the metrics
of portevoix_eval::metrics, checked by tests/metrics_oracle.rs.

Run from anywhere (needs numpy, scipy, scikit-learn):

    python3 -m venv /tmp/evalvenv && /tmp/evalvenv/bin/pip install scipy scikit-learn
    /tmp/evalvenv/bin/python crates/portevoix-eval/tests/golden/make_metrics_golden.py

Real-data vectors (rebuilt identically by the Rust test): the first 2,000
distinct accounts of the Higgs sample, in order of first appearance on the
lines `A B unix_time RT|MT|RE` (A before B). For each account:
  out_all  = lines with the account as A,      in_all = lines with it as B,
  in_early = B-lines among the first 30,000,   in_late = B-lines after them,
  rt_in / mt_in / re_in = B-lines of each kind.
Floats are written as JSON numbers, or the strings "nan", "inf", "-inf".

Precision@k and NDCG@k have no scipy/sklearn function with index
tie-breaking; they are computed here directly from the definitions, and
NDCG is cross-checked against sklearn.metrics.ndcg_score where the scores
have no ties.
"""

import gzip
import json
import math
import os
import sys
import warnings

import numpy as np
import scipy
import sklearn
from scipy.stats import kendalltau, spearmanr
from sklearn.metrics import accuracy_score, average_precision_score, f1_score, ndcg_score, roc_auc_score

warnings.simplefilter("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../../../.."))
HIGGS = os.path.join(ROOT, "datasets/higgs-sample/higgs-activity_time.first60000.txt.gz")
ACCOUNTS = 2000
EARLY_LINES = 30000


def enc(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def higgs_vectors():
    first = {}
    lines = []
    with gzip.open(HIGGS, "rt") as f:
        for line in f:
            a, b, _t, kind = line.split()
            lines.append((int(a), int(b), kind))
            for u in (int(a), int(b)):
                if u not in first and len(first) < ACCOUNTS:
                    first[u] = len(first)
    names = ["out_all", "in_all", "in_early", "in_late", "rt_in", "mt_in", "re_in"]
    vec = {k: [0] * ACCOUNTS for k in names}
    for li, (a, b, kind) in enumerate(lines):
        if a in first:
            vec["out_all"][first[a]] += 1
        if b in first:
            j = first[b]
            vec["in_all"][j] += 1
            vec["in_early" if li < EARLY_LINES else "in_late"][j] += 1
            vec[kind.lower() + "_in"][j] += 1
    return {k: [float(x) for x in v] for k, v in vec.items()}


def bucket(c):
    """Degree class; class 5 never occurs (absent-class case)."""
    if c == 0:
        return 0
    if c == 1:
        return 1
    if c <= 3:
        return 2
    if c <= 10:
        return 3
    return 4


def top_k(v, k):
    """Indices of the min(k, n) largest, NaN last, ties by index."""
    key = lambda i: (1 if math.isnan(v[i]) else 0, 0.0 if math.isnan(v[i]) else -v[i], i)
    return sorted(range(len(v)), key=key)[: min(k, len(v))]


def precision_at_k(s, rel, k):
    top = top_k(s, k)
    return float("nan") if not top else sum(1 for i in top if rel[i]) / len(top)


def precision_at_k_outcome(s, o, k):
    top = top_k(s, k)
    if not top:
        return float("nan")
    return len(set(top) & set(top_k(o, k))) / len(top)


def ndcg_at_k(s, g, k):
    """None when the ideal DCG is not positive."""
    if any(math.isnan(x) for x in g):
        return None
    dcg = lambda order: sum(g[i] / math.log2(r + 2) for r, i in enumerate(order))
    ideal = dcg(top_k(g, k))
    if not ideal > 0:
        return None
    return dcg(top_k(s, k)) / ideal


def tau(x, y):
    return float(kendalltau(x, y).statistic) if len(x) >= 2 else float("nan")


def rho(x, y):
    return float(spearmanr(x, y).statistic) if len(x) >= 2 else float("nan")


def auc(s, y):
    if any(math.isnan(v) for v in s) or len(set(y)) < 2:
        return float("nan")  # sklearn raises here
    # sklearn rejects infinities; ±1.7e308 ranks the same among these values.
    s = np.clip(np.array(s), -1.7e308, 1.7e308)
    return float(roc_auc_score(np.array(y, dtype=int), s))


def ap(s, y):
    if any(math.isnan(v) for v in s) or not any(y):
        return float("nan")  # sklearn warns and returns 0 without positives
    s = np.clip(np.array(s), -1.7e308, 1.7e308)
    return float(average_precision_score(np.array(y, dtype=int), s))


cases = {"corr": [], "auc": [], "rank": [], "cls": [], "ap": []}


def add_corr(name, x, y):
    cases["corr"].append({
        "name": name, "x": [enc(v) for v in x], "y": [enc(v) for v in y],
        "tau_b": enc(tau(x, y)), "rho": enc(rho(x, y)),
    })


def add_auc(name, s, y):
    cases["auc"].append({
        "name": name, "scores": [enc(v) for v in s], "positive": [bool(b) for b in y],
        "auc": enc(auc(s, y)),
    })


def add_ap(name, s, y):
    cases["ap"].append({
        "name": name, "scores": [enc(v) for v in s], "positive": [bool(b) for b in y],
        "ap": enc(ap(s, y)),
    })


def add_rank(name, s, g, ks):
    rel = [v > 0 for v in g]
    out = []
    for k in ks:
        nd = ndcg_at_k(s, g, k)
        if nd is not None and len(set(s)) == len(s) and k >= 1 and len(s) >= 2:
            sk = ndcg_score([g], [s], k=k, ignore_ties=True)
            assert abs(sk - nd) <= 1e-12 * max(1.0, abs(nd)), (name, k, sk, nd)
        out.append({
            "k": k,
            "precision": enc(precision_at_k(s, rel, k)),
            "precision_outcome": enc(precision_at_k_outcome(s, g, k)),
            "ndcg": None if nd is None else enc(nd),
        })
    cases["rank"].append({
        "name": name, "scores": [enc(v) for v in s], "gains": [enc(v) for v in g], "at": out,
    })


def add_cls(name, pred, truth, classes):
    cases["cls"].append({
        "name": name, "predicted": pred, "truth": truth, "classes": classes,
        "macro_f1": enc(f1_score(truth, pred, average="macro", zero_division=0)),
        "accuracy": enc(accuracy_score(truth, pred)),
    })


def main():
    h = higgs_vectors()
    # Real data: inputs are not stored, the Rust test rebuilds them.
    real = {"sums": {k: sum(v) for k, v in h.items()}, "checks": []}
    rc = real["checks"]

    def real_corr(x, y):
        rc.append({"metric": "corr", "x": x, "y": y,
                   "tau_b": enc(tau(h[x], h[y])), "rho": enc(rho(h[x], h[y]))})

    for x, y in [("out_all", "in_all"), ("in_early", "in_late"), ("rt_in", "mt_in"),
                 ("re_in", "out_all"), ("in_all", "in_all")]:
        real_corr(x, y)
    for s, y in [("in_early", "in_late"), ("out_all", "in_all"), ("rt_in", "re_in")]:
        rc.append({"metric": "auc", "scores": s, "positive": y,
                   "auc": enc(auc(h[s], [v > 0 for v in h[y]]))})
    for s, g in [("in_early", "in_late"), ("out_all", "in_all"), ("mt_in", "rt_in")]:
        for k in [1, 10, 100, 500, 2000, 5000]:
            nd = ndcg_at_k(h[s], h[g], k)
            rc.append({"metric": "rank", "scores": s, "gains": g, "k": k,
                       "precision": enc(precision_at_k(h[s], [v > 0 for v in h[g]], k)),
                       "precision_outcome": enc(precision_at_k_outcome(h[s], h[g], k)),
                       "ndcg": None if nd is None else enc(nd)})
    for p, t in [("in_early", "in_late"), ("out_all", "in_all"), ("rt_in", "in_all")]:
        pred = [bucket(int(v)) for v in h[p]]
        truth = [bucket(int(v)) for v in h[t]]
        rc.append({"metric": "cls", "predicted": p, "truth": t, "classes": 6,
                   "macro_f1": enc(f1_score(truth, pred, average="macro", zero_division=0)),
                   "accuracy": enc(accuracy_score(truth, pred))})

    # Adversarial vectors.
    nan, inf = float("nan"), float("inf")
    rng = np.random.default_rng(20261122)
    add_corr("n2_up", [1.0, 2.0], [3.0, 5.0])
    add_corr("n2_down", [1.0, 2.0], [5.0, 3.0])
    add_corr("n1", [1.0], [2.0])
    add_corr("empty", [], [])
    add_corr("const_x", [4.0] * 5, [1.0, 2.0, 3.0, 4.0, 5.0])
    add_corr("const_y", [1.0, 2.0, 3.0, 4.0, 5.0], [0.0] * 5)
    add_corr("nan_x", [1.0, nan, 3.0], [1.0, 2.0, 3.0])
    add_corr("heavy_ties", [0, 0, 0, 1, 1, 2, 2, 2, 2, 3], [1, 0, 1, 1, 0, 2, 2, 1, 3, 3])
    add_corr("signed_zero_inf", [-0.0, 0.0, inf, -inf, 1.0, 1.0], [1.0, 2.0, 3.0, 0.0, 2.0, 2.0])
    add_corr("all_tied_pairs", [1, 1, 2, 2, 3, 3], [5, 5, 4, 4, 3, 3])
    add_corr("binary", [0, 1, 0, 1, 1, 0, 0, 1], [1, 1, 0, 1, 0, 0, 0, 1])
    for t in range(4):
        n = int(rng.integers(3, 300))
        x = rng.integers(0, 6, n).astype(float).tolist()
        y = (np.array(x) * rng.choice([-1, 1]) + rng.integers(0, 4, n)).tolist()
        add_corr(f"random_ties_{t}", x, y)
    x = rng.normal(size=500).tolist()
    add_corr("continuous", x, (np.array(x) + rng.normal(size=500)).tolist())

    add_auc("doc", [0.1, 0.4, 0.35, 0.8], [False, False, True, True])
    add_auc("n2", [0.3, 0.2], [True, False])
    add_auc("all_tied", [1.0] * 6, [True, False, True, False, False, True])
    add_auc("heavy_ties", [0, 0, 1, 1, 1, 2, 2, 3], [False, True, False, True, True, False, True, True])
    add_auc("one_class", [0.1, 0.2, 0.3], [True, True, True])
    add_auc("nan_score", [0.1, nan, 0.3], [True, False, True])
    add_auc("inf", [-inf, 0.0, inf, 1.0], [False, False, True, True])
    for t in range(3):
        n = int(rng.integers(5, 400))
        s = rng.integers(0, 8, n).astype(float).tolist()
        y = (rng.random(n) < 0.3).tolist()
        add_auc(f"random_ties_{t}", s, y)

    add_rank("doc", [0.9, 0.1, 0.5, 0.5], [1.0, 0.0, 0.0, 1.0], [0, 1, 2, 3, 4, 10])
    add_rank("distinct", [0.3, 0.9, 0.1, 0.7, 0.5], [0.0, 3.0, 1.0, 2.0, 0.0], [1, 2, 3, 5])
    add_rank("zero_gains", [1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1, 3])
    add_rank("all_tied_scores", [1.0] * 5, [0.0, 1.0, 0.0, 2.0, 3.0], [1, 2, 5])
    add_rank("nan_score", [nan, 0.5, 0.2, nan], [2.0, 1.0, 0.0, 0.0], [1, 2, 4])
    add_rank("n2", [0.0, 1.0], [1.0, 0.0], [1, 2])
    add_rank("empty", [], [], [0, 3])
    s = rng.permutation(200).astype(float).tolist()
    g = rng.integers(0, 4, 200).astype(float).tolist()
    add_rank("random_distinct", s, g, [1, 5, 20, 100, 200])

    add_cls("doc", [0, 1, 1, 1], [0, 0, 1, 1], 3)
    add_cls("absent_class", [0, 0, 2, 2, 2], [0, 2, 2, 0, 2], 4)
    add_cls("never_right", [1, 1, 1], [0, 0, 2], 3)
    add_cls("perfect", [2, 0, 1], [2, 0, 1], 3)
    for t in range(3):
        n = int(rng.integers(5, 300))
        add_cls(f"random_{t}", rng.integers(0, 5, n).tolist(), rng.integers(0, 4, n).tolist(), 6)

    # Average precision (added after the cases above, so that their random
    # draws are unchanged).
    for s, y in [("in_early", "in_late"), ("out_all", "in_all"), ("rt_in", "re_in")]:
        rc.append({"metric": "ap", "scores": s, "positive": y,
                   "ap": enc(ap(h[s], [v > 0 for v in h[y]]))})
    add_ap("doc", [0.1, 0.4, 0.35, 0.8], [False, False, True, True])
    add_ap("n2", [0.3, 0.2], [False, True])
    add_ap("all_tied", [1.0] * 6, [True, False, True, False, False, True])
    add_ap("heavy_ties", [0, 0, 1, 1, 1, 2, 2, 3], [False, True, False, True, True, False, True, True])
    add_ap("no_positive", [0.1, 0.2, 0.3], [False, False, False])
    add_ap("all_positive", [0.1, 0.2, 0.2], [True, True, True])
    add_ap("nan_score", [0.1, nan, 0.3], [True, False, True])
    add_ap("inf_and_signed_zero", [-inf, -0.0, 0.0, inf, 1.0], [False, True, False, True, True])
    for t in range(3):
        n = int(rng.integers(5, 400))
        s = rng.integers(0, 8, n).astype(float).tolist()
        y = (rng.random(n) < 0.3).tolist()
        add_ap(f"random_ties_{t}", s, y)
    s = rng.normal(size=300).tolist()
    add_ap("continuous", s, (rng.random(300) < 0.4).tolist())

    out = {
        "generator": "tests/golden/make_metrics_golden.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                     "scipy": scipy.__version__, "sklearn": sklearn.__version__},
        "higgs": {"path": "datasets/higgs-sample/higgs-activity_time.first60000.txt.gz",
                  "accounts": ACCOUNTS, "early_lines": EARLY_LINES, **real},
        **cases,
    }
    with open(os.path.join(HERE, "metrics.json"), "w") as f:
        json.dump(out, f, indent=1, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
