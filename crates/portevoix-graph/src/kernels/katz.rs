//! Katz centrality (Katz 1953), with NetworkX's `katz_centrality` semantics.
//!
//! # Formula
//!
//! ```text
//! x = α Aᵀ x + β,   i.e.   x(v) = α Σ_{u → v} w(u, v) · x(u) + β
//! ```
//!
//! (edges point actor → target, so endorsement flows to the target), solved
//! by the iteration `x(0) = 0`, `x(t+1) = α Aᵀ x(t) + β`, whose limit is
//! `β (I − α Aᵀ)⁻¹ 1 = β Σ_k αᵏ (Aᵀ)ᵏ 1`: every walk of length `k` ending at
//! `v` counts `αᵏ`. The series converges if and only if `α < 1 / λ_max`
//! (`λ_max` the spectral radius of `A`). The stopping rule is NetworkX's:
//! `‖x(t+1) − x(t)‖₁ < n · tolerance`. With [`KatzOptions::normalized`] the
//! result is divided by its Euclidean norm, as `nx.katz_centrality(...,
//! normalized=True)` does.
//!
//! When `α ≥ 1 / λ_max` the iterates grow without bound. The kernel detects
//! it (the residual stops shrinking over 10 iterations, or overflows) and
//! returns [`Error::Argument`] with an estimate of `λ_max` from the
//! growth rate, rather than a meaningless vector.
//!
//! # Vertex program
//!
//! Node state `x(u)`; each node sends `w · x(u)` along its out-edges,
//! messages combined by **sum**; apply `α · sum + β`. Global aggregates: the
//! L1 change (residual) and, at the end, the squared norm. The rayon engine
//! pulls over the in-CSR, rows in neighbour-id order, global sums over fixed
//! chunks: bit-identical for any number of threads.
//!
//! # Reference
//!
//! L. Katz, "A new status index derived from sociometric analysis",
//! *Psychometrika* 18(1), 39–43, 1953.

use super::reduce::{det_l1_diff, det_sum, gather};
use crate::LayerGraph;
use portevoix_core::{Error, Result};
use rayon::prelude::*;

/// Options of [`katz`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KatzOptions {
    /// Attenuation `α`, positive and below `1 / λ_max` (default `0.1`, as NetworkX).
    pub alpha: f64,
    /// Constant term `β`, positive (default `1.0`).
    pub beta: f64,
    /// Stop when `‖x(t+1) − x(t)‖₁ < n · tolerance` (default `1e-12`).
    pub tolerance: f64,
    /// Iteration cap (default 10 000).
    pub max_iterations: usize,
    /// Divide the result by its Euclidean norm (default `true`, as NetworkX).
    pub normalized: bool,
}

impl Default for KatzOptions {
    fn default() -> Self {
        KatzOptions {
            alpha: 0.1,
            beta: 1.0,
            tolerance: 1e-12,
            max_iterations: 10_000,
            normalized: true,
        }
    }
}

/// Scores from [`katz`].
#[derive(Debug, Clone, PartialEq)]
pub struct KatzResult {
    /// Katz centrality of every node (unit Euclidean norm when normalised).
    pub scores: Vec<f64>,
    /// Iterations run.
    pub iterations: usize,
    /// Final residual `‖x(t+1) − x(t)‖₁` (before normalisation).
    pub residual: f64,
    /// Whether the residual fell below `n · tolerance`.
    pub converged: bool,
}

/// Katz centrality of every node of `graph` (see the [module](self) docs for
/// the formula, the vertex program and the reference).
///
/// # Arguments
///
/// * `graph`: any layer or merged view; edge weights are used.
/// * `options`: `α`, `β`, tolerance, iteration cap, normalisation.
///
/// # Returns
///
/// The scores, the iteration count, the final residual and whether it
/// converged within the cap. [`Error::Argument`] when `α` or `β` is
/// not positive and finite, when the tolerance is invalid, or when the
/// iteration diverges because `α ≥ 1 / λ_max` (the message gives the
/// estimated `λ_max`).
///
/// # Complexity
///
/// `O(n + m)` per iteration; about `log(tolerance) / log(α λ_max)`
/// iterations. `O(n)` extra memory.
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::katz::{KatzOptions, katz};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // A path 0 → 1 → 2: x = (β, β + αβ, β + αβ + α²β).
/// let g = LayerGraph::from_edges(3, &[(0, 1), (1, 2)], &BuildOptions::default())?;
/// let opts = KatzOptions { alpha: 0.5, normalized: false, ..KatzOptions::default() };
/// let r = katz(&g, &opts)?;
/// assert_eq!(r.scores, vec![1.0, 1.5, 1.75]);
///
/// // A 2-cycle has λ_max = 1: α = 1.5 diverges, with a clear error.
/// let c = LayerGraph::from_edges(2, &[(0, 1), (1, 0)], &BuildOptions::default())?;
/// let err = katz(&c, &KatzOptions { alpha: 1.5, ..KatzOptions::default() }).unwrap_err();
/// assert!(err.to_string().contains("diverges"));
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn katz(graph: &LayerGraph, options: &KatzOptions) -> Result<KatzResult> {
    let KatzOptions {
        alpha,
        beta,
        tolerance,
        max_iterations,
        normalized,
    } = *options;
    if !(alpha.is_finite() && alpha > 0.0) {
        return Err(Error::argument(
            "alpha",
            format!("Katz alpha must be positive and finite, got {alpha}"),
        ));
    }
    if !(beta.is_finite() && beta > 0.0) {
        return Err(Error::argument(
            "beta",
            format!("Katz beta must be positive and finite, got {beta}"),
        ));
    }
    if !(tolerance.is_finite() && tolerance >= 0.0) {
        return Err(Error::argument(
            "tolerance",
            format!("Katz tolerance must be finite and non-negative, got {tolerance}"),
        ));
    }
    let n = graph.num_nodes();
    let threshold = n as f64 * tolerance;
    let mut x = vec![0.0f64; n];
    let mut next = vec![0.0f64; n];
    let mut history: Vec<f64> = Vec::new();
    let mut iterations = 0;
    let mut residual = f64::INFINITY;
    let mut converged = false;
    while iterations < max_iterations {
        iterations += 1;
        gather(graph.in_csr(), &x, &mut next);
        next.par_iter_mut().for_each(|v| *v = alpha * *v + beta);
        residual = det_l1_diff(&next, &x);
        std::mem::swap(&mut x, &mut next);
        if residual < threshold || residual == 0.0 {
            converged = true;
            break;
        }
        history.push(residual);
        let k = history.len();
        let stalled = k > 20 && residual >= history[k - 11];
        if !residual.is_finite() || stalled {
            // Successive differences shrink by about α λ_max per iteration.
            let rate = if k > 11 && history[k - 11] > 0.0 && residual.is_finite() {
                (residual / history[k - 11]).powf(0.1)
            } else {
                f64::INFINITY
            };
            return Err(Error::argument(
                "alpha",
                format!(
                    "Katz iteration diverges after {iterations} iterations: alpha = {alpha} is not \
                 below 1 / lambda_max (the growth rate suggests lambda_max >= {:.6}, so alpha \
                 must be below {:.6})",
                    rate / alpha,
                    alpha / rate
                ),
            ));
        }
    }
    if normalized {
        let squares: Vec<f64> = x.par_iter().map(|v| v * v).collect();
        let norm = det_sum(&squares).sqrt();
        if norm > 0.0 {
            let inv = 1.0 / norm;
            x.par_iter_mut().for_each(|v| *v *= inv);
        }
    }
    Ok(KatzResult {
        scores: x,
        iterations,
        residual,
        converged,
    })
}
