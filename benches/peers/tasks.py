"""Task registry for the peer comparison.

A *task* is one thing we time (``load`` = read an edge-list file and build the
library's graph object; later ``pagerank``, ``hits``, ``kcore``, ``sentiment``).
Each task has one *implementation* per peer library (sometimes several: igraph
has two readers), plus a way to run and read Porte-voix's own CLI for it.

This module imports nothing heavy at module level: the orchestrator (run.py)
imports it for metadata only, and child.py imports it inside the measured
subprocess, where an implementation's ``setup`` does the imports.

Adding a kernel, e.g. PageRank::

    TASKS["pagerank"] = Task(
        name="pagerank",
        title="PageRank (alpha 0.85, tol 1e-6)",
        kind="edgelist",
        description="...",
        portevoix_argv=lambda ds: ["rank", "--algo", "pagerank", "--json", ds.path],
        portevoix_seconds=lambda js: js["timings_ms"]["rank"] / 1e3,
    )

    @impl("pagerank", "networkx", library="networkx", ...)
    def pagerank_networkx(ds):
        import networkx as nx
        g = nx.read_edgelist(...)          # setup: loaded before the timer starts
        def run():
            return nx.pagerank(g, alpha=0.85, tol=1e-6)
        return run, lambda pr: {"nodes": len(pr)}

The contract of an implementation function ``f(ds) -> (run, summarize)``:

* everything ``f`` does before returning (imports, loading inputs that the
  task does not measure) is *setup* and is not timed;
* ``run()`` is the measured call, timed with ``time.perf_counter``;
* ``summarize(result)`` runs after the timer and returns a small dict
  (``nodes``, ``edges``, ...) printed in the report so readers can check that
  every library built the same graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional


@dataclass(frozen=True)
class DatasetArgs:
    """What an implementation is told about its input file."""

    name: str
    path: str
    sep: str  # single-character column separator ("\t" or " ")
    edges: int  # lines in the file (upper bound on distinct edges)
    has_comments: bool  # whether '#' comment lines occur in the file


@dataclass
class Impl:
    task: str
    key: str  # unique within the task; used on the command line (--peers)
    library: str  # distribution name, for the versions table
    label: str  # what the report prints in the "library" column
    call: str  # the exact API call, for the fairness notes
    graph: str  # the object it builds
    ids: str  # how it treats vertex ids (interning or not)
    threads: str  # threads it uses
    fn: Callable[[DatasetArgs], tuple]
    max_edges: Optional[int] = None  # skip larger files, with the reason below
    skip_reason: str = ""
    parse_only: bool = False  # builds no graph (pandas)

    def skip_for(self, ds: DatasetArgs) -> Optional[str]:
        if self.max_edges is not None and ds.edges > self.max_edges:
            return (
                f"skipped: {ds.edges:,} edges > {self.max_edges:,} limit"
                + (f" ({self.skip_reason})" if self.skip_reason else "")
            )
        return None


@dataclass
class Task:
    name: str
    title: str
    kind: str  # which datasets it takes: "edgelist" (later: "text")
    description: str
    # Porte-voix: argv after the binary, and how to read its in-process time
    # (seconds) out of the JSON it prints. None: Porte-voix has no such task yet.
    portevoix_argv: Optional[Callable[[DatasetArgs], list]] = None
    portevoix_seconds: Optional[Callable[[dict], Optional[float]]] = None
    portevoix_call: str = ""
    impls: dict = field(default_factory=dict)
    # Another Porte-voix binary than the CLI (relative to the repository
    # root), for kernels the CLI does not expose yet, and how to build it.
    portevoix_binary: Optional[str] = None
    portevoix_build: str = ""



TASKS: dict[str, Task] = {}


def impl(task: str, key: str, **meta):
    """Register ``fn`` as the implementation ``key`` of ``task``."""

    def deco(fn):
        TASKS[task].impls[key] = Impl(task=task, key=key, fn=fn, **meta)
        return fn

    return deco


# --------------------------------------------------------------------------
# Porte-voix JSON helpers (tolerant: the CLI's JSON is young and may grow)


def _find_key(obj, key):
    """First value of ``key`` anywhere in a nested JSON value (depth first)."""
    if isinstance(obj, dict):
        if key in obj:
            return obj[key]
        for v in obj.values():
            r = _find_key(v, key)
            if r is not None:
                return r
    elif isinstance(obj, list):
        for v in obj:
            r = _find_key(v, key)
            if r is not None:
                return r
    return None


def portevoix_load_seconds(js: dict) -> Optional[float]:
    t = _find_key(js, "timings_ms")
    if isinstance(t, dict) and t.get("total") is not None:
        return float(t["total"]) / 1e3
    return None


def portevoix_summary(js: dict) -> dict:
    """Nodes, edges and bytes/edge out of ``portevoix inspect --json``."""
    out = {}
    for k in ("accounts", "nodes", "vertices", "num_nodes", "node_count", "account_count"):
        v = _find_key(js, k)
        if isinstance(v, int):
            out["nodes"] = v
            break
    for k in ("edges", "num_edges", "edge_count", "interactions"):
        v = _find_key(js, k)
        if isinstance(v, int):
            out["edges"] = v
            break
    if isinstance(js.get("mean_compound"), (int, float)) and isinstance(js.get("posts"), int):
        # portevoix sentiment --summary --json
        out["rows"] = js["posts"]
        out["mean_compound"] = round(js["mean_compound"], 6)
    t = _find_key(js, "timings_ms")
    if isinstance(t, dict):
        out["timings_ms"] = t
    # `rank`: sweeps and the solver or method that ran (power / krylov for PageRank,
    # power / lanczos for HITS, exact / hyperball for reach).
    if isinstance(js.get("kernel"), str):
        if isinstance(js.get("iterations"), int):
            out["iterations"] = js["iterations"]
        if isinstance(js.get("method"), str):
            out["method"] = js["method"]
    # Influence kernels: the numbers that show quality beside speed (tasks hits,
    # reach2, leiden, sir below).
    if js.get("kernel") == "reach2":
        out.update(portevoix_reach_summary(js))
    elif str(js.get("kernel", "")).startswith("hits"):
        out.update(portevoix_hits_summary(js))
    if "modularity" in js and "algorithm" in js:
        out.update(portevoix_communities_summary(js))
    if "epidemic_threshold" in js and "model" in js:
        out.update(portevoix_spread_summary(js))
    nb = js.get("network_bytes")
    if isinstance(nb, int):
        out["network_bytes"] = nb
    layers = []

    def walk(o, path=""):
        if isinstance(o, dict):
            if "bytes_per_edge" in o:
                row = {"layer": str(o.get("layer") or o.get("name") or path or "?")}
                for k in ("input_rows", "edges", "self_loops_dropped", "self_loops_kept",
                          "duplicates_merged", "bytes_per_edge", "csr_bytes", "extra_bytes"):
                    if k in o:
                        row[k] = o[k]
                layers.append(row)
            for k, v in o.items():
                walk(v, k)
        elif isinstance(o, list):
            for v in o:
                walk(v, path)

    walk(js)
    if layers:
        out["layers"] = layers
    return out


# --------------------------------------------------------------------------
# Task: load

TASKS["load"] = Task(
    name="load",
    title="Load: read an edge-list file and build the graph object",
    kind="edgelist",
    description=(
        "Read a plain-text edge list (two integer columns, one edge a line) from "
        "disk (page cache warm) and build the library's in-memory graph. Timed in "
        "process: interpreter start and imports are not in *median s*; they are in "
        "*process wall s*. pandas builds no graph (parse only), for scale."
    ),
    # --keep-self-loops: the peers all keep self-loops (Slashdot has 78,303), so
    # Porte-voix builds the same graph; its default drops and counts them.
    portevoix_argv=lambda ds: ["inspect", "--format", "edgelist", "--json",
                               "--keep-self-loops", ds.path],
    portevoix_seconds=portevoix_load_seconds,
    portevoix_call="portevoix inspect --format edgelist --json --keep-self-loops FILE "
    "(timings_ms.total = parse + build)",
)


def _nx_summary(g):
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}


@impl(
    "load",
    "networkx",
    library="networkx",
    label="NetworkX",
    call="nx.read_edgelist(path, create_using=nx.DiGraph, nodetype=int, data=False)",
    graph="DiGraph (dict of dicts; parallel edges collapse)",
    ids="interned (Python dict keyed by int)",
    threads="1",
    max_edges=20_000_000,
    skip_reason="pure-Python dict-of-dicts, ~250 B/edge and minutes per run",
)
def load_networkx(ds):
    import networkx as nx

    def run():
        return nx.read_edgelist(
            ds.path,
            comments="#",
            delimiter=ds.sep,
            create_using=nx.DiGraph,
            nodetype=int,
            data=False,
        )

    return run, _nx_summary


def _ig_summary(g):
    return {"nodes": g.vcount(), "edges": g.ecount()}


@impl(
    "load",
    "igraph-edgelist",
    library="igraph",
    label="igraph Read_Edgelist",
    call="ig.Graph.Read_Edgelist(path, directed=True)",
    graph="Graph (C igraph_t: edge vectors + sorted indices; parallel edges kept)",
    ids="NOT interned: ids must be dense integers 0..n-1; it makes max id + 1 "
    "vertices (isolated ones for gaps); no '#' comments, exactly 2 columns",
    threads="1",
)
def load_igraph_edgelist(ds):
    import igraph as ig

    def run():
        return ig.Graph.Read_Edgelist(ds.path, directed=True)

    return run, _ig_summary


@impl(
    "load",
    "igraph-ncol",
    library="igraph",
    label="igraph Read_Ncol",
    call="ig.Graph.Read_Ncol(path, directed=True, names=True, weights=False)",
    graph="Graph (C igraph_t) + 'name' string attribute per vertex",
    ids="interned as strings (C trie), kept as the 'name' attribute",
    threads="1",
)
def load_igraph_ncol(ds):
    import igraph as ig

    def run():
        return ig.Graph.Read_Ncol(ds.path, directed=True, names=True, weights=False)

    return run, _ig_summary


@impl(
    "load",
    "networkit",
    library="networkit",
    label="NetworKit",
    call="nk.graphio.EdgeListReader(sep, 0, commentPrefix='#', continuous=False, "
    "directed=True).read(path); nk.setNumberOfThreads(2), OMP_WAIT_POLICY=PASSIVE",
    graph="Graph (C++ adjacency vectors, out + in; parallel edges collapse, first one kept)",
    ids="interned (continuous=False: hash map to 0..n-1)",
    threads="2 (OpenMP, OMP_WAIT_POLICY=PASSIVE: busy-waiting OpenMP threads were "
    "measured 10x slower on this shared 2-core machine)",
)
def load_networkit(ds):
    import networkit as nk

    nk.setNumberOfThreads(2)
    reader = nk.graphio.EdgeListReader(
        ds.sep, 0, commentPrefix="#", continuous=False, directed=True
    )

    def run():
        return reader.read(ds.path)

    return run, lambda g: {"nodes": g.numberOfNodes(), "edges": g.numberOfEdges()}


@impl(
    "load",
    "rustworkx",
    library="rustworkx",
    label="rustworkx",
    call="rx.PyDiGraph.read_edge_list(path, comment='#', deliminator=sep)",
    graph="PyDiGraph (petgraph StableGraph, a Python None payload per node and edge; parallel edges kept)",
    ids="NOT interned: integer ids used as node indices (max id + 1 nodes)",
    threads="1",
)
def load_rustworkx(ds):
    import rustworkx as rx

    def run():
        return rx.PyDiGraph.read_edge_list(ds.path, comment="#", deliminator=ds.sep)

    return run, lambda g: {"nodes": g.num_nodes(), "edges": g.num_edges()}


def _csr_summary(a):
    return {"nodes": int(a.shape[0]), "edges": int(a.nnz)}


@impl(
    "load",
    "sknetwork-csv",
    library="scikit-network",
    label="scikit-network from_csv",
    call="sknetwork.data.from_csv(path, delimiter=sep, data_structure='edge_list', "
    "directed=True, weighted=False, matrix_only=True)",
    graph="scipy.sparse CSR adjacency (duplicates summed)",
    ids="NOT interned (reindex=False): matrix of size max id + 1",
    threads="1",
    max_edges=40_000_000,
    skip_reason="np.genfromtxt holds ~450 B/edge of Python floats",
)
def load_sknetwork_csv(ds):
    from sknetwork.data import from_csv

    def run():
        return from_csv(
            ds.path,
            delimiter=ds.sep,
            comments="#",
            data_structure="edge_list",
            directed=True,
            weighted=False,
            matrix_only=True,
        )

    return run, _csr_summary


@impl(
    "load",
    "sknetwork-pandas",
    library="scikit-network",
    label="scikit-network pandas+from_edge_list",
    call="pd.read_csv(engine='c') then sknetwork.data.from_edge_list(array, "
    "directed=True, weighted=False, matrix_only=True)",
    graph="scipy.sparse CSR adjacency (duplicates summed)",
    ids="NOT interned (reindex=False): matrix of size max id + 1",
    threads="1",
)
def load_sknetwork_pandas(ds):
    import numpy as np
    import pandas as pd
    from sknetwork.data import from_edge_list

    def run():
        df = pd.read_csv(
            ds.path, sep=ds.sep, comment="#", header=None, usecols=[0, 1],
            dtype=np.int64, engine="c",
        )
        return from_edge_list(
            df.to_numpy(), directed=True, weighted=False, matrix_only=True
        )

    return run, _csr_summary


def _df_summary(df):
    return {"rows": int(df.shape[0])}


@impl(
    "load",
    "pandas-c",
    library="pandas",
    label="pandas read_csv C (parse only)",
    call="pd.read_csv(path, sep=sep, comment='#', header=None, engine='c')",
    graph="none: a DataFrame of two int64 columns (parse only, no graph)",
    ids="none",
    threads="1",
    parse_only=True,
)
def load_pandas_c(ds):
    import pandas as pd

    def run():
        return pd.read_csv(ds.path, sep=ds.sep, comment="#", header=None, engine="c")

    return run, _df_summary


@impl(
    "load",
    "pandas-pyarrow",
    library="pyarrow",
    label="pandas read_csv pyarrow (parse only)",
    call="pd.read_csv(path, sep=sep, header=None, engine='pyarrow') "
    "(pyarrow has no comment option: fails on files with '#' lines)",
    graph="none: a DataFrame of two int64 columns (parse only, no graph)",
    ids="none",
    threads="2 (Arrow's CSV reader is multi-threaded)",
    parse_only=True,
)
def load_pandas_pyarrow(ds):
    import pandas as pd
    import pyarrow  # noqa: F401  (fail at setup, not in the timed call)

    def run():
        return pd.read_csv(ds.path, sep=ds.sep, header=None, engine="pyarrow")

    return run, _df_summary


# --------------------------------------------------------------------------
# Task: pagerank
#
# Every library runs PageRank with damping 0.85 to the same convergence test:
# the total L1 change between two iterations below 1e-9 (NetworkX and
# rustworkx test L1 < N * tol, so they get tol = 1e-9 / N; NetworKit gets the
# L1 norm and tol 1e-9; igraph's PRPACK solves the linear system directly).
# Graph: self-loops kept by every library, parallel edges collapsed to one
# unweighted edge (Porte-voix: --duplicates max), so everyone ranks the same
# graph. Loading is setup, not timed.

PAGERANK_L1 = 1e-9


def portevoix_rank_seconds(js: dict) -> Optional[float]:
    t = js.get("timings_ms") or {}
    return float(t["kernel"]) / 1e3 if t.get("kernel") is not None else None


TASKS["pagerank"] = Task(
    name="pagerank",
    title="PageRank: damping 0.85, total L1 change below 1e-9",
    kind="edgelist",
    description=(
        "PageRank on the loaded graph (loading is setup and not timed), damping 0.85, every library "
        "stopped by the same criterion: total L1 change between iterations < 1e-9. Self-loops kept, "
        "parallel edges collapsed to one unit edge. scikit-network is not run: it sends a sink's "
        "teleport mass to the sink itself and is not the standard PageRank. Porte-voix chooses its "
        "solver by a measured rule (`--solver auto`, the *result* column says which ran): the power "
        "iteration, or, when the first sweeps show slow convergence, exact substitution on the "
        "graph's acyclic ends plus BiCGSTAB on its core (the linear system PRPACK solves), "
        "finished by power sweeps until the same L1 test holds. Below the table: Porte-voix's time "
        "per sweep over the edges against a memory-bandwidth floor (see the Machine section)."
    ),
    portevoix_argv=lambda ds: ["rank", "--kernel", "pagerank", "--format", "edgelist",
                               "--keep-self-loops", "--duplicates", "max",
                               "--tolerance", str(PAGERANK_L1), "--max-iterations", "1000",
                               "--top", "1", "--json", ds.path],
    portevoix_seconds=portevoix_rank_seconds,
    portevoix_call="portevoix rank --kernel pagerank --keep-self-loops --duplicates max "
    "--tolerance 1e-9 --json FILE (timings_ms.kernel; solver chosen automatically)",
)


def _pr_summary(scores):
    n = len(scores)
    return {"nodes": n}


@impl(
    "pagerank",
    "networkx",
    library="networkx",
    label="NetworkX",
    call="nx.pagerank(G, alpha=0.85, tol=1e-9/N, max_iter=1000)",
    graph="DiGraph",
    ids="interned",
    threads="1",
    max_edges=2_000_000,
    skip_reason="pure Python; minutes per run on larger graphs",
)
def pagerank_networkx(ds):
    import networkx as nx

    g = nx.read_edgelist(ds.path, comments="#", delimiter=ds.sep,
                         create_using=nx.DiGraph, nodetype=int, data=False)
    n = g.number_of_nodes()

    def run():
        return nx.pagerank(g, alpha=0.85, tol=PAGERANK_L1 / n, max_iter=1000)

    return run, _pr_summary


@impl(
    "pagerank",
    "igraph",
    library="igraph",
    label="igraph (PRPACK)",
    call="g.pagerank(damping=0.85, implementation='prpack') after g.simplify(loops=False)",
    graph="Graph (Read_Edgelist, parallel edges merged)",
    ids="NOT interned (max id + 1 vertices; isolated gap vertices get teleport mass)",
    threads="1",
)
def pagerank_igraph(ds):
    import igraph as ig

    g = ig.Graph.Read_Edgelist(ds.path, directed=True)
    g.simplify(multiple=True, loops=False)

    def run():
        return g.pagerank(damping=0.85, implementation="prpack")

    return run, _pr_summary


@impl(
    "pagerank",
    "networkit",
    library="networkit",
    label="NetworKit",
    call="nk.centrality.PageRank(G, damp=0.85, tol=1e-9, distributeSinks=DistributeSinks) "
    "with norm L1; nk.setNumberOfThreads(2), OMP_WAIT_POLICY=PASSIVE",
    graph="Graph (EdgeListReader, continuous=False)",
    ids="interned",
    threads="2 (OpenMP, PASSIVE)",
)
def pagerank_networkit(ds):
    import networkit as nk

    nk.setNumberOfThreads(2)
    g = nk.graphio.EdgeListReader(ds.sep, 0, commentPrefix="#", continuous=False,
                                  directed=True).read(ds.path)
    g.removeMultiEdges()

    def run():
        pr = nk.centrality.PageRank(g, damp=0.85, tol=PAGERANK_L1, normalized=False,
                                    distributeSinks=nk.centrality.SinkHandling.DistributeSinks)
        pr.norm = nk.centrality.Norm.L1_NORM
        pr.run()
        return pr.scores()

    return run, _pr_summary


@impl(
    "pagerank",
    "rustworkx",
    library="rustworkx",
    label="rustworkx",
    call="rx.pagerank(G, alpha=0.85, tol=1e-9/N, max_iter=1000)",
    graph="PyDiGraph (read_edge_list; parallel edges kept and weighted 1 each)",
    ids="NOT interned (max id + 1 nodes)",
    threads="1",
)
def pagerank_rustworkx(ds):
    import rustworkx as rx

    g = rx.PyDiGraph.read_edge_list(ds.path, comment="#", deliminator=ds.sep)
    n = g.num_nodes()

    def run():
        return rx.pagerank(g, alpha=0.85, tol=PAGERANK_L1 / n, max_iter=1000)

    return run, lambda pr: {"nodes": len(pr)}


# --------------------------------------------------------------------------
# Task: coreness (undirected k-core numbers)

TASKS["coreness"] = Task(
    name="coreness",
    title="Coreness: undirected k-core number of every node",
    kind="edgelist",
    description=(
        "k-core decomposition of the undirected simple view (direction ignored, self-loops and "
        "parallel edges dropped) on the loaded graph; loading and the conversion to the undirected "
        "view the library needs are setup and not timed, except for Porte-voix, whose kernel "
        "time includes its own undirected counting."
    ),
    portevoix_argv=lambda ds: ["rank", "--kernel", "coreness", "--format", "edgelist",
                               "--top", "1", "--json", ds.path],
    portevoix_seconds=portevoix_rank_seconds,
    portevoix_call="portevoix rank --kernel coreness --json FILE (timings_ms.kernel)",
)


@impl(
    "coreness",
    "networkx",
    library="networkx",
    label="NetworkX",
    call="nx.core_number(G.to_undirected()) after removing self-loops",
    graph="Graph (undirected view)",
    ids="interned",
    threads="1",
    max_edges=2_000_000,
    skip_reason="pure Python",
)
def coreness_networkx(ds):
    import networkx as nx

    g = nx.read_edgelist(ds.path, comments="#", delimiter=ds.sep,
                         create_using=nx.Graph, nodetype=int, data=False)
    g.remove_edges_from(nx.selfloop_edges(g))

    def run():
        return nx.core_number(g)

    return run, lambda c: {"nodes": len(c)}


@impl(
    "coreness",
    "igraph",
    library="igraph",
    label="igraph",
    call="g.coreness(mode='all') on the simplified undirected graph",
    graph="Graph (Read_Edgelist, as_undirected, simplify)",
    ids="NOT interned (max id + 1 vertices)",
    threads="1",
)
def coreness_igraph(ds):
    import igraph as ig

    g = ig.Graph.Read_Edgelist(ds.path, directed=True).as_undirected()
    g.simplify(multiple=True, loops=True)

    def run():
        return g.coreness(mode="all")

    return run, lambda c: {"nodes": len(c)}


@impl(
    "coreness",
    "networkit",
    library="networkit",
    label="NetworKit",
    call="nk.centrality.CoreDecomposition(G).run() on the undirected simple graph; "
    "nk.setNumberOfThreads(2), OMP_WAIT_POLICY=PASSIVE",
    graph="Graph (EdgeListReader undirected, self-loops and multi-edges removed)",
    ids="interned",
    threads="2 (OpenMP, PASSIVE)",
)
def coreness_networkit(ds):
    import networkit as nk

    nk.setNumberOfThreads(2)
    g = nk.graphio.EdgeListReader(ds.sep, 0, commentPrefix="#", continuous=False,
                                  directed=False).read(ds.path)
    g.removeSelfLoops()
    g.removeMultiEdges()

    def run():
        cd = nk.centrality.CoreDecomposition(g)
        cd.run()
        return cd.scores()

    return run, lambda c: {"nodes": len(c)}


@impl(
    "coreness",
    "rustworkx",
    library="rustworkx",
    label="rustworkx",
    call="rx.core_number(G.to_undirected(multigraph=False)) after removing self-loops",
    graph="PyGraph (undirected, simple)",
    ids="NOT interned (max id + 1 nodes)",
    threads="1",
    max_edges=5_000_000,
    skip_reason="building the undirected simple view took over 4 minutes of setup at 16.8M edges",
)
def coreness_rustworkx(ds):
    import rustworkx as rx

    d = rx.PyDiGraph.read_edge_list(ds.path, comment="#", deliminator=ds.sep)
    g = d.to_undirected(multigraph=False)
    g.remove_edges_from([(u, v) for u, v in g.edge_list() if u == v])

    def run():
        return rx.core_number(g)

    return run, lambda c: {"nodes": len(c)}


# --------------------------------------------------------------------------
# Task: sentiment


TASKS["sentiment"] = Task(
    name="sentiment",
    title="Sentiment: VADER scores (neg, neu, pos, compound) of every tweet",
    kind="text",
    description=(
        "VADER with the English lexicon on every distinct tweet of the file (repeated tweet ids "
        "dropped by both sides). Reading the CSV and building the lexicon are setup and not "
        "timed; *median s* is the scoring of all tweets. Porte-voix scores in parallel on the "
        "machine's threads; vaderSentiment is single-threaded Python. *mean compound* in the "
        "summary must agree: both compute the same scores (tested to 1e-3 per tweet)."
    ),
    portevoix_argv=lambda ds: ["sentiment", "--engine", "vader", "--lang", "en", "--format",
                               "posts-csv", "--summary", "--json", ds.path],
    portevoix_seconds=lambda js: (float(js["scoring_ms"]) / 1e3
                                  if js.get("scoring_ms") is not None else None),
    portevoix_call="portevoix sentiment --engine vader --lang en --format posts-csv --summary "
    "--json FILE (scoring_ms)",
)

TASKS["sentiment-model"] = Task(
    name="sentiment-model",
    title="Sentiment: the learned model (label and class probabilities) of every tweet, "
    "against VADER in Python",
    kind="text",
    description=(
        "Porte-voix's learned English model (features from the social analyser, VADER's "
        "scores among them, and a logistic regression) on every distinct tweet, against "
        "vaderSentiment's polarity_scores on the same tweets: the model does more work per "
        "tweet than VADER, so this is the speed a user trading VADER for the model sees "
        "(issue 11 asks for at least 50 times vaderSentiment). Reading the CSV and loading the "
        "model are setup and not timed. *mean compound* differs by design (P(positive) - "
        "P(negative) against VADER's compound)."
    ),
    portevoix_argv=lambda ds: ["sentiment", "--engine", "model", "--lang", "en", "--format",
                               "posts-csv", "--summary", "--json", ds.path],
    portevoix_seconds=lambda js: (float(js["scoring_ms"]) / 1e3
                                  if js.get("scoring_ms") is not None else None),
    portevoix_call="portevoix sentiment --engine model --lang en --format posts-csv --summary "
    "--json FILE (scoring_ms)",
)


def _read_tweets(path):
    import csv

    seen, texts = set(), []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["tweet_id"] in seen:
                continue
            seen.add(row["tweet_id"])
            texts.append(row["text"])
    return texts


@impl("sentiment-model", "vadersentiment", library="vaderSentiment", label="vaderSentiment",
      call="SentimentIntensityAnalyzer().polarity_scores(text) for each tweet",
      graph="(none)", ids="(none)", threads="1")
@impl("sentiment", "vadersentiment", library="vaderSentiment", label="vaderSentiment",
      call="SentimentIntensityAnalyzer().polarity_scores(text) for each tweet",
      graph="(none)", ids="(none)", threads="1")
def sentiment_vader(ds):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = _read_tweets(ds.path)
    analyzer = SentimentIntensityAnalyzer()

    def run():
        return [analyzer.polarity_scores(t) for t in texts]

    def summary(scores):
        mean = sum(s["compound"] for s in scores) / max(len(scores), 1)
        return {"rows": len(scores), "mean_compound": round(mean, 6)}

    return run, summary


# --------------------------------------------------------------------------
# Shared helpers of the influence-kernel tasks (hits, reach2, leiden, sir)


def _pv_top(js: dict, k: int = 3) -> list:
    """The first ``k`` [id, score] pairs of a ``rank --json`` top list."""
    return [[t.get("id"), t.get("score")] for t in (js.get("top") or [])[:k]]


def _read_pairs(ds):
    """The file's edges as two int64 numpy arrays (setup, not timed)."""
    import numpy as np
    import pandas as pd

    df = pd.read_csv(ds.path, sep=ds.sep, comment="#", header=None, usecols=[0, 1],
                     dtype=np.int64, engine="c")
    return df[0].to_numpy(), df[1].to_numpy()


def _simple_directed(ds, keep_loops: bool):
    """(n, src, dst) of the simple directed graph: parallel edges collapsed, self-loops kept
    or dropped; n = max id + 1 (ids used as vertex indices)."""
    import numpy as np

    s, d = _read_pairs(ds)
    n = int(max(s.max(initial=-1), d.max(initial=-1))) + 1
    if not keep_loops:
        m = s != d
        s, d = s[m], d[m]
    key = np.unique(s * n + d)
    return n, key // n, key % n


def _top_of(scores, k: int = 3) -> list:
    """[[id, score], ...] of the ``k`` highest scores (ids = positions), scores L1-normalised."""
    import numpy as np

    x = np.asarray(scores, dtype=float)
    total = x.sum()
    if total > 0:
        x = x / total
    idx = np.lexsort((np.arange(len(x)), -x))[:k]
    return [[str(int(i)), float(x[i])] for i in idx]


# --------------------------------------------------------------------------
# Task: hits
#
# Hubs and authorities of the simple directed graph (self-loops kept, parallel
# edges collapsed: Porte-voix --duplicates max), authorities = Aᵀh, hubs = Aa,
# each normalised to sum 1. Porte-voix and rustworkx iterate (Porte-voix:
# ‖Δh‖₁ + ‖Δa‖₁ < 1e-9 on sum-normalised vectors; rustworkx: its own test on
# max-scaled vectors with tol = 1e-9: tol = 1e-9 / N, as for PageRank, did not
# converge in 10,000 iterations on Slashdot, and with tol = 1e-9 its top
# authority agrees with a tol = 1e-11 run to 3e-14, closer than Porte-voix's
# 1e-9 result to its 1e-12 one, 5e-13); NetworkX and igraph solve
# with ARPACK (NetworkX: svds with tol 1e-9; igraph: its default tolerance, machine
# precision). The summary prints the top authority and hub of each, L1-normalised,
# so agreement is visible.

HITS_L1 = 1e-9


def portevoix_hits_summary(js: dict) -> dict:
    return {"top_authority": _pv_top(js, 3)}


TASKS["hits"] = Task(
    name="hits",
    title="HITS: hubs and authorities, total L1 change below 1e-9",
    kind="edgelist",
    description=(
        "HITS hubs and authorities (Kleinberg 1999) of the simple directed graph (self-loops "
        "kept, parallel edges collapsed), loading not timed. Porte-voix iterates both vectors "
        "until ‖Δh‖₁ + ‖Δa‖₁ < 1e-9 (sums normalised to 1); rustworkx iterates to its own test "
        "on max-scaled vectors with tol = 1e-9 (tol = 1e-9 / N did not converge in 10,000 "
        "iterations on Slashdot; at 1e-9 its top authority is within 3e-14 of a 1e-11 run, "
        "Porte-voix's within 5e-13 of a 1e-12 run); NetworkX "
        "(scipy svds, tol 1e-9) and igraph (ARPACK, two eigenproblems: hub_score then "
        "authority_score, default tolerance) solve the singular/eigen problem directly. Porte-voix "
        "runs Lanczos on AᵀA above 4,096 nodes (`--solver auto`; the *result* column says which "
        "solver ran), then power iterations until its L1 test holds. NetworKit "
        "has no HITS (checked in 11.2.2: no hub/authority class in networkit.centrality). "
        "Every *summary* keeps the top authorities, normalised to sum 1, in the raw JSON."
    ),
    portevoix_argv=lambda ds: ["rank", "--kernel", "hits-authority", "--format", "edgelist",
                               "--keep-self-loops", "--duplicates", "max",
                               "--tolerance", str(HITS_L1), "--max-iterations", "10000",
                               "--top", "3", "--json", ds.path],
    portevoix_seconds=portevoix_rank_seconds,
    portevoix_call="portevoix rank --kernel hits-authority --keep-self-loops --duplicates max "
    "--tolerance 1e-9 --max-iterations 10000 --json FILE (timings_ms.kernel; both vectors)",
)


@impl(
    "hits",
    "networkx",
    library="networkx",
    label="NetworkX (scipy svds)",
    call="nx.hits(G, max_iter=10000, tol=1e-9) (adjacency matrix + scipy.sparse.linalg.svds k=1)",
    graph="DiGraph",
    ids="interned",
    threads="1 (BLAS may use more)",
    max_edges=2_000_000,
    skip_reason="pure Python; building the DiGraph alone takes 80-140 s at 16.8M edges",
)
def hits_networkx(ds):
    import networkx as nx

    g = nx.read_edgelist(ds.path, comments="#", delimiter=ds.sep,
                         create_using=nx.DiGraph, nodetype=int, data=False)

    def run():
        return nx.hits(g, max_iter=10000, tol=HITS_L1)

    def summary(r):
        h, a = r
        ids = list(a)
        top = sorted(ids, key=lambda v: (-a[v], v))[:3]
        return {"nodes": len(a), "top_authority": [[str(v), a[v]] for v in top]}

    return run, summary


@impl(
    "hits",
    "igraph",
    library="igraph",
    label="igraph (ARPACK)",
    call="g.hub_score(); g.authority_score() after g.simplify(loops=False)",
    graph="Graph (Read_Edgelist, parallel edges merged)",
    ids="NOT interned (max id + 1 vertices)",
    threads="1",
)
def hits_igraph(ds):
    import igraph as ig

    g = ig.Graph.Read_Edgelist(ds.path, directed=True)
    g.simplify(multiple=True, loops=False)

    def run():
        return g.hub_score(), g.authority_score()

    return run, lambda r: {"nodes": len(r[1]), "top_authority": _top_of(r[1])}


@impl(
    "hits",
    "rustworkx",
    library="rustworkx",
    label="rustworkx",
    call="rx.hits(G, tol=1e-9, max_iter=10000)",
    graph="PyDiGraph(multigraph=False) from the deduplicated edge list",
    ids="NOT interned (max id + 1 nodes)",
    threads="1",
)
def hits_rustworkx(ds):
    import rustworkx as rx

    n, s, d = _simple_directed(ds, keep_loops=True)
    g = rx.PyDiGraph(multigraph=False)
    g.add_nodes_from(range(n))
    g.extend_from_edge_list(list(zip(s.tolist(), d.tolist())))

    def run():
        return rx.hits(g, tol=HITS_L1, max_iter=10000)

    def summary(r):
        a = r[1]
        top = sorted(a.keys(), key=lambda v: (-a[v], v))[:3]
        total = sum(a.values()) or 1.0
        return {"nodes": len(a), "top_authority": [[str(v), a[v] / total] for v in top]}

    return run, summary


# --------------------------------------------------------------------------
# Task: reach2
#
# Porte-voix's reach2 follows in-edges (hyperball.rs, Direction::Followers, the
# default of `rank --kernel reach2`): the reach of B is the accounts with a path
# of length <= 2 *to* B (who re-shares B, who re-shares them), B excluded. The
# exact peers count the same set: igraph neighborhood_size(order=2, mode="in") - 1,
# NetworkX BFS with cutoff 2 on the reversed graph.
#
# Porte-voix estimates with HyperLogLog (2^7 registers, 9.2% standard error).
# Its error is measured against igraph's exact counts: igraph's *summary* (after
# its timer) caches every exact count next to the dataset
# (``FILE.reach2-in-exact.tsv``, keyed by the file's size and mtime); Porte-voix
# prints its 1,000 largest estimates (--top 1000) and its summary compares them
# with the cache when one exists (from this run's earlier igraph runs or an
# earlier run: the counts are exact, so any run of the same file gives them).

REACH_TOP = 1000
_REACH_LAST: dict = {}


def _reach_cache(path: str) -> str:
    return path + ".reach2-in-exact.tsv"


def _file_key(path: str) -> str:
    import os

    st = os.stat(path)
    return f"# size {st.st_size} mtime_ns {st.st_mtime_ns}"


def _reach_argv(ds):
    _REACH_LAST["path"] = ds.path  # for portevoix_reach_summary, called right after the run
    return ["rank", "--kernel", "reach2", "--format", "edgelist", "--top", str(REACH_TOP),
            "--json", ds.path]


def portevoix_reach_summary(js: dict) -> dict:
    """Porte-voix's 3 largest estimates and, when igraph's exact counts are cached, the
    mean and largest relative error of its ``REACH_TOP`` largest estimates."""
    import os

    top = js.get("top") or []
    out = {"top_reach": [[t.get("id"), t.get("score")] for t in top[:3]],
           "top_estimates": len(top)}
    path = _REACH_LAST.get("path")
    cache = _reach_cache(path) if path else None
    if not cache or not os.path.exists(cache):
        out["error_vs_exact"] = "no exact counts cached yet (igraph runs after Porte-voix)"
        return out
    with open(cache) as f:
        if f.readline().strip() != _file_key(path):
            out["error_vs_exact"] = "cached exact counts are for another version of the file"
            return out
        exact = {}
        for line in f:
            a, b = line.split("\t")
            exact[a] = int(b)
    rel = []
    for t in top:
        e = exact.get(str(t.get("id")))
        if e:
            rel.append(abs(float(t["score"]) - e) / e)
    if rel:
        out["mean_rel_error_top"] = sum(rel) / len(rel)
        out["max_rel_error_top"] = max(rel)
        out["compared"] = len(rel)
    return out


TASKS["reach2"] = Task(
    name="reach2",
    title="Reach within 2 hops (in-edges): exact counts or HyperLogLog estimates",
    kind="edgelist",
    description=(
        "For every account, the number of other accounts within 2 hops along in-edges "
        "(those who re-share it, and those who re-share them: Porte-voix's reach2, "
        "Direction::Followers). Porte-voix counts exactly where that is cheaper by its measured "
        "rule (walks of length <= 2 against HyperBall's cost: the Higgs forest of stars) and "
        "estimates with HyperBall elsewhere (HyperLogLog counters of 128 registers, relative "
        "standard error 9.2%); the *result* column says which (exact or hyperball). The peers "
        "count exactly (igraph neighborhood_size, NetworkX one BFS per node with cutoff 2). Loading is not timed. The *summary* of each run in the raw JSON "
        "has the total of the exact counts (igraph, NetworkX) and, for Porte-voix, the mean "
        "and largest relative error of its 1,000 largest estimates against igraph's counts. "
        "NetworKit is not run: its NeighborhoodFunction family gives only the graph-wide "
        "number of pairs within t hops, not per-account counts."
    ),
    portevoix_argv=_reach_argv,
    portevoix_seconds=portevoix_rank_seconds,
    portevoix_call="portevoix rank --kernel reach2 --top 1000 --json FILE (timings_ms.kernel)",
)


@impl(
    "reach2",
    "igraph",
    library="igraph",
    label="igraph (exact)",
    call="g.neighborhood_size(order=2, mode='in') after g.simplify(); minus 1 (the vertex itself)",
    graph="Graph (Read_Edgelist, simplified)",
    ids="NOT interned (max id + 1 vertices)",
    threads="1",
    max_edges=10_000_000,
    skip_reason="exact balls: ~7 min a run at 16.8M edges, estimated from a 200-vertex sample "
    "(mean ball 11,879 accounts); hours at 134M",
)
def reach2_igraph(ds):
    import igraph as ig

    g = ig.Graph.Read_Edgelist(ds.path, directed=True)
    g.simplify(multiple=True, loops=True)

    def run():
        return g.neighborhood_size(order=2, mode="in")

    def summary(c):
        import os

        counts = [x - 1 for x in c]
        cache = _reach_cache(ds.path)
        tmp = cache + f".{os.getpid()}"
        with open(tmp, "w") as f:
            f.write(_file_key(ds.path) + "\n")
            f.writelines(f"{v}\t{x}\n" for v, x in enumerate(counts) if x > 0)
        os.replace(tmp, cache)
        top = sorted(range(len(counts)), key=lambda v: (-counts[v], v))[:3]
        return {"nodes": len(counts), "total_reach": sum(counts),
                "top_reach": [[str(v), counts[v]] for v in top]}

    return run, summary


@impl(
    "reach2",
    "networkx",
    library="networkx",
    label="NetworkX (exact, BFS per node)",
    call="len(nx.single_source_shortest_path_length(G.reverse(copy=False), v, cutoff=2)) - 1 "
    "for every v",
    graph="DiGraph (reversed view)",
    ids="interned",
    threads="1",
    max_edges=500_000,
    skip_reason="one Python BFS per node: about 230 s a run measured on Slashdot (948k edges)",
)
def reach2_networkx(ds):
    import networkx as nx

    g = nx.read_edgelist(ds.path, comments="#", delimiter=ds.sep,
                         create_using=nx.DiGraph, nodetype=int, data=False)
    r = g.reverse(copy=False)

    def run():
        return {v: len(nx.single_source_shortest_path_length(r, v, cutoff=2)) - 1 for v in r}

    def summary(c):
        top = sorted(c, key=lambda v: (-c[v], v))[:3]
        return {"nodes": len(c), "total_reach": sum(c.values()),
                "top_reach": [[str(v), c[v]] for v in top]}

    return run, summary


# --------------------------------------------------------------------------
# Task: leiden
#
# Every library optimises modularity (resolution 1) on the same undirected
# weighted graph: the weight of a pair {u, v} is the number of directed edges
# between them (1 or 2), self-loops ignored, parallel directed edges collapsed
# (Porte-voix: --duplicates max and its UndirectedView, w(u→v) + w(v→u)). The
# modularity of every result is computed after the timer by the library's own
# function on that weighted graph, so quality sits beside speed.

LEIDEN_SEED = 1


def _undirected_weighted(ds):
    """(n, u, v, w) of the undirected view: w = number of directed edges between u < v."""
    import numpy as np

    n, s, d = _simple_directed(ds, keep_loops=False)
    lo, hi = np.minimum(s, d), np.maximum(s, d)
    key, w = np.unique(lo * n + hi, return_counts=True)
    return n, key // n, key % n, w.astype(float)


def portevoix_communities_summary(js: dict) -> dict:
    out = {}
    for k in ("modularity", "communities", "iterations", "undirected_edges"):
        if isinstance(js.get(k), (int, float)):
            out[k] = js[k]
    return out


TASKS["leiden"] = Task(
    name="leiden",
    title="Leiden: modularity communities of the undirected weighted view",
    kind="edgelist",
    description=(
        "Communities maximising modularity (resolution 1) on the undirected view: the weight "
        "of a pair is the number of directed edges between the two accounts (1 or 2), "
        "self-loops ignored, parallel edges collapsed. Porte-voix runs Leiden with 2 passes "
        "(igraph's default n_iterations) and seed 1; igraph community_leiden (modularity, 2 "
        "iterations, Python's RNG seeded), NetworKit ParallelLeiden (3 iterations, seeded), "
        "NetworkX louvain_communities (Louvain, seeded). Loading and building the undirected "
        "weighted graph are not timed for the peers; Porte-voix's time includes building its "
        "undirected view (timings_ms.view + kernel). The *summary* in the raw JSON has every "
        "result's modularity, computed after the timer on the same weighted graph, and its "
        "number of communities."
    ),
    portevoix_argv=lambda ds: ["communities", "--algorithm", "leiden", "--format", "edgelist",
                               "--duplicates", "max", "--seed", str(LEIDEN_SEED),
                               "--top", "1", "--json", ds.path],
    portevoix_seconds=lambda js: ((float(js["timings_ms"]["view"])
                                   + float(js["timings_ms"]["kernel"])) / 1e3
                                  if (js.get("timings_ms") or {}).get("kernel") is not None
                                  else None),
    portevoix_call="portevoix communities --algorithm leiden --duplicates max --seed 1 --json "
    "FILE (timings_ms.view + timings_ms.kernel)",
)


@impl(
    "leiden",
    "igraph",
    library="igraph",
    label="igraph community_leiden",
    call="g.community_leiden(objective_function='modularity', weights='weight', n_iterations=2) "
    "after random.seed(1)",
    graph="Graph (undirected, weighted 1 or 2 per pair)",
    ids="NOT interned (max id + 1 vertices; gap vertices are isolated communities)",
    threads="1",
)
def leiden_igraph(ds):
    import random

    import igraph as ig

    n, u, v, w = _undirected_weighted(ds)
    g = ig.Graph(n=n, edges=list(zip(u.tolist(), v.tolist())), directed=False)
    g.es["weight"] = w.tolist()
    random.seed(LEIDEN_SEED)

    def run():
        return g.community_leiden(objective_function="modularity", weights="weight",
                                  n_iterations=2)

    def summary(c):
        deg = g.degree()
        real = len({m for m, d in zip(c.membership, deg) if d > 0})
        return {"nodes": n, "edges": g.ecount(),
                "modularity": g.modularity(c.membership, weights="weight"),
                "communities": len(c), "communities_with_edges": real}

    return run, summary


@impl(
    "leiden",
    "networkit",
    library="networkit",
    label="NetworKit ParallelLeiden",
    call="nk.community.ParallelLeiden(G, randomize=True, iterations=3).run() after "
    "nk.setSeed(1, True); nk.setNumberOfThreads(2), OMP_WAIT_POLICY=PASSIVE",
    graph="Graph (undirected, weighted 1 or 2 per pair)",
    ids="NOT interned (max id + 1 nodes)",
    threads="2 (OpenMP, PASSIVE)",
)
def leiden_networkit(ds):
    import networkit as nk

    nk.setNumberOfThreads(2)
    nk.setSeed(LEIDEN_SEED, True)
    n, u, v, w = _undirected_weighted(ds)
    g = nk.Graph(n, weighted=True, directed=False)
    g.addEdges((w, (u, v)))

    def run():
        algo = nk.community.ParallelLeiden(g, randomize=True, iterations=3)
        algo.run()
        return algo.getPartition()

    def summary(p):
        return {"nodes": g.numberOfNodes(), "edges": g.numberOfEdges(),
                "modularity": nk.community.Modularity().getQuality(p, g),
                "communities": p.numberOfSubsets()}

    return run, summary


@impl(
    "leiden",
    "networkx",
    library="networkx",
    label="NetworkX louvain_communities",
    call="nx.community.louvain_communities(G, weight='weight', resolution=1, seed=1) "
    "(Louvain: NetworkX has no Leiden)",
    graph="Graph (undirected, weighted 1 or 2 per pair)",
    ids="interned",
    threads="1",
    max_edges=2_000_000,
    skip_reason="pure Python",
)
def leiden_networkx(ds):
    import networkx as nx

    n, u, v, w = _undirected_weighted(ds)
    g = nx.Graph()
    g.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist()))

    def run():
        return nx.community.louvain_communities(g, weight="weight", resolution=1,
                                                seed=LEIDEN_SEED)

    def summary(c):
        return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                "modularity": nx.community.modularity(g, c, weight="weight"),
                "communities": len(c)}

    return run, summary


# --------------------------------------------------------------------------
# Task: sir
#
# Discrete-time SIR (Porte-voix's diffusion.rs): at step 0 the seeds are
# infected; at each step every infected node infects each susceptible contact
# with probability beta, then recovers with probability gamma. Contacts follow
# information flow: an infected B infects the accounts with an edge A → B (A
# re-shares B). Seeds: the SIR_SEEDS accounts with the most contacts (in-degree),
# ties to the earlier account for Porte-voix and to the lower id for the peer
# (both lists are in the summaries). No PyPI SIR library fits the harness: EoN
# 2.0 (Epidemics on Networks) is published as a source archive only and the
# peers are installed from binary wheels only (setup.sh); ndlib's SIR is a
# per-node Python loop and pulls a dozen dependencies. The peer is therefore
# the same model written with numpy/scipy, vectorised per step.

SIR_BETA = 0.02
SIR_GAMMA = 1.0
SIR_SEEDS = 10
SIR_RUNS = 1000


def portevoix_spread_summary(js: dict) -> dict:
    out = {}
    for k in ("mean", "std", "p10", "p50", "p90", "min", "max", "epidemic_threshold"):
        if isinstance(js.get(k), (int, float)):
            out[k] = js[k]
    if isinstance(js.get("seeds"), list):
        out["seeds"] = [s.get("id") for s in js["seeds"]]
    return out


TASKS["sir"] = Task(
    name="sir",
    title=f"SIR Monte Carlo: beta {SIR_BETA}, gamma {SIR_GAMMA}, {SIR_SEEDS} seeds, "
          f"{SIR_RUNS} runs",
    kind="edgelist",
    description=(
        f"Discrete-time SIR from the {SIR_SEEDS} accounts with the most contacts, "
        f"{SIR_RUNS} independent runs: each step every infected account infects each "
        f"susceptible contact with probability beta = {SIR_BETA}, then recovers with "
        f"probability gamma = {SIR_GAMMA}; contacts follow information flow (an infected B "
        "infects the accounts A with an edge A → B). Outbreak size = accounts ever infected, "
        "seeds included. Loading and choosing the seeds are not timed. Porte-voix runs the "
        "runs in parallel on its own streams; the peer is the same model in numpy/scipy "
        "(no PyPI SIR library installs as a binary wheel: EoN 2.0 is a source archive only), "
        "one run after the other, vectorised per step. Both draw different random numbers, "
        "so their mean outbreak sizes (in the raw JSON summaries) agree only to Monte Carlo "
        "error (std / sqrt(runs))."
    ),
    portevoix_argv=lambda ds: ["spread", "--model", "sir", "--beta", str(SIR_BETA),
                               "--gamma", str(SIR_GAMMA), "--seeds", str(SIR_SEEDS),
                               "--runs", str(SIR_RUNS), "--seed", "0", "--format", "edgelist",
                               "--duplicates", "max", "--json", ds.path],
    portevoix_seconds=portevoix_rank_seconds,
    portevoix_call=f"portevoix spread --model sir --beta {SIR_BETA} --gamma {SIR_GAMMA} "
    f"--seeds {SIR_SEEDS} --runs {SIR_RUNS} --duplicates max --json FILE (timings_ms.kernel)",
)


@impl(
    "sir",
    "numpy",
    library="numpy",
    label="numpy/scipy (same model)",
    call="per run: while infected: gather the contacts of the infected from a CSR "
    "(scipy.sparse), one Bernoulli(beta) per (infected, susceptible contact) pair, np.unique "
    "the successes, then Bernoulli(gamma) recoveries; np.random.default_rng(0)",
    graph="scipy.sparse CSR of the reversed simple graph (row B: the accounts A with A → B)",
    ids="NOT interned (max id + 1 rows)",
    threads="1",
    max_edges=20_000_000,
    skip_reason="runs one after the other: ~0.18 s a run at 16.8M edges (3 min for 1,000), "
    "about 8× that at 134M",
)
def sir_numpy(ds):
    import numpy as np
    import scipy.sparse as sp

    n, s, d = _simple_directed(ds, keep_loops=False)
    # Row b lists the contacts b infects: the sources a of edges a → b.
    m = sp.csr_matrix((np.ones(len(s), dtype=np.int8), (d, s)), shape=(n, n))
    indptr, indices = m.indptr.astype(np.int64), m.indices.astype(np.int64)
    deg = np.diff(indptr)
    seeds = np.lexsort((np.arange(n), -deg))[:SIR_SEEDS]
    rng = np.random.default_rng(0)

    def one_run():
        ever = np.zeros(n, dtype=bool)
        ever[seeds] = True
        infected = np.unique(seeds)
        size = len(infected)
        while infected.size:
            starts, lens = indptr[infected], deg[infected]
            total = int(lens.sum())
            new = np.empty(0, dtype=np.int64)
            if total:
                # Positions of every contact of every infected node, in one gather.
                offs = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
                cand = indices[offs]
                cand = cand[~ever[cand]]
                cand = cand[rng.random(cand.size) < SIR_BETA]
                new = np.unique(cand)
                ever[new] = True
                size += new.size
            if SIR_GAMMA < 1.0:
                stay = infected[rng.random(infected.size) >= SIR_GAMMA]
                infected = np.concatenate([new, stay])
            else:
                infected = new
        return size

    def run():
        return np.array([one_run() for _ in range(SIR_RUNS)])

    def summary(sizes):
        return {"nodes": n, "edges": int(len(s)), "mean": float(sizes.mean()),
                "std": float(sizes.std(ddof=1)) if len(sizes) > 1 else 0.0,
                "p10": float(np.quantile(sizes, 0.1)), "p50": float(np.quantile(sizes, 0.5)),
                "p90": float(np.quantile(sizes, 0.9)), "min": int(sizes.min()),
                "max": int(sizes.max()), "seeds": [str(int(v)) for v in seeds]}

    return run, summary


# --------------------------------------------------------------------------
# Task: imm
#
# Influence maximisation, independent cascade with weighted-cascade
# probabilities (1 / in-degree of the receiver) in the information-flow
# direction (an edge A → B, "A re-shared B", lets B activate A), k = IMM_K
# seeds, IMM with epsilon = IMM_EPS and ell = 1 (Tang, Shi & Xiao 2015).
# Porte-voix runs `examples/influence_max.rs imm` (the `plan` command comes
# later): its time is the IMM call only (`timings_ms.kernel`), loading and
# building the diffusion model are setup, as for the peer.
#
# PyPI packages tried (binary wheels only, CPython 3.11): PyNetIM 0.2.3
# (IMMAlgorithm, pure Python over networkx: the peer below; 0.5.5 has no
# wheel for this Python), netmax 1.0.0 (TIM, TIM+, RIS, CELF, CELF++ in pure
# Python over networkx, with a multi-agent framework around each call; no
# IMM), cynetdiff 0.1.18 (independent cascade and linear threshold
# simulation in Cython, no seed selection), ndlib 6.0.1 (diffusion
# simulation only). No package with a compiled IMM or RIS installs as a
# wheel here.

IMM_K = 50
IMM_EPS = 0.1

TASKS["imm"] = Task(
    name="imm",
    title=f"Influence maximisation: IMM, k = {IMM_K}, epsilon = {IMM_EPS}, IC weighted cascade",
    kind="edgelist",
    description=(
        f"Choose {IMM_K} seeds maximising the expected spread under the independent cascade "
        "with weighted-cascade probabilities (1 / in-degree of the receiver, Kempe et al. 2003), "
        "influence flowing against the stored edges (A → B: A re-shared B, so B's content reaches "
        f"A), by IMM (Tang, Shi & Xiao 2015) with epsilon = {IMM_EPS}, ell = 1. Loading the graph "
        "and building the model are setup, not timed. Porte-voix samples reverse-reachable sets in "
        "parallel (deterministic per set index) and regenerates the phase-2 sets (Chen 2018's "
        "correction); PyNetIM 0.2.3's IMMAlgorithm is pure Python over networkx, reuses phase-1 "
        "sets, and draws each root with random.choice(list(graph.nodes)), O(n) per set."
    ),
    portevoix_argv=lambda ds: ["imm", "--file", ds.path, "--k", str(IMM_K),
                               "--epsilon", str(IMM_EPS)],
    portevoix_seconds=lambda js: (js.get("timings_ms") or {}).get("kernel", 0) / 1e3 or None,
    portevoix_call=f"examples/influence_max imm --file FILE --k {IMM_K} --epsilon {IMM_EPS} "
    "(timings_ms.kernel)",
    portevoix_binary="target/release/examples/influence_max",
    portevoix_build="cargo build --release --example influence_max",
)


@impl(
    "imm",
    "pynetim",
    library="PyNetIM",
    label="PyNetIM 0.2.3 IMMAlgorithm",
    call=f"IMMAlgorithm(IMGraph(G, 'WC'), 'IC', eps={IMM_EPS}, l=1, seed=0).run({IMM_K})",
    graph="networkx DiGraph of the reversed simple graph (B → A for each A → B, no self-loops)",
    ids="NOT interned (file ids as networkx nodes)",
    threads="1",
)
def imm_pynetim(ds):
    import logging

    import networkx as nx
    from pynetim import IMGraph
    from pynetim.algorithms import IMMAlgorithm

    logging.getLogger().setLevel(logging.WARNING)
    n, s, d = _simple_directed(ds, keep_loops=False)
    g = nx.DiGraph()
    g.add_edges_from(zip(d.tolist(), s.tolist()))  # influence flows B → A
    img = IMGraph(g, "WC")
    algo = IMMAlgorithm(img, "IC", eps=IMM_EPS, l=1, seed=0)

    def run():
        return algo.run(IMM_K)

    def summary(seeds):
        return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                "seeds": [str(v) for v in list(seeds)[:10]]}

    return run, summary
