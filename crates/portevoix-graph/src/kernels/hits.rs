//! HITS hubs and authorities (Kleinberg 1999).
//!
//! # Formula
//!
//! With `A[u][v] = w(u → v)` the weight of the edge `u → v` (edges point
//! actor → target, so authority flows along out-edges):
//!
//! ```text
//! authority(v) = Σ_{u → v} w(u, v) · hub(u)         (a = Aᵀ h)
//! hub(u)       = Σ_{u → v} w(u, v) · authority(v)   (h = A a)
//! ```
//!
//! both vectors normalised to sum 1 after every step, starting from the
//! uniform hub vector `1/n`. The fixed point is the principal left and right
//! singular vector pair of `A`, normalised to sum 1: exactly what NetworkX's
//! `nx.hits` returns (it calls `scipy.sparse.linalg.svds` and normalises the
//! same way), so the two agree to the tolerance.
//!
//! # Vertex program
//!
//! Two supersteps per iteration. (1) Every node `u` sends `w · hub(u)` along
//! its out-edges; a node's authority is the **sum** of its messages.
//! Global aggregate: the authority sum, for normalisation. (2) Every node `v`
//! sends `w · authority(v)` back along its in-edges; a node's hub score is the
//! sum. Global aggregates: the hub sum and the L1 change of both vectors (the
//! residual). The rayon engine runs both steps as pulls (in-CSR for the
//! authorities, out-CSR for the hubs), each row summed in neighbour-id order
//! and the global sums over fixed chunks in a fixed order, so the result is
//! bit-identical for any number of threads.
//!
//! # Convergence
//!
//! The iteration stops when the residual `‖h − h_prev‖₁ + ‖a − a_prev‖₁`
//! falls below [`HitsOptions::tolerance`] or after
//! [`HitsOptions::max_iterations`] iterations. Its speed depends on the gap
//! between the first two singular values of `A`. A graph without edges has
//! no dominant direction: both vectors are then uniform (`1/n`).
//!
//! # Reference
//!
//! J. M. Kleinberg, "Authoritative sources in a hyperlinked environment",
//! *Journal of the ACM* 46(5), 604–632, 1999.

use super::reduce::{det_l1_diff, det_sum, gather};
use crate::LayerGraph;
use portevoix_core::{Error, Result};
use rayon::prelude::*;

/// Divides every value by `total` when it is positive and finite; returns
/// whether it did.
fn normalise(x: &mut [f64], total: f64) -> bool {
    if total > 0.0 && total.is_finite() {
        let inv = 1.0 / total;
        x.par_iter_mut().for_each(|v| *v *= inv);
        true
    } else {
        false
    }
}

/// Options of [`hits`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HitsOptions {
    /// Stop when `‖h − h_prev‖₁ + ‖a − a_prev‖₁` is below this (default `1e-12`).
    pub tolerance: f64,
    /// Iteration cap (default 10 000).
    pub max_iterations: usize,
}

impl Default for HitsOptions {
    fn default() -> Self {
        HitsOptions {
            tolerance: 1e-12,
            max_iterations: 10_000,
        }
    }
}

/// Hub and authority scores from [`hits`], indexed by node id.
#[derive(Debug, Clone, PartialEq)]
pub struct HitsResult {
    /// Hub score of every node, summing to 1.
    pub hubs: Vec<f64>,
    /// Authority score of every node, summing to 1.
    pub authorities: Vec<f64>,
    /// Iterations run (one iteration updates both vectors).
    pub iterations: usize,
    /// Final residual `‖h − h_prev‖₁ + ‖a − a_prev‖₁`.
    pub residual: f64,
    /// Whether the residual fell below the tolerance.
    pub converged: bool,
}

/// HITS hubs and authorities of `graph` (see the [module](self) docs for the
/// formula, the vertex program and the reference).
///
/// # Arguments
///
/// * `graph`: any layer or merged view; edge weights are used (`1.0` on an
///   unweighted layer).
/// * `options`: tolerance on the L1 change and iteration cap.
///
/// # Returns
///
/// Hubs and authorities summing to 1 each (NetworkX's `nx.hits`
/// normalisation), the iteration count, the final residual and whether it
/// converged. An error only for an invalid tolerance.
///
/// # Complexity
///
/// `O(m)` per iteration (two passes over the edges, one per CSR direction),
/// `O(n)` extra memory (four `f64` vectors).
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::hits::{HitsOptions, hits};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // Three fans (0, 1, 2) point at star 3; fan 0 also points at 4.
/// let edges = [(0, 3), (1, 3), (2, 3), (0, 4)];
/// let g = LayerGraph::from_edges(5, &edges, &BuildOptions::default())?;
/// let r = hits(&g, &HitsOptions::default())?;
/// assert!(r.converged);
/// assert!(r.authorities[3] > r.authorities[4]);
/// assert!(r.hubs[0] > r.hubs[1]);
/// assert!((r.hubs.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn hits(graph: &LayerGraph, options: &HitsOptions) -> Result<HitsResult> {
    if !(options.tolerance.is_finite() && options.tolerance >= 0.0) {
        return Err(Error::argument(
            "tolerance",
            format!(
                "HITS tolerance must be finite and non-negative, got {}",
                options.tolerance
            ),
        ));
    }
    let n = graph.num_nodes();
    let uniform = if n > 0 { 1.0 / n as f64 } else { 0.0 };
    let mut hubs = vec![uniform; n];
    let mut auth = vec![uniform; n];
    if graph.num_edges() == 0 {
        return Ok(HitsResult {
            hubs,
            authorities: auth,
            iterations: 0,
            residual: 0.0,
            converged: true,
        });
    }
    let mut new_hubs = vec![0.0; n];
    let mut new_auth = vec![0.0; n];
    let mut iterations = 0;
    let mut residual = f64::INFINITY;
    let mut converged = false;
    while iterations < options.max_iterations {
        iterations += 1;
        // Superstep 1: authorities pull hub scores along in-edges.
        gather(graph.in_csr(), &hubs, &mut new_auth);
        let a_sum = det_sum(&new_auth);
        normalise(&mut new_auth, a_sum);
        // Superstep 2: hubs pull authority scores along out-edges.
        gather(graph.out_csr(), &new_auth, &mut new_hubs);
        let h_sum = det_sum(&new_hubs);
        normalise(&mut new_hubs, h_sum);
        residual = det_l1_diff(&new_hubs, &hubs) + det_l1_diff(&new_auth, &auth);
        std::mem::swap(&mut hubs, &mut new_hubs);
        std::mem::swap(&mut auth, &mut new_auth);
        if residual < options.tolerance || residual == 0.0 {
            converged = true;
            break;
        }
    }
    Ok(HitsResult {
        hubs,
        authorities: auth,
        iterations,
        residual,
        converged,
    })
}
