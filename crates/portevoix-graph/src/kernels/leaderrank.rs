//! LeaderRank (Lü, Zhang, Yeung and Zhou 2011).
//!
//! # Formula
//!
//! Add a **ground node** `g` linked both ways to every node, so the graph is
//! strongly connected and has no dangling node. Start from `s_i(0) = 1` for
//! every node and `s_g(0) = 0`, and run the random walk
//!
//! ```text
//! s_i(t+1) = Σ_{j → i} s_j(t) / (k_j + 1)  +  s_g(t) / n
//! s_g(t+1) = Σ_j s_j(t) / (k_j + 1)
//! ```
//!
//! where `k_j` is the out-degree of `j` (the `+ 1` is its link to the ground
//! node; edges point actor → target, so a follower `j` of `i` sends score to
//! `i`). At the steady state the ground node's score is shared equally:
//! `S_i = s_i(t_c) + s_g(t_c) / n`. The total is conserved: `Σ S_i = n`, as
//! in the paper.
//!
//! **Weighted option** ([`LeaderRankOptions::weighted`]): `j` sends
//! `w(j, i) / (Σ_i w(j, i) + 1)` of its score to `i` and `1 / (Σ w + 1)` to
//! the ground node (the ground links keep weight 1). The paper is unweighted,
//! which is the default; duplicate interactions merged into one edge then
//! count once.
//!
//! # Vertex program
//!
//! Node state `s_i`; each node sends `s_j / (k_j + 1)` (times `w` when
//! weighted) along its out-edges, messages combined by **sum**. Global
//! aggregates: the ground node's new score (the sum of every node's ground
//! share), and the L1 change (residual). Ground node to nodes is a broadcast
//! of `s_g / n`. The rayon engine pulls over the in-CSR, rows in neighbour-id
//! order, global sums over fixed chunks: bit-identical for any number of
//! threads.
//!
//! # Convergence
//!
//! The walk is irreducible and, as soon as there is one edge, aperiodic, so
//! it converges; it stops when `‖s(t+1) − s(t)‖₁ / n` (nodes and ground node)
//! is below [`LeaderRankOptions::tolerance`]. Without any edge the walk
//! oscillates between the ground node and the rest; the stationary answer,
//! `S_i = 1` for every node, is returned directly.
//!
//! # Reference
//!
//! L. Lü, Y.-C. Zhang, C. H. Yeung and T. Zhou, "Leaders in social networks,
//! the Delicious case", *PLoS ONE* 6(6): e21202, 2011.

use super::reduce::{det_l1_diff, det_sum, gather, gather_unit};
use crate::LayerGraph;
use portevoix_core::{Error, Result};
use rayon::prelude::*;

/// Options of [`leaderrank`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeaderRankOptions {
    /// Stop when the L1 change divided by `n` is below this (default `1e-12`).
    pub tolerance: f64,
    /// Iteration cap (default 10 000).
    pub max_iterations: usize,
    /// Use edge weights as in the weighted variant (default `false`, the paper's).
    pub weighted: bool,
}

impl Default for LeaderRankOptions {
    fn default() -> Self {
        LeaderRankOptions {
            tolerance: 1e-12,
            max_iterations: 10_000,
            weighted: false,
        }
    }
}

/// Scores from [`leaderrank`].
#[derive(Debug, Clone, PartialEq)]
pub struct LeaderRankResult {
    /// `S_i`, the final score of every node with the ground node's share
    /// added; they sum to `n`.
    pub scores: Vec<f64>,
    /// The ground node's score `s_g(t_c)` before it was shared.
    pub ground: f64,
    /// Iterations run.
    pub iterations: usize,
    /// Final residual, `‖s(t+1) − s(t)‖₁ / n`.
    pub residual: f64,
    /// Whether the residual fell below the tolerance.
    pub converged: bool,
}

/// LeaderRank of every node of `graph` (see the [module](self) docs for the
/// formula, the vertex program and the reference).
///
/// # Arguments
///
/// * `graph`: any layer or merged view; edges point from the follower (or
///   actor) to the leader (or target).
/// * `options`: tolerance, iteration cap, weighted or not.
///
/// # Returns
///
/// The scores `S_i` (summing to `n`), the ground node's final score, the
/// iteration count, the residual and whether it converged. An error only for
/// an invalid tolerance or a negative weight in the weighted variant.
///
/// # Complexity
///
/// `O(n + m)` per iteration, `O(n)` extra memory.
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::leaderrank::{LeaderRankOptions, leaderrank};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // 0, 1 and 2 follow 3; 3 follows 0.
/// let g = LayerGraph::from_edges(4, &[(0, 3), (1, 3), (2, 3), (3, 0)], &BuildOptions::default())?;
/// let r = leaderrank(&g, &LeaderRankOptions::default())?;
/// assert!(r.converged);
/// assert!(r.scores[3] > r.scores[0] && r.scores[0] > r.scores[1]);
/// assert!((r.scores.iter().sum::<f64>() - 4.0).abs() < 1e-9);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn leaderrank(graph: &LayerGraph, options: &LeaderRankOptions) -> Result<LeaderRankResult> {
    if !(options.tolerance.is_finite() && options.tolerance >= 0.0) {
        return Err(Error::argument(
            "tolerance",
            format!(
                "LeaderRank tolerance must be finite and non-negative, got {}",
                options.tolerance
            ),
        ));
    }
    let n = graph.num_nodes();
    if graph.num_edges() == 0 || n == 0 {
        return Ok(LeaderRankResult {
            scores: vec![1.0; n],
            ground: 0.0,
            iterations: 0,
            residual: 0.0,
            converged: true,
        });
    }
    let out = graph.out_csr();
    // Inverse of each node's total out-weight, ground link included.
    let inv_out: Vec<f64> = if options.weighted {
        if out.weights().iter().any(|&w| !(w.is_finite() && w >= 0.0)) {
            return Err(Error::argument(
                "weights",
                "weighted LeaderRank needs finite non-negative edge weights",
            ));
        }
        (0..n)
            .into_par_iter()
            .map(|v| {
                let (_, w) = out.row(v);
                1.0 / (w.iter().map(|&x| x as f64).sum::<f64>() + 1.0)
            })
            .collect()
    } else {
        (0..n)
            .into_par_iter()
            .map(|v| 1.0 / (out.degree(v) as f64 + 1.0))
            .collect()
    };
    let nf = n as f64;
    let mut s = vec![1.0f64; n];
    let mut ground = 0.0f64;
    let mut share = vec![0.0f64; n];
    let mut next = vec![0.0f64; n];
    let mut iterations = 0;
    let mut residual = f64::INFINITY;
    let mut converged = false;
    while iterations < options.max_iterations {
        iterations += 1;
        // Message each node sends per unit of edge weight (and to the ground node).
        share
            .par_iter_mut()
            .zip(s.par_iter().zip(&inv_out))
            .for_each(|(m, (&x, &k))| *m = x * k);
        let new_ground = det_sum(&share);
        if options.weighted {
            gather(graph.in_csr(), &share, &mut next);
        } else {
            gather_unit(graph.in_csr(), &share, &mut next);
        }
        let broadcast = ground / nf;
        next.par_iter_mut().for_each(|x| *x += broadcast);
        residual = (det_l1_diff(&next, &s) + (new_ground - ground).abs()) / nf;
        std::mem::swap(&mut s, &mut next);
        ground = new_ground;
        if residual < options.tolerance || residual == 0.0 {
            converged = true;
            break;
        }
    }
    let broadcast = ground / nf;
    s.par_iter_mut().for_each(|x| *x += broadcast);
    Ok(LeaderRankResult {
        scores: s,
        ground,
        iterations,
        residual,
        converged,
    })
}
