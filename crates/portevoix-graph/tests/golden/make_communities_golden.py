#!/usr/bin/env python3
"""Modularity oracles for the community kernels of portevoix-graph.

Command (from the repository root, offline):

    OMP_WAIT_POLICY=PASSIVE benches/peers/.venv/bin/python \
        crates/portevoix-graph/tests/golden/make_communities_golden.py

Versions used for the committed files: Python 3, igraph 1.0.0,
networkit 11.2.2 (printed again at run time and stored in each file).

Inputs (the shared datasets, PORTEVOIX_DATASETS or /work/shared/datasets):

* bitcoin-otc/soc-sign-bitcoinotc.csv: `SOURCE,TARGET,RATING,TIME`, the
  rating ignored (Porte-voix's rating layer has weight 1 per edge).
* slashdot-zoo/soc-Slashdot0902.txt.gz: `#` preamble, tab-separated
  `FROM TO`; self-loops dropped, their nodes kept.

Preprocessing mirrors the undirected weighted view of Porte-voix
(`UndirectedView`: w_uv + w_vu, self-loops ignored): every id in the file is
a node (even when its only edge is a dropped self-loop); each directed edge
has weight 1 and the undirected edge {u, v} has weight = the number of
directed edges between u and v (1 or 2).

Outputs, next to this script, one small JSON per graph
(`communities_<graph>.json`): node and edge counts, total weight, and the
modularity (resolution 1, weighted) of

* `igraph_leiden`: `Graph.community_leiden(objective_function="modularity",
  weights="weight", n_iterations=-1, seed fixed)`, best over SEEDS;
* `igraph_multilevel`: `Graph.community_multilevel(weights="weight")`
  (Louvain), best over SEEDS (igraph's RNG seeded with `random.seed`);
* `networkit_parallel_leiden`: `networkit.community.ParallelLeiden(G,
  iterations=3, randomize=True)` on 2 threads, best over SEEDS
  (`networkit.setSeed(seed, True)`);

each modularity recomputed by `Graph.modularity(membership, weights)`.
Memberships are not stored.
"""

import gzip
import json
import os
import random
import sys
import time

import igraph
import networkit as nk

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("PORTEVOIX_DATASETS", "/work/shared/datasets")
SEEDS = [1, 2, 3]


def read_undirected(rel, sep):
    path = os.path.join(DATA, rel)
    opener = gzip.open if path.endswith(".gz") else open
    nodes, directed = set(), set()
    with opener(path, "rt") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(sep) if sep else line.split()
            a, b = int(parts[0]), int(parts[1])
            nodes.add(a)
            nodes.add(b)
            if a != b:
                # Porte-voix sums duplicate edges: assert there are none.
                assert (a, b) not in directed, f"{rel}: duplicate edge {a} {b}"
                directed.add((a, b))
    ids = sorted(nodes)
    index = {x: i for i, x in enumerate(ids)}
    weight = {}
    for a, b in directed:
        key = (min(index[a], index[b]), max(index[a], index[b]))
        weight[key] = weight.get(key, 0) + 1
    edges = sorted(weight)
    return len(ids), edges, [float(weight[e]) for e in edges], len(directed)


def run(name, rel, sep):
    n, edges, weights, ndir = read_undirected(rel, sep)
    g = igraph.Graph(n=n, edges=edges, directed=False)
    g.es["weight"] = weights
    out = {
        "graph": name,
        "input": rel,
        "nodes": n,
        "directed_edges": ndir,
        "undirected_edges": len(edges),
        "total_weight": sum(weights),
        "seeds": SEEDS,
        "versions": {
            "python": sys.version.split()[0],
            "igraph": igraph.__version__,
            "networkit": nk.__version__,
        },
    }

    best, t = -1.0, []
    for s in SEEDS:
        random.seed(s)
        t0 = time.perf_counter()
        c = g.community_leiden(objective_function="modularity", weights="weight",
                               n_iterations=-1)
        t.append(time.perf_counter() - t0)
        best = max(best, g.modularity(c.membership, weights="weight"))
    out["igraph_leiden"] = best
    out["igraph_leiden_seconds"] = min(t)

    best, t = -1.0, []
    for s in SEEDS:
        random.seed(s)
        t0 = time.perf_counter()
        c = g.community_multilevel(weights="weight")
        t.append(time.perf_counter() - t0)
        best = max(best, g.modularity(c.membership, weights="weight"))
    out["igraph_multilevel"] = best
    out["igraph_multilevel_seconds"] = min(t)

    nk.setNumberOfThreads(2)
    G = nk.Graph(n, weighted=True, directed=False)
    for (a, b), w in zip(edges, weights):
        G.addEdge(a, b, w)
    best, t = -1.0, []
    for s in SEEDS:
        nk.setSeed(s, True)
        t0 = time.perf_counter()
        algo = nk.community.ParallelLeiden(G, iterations=3, randomize=True)
        algo.run()
        t.append(time.perf_counter() - t0)
        membership = algo.getPartition().getVector()
        best = max(best, g.modularity(membership, weights="weight"))
    out["networkit_parallel_leiden"] = best
    out["networkit_parallel_leiden_seconds"] = min(t)

    path = os.path.join(HERE, f"communities_{name}.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(out, sort_keys=True))


def main():
    random.seed(0)
    igraph.set_random_number_generator(random)
    run("bitcoin_otc", "bitcoin-otc/soc-sign-bitcoinotc.csv", ",")
    run("slashdot_zoo", "slashdot-zoo/soc-Slashdot0902.txt.gz", None)


if __name__ == "__main__":
    main()
