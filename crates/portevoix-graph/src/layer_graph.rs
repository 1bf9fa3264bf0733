//! One frozen layer: out- and in-CSR with weights, optional extras, stats.

use crate::build;
use crate::csr::{Csr, EdgeTimes};
use crate::options::BuildOptions;
use crate::par::deterministic_sum;
use crate::stats::{DegreeSummaries, DegreeSummary, LayerStats};
use portevoix_core::{LayerLog, NodeId, Result};
use rayon::prelude::*;
use std::ops::Range;

/// Optional per-out-edge columns, present only when the input has them.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Extras {
    pub(crate) counts: Option<Vec<u32>>,
    pub(crate) times: Option<EdgeTimes>,
    pub(crate) values: Option<Vec<f32>>,
}

/// One layer of the network (or a [merged view](crate::Network::merged) of
/// several), frozen: both directions in CSR form with `f32` weights.
///
/// * **Out-CSR** ([`LayerGraph::out_csr`]): row `u` lists the targets `v`
///   of edges `u → v` (whom `u` followed, retweeted, rated...).
/// * **In-CSR** ([`LayerGraph::in_csr`]): row `v` lists the sources `u`,
///   with the same weights. It is the exact transpose of the out-CSR.
/// * Rows are sorted by neighbour id, without repeats: duplicates of the
///   input were merged by the [`DuplicatePolicy`](crate::DuplicatePolicy).
///
/// Extras, indexed by **out-edge position** (see [`LayerGraph::out_edge_range`]
/// and [`LayerGraph::find_edge`]), present only when the input has them:
/// merged-row [`counts`](LayerGraph::counts), event [`times`](LayerGraph::times),
/// and the mean rating [`values`](LayerGraph::values).
///
/// Memory: 16 bytes per edge for both directions with weights, plus 16 bytes
/// per node of offsets ([`LayerGraph::bytes_per_edge`] measures it); extras
/// are reported apart by [`LayerGraph::extra_bytes`].
///
/// ```
/// use portevoix_core::{LayerLog, NodeId};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// let g = LayerGraph::from_edges(3, &[(0, 1), (2, 1), (0, 1)], &BuildOptions::default())?;
/// assert_eq!(g.num_edges(), 2);
/// // The two 0 → 1 rows were merged by summing their weights.
/// assert_eq!(g.in_neighbors(NodeId(1)), (&[0u32, 2][..], &[2.0f32, 1.0][..]));
/// assert_eq!(g.edge_count(g.find_edge(NodeId(0), NodeId(1)).unwrap()), 2);
/// assert_eq!(g.stats().duplicates_merged, 1);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LayerGraph {
    pub(crate) out: Csr,
    pub(crate) inn: Csr,
    pub(crate) extras: Extras,
    pub(crate) stats: LayerStats,
}

impl LayerGraph {
    /// Builds one layer from its rows, `actor[i] → target[i]`, in parallel.
    ///
    /// # Arguments
    /// * `log`: the rows of the layer (columns of equal length; optional
    ///   `time` with [`NO_TIME`](portevoix_core::NO_TIME) for unknown, `value`
    ///   with NaN for none; `post` is not used by the graph).
    /// * `num_nodes`: size of the id space; every id must be below it.
    /// * `options`: duplicate policy, self-loops, times
    ///   ([`BuildOptions::layers`] is ignored here).
    ///
    /// # Returns
    /// The frozen layer with its [`LayerStats`], or
    /// [`Error::Argument`](portevoix_core::Error::Argument) if
    /// an id is `>= num_nodes`, the columns are misaligned, `num_nodes`
    /// exceeds `u32::MAX`, or the layer has more than `u32::MAX` rows. It
    /// never panics on what a [`LayerLog`] can hold.
    ///
    /// # Algorithm
    /// A parallel, two-level **stable counting sort** of the rows by actor:
    /// per-chunk histograms, prefix sums into disjoint write cursors, a
    /// partition of packed `(target, weight)` words into a few thousand
    /// coarse buckets of actors, then per coarse bucket, in cache, a local
    /// counting sort by actor, a stable sort of each actor's rows by target
    /// and an in-place merge of duplicate runs in input order. A compaction
    /// gives the out-CSR, and the same two-level counting sort by target
    /// gives the in-CSR (transposition). Because every sort is stable and
    /// every merge follows input order, the result, floating-point sums
    /// included, is **bit-identical for any number of threads**.
    ///
    /// # Complexity
    /// `O(r + n · c + Σ_u d_u log d_u)` work for `r` rows, `n` nodes, `c`
    /// chunks (at most the thread count) and `d_u` rows per actor; the
    /// `log` factor only applies to actors whose rows are not already sorted
    /// by target. Memory peaks at about 12 bytes per row of buffers plus the
    /// final 16 bytes per edge (and 4 per edge of counts when rows merged).
    /// Measured on two idle cores (`benches/network_build.rs` and
    /// `examples/kronecker.rs --build`): 16.8 million Graph500 rows (scale 20)
    /// in 0.28 s (0.22 s when the rows come sorted by source and target, as
    /// in SNAP files; 0.5 s on one core), Slashdot Zoo (0.95 million rows) in
    /// about 15 ms.
    ///
    /// # Example
    /// ```
    /// use portevoix_core::{LayerLog, NodeId, Timestamp};
    /// use portevoix_graph::{BuildOptions, DuplicatePolicy, LayerGraph};
    ///
    /// let mut log = LayerLog::default();
    /// log.push(NodeId(0), NodeId(1), 1.0, Some(Timestamp(20)), None, None);
    /// log.push(NodeId(0), NodeId(1), 3.0, Some(Timestamp(10)), None, None);
    /// log.push(NodeId(1), NodeId(1), 1.0, None, None, None); // self-loop
    /// let opts = BuildOptions { duplicates: DuplicatePolicy::Max, ..Default::default() };
    /// let g = LayerGraph::build(&log, 2, &opts)?;
    /// let e = g.find_edge(NodeId(0), NodeId(1)).unwrap();
    /// assert_eq!(g.out_csr().weights()[e], 3.0);
    /// assert_eq!(g.edge_count(e), 2);
    /// assert_eq!(g.edge_times(e), &[10, 20]);
    /// assert_eq!(g.stats().self_loops_dropped, 1);
    /// # Ok::<(), portevoix_core::Error>(())
    /// ```
    ///
    /// # References
    /// The CSR layout and its construction by counting sort are those of
    /// sparse-matrix practice (Gustavson, *Two fast algorithms for sparse
    /// matrices: multiplication and permuted transposition*, ACM TOMS 4(3),
    /// 1978) and of graph frameworks such as Ligra and the GAP benchmark suite.
    pub fn build(log: &LayerLog, num_nodes: usize, options: &BuildOptions) -> Result<LayerGraph> {
        build::build_layer(log, num_nodes, options)
    }

    /// Builds a layer from unit-weight `(source, target)` pairs, such as a
    /// [Kronecker graph](crate::generate::kronecker). Same contract as
    /// [`LayerGraph::build`].
    pub fn from_edges(
        num_nodes: usize,
        edges: &[(u32, u32)],
        options: &BuildOptions,
    ) -> Result<LayerGraph> {
        LayerGraph::build(&edges_to_log(edges), num_nodes, options)
    }

    /// The undirected view of this layer: every edge in both directions; a
    /// pair linked both ways weighs the larger of its two weights, so an
    /// unweighted graph keeps unit weights (NetworkX's `to_undirected`
    /// keeps one weight per pair too); self-loops stay, once. Times, counts
    /// and values are not carried over.
    ///
    /// # Errors
    ///
    /// What [`LayerGraph::build`] reports (never for a built layer).
    ///
    /// # Example
    /// ```
    /// use portevoix_core::NodeId;
    /// use portevoix_graph::LayerGraph;
    ///
    /// let g = LayerGraph::from_edges(3, &[(0, 1), (1, 0), (1, 2)], &Default::default())?;
    /// let u = g.symmetrized()?;
    /// assert_eq!(u.num_edges(), 4);
    /// assert!(u.has_edge(NodeId(2), NodeId(1)));
    /// assert_eq!(u.edge_weight(NodeId(0), NodeId(1)), Some(1.0));
    /// # Ok::<(), portevoix_core::Error>(())
    /// ```
    ///
    /// # Complexity
    ///
    /// O(E) (a rebuild of 2E rows).
    pub fn symmetrized(&self) -> Result<LayerGraph> {
        let mut log = LayerLog::default();
        for (a, b, w) in self.edges() {
            log.push(a, b, w, None, None, None);
            if a != b {
                log.push(b, a, w, None, None, None);
            }
        }
        let options = BuildOptions {
            duplicates: crate::DuplicatePolicy::Max,
            keep_self_loops: true,
            ..BuildOptions::default()
        };
        LayerGraph::build(&log, self.num_nodes(), &options)
    }

    /// An edgeless layer over `num_nodes` nodes.
    pub fn empty(num_nodes: usize) -> LayerGraph {
        LayerGraph::assemble(
            Csr::empty(num_nodes),
            Csr::empty(num_nodes),
            Extras::default(),
            LayerStats::default(),
        )
    }

    /// Puts a layer together and fills in the structural statistics
    /// (edges, self-loops, active nodes, reciprocity, weight sum).
    pub(crate) fn assemble(
        out: Csr,
        inn: Csr,
        extras: Extras,
        mut stats: LayerStats,
    ) -> LayerGraph {
        let n = out.num_nodes();
        // Integer counts: any reduction order gives the same totals.
        // Reciprocal pairs are symmetric, so each node only intersects the
        // parts of its rows above its own id, and the count is doubled:
        // half the work of intersecting whole rows.
        let (reciprocal_pairs, self_loops, active) = (0..n.div_ceil(STATS_BLOCK))
            .into_par_iter()
            .map(|b| {
                let mut acc = (0u64, 0u64, 0u64);
                for u in b * STATS_BLOCK..((b + 1) * STATS_BLOCK).min(n) {
                    let (o, i) = (out.range(u), inn.range(u));
                    if o.is_empty() || i.is_empty() {
                        // No reciprocal edge, and no self-loop (it would be
                        // in both rows): most accounts of a social graph
                        // only act or are only acted on.
                        acc.2 += u64::from(!o.is_empty() || !i.is_empty());
                        continue;
                    }
                    let (outs, ins) = (&out.neighbors[o], &inn.neighbors[i]);
                    let me = u as u32;
                    let o = outs.partition_point(|&v| v <= me);
                    let i = ins.partition_point(|&v| v <= me);
                    acc.0 += sorted_intersection(&outs[o..], &ins[i..]);
                    acc.1 += u64::from(o > 0 && outs[o - 1] == me);
                    acc.2 += 1;
                }
                acc
            })
            .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
        let reciprocated = 2 * reciprocal_pairs;
        let edges = out.num_edges() as u64;
        let non_loop = edges - self_loops;
        stats.edges = edges;
        stats.self_loops = self_loops;
        stats.active_nodes = active;
        stats.reciprocity = if non_loop == 0 {
            0.0
        } else {
            reciprocated as f64 / non_loop as f64
        };
        stats.weight_sum = deterministic_sum(&out.weights);
        LayerGraph {
            out,
            inn,
            extras,
            stats,
        }
    }

    /// Number of nodes (the network's id space, isolated nodes included).
    #[inline]
    pub fn num_nodes(&self) -> usize {
        self.out.num_nodes()
    }

    /// Number of edges.
    #[inline]
    pub fn num_edges(&self) -> usize {
        self.out.num_edges()
    }

    /// The out-direction CSR (row `u`: targets of `u`'s edges).
    #[inline]
    pub fn out_csr(&self) -> &Csr {
        &self.out
    }

    /// The in-direction CSR (row `v`: sources of edges into `v`).
    #[inline]
    pub fn in_csr(&self) -> &Csr {
        &self.inn
    }

    /// Targets and weights of the edges leaving `node`, sorted by target.
    ///
    /// # Panics
    /// If `node` is not below [`LayerGraph::num_nodes`] (a programming error).
    #[inline]
    pub fn out_neighbors(&self, node: NodeId) -> (&[u32], &[f32]) {
        self.out.row(node.index())
    }

    /// Sources and weights of the edges entering `node`, sorted by source.
    ///
    /// # Panics
    /// If `node` is not below [`LayerGraph::num_nodes`].
    #[inline]
    pub fn in_neighbors(&self, node: NodeId) -> (&[u32], &[f32]) {
        self.inn.row(node.index())
    }

    /// Number of edges leaving `node`.
    ///
    /// # Panics
    /// If `node` is not below [`LayerGraph::num_nodes`].
    #[inline]
    pub fn out_degree(&self, node: NodeId) -> usize {
        self.out.degree(node.index())
    }

    /// Number of edges entering `node`.
    ///
    /// # Panics
    /// If `node` is not below [`LayerGraph::num_nodes`].
    #[inline]
    pub fn in_degree(&self, node: NodeId) -> usize {
        self.inn.degree(node.index())
    }

    /// Sum of the weights of the edges leaving `node` (in `f64`, in target order).
    ///
    /// # Panics
    /// If `node` is not below [`LayerGraph::num_nodes`].
    pub fn weighted_out_degree(&self, node: NodeId) -> f64 {
        self.out_neighbors(node).1.iter().map(|&w| w as f64).sum()
    }

    /// Sum of the weights of the edges entering `node` (in `f64`, in source order).
    ///
    /// # Panics
    /// If `node` is not below [`LayerGraph::num_nodes`].
    pub fn weighted_in_degree(&self, node: NodeId) -> f64 {
        self.in_neighbors(node).1.iter().map(|&w| w as f64).sum()
    }

    /// Every edge as `(source, target, weight)`, by source then target.
    pub fn edges(&self) -> impl Iterator<Item = (NodeId, NodeId, f32)> + '_ {
        (0..self.num_nodes()).flat_map(move |u| {
            let (ts, ws) = self.out.row(u);
            ts.iter()
                .zip(ws)
                .map(move |(&v, &w)| (NodeId(u as u32), NodeId(v), w))
        })
    }

    /// Positions of `node`'s out-edges in the out-CSR arrays and in the
    /// extras ([`LayerGraph::edge_count`], [`LayerGraph::edge_times`], ...).
    ///
    /// # Panics
    /// If `node` is not below [`LayerGraph::num_nodes`].
    #[inline]
    pub fn out_edge_range(&self, node: NodeId) -> Range<usize> {
        self.out.range(node.index())
    }

    /// Out-edge position of `source → target`, if that edge exists
    /// (binary search, `O(log d)`). Out-of-range ids give `None`.
    pub fn find_edge(&self, source: NodeId, target: NodeId) -> Option<usize> {
        if source.index() >= self.num_nodes() {
            return None;
        }
        self.out.find(source.index(), target.0)
    }

    /// Whether `source → target` exists.
    pub fn has_edge(&self, source: NodeId, target: NodeId) -> bool {
        self.find_edge(source, target).is_some()
    }

    /// Weight of `source → target`, if that edge exists.
    pub fn edge_weight(&self, source: NodeId, target: NodeId) -> Option<f32> {
        self.find_edge(source, target).map(|e| self.out.weights[e])
    }

    /// Number of input rows merged into each out-edge, or `None` when every
    /// edge came from exactly one row (then [`LayerGraph::edge_count`] is 1).
    pub fn counts(&self) -> Option<&[u32]> {
        self.extras.counts.as_deref()
    }

    /// Number of input rows merged into out-edge `edge` (1 when
    /// [`LayerGraph::counts`] is `None` or `edge` is out of range).
    pub fn edge_count(&self, edge: usize) -> u32 {
        self.extras
            .counts
            .as_ref()
            .and_then(|c| c.get(edge).copied())
            .unwrap_or(1)
    }

    /// Event times per out-edge, when the input had times and
    /// [`BuildOptions::keep_times`] was set.
    pub fn times(&self) -> Option<&EdgeTimes> {
        self.extras.times.as_ref()
    }

    /// Sorted event times (ms since the epoch) of out-edge `edge`; empty
    /// when unknown.
    pub fn edge_times(&self, edge: usize) -> &[i64] {
        self.extras.times.as_ref().map_or(&[], |t| t.get(edge))
    }

    /// Mean rating value per out-edge (NaN for edges whose rows had none),
    /// when the input had values (the rating layer).
    pub fn values(&self) -> Option<&[f32]> {
        self.extras.values.as_deref()
    }

    /// Mean rating value of out-edge `edge`, if any.
    pub fn edge_value(&self, edge: usize) -> Option<f32> {
        self.extras
            .values
            .as_ref()
            .and_then(|v| v.get(edge).copied())
            .filter(|v| !v.is_nan())
    }

    /// Build and structure statistics.
    pub fn stats(&self) -> &LayerStats {
        &self.stats
    }

    /// In- and out-degree summaries over all nodes.
    ///
    /// Complexity: `O(n log n)` (a parallel sort of the degrees).
    pub fn degree_summary(&self) -> DegreeSummaries {
        let degrees =
            |csr: &Csr| -> Vec<u64> { csr.offsets.par_windows(2).map(|w| w[1] - w[0]).collect() };
        DegreeSummaries {
            out_degree: DegreeSummary::from_degrees(&mut degrees(&self.out)),
            in_degree: DegreeSummary::from_degrees(&mut degrees(&self.inn)),
        }
    }

    /// The `k` nodes with the most incoming edges, by decreasing in-degree,
    /// ties broken by lower [`NodeId`]. Fewer than `k` if the network is smaller.
    ///
    /// Complexity: `O(n + k log k)` (selection, then a sort of the top `k`).
    pub fn top_by_in_degree(&self, k: usize) -> Vec<(NodeId, u64)> {
        top_k(&self.inn, k)
    }

    /// The `k` nodes with the most outgoing edges, ties broken by lower [`NodeId`].
    pub fn top_by_out_degree(&self, k: usize) -> Vec<(NodeId, u64)> {
        top_k(&self.out, k)
    }

    /// Heap bytes of both CSRs (offsets, neighbours, weights).
    pub fn csr_bytes(&self) -> usize {
        self.out.heap_bytes() + self.inn.heap_bytes()
    }

    /// Heap bytes of the extras (counts, times, values).
    pub fn extra_bytes(&self) -> usize {
        self.extras.counts.as_ref().map_or(0, |c| c.capacity() * 4)
            + self.extras.times.as_ref().map_or(0, EdgeTimes::heap_bytes)
            + self.extras.values.as_ref().map_or(0, |v| v.capacity() * 4)
    }

    /// Every heap byte held: [`LayerGraph::csr_bytes`] + [`LayerGraph::extra_bytes`].
    pub fn heap_bytes(&self) -> usize {
        self.csr_bytes() + self.extra_bytes()
    }

    /// [`LayerGraph::csr_bytes`] per edge: 16 for the edge arrays of both
    /// directions, plus the offsets' share (`16 · n / m`). Extras are not
    /// included. 0 for an edgeless layer.
    pub fn bytes_per_edge(&self) -> f64 {
        match self.num_edges() {
            0 => 0.0,
            m => self.csr_bytes() as f64 / m as f64,
        }
    }
}

/// `|a ∩ b|` for two sorted, repeat-free lists.
///
/// A branch-free merge (the comparisons feed additions, not jumps, so
/// random neighbour ids cost no mispredictions), or binary searches of the
/// shorter list in the longer one when their sizes differ a lot (hubs).
/// Accounts per task of the statistics pass (integer counts: the block
/// size does not change the totals).
const STATS_BLOCK: usize = 4096;

fn sorted_intersection(a: &[u32], b: &[u32]) -> u64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 0;
    }
    if short.len() * 32 < long.len() {
        return short
            .iter()
            .filter(|x| long.binary_search(x).is_ok())
            .count() as u64;
    }
    let (mut i, mut j, mut c) = (0usize, 0usize, 0u64);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        c += (x == y) as u64;
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    c
}

fn top_k(csr: &Csr, k: usize) -> Vec<(NodeId, u64)> {
    let n = csr.num_nodes();
    let k = k.min(n);
    if k == 0 {
        return Vec::new();
    }
    let mut all: Vec<(u64, u32)> = (0..n).map(|v| (csr.degree(v) as u64, v as u32)).collect();
    // Higher degree first, then lower id: a total order, so the result is unique.
    let order = |a: &(u64, u32), b: &(u64, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if k < n {
        all.select_nth_unstable_by(k - 1, order);
        all.truncate(k);
    }
    all.sort_unstable_by(order);
    all.into_iter().map(|(d, v)| (NodeId(v), d)).collect()
}

/// A unit-weight [`LayerLog`] from `(source, target)` pairs.
pub(crate) fn edges_to_log(edges: &[(u32, u32)]) -> LayerLog {
    LayerLog {
        actor: edges.par_iter().map(|e| e.0).collect(),
        target: edges.par_iter().map(|e| e.1).collect(),
        weight: vec![1.0; edges.len()],
        ..LayerLog::default()
    }
}
