#!/usr/bin/env python3
"""Writes trust_bitcoin_otc.json.gz: fairness-goodness (Kumar et al., ICDM 2016)
and REV2 (Kumar et al., WSDM 2018) on Bitcoin OTC, computed by an independent
pure-Python implementation, checked by tests/kernels_trust.rs.

Run from the repository root (plain CPython 3, no package needed):

    python3 crates/portevoix-graph/tests/golden/make_trust_golden.py

Input: ../shared/datasets/bitcoin-otc/soc-sign-bitcoinotc.csv (or
$PORTEVOIX_DATASETS/bitcoin-otc/...), `SOURCE,TARGET,RATING,TIME`, one rating
per ordered pair, no self-rating. Ratings are divided by 10 (the -10..+10
scale), as the authors' code does.

Fairness-goodness follows the authors' `compute_fairness_goodness` (goodness
of every node from the current fairness, then fairness of every node from the
new goodness; f = 1 and g = mean rating received to start; a node never rated
keeps g = 0, one that rated nobody keeps f = 1), run to a total L1 change
below 1e-13.

REV2 follows the paper's formulas with the reference code's priors and order
(rev2code.py): per iteration, goodness from the current reliabilities with
the median goodness of the rated nodes as prior, reliabilities from the
current fairness and the new goodness, fairness from the new reliabilities
with the median fairness of the raters as prior; F = G = R = 1 to start (or
the behavioural scores). Unlike rev2code.py, goodness divides by
beta1 + beta2 + |In(p)| (the paper) instead of beta1 + beta2 + 1. Cases:
  rev2_default   alpha1..gamma3 = 1, median prior, no behavioural scores
  rev2_custom    (alpha1, alpha2, beta1, beta2, gamma1, gamma2, gamma3) =
                 (2, 1, 0.5, 2, 1, 2, 0.5), mean prior, behavioural scores
                 IF(u) = (37*id(u) % 101) / 100, q(p) = (53*id(p) % 101) / 100,
                 IR(u, p) = ((7*id(u) + 13*id(p)) % 101) / 100 (id = the
                 numeric account id): arbitrary but fixed, to exercise every term.
"""

import csv
import gzip
import json
import os
import statistics

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../../../.."))
DATA = os.environ.get("PORTEVOIX_DATASETS") or os.path.join(ROOT, "../shared/datasets")
OTC = os.path.join(DATA, "bitcoin-otc/soc-sign-bitcoinotc.csv")
TOL = 1e-13


def load():
    ids, index, edges = [], {}, []
    with open(OTC, newline="") as f:
        for src, dst, rating, _time in csv.reader(f):
            for x in (src, dst):
                if x not in index:
                    index[x] = len(ids)
                    ids.append(x)
            edges.append((index[src], index[dst], int(rating) / 10.0))
    return ids, edges


def adjacency(n, edges):
    ins = [[] for _ in range(n)]
    outs = [[] for _ in range(n)]
    for k, (u, v, w) in enumerate(edges):
        ins[v].append((u, w, k))
        outs[u].append((v, w, k))
    return ins, outs


def fairness_goodness(n, edges):
    ins, outs = adjacency(n, edges)
    f = [1.0] * n
    g = [sum(w for _, w, _ in ins[v]) / len(ins[v]) if ins[v] else 0.0 for v in range(n)]
    it = 0
    while it < 1000:
        it += 1
        ng = [sum(f[u] * w for u, w, _ in ins[v]) / len(ins[v]) if ins[v] else g[v] for v in range(n)]
        nf = [sum(1.0 - abs(w - ng[v]) / 2.0 for v, w, _ in outs[u]) / len(outs[u]) if outs[u] else f[u]
              for u in range(n)]
        d = sum(abs(a - b) for a, b in zip(nf, f)) + sum(abs(a - b) for a, b in zip(ng, g))
        f, g = nf, ng
        if d < TOL:
            break
    return {"fairness": f, "goodness": g, "iterations": it}


def rev2(n, edges, w, prior="median", behaviour=None):
    a1, a2, b1, b2, c1, c2, c3 = w
    ins, outs = adjacency(n, edges)
    m = len(edges)
    if behaviour is None:
        a2 = b2 = c3 = 0.0
        IF, IG, IR = [1.0] * n, [1.0] * n, [1.0] * m
    else:
        IF, q, IR = behaviour
        IG = [2.0 * x - 1.0 for x in q]
    F, G, R = list(IF), list(IG), list(IR)
    raters = [u for u in range(n) if outs[u]]
    rated = [p for p in range(n) if ins[p]]
    agg = statistics.median if prior == "median" else statistics.fmean
    it = 0
    while it < 1000:
        it += 1
        mu_g = agg([G[p] for p in rated])
        NG = []
        for p in range(n):
            num = b1 * mu_g + b2 * IG[p] + sum(R[k] * s for _, s, k in ins[p])
            den = b1 + b2 + len(ins[p])
            NG.append(num / den if den > 0 else 0.0)
        NR = [0.0] * m
        for k, (u, p, s) in enumerate(edges):
            NR[k] = (c1 * F[u] + c2 * (1.0 - abs(s - NG[p]) / 2.0) + c3 * IR[k]) / (c1 + c2 + c3)
        mu_f = agg([F[u] for u in raters])
        NF = []
        for u in range(n):
            num = a1 * mu_f + a2 * IF[u] + sum(NR[k] for _, _, k in outs[u])
            den = a1 + a2 + len(outs[u])
            NF.append(num / den if den > 0 else 1.0)
        d = (sum(abs(x - y) for x, y in zip(NF, F)) + sum(abs(x - y) for x, y in zip(NG, G))
             + sum(abs(x - y) for x, y in zip(NR, R)))
        F, G, R = NF, NG, NR
        if d < TOL:
            break
    # Reliabilities in file order (the Rust side finds each row's out-edge).
    return {"fairness": F, "goodness": G, "reliability": R, "iterations": it}


ids, edges = load()
n = len(ids)
num = [int(x) for x in ids]
behaviour = (
    [(37 * num[u] % 101) / 100 for u in range(n)],
    [(53 * num[p] % 101) / 100 for p in range(n)],
    [((7 * num[u] + 13 * num[p]) % 101) / 100 for u, p, _ in edges],
)
out = {
    "generator": "tests/golden/make_trust_golden.py",
    "data": "bitcoin-otc/soc-sign-bitcoinotc.csv",
    "ids": ids,
    "fg": fairness_goodness(n, edges),
    "rev2_default": rev2(n, edges, (1, 1, 1, 1, 1, 1, 1)),
    "rev2_custom": rev2(n, edges, (2, 1, 0.5, 2, 1, 2, 0.5), prior="mean", behaviour=behaviour),
}
# mtime=0: the same bytes on every run.
with gzip.GzipFile(os.path.join(HERE, "trust_bitcoin_otc.json.gz"), "wb", mtime=0) as f:
    f.write(json.dumps(out).encode())
print({k: v["iterations"] for k, v in out.items() if isinstance(v, dict) and "iterations" in v})
