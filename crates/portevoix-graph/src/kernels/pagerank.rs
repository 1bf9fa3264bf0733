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
//! # Solvers
//!
//! Two solvers reach the same fixed point and stop by the same rule
//! ([`PageRankSolver`]):
//!
//! * **Power iteration**, the vertex program below: one sweep over the
//!   edges per iteration, the error shrinking by the graph's second
//!   eigenvalue, which is `d` itself (0.85) on most social graphs: about
//!   100 sweeps for a total L1 change below `1e-9`.
//! * **Krylov** (PRPACK's view, Gleich et al.): with dangling mass sent along
//!   the teleport vector, the fixed point is `y / ‖y‖₁` with
//!   `(I − d·Pᵀ)·y = p`. The nodes no cycle reaches, and those that reach no
//!   cycle, are solved exactly by substitution in topological levels (a
//!   retweet graph is 99% such nodes); BiCGSTAB solves the core, typically
//!   in 30–50 sweeps of the core's edges. The solution is then handed to
//!   the power iteration, which runs until the L1 change of one of its
//!   sweeps is below the tolerance, usually at once: the result meets the
//!   power iteration's stopping rule, checked, not assumed.
//!
//! [`PageRankSolver::Auto`] (the default) starts with the power iteration
//! and measures how fast it converges: after [`PROBE_SWEEPS`] sweeps, if the
//! last residual ratio is above [`SLOW_RATE`] the remaining work goes to the
//! Krylov solver. The rule comes from measurements on the benchmark graphs
//! (`BENCHMARKS.md`): the slowly mixing SNAP graphs (Slashdot, Epinions,
//! Higgs retweet: ratios 0.38–0.57 after three sweeps, 97–102 sweeps in
//! all) are 2–10× faster with the Krylov solver, while a Graph500 Kronecker
//! graph mixes fast (ratio 0.14, 12 sweeps) and keeps the power iteration.
//! Graphs under [`MIN_KRYLOV_NODES`] nodes, damping outside `(0, 0.99]` and
//! [`Dangling::Uniform`] with a non-uniform teleport vector always use the
//! power iteration.
//!
//! # Vertex program
//!
//! Each power iteration is one superstep of a vertex program, so a dataflow
//! engine (timely-dataflow) can run the same mathematics; it is the
//! reference every solver is checked against:
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
//! The Krylov solver is built of the same pieces: its sweeps are the same
//! messages and sum combiner on the core (`(L·z)(v) = z(v) − d·Σ_{u → v}
//! z(u)·w/W_out(u)`), its scalars are global aggregates (dot products and
//! norms), and the substitution on the acyclic ends is one superstep per
//! topological level.
//!
//! The rayon engine specialises it as a **pull** over the in-CSR: each node
//! sums its in-neighbours' `x(u)/W_out(u)` (precomputed once per iteration
//! in the same pass that writes `x'`), so there are no atomics and the sum
//! for each node is taken in a fixed order (in-neighbours sorted by id). The
//! global aggregates are summed per fixed block of [`BLOCK`] nodes, then
//! block sums in block order: results are **bit-identical for 1 and N
//! threads**, for both solvers.
//!
//! # References
//!
//! * L. Page, S. Brin, R. Motwani, T. Winograd. *The PageRank Citation
//!   Ranking: Bringing Order to the Web.* Stanford InfoLab, 1999.
//! * T. H. Haveliwala. *Topic-Sensitive PageRank.* WWW 2002.
//! * J. Weng, E.-P. Lim, J. Jiang, Q. He. *TwitterRank: Finding
//!   Topic-sensitive Influential Twitterers.* WSDM 2010.
//! * D. F. Gleich, A. P. Gray, C. Greif, T. Lau. *An inner-outer iteration
//!   for computing PageRank.* SIAM J. Sci. Comput. 32(1), 2010 (PRPACK).
//! * H. A. van der Vorst. *Bi-CGSTAB.* SIAM J. Sci. Stat. Comput. 13(2), 1992.

use crate::LayerGraph;
use portevoix_core::{Error, Result};

mod acyclic;
mod krylov;
mod power;

use power::{PowerOutcome, Prep};

/// Nodes per block of the fixed-order reductions (and per parallel task).
pub const BLOCK: usize = 2048;

/// Power sweeps [`PageRankSolver::Auto`] runs before deciding.
pub const PROBE_SWEEPS: usize = 3;

/// Residual ratio (last / previous, after [`PROBE_SWEEPS`] sweeps) above
/// which [`PageRankSolver::Auto`] switches to the Krylov solver.
pub const SLOW_RATE: f64 = 0.3;

/// Graphs with fewer nodes always use the power iteration (the Krylov
/// solver's set-up costs more than it saves).
pub const MIN_KRYLOV_NODES: usize = 4096;
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
    /// Sweeps over the edges performed: power iterations, plus the
    /// Krylov solver's matrix-vector products on the core when it ran.
    pub iterations: usize,
    /// Total L1 change of the last power iteration (`f64::INFINITY` if none
    /// ran).
    pub residual: f64,
    /// Whether `residual < tolerance`.
    pub converged: bool,
    /// The solver that produced the scores: [`PageRankSolver::Power`], or
    /// [`PageRankSolver::Krylov`] (then checked by power iterations).
    pub solver: PageRankSolver,
}

/// Which PageRank solver runs; see the [module docs](self#solvers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageRankSolver {
    /// Power iteration first; the Krylov solver when the measured
    /// convergence rate says it pays (the default).
    #[default]
    Auto,
    /// The power iteration only: the vertex program, the reference.
    Power,
    /// Exact substitution on the acyclic ends, BiCGSTAB on the core, then
    /// power iterations until the stopping rule holds. Falls back to the
    /// power iteration where it does not apply (see the module docs).
    Krylov,
}

impl PageRankSolver {
    /// The name used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PageRankSolver::Auto => "auto",
            PageRankSolver::Power => "power",
            PageRankSolver::Krylov => "krylov",
        }
    }
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
    pagerank_with(graph, options, PageRankSolver::Auto, None, warm_start)
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
    pagerank_with(
        graph,
        options,
        PageRankSolver::Auto,
        Some(personalization),
        warm_start,
    )
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
    personalized_pagerank_batch_with(graph, personalizations, options, PageRankSolver::Auto)
}

/// PageRank or personalised PageRank with a chosen [`PageRankSolver`].
///
/// # Arguments
/// * `graph`, `options`, `warm_start`: as in [`pagerank`].
/// * `solver`: [`PageRankSolver::Auto`] (what [`pagerank`] and
///   [`personalized_pagerank`] use), [`PageRankSolver::Power`] or
///   [`PageRankSolver::Krylov`].
/// * `personalization`: `None` for plain PageRank, else as in
///   [`personalized_pagerank`].
///
/// # Returns
/// As [`pagerank`]; [`PageRankResult::solver`] says which solver produced
/// the scores.
///
/// # Errors
/// As [`personalized_pagerank`].
///
/// # Complexity
/// Power: `O(iterations · (n + m))`. Krylov: `O(n + m)` for the acyclic
/// ends (one synchronisation per topological level), `O(sweeps · m_core)`
/// for BiCGSTAB, `O(n)` extra memory per column (about ten `f64` vectors of
/// the core's size) plus a copy of the core's in-edges.
///
/// # References
/// See the [module docs](self#references): Page et al. 1999; Gleich, Gray,
/// Greif, Lau 2010 (the linear system and PRPACK); van der Vorst 1992
/// (BiCGSTAB).
///
/// # Example
/// ```
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::{PageRankOptions, PageRankSolver, pagerank_with};
///
/// // A cycle 0 → 1 → 2 → 0 fed by a chain 3 → 4 → 0 and draining into 5.
/// let edges = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 0), (2, 5)];
/// let g = LayerGraph::from_edges(6, &edges, &BuildOptions::default())?;
/// let opts = PageRankOptions { tolerance: 1e-12, max_iterations: 1000, ..Default::default() };
/// let power = pagerank_with(&g, &opts, PageRankSolver::Power, None, None)?;
/// let krylov = pagerank_with(&g, &opts, PageRankSolver::Krylov, None, None)?;
/// assert_eq!(krylov.solver, PageRankSolver::Krylov);
/// assert!(krylov.converged && krylov.iterations < power.iterations);
/// let l1: f64 = power.scores.iter().zip(&krylov.scores).map(|(a, b)| (a - b).abs()).sum();
/// assert!(l1 < 1e-11);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn pagerank_with(
    graph: &LayerGraph,
    options: &PageRankOptions,
    solver: PageRankSolver,
    personalization: Option<&[f64]>,
    warm_start: Option<&[f64]>,
) -> Result<PageRankResult> {
    options.validate()?;
    let n = graph.num_nodes();
    let teleport = match personalization {
        Some(p) => Teleport::Vector(normalised(p, n, "personalization")?),
        None => Teleport::Uniform,
    };
    let start = match warm_start {
        Some(w) => normalised(w, n, "warm start")?,
        None => vec![uniform(n); n],
    };
    if n == 0 {
        return Ok(empty_result());
    }
    let mut results = solve(graph, options, solver, vec![teleport], vec![start]);
    Ok(results.pop().expect("one column"))
}

/// [`personalized_pagerank_batch`] with a chosen [`PageRankSolver`]. Each
/// column is bit-identical to [`pagerank_with`] on the same vector and
/// solver.
///
/// # Errors
/// As [`personalized_pagerank_batch`].
///
/// # Complexity
/// As [`pagerank_with`], times `k` for the arithmetic; each sweep reads the
/// edges once for all columns.
///
/// # Example
/// ```
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::{PageRankOptions, PageRankSolver, pagerank_with,
///     personalized_pagerank_batch_with};
///
/// let g = LayerGraph::from_edges(4, &[(0, 1), (1, 2), (2, 0), (3, 2)], &BuildOptions::default())?;
/// let opts = PageRankOptions::default();
/// let topics = [vec![1.0, 0.0, 0.0, 0.0], vec![0.0, 0.0, 1.0, 1.0]];
/// let batch = personalized_pagerank_batch_with(&g, &topics, &opts, PageRankSolver::Krylov)?;
/// for (t, r) in topics.iter().zip(&batch) {
///     assert_eq!(r, &pagerank_with(&g, &opts, PageRankSolver::Krylov, Some(t), None)?);
/// }
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn personalized_pagerank_batch_with<P: AsRef<[f64]> + Sync>(
    graph: &LayerGraph,
    personalizations: &[P],
    options: &PageRankOptions,
    solver: PageRankSolver,
) -> Result<Vec<PageRankResult>> {
    options.validate()?;
    let n = graph.num_nodes();
    let k = personalizations.len();
    if k == 0 {
        return Ok(Vec::new());
    }
    let mut ps = Vec::with_capacity(k);
    for (j, p) in personalizations.iter().enumerate() {
        ps.push(Teleport::Vector(normalised(
            p.as_ref(),
            n,
            &format!("personalization #{j}"),
        )?));
    }
    if n == 0 {
        return Ok((0..k).map(|_| empty_result()).collect());
    }
    let starts = vec![vec![uniform(n); n]; k];
    Ok(solve(graph, options, solver, ps, starts))
}

fn empty_result() -> PageRankResult {
    PageRankResult {
        scores: Vec::new(),
        iterations: 0,
        residual: 0.0,
        converged: true,
        solver: PageRankSolver::Power,
    }
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

/// The teleport vector of one column.
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

/// Whether the Krylov solver applies: `d` in `(0, 0.99]` (at `d = 1` the
/// system is singular, at `d = 0` there is nothing to solve), and dangling
/// mass that either stays put or follows the teleport vector.
fn krylov_applies(options: &PageRankOptions, teleports: &[Teleport]) -> bool {
    let d = options.damping;
    let dangling_ok = match options.dangling {
        Dangling::Teleport | Dangling::SelfLoop => true,
        Dangling::Uniform => teleports.iter().all(|t| matches!(t, Teleport::Uniform)),
    };
    d > 0.0 && d <= 0.99 && dangling_ok
}

/// Runs the power iteration on every column (one column: the single-vector
/// loop; more: the batched loop with the same arithmetic per column).
fn power_phase(
    graph: &LayerGraph,
    options: &PageRankOptions,
    prep: &Prep,
    teleports: &[Teleport],
    dense: &[Vec<f64>],
    starts: Vec<Vec<f64>>,
    caps: &[usize],
) -> Vec<PowerOutcome> {
    if teleports.len() == 1 {
        let start = starts.into_iter().next().expect("one column");
        vec![power::run_single(
            graph,
            options,
            prep,
            &teleports[0],
            start,
            caps[0],
        )]
    } else {
        let ps: Vec<&[f64]> = dense.iter().map(Vec::as_slice).collect();
        power::run_batch(graph, options, prep, &ps, starts, caps)
    }
}

/// The solver dispatch for `k ≥ 1` columns on a graph with `n ≥ 1` nodes,
/// run on a worker of the rayon pool: the many short parallel passes of the
/// solvers then fork and join inside the pool instead of each handing a job
/// over from the calling thread (which costs two thread wake-ups per pass,
/// and much more on a loaded machine).
fn solve(
    graph: &LayerGraph,
    options: &PageRankOptions,
    solver: PageRankSolver,
    teleports: Vec<Teleport>,
    starts: Vec<Vec<f64>>,
) -> Vec<PageRankResult> {
    rayon::scope(|_| solve_columns(graph, options, solver, teleports, starts))
}

/// See [`solve`]. Every decision is taken per column from that column's own
/// numbers, so a batch column is bit-identical to a single run.
fn solve_columns(
    graph: &LayerGraph,
    options: &PageRankOptions,
    solver: PageRankSolver,
    teleports: Vec<Teleport>,
    starts: Vec<Vec<f64>>,
) -> Vec<PageRankResult> {
    let n = graph.num_nodes();
    let k = teleports.len();
    let cap = options.max_iterations;
    let prep = Prep::new(graph, options.weighted);
    let krylov_ok = krylov_applies(options, &teleports) && graph.num_edges() > 0;
    // Teleport vectors as slices, for the batch loop and the Krylov solver.
    let dense: Vec<Vec<f64>> = if k > 1 || krylov_ok {
        teleports
            .iter()
            .map(|t| match t {
                Teleport::Uniform => vec![uniform(n); n],
                Teleport::Vector(p) => p.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let probe = match solver {
        PageRankSolver::Power => cap,
        PageRankSolver::Krylov if krylov_ok => 0,
        PageRankSolver::Krylov => cap,
        PageRankSolver::Auto if krylov_ok && n >= MIN_KRYLOV_NODES => PROBE_SWEEPS.min(cap),
        PageRankSolver::Auto => cap,
    };
    // Phase 1: power sweeps (all of them, or the probe).
    let first: Vec<PowerOutcome> = if probe > 0 {
        power_phase(
            graph,
            options,
            &prep,
            &teleports,
            &dense,
            starts,
            &vec![probe; k],
        )
    } else {
        starts
            .into_iter()
            .map(|s| PowerOutcome {
                scores: s,
                iterations: 0,
                residual: f64::INFINITY,
                converged: false,
                previous: f64::INFINITY,
            })
            .collect()
    };
    // Phase 2: the Krylov solver for the columns that need it.
    let wants: Vec<bool> = first
        .iter()
        .map(|o| {
            krylov_ok
                && !o.converged
                && cap.saturating_sub(o.iterations) >= 4
                && match solver {
                    PageRankSolver::Krylov => true,
                    PageRankSolver::Auto => o.residual > SLOW_RATE * o.previous,
                    PageRankSolver::Power => false,
                }
        })
        .collect();
    let mut used = vec![PageRankSolver::Power; k];
    let mut krylov_sweeps = vec![0usize; k];
    let mut firsts: Vec<Option<PowerOutcome>> = Vec::with_capacity(k);
    for o in first {
        firsts.push(Some(o));
    }
    let chosen: Vec<usize> = (0..k).filter(|&j| wants[j]).collect();
    let mut krylov_out: Vec<Option<Vec<f64>>> = (0..k).map(|_| None).collect();
    if !chosen.is_empty() {
        let system = krylov::System::new(graph, options, &prep);
        let ps: Vec<&[f64]> = chosen.iter().map(|&j| dense[j].as_slice()).collect();
        let xs: Vec<&[f64]> = chosen
            .iter()
            .map(|&j| firsts[j].as_ref().expect("set").scores.as_slice())
            .collect();
        // Leave one sweep of the budget for the check.
        let caps: Vec<usize> = chosen
            .iter()
            .map(|&j| cap - firsts[j].as_ref().expect("set").iterations - 1)
            .collect();
        let outs = system.solve(&prep, options, &ps, &xs, &caps);
        for (&j, out) in chosen.iter().zip(outs) {
            krylov_sweeps[j] = out.sweeps;
            // A column that broke down (non-finite entries) is discarded:
            // phase 3 iterates by power from phase 1's scores.
            if out.scores.iter().all(|x| x.is_finite()) {
                used[j] = PageRankSolver::Krylov;
                krylov_out[j] = Some(out.scores);
            }
        }
    }
    // Phase 3: power sweeps from where each column stands, to the stopping
    // rule or the cap (a column that converged in phase 1 is done).
    let mut caps = vec![0usize; k];
    let mut starts3 = Vec::with_capacity(k);
    for j in 0..k {
        let o = firsts[j].as_mut().expect("set");
        let spent = o.iterations + krylov_sweeps[j];
        caps[j] = if o.converged {
            0
        } else {
            cap.saturating_sub(spent)
        };
        starts3.push(match krylov_out[j].take() {
            Some(x) => x,
            None => std::mem::take(&mut o.scores),
        });
    }
    if caps.iter().all(|&c| c == 0) {
        return (0..k)
            .map(|j| {
                let o = firsts[j].take().expect("set");
                let converged = o.converged;
                PageRankResult {
                    scores: starts3[j].clone(),
                    iterations: o.iterations + krylov_sweeps[j],
                    residual: o.residual,
                    converged,
                    solver: used[j],
                }
            })
            .collect();
    }
    let last = power_phase(graph, options, &prep, &teleports, &dense, starts3, &caps);
    last.into_iter()
        .enumerate()
        .map(|(j, o)| {
            let f = firsts[j].take().expect("set");
            if caps[j] == 0 {
                // Untouched in phase 3: phase 1's outcome stands.
                PageRankResult {
                    scores: o.scores,
                    iterations: f.iterations + krylov_sweeps[j],
                    residual: f.residual,
                    converged: f.converged,
                    solver: used[j],
                }
            } else {
                PageRankResult {
                    scores: o.scores,
                    iterations: f.iterations + krylov_sweeps[j] + o.iterations,
                    residual: o.residual,
                    converged: o.converged,
                    solver: used[j],
                }
            }
        })
        .collect()
}
