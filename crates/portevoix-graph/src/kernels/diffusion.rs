//! Diffusion simulation: independent cascade and SIR Monte Carlo, parallel
//! and seeded, returning spread distributions; per-node SIR outbreak sizes
//! (the usual ground truth of spreading power) and the heterogeneous
//! mean-field epidemic threshold.
//!
//! # Spreading direction
//!
//! Edges point from actor to target: "A retweeted B" is `A → B`. Content
//! travels the other way, from B to A: A saw B's post and passed it on. The
//! default [`SpreadDirection::InformationFlow`] therefore spreads from an active
//! node `v` to the **sources of its in-edges** (its retweeters, followers,
//! repliers...). [`SpreadDirection::Forward`] spreads along out-edges (`u → v`
//! lets `u` infect `v`: citation or trust propagation), and
//! [`SpreadDirection::Undirected`] along both, a reciprocal pair counting as one
//! contact whose weight is the sum of the two.
//!
//! # Models
//!
//! Both models are discrete-time and share one engine. At step 0 the seeds
//! are infected (duplicates count once). At each step every infected node
//! `v` tries, once per step, each still-susceptible contact `u` (in the
//! chosen direction); `u` becomes infected at the next step if the try
//! succeeds. A node never becomes susceptible again. The outcome of a run is
//! the number of nodes ever infected, seeds included.
//!
//! * **Independent cascade** (Kempe, Kleinberg, Tardos 2003): a node tries
//!   its contacts only in the step after its activation, with probability
//!   `p(v, u)` given by [`Activation`]: a constant `p`; the weighted cascade
//!   `1 / d(u)` where `d(u)` is the number of distinct contacts that can
//!   infect `u` (its in-degree in the spreading direction: its out-degree in
//!   the stored graph under [`SpreadDirection::InformationFlow`]); or from the
//!   edge weight, `p = 1 - (1 - p0)^w` for an edge that merged `w`
//!   interactions (each interaction an independent chance `p0`; `p = 0` when
//!   `w <= 0`).
//! * **SIR**: an infected node infects each susceptible contact with
//!   probability `β` per step, then recovers with probability `γ` per step
//!   (a node infected at step `t` tries its contacts at `t + 1, t + 2, ...`
//!   until it recovers). Edge weights are not used. With `γ = 1` each node
//!   is infectious for exactly one step: SIR is then the independent cascade
//!   with constant `p = β`, i.e. bond percolation with transmissibility
//!   `T = β`. For `γ < 1` an edge transmits with probability
//!   `T = β / (1 - (1 - β)(1 - γ))` over the infectious period.
//!
//! # Reproducibility and parallelism
//!
//! Run `r` (counted from 0) draws from its own generator
//! [`Xoshiro256StarStar::from_stream`]`(seed, r)`, and its trials are made
//! in a fixed order (infected nodes in infection order, contacts sorted by
//! id). Runs are spread over rayon threads and collected **in run order**,
//! so [`SpreadDistribution::sizes`] is identical for 1 and N threads and
//! independent of scheduling. [`sir_outbreak_per_node`] uses the same
//! streams for every start node (common random numbers), so its value for
//! `v` equals `sir(graph, &[v], options).mean` exactly.
//!
//! With a constant probability `p < 0.25` along one direction, a node's
//! trials jump from success to success (the gap between successes is
//! geometric, `⌊ln U / ln(1 - p)⌋`), drawing one number per success instead
//! of one per contact: the same distribution, about `1/p` times fewer draws
//! and memory reads. Sizes still depend only on `(seed, r)`.
//!
//! Each worker keeps a **generation-stamped** visited array: a run bumps a
//! `u32` generation instead of clearing `n` flags, so a run costs time in
//! the edges it explores, not in `n` (the array is cleared once per 2^32
//! runs of a worker, on wrap-around).
//!
//! # References
//!
//! * D. Kempe, J. Kleinberg, É. Tardos. *Maximizing the Spread of Influence
//!   through a Social Network.* KDD 2003.
//! * M. Kitsak, L. K. Gallos, L. Muchnik, H. E. Stanley, H. A. Makse, et
//!   al. *Identification of influential spreaders in complex networks.*
//!   Nature Physics 6, 2010.
//! * R. Pastor-Satorras, A. Vespignani. *Epidemic Spreading in Scale-Free
//!   Networks.* Physical Review Letters 86, 2001.
//! * M. E. J. Newman. *Spread of epidemic disease on networks.* Physical
//!   Review E 66, 2002 (SIR as bond percolation).

use crate::LayerGraph;
use crate::generate::Xoshiro256StarStar;
use portevoix_core::{Error, NodeId, Result};
use rayon::prelude::*;

/// Which way infection travels along the stored edges `actor → target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpreadDirection {
    /// From a target to its actors (`A → B` lets B infect A: A retweeted,
    /// so saw, B's content): along the **in-edges** of an infected node.
    /// The default.
    #[default]
    InformationFlow,
    /// Along the **out-edges** of an infected node (`A → B` lets A infect B).
    Forward,
    /// Along both; a reciprocal pair is one contact, weighted by the sum of
    /// its two weights.
    Undirected,
}

/// The per-edge activation probability of the independent cascade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activation {
    /// The same probability `p` in `[0, 1]` on every edge.
    Constant(f64),
    /// Kempe et al.'s weighted cascade: `1 / d(u)`, with `d(u)` the number
    /// of distinct contacts that can infect the receiver `u` in the chosen
    /// [`SpreadDirection`].
    WeightedCascade,
    /// `1 - (1 - p0)^w` for an edge of weight `w` (e.g. `w` merged
    /// interactions, each an independent chance `p0`); 0 when `w <= 0`.
    FromWeight {
        /// Probability per unit of weight, in `[0, 1]`.
        p0: f64,
    },
}

impl Default for Activation {
    fn default() -> Self {
        Activation::Constant(0.1)
    }
}

/// Options of [`independent_cascade`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CascadeOptions {
    /// Per-edge activation probability (default constant 0.1).
    pub activation: Activation,
    /// Monte Carlo runs, at least 1 (default 1,000).
    pub runs: usize,
    /// Seed of the run streams (default 0).
    pub seed: u64,
    /// Cap on the number of steps of one run (default `usize::MAX`: until
    /// no node is active). A capped run counts the nodes infected so far.
    pub max_steps: usize,
    /// Spreading direction (default [`SpreadDirection::InformationFlow`]).
    pub direction: SpreadDirection,
}

impl Default for CascadeOptions {
    fn default() -> Self {
        CascadeOptions {
            activation: Activation::default(),
            runs: 1000,
            seed: 0,
            max_steps: usize::MAX,
            direction: SpreadDirection::InformationFlow,
        }
    }
}

/// Options of [`sir`] and [`sir_outbreak_per_node`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SirOptions {
    /// Infection probability per contact and step, in `[0, 1]` (default 0.1).
    pub beta: f64,
    /// Recovery probability per step, in `(0, 1]` (default 1: the
    /// bond-percolation variant with `T = β`).
    pub gamma: f64,
    /// Monte Carlo runs (per start node for [`sir_outbreak_per_node`]), at
    /// least 1 (default 1,000).
    pub runs: usize,
    /// Seed of the run streams (default 0).
    pub seed: u64,
    /// Cap on the number of steps of one run (default `usize::MAX`).
    pub max_steps: usize,
    /// Spreading direction (default [`SpreadDirection::InformationFlow`]).
    pub direction: SpreadDirection,
}

impl Default for SirOptions {
    fn default() -> Self {
        SirOptions {
            beta: 0.1,
            gamma: 1.0,
            runs: 1000,
            seed: 0,
            max_steps: usize::MAX,
            direction: SpreadDirection::InformationFlow,
        }
    }
}

/// The outcome of a Monte Carlo diffusion: one size per run and summaries.
#[derive(Debug, Clone, PartialEq)]
pub struct SpreadDistribution {
    /// Nodes ever infected (seeds included) in each run, in run order.
    pub sizes: Vec<u32>,
    /// Mean size.
    pub mean: f64,
    /// Sample standard deviation (divisor `runs - 1`; 0 for one run).
    pub std: f64,
    /// Smallest size.
    pub min: u32,
    /// Largest size.
    pub max: u32,
    /// 10th percentile (linear interpolation between order statistics,
    /// NumPy's default).
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

impl SpreadDistribution {
    /// Summarises `sizes` (non-empty), keeping them in the given order.
    /// The summary of outbreak sizes given run by run (`sizes` must not be
    /// empty): how runs computed apart (on other processes) are put back together.
    pub fn from_sizes(sizes: Vec<u32>) -> SpreadDistribution {
        debug_assert!(!sizes.is_empty());
        let runs = sizes.len();
        let total: u64 = sizes.iter().map(|&s| s as u64).sum();
        let mean = total as f64 / runs as f64;
        let std = if runs > 1 {
            let ss: f64 = sizes
                .iter()
                .map(|&s| (s as f64 - mean) * (s as f64 - mean))
                .sum();
            (ss / (runs - 1) as f64).sqrt()
        } else {
            0.0
        };
        let mut sorted = sizes.clone();
        sorted.sort_unstable();
        let quantile = |q: f64| {
            let h = (runs - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(runs - 1);
            sorted[lo] as f64 + (h - lo as f64) * (sorted[hi] as f64 - sorted[lo] as f64)
        };
        SpreadDistribution {
            mean,
            std,
            min: sorted[0],
            max: sorted[runs - 1],
            p10: quantile(0.1),
            p50: quantile(0.5),
            p90: quantile(0.9),
            sizes,
        }
    }
}

/// How one run decides a trial on an edge.
enum Rule {
    /// The same probability everywhere.
    Constant(f64),
    /// A probability per receiver.
    PerReceiver(Vec<f64>),
    /// `1 - exp(w · ln(1 - p0))`; `ln_q` is `ln(1 - p0)`.
    Weight { ln_q: f64 },
}

impl Rule {
    #[inline]
    fn probability(&self, receiver: u32, weight: f32) -> f64 {
        match self {
            Rule::Constant(p) => *p,
            Rule::PerReceiver(p) => p[receiver as usize],
            Rule::Weight { ln_q } => {
                if weight > 0.0 {
                    -(weight as f64 * ln_q).exp_m1()
                } else {
                    0.0
                }
            }
        }
    }
}

/// Calls `f(contact, weight)` for every contact of `v` in `direction`, in
/// increasing id order.
#[inline]
fn for_each_contact(
    graph: &LayerGraph,
    direction: SpreadDirection,
    v: usize,
    mut f: impl FnMut(u32, f32),
) {
    match direction {
        SpreadDirection::InformationFlow => {
            let (ns, ws) = graph.in_csr().row(v);
            ns.iter().zip(ws).for_each(|(&u, &w)| f(u, w));
        }
        SpreadDirection::Forward => {
            let (ns, ws) = graph.out_csr().row(v);
            ns.iter().zip(ws).for_each(|(&u, &w)| f(u, w));
        }
        SpreadDirection::Undirected => {
            let (a, aw) = graph.in_csr().row(v);
            let (b, bw) = graph.out_csr().row(v);
            let (mut i, mut j) = (0, 0);
            while i < a.len() || j < b.len() {
                if j == b.len() || (i < a.len() && a[i] < b[j]) {
                    f(a[i], aw[i]);
                    i += 1;
                } else if i == a.len() || b[j] < a[i] {
                    f(b[j], bw[j]);
                    j += 1;
                } else {
                    f(a[i], aw[i] + bw[j]);
                    i += 1;
                    j += 1;
                }
            }
        }
    }
}

/// Number of distinct contacts of `v` in `direction`.
fn contact_count(graph: &LayerGraph, direction: SpreadDirection, v: usize) -> usize {
    match direction {
        SpreadDirection::InformationFlow => graph.in_csr().degree(v),
        SpreadDirection::Forward => graph.out_csr().degree(v),
        SpreadDirection::Undirected => {
            let mut k = 0;
            for_each_contact(graph, direction, v, |_, _| k += 1);
            k
        }
    }
}

/// The direction in which `u` receives: the reverse of `direction`.
fn reverse(direction: SpreadDirection) -> SpreadDirection {
    match direction {
        SpreadDirection::InformationFlow => SpreadDirection::Forward,
        SpreadDirection::Forward => SpreadDirection::InformationFlow,
        SpreadDirection::Undirected => SpreadDirection::Undirected,
    }
}

/// One worker's reusable state: generation-stamped visited flags and the two
/// frontiers.
struct Workspace {
    stamp: Vec<u32>,
    generation: u32,
    current: Vec<u32>,
    next: Vec<u32>,
}

impl Workspace {
    fn new(n: usize) -> Workspace {
        Workspace {
            stamp: vec![0; n],
            generation: 0,
            current: Vec::new(),
            next: Vec::new(),
        }
    }

    /// Starts a run: every node becomes unvisited in O(1) (O(n) once per
    /// 2^32 runs, when the generation wraps).
    fn begin(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.fill(0);
            self.generation = 1;
        }
        self.current.clear();
        self.next.clear();
    }
}

/// Constant probabilities below this use geometric skipping.
const SKIP_BELOW: f64 = 0.25;

/// A validated simulation: graph, rule, recovery and caps.
struct Model<'a> {
    graph: &'a LayerGraph,
    direction: SpreadDirection,
    rule: Rule,
    /// `ln(1 - p)` when the rule is a constant `p` in `(0, SKIP_BELOW)` and
    /// the contacts are one CSR row: trials then jump from success to
    /// success.
    skip_ln_q: Option<f64>,
    /// Recovery probability per step (1 for the cascade).
    gamma: f64,
    max_steps: usize,
}

impl<'a> Model<'a> {
    fn new(
        graph: &'a LayerGraph,
        direction: SpreadDirection,
        rule: Rule,
        gamma: f64,
        max_steps: usize,
    ) -> Model<'a> {
        let skip_ln_q = match rule {
            Rule::Constant(p)
                if p > 0.0 && p < SKIP_BELOW && direction != SpreadDirection::Undirected =>
            {
                Some((-p).ln_1p())
            }
            _ => None,
        };
        Model {
            graph,
            direction,
            rule,
            skip_ln_q,
            gamma,
            max_steps,
        }
    }

    /// One run from `seeds`; returns the number of nodes ever infected.
    fn run(&self, seeds: &[NodeId], rng: &mut Xoshiro256StarStar, ws: &mut Workspace) -> u32 {
        ws.begin();
        let generation = ws.generation;
        let mut infected = 0u32;
        for s in seeds {
            let v = s.0;
            if ws.stamp[v as usize] != generation {
                ws.stamp[v as usize] = generation;
                ws.current.push(v);
                infected += 1;
            }
        }
        let mut steps = 0;
        while !ws.current.is_empty() && steps < self.max_steps {
            let Workspace {
                stamp,
                current,
                next,
                ..
            } = ws;
            for &v in current.iter() {
                if let Some(ln_q) = self.skip_ln_q {
                    // Geometric skipping: the gap to the next successful
                    // trial is Geometric(p), floor(ln U / ln(1 - p)).
                    let csr = match self.direction {
                        SpreadDirection::Forward => self.graph.out_csr(),
                        _ => self.graph.in_csr(),
                    };
                    let (contacts, _) = csr.row(v as usize);
                    let mut i = 0usize;
                    loop {
                        let gap = ((1.0 - rng.next_f64()).ln() / ln_q).floor();
                        if gap >= (contacts.len() - i) as f64 {
                            break;
                        }
                        i += gap as usize;
                        let u = contacts[i];
                        if stamp[u as usize] != generation {
                            stamp[u as usize] = generation;
                            next.push(u);
                            infected += 1;
                        }
                        i += 1;
                    }
                    continue;
                }
                for_each_contact(self.graph, self.direction, v as usize, |u, w| {
                    if stamp[u as usize] != generation {
                        let p = self.rule.probability(u, w);
                        if p > 0.0 && rng.next_f64() < p {
                            stamp[u as usize] = generation;
                            next.push(u);
                            infected += 1;
                        }
                    }
                });
            }
            if self.gamma < 1.0 {
                for &v in current.iter() {
                    if rng.next_f64() >= self.gamma {
                        next.push(v);
                    }
                }
            }
            std::mem::swap(current, next);
            next.clear();
            steps += 1;
        }
        infected
    }

    /// `runs` runs from `seeds`, run `r` on stream `(seed, r)`, in parallel,
    /// returned in run order.
    fn sizes(&self, seeds: &[NodeId], runs: std::ops::Range<usize>, seed: u64) -> Vec<u32> {
        let n = self.graph.num_nodes();
        runs.into_par_iter()
            .map_init(
                || Workspace::new(n),
                |ws, r| {
                    let mut rng = Xoshiro256StarStar::from_stream(seed, r as u64);
                    self.run(seeds, &mut rng, ws)
                },
            )
            .collect()
    }
}

fn check_probability(name: &str, p: f64) -> Result<()> {
    if (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(Error::argument(
            name,
            format!("{name} must be in [0, 1], got {p}"),
        ))
    }
}

fn check_runs(runs: usize) -> Result<()> {
    if runs == 0 {
        return Err(Error::argument("runs", "diffusion needs at least one run"));
    }
    Ok(())
}

fn check_nodes(graph: &LayerGraph, nodes: &[NodeId], what: &str) -> Result<()> {
    let n = graph.num_nodes();
    if let Some(bad) = nodes.iter().find(|v| v.index() >= n) {
        return Err(Error::argument(
            what,
            format!("{what} {bad} is not a node of a graph with {n} nodes"),
        ));
    }
    Ok(())
}

impl SirOptions {
    fn model<'a>(&self, graph: &'a LayerGraph) -> Result<Model<'a>> {
        check_probability("SIR beta", self.beta)?;
        if !(self.gamma > 0.0 && self.gamma <= 1.0) {
            return Err(Error::argument(
                "gamma",
                format!("SIR gamma must be in (0, 1], got {}", self.gamma),
            ));
        }
        check_runs(self.runs)?;
        Ok(Model::new(
            graph,
            self.direction,
            Rule::Constant(self.beta),
            self.gamma,
            self.max_steps,
        ))
    }
}

/// Validates the options and builds the model of an independent cascade.
fn cascade_model<'a>(
    graph: &'a LayerGraph,
    seeds: &[NodeId],
    options: &CascadeOptions,
) -> Result<Model<'a>> {
    if seeds.is_empty() {
        return Err(Error::argument(
            "seeds",
            "independent cascade needs a non-empty seed set",
        ));
    }
    check_nodes(graph, seeds, "seed")?;
    check_runs(options.runs)?;
    let rule = match options.activation {
        Activation::Constant(p) => {
            check_probability("activation probability", p)?;
            Rule::Constant(p)
        }
        Activation::WeightedCascade => {
            let incoming = reverse(options.direction);
            let p = (0..graph.num_nodes())
                .into_par_iter()
                .map(|u| match contact_count(graph, incoming, u) {
                    0 => 0.0,
                    d => 1.0 / d as f64,
                })
                .collect();
            Rule::PerReceiver(p)
        }
        Activation::FromWeight { p0 } => {
            check_probability("activation p0", p0)?;
            Rule::Weight {
                ln_q: (-p0).ln_1p(),
            }
        }
    };
    Ok(Model::new(
        graph,
        options.direction,
        rule,
        1.0,
        options.max_steps,
    ))
}

/// Independent cascade Monte Carlo from a seed set.
///
/// # Arguments
/// * `graph`: any [`LayerGraph`] (a layer or a merged view).
/// * `seeds`: the initially active nodes (non-empty; duplicates count once).
/// * `options`: activation rule, runs, seed, step cap, direction (default
///   [`SpreadDirection::InformationFlow`]: from a target to the actors of its
///   in-edges).
///
/// # Returns
/// The distribution of the number of nodes ever active (seeds included)
/// over `options.runs` runs, sizes in run order. The model, the activation
/// rules and the reproducibility guarantees are in the [module docs](self).
///
/// # Errors
/// [`Error::Argument`] for an empty seed set, a seed outside the
/// graph, zero runs, or a probability outside `[0, 1]`.
///
/// # Complexity
/// `O(runs · (s + m_reached))` time, where `m_reached` is the number of
/// edges leaving the nodes activated in a run (`O(runs · (n + m))` at
/// worst), plus `O(n + m)` once for [`Activation::WeightedCascade`];
/// `O(n)` memory per worker thread (a generation-stamped visited array and
/// two frontiers). Parallel over runs.
///
/// # References
/// Kempe, Kleinberg, Tardos, *Maximizing the Spread of Influence through a
/// Social Network*, KDD 2003.
///
/// # Example
/// ```
/// use portevoix_core::NodeId;
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::{Activation, CascadeOptions, independent_cascade};
///
/// // 1 retweeted 0, 2 retweeted 1: content flows 0 → 1 → 2.
/// let g = LayerGraph::from_edges(3, &[(1, 0), (2, 1)], &BuildOptions::default())?;
/// let all = CascadeOptions { activation: Activation::Constant(1.0), runs: 10, ..Default::default() };
/// let d = independent_cascade(&g, &[NodeId(0)], &all)?;
/// assert_eq!(d.sizes, vec![3; 10]);
/// let none = CascadeOptions { activation: Activation::Constant(0.0), ..all };
/// assert_eq!(independent_cascade(&g, &[NodeId(0)], &none)?.max, 1);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn independent_cascade(
    graph: &LayerGraph,
    seeds: &[NodeId],
    options: &CascadeOptions,
) -> Result<SpreadDistribution> {
    let model = cascade_model(graph, seeds, options)?;
    Ok(SpreadDistribution::from_sizes(model.sizes(
        seeds,
        0..options.runs,
        options.seed,
    )))
}

/// The outbreak sizes of runs `runs` of [`independent_cascade`] (run `r`
/// draws from stream `r` of `options.seed`, so any split of `0..options.runs`
/// gives the same sizes as one call): how another engine spreads the runs
/// over processes (`portevoix-dist`). `options.runs` is only validated.
///
/// # Errors
/// As [`independent_cascade`].
pub fn independent_cascade_runs(
    graph: &LayerGraph,
    seeds: &[NodeId],
    options: &CascadeOptions,
    runs: std::ops::Range<usize>,
) -> Result<Vec<u32>> {
    let model = cascade_model(graph, seeds, options)?;
    Ok(model.sizes(seeds, runs, options.seed))
}

/// SIR Monte Carlo from a seed set.
///
/// # Arguments
/// * `graph`: any [`LayerGraph`]; weights are not used.
/// * `seeds`: the initially infected nodes (non-empty; duplicates count once).
/// * `options`: `β`, `γ`, runs, seed, step cap, direction (default
///   [`SpreadDirection::InformationFlow`]).
///
/// # Returns
/// The distribution of the outbreak size (nodes ever infected, seeds
/// included) over `options.runs` runs, sizes in run order. With `γ = 1` it
/// is the same process as [`independent_cascade`] with
/// [`Activation::Constant`]`(β)` (bond percolation, `T = β`); see the
/// [module docs](self).
///
/// # Errors
/// [`Error::Argument`] for an empty seed set, a seed outside the
/// graph, zero runs, `β` outside `[0, 1]` or `γ` outside `(0, 1]`.
///
/// # Complexity
/// `O(runs · Σ_{v infected} (d(v) + 1) / γ)` expected time (each infected
/// node tries its `d(v)` contacts for `1/γ` steps on average),
/// `O(n)` memory per worker thread. Parallel over runs.
///
/// # References
/// Newman, *Spread of epidemic disease on networks*, Phys. Rev. E 66, 2002;
/// Kitsak et al., *Identification of influential spreaders in complex
/// networks*, Nature Physics 6, 2010.
///
/// # Example
/// ```
/// use portevoix_core::NodeId;
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::{SirOptions, sir};
///
/// // A star: leaves 1..=4 retweeted the hub 0.
/// let g = LayerGraph::from_edges(5, &[(1, 0), (2, 0), (3, 0), (4, 0)], &BuildOptions::default())?;
/// let opts = SirOptions { beta: 0.5, gamma: 1.0, runs: 2000, seed: 7, ..Default::default() };
/// let d = sir(&g, &[NodeId(0)], &opts)?;
/// // Expected size 1 + 0.5 · 4 = 3.
/// assert!((d.mean - 3.0).abs() < 0.15);
/// assert!(d.min >= 1 && d.max <= 5 && d.p10 <= d.p50 && d.p50 <= d.p90);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn sir(
    graph: &LayerGraph,
    seeds: &[NodeId],
    options: &SirOptions,
) -> Result<SpreadDistribution> {
    if seeds.is_empty() {
        return Err(Error::argument("seeds", "SIR needs a non-empty seed set"));
    }
    check_nodes(graph, seeds, "seed")?;
    let model = options.model(graph)?;
    Ok(SpreadDistribution::from_sizes(model.sizes(
        seeds,
        0..options.runs,
        options.seed,
    )))
}

/// The outbreak sizes of runs `runs` of [`sir`] (see
/// [`independent_cascade_runs`]).
///
/// # Errors
/// As [`sir`].
pub fn sir_runs(
    graph: &LayerGraph,
    seeds: &[NodeId],
    options: &SirOptions,
    runs: std::ops::Range<usize>,
) -> Result<Vec<u32>> {
    if seeds.is_empty() {
        return Err(Error::argument(
            "diffusion",
            "SIR needs a non-empty seed set",
        ));
    }
    check_nodes(graph, seeds, "seed")?;
    let model = options.model(graph)?;
    Ok(model.sizes(seeds, runs, options.seed))
}

/// Mean SIR outbreak size started from each single node: the ground truth
/// of spreading power of Kitsak et al. (2010).
///
/// # Arguments
/// * `graph`: any [`LayerGraph`].
/// * `options`: as for [`sir`]; `runs` runs per start node.
/// * `nodes`: the start nodes, or `None` for every node.
///
/// # Returns
/// One mean outbreak size (seed included) per start node, in the order of
/// `nodes` (by id for `None`). Run `r` of every start node uses the stream
/// `(seed, r)` (common random numbers, which reduce the variance of
/// comparisons between nodes), so the value for `v` is exactly
/// `sir(graph, &[v], options)?.mean`, for any thread count.
///
/// # Errors
/// As [`sir`], and for a start node outside the graph.
///
/// # Complexity
/// `O(|nodes| · runs · mean outbreak work)` time; `O(n)` memory per worker
/// thread. Parallel over start nodes (each node's runs on one thread).
///
/// # References
/// Kitsak, Gallos, Havlin, Liljeros, Muchnik, Stanley, Makse,
/// *Identification of influential spreaders in complex networks*, Nature
/// Physics 6, 2010.
///
/// # Example
/// ```
/// use portevoix_core::NodeId;
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::{SirOptions, sir, sir_outbreak_per_node};
///
/// let g = LayerGraph::from_edges(5, &[(1, 0), (2, 0), (3, 0), (4, 0)], &BuildOptions::default())?;
/// let opts = SirOptions { beta: 0.5, runs: 500, ..Default::default() };
/// let per_node = sir_outbreak_per_node(&g, &opts, None)?;
/// assert_eq!(per_node.len(), 5);
/// // The hub reaches its retweeters; a leaf's content reaches nobody.
/// assert!(per_node[0] > 2.5 && per_node[1] == 1.0);
/// assert_eq!(per_node[0], sir(&g, &[NodeId(0)], &opts)?.mean);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn sir_outbreak_per_node(
    graph: &LayerGraph,
    options: &SirOptions,
    nodes: Option<&[NodeId]>,
) -> Result<Vec<f64>> {
    let model = options.model(graph)?;
    let all: Vec<NodeId>;
    let nodes = match nodes {
        Some(nodes) => {
            check_nodes(graph, nodes, "start node")?;
            nodes
        }
        None => {
            all = (0..graph.num_nodes() as u32).map(NodeId).collect();
            &all
        }
    };
    let n = graph.num_nodes();
    let (runs, seed) = (options.runs, options.seed);
    Ok(nodes
        .par_iter()
        .map_init(
            || Workspace::new(n),
            |ws, &v| {
                let total: u64 = (0..runs)
                    .map(|r| {
                        let mut rng = Xoshiro256StarStar::from_stream(seed, r as u64);
                        model.run(&[v], &mut rng, ws) as u64
                    })
                    .sum();
                total as f64 / runs as f64
            },
        )
        .collect())
}

/// Heterogeneous mean-field epidemic threshold `β_c = <k> / (<k²> - <k>)`.
///
/// `k(v)` is the **undirected** degree: the number of distinct neighbours
/// of `v` ignoring direction (a reciprocal pair counts once, weights are
/// ignored), averaged over all `n` nodes, isolated ones included. This is
/// the bond-percolation threshold of the configuration model with that
/// degree sequence (Newman 2002), i.e. the critical transmissibility
/// `T_c` of SIR (`T = β` when `γ = 1`), the choice of Pastor-Satorras &
/// Vespignani (2001) and of Kitsak et al. (2010). For a directed graph it
/// treats every edge as a two-way contact, which is what
/// [`SpreadDirection::Undirected`] simulates; one direction alone percolates
/// later (the directed analogue would be `<k_in> / <k_in · k_out>`), so
/// the value is a lower estimate for [`SpreadDirection::InformationFlow`].
///
/// # Returns
/// `β_c`, or `f64::INFINITY` when `<k²> <= <k>` (no edges, or only
/// isolated pairs: no outbreak at any `β`).
///
/// # Complexity
/// `O(n + m)` time, parallel over nodes, `O(1)` extra memory; the sums are
/// exact integers, so the value is identical for any thread count.
///
/// # References
/// Pastor-Satorras, Vespignani, *Epidemic Spreading in Scale-Free
/// Networks*, Phys. Rev. Lett. 86, 2001.
///
/// # Example
/// ```
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::epidemic_threshold;
///
/// // A star with 4 leaves: <k> = 8/5, <k²> = 20/5, β_c = 1.6 / 2.4.
/// let g = LayerGraph::from_edges(5, &[(1, 0), (2, 0), (3, 0), (4, 0)], &BuildOptions::default())?;
/// assert!((epidemic_threshold(&g) - 2.0 / 3.0).abs() < 1e-12);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
pub fn epidemic_threshold(graph: &LayerGraph) -> f64 {
    let n = graph.num_nodes();
    let (k1, k2) = (0..n)
        .into_par_iter()
        .map(|v| {
            let k = contact_count(graph, SpreadDirection::Undirected, v) as u128;
            (k, k * k)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    if k2 <= k1 {
        return f64::INFINITY;
    }
    k1 as f64 / (k2 - k1) as f64
}
