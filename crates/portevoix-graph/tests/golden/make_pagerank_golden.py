#!/usr/bin/env python3
"""Golden PageRank / personalised PageRank values from NetworkX.

Command (from the workspace root, offline, ~1-2 minutes):

    benches/peers/.venv/bin/python crates/portevoix-graph/tests/golden/make_pagerank_golden.py

Versions used for the committed files: Python 3.11.7, networkx 3.6.1,
numpy 2.4.6, scipy 1.17.1 (`nx.pagerank` is the scipy power iteration).

Inputs (under /work/shared/datasets, or $PORTEVOIX_DATASETS), read as
Porte-voix reads them:

* Bitcoin OTC `bitcoin-otc/soc-sign-bitcoinotc.csv` (`rater,ratee,rating,time`):
  a directed graph rater -> ratee (the rating layer), UNWEIGHTED.
* Epinions `epinions-signed/soc-sign-epinions.txt.gz` (`# ` comment lines,
  `from to sign`): directed, unweighted.
* Slashdot Zoo `slashdot-zoo/soc-Slashdot0902.txt.gz`: directed, unweighted.
* Higgs retweet `higgs-twitter/higgs-retweet_network.edgelist.gz`
  (`A B n`: A retweeted B n times): directed, WEIGHTED by the third column.

Duplicates: a DiGraph keeps one edge per (u, v); the unweighted graphs are
ranked with `weight=None`, so duplicates (Porte-voix sums them) do not
matter, and the Higgs file has none (checked below). Self-loops are dropped
(Porte-voix's default) but their endpoints stay as nodes, as in Porte-voix
where every id of the file is interned.

Runs `nx.pagerank(G, alpha=0.85, tol=1e-13 / N, max_iter=1000, weight=w)`:
NetworkX stops when the total L1 change is below N * tol, so this is a total
L1 change below 1e-13 (distance to the fixed point below ~6e-13). Personalised
PageRank uses the same call with `personalization` = the 10 numerically
smallest node ids with weights 1, 2, ..., 10 (dangling mass follows the
personalisation, NetworkX's default).

Output: `pagerank_<graph>.json` (gzipped as `.json.gz` when over 1 MB):
`{"graph", "nodes", "edges", "weighted", "tol_l1", "ids": [sorted external
ids], "pagerank": [...], "personalization": {id: weight}, "ppr": [...]}`,
values aligned with `ids`, printed with 13 significant digits (rounding
contributes < 1e-12 of L1, far below the 1e-9 the tests assert).
"""

import gzip
import json
import os
import sys
import time

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("PORTEVOIX_DATASETS", "/work/shared/datasets")


def open_text(path):
    if path.endswith(".gz"):
        return gzip.open(path, "rt")
    return open(path, "r")


def read_edges(path, weighted):
    """Yields (u, v, w) with integer ids; w is the 3rd column or 1."""
    with open_text(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.replace(",", " ").split()
            u, v = int(parts[0]), int(parts[1])
            w = float(parts[2]) if weighted else 1.0
            yield u, v, w


def build(path, weighted):
    G = nx.DiGraph()
    dup = 0
    for u, v, w in read_edges(path, weighted):
        if G.has_edge(u, v):
            dup += 1
            G[u][v]["weight"] += w
        else:
            G.add_edge(u, v, weight=w)
    loops = list(nx.selfloop_edges(G))
    G.remove_edges_from(loops)  # nodes stay
    return G, dup, len(loops)


def fmt(x):
    return "0" if x == 0.0 else "%.12e" % x


def rank(G, weight, personalization=None):
    n = G.number_of_nodes()
    return nx.pagerank(
        G,
        alpha=0.85,
        tol=1e-13 / n,
        max_iter=1000,
        weight=weight,
        personalization=personalization,
    )


def main():
    graphs = [
        ("bitcoin_otc", "bitcoin-otc/soc-sign-bitcoinotc.csv", False),
        ("epinions", "epinions-signed/soc-sign-epinions.txt.gz", False),
        ("slashdot", "slashdot-zoo/soc-Slashdot0902.txt.gz", False),
        ("higgs_retweet", "higgs-twitter/higgs-retweet_network.edgelist.gz", True),
    ]
    only = set(sys.argv[1:])
    for name, rel, weighted in graphs:
        if only and name not in only:
            continue
        t0 = time.time()
        G, dup, loops = build(os.path.join(DATA, rel), weighted)
        if weighted:
            assert dup == 0, f"{name}: {dup} duplicate edges"
        weight = "weight" if weighted else None
        pr = rank(G, weight)
        ids = sorted(G.nodes())
        pers = {ids[i]: float(i + 1) for i in range(10)}
        ppr = rank(G, weight, pers)
        body = (
            "{"
            + f'"graph":"{name}","nodes":{G.number_of_nodes()},'
            + f'"edges":{G.number_of_edges()},"weighted":{json.dumps(weighted)},'
            + f'"duplicates":{dup},"self_loops_dropped":{loops},"tol_l1":1e-13,'
            + '"ids":['
            + ",".join(str(i) for i in ids)
            + '],"pagerank":['
            + ",".join(fmt(pr[i]) for i in ids)
            + '],"personalization":{'
            + ",".join(f'"{k}":{v}' for k, v in pers.items())
            + '},"ppr":['
            + ",".join(fmt(ppr[i]) for i in ids)
            + "]}\n"
        )
        out = os.path.join(HERE, f"pagerank_{name}.json")
        for stale in (out, out + ".gz"):
            if os.path.exists(stale):
                os.remove(stale)
        data = body.encode()
        if len(data) > 1 << 20:
            out += ".gz"
            with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as f:
                f.write(data)
        else:
            with open(out, "wb") as f:
                f.write(data)
        print(
            f"{name}: n={G.number_of_nodes()} m={G.number_of_edges()} dup={dup} "
            f"loops={loops} -> {os.path.basename(out)} "
            f"({os.path.getsize(out)} bytes, {time.time() - t0:.1f}s)"
        )


if __name__ == "__main__":
    main()
