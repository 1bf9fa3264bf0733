//! Monte Carlo over live-edge worlds: the independent spread estimator and
//! CELF with Monte Carlo oracles, the reference IMM is measured against.
//!
//! # Worlds
//!
//! Run `r` of a seed is one **live-edge world** (Kempe et al. 2003): under
//! the independent cascade, forward edge `e = (v, u)` is live with
//! probability `p(v, u)`; under the linear threshold, each node `u` keeps at
//! most one activator, `v` with probability `w(v, u)`. The coin of edge `e`
//! (or the draw of node `u`) in run `r` is a hash of `(seed, r, e)` (or
//! `(seed, r, u)`) by SplitMix64's mixer, so a world is never stored, every
//! evaluation of any seed set in run `r` sees the same world (common random
//! numbers), and results depend only on `(seed, r)`: the same for any
//! thread count. The spread of `S` in a world is the number of audience
//! members reachable from `S` over live edges; its mean over the runs is an
//! unbiased estimate of the expected spread `σ_A(S)`.
//!
//! Because every world is fixed, the Monte Carlo estimate is itself a
//! coverage function of `S` (monotone and submodular), so the lazy greedy of
//! CELF on it is exactly the plain greedy on it, and a node already reached
//! in a run needs no exploration there (its whole live reach is reached).

use super::greedy::{GainOracle, Selection, lazy_greedy};
use super::model::{DiffusionModel, InfluenceGraph};
use super::targets::{Audience, CandidateGate, Constraint, Costs, check_node, check_sizes};
use super::workspace::Workspace;
use crate::generate::SplitMix64;
use portevoix_core::{Error, NodeId, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Mutex;

/// Options of [`estimate_spread`] and [`celf_monte_carlo`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonteCarloOptions {
    /// Number of live-edge worlds (default 10,000), at least 1.
    pub runs: usize,
    /// Seed of the worlds (default 0). Use different seeds to select and to
    /// evaluate, or the evaluation favours the set chosen on its worlds.
    pub seed: u64,
}

impl Default for MonteCarloOptions {
    fn default() -> Self {
        MonteCarloOptions {
            runs: 10_000,
            seed: 0,
        }
    }
}

/// A Monte Carlo estimate of the expected spread over the audience.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpreadEstimate {
    /// Mean number of audience members reached (seeds in the audience included).
    pub mean: f64,
    /// Sample standard deviation over the runs.
    pub std_dev: f64,
    /// Standard error of the mean, `std_dev / √runs`.
    pub std_error: f64,
    /// Smallest and largest spread of a run.
    pub min: u32,
    /// Largest spread of a run.
    pub max: u32,
    /// Number of runs.
    pub runs: usize,
}

/// One world's keys.
#[derive(Clone, Copy)]
struct World {
    key: u64,
}

const EDGE_SALT: u64 = 0x9E37_79B9_7F4A_7C15;
const NODE_SALT: u64 = 0xD1B5_4A32_D192_ED03;
const LT_SALT: u64 = 0x8CB9_2BA7_2F3D_8DD7;

impl World {
    fn new(seed: u64, run: u64) -> World {
        World {
            key: SplitMix64::mix(seed ^ SplitMix64::mix(run ^ 0x5851_F42D_4C95_7F2D)),
        }
    }

    /// A uniform number in `[0, 1)` for edge `e`.
    #[inline]
    fn edge_uniform(self, e: usize) -> f64 {
        unit(SplitMix64::mix(
            self.key ^ (e as u64).wrapping_mul(EDGE_SALT),
        ))
    }

    /// A uniform number in `[0, 1)` for node `u` (linear threshold).
    #[inline]
    fn node_uniform(self, u: u32) -> f64 {
        unit(SplitMix64::mix(
            self.key ^ (u as u64).wrapping_mul(NODE_SALT) ^ LT_SALT,
        ))
    }
}

#[inline]
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// One workspace per rayon thread, so that parallel loops allocate nothing.
struct Workspaces {
    slots: Vec<Mutex<Workspace>>,
    n: usize,
}

impl Workspaces {
    fn new(n: usize) -> Workspaces {
        let threads = rayon::current_num_threads().max(1) + 1;
        Workspaces {
            slots: (0..threads)
                .map(|_| Mutex::new(Workspace::new(n)))
                .collect(),
            n,
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Workspace) -> T) -> T {
        let i = rayon::current_thread_index().map_or(0, |t| t + 1);
        match self.slots.get(i) {
            Some(slot) => f(&mut slot.lock().unwrap_or_else(|e| e.into_inner())),
            None => f(&mut Workspace::new(self.n)),
        }
    }
}

/// Live-edge exploration of one world.
struct Simulator<'a> {
    model: &'a InfluenceGraph,
    audience: &'a Audience,
}

impl Simulator<'_> {
    #[inline]
    fn live(&self, world: World, e: usize, u: u32) -> bool {
        let p = self.model.forward.probs[e] as f64;
        match self.model.model {
            DiffusionModel::IndependentCascade => p > 0.0 && world.edge_uniform(e) < p,
            DiffusionModel::LinearThreshold => {
                let start = self.model.forward_lt_start[e];
                let x = world.node_uniform(u);
                p > 0.0 && x >= start && x < start + p
            }
        }
    }

    /// Audience members reached from `seeds` in `world`, not entering nodes
    /// for which `blocked` says true; calls `mark` on every node reached.
    fn explore(
        &self,
        world: World,
        seeds: &[u32],
        ws: &mut Workspace,
        blocked: impl Fn(u32) -> bool,
        mut mark: impl FnMut(u32),
    ) -> u32 {
        ws.begin();
        let mut reached = 0u32;
        for &s in seeds {
            if !blocked(s) && ws.visit(s) {
                ws.queue.push(s);
            }
        }
        let fwd = &self.model.forward;
        let mut head = 0;
        while head < ws.queue.len() {
            let v = ws.queue[head];
            head += 1;
            reached += self.audience.contains(v) as u32;
            mark(v);
            for e in fwd.range(v as usize) {
                let u = fwd.nodes[e];
                if !ws.visited(u) && !blocked(u) && self.live(world, e, u) {
                    ws.visit(u);
                    ws.queue.push(u);
                }
            }
        }
        reached
    }
}

fn check_options(options: &MonteCarloOptions) -> Result<()> {
    if options.runs == 0 {
        return Err(Error::argument(
            "monte_carlo",
            "Monte Carlo needs at least one run",
        ));
    }
    Ok(())
}

/// Expected spread of a seed set over an audience, by Monte Carlo over
/// live-edge worlds: the independent check of every selection.
///
/// # Arguments
/// * `model`: the diffusion model (independent cascade or linear threshold).
/// * `audience`: who counts as reach.
/// * `seeds`: the seed set (duplicates count once; may be empty).
/// * `options`: runs (use at least 10,000 for a published number) and seed.
///
/// # Returns
/// Mean, standard deviation, standard error, min and max of the number of
/// audience members reached per run. Run `r` is the world of `(seed, r)`
/// (see the [module docs](self)), so the estimate is identical for any
/// thread count.
///
/// # Errors
/// [`Error::InvalidArgument`] for zero runs, a seed outside the graph, or an
/// audience made for another graph.
///
/// # Complexity
/// `O(runs · m_reached)` time, where `m_reached` is the number of forward
/// edges leaving the nodes reached in a run; `O(n)` memory per thread.
/// Parallel over runs.
///
/// # Example
/// ```
/// use portevoix_core::NodeId;
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::influence_max::{
///     Audience, EdgeProbability, InfluenceGraph, InfluenceModelOptions, MonteCarloOptions,
///     estimate_spread,
/// };
///
/// // A star: leaves 1..=4 retweeted the hub 0; each edge live with probability 1/2.
/// let g = LayerGraph::from_edges(5, &[(1, 0), (2, 0), (3, 0), (4, 0)], &BuildOptions::default())?;
/// let opts = InfluenceModelOptions { probability: EdgeProbability::Constant(0.5), ..Default::default() };
/// let model = InfluenceGraph::build(&g, &opts)?;
/// let est = estimate_spread(&model, &Audience::everyone(5), &[NodeId(0)], &MonteCarloOptions::default())?;
/// assert!((est.mean - 3.0).abs() < 4.0 * est.std_error); // 1 + 4 · 1/2
/// # Ok::<(), portevoix_core::Error>(())
/// ```
///
/// # References
/// D. Kempe, J. Kleinberg, É. Tardos, *Maximizing the Spread of Influence
/// through a Social Network*, KDD 2003 (live-edge worlds, Claims 2.3, 2.6).
pub fn estimate_spread(
    model: &InfluenceGraph,
    audience: &Audience,
    seeds: &[NodeId],
    options: &MonteCarloOptions,
) -> Result<SpreadEstimate> {
    Ok(summarise(&spread_per_world(
        model, audience, seeds, options,
    )?))
}

/// The spread of a seed set in each live-edge world: what
/// [`estimate_spread`] averages, world by world, so that several sets can
/// be compared **paired** on the same worlds (the difference of two sets in
/// world `r` has a far smaller variance than either spread).
///
/// # Arguments
/// As [`estimate_spread`].
///
/// # Returns
/// `options.runs` counts, entry `r` the audience members reached from
/// `seeds` in the world of `(options.seed, r)`. Every set sees the same
/// worlds, so the spread is monotone world by world: a superset never
/// reaches fewer. Identical for any thread count.
///
/// # Errors
/// As [`estimate_spread`].
///
/// # Complexity
/// As [`estimate_spread`], plus `4 · runs` bytes for the result.
///
/// # Example
/// ```
/// use portevoix_core::NodeId;
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::influence_max::{
///     Audience, EdgeProbability, InfluenceGraph, InfluenceModelOptions, MonteCarloOptions,
///     spread_per_world,
/// };
///
/// let g = LayerGraph::from_edges(5, &[(1, 0), (2, 0), (3, 4)], &BuildOptions::default())?;
/// let opts = InfluenceModelOptions { probability: EdgeProbability::Constant(0.5), ..Default::default() };
/// let model = InfluenceGraph::build(&g, &opts)?;
/// let (all, mc) = (Audience::everyone(5), MonteCarloOptions { runs: 500, seed: 3 });
/// let one = spread_per_world(&model, &all, &[NodeId(0)], &mc)?;
/// let two = spread_per_world(&model, &all, &[NodeId(0), NodeId(4)], &mc)?;
/// assert!(one.iter().zip(&two).all(|(a, b)| a < b)); // 4 adds itself at least
/// # Ok::<(), portevoix_core::Error>(())
/// ```
///
/// # References
/// D. Kempe, J. Kleinberg, É. Tardos, *Maximizing the Spread of Influence
/// through a Social Network*, KDD 2003 (live-edge worlds).
pub fn spread_per_world(
    model: &InfluenceGraph,
    audience: &Audience,
    seeds: &[NodeId],
    options: &MonteCarloOptions,
) -> Result<Vec<u32>> {
    check_options(options)?;
    let n = model.num_nodes();
    if audience.num_nodes() != n {
        return Err(Error::argument(
            "monte_carlo",
            format!(
                "the audience was made for {} nodes, the model has {n}",
                audience.num_nodes()
            ),
        ));
    }
    for s in seeds {
        check_node(n, *s, "seed")?;
    }
    let seeds: Vec<u32> = seeds.iter().map(|s| s.0).collect();
    let sim = Simulator { model, audience };
    Ok((0..options.runs)
        .into_par_iter()
        .map_init(
            || Workspace::new(n),
            |ws, r| {
                let world = World::new(options.seed, r as u64);
                sim.explore(world, &seeds, ws, |_| false, |_| {})
            },
        )
        .collect())
}

fn summarise(sizes: &[u32]) -> SpreadEstimate {
    let runs = sizes.len();
    let total: u64 = sizes.iter().map(|&s| s as u64).sum();
    let mean = total as f64 / runs as f64;
    let std_dev = if runs > 1 {
        let ss: f64 = sizes.iter().map(|&s| (s as f64 - mean).powi(2)).sum();
        (ss / (runs - 1) as f64).sqrt()
    } else {
        0.0
    };
    SpreadEstimate {
        mean,
        std_dev,
        std_error: std_dev / (runs as f64).sqrt(),
        min: sizes.iter().copied().min().unwrap_or(0),
        max: sizes.iter().copied().max().unwrap_or(0),
        runs,
    }
}

/// Refuse covered-flag arrays above this (runs × nodes bits).
const MAX_COVERED_BYTES: usize = 4 << 30;

/// The CELF oracle: per run, the nodes the committed seeds reach.
struct McOracle<'a> {
    sim: Simulator<'a>,
    seed: u64,
    runs: usize,
    words: usize,
    /// `runs × words` bits: node reached in run `r`.
    covered: Vec<u64>,
    workspaces: Workspaces,
}

/// Runs per parallel task (fixed: integer sums, so the order does not matter).
const RUN_CHUNK: usize = 64;

impl McOracle<'_> {
    #[inline]
    fn is_covered(covered: &[u64], v: u32) -> bool {
        covered[v as usize / 64] >> (v % 64) & 1 == 1
    }
}

impl GainOracle for McOracle<'_> {
    fn solo_gains(&self, candidates: &[u32]) -> Vec<f64> {
        candidates
            .par_iter()
            .map(|&v| {
                if self.sim.model.out_degree(NodeId(v)) == 0 {
                    // Reaches only itself in every world.
                    return self.sim.audience.contains(v) as u32 as f64;
                }
                let total: u64 = self.workspaces.with(|ws| {
                    (0..self.runs)
                        .map(|r| {
                            let world = World::new(self.seed, r as u64);
                            self.sim.explore(world, &[v], ws, |_| false, |_| {}) as u64
                        })
                        .sum()
                });
                total as f64 / self.runs as f64
            })
            .collect()
    }

    fn marginal(&mut self, v: u32) -> f64 {
        let total: u64 = self
            .covered
            .par_chunks(self.words * RUN_CHUNK)
            .enumerate()
            .map(|(c, chunk)| {
                self.workspaces.with(|ws| {
                    chunk
                        .chunks(self.words)
                        .enumerate()
                        .map(|(i, cov)| {
                            let world = World::new(self.seed, (c * RUN_CHUNK + i) as u64);
                            self.sim
                                .explore(world, &[v], ws, |u| Self::is_covered(cov, u), |_| {})
                                as u64
                        })
                        .sum::<u64>()
                })
            })
            .sum();
        total as f64 / self.runs as f64
    }

    fn commit(&mut self, v: u32) {
        let (sim, seed, words) = (&self.sim, self.seed, self.words);
        let workspaces = &self.workspaces;
        self.covered
            .par_chunks_mut(words)
            .enumerate()
            .for_each(|(r, cov)| {
                let world = World::new(seed, r as u64);
                let mut newly = Vec::new();
                workspaces.with(|ws| {
                    sim.explore(
                        world,
                        &[v],
                        ws,
                        |u| Self::is_covered(cov, u),
                        |u| newly.push(u),
                    )
                });
                for u in newly {
                    cov[u as usize / 64] |= 1 << (u % 64);
                }
            });
    }
}

/// CELF: the lazy greedy with Monte Carlo marginal gains (Leskovec et al.
/// 2007), the reference selection.
///
/// # Arguments
/// * `model`, `audience`, `gate`, `costs`, `constraint`: as for [`imm`](super::imm).
/// * `options`: runs (worlds per evaluation) and seed of the worlds.
///
/// # Returns
/// The greedy [`Selection`] on the Monte Carlo estimate over `options.runs`
/// fixed worlds: reaches, gains and overlaps are that estimate. Identical
/// for any thread count (integer counts per world, fixed worlds).
///
/// # Errors
/// As [`estimate_spread`]; also when the per-run reached flags would need
/// more than 4 GiB (`runs × n / 8` bytes).
///
/// # Complexity
/// `O(runs · Σ_v m_reach(v))` for the first pass over every candidate
/// (a candidate that can activate nobody costs `O(1)`), then
/// `O(runs · m_reach)` per lazy re-evaluation; `runs · n / 8` bytes of
/// reached flags. This is what IMM avoids: keep it for small graphs and
/// for checking.
///
/// # Example
/// ```
/// use portevoix_core::NodeId;
/// use portevoix_graph::{BuildOptions, LayerGraph};
/// use portevoix_graph::kernels::influence_max::{
///     Audience, CandidateGate, Constraint, Costs, EdgeProbability, InfluenceGraph,
///     InfluenceModelOptions, MonteCarloOptions, celf_monte_carlo,
/// };
///
/// // Two stars: hub 0 with 3 retweeters, hub 4 with 2.
/// let g = LayerGraph::from_edges(7, &[(1, 0), (2, 0), (3, 0), (5, 4), (6, 4)], &BuildOptions::default())?;
/// let all = InfluenceModelOptions { probability: EdgeProbability::Constant(1.0), ..Default::default() };
/// let model = InfluenceGraph::build(&g, &all)?;
/// let sel = celf_monte_carlo(&model, &Audience::everyone(7), &CandidateGate::allow_all(7),
///     &Costs::Unit, Constraint::Cardinality(2), &MonteCarloOptions { runs: 100, seed: 1 })?;
/// assert_eq!(sel.nodes(), vec![NodeId(0), NodeId(4)]);
/// assert_eq!(sel.reach, 7.0);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
///
/// # References
/// J. Leskovec, A. Krause, C. Guestrin, C. Faloutsos, J. VanBriesen,
/// N. Glance, *Cost-effective Outbreak Detection in Networks*, KDD 2007.
pub fn celf_monte_carlo(
    model: &InfluenceGraph,
    audience: &Audience,
    gate: &CandidateGate,
    costs: &Costs,
    constraint: Constraint,
    options: &MonteCarloOptions,
) -> Result<Selection> {
    check_options(options)?;
    let n = model.num_nodes();
    check_sizes(n, audience, gate)?;
    costs.validate(n)?;
    constraint.validate()?;
    let words = n.div_ceil(64).max(1);
    let bytes = options.runs.saturating_mul(words).saturating_mul(8);
    if bytes > MAX_COVERED_BYTES {
        return Err(Error::argument(
            "monte_carlo",
            format!(
                "CELF with {} runs on {n} nodes needs {} MiB of reached flags (limit {} MiB): use fewer runs, or IMM",
                options.runs,
                bytes >> 20,
                MAX_COVERED_BYTES >> 20
            ),
        ));
    }
    let mut oracle = McOracle {
        sim: Simulator { model, audience },
        seed: options.seed,
        runs: options.runs,
        words,
        covered: vec![0u64; options.runs * words],
        workspaces: Workspaces::new(n),
    };
    let candidates = gate.allowed_nodes();
    Ok(lazy_greedy(
        &mut oracle,
        &candidates,
        costs,
        constraint,
        1.0,
    ))
}
