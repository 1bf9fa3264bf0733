"""Leave-one-site-out choice of the relevance-first rule of tag campaigns (issue 12).

Input: the table written by the eval crate's example (the product's signals at the split, per topic and account of the
`topical` protocol's population, with the topic's future gains):

    PORTEVOIX_DATASETS=../shared/datasets cargo run --release -p portevoix-eval --example topical_features -- /tmp/tf.jsonl
    python3 scripts/topical_cv/loso.py /tmp/tf.jsonl [mult,add]     # needs numpy

The effective weights e_s of each topic's campaign (consideration objective) are recovered exactly from its additive
scores (least squares over the ungated rows; the residual is printed). A rule maps (e, normalised values) to a score;
gated rows score 0. Forms: mult = R (1 + lam O) / (1 + lam), add = (R + lam O) / (1 + lam), R and O the relevance and
other families' weighted means. For each held-out site the (form, lam) with the best mean NDCG@10 (macro over the
site's topics, mean over the three other sites) is chosen and scored on the held-out site: those are the numbers to
report; the final choice is the best mean over the four sites.
"""
import collections
import json
import math
import sys

import numpy as np


def load(path):
    sites, sig = collections.OrderedDict(), {}
    for line in open(path):
        r = json.loads(line)
        if "signals" in r:
            sig[r["site"]] = [tuple(x) for x in r["signals"]]
            sites[r["site"]] = collections.OrderedDict()
            continue
        sites[r["site"]].setdefault(r["tag"], []).append(r)
    return sites, sig


def ndcg10(scores, gains, k=10):
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))  # ties to the smaller id
    dcg = sum(gains[i] / math.log2(r + 2) for r, i in enumerate(order[:k]))
    idcg = sum(g / math.log2(r + 2) for r, g in enumerate(sorted(gains, reverse=True)[:k]))
    return dcg / idcg if idcg > 0 else None


def topics(sites, sig):
    out = []
    for s in sites:
        for tag, rows in sites[s].items():
            rows = sorted(rows, key=lambda r: r["account"])
            norm = np.array([r["norm"] for r in rows])
            score = np.array([r["score"] for r in rows])
            gated = np.array([r["gate"].startswith("score set to 0") for r in rows])
            ok = ~gated & (score > 0)
            e = np.linalg.lstsq(norm[ok] * 100, score[ok], rcond=None)[0]
            e[np.abs(e) < 1e-9] = 0
            err = np.abs(norm[ok] @ e * 100 - score[ok]).max() if ok.any() else 0.0
            out.append(dict(site=s, tag=tag, norm=norm, score=score, gated=gated, e=e, err=err,
                            fut=np.array([r["future"] for r in rows])))
    return out


def main():
    path = sys.argv[1]
    forms = sys.argv[2].split(",") if len(sys.argv) > 2 else ["mult", "add"]
    sites, sig = load(path)
    names = list(sites)
    rel = np.array([f == "relevance" for _, f in sig[names[0]]])
    T = topics(sites, sig)
    print("largest residual of the recovered weights: %.1e" % max(t["err"] for t in T))

    def ev(fn):
        return {s: float(np.mean([x for x in (ndcg10(list(fn(t)), list(t["fut"])) for t in T if t["site"] == s)
                                  if x is not None])) for s in names}

    def rule(form, lam):
        def f(t):
            er, eo = np.where(rel, t["e"], 0), np.where(rel, 0, t["e"])
            R, O = t["norm"] @ er / er.sum(), t["norm"] @ eo / eo.sum()
            sc = R * (1 + lam * O) / (1 + lam) if form == "mult" else (R + lam * O) / (1 + lam)
            return np.where(t["gated"], 0, sc)
        return f

    fmt = lambda d: " ".join("%s %.3f" % (k, v) for k, v in d.items()) + " | mean %.3f" % np.mean(list(d.values()))
    print("additive product (as dumped):", fmt(ev(lambda t: t["score"])))
    grid = [(f, lam) for f in forms for lam in [0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 2]]
    table = {g: ev(rule(*g)) for g in grid}
    for held in names:
        train = [s for s in names if s != held]
        best = max(grid, key=lambda g: np.mean([table[g][s] for s in train]))
        print("held out %-17s chosen %-12s held-out NDCG@10 %.3f" % (held, best, table[best][held]))
    final = max(grid, key=lambda g: np.mean(list(table[g].values())))
    print("chosen on the four sites:", final, "(in-sample:", fmt(table[final]) + ")")


if __name__ == "__main__":
    main()
