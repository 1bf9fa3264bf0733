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
//! # Solvers
//!
//! The power iteration above is the reference vertex program. Its speed is
//! the squared ratio of `A`'s two largest singular values: 163 iterations on
//! Epinions for a residual below `1e-9`. The **Lanczos** solver
//! ([`HitsSolver::Lanczos`], module `lanczos`) builds a Krylov space of
//! `B = AᵀA` from the power iteration's first authority vector, whose top
//! Ritz vector converges to the same limit (the power iterates all lie in
//! that space) in 6–12 products `B·x` on the benchmark graphs (each the two
//! gathers of one power iteration, plus two vector passes). When its estimated residual is small it hands the vector to the
//! power iteration, which runs until its own stopping rule holds (usually
//! one iteration), so the result meets the same rule, checked.
//! [`HitsSolver::Auto`] (the default) uses Lanczos on graphs of at least
//! [`MIN_LANCZOS_NODES`] nodes: on every benchmark graph it needed fewer
//! products than the power iteration's iterations (Kronecker scale 20: 6
//! plus 2 against 11; Slashdot 11 plus 2 against 29; Epinions 12 plus 2
//! against 163). A product of the Lanczos solver is one superstep pair of
//! the same vertex program; its scalars (dot products, norms) are global
//! aggregates.
//!
//! # Reference
//!
//! J. M. Kleinberg, "Authoritative sources in a hyperlinked environment",
//! *Journal of the ACM* 46(5), 604–632, 1999.

use super::reduce::{det_l1_diff, det_sum, gather, gather_unit};
use crate::LayerGraph;
use portevoix_core::{Error, Result};
use rayon::prelude::*;

mod lanczos;

/// Graphs with fewer nodes always use the power iteration.
pub const MIN_LANCZOS_NODES: usize = 4096;

/// Which HITS solver runs; see the [module docs](self#solvers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HitsSolver {
    /// Lanczos on graphs of at least [`MIN_LANCZOS_NODES`] nodes, else the
    /// power iteration (the default).
    #[default]
    Auto,
    /// The power iteration only: the vertex program, the reference.
    Power,
    /// Lanczos on `AᵀA`, then power iterations until the stopping rule holds.
    Lanczos,
}

impl HitsSolver {
    /// The name used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            HitsSolver::Auto => "auto",
            HitsSolver::Power => "power",
            HitsSolver::Lanczos => "lanczos",
        }
    }
}

/// The two gathers of HITS, skipping the weights when they are all 1 (the
/// same bits: `1.0·x == x`).
struct Sweeps<'g> {
    graph: &'g LayerGraph,
    unit: bool,
}

impl Sweeps<'_> {
    /// `out = Aᵀ·hubs`: authorities pull hub scores along in-edges.
    fn authorities(&self, hubs: &[f64], out: &mut [f64]) {
        if self.unit {
            gather_unit(self.graph.in_csr(), hubs, out);
        } else {
            gather(self.graph.in_csr(), hubs, out);
        }
    }

    /// `out = A·authorities`: hubs pull authority scores along out-edges.
    fn hubs(&self, auth: &[f64], out: &mut [f64]) {
        if self.unit {
            gather_unit(self.graph.out_csr(), auth, out);
        } else {
            gather(self.graph.out_csr(), auth, out);
        }
    }

    /// `out = AᵀA·x`, with `scratch` for `A·x`.
    fn b_product(&self, x: &[f64], scratch: &mut [f64], out: &mut [f64]) {
        self.hubs(x, scratch);
        self.authorities(scratch, out);
    }
}

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
    /// Iterations run (one iteration updates both vectors, two sweeps over
    /// the edges); with Lanczos, its products `AᵀA·x` (also two sweeps
    /// each) plus the power iterations that checked it.
    pub iterations: usize,
    /// Final residual `‖h − h_prev‖₁ + ‖a − a_prev‖₁` of the last power
    /// iteration.
    pub residual: f64,
    /// Whether the residual fell below the tolerance.
    pub converged: bool,
    /// The solver that produced the vectors: [`HitsSolver::Power`] or
    /// [`HitsSolver::Lanczos`] (then checked by power iterations).
    pub solver: HitsSolver,
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
    hits_with(graph, options, HitsSolver::Auto)
}

/// HITS with a chosen [`HitsSolver`].
///
/// # Arguments
/// * `graph`, `options`: as in [`hits`].
/// * `solver`: [`HitsSolver::Auto`] (what [`hits`] uses),
///   [`HitsSolver::Power`] or [`HitsSolver::Lanczos`].
///
/// # Returns
/// As [`hits`]; [`HitsResult::solver`] says which solver produced the
/// vectors.
///
/// # Errors
/// As [`hits`].
///
/// # Complexity
/// Power: `O(iterations · m)`. Lanczos: `O(products · (m + n))` time (a
/// product is two sweeps over the edges) plus `O(basis · n)` to form the
/// Ritz vector, `O(basis · n)` memory with a basis of at most 64 vectors
/// (fewer on huge graphs, then restarted).
///
/// # References
/// Kleinberg 1999 (HITS); Lanczos 1950 and Parlett 1998 (the Krylov
/// solver, as ARPACK runs it).
///
/// # Example
/// ```
/// use portevoix_graph::kernels::hits::{HitsOptions, HitsSolver, hits_with};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// let edges = [(0, 3), (1, 3), (2, 3), (0, 4), (4, 3), (3, 1)];
/// let g = LayerGraph::from_edges(5, &edges, &BuildOptions::default())?;
/// let opts = HitsOptions { tolerance: 1e-13, ..HitsOptions::default() };
/// let power = hits_with(&g, &opts, HitsSolver::Power)?;
/// let lanczos = hits_with(&g, &opts, HitsSolver::Lanczos)?;
/// assert_eq!(lanczos.solver, HitsSolver::Lanczos);
/// let l1: f64 = power.authorities.iter().zip(&lanczos.authorities).map(|(a, b)| (a - b).abs()).sum();
/// assert!(lanczos.converged && l1 < 1e-11);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn hits_with(
    graph: &LayerGraph,
    options: &HitsOptions,
    solver: HitsSolver,
) -> Result<HitsResult> {
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
    if graph.num_edges() == 0 {
        return Ok(HitsResult {
            hubs: vec![uniform; n],
            authorities: vec![uniform; n],
            iterations: 0,
            residual: 0.0,
            converged: true,
            solver: HitsSolver::Power,
        });
    }
    // Run on a pool worker: the many short passes then fork and join inside
    // the pool instead of each waking the pool from the calling thread.
    Ok(rayon::scope(|_| run(graph, options, solver)))
}

/// The solver dispatch (graph with edges).
fn run(graph: &LayerGraph, options: &HitsOptions, solver: HitsSolver) -> HitsResult {
    let n = graph.num_nodes();
    let sweeps = Sweeps {
        graph,
        unit: graph.out_csr().weights().par_iter().all(|&w| w == 1.0),
    };
    let lanczos_on = match solver {
        HitsSolver::Power => false,
        HitsSolver::Lanczos => true,
        HitsSolver::Auto => n >= MIN_LANCZOS_NODES,
    };
    let cap = options.max_iterations;
    let uniform = 1.0 / n as f64;
    let start = Power {
        hubs: vec![uniform; n],
        auth: vec![uniform; n],
        iterations: 0,
        residual: f64::INFINITY,
        converged: false,
    };
    if !lanczos_on || cap < 4 {
        return power(&sweeps, options, start, cap).finish(HitsSolver::Power);
    }
    // The first power iteration gives the Krylov space's start vector (the
    // power iterates all lie in the space it spans).
    let mut state = power(&sweeps, options, start, 1);
    if state.converged {
        return state.finish(HitsSolver::Power);
    }
    let mut spent = state.iterations;
    state.iterations = 0;
    let basis = (((1usize << 28) / (8 * n)).clamp(12, 64)).min(cap);
    let mut trigger = options.tolerance;
    loop {
        let ritz = lanczos::lanczos(
            &sweeps,
            &state.auth,
            trigger,
            cap.saturating_sub(spent + 1).max(1),
            basis,
        );
        spent += ritz.products;
        // Check: the hubs of the Ritz vector, then power iterations from
        // there (one, if the Ritz vector is as good as its estimate).
        let mut hubs = vec![0.0; n];
        sweeps.hubs(&ritz.authorities, &mut hubs);
        let total = det_sum(&hubs);
        normalise(&mut hubs, total);
        let from = Power {
            hubs,
            auth: ritz.authorities,
            iterations: 0,
            residual: f64::INFINITY,
            converged: false,
        };
        let mut checked = power(&sweeps, options, from, 1);
        spent += checked.iterations;
        let rest = cap.saturating_sub(spent);
        if !checked.converged && rest > 0 && trigger < 1e-3 * options.tolerance {
            // Lanczos cannot do better than rounding allows: the power
            // iteration finishes with the budget left.
            checked.iterations = 0;
            checked = power(&sweeps, options, checked, rest);
            spent += checked.iterations;
        }
        if checked.converged || spent >= cap || trigger < 1e-3 * options.tolerance {
            checked.iterations = spent;
            return checked.finish(HitsSolver::Lanczos);
        }
        // Not yet: continue from the checked vector with a tighter trigger.
        trigger = trigger.min(ritz.estimate) / 8.0;
        checked.iterations = 0;
        state = checked;
    }
}

/// The state of the power iteration.
struct Power {
    hubs: Vec<f64>,
    auth: Vec<f64>,
    iterations: usize,
    residual: f64,
    converged: bool,
}

impl Power {
    fn finish(self, solver: HitsSolver) -> HitsResult {
        HitsResult {
            hubs: self.hubs,
            authorities: self.auth,
            iterations: self.iterations,
            residual: self.residual,
            converged: self.converged,
            solver,
        }
    }
}

/// At most `cap` power iterations from `state` (its `iterations` count on).
fn power(sweeps: &Sweeps<'_>, options: &HitsOptions, state: Power, cap: usize) -> Power {
    let n = state.hubs.len();
    let Power {
        mut hubs,
        mut auth,
        mut iterations,
        mut residual,
        mut converged,
    } = state;
    let mut new_hubs = vec![0.0; n];
    let mut new_auth = vec![0.0; n];
    let stop = iterations + cap;
    while iterations < stop {
        iterations += 1;
        // Superstep 1: authorities pull hub scores along in-edges.
        sweeps.authorities(&hubs, &mut new_auth);
        let a_sum = det_sum(&new_auth);
        normalise(&mut new_auth, a_sum);
        // Superstep 2: hubs pull authority scores along out-edges.
        sweeps.hubs(&new_auth, &mut new_hubs);
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
    Power {
        hubs,
        auth,
        iterations,
        residual,
        converged,
    }
}
