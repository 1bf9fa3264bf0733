//! HyperBall: the number of distinct accounts within `t` hops of every
//! account, estimated with HyperLogLog counters (Boldi & Vigna 2013).
//!
//! # Direction
//!
//! Edges point **actor → target** ("A retweeted B" is `A → B`), while
//! information flows the other way: B's content reaches A. The *reach* of B
//! is therefore the set of accounts found by following **in-edges** from B
//! (who re-shares B, who re-shares them, ...): [`Direction::Followers`], the
//! default. [`Direction::Following`] follows out-edges instead (whom B
//! re-shares, whom they re-share, ...).
//!
//! # Formula
//!
//! With `N(v)` the in-neighbours of `v` ([`Direction::Followers`]) or its
//! out-neighbours ([`Direction::Following`]), the ball of radius `t` is
//!
//! ```text
//! B(v, 0) = {v}
//! B(v, t) = B(v, t−1) ∪ ⋃_{u ∈ N(v)} B(u, t−1)
//! ```
//!
//! and the kernel reports `|B(v, t)| − 1` for `t = 1..=max_hops`: the number
//! of **other** accounts reachable within `t` hops, the account itself
//! **excluded**. Each ball is held as a HyperLogLog counter (Flajolet et al.
//! 2007) of `m = 2^b` one-byte registers: node `u` is hashed with a fixed-seed
//! 64-bit SplitMix64 finaliser `h(u)`, the top `b` bits choose a register `j`
//! and the register keeps the maximum of `ρ(u)`, one plus the number of
//! leading zeros of the remaining `64 − b` bits. The union of two sets is the
//! register-wise maximum of their counters, so the recursion above is exact
//! on counters. The cardinality estimate is the standard one,
//!
//! ```text
//! E = α_m · m² / Σ_j 2^(−M[j])
//! E ← m · ln(m / V)     if E ≤ 2.5 m and V > 0 registers are zero
//!                       (linear counting, the small-range correction)
//! ```
//!
//! with `α_16 = 0.673`, `α_32 = 0.697`, `α_64 = 0.709` and
//! `α_m = 0.7213 / (1 + 1.079 / m)` for `m ≥ 128`; no large-range correction
//! is needed with a 64-bit hash.
//!
//! # Error
//!
//! The relative standard error of every estimate is about `1.04 / √m`
//! ([`relative_standard_error`]): 13% for `b = 6` (`m = 64`), 9.2% for the
//! default `b = 7` (`m = 128`), 4.6% for `b = 9`, 1.6% for `b = 12`. Small
//! balls (fewer than about `2.5 m` accounts) are estimated by linear
//! counting and are much more accurate than that. Estimates of different
//! accounts share the hash, so their errors are correlated.
//!
//! # Vertex program
//!
//! State: one counter per account. Superstep `t`: every account sends its
//! counter of step `t − 1` along its edges (against the reach direction);
//! the combiner is the register-wise **maximum**, merged into the receiver's
//! own counter. The rayon engine pulls rows of the in-CSR (or out-CSR) into
//! a second buffer; the maximum is exact, so the result is bit-identical for
//! any number of threads. The iteration stops early once no counter changes
//! (every ball has stopped growing); later hops repeat the last estimate.
//!
//! # Exact counting
//!
//! [`reach`] returns the same quantity, `|B(v, t)| − 1`, either estimated by
//! HyperBall or counted exactly by a breadth-first search of depth `t` from
//! every account (a per-thread stamp array marks the accounts already met,
//! so nothing is reset between sources). The exact count costs one step per
//! walk of length at most `t` (duplicates included), `W = Σ_v walks_t(v)`,
//! computed beforehand in `O(t · m)` integer operations; HyperBall costs
//! `t · (n + m)` register-wise maxima of `2^b` bytes. [`ReachMethod::Auto`]
//! counts exactly when `W ≤ EXACT_WALKS_PER_STEP · (2^b / 128) · t · (n + m)`
//! ([`EXACT_WALKS_PER_STEP`]). The constant was measured (BENCHMARKS.md):
//! on the Higgs retweet graph, a forest of small stars, `W` is 1.6 walks per
//! node and edge and exact counting takes a few milliseconds, several times
//! less than HyperBall; on Slashdot and Epinions `W` is 100–120 per node and
//! edge and HyperBall is the faster by far.
//!
//! # Reference
//!
//! P. Boldi and S. Vigna, "In-core computation of geometric centralities
//! with HyperBall: a hundred billion nodes and beyond", *Proc. IEEE ICDM
//! Workshops* 2013, and "Axioms for centrality", *Internet Mathematics*
//! 10(3–4), 2014. P. Flajolet, É. Fusy, O. Gandouet and F. Meunier,
//! "HyperLogLog: the analysis of a near-optimal cardinality estimation
//! algorithm", *AofA* 2007.

use crate::LayerGraph;
use crate::kernels::reduce::NODE_CHUNK;
use portevoix_core::{Error, NodeId, Result};
use rayon::prelude::*;
use std::sync::Mutex;

/// Which edges a reach kernel follows from an account (see the
/// [module](self) docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    /// Follow **in-edges**, against the edge direction, along which
    /// information flows: from B to the accounts that re-share, reply to or
    /// follow B. The reach of an author's content. The default.
    #[default]
    Followers,
    /// Follow **out-edges**, along the edge direction: from A to the
    /// accounts A re-shares or follows.
    Following,
}

/// Default seed of the node hash.
pub const DEFAULT_HASH_SEED: u64 = 0x5EED_0FB0_1D1A_2013;

/// Options of [`hyperball`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HyperBallOptions {
    /// Largest radius `t` reported (default 3); at least 1.
    pub max_hops: usize,
    /// `b`: each counter has `m = 2^b` registers, `b` in `4..=16`
    /// (default 7: `m = 128`, relative standard error 9.2%).
    pub register_bits: u8,
    /// Edges followed (default [`Direction::Followers`]: the reach of an
    /// account's content).
    pub direction: Direction,
    /// Seed of the 64-bit node hash (default [`DEFAULT_HASH_SEED`]).
    pub seed: u64,
}

impl Default for HyperBallOptions {
    fn default() -> Self {
        HyperBallOptions {
            max_hops: 3,
            register_bits: 7,
            direction: Direction::Followers,
            seed: DEFAULT_HASH_SEED,
        }
    }
}

/// Relative standard error `1.04 / √(2^register_bits)` of a HyperLogLog
/// estimate with `2^register_bits` registers.
pub fn relative_standard_error(register_bits: u8) -> f64 {
    1.04 / ((1u64 << register_bits) as f64).sqrt()
}

/// Output of [`hyperball`].
#[derive(Debug, Clone, PartialEq)]
pub struct HyperBallResult {
    /// Estimated `|B(v, t)| − 1`, row-major `n × max_hops`: the estimate for
    /// node `v` at radius `t` (1-based) is `estimates[v * max_hops + t − 1]`.
    pub estimates: Vec<f64>,
    /// Number of radii reported.
    pub max_hops: usize,
    /// `b` of the counters.
    pub register_bits: u8,
    /// Supersteps actually run (at most `max_hops`; fewer when every ball
    /// stopped growing).
    pub iterations: usize,
    /// The final counters (radius `max_hops`), `2^b` registers per node,
    /// node after node; unions of them estimate the reach of account sets
    /// ([`HyperBallResult::union_estimate`]).
    pub counters: Vec<u8>,
    /// Peak bytes of counter state during the run (two buffers of
    /// `n · 2^b` bytes).
    pub counter_bytes: usize,
}

impl HyperBallResult {
    /// Estimated number of other accounts within `hops` hops of `node`.
    ///
    /// # Panics
    /// If `node` is out of range or `hops` is not in `1..=max_hops`.
    pub fn reach(&self, node: NodeId, hops: usize) -> f64 {
        assert!((1..=self.max_hops).contains(&hops), "hops out of range");
        self.estimates[node.index() * self.max_hops + hops - 1]
    }

    /// Estimates of every node at radius `hops` (1-based).
    ///
    /// # Panics
    /// If `hops` is not in `1..=max_hops`.
    pub fn hop(&self, hops: usize) -> Vec<f64> {
        assert!((1..=self.max_hops).contains(&hops), "hops out of range");
        self.estimates
            .chunks_exact(self.max_hops)
            .map(|r| r[hops - 1])
            .collect()
    }

    /// Final counter of `node` (`2^b` registers).
    ///
    /// # Panics
    /// If `node` is out of range.
    pub fn counter(&self, node: NodeId) -> &[u8] {
        let m = 1usize << self.register_bits;
        &self.counters[node.index() * m..(node.index() + 1) * m]
    }

    /// Estimated size of the union of the final balls of `nodes` (the
    /// accounts themselves **included**): the joint reach of a seed set
    /// within `max_hops` hops.
    ///
    /// # Panics
    /// If a node is out of range.
    pub fn union_estimate(&self, nodes: &[NodeId]) -> f64 {
        let mut acc = vec![0u8; 1usize << self.register_bits];
        for &v in nodes {
            for (a, &r) in acc.iter_mut().zip(self.counter(v)) {
                *a = (*a).max(r);
            }
        }
        estimate(&acc)
    }
}

/// SplitMix64 finaliser of `x + seed`: a fixed, portable 64-bit mix.
#[inline]
fn mix64(x: u64, seed: u64) -> u64 {
    let mut z = x.wrapping_add(seed).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Register index and rank of node `v` in a counter of `2^bits` registers.
#[inline]
fn register_of(v: u64, bits: u32, seed: u64) -> (usize, u8) {
    let h = mix64(v, seed);
    let j = (h >> (64 - bits)) as usize;
    // Remaining 64 − b bits, shifted to the top; a sentinel bit bounds ρ.
    let rest = (h << bits) | (1u64 << (bits - 1));
    (j, rest.leading_zeros() as u8 + 1)
}

/// `α_m` of the HyperLogLog estimator.
/// The register and rank of account `v` in a counter of `2^bits` registers
/// (the hash of this module). Public so that another engine running the same
/// vertex program (the distributed one, `portevoix-dist`) fills its counters
/// exactly as this one does.
pub fn hll_register(v: u64, bits: u32, seed: u64) -> (usize, u8) {
    register_of(v, bits, seed)
}

/// The cardinality estimate of a counter (this module's estimator, with the
/// small-range correction). Public for the same reason as [`hll_register`].
pub fn hll_estimate(registers: &[u8]) -> f64 {
    estimate(registers)
}

fn alpha(m: usize) -> f64 {
    match m {
        16 => 0.673,
        32 => 0.697,
        64 => 0.709,
        _ => 0.7213 / (1.0 + 1.079 / m as f64),
    }
}

/// HyperLogLog estimate of one counter, with linear counting for small
/// cardinalities. Registers are summed in order (deterministic).
fn estimate(regs: &[u8]) -> f64 {
    let m = regs.len() as f64;
    let mut sum = 0.0f64;
    let mut zeros = 0usize;
    for &r in regs {
        sum += f64::from_bits((1023u64 - r as u64) << 52); // 2^(−r), r ≤ 64
        zeros += (r == 0) as usize;
    }
    let raw = alpha(regs.len()) * m * m / sum;
    if raw <= 2.5 * m && zeros > 0 {
        m * (m / zeros as f64).ln()
    } else {
        raw
    }
}

/// Estimates, for every account, how many distinct accounts lie within
/// `t = 1..=max_hops` hops (see the [module](self) docs for the formula, the
/// error, the vertex program and the references).
///
/// # Arguments
///
/// * `graph`: any layer or merged view; weights are ignored.
/// * `options`: radius, register count, [`Direction`] and hash seed.
///
/// # Returns
///
/// A [`HyperBallResult`] with the `n × max_hops` estimates of `|B(v, t)| − 1`
/// (the account itself excluded), the final counters and their memory. An
/// error when `max_hops` is 0, `register_bits` is outside `4..=16`, or the
/// counters would not fit in memory addressing.
///
/// # Complexity
///
/// `O(t · (n + m_e) · 2^b)` time for `t` hops over `n` nodes and `m_e`
/// edges (a register-wise maximum per edge per hop), `O(n · 2^b)` bytes of
/// counters (two buffers) plus `O(n · t)` `f64` estimates.
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::hyperball::{Direction, HyperBallOptions, hyperball};
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_core::NodeId;
///
/// // 1 and 2 retweet 0; 3 retweets 1 (edges actor → target).
/// let g = LayerGraph::from_edges(4, &[(1, 0), (2, 0), (3, 1)], &BuildOptions::default())?;
/// let r = hyperball(&g, &HyperBallOptions { max_hops: 2, ..Default::default() })?;
/// // 0's content reaches 1 and 2 in one hop, and 3 in two.
/// assert!((r.reach(NodeId(0), 1) - 2.0).abs() < 0.1);
/// assert!((r.reach(NodeId(0), 2) - 3.0).abs() < 0.1);
/// assert!(r.reach(NodeId(3), 2) < 0.1);
/// let out = hyperball(&g, &HyperBallOptions { direction: Direction::Following, ..Default::default() })?;
/// assert!((out.reach(NodeId(3), 2) - 2.0).abs() < 0.1);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn hyperball(graph: &LayerGraph, options: &HyperBallOptions) -> Result<HyperBallResult> {
    if options.max_hops == 0 {
        return Err(Error::argument(
            "max_hops",
            "HyperBall max_hops must be at least 1",
        ));
    }
    if !(4..=16).contains(&options.register_bits) {
        return Err(Error::argument(
            "register_bits",
            format!(
                "HyperBall register_bits must be in 4..=16, got {}",
                options.register_bits
            ),
        ));
    }
    let bits = options.register_bits as u32;
    let m = 1usize << bits;
    let n = graph.num_nodes();
    let total = n
        .checked_mul(m)
        .filter(|t| t.checked_mul(2).is_some())
        .ok_or_else(|| {
            Error::argument(
                "graph",
                format!("HyperBall counters for {n} nodes with 2^{bits} registers overflow"),
            )
        })?;
    let hops = options.max_hops;
    let csr = match options.direction {
        Direction::Followers => graph.in_csr(),
        Direction::Following => graph.out_csr(),
    };
    let offsets = csr.offsets();
    let nbrs = csr.neighbors();

    // B(v, 0) = {v}.
    let mut prev = vec![0u8; total];
    prev.par_chunks_mut(m).enumerate().for_each(|(v, c)| {
        let (j, r) = register_of(v as u64, bits, options.seed);
        c[j] = r;
    });
    let mut cur = vec![0u8; total];
    let mut estimates = vec![0.0f64; n * hops];
    let mut iterations = 0;
    let mut t = 0;
    while t < hops {
        // Superstep t + 1: cur[v] = prev[v] ∨ max over N(v) of prev[u].
        let changed = cur
            .par_chunks_mut(NODE_CHUNK * m)
            .zip(estimates.par_chunks_mut(NODE_CHUNK * hops))
            .enumerate()
            .map(|(c, (chunk, est))| {
                let base = c * NODE_CHUNK;
                let mut changed = false;
                for (i, (regs, e)) in chunk
                    .chunks_exact_mut(m)
                    .zip(est.chunks_exact_mut(hops))
                    .enumerate()
                {
                    let v = base + i;
                    regs.copy_from_slice(&prev[v * m..(v + 1) * m]);
                    for &u in &nbrs[offsets[v] as usize..offsets[v + 1] as usize] {
                        let u = u as usize;
                        for (a, &b) in regs.iter_mut().zip(&prev[u * m..(u + 1) * m]) {
                            *a = (*a).max(b);
                        }
                    }
                    let same = regs == &prev[v * m..(v + 1) * m];
                    changed |= !same;
                    e[t] = if same && t > 0 {
                        e[t - 1] // same counter, same estimate
                    } else {
                        (estimate(regs) - 1.0).max(0.0)
                    };
                }
                changed
            })
            .reduce(|| false, |a, b| a | b);
        iterations += 1;
        t += 1;
        std::mem::swap(&mut prev, &mut cur);
        if !changed {
            break;
        }
    }
    // Balls stopped growing: later radii repeat the last estimate.
    if t < hops {
        estimates.par_chunks_mut(hops).for_each(|row| {
            let last = row[t - 1];
            row[t..].fill(last);
        });
    }
    drop(cur);
    Ok(HyperBallResult {
        estimates,
        max_hops: hops,
        register_bits: options.register_bits,
        iterations,
        counters: prev,
        counter_bytes: 2 * total,
    })
}

/// Walks per HyperBall step (one node or edge per hop with 128 registers)
/// under which [`ReachMethod::Auto`] counts exactly; see the
/// [module docs](self#exact-counting).
pub const EXACT_WALKS_PER_STEP: f64 = 8.0;

/// How [`reach`] obtains `|B(v, t)| − 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReachMethod {
    /// Exact counting when it is cheaper by the measured rule, else
    /// HyperBall (the default).
    #[default]
    Auto,
    /// Breadth-first search of depth `t` from every account: exact counts.
    Exact,
    /// HyperLogLog counters ([`hyperball`]): estimates, relative standard
    /// error `1.04 / √(2^b)`.
    HyperBall,
}

impl ReachMethod {
    /// The name used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ReachMethod::Auto => "auto",
            ReachMethod::Exact => "exact",
            ReachMethod::HyperBall => "hyperball",
        }
    }
}

/// Output of [`reach`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReachResult {
    /// `|B(v, t)| − 1` (exact counts or estimates), row-major
    /// `n × max_hops`, as [`HyperBallResult::estimates`].
    pub counts: Vec<f64>,
    /// Number of radii reported.
    pub max_hops: usize,
    /// The method that ran: [`ReachMethod::Exact`] or
    /// [`ReachMethod::HyperBall`].
    pub method: ReachMethod,
    /// HyperBall supersteps run, or the search depth of exact counting.
    pub iterations: usize,
}

impl ReachResult {
    /// Counts (or estimates) of every node at radius `hops` (1-based).
    ///
    /// # Panics
    /// If `hops` is not in `1..=max_hops`.
    pub fn hop(&self, hops: usize) -> Vec<f64> {
        assert!((1..=self.max_hops).contains(&hops), "hops out of range");
        self.counts
            .chunks_exact(self.max_hops)
            .map(|r| r[hops - 1])
            .collect()
    }
}

/// Every account's reach within `t = 1..=max_hops` hops, `|B(v, t)| − 1`,
/// counted exactly or estimated by HyperBall (see the
/// [module docs](self#exact-counting) for the rule).
///
/// # Arguments
///
/// * `graph`: any layer or merged view; weights are ignored.
/// * `options`: radius, [`Direction`], and for HyperBall its register count
///   and hash seed (they also set the Auto rule's HyperBall cost).
/// * `method`: [`ReachMethod::Auto`], [`ReachMethod::Exact`] or
///   [`ReachMethod::HyperBall`].
///
/// # Returns
///
/// A [`ReachResult`] saying which method ran.
///
/// # Errors
///
/// As [`hyperball`] for invalid options (also when counting exactly).
///
/// # Complexity
///
/// Exact: `O(W)` time for `W` walks of length at most `t` (see the module
/// docs), `O(n)` memory per thread. HyperBall: as [`hyperball`]. The rule
/// itself costs `O(t · m)`.
///
/// # Example
///
/// ```
/// use portevoix_graph::kernels::hyperball::{HyperBallOptions, ReachMethod, reach};
/// use portevoix_graph::{BuildOptions, LayerGraph};
///
/// // 1 and 2 retweet 0; 3 retweets 1; 0 retweets 3 (a cycle 0 ← 1 ← 3 ← 0).
/// let g = LayerGraph::from_edges(4, &[(1, 0), (2, 0), (3, 1), (0, 3)], &BuildOptions::default())?;
/// let opts = HyperBallOptions { max_hops: 2, ..Default::default() };
/// let r = reach(&g, &opts, ReachMethod::Auto)?;
/// assert_eq!(r.method, ReachMethod::Exact); // a tiny forest: counting is cheaper
/// assert_eq!(r.hop(1), vec![2.0, 1.0, 0.0, 1.0]);
/// assert_eq!(r.hop(2), vec![3.0, 2.0, 0.0, 3.0]); // 3 reaches 0, then 1 and 2
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn reach(
    graph: &LayerGraph,
    options: &HyperBallOptions,
    method: ReachMethod,
) -> Result<ReachResult> {
    let method = match method {
        ReachMethod::Auto => {
            let steps = options.max_hops as f64 * (graph.num_nodes() + graph.num_edges()) as f64;
            let scale = (1u64 << options.register_bits.clamp(4, 16)) as f64 / 128.0;
            let budget = EXACT_WALKS_PER_STEP * scale * steps;
            if walks_within(graph, options, budget) {
                ReachMethod::Exact
            } else {
                ReachMethod::HyperBall
            }
        }
        m => m,
    };
    if method == ReachMethod::HyperBall {
        let r = hyperball(graph, options)?;
        return Ok(ReachResult {
            counts: r.estimates,
            max_hops: r.max_hops,
            method,
            iterations: r.iterations,
        });
    }
    // Same validation as HyperBall, so the two methods accept the same options.
    if options.max_hops == 0 || !(4..=16).contains(&options.register_bits) {
        return hyperball(graph, options).map(|_| unreachable!("invalid options"));
    }
    Ok(ReachResult {
        counts: exact_balls(graph, options),
        max_hops: options.max_hops,
        method: ReachMethod::Exact,
        iterations: options.max_hops,
    })
}

/// Whether the walks of length at most `t` from every node number at most
/// `budget`: `walks_t(v) = Σ_{u ∈ N(v)} (1 + walks_{t−1}(u))`, one pass over
/// the edges per hop, stopping as soon as the budget is exceeded.
fn walks_within(graph: &LayerGraph, options: &HyperBallOptions, budget: f64) -> bool {
    let csr = match options.direction {
        Direction::Followers => graph.in_csr(),
        Direction::Following => graph.out_csr(),
    };
    let (offsets, nbrs) = (csr.offsets(), csr.neighbors());
    let n = graph.num_nodes();
    let mut prev = vec![0.0f64; n];
    let mut cur = vec![0.0f64; n];
    for _ in 0..options.max_hops {
        cur.par_chunks_mut(NODE_CHUNK)
            .enumerate()
            .for_each(|(c, chunk)| {
                for (i, w) in chunk.iter_mut().enumerate() {
                    let v = c * NODE_CHUNK + i;
                    let row = &nbrs[offsets[v] as usize..offsets[v + 1] as usize];
                    *w = row.iter().map(|&u| 1.0 + prev[u as usize]).sum();
                }
            });
        std::mem::swap(&mut prev, &mut cur);
    }
    // Integers below 2^53 per node: any summation order gives the same
    // total unless it is astronomically large, where the answer is the same.
    prev.par_iter().sum::<f64>() <= budget
}

/// Exact `|B(v, t)| − 1` for `t = 1..=max_hops`, row-major `n × max_hops`:
/// a depth-limited breadth-first search from every node, in parallel over
/// fixed chunks of sources, each pool thread with its own stamp array.
fn exact_balls(graph: &LayerGraph, options: &HyperBallOptions) -> Vec<f64> {
    let csr = match options.direction {
        Direction::Followers => graph.in_csr(),
        Direction::Following => graph.out_csr(),
    };
    let (offsets, nbrs) = (csr.offsets(), csr.neighbors());
    let row = |v: usize| &nbrs[offsets[v] as usize..offsets[v + 1] as usize];
    let n = graph.num_nodes();
    let hops = options.max_hops;
    let mut counts = vec![0.0f64; n * hops];
    // One stamp array per pool thread, allocated once (rayon may split the
    // work into many more jobs than threads). `stamp[w] == v` once the
    // search from `v` has met `w`, so nothing is reset between sources.
    let scratch: Vec<Mutex<Scratch>> = (0..rayon::current_num_threads().max(1))
        .map(|_| {
            Mutex::new(Scratch {
                stamp: vec![u32::MAX; n],
                frontier: Vec::new(),
                next: Vec::new(),
            })
        })
        .collect();
    counts
        .par_chunks_mut(NODE_CHUNK * hops)
        .enumerate()
        .for_each(|(c, out)| {
            let slot = rayon::current_thread_index().unwrap_or(0) % scratch.len();
            // Uncontended: each pool thread takes its own slot.
            let mut guard = scratch[slot].lock().unwrap_or_else(|e| e.into_inner());
            let sc = &mut *guard;
            for (i, e) in out.chunks_exact_mut(hops).enumerate() {
                let v = c * NODE_CHUNK + i;
                if hops == 2 {
                    let (one, two) = ball2(v, row, &mut sc.stamp);
                    e[0] = one as f64;
                    e[1] = two as f64;
                } else {
                    ball(v, row, sc, e);
                }
            }
        });
    counts
}

/// Per-thread buffers of the exact search.
struct Scratch {
    stamp: Vec<u32>,
    frontier: Vec<u32>,
    next: Vec<u32>,
}

/// `(|B(v, 1)| − 1, |B(v, 2)| − 1)` without frontier lists.
#[inline]
fn ball2<'a>(v: usize, row: impl Fn(usize) -> &'a [u32], stamp: &mut [u32]) -> (u64, u64) {
    let mark = v as u32;
    stamp[v] = mark;
    let mut found = 0u64;
    for &u in row(v) {
        if stamp[u as usize] != mark {
            stamp[u as usize] = mark;
            found += 1;
        }
    }
    let one = found;
    for &u in row(v) {
        for &w in row(u as usize) {
            if stamp[w as usize] != mark {
                stamp[w as usize] = mark;
                found += 1;
            }
        }
    }
    (one, found)
}

/// `|B(v, t)| − 1` for every `t`, into `out`, by frontiers.
fn ball<'a>(v: usize, row: impl Fn(usize) -> &'a [u32], sc: &mut Scratch, out: &mut [f64]) {
    let mark = v as u32;
    sc.stamp[v] = mark;
    sc.frontier.clear();
    sc.frontier.push(mark);
    let mut found = 0u64;
    for slot in out.iter_mut() {
        sc.next.clear();
        for &u in &sc.frontier {
            for &w in row(u as usize) {
                if sc.stamp[w as usize] != mark {
                    sc.stamp[w as usize] = mark;
                    sc.next.push(w);
                }
            }
        }
        found += sc.next.len() as u64;
        *slot = found as f64;
        std::mem::swap(&mut sc.frontier, &mut sc.next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimator_counts_small_and_large_sets() {
        for &bits in &[4u32, 7, 10] {
            let m = 1usize << bits;
            for &card in &[1usize, 10, 100, 5000] {
                let mut regs = vec![0u8; m];
                for v in 0..card {
                    let (j, r) = register_of(v as u64 * 7919, bits, DEFAULT_HASH_SEED);
                    regs[j] = regs[j].max(r);
                }
                let e = estimate(&regs);
                let tol = 4.0 * relative_standard_error(bits as u8) * card as f64 + 1.0;
                assert!((e - card as f64).abs() <= tol, "b={bits} n={card} est={e}");
            }
        }
    }

    #[test]
    fn rank_is_bounded() {
        for v in 0..10_000u64 {
            let (j, r) = register_of(v, 4, 1);
            assert!(j < 16 && (1..=61).contains(&r));
        }
    }
}
