//! PageRank, personalised PageRank and batched (topic-sensitive) PageRank.
//!
//! # Formula
//!
//! Edges point from actor to target ("A retweeted B" is `A → B`), so credit
//! flows along out-edges. With damping `d`, teleport vector `p` (uniform, or
//! the normalised personalisation), edge weights `w(u, v)` (or 1 when
//! unweighted) and `W_out(u) = Σ_v w(u, v)`:
//!
//! ```text
//! x'(v) = (1 - d)·p(v) + d·Σ_{u → v} x(u)·w(u, v) / W_out(u) + d·m·q(v)
//! m     = Σ_{u dangling} x(u)            (W_out(u) = 0)
//! ```
//!
//! where `q` is the dangling vector chosen by [`Dangling`]: `p` for
//! [`Dangling::Teleport`] (NetworkX's semantics, the default), uniform for
//! [`Dangling::Uniform`]; with [`Dangling::SelfLoop`] a dangling node keeps
//! its own mass (`d·x(v)` is added to `x'(v)` instead of `d·m·q(v)`).
//! The iteration starts from `p`'s uniform counterpart `1/n` (or a normalised
//! warm start) and stops when the **total** L1 change `Σ_v |x'(v) - x(v)|`
//! drops below [`PageRankOptions::tolerance`], or after
//! [`PageRankOptions::max_iterations`]. The scores always sum to 1 (up to
//! rounding).
//!
//! ## Tolerance and NetworkX
//!
//! NetworkX (and rustworkx) stop when `Σ_v |x'(v) - x(v)| < N·tol`: their
//! `tol` is per node. Porte-voix's tolerance is the total L1, so NetworkX's
//! `tol` corresponds to `tolerance = N·tol` here, and `tolerance = 1e-10` is
//! NetworkX's `tol = 1e-10 / N`. The distance to the exact fixed point is at
//! most `residual·d / (1 - d)` (the iteration is a `d`-contraction in L1).
//!
//! # Vertex program
//!
//! Each iteration is one superstep of a vertex program, so a dataflow engine
//! (timely-dataflow) can run the same mathematics:
//!
//! | part | here |
//! |------|------|
//! | state of `v` | `x(v)`, constant `1/W_out(v)` (0 when dangling), `p(v)`, `q(v)` |
//! | message on `u → v` | `x(u)·w(u, v)/W_out(u)` |
//! | combiner | sum (associative, commutative) |
//! | global aggregates | dangling mass `m = Σ_{dangling} x(u)`, residual `Σ |x' - x|` |
//! | update | `x'(v) = (1 - d)·p(v) + d·(combined messages) + d·m·q(v)` |
//! | halt | residual `< tolerance` or the iteration cap |
//!
//! The rayon engine specialises it as a **pull** over the in-CSR: each node
//! sums its in-neighbours' `x(u)/W_out(u)` (precomputed once per iteration
//! in the same pass that writes `x'`), so there are no atomics and the sum
//! for each node is taken in a fixed order (in-neighbours sorted by id). The
//! global aggregates are summed per fixed block of [`BLOCK`] nodes, then
//! block sums in block order: results are **bit-identical for 1 and N
//! threads**.
//!
//! # References
//!
//! * L. Page, S. Brin, R. Motwani, T. Winograd. *The PageRank Citation
//!   Ranking: Bringing Order to the Web.* Stanford InfoLab, 1999.
//! * T. H. Haveliwala. *Topic-Sensitive PageRank.* WWW 2002.
//! * J. Weng, E.-P. Lim, J. Jiang, Q. He. *TwitterRank: Finding
//!   Topic-sensitive Influential Twitterers.* WSDM 2010.

use crate::LayerGraph;
use portevoix_core::{Error, Result};
use rayon::prelude::*;

/// Nodes per block of the fixed-order reductions (and per parallel task).
pub const BLOCK: usize = 2048;

/// Where the mass of a dangling node (no out-edge, or only zero-weight ones)
/// goes at each iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dangling {
    /// Along the teleport vector: uniform for plain PageRank, the
    /// personalisation for personalised PageRank. NetworkX's semantics (its
    /// `dangling=None`) and the default.
    #[default]
    Teleport,
    /// Uniformly over all nodes, whatever the personalisation (NetworkX with
    /// `dangling` set to a uniform dict).
    Uniform,
    /// A dangling node keeps its mass, as if it had a self-loop (the choice of
    /// scikit-network for sinks; not the standard PageRank).
    SelfLoop,
}

/// Options of [`pagerank`], [`personalized_pagerank`] and
/// [`personalized_pagerank_batch`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRankOptions {
    /// Probability of following an edge, in `[0, 1]`. Default 0.85.
    pub damping: f64,
    /// Stop when the **total** L1 change between two iterations is below
    /// this (default `1e-10`). NetworkX's `tol` is per node: its `tol`
    /// equals `tolerance / N` here (see the [module docs](self)).
    pub tolerance: f64,
    /// Iteration cap (default 100). Hitting it is not an error: the result
    /// says `converged: false`.
    pub max_iterations: usize,
    /// Where dangling mass goes (default [`Dangling::Teleport`]).
    pub dangling: Dangling,
    /// Use edge weights (default `true`, NetworkX's `weight='weight'`);
    /// `false` counts every edge as 1.
    pub weighted: bool,
}

impl Default for PageRankOptions {
    fn default() -> Self {
        PageRankOptions {
            damping: 0.85,
            tolerance: 1e-10,
            max_iterations: 100,
            dangling: Dangling::Teleport,
            weighted: true,
        }
    }
}

impl PageRankOptions {
    fn validate(&self) -> Result<()> {
        if !(0.0..=1.0).contains(&self.damping) {
            return Err(Error::argument(
                "damping",
                format!("PageRank damping must be in [0, 1], got {}", self.damping),
            ));
        }
        if self.tolerance.is_nan() || self.tolerance < 0.0 {
            return Err(Error::argument(
                "tolerance",
                format!("PageRank tolerance must be >= 0, got {}", self.tolerance),
            ));
        }
        Ok(())
    }
}

/// The outcome of a PageRank run.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRankResult {
    /// One score per node (indexed by dense id), summing to 1.
    pub scores: Vec<f64>,
    /// Iterations performed.
    pub iterations: usize,
    /// Total L1 change of the last iteration (`f64::INFINITY` if none ran).
    pub residual: f64,
    /// Whether `residual < tolerance`.
    pub converged: bool,
}

/// PageRank of every node of `graph` (a layer or a [`Network::merged`](crate::Network::merged) view).
///
/// # Arguments
/// * `graph`: any [`LayerGraph`]; credit flows along out-edges.
/// * `options`: damping, total-L1 tolerance, iteration cap, dangling policy,
///   weighting.
/// * `warm_start`: an optional starting vector (e.g. the scores of a
///   previous run on a slightly different graph), non-negative with a
///   positive sum, normalised to sum 1; `None` starts from `1/n`.
///
/// # Returns
/// The scores (summing to 1), the iteration count, the last residual and
/// whether it converged.
///
/// # Errors
/// [`Error::Argument`] for a damping outside `[0, 1]`, a negative or
/// NaN tolerance, or an invalid warm start.
///
/// # Complexity
/// `O(iterations · (n + m))` time, `O(n)` extra memory (four `f64` vectors
/// plus the inverse out-weights); parallel over blocks of nodes.
///
/// # References
/// Page, Brin, Motwani, Winograd, *The PageRank Citation Ranking: Bringing
/// Order to the Web*, Stanford InfoLab, 1999. Formula, tolerance mapping to
/// NetworkX and the vertex-program form: see the [module docs](self).
///
/// # Example
/// ```
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::{PageRankOptions, pagerank};
///
/// // 0 → 1, 2 → 1, 1 → 0: node 1 collects the most credit.
/// let g = LayerGraph::from_edges(3, &[(0, 1), (2, 1), (1, 0)], &BuildOptions::default())?;
/// // A 2-cycle mixes slowly (the error shrinks by 0.85 per iteration).
/// let opts = PageRankOptions { max_iterations: 1000, ..Default::default() };
/// let r = pagerank(&g, &opts, None)?;
/// assert!(r.converged && r.residual < 1e-10 && r.iterations > 100);
/// assert!(r.scores[1] > r.scores[0] && r.scores[0] > r.scores[2]);
/// assert!((r.scores.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// assert!((r.scores[2] - 0.05).abs() < 1e-12); // (1 - d) / n
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn pagerank(
    graph: &LayerGraph,
    options: &PageRankOptions,
    warm_start: Option<&[f64]>,
) -> Result<PageRankResult> {
    options.validate()?;
    let n = graph.num_nodes();
    let teleport = Teleport::Uniform;
    let start = match warm_start {
        Some(w) => normalised(w, n, "warm start")?,
        None => vec![uniform(n); n],
    };
    Ok(run_single(graph, options, &teleport, start))
}

/// Personalised PageRank: teleports (and, with [`Dangling::Teleport`],
/// dangling mass) go to the nodes of `personalization` in proportion to
/// their weights.
///
/// # Arguments
/// * `graph`: any [`LayerGraph`].
/// * `personalization`: one non-negative weight per node (length
///   `graph.num_nodes()`), not all zero; normalised to sum 1.
/// * `options`, `warm_start`: as in [`pagerank`].
///
/// # Returns
/// As [`pagerank`].
///
/// # Errors
/// [`Error::Argument`] if `personalization` has the wrong length, a
/// negative, NaN or infinite entry, or sums to zero; and as [`pagerank`].
///
/// # Complexity
/// As [`pagerank`].
///
/// # References
/// Haveliwala, *Topic-Sensitive PageRank*, WWW 2002 (restart distribution
/// biased towards a set of pages).
///
/// # Example
/// ```
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::{PageRankOptions, personalized_pagerank};
///
/// let g = LayerGraph::from_edges(4, &[(0, 1), (1, 2), (3, 2)], &BuildOptions::default())?;
/// // Everything restarts at node 0: node 3 is unreachable and scores 0.
/// let r = personalized_pagerank(&g, &[1.0, 0.0, 0.0, 0.0], &PageRankOptions::default(), None)?;
/// assert_eq!(r.scores[3], 0.0);
/// assert!(r.scores[0] > r.scores[1] && r.scores[1] > 0.0);
/// assert!(personalized_pagerank(&g, &[0.0; 4], &PageRankOptions::default(), None).is_err());
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn personalized_pagerank(
    graph: &LayerGraph,
    personalization: &[f64],
    options: &PageRankOptions,
    warm_start: Option<&[f64]>,
) -> Result<PageRankResult> {
    options.validate()?;
    let n = graph.num_nodes();
    let p = normalised(personalization, n, "personalization")?;
    let start = match warm_start {
        Some(w) => normalised(w, n, "warm start")?,
        None => vec![uniform(n); n],
    };
    Ok(run_single(graph, options, &Teleport::Vector(p), start))
}

/// Many personalised PageRanks in one pass over the edges per iteration
/// (topic-sensitive PageRank, TwitterRank: one personalisation per topic).
///
/// The state is stored `n × k` row-major, so an edge `u → v` reads `k`
/// contiguous values of `u`. A column that has converged is frozen, so each
/// result is **bit-identical** to [`personalized_pagerank`] on the same
/// vector.
///
/// # Arguments
/// * `graph`: any [`LayerGraph`].
/// * `personalizations`: `k` vectors, each validated as in
///   [`personalized_pagerank`].
/// * `options`: as in [`pagerank`].
///
/// # Returns
/// One [`PageRankResult`] per vector, in order.
///
/// # Errors
/// As [`personalized_pagerank`], naming the offending vector.
///
/// # Complexity
/// `O(iterations · (n + m) · k)` time but a single sweep of the CSR per
/// iteration; `O(n · k)` memory.
///
/// # References
/// Haveliwala, *Topic-Sensitive PageRank*, WWW 2002; Weng, Lim, Jiang, He,
/// *TwitterRank: Finding Topic-sensitive Influential Twitterers*, WSDM 2010
/// (one personalised walk per topic on the follower graph).
///
/// # Example
/// ```
/// use portevoix_core::{LayerLog, NodeId};
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::{PageRankOptions, personalized_pagerank, personalized_pagerank_batch};
///
/// let mut log = LayerLog::default();
/// for (u, v, w) in [(0, 1, 1.0), (1, 2, 2.0), (2, 0, 1.0), (2, 1, 1.0)] {
///     log.push(NodeId(u), NodeId(v), w, None, None, None);
/// }
/// let g = LayerGraph::build(&log, 3, &BuildOptions::default())?;
/// let topics: [&[f64]; 2] = [&[1.0, 0.0, 0.0], &[0.0, 1.0, 3.0]];
/// let opts = PageRankOptions::default();
/// let batch = personalized_pagerank_batch(&g, &topics, &opts)?;
/// for (t, r) in topics.iter().zip(&batch) {
///     assert_eq!(r, &personalized_pagerank(&g, t, &opts, None)?);
/// }
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn personalized_pagerank_batch<P: AsRef<[f64]> + Sync>(
    graph: &LayerGraph,
    personalizations: &[P],
    options: &PageRankOptions,
) -> Result<Vec<PageRankResult>> {
    options.validate()?;
    let n = graph.num_nodes();
    let k = personalizations.len();
    if k == 0 {
        return Ok(Vec::new());
    }
    let mut ps = Vec::with_capacity(k);
    for (j, p) in personalizations.iter().enumerate() {
        ps.push(normalised(p.as_ref(), n, &format!("personalization #{j}"))?);
    }
    Ok(run_batch(graph, options, &ps))
}

fn uniform(n: usize) -> f64 {
    1.0 / n as f64
}

/// Validates a non-negative vector of length `n` with a positive finite sum
/// and returns it divided by its sum.
fn normalised(v: &[f64], n: usize, what: &str) -> Result<Vec<f64>> {
    if v.len() != n {
        return Err(Error::argument(
            what,
            format!("{what} has {} entries but the graph has {n} nodes", v.len()),
        ));
    }
    if let Some(i) = v.iter().position(|x| !x.is_finite() || *x < 0.0) {
        return Err(Error::argument(
            what,
            format!(
                "{what} entry {i} is {}: weights must be finite and non-negative",
                v[i]
            ),
        ));
    }
    let sum: f64 = v.iter().sum();
    if n > 0 && !(sum > 0.0 && sum.is_finite()) {
        return Err(Error::argument(
            what,
            format!("{what} sums to {sum}: at least one weight must be positive"),
        ));
    }
    Ok(v.iter().map(|x| x / sum).collect())
}

enum Teleport {
    Uniform,
    Vector(Vec<f64>),
}

impl Teleport {
    #[inline]
    fn at(&self, v: usize, uniform: f64) -> f64 {
        match self {
            Teleport::Uniform => uniform,
            Teleport::Vector(p) => p[v],
        }
    }
}

/// `1/W_out(u)`, or 0 for a dangling node (no out-weight); summed in `f64`
/// in CSR order.
fn inverse_out_weights(graph: &LayerGraph, weighted: bool) -> Vec<f64> {
    let out = graph.out_csr();
    let offsets = out.offsets();
    let weights = out.weights();
    (0..graph.num_nodes())
        .into_par_iter()
        .with_min_len(BLOCK)
        .map(|u| {
            let (a, b) = (offsets[u] as usize, offsets[u + 1] as usize);
            let w: f64 = if weighted {
                weights[a..b].iter().map(|&w| f64::from(w)).sum()
            } else {
                (b - a) as f64
            };
            if w > 0.0 { 1.0 / w } else { 0.0 }
        })
        .collect()
}

/// Sums in block order: the fixed reduction order.
fn ordered_sum(parts: &[f64]) -> f64 {
    parts.iter().sum()
}

fn run_single(
    graph: &LayerGraph,
    options: &PageRankOptions,
    teleport: &Teleport,
    start: Vec<f64>,
) -> PageRankResult {
    let n = graph.num_nodes();
    if n == 0 {
        return PageRankResult {
            scores: Vec::new(),
            iterations: 0,
            residual: 0.0,
            converged: true,
        };
    }
    let d = options.damping;
    let u = uniform(n);
    let inv = inverse_out_weights(graph, options.weighted);
    let inc = graph.in_csr();
    let (offsets, sources, weights) = (inc.offsets(), inc.neighbors(), inc.weights());
    let weighted = options.weighted;
    let dangling = options.dangling;

    let mut x = start;
    // Messages x(u)/W_out(u), and the dangling mass of `x`.
    let mut msg: Vec<f64> = x.iter().zip(&inv).map(|(a, b)| a * b).collect();
    let mut mass = ordered_sum(
        &x.par_chunks(BLOCK)
            .zip(inv.par_chunks(BLOCK))
            .map(|(xs, is)| {
                xs.iter()
                    .zip(is)
                    .filter(|(_, i)| **i == 0.0)
                    .map(|(x, _)| *x)
                    .sum::<f64>()
            })
            .collect::<Vec<_>>(),
    );
    let mut x_new = vec![0.0; n];
    let mut msg_new = vec![0.0; n];
    let mut residual = f64::INFINITY;
    let mut iterations = 0;
    let mut converged = false;
    while iterations < options.max_iterations {
        iterations += 1;
        let parts: Vec<(f64, f64)> = x_new
            .par_chunks_mut(BLOCK)
            .zip(msg_new.par_chunks_mut(BLOCK))
            .enumerate()
            .map(|(b, (xn, mn))| {
                let base = b * BLOCK;
                let (mut res, mut dm) = (0.0, 0.0);
                for (i, (xv, mv)) in xn.iter_mut().zip(mn.iter_mut()).enumerate() {
                    let v = base + i;
                    let (lo, hi) = (offsets[v] as usize, offsets[v + 1] as usize);
                    let mut acc = 0.0;
                    if weighted {
                        for (&s, &w) in sources[lo..hi].iter().zip(&weights[lo..hi]) {
                            acc += msg[s as usize] * f64::from(w);
                        }
                    } else {
                        for &s in &sources[lo..hi] {
                            acc += msg[s as usize];
                        }
                    }
                    let p = teleport.at(v, u);
                    let extra = match dangling {
                        Dangling::Teleport => mass * p,
                        Dangling::Uniform => mass * u,
                        Dangling::SelfLoop => {
                            if inv[v] == 0.0 {
                                x[v]
                            } else {
                                0.0
                            }
                        }
                    };
                    let new = d * (acc + extra) + (1.0 - d) * p;
                    res += (new - x[v]).abs();
                    *xv = new;
                    let iv = inv[v];
                    *mv = new * iv;
                    if iv == 0.0 {
                        dm += new;
                    }
                }
                (res, dm)
            })
            .collect();
        residual = parts.iter().map(|p| p.0).sum();
        mass = if dangling == Dangling::SelfLoop {
            0.0
        } else {
            parts.iter().map(|p| p.1).sum()
        };
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut msg, &mut msg_new);
        if residual < options.tolerance {
            converged = true;
            break;
        }
    }
    PageRankResult {
        scores: x,
        iterations,
        residual,
        converged,
    }
}

fn run_batch(
    graph: &LayerGraph,
    options: &PageRankOptions,
    ps: &[Vec<f64>],
) -> Vec<PageRankResult> {
    let n = graph.num_nodes();
    let k = ps.len();
    if n == 0 {
        return (0..k)
            .map(|_| PageRankResult {
                scores: Vec::new(),
                iterations: 0,
                residual: 0.0,
                converged: true,
            })
            .collect();
    }
    let d = options.damping;
    let u = uniform(n);
    let inv = inverse_out_weights(graph, options.weighted);
    let inc = graph.in_csr();
    let (offsets, sources, weights) = (inc.offsets(), inc.neighbors(), inc.weights());
    let weighted = options.weighted;
    let dangling = options.dangling;
    // Row-major n × k teleport vectors.
    let mut tele = vec![0.0; n * k];
    for (j, p) in ps.iter().enumerate() {
        for v in 0..n {
            tele[v * k + j] = p[v];
        }
    }

    let mut x = vec![u; n * k];
    let mut msg: Vec<f64> = (0..n * k).map(|i| x[i] * inv[i / k]).collect();
    // Dangling mass per column, summed in block order as in `run_single`.
    let mut mass = vec![0.0; k];
    {
        let parts: Vec<Vec<f64>> = (0..n.div_ceil(BLOCK))
            .into_par_iter()
            .map(|b| {
                let mut dm = vec![0.0; k];
                for v in b * BLOCK..((b + 1) * BLOCK).min(n) {
                    if inv[v] == 0.0 {
                        for j in 0..k {
                            dm[j] += x[v * k + j];
                        }
                    }
                }
                dm
            })
            .collect();
        for part in &parts {
            for j in 0..k {
                mass[j] += part[j];
            }
        }
    }
    let mut x_new = vec![0.0; n * k];
    let mut msg_new = vec![0.0; n * k];
    let mut active = vec![true; k];
    let mut residual = vec![f64::INFINITY; k];
    let mut iterations = vec![0usize; k];
    let mut it = 0;
    while it < options.max_iterations && active.iter().any(|a| *a) {
        it += 1;
        let parts: Vec<Vec<f64>> = x_new
            .par_chunks_mut(BLOCK * k)
            .zip(msg_new.par_chunks_mut(BLOCK * k))
            .enumerate()
            .map(|(b, (xn, mn))| {
                let base = b * BLOCK;
                // [residual_0..k, dangling_0..k]
                let mut agg = vec![0.0; 2 * k];
                let mut acc = vec![0.0; k];
                for i in 0..xn.len() / k {
                    let v = base + i;
                    let (lo, hi) = (offsets[v] as usize, offsets[v + 1] as usize);
                    acc.iter_mut().for_each(|a| *a = 0.0);
                    for e in lo..hi {
                        let s = sources[e] as usize;
                        let row = &msg[s * k..s * k + k];
                        if weighted {
                            let w = f64::from(weights[e]);
                            for (a, m) in acc.iter_mut().zip(row) {
                                *a += m * w;
                            }
                        } else {
                            for (a, m) in acc.iter_mut().zip(row) {
                                *a += m;
                            }
                        }
                    }
                    let iv = inv[v];
                    for j in 0..k {
                        let old = x[v * k + j];
                        let new = if active[j] {
                            let p = tele[v * k + j];
                            let extra = match dangling {
                                Dangling::Teleport => mass[j] * p,
                                Dangling::Uniform => mass[j] * u,
                                Dangling::SelfLoop => {
                                    if iv == 0.0 {
                                        old
                                    } else {
                                        0.0
                                    }
                                }
                            };
                            d * (acc[j] + extra) + (1.0 - d) * p
                        } else {
                            old
                        };
                        agg[j] += (new - old).abs();
                        xn[i * k + j] = new;
                        mn[i * k + j] = new * iv;
                        if iv == 0.0 {
                            agg[k + j] += new;
                        }
                    }
                }
                agg
            })
            .collect();
        let mut res = vec![0.0; k];
        let mut dm = vec![0.0; k];
        for part in &parts {
            for j in 0..k {
                res[j] += part[j];
                dm[j] += part[k + j];
            }
        }
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut msg, &mut msg_new);
        for j in 0..k {
            if active[j] {
                iterations[j] = it;
                residual[j] = res[j];
                mass[j] = if dangling == Dangling::SelfLoop {
                    0.0
                } else {
                    dm[j]
                };
                if res[j] < options.tolerance {
                    active[j] = false;
                }
            }
        }
    }
    (0..k)
        .map(|j| PageRankResult {
            scores: (0..n).map(|v| x[v * k + j]).collect(),
            iterations: iterations[j],
            residual: residual[j],
            converged: !active[j],
        })
        .collect()
}
