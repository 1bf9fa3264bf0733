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
        "teleport mass to the sink itself and is not the standard PageRank."
    ),
    portevoix_argv=lambda ds: ["rank", "--kernel", "pagerank", "--format", "edgelist",
                               "--keep-self-loops", "--duplicates", "max",
                               "--tolerance", str(PAGERANK_L1), "--max-iterations", "1000",
                               "--top", "1", "--json", ds.path],
    portevoix_seconds=portevoix_rank_seconds,
    portevoix_call="portevoix rank --kernel pagerank --keep-self-loops --duplicates max "
    "--tolerance 1e-9 --json FILE (timings_ms.kernel)",
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
    portevoix_argv=lambda ds: ["sentiment", "--lang", "en", "--format", "posts-csv",
                               "--summary", "--json", ds.path],
    portevoix_seconds=lambda js: (float(js["scoring_ms"]) / 1e3
                                  if js.get("scoring_ms") is not None else None),
    portevoix_call="portevoix sentiment --lang en --format posts-csv --summary --json FILE "
    "(scoring_ms)",
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
