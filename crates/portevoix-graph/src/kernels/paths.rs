//! Influence paths: the `k` strongest loopless paths from a set of accounts
//! to another, for "who can carry our message to this person".
//!
//! # Direction
//!
//! Edges point **actor → target** ("A retweeted B" is `A → B`); a message
//! travels the other way, from B to the A who re-shares it. With the default
//! [`Direction::Followers`] a path `s = v0, v1, ..., vk = t` therefore walks
//! the **in-CSR**: every step `vi → vi+1` is an edge `vi+1 → vi` of the layer
//! (`vi+1` re-shares, replies to or follows `vi`), so the message of the
//! brand account `s` can reach `t`. [`Direction::Following`] walks the
//! out-CSR (every step is an edge `vi → vi+1` of the layer), for layers whose
//! edges already point along the flow.
//!
//! # Formula
//!
//! A tie's strength `p ∈ (0, 1]` comes from its interactions; by default
//! ([`TieStrength::Weight`])
//!
//! ```text
//! p(e) = 1 − exp(−w(e) / scale)
//! ```
//!
//! with `w(e)` the edge weight (the sum of merged interactions on a layer or
//! merged view); [`TieStrength::Count`] uses the merged-row count instead
//! and [`TieStrength::Custom`] any `Fn(weight, count) -> p`. The strength of
//! a path is the product of its ties' `p`, so the strongest path is the
//! shortest under the cost `−ln p ≥ 0`, and a path's reported strength is
//! `exp(−Σ −ln p)`. A tie with `p = 0` (e.g. a non-positive weight under the
//! default) carries nothing and is skipped; `p` above 1 or not a number is an
//! error.
//!
//! Many sources and targets are handled with a virtual super-source joined
//! to every source and a virtual super-target joined from every target by
//! cost-0 edges: the result is the `k` cheapest simple paths from any source
//! to any target (a path may pass through other sources or targets; an
//! account in both sets gives the one-account path of strength 1).
//!
//! # Algorithm
//!
//! Yen's algorithm over Dijkstra: the first path is Dijkstra's; each
//! further path deviates from a previous one at a spur node, with the root's
//! nodes and the already-used next edges removed. Dijkstra uses a binary
//! heap ordered by `(cost, node id)`, so ties are broken by id and the result
//! is deterministic; candidates tie-break on their node sequence.
//!
//! # Reference
//!
//! J. Y. Yen, "Finding the k shortest loopless paths in a network",
//! *Management Science* 17(11), 712–716, 1971. E. W. Dijkstra, "A note on
//! two problems in connexion with graphs", *Numerische Mathematik* 1, 1959.

use crate::LayerGraph;
use crate::csr::Csr;
pub use crate::kernels::hyperball::Direction;
use portevoix_core::{Error, Layer, NodeId, Result};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};
use std::fmt;
use std::sync::Arc;

/// How a tie's strength `p ∈ (0, 1]` is computed from its weight and its
/// merged interaction count (see the [module](self) docs).
#[derive(Clone)]
pub enum TieStrength {
    /// `p = 1 − exp(−w / scale)` from the edge weight `w` (the default, with
    /// `scale = 1`: one interaction gives 0.63, three give 0.95).
    Weight {
        /// Weight at which `p` reaches `1 − 1/e`; positive.
        scale: f64,
    },
    /// `p = 1 − exp(−c / scale)` from the number `c` of merged interaction
    /// rows of the edge ([`LayerGraph::edge_count`]).
    Count {
        /// Count at which `p` reaches `1 − 1/e`; positive.
        scale: f64,
    },
    /// Any `p = f(weight, count)` in `[0, 1]` (0 removes the tie).
    Custom(Arc<dyn Fn(f32, u32) -> f64 + Send + Sync>),
}

impl Default for TieStrength {
    fn default() -> Self {
        TieStrength::Weight { scale: 1.0 }
    }
}

impl fmt::Debug for TieStrength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TieStrength::Weight { scale } => write!(f, "Weight {{ scale: {scale} }}"),
            TieStrength::Count { scale } => write!(f, "Count {{ scale: {scale} }}"),
            TieStrength::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

/// Options of [`strongest_paths`].
#[derive(Debug, Clone, Default)]
pub struct PathOptions {
    /// CSR walked from the sources (default [`Direction::Followers`]: the
    /// in-CSR, along which information flows).
    pub direction: Direction,
    /// Strength of a tie (default [`TieStrength::Weight`] with scale 1).
    pub tie: TieStrength,
}

/// One path of [`strongest_paths`].
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// Accounts from a source to a target, in the order the message travels.
    pub nodes: Vec<NodeId>,
    /// Product of the ties' strengths, in `(0, 1]`.
    pub strength: f64,
    /// Number of ties (`nodes.len() − 1`).
    pub hops: usize,
    /// The strength `p` of each tie, in the order of `nodes` (`ties[i]`
    /// joins `nodes[i]` and `nodes[i + 1]`); their product is `strength`.
    pub ties: Vec<f64>,
}

/// The layers that carry a message from one account to another (follow,
/// repost, quote, reply, mention): an interaction `A → B` of these means A
/// saw something of B, so B's message can travel to A. Likes show approval
/// but pass nothing on; ratings are not messages.
pub const MESSAGE_LAYERS: [Layer; 5] = [
    Layer::Follow,
    Layer::Repost,
    Layer::Quote,
    Layer::Reply,
    Layer::Mention,
];

/// The message layers of `network` that have edges, weight 1 each, in
/// [`MESSAGE_LAYERS`] order (empty when it has none).
pub fn message_layers(network: &crate::Network) -> Vec<(Layer, f32)> {
    MESSAGE_LAYERS
        .iter()
        .filter(|&&l| network.layer(l).is_some_and(|g| g.num_edges() > 0))
        .map(|&l| (l, 1.0))
        .collect()
}

/// Totally ordered heap entry: smallest `(cost, node)` first.
#[derive(Clone, Copy, PartialEq)]
struct Entry(f64, u32);

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A candidate path of Yen's algorithm: smallest `(cost, nodes)` first.
#[derive(Clone, PartialEq)]
struct Candidate(f64, Vec<u32>);

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The walked graph augmented with the super-source `n` and super-target
/// `n + 1`, with the cost `−ln p` of every walked edge.
struct Walk<'a> {
    csr: &'a Csr,
    costs: Vec<f64>,
    sources: Vec<u32>,
    is_target: Vec<bool>,
    n: u32,
}

impl Walk<'_> {
    /// Cost of the step `u → v` in the augmented graph (`None` if absent or
    /// skipped).
    fn cost(&self, u: u32, v: u32) -> Option<f64> {
        let (n, s, t) = (self.n, self.n, self.n + 1);
        if u == s {
            return self.sources.binary_search(&v).ok().map(|_| 0.0);
        }
        if v == t {
            return (u < n && self.is_target[u as usize]).then_some(0.0);
        }
        if u >= n || v >= n {
            return None;
        }
        self.csr
            .find(u as usize, v)
            .map(|e| self.costs[e])
            .filter(|c| c.is_finite())
    }

    /// Total cost of a path, summed from its start (the same order for every
    /// path, so equal paths have equal costs).
    fn path_cost(&self, path: &[u32]) -> f64 {
        path.windows(2)
            .map(|w| self.cost(w[0], w[1]).expect("edge of a found path"))
            .sum()
    }

    /// Dijkstra from `start` to the super-target avoiding `blocked` nodes and
    /// the steps `start → x` for `x` in `banned`; the path's nodes.
    fn dijkstra(&self, start: u32, blocked: &[bool], banned: &[u32]) -> Option<Vec<u32>> {
        let total = self.n as usize + 2;
        let (s, t) = (self.n, self.n + 1);
        let mut dist = vec![f64::INFINITY; total];
        let mut pred = vec![u32::MAX; total];
        let mut done = vec![false; total];
        let mut heap = BinaryHeap::new();
        dist[start as usize] = 0.0;
        heap.push(Entry(0.0, start));
        while let Some(Entry(d, u)) = heap.pop() {
            if done[u as usize] {
                continue;
            }
            done[u as usize] = true;
            if u == t {
                let mut path = vec![t];
                let mut x = t;
                while x != start {
                    x = pred[x as usize];
                    path.push(x);
                }
                path.reverse();
                return Some(path);
            }
            let mut relax = |v: u32, c: f64| {
                if blocked[v as usize] || (u == start && banned.contains(&v)) {
                    return;
                }
                let nd = d + c;
                if nd < dist[v as usize] {
                    dist[v as usize] = nd;
                    pred[v as usize] = u;
                    heap.push(Entry(nd, v));
                }
            };
            if u == s {
                for &v in &self.sources {
                    relax(v, 0.0);
                }
            } else {
                let r = self.csr.range(u as usize);
                for (&v, &c) in self.csr.neighbors()[r.clone()].iter().zip(&self.costs[r]) {
                    if c.is_finite() {
                        relax(v, c);
                    }
                }
                if self.is_target[u as usize] {
                    relax(t, 0.0);
                }
            }
        }
        None
    }
}

/// Cost `−ln p` of every edge of `csr` (walked in `direction`), validated.
fn edge_costs(graph: &LayerGraph, csr: &Csr, options: &PathOptions) -> Result<Vec<f64>> {
    let counts_needed = !matches!(options.tie, TieStrength::Weight { .. });
    let mut costs = Vec::with_capacity(csr.num_edges());
    for u in 0..csr.num_nodes() {
        let (nbrs, wts) = csr.row(u);
        for (&v, &w) in nbrs.iter().zip(wts) {
            let count = if counts_needed && graph.counts().is_some() {
                let e = match options.direction {
                    Direction::Followers => graph.find_edge(NodeId(v), NodeId(u as u32)),
                    Direction::Following => graph.find_edge(NodeId(u as u32), NodeId(v)),
                };
                e.map_or(1, |e| graph.edge_count(e))
            } else {
                1
            };
            let p = match &options.tie {
                TieStrength::Weight { scale } => 1.0 - (-(w as f64) / scale).exp(),
                TieStrength::Count { scale } => 1.0 - (-(count as f64) / scale).exp(),
                TieStrength::Custom(f) => f(w, count),
            };
            if p.is_nan() || p > 1.0 {
                return Err(Error::argument(
                    "strength",
                    format!(
                        "tie strength must be in [0, 1], got {p} for weight {w}, count {count}"
                    ),
                ));
            }
            costs.push(if p <= 0.0 {
                f64::INFINITY
            } else if p >= 1.0 {
                0.0 // not −0.0, so that costs compare as equal
            } else {
                -p.ln()
            });
        }
    }
    Ok(costs)
}

/// The `k` strongest loopless paths from any of `sources` to any of
/// `targets` (see the [module](self) docs for the direction, the tie
/// strength formula and the algorithm).
///
/// # Arguments
///
/// * `graph`: any layer or merged view.
/// * `sources`, `targets`: the two account sets (e.g. the brand's accounts
///   and the person to reach); repeats are ignored.
/// * `k`: the number of paths wanted.
/// * `options`: the walked [`Direction`] and the [`TieStrength`].
///
/// # Returns
///
/// Up to `k` [`Path`]s by decreasing strength (ties by node sequence), fewer
/// when fewer simple paths exist; empty when `k`, `sources` or `targets` is
/// empty. An error for an account out of range, a non-positive `scale` or a
/// tie strength above 1 or NaN.
///
/// # Complexity
///
/// `O(k · L · (m + n) log n)` time for paths of at most `L` nodes on `n`
/// nodes and `m` edges (one Dijkstra per spur node, Yen 1971), plus one pass
/// over the edges to compute their costs; `O(n + m)` memory plus the `k`
/// paths and their candidates.
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::paths::{PathOptions, strongest_paths};
/// use portevoix_core::{Layer, LayerLog, NodeId};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // 1 retweeted the brand 0 five times, 2 retweeted 1 five times, and the
/// // target 2 retweeted the brand once (edges actor → target).
/// let mut log = LayerLog::default();
/// for (a, b, w) in [(1, 0, 5.0), (2, 1, 5.0), (2, 0, 1.0)] {
///     log.push(NodeId(a), NodeId(b), w, None, None, None);
/// }
/// let g = LayerGraph::build(&log, 3, &BuildOptions::default())?;
/// let paths = strongest_paths(&g, &[NodeId(0)], &[NodeId(2)], 2, &PathOptions::default())?;
/// assert_eq!(paths[0].nodes, [NodeId(0), NodeId(1), NodeId(2)]);
/// assert!((paths[0].strength - (1.0 - (-5.0f64).exp()).powi(2)).abs() < 1e-12);
/// assert_eq!(paths[1].nodes, [NodeId(0), NodeId(2)]);
/// assert_eq!(paths[1].hops, 1);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn strongest_paths(
    graph: &LayerGraph,
    sources: &[NodeId],
    targets: &[NodeId],
    k: usize,
    options: &PathOptions,
) -> Result<Vec<Path>> {
    let n = graph.num_nodes();
    if n > u32::MAX as usize - 2 {
        return Err(Error::argument("graph", "graph too large for paths"));
    }
    for &v in sources.iter().chain(targets) {
        if v.index() >= n {
            return Err(Error::argument(
                "nodes",
                format!("node {} out of range for a graph of {n} nodes", v.0),
            ));
        }
    }
    if let TieStrength::Weight { scale } | TieStrength::Count { scale } = options.tie {
        if !(scale > 0.0 && scale.is_finite()) {
            return Err(Error::argument(
                "scale",
                format!("tie strength scale must be positive and finite, got {scale}"),
            ));
        }
    }
    if k == 0 || sources.is_empty() || targets.is_empty() {
        return Ok(Vec::new());
    }
    let csr = match options.direction {
        Direction::Followers => graph.in_csr(),
        Direction::Following => graph.out_csr(),
    };
    let mut src: Vec<u32> = sources.iter().map(|v| v.0).collect();
    src.sort_unstable();
    src.dedup();
    let mut is_target = vec![false; n];
    for &t in targets {
        is_target[t.index()] = true;
    }
    let walk = Walk {
        csr,
        costs: edge_costs(graph, csr, options)?,
        sources: src,
        is_target,
        n: n as u32,
    };
    let s = n as u32;
    let mut blocked = vec![false; n + 2];
    let Some(first) = walk.dijkstra(s, &blocked, &[]) else {
        return Ok(Vec::new());
    };
    let mut found: Vec<(f64, Vec<u32>)> = vec![(walk.path_cost(&first), first)];
    let mut candidates = BinaryHeap::new();
    let mut seen: HashSet<Vec<u32>> = HashSet::new();
    seen.insert(found[0].1.clone());
    while found.len() < k {
        let prev = found.last().expect("one path").1.clone();
        // Spur at every node but the super-target.
        for i in 0..prev.len() - 1 {
            let spur = prev[i];
            let root = &prev[..=i];
            let banned: Vec<u32> = found
                .iter()
                .filter(|(_, p)| p.len() > i + 1 && &p[..=i] == root)
                .map(|(_, p)| p[i + 1])
                .collect();
            for &r in &root[..i] {
                blocked[r as usize] = true;
            }
            if let Some(tail) = walk.dijkstra(spur, &blocked, &banned) {
                let mut path = root[..i].to_vec();
                path.extend_from_slice(&tail);
                if seen.insert(path.clone()) {
                    candidates.push(Candidate(walk.path_cost(&path), path));
                }
            }
            for &r in &root[..i] {
                blocked[r as usize] = false;
            }
        }
        match candidates.pop() {
            Some(Candidate(c, p)) => found.push((c, p)),
            None => break,
        }
    }
    Ok(found
        .into_iter()
        .map(|(cost, p)| {
            let inner = &p[1..p.len() - 1];
            let nodes: Vec<NodeId> = inner.iter().map(|&v| NodeId(v)).collect();
            let ties = inner
                .windows(2)
                .map(|w| (-walk.cost(w[0], w[1]).expect("edge of a found path")).exp())
                .collect();
            Path {
                hops: nodes.len() - 1,
                nodes,
                strength: (-cost).exp(),
                ties,
            }
        })
        .collect())
}
