#!/usr/bin/env python3
"""Golden files for the HITS, k-core and Katz kernels of portevoix-graph.

Command (from the repository root, offline):

    benches/peers/.venv/bin/python \
        crates/portevoix-graph/tests/golden/make_centrality_golden.py

Versions used for the committed files: Python 3, networkx 3.6.1,
scipy 1.17.1, numpy 2.4.6, igraph 1.0.0 (printed again at run time and stored in each file).

Inputs (the shared datasets, PORTEVOIX_DATASETS or /work/shared/datasets):

* bitcoin-otc/soc-sign-bitcoinotc.csv: `SOURCE,TARGET,RATING,TIME`,
  directed SOURCE -> TARGET, unweighted (weight 1, the rating is ignored) as
  Porte-voix's rating layer.
* slashdot-zoo/soc-Slashdot0902.txt.gz: CRLF, `#` preamble, tab-separated
  `FROM TO`; self-loops dropped (Porte-voix's default), their nodes kept.
* epinions-signed/soc-sign-epinions.txt.gz: `#` preamble, `FROM TO SIGN`,
  unweighted, self-loops dropped, their nodes kept.

Preprocessing mirrors Porte-voix: every id that appears in the file is a
node (even when its only edge is a dropped self-loop); duplicate pairs would
be merged with summed weights (the script asserts there are none).

Outputs, next to this script, one gzip JSON per graph
(`centrality_<graph>.json.gz`): `ids` (external ids, sorted numerically),
`hubs` and `authorities` from `nx.hits(G, max_iter=10000, tol=1e-14)`
(normalised to sum 1), `core` from `nx.core_number` on the undirected simple
graph `G.to_undirected()`, `in_core` and `out_core` from igraph's
`coreness(mode="in"|"out")` on the directed graph, and for Bitcoin OTC `katz` from
`nx.katz_centrality(G, alpha, beta=1.0, tol=1e-15, normalized=True)` with
`alpha = 0.5 / lambda_max` (lambda_max from `scipy.sparse.linalg.eigs`).
Scores are printed with 13 significant digits (relative rounding 5e-14, far
below the 1e-9 L1 the tests check). Each array is on its own line so that
the Rust test can read it without a JSON library.
"""

import gzip
import json
import os
import sys

import igraph
import networkx as nx
import numpy as np
import scipy
import scipy.sparse.linalg as sla

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("PORTEVOIX_DATASETS", "/work/shared/datasets")


def read_edges(rel, sep, weighted=False):
    """Nodes and edges as Porte-voix reads them: self-loops dropped; with
    `weighted`, the third column is the edge weight (Higgs: retweet counts)."""
    path = os.path.join(DATA, rel)
    opener = gzip.open if path.endswith(".gz") else open
    nodes, edges = set(), []
    with opener(path, "rt") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(sep) if sep else line.split()
            a, b = int(parts[0]), int(parts[1])
            w = float(parts[2]) if weighted else 1.0
            nodes.add(a)
            nodes.add(b)
            if a != b:
                edges.append((a, b, w))
    assert len({(a, b) for a, b, _ in edges}) == len(edges), f"{rel}: duplicate edges"
    g = nx.DiGraph()
    g.add_nodes_from(sorted(nodes))
    g.add_weighted_edges_from(edges, weight="weight")
    return g


def fmt(xs):
    return "[" + ",".join("0" if x == 0 else "%.13g" % x for x in xs) + "]"


def l1(a, b, ids):
    return sum(abs(a[i] - b[i]) for i in ids)


def polish_hits(g, ids, hubs, iters=200):
    """Power iterations from nx's answer: how far nx is from the fixed point."""
    a = nx.to_scipy_sparse_array(g, nodelist=ids, weight="weight", format="csr")
    h = np.array([hubs[i] for i in ids])
    for _ in range(iters):
        au = a.T @ h
        au /= au.sum()
        h = a @ au
        h /= h.sum()
    return dict(zip(ids, h)), dict(zip(ids, au))


def main():
    versions = {
        "python": sys.version.split()[0],
        "networkx": nx.__version__,
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "igraph": igraph.__version__,
    }
    print(versions)
    graphs = [
        ("bitcoin_otc", "bitcoin-otc/soc-sign-bitcoinotc.csv", ","),
        ("slashdot_zoo", "slashdot-zoo/soc-Slashdot0902.txt.gz", None),
        ("epinions", "epinions-signed/soc-sign-epinions.txt.gz", None),
        # Weighted by the number of retweets (third column), as Porte-voix reads it.
        ("higgs_retweet", "higgs-twitter/higgs-retweet_network.edgelist.gz", None),
    ]
    only = set(sys.argv[1:])
    for name, rel, sep in graphs:
        if only and name not in only:
            continue
        g = read_edges(rel, sep, weighted=(name == "higgs_retweet"))
        ids = list(g.nodes())
        print(name, g.number_of_nodes(), "nodes", g.number_of_edges(), "edges", flush=True)
        hubs, auth = nx.hits(g, max_iter=10000, tol=1e-14)
        ph, pa = polish_hits(g, ids, hubs)
        print("  hits: L1(nx, polished) hubs %.3e auth %.3e" % (l1(hubs, ph, ids), l1(auth, pa, ids)))
        core = nx.core_number(g.to_undirected())
        index = {v: i for i, v in enumerate(ids)}
        ig = igraph.Graph(n=len(ids), edges=[(index[a], index[b]) for a, b in g.edges()], directed=True)
        in_core = ig.coreness(mode="in")
        out_core = ig.coreness(mode="out")
        meta = {
            "graph": name,
            "source": rel,
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "versions": versions,
            "hits": "nx.hits(G, max_iter=10000, tol=1e-14)",
            "hits_l1_to_power_iteration": [l1(hubs, ph, ids), l1(auth, pa, ids)],
            "core": "nx.core_number(G.to_undirected())",
            "in_core": "igraph Graph(directed).coreness(mode='in')",
            "out_core": "igraph Graph(directed).coreness(mode='out')",
        }
        lines = [
            "{",
            '"meta": ' + json.dumps(meta) + ",",
            '"ids": [' + ",".join('"%d"' % i for i in ids) + "],",
            '"hubs": ' + fmt(hubs[i] for i in ids) + ",",
            '"authorities": ' + fmt(auth[i] for i in ids) + ",",
        ]
        if name == "bitcoin_otc":
            a = nx.to_scipy_sparse_array(g, nodelist=ids, weight="weight", format="csr")
            lam = float(abs(sla.eigs(a.astype(float), k=1, which="LM", return_eigenvectors=False)[0]))
            alpha = 0.5 / lam
            katz = nx.katz_centrality(g, alpha=alpha, beta=1.0, max_iter=100000, tol=1e-15, normalized=True)
            n = len(ids)
            x = sla.spsolve((scipy.sparse.identity(n, format="csc") - alpha * a.T).tocsc(), np.ones(n))
            x /= np.linalg.norm(x)
            print("  katz: lambda_max %.6f alpha %r L1(nx, spsolve) %.3e" % (lam, alpha, l1(katz, dict(zip(ids, x)), ids)))
            lines.append('"katz_alpha": %r,' % alpha)
            lines.append('"katz_lambda_max": %r,' % lam)
            lines.append('"katz": ' + fmt(katz[i] for i in ids) + ",")
        lines.append('"in_core": [' + ",".join(map(str, in_core)) + "],")
        lines.append('"out_core": [' + ",".join(map(str, out_core)) + "],")
        lines.append('"core": [' + ",".join(str(core[i]) for i in ids) + "]")
        lines.append("}")
        text = "\n".join(lines) + "\n"
        json.loads(text)  # valid JSON
        out = os.path.join(HERE, "centrality_%s.json.gz" % name)
        with gzip.GzipFile(out, "wb", mtime=0) as f:
            f.write(text.encode())
        print("  wrote", out, os.path.getsize(out), "bytes", flush=True)


if __name__ == "__main__":
    main()
