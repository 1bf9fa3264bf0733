//! Fairness and goodness in a weighted signed network (Kumar, Spezzano,
//! Subrahmanian & Faloutsos, ICDM 2016).
//!
//! # Formula
//!
//! Every edge `u → v` is a rating `w(u, v)` in `[-1, 1]` ("u rated v"; raw
//! values divided by the [`RatingScale`]). The **goodness** `g(v)` of an
//! account is how much the others trust it, each rating weighted by the
//! **fairness** `f(u)` of its rater; the fairness of a rater is how close its
//! ratings are to the goodness of what it rated:
//!
//! ```text
//! g(v) = 1/|in(v)|  · Σ_{u ∈ in(v)}  f(u) · w(u, v)                 in [-1, 1]
//! f(u) = 1 − 1/(2·|out(u)|) · Σ_{v ∈ out(u)} |w(u, v) − g(v)|       in [0, 1]
//! ```
//!
//! Iterated from `f = 1` and `g(v)` = the mean rating `v` received (0 for an
//! account never rated), goodness first, then fairness from the new goodness,
//! as the authors' reference code does. An account never rated keeps
//! goodness 0 and one that rated nobody keeps fairness 1.
//!
//! # Vertex program
//!
//! Two supersteps per iteration. (1) Every rater `u` sends `f(u) · w(u, v)`
//! along its out-edges; `v` **sums** its messages and divides by its
//! in-degree. (2) Every rated `v` sends `g(v)` back along its in-edges; the
//! rater sums `1 − |w(u, v) − g(v)| / 2` over its out-edges and divides by
//! its out-degree. Global aggregates: the L1 changes of `f` and `g` (the
//! residual). The rayon engine pulls both steps (in-CSR, then out-CSR), each
//! row summed in neighbour-id order and the residual over fixed chunks: the
//! result is bit-identical for any number of threads.
//!
//! # Convergence
//!
//! The paper proves that the iteration converges; it stops when `‖f − f_prev‖₁ + ‖g − g_prev‖₁` falls below
//! [`FairnessGoodnessOptions::tolerance`]. On Bitcoin OTC (35,592 ratings)
//! `1e-12` takes about 30 iterations.
//!
//! # Reference
//!
//! S. Kumar, F. Spezzano, V. S. Subrahmanian, C. Faloutsos, "Edge Weight
//! Prediction in Weighted Signed Networks", *IEEE ICDM* 2016, 221–230.

use super::ratings::{RatingScale, Ratings};
use super::reduce::{NODE_CHUNK, det_l1_diff};
use crate::LayerGraph;
use portevoix_core::{Error, Result};
use rayon::prelude::*;

/// Options of [`fairness_goodness`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FairnessGoodnessOptions {
    /// How raw rating values become scores in `[-1, 1]` (default: divide by
    /// the largest absolute value present).
    pub scale: RatingScale,
    /// Stop when `‖f − f_prev‖₁ + ‖g − g_prev‖₁` is below this (default `1e-12`).
    pub tolerance: f64,
    /// Iteration cap (default 1 000); hitting it is not an error.
    pub max_iterations: usize,
}

impl Default for FairnessGoodnessOptions {
    fn default() -> Self {
        FairnessGoodnessOptions {
            scale: RatingScale::MaxAbsolute,
            tolerance: 1e-12,
            max_iterations: 1000,
        }
    }
}

/// Fairness and goodness from [`fairness_goodness`], indexed by node id.
#[derive(Debug, Clone, PartialEq)]
pub struct FairnessGoodness {
    /// Fairness of every node as a rater, in `[0, 1]` (1 for a node that
    /// rated nobody).
    pub fairness: Vec<f64>,
    /// Goodness of every node as rated, in `[-1, 1]` (0 for a node nobody
    /// rated).
    pub goodness: Vec<f64>,
    /// Iterations run (one iteration updates both vectors).
    pub iterations: usize,
    /// Final residual `‖f − f_prev‖₁ + ‖g − g_prev‖₁`.
    pub residual: f64,
    /// Whether the residual fell below the tolerance.
    pub converged: bool,
}

/// Fairness and goodness of every node of a rating layer (see the
/// [module](self) docs for the formula, the vertex program and the paper).
///
/// # Arguments
///
/// * `graph`: a layer whose edges are ratings `rater → rated`: the rating
///   layer of a [`Network`](crate::Network) (values from the input), or any
///   layer whose weights are signed ratings.
/// * `options`: rating scale, tolerance, iteration cap.
///
/// # Returns
///
/// Fairness in `[0, 1]` and goodness in `[-1, 1]` per node, with the
/// iteration count, the residual and whether it converged.
///
/// # Errors
///
/// [`Error::InvalidArgument`] for a negative or NaN tolerance, a rating that
/// is not finite or lies beyond a fixed scale.
///
/// # Complexity
///
/// `O(n + m)` per iteration (one pass over each CSR direction), `O(n + m)`
/// memory (the aligned ratings, 24 bytes per edge, and four `f64` vectors).
///
/// # Example
///
/// ```
/// use portevoix_core::{LayerLog, NodeId};
/// use portevoix_graph::kernels::{FairnessGoodnessOptions, RatingScale, fairness_goodness};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // 0 and 1 rate 2 well and 3 badly; 4 disagrees with both.
/// let mut log = LayerLog::default();
/// for (u, v, r) in [(0, 2, 8.0), (1, 2, 9.0), (0, 3, -9.0), (1, 3, -8.0), (4, 2, -10.0), (4, 3, 10.0)] {
///     log.push(NodeId(u), NodeId(v), 1.0, None, Some(r), None);
/// }
/// let g = LayerGraph::build(&log, 5, &BuildOptions::default())?;
/// let options = FairnessGoodnessOptions { scale: RatingScale::Fixed(10.0), ..Default::default() };
/// let fg = fairness_goodness(&g, &options)?;
/// assert!(fg.converged);
/// assert!(fg.goodness[2] > 0.0 && fg.goodness[3] < 0.0);
/// assert!(fg.fairness[0] > fg.fairness[4] && fg.fairness[1] > fg.fairness[4]);
/// assert_eq!(fg.goodness[0], 0.0); // never rated
/// assert_eq!(fg.fairness[2], 1.0); // rated nobody
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn fairness_goodness(
    graph: &LayerGraph,
    options: &FairnessGoodnessOptions,
) -> Result<FairnessGoodness> {
    if options.tolerance.is_nan() || options.tolerance < 0.0 {
        return Err(Error::argument(
            "fairness_goodness",
            format!(
                "fairness-goodness tolerance must be >= 0, got {}",
                options.tolerance
            ),
        ));
    }
    let ratings = Ratings::of(graph, options.scale)?;
    let n = graph.num_nodes();
    let mut fairness = vec![1.0f64; n];
    // The mean rating received: what the first goodness step gives with f = 1.
    let mut goodness = vec![0.0f64; n];
    pull_goodness(graph, &ratings, &fairness, &mut goodness);
    let mut next_f = fairness.clone();
    let mut next_g = goodness.clone();
    let mut iterations = 0;
    let mut residual = f64::INFINITY;
    let mut converged = graph.num_edges() == 0;
    if converged {
        residual = 0.0;
    }
    while !converged && iterations < options.max_iterations {
        iterations += 1;
        pull_goodness(graph, &ratings, &fairness, &mut next_g);
        pull_fairness(graph, &ratings, &next_g, &mut next_f);
        residual = det_l1_diff(&next_f, &fairness) + det_l1_diff(&next_g, &goodness);
        std::mem::swap(&mut fairness, &mut next_f);
        std::mem::swap(&mut goodness, &mut next_g);
        converged = residual < options.tolerance || residual == 0.0;
    }
    Ok(FairnessGoodness {
        fairness,
        goodness,
        iterations,
        residual,
        converged,
    })
}

/// Superstep 1: `g(v) = Σ f(u)·w(u, v) / |in(v)|` (unchanged without in-edges).
fn pull_goodness(graph: &LayerGraph, ratings: &Ratings, fairness: &[f64], goodness: &mut [f64]) {
    let inn = graph.in_csr();
    let (offsets, raters) = (inn.offsets(), inn.neighbors());
    goodness
        .par_chunks_mut(NODE_CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            for (i, g) in chunk.iter_mut().enumerate() {
                let v = c * NODE_CHUNK + i;
                let (s, e) = (offsets[v] as usize, offsets[v + 1] as usize);
                if s == e {
                    continue;
                }
                let mut acc = 0.0f64;
                for (&u, &w) in raters[s..e].iter().zip(&ratings.inn[s..e]) {
                    acc += fairness[u as usize] * w;
                }
                *g = acc / (e - s) as f64;
            }
        });
}

/// Superstep 2: `f(u) = Σ (1 − |w(u, v) − g(v)|/2) / |out(u)|` (unchanged
/// without out-edges).
fn pull_fairness(graph: &LayerGraph, ratings: &Ratings, goodness: &[f64], fairness: &mut [f64]) {
    let out = graph.out_csr();
    let (offsets, rated) = (out.offsets(), out.neighbors());
    fairness
        .par_chunks_mut(NODE_CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            for (i, f) in chunk.iter_mut().enumerate() {
                let u = c * NODE_CHUNK + i;
                let (s, e) = (offsets[u] as usize, offsets[u + 1] as usize);
                if s == e {
                    continue;
                }
                let mut acc = 0.0f64;
                for (&v, &w) in rated[s..e].iter().zip(&ratings.out[s..e]) {
                    acc += 1.0 - (w - goodness[v as usize]).abs() / 2.0;
                }
                *f = acc / (e - s) as f64;
            }
        });
}
