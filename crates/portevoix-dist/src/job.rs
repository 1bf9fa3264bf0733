//! A distributed job: load, run one kernel, gather the result on worker 0.

use crate::cluster::{self, Layout, Network};
use crate::comm::{Comm, Packet, Traffic};
use crate::error::{DistError, Result};
use crate::halo::Halo;
use crate::input::{DEFAULT_BLOCK_BYTES, InputFile};
use crate::kernels::{centrality, diffusion, pagerank, structure};
use crate::load::{self, DistGraph, LoadSpec, Loaded};
use crate::partition::{DEFAULT_UNIT, Partition};
use portevoix_core::{Interner, Layer, NodeId};
use portevoix_graph::BuildOptions;
use portevoix_graph::kernels::{
    CascadeOptions, CoreMode, HitsOptions, HyperBallOptions, KatzOptions, LabelPropagationOptions,
    LeaderRankOptions, PageRankOptions, SirOptions, SpreadDistribution,
};
use portevoix_ingest::ReadOptions;
use std::time::{Duration, Instant};

/// A personalisation: weights of accounts named by their external ids
/// (accounts not named weigh 0).
pub type Weights = Vec<(String, f64)>;

/// The kernels the distributed engine runs, with the local engine's options.
#[derive(Debug, Clone, PartialEq)]
pub enum Algorithm {
    /// PageRank.
    PageRank(PageRankOptions),
    /// Personalised PageRank.
    PersonalizedPageRank(PageRankOptions, Weights),
    /// Several personalised PageRanks in one pass per iteration.
    PageRankBatch(PageRankOptions, Vec<Weights>),
    /// HITS authority scores.
    HitsAuthority(HitsOptions),
    /// HITS hub scores.
    HitsHub(HitsOptions),
    /// LeaderRank.
    LeaderRank(LeaderRankOptions),
    /// Katz centrality.
    Katz(KatzOptions),
    /// Weighted in-degree (the sum of the in-row's weights, in source order).
    InDegree,
    /// Core numbers.
    Coreness(CoreMode),
    /// HyperBall: the estimate at `hops` (one of `1..=max_hops`).
    HyperBall(HyperBallOptions, usize),
    /// Weakly connected components (label: the smallest dense id).
    Components,
    /// Synchronous label propagation (label: a dense id).
    LabelPropagation(LabelPropagationOptions),
    /// SIR Monte Carlo from the named seeds.
    Sir(SirOptions, Vec<String>),
    /// Independent-cascade Monte Carlo from the named seeds.
    Cascade(CascadeOptions, Vec<String>),
}

impl Algorithm {
    fn needs_out_rows(&self) -> bool {
        !matches!(
            self,
            Algorithm::PageRank(_)
                | Algorithm::PersonalizedPageRank(..)
                | Algorithm::PageRankBatch(..)
                | Algorithm::LeaderRank(_)
                | Algorithm::Katz(_)
                | Algorithm::InDegree
                | Algorithm::HyperBall(
                    HyperBallOptions {
                        direction: portevoix_graph::kernels::Direction::Followers,
                        ..
                    },
                    _
                )
        )
    }

    fn lookups(&self) -> Vec<String> {
        match self {
            Algorithm::PersonalizedPageRank(_, w) => w.iter().map(|x| x.0.clone()).collect(),
            Algorithm::PageRankBatch(_, ws) => ws
                .iter()
                .flat_map(|w| w.iter().map(|x| x.0.clone()))
                .collect(),
            Algorithm::Sir(_, s) | Algorithm::Cascade(_, s) => s.clone(),
            _ => Vec::new(),
        }
    }
}

/// A distributed job: inputs, how to read and build them, the kernel.
#[derive(Debug, Clone)]
pub struct Job {
    /// The inputs, in order (edge lists, signed edge lists, Higgs logs).
    pub inputs: Vec<InputFile>,
    /// Reader options.
    pub read: ReadOptions,
    /// Build options (duplicates, self-loops).
    pub build: BuildOptions,
    /// The view's layers and factors (`None`: the endorsement layers present).
    pub layers: Option<Vec<(Layer, f32)>>,
    /// The kernel.
    pub algorithm: Algorithm,
    /// Bytes per input part (default [`DEFAULT_BLOCK_BYTES`]).
    pub block_bytes: u64,
    /// Dense ids per unit of ownership (default [`DEFAULT_UNIT`]).
    pub unit: usize,
}

impl Job {
    /// A job with default reading, building and partitioning.
    pub fn new(inputs: Vec<InputFile>, algorithm: Algorithm) -> Job {
        Job {
            inputs,
            read: ReadOptions::default(),
            build: BuildOptions::default(),
            layers: None,
            algorithm,
            block_bytes: DEFAULT_BLOCK_BYTES,
            unit: DEFAULT_UNIT,
        }
    }
}

/// A kernel's values, indexed by dense id (the local engine's ids).
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// One score per account.
    Scores(Vec<f64>),
    /// `k` scores per account, row-major (batched PageRank).
    Columns(Vec<f64>, usize),
    /// One label per account (a dense id).
    Labels(Vec<u32>),
    /// An outbreak-size distribution.
    Spread(SpreadDistribution),
}

/// Time spent in each stage, on worker 0.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    /// Reading, id assignment and the edge exchange.
    pub load: Duration,
    /// The kernel's set-up (its halos: which worker needs which values).
    pub setup: Duration,
    /// The kernel's iterations (after the set-up).
    pub kernel: Duration,
    /// Gathering the result on worker 0.
    pub gather: Duration,
}

/// What a job returns on process 0.
#[derive(Debug, Clone)]
pub struct Output {
    /// Every account's external id; its ids are the dense ids.
    pub names: Interner,
    /// The kernel's values.
    pub values: Values,
    /// The view's layers.
    pub layers: Vec<(Layer, f32)>,
    /// Edges of the view.
    pub edges: u64,
    /// Iterations (or rounds) of the kernel.
    pub iterations: usize,
    /// Last residual (iterative kernels).
    pub residual: f64,
    /// Whether the kernel converged.
    pub converged: bool,
    /// Records read in all inputs, and bad records skipped (lenient mode).
    pub records: u64,
    /// Bad records skipped.
    pub skipped: u64,
    /// Stage times on worker 0.
    pub times: StageTimes,
    /// Payload bytes sent by every worker during the kernel, summed:
    /// across processes, and between workers of one process.
    pub kernel_traffic: Traffic,
    /// Payload bytes sent by every worker during the load, summed.
    pub load_traffic: Traffic,
}

fn job_error(e: String) -> DistError {
    DistError::Job(e)
}

/// The dense ids of the named accounts; an unknown name is an error.
fn resolved(
    loaded: &Loaded,
    names: &[String],
    offset: usize,
) -> std::result::Result<Vec<u32>, String> {
    names
        .iter()
        .enumerate()
        .map(|(i, s)| {
            loaded.lookups[offset + i].ok_or_else(|| format!("account '{s}' is not in the graph"))
        })
        .collect()
}

/// Owned teleport values of `k` personalisations (`k` per account),
/// normalised by their global sums.
fn teleport(
    comm: &mut Comm<'_>,
    loaded: &Loaded,
    sets: &[&Weights],
) -> std::result::Result<Vec<f64>, String> {
    let part = loaded.graph.part.clone();
    let owned = part.owned();
    let k = sets.len();
    let mut t = vec![0.0f64; owned * k];
    let mut offset = 0;
    for (j, set) in sets.iter().enumerate() {
        let names: Vec<String> = set.iter().map(|x| x.0.clone()).collect();
        let ids = resolved(loaded, &names, offset)?;
        offset += set.len();
        for (&v, (name, w)) in ids.iter().zip(set.iter()) {
            if !(w.is_finite() && *w >= 0.0) {
                return Err(format!(
                    "personalization #{j}: weight of '{name}' is {w}: weights must be finite and non-negative"
                ));
            }
            if part.owner(v) == part.me {
                t[part.local(v) * k + j] += w;
            }
        }
    }
    let columns: Vec<Vec<f64>> = (0..k)
        .map(|j| (0..owned).map(|i| t[i * k + j]).collect())
        .collect();
    let refs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    let sums = part.sums(comm, centrality::SUM_CHUNK, &refs);
    for (j, s) in sums.iter().enumerate() {
        if !(*s > 0.0 && s.is_finite()) {
            return Err(format!(
                "personalization #{j} sums to {s}: at least one weight must be positive"
            ));
        }
    }
    for i in 0..owned {
        for j in 0..k {
            t[i * k + j] /= sums[j];
        }
    }
    Ok(t)
}

/// What one worker computed.
struct Computed {
    /// Owned values (`k` per account) or labels.
    f64s: Vec<f64>,
    u32s: Vec<u32>,
    k: usize,
    spread: Option<SpreadDistribution>,
    is_labels: bool,
    setup: Duration,
    iterations: usize,
    residual: f64,
    converged: bool,
}

impl Computed {
    fn scores(f64s: Vec<f64>, k: usize, iterations: usize, residual: f64, converged: bool) -> Self {
        Computed {
            f64s,
            u32s: Vec::new(),
            k,
            spread: None,
            is_labels: false,
            setup: Duration::ZERO,
            iterations,
            residual,
            converged,
        }
    }

    /// The same, its kernel's set-up (the halos) having taken `setup`.
    fn after(self, setup: Duration) -> Self {
        Computed { setup, ..self }
    }

    fn labels(u32s: Vec<u32>, rounds: usize) -> Self {
        Computed {
            f64s: Vec::new(),
            u32s,
            k: 1,
            spread: None,
            is_labels: true,
            setup: Duration::ZERO,
            iterations: rounds,
            residual: 0.0,
            converged: true,
        }
    }
}

/// Runs `f` and measures it.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn compute(
    comm: &mut Comm<'_>,
    loaded: &Loaded,
    algorithm: &Algorithm,
    workers_per_process: usize,
) -> std::result::Result<Computed, String> {
    let graph: &DistGraph = &loaded.graph;
    let part = graph.part.clone();
    let local = |e: portevoix_core::Error| (0u64, e.to_string());
    let out = match algorithm {
        Algorithm::PageRank(o)
        | Algorithm::PersonalizedPageRank(o, _)
        | Algorithm::PageRankBatch(o, _) => {
            let valid = validate_pagerank(o).map_err(|e| (0, e));
            comm.agree(valid)?;
            let sets: Vec<&Weights> = match algorithm {
                Algorithm::PersonalizedPageRank(_, w) => vec![w],
                Algorithm::PageRankBatch(_, ws) => ws.iter().collect(),
                _ => Vec::new(),
            };
            if matches!(algorithm, Algorithm::PageRankBatch(_, ws) if ws.is_empty()) {
                return Ok(Computed::scores(Vec::new(), 0, 0, 0.0, true));
            }
            let t = if sets.is_empty() {
                None
            } else {
                let t = teleport(comm, loaded, &sets).map_err(|e| (0, e));
                Some(comm.agree(t)?)
            };
            let (halo, setup) = timed(|| Halo::new(comm, &part, &graph.in_src));
            let k = sets.len().max(1);
            let r = pagerank::run(comm, graph, &halo, o, t.as_deref().map(|t| (t, k)));
            let iterations = r.iterations.iter().copied().max().unwrap_or(0);
            let residual = r.residual.iter().copied().fold(0.0, f64::max);
            Computed::scores(
                r.scores,
                k,
                iterations,
                residual,
                r.converged.iter().all(|c| *c),
            )
            .after(setup)
        }
        Algorithm::HitsAuthority(o) | Algorithm::HitsHub(o) => {
            let valid = if o.tolerance.is_finite() && o.tolerance >= 0.0 {
                Ok(())
            } else {
                Err((
                    0,
                    format!(
                        "HITS tolerance must be finite and non-negative, got {}",
                        o.tolerance
                    ),
                ))
            };
            comm.agree(valid)?;
            let ((halo_in, halo_out), setup) = timed(|| {
                (
                    Halo::new(comm, &part, &graph.in_src),
                    Halo::new(comm, &part, &graph.out_dst),
                )
            });
            let mut r = centrality::hits(comm, graph, &halo_in, &halo_out, o);
            let scores = if matches!(algorithm, Algorithm::HitsHub(_)) {
                r.columns.swap_remove(0)
            } else {
                r.columns.swap_remove(1)
            };
            Computed::scores(scores, 1, r.iterations, r.residual, r.converged).after(setup)
        }
        Algorithm::LeaderRank(o) => {
            let valid = if o.tolerance.is_finite() && o.tolerance >= 0.0 {
                Ok(())
            } else {
                Err((
                    0,
                    format!(
                        "LeaderRank tolerance must be finite and non-negative, got {}",
                        o.tolerance
                    ),
                ))
            };
            comm.agree(valid)?;
            let (halo, setup) = timed(|| Halo::new(comm, &part, &graph.in_src));
            let r = centrality::leaderrank(comm, graph, &halo, o);
            let mut r = comm.agree(r.map_err(local))?;
            Computed::scores(
                r.columns.swap_remove(0),
                1,
                r.iterations,
                r.residual,
                r.converged,
            )
            .after(setup)
        }
        Algorithm::Katz(o) => {
            let (halo, setup) = timed(|| Halo::new(comm, &part, &graph.in_src));
            let r = centrality::katz(comm, graph, &halo, o);
            let mut r = comm.agree(r.map_err(local))?;
            Computed::scores(
                r.columns.swap_remove(0),
                1,
                r.iterations,
                r.residual,
                r.converged,
            )
            .after(setup)
        }
        Algorithm::InDegree => {
            let scores = (0..graph.owned())
                .map(|i| graph.in_row(i).1.iter().map(|&w| f64::from(w)).sum())
                .collect();
            Computed::scores(scores, 1, 0, 0.0, true)
        }
        Algorithm::Coreness(mode) => {
            let (cores, rounds) = structure::core_numbers(comm, graph, *mode);
            Computed::scores(
                cores.into_iter().map(f64::from).collect(),
                1,
                rounds,
                0.0,
                true,
            )
        }
        Algorithm::HyperBall(o, hops) => {
            if !(1..=o.max_hops).contains(hops) {
                return Err(format!(
                    "HyperBall hops {hops} is outside 1..={}",
                    o.max_hops
                ));
            }
            let r = structure::hyperball(comm, graph, o);
            let (est, iterations) = comm.agree(r.map_err(local))?;
            let column = est.chunks_exact(o.max_hops).map(|r| r[hops - 1]).collect();
            Computed::scores(column, 1, iterations, 0.0, true)
        }
        Algorithm::Components => {
            let (labels, rounds) = structure::components(comm, graph);
            Computed::labels(labels, rounds)
        }
        Algorithm::LabelPropagation(o) => {
            let (labels, rounds) = structure::label_propagation(comm, graph, o);
            Computed::labels(labels, rounds)
        }
        Algorithm::Sir(_, seeds) | Algorithm::Cascade(_, seeds) => {
            let ids = comm.agree(resolved(loaded, seeds, 0).map_err(|e| (0, e)))?;
            let seeds: Vec<NodeId> = ids.into_iter().map(NodeId).collect();
            let model = match algorithm {
                Algorithm::Sir(o, _) => diffusion::Model::Sir(*o),
                Algorithm::Cascade(o, _) => diffusion::Model::Cascade(*o),
                _ => unreachable!("matched above"),
            };
            let spread = diffusion::simulate(comm, graph, workers_per_process, &seeds, &model)?;
            Computed {
                f64s: Vec::new(),
                u32s: Vec::new(),
                k: 0,
                spread,
                is_labels: false,
                setup: Duration::ZERO,
                iterations: 0,
                residual: 0.0,
                converged: true,
            }
        }
    };
    Ok(out)
}

fn validate_pagerank(o: &PageRankOptions) -> std::result::Result<(), String> {
    if !(0.0..=1.0).contains(&o.damping) {
        return Err(format!(
            "PageRank damping must be in [0, 1], got {}",
            o.damping
        ));
    }
    if o.tolerance.is_nan() || o.tolerance < 0.0 {
        return Err(format!(
            "PageRank tolerance must be >= 0, got {}",
            o.tolerance
        ));
    }
    Ok(())
}

/// Gathers the owned values of every worker on worker 0, by dense id.
fn gather(comm: &mut Comm<'_>, part: &Partition, c: &Computed) -> Option<Values> {
    if c.spread.is_some() || (c.k == 0 && !c.is_labels) {
        let spread = c.spread.clone();
        return (comm.index() == 0).then(|| match spread {
            Some(s) => Values::Spread(s),
            None => Values::Columns(Vec::new(), 0),
        });
    }
    let mut out = vec![Packet::default(); comm.peers()];
    out[0] = Packet {
        f64s: c.f64s.clone(),
        u32s: c.u32s.clone(),
        ..Packet::default()
    };
    let got = comm.exchange(out);
    if comm.index() != 0 {
        return None;
    }
    let n = part.n;
    let k = c.k;
    if c.is_labels {
        let mut all = vec![0u32; n];
        for (w, p) in got.iter().enumerate() {
            for (i, &x) in p.u32s.iter().enumerate() {
                all[part.global_of(w, i) as usize] = x;
            }
        }
        return Some(Values::Labels(all));
    }
    let mut all = vec![0.0f64; n * k];
    for (w, p) in got.iter().enumerate() {
        for (i, row) in p.f64s.chunks_exact(k).enumerate() {
            let v = part.global_of(w, i) as usize;
            all[v * k..(v + 1) * k].copy_from_slice(row);
        }
    }
    Some(if k == 1 {
        Values::Scores(all)
    } else {
        Values::Columns(all, k)
    })
}

fn sum_traffic(comm: &mut Comm<'_>, t: Traffic) -> Traffic {
    let all = comm.all_gather(Packet::of_u64s(vec![
        t.remote_bytes,
        t.local_bytes,
        t.rounds,
    ]));
    Traffic {
        remote_bytes: all.iter().map(|p| p.u64s[0]).sum(),
        local_bytes: all.iter().map(|p| p.u64s[1]).sum(),
        rounds: all.iter().map(|p| p.u64s[2]).max().unwrap_or(0),
    }
}

fn diff(a: Traffic, b: Traffic) -> Traffic {
    Traffic {
        remote_bytes: a.remote_bytes - b.remote_bytes,
        local_bytes: a.local_bytes - b.local_bytes,
        rounds: a.rounds - b.rounds,
    }
}

/// Runs `job` on this worker: load, kernel, gather. Worker 0 returns the
/// output, the others `None`. Every worker returns the same error.
pub fn run_worker(
    comm: &mut Comm<'_>,
    job: &Job,
    workers_per_process: usize,
) -> Result<Option<Output>> {
    let start = Instant::now();
    let spec = LoadSpec {
        inputs: job.inputs.clone(),
        read: job.read.clone(),
        build: job.build.clone(),
        layers: job.layers.clone(),
        block_bytes: job.block_bytes,
        unit: job.unit,
        out_rows: job.algorithm.needs_out_rows(),
        lookups: job.algorithm.lookups(),
    };
    let loaded = load::load(comm, &spec)?;
    let load_traffic = comm.traffic();
    let loaded_at = start.elapsed();
    crate::memtrace::note(comm, "loaded");
    let computed =
        compute(comm, &loaded, &job.algorithm, workers_per_process).map_err(job_error)?;
    crate::memtrace::note(comm, "computed");
    let kernel_traffic = diff(comm.traffic(), load_traffic);
    let kernel_at = start.elapsed();
    let Loaded {
        graph,
        names,
        layers,
        records,
        skipped,
        ..
    } = loaded;
    let edges = graph.edges;
    let part = graph.part.clone();
    // The names come to worker 0 only now, with the graph gone: they never
    // add to the load's peak.
    drop(graph);
    let values = gather(comm, &part, &computed);
    crate::memtrace::note(comm, "values gathered");
    let names = names.gather(comm)?;
    crate::memtrace::note(comm, "gathered");
    let gathered_at = start.elapsed();
    let kernel_traffic = sum_traffic(comm, kernel_traffic);
    let load_traffic = sum_traffic(comm, load_traffic);
    Ok(values.map(|values| Output {
        names,
        values,
        layers,
        edges,
        iterations: computed.iterations,
        residual: computed.residual,
        converged: computed.converged,
        records,
        skipped,
        times: StageTimes {
            load: loaded_at,
            setup: computed.setup,
            kernel: kernel_at - loaded_at - computed.setup,
            gather: gathered_at - kernel_at,
        },
        kernel_traffic,
        load_traffic,
    }))
}

/// Runs `job` as this process of `layout` and returns, on process 0, the
/// output (other processes return `None`).
///
/// # Errors
/// Any worker's error (the same on every process), a lost peer, or a
/// start-up failure.
pub fn run(layout: &Layout, network: Network, job: &Job) -> Result<Option<Output>> {
    let job = std::sync::Arc::new(job.clone());
    let workers = layout.workers;
    let results = cluster::execute(layout, network, move |comm| run_worker(comm, &job, workers))?;
    let mut output = None;
    for r in results {
        if let Some(o) = r? {
            output = Some(o);
        }
    }
    Ok(output)
}
