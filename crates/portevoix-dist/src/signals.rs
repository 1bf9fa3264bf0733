//! The graph signals of `discover` in one distributed job: PageRank over the
//! endorsement view, PageRank over its authentic part, the two-hop HyperBall
//! reach and TrustRank over the authentic part, each scaled by the number of
//! accounts (mean 1), as `portevoix_score::signals` computes them.
//!
//! # What stays on process 0
//!
//! Which edges are authentic depends on each account's authenticity, which
//! the score crate's engine computes from everything it reads (posts,
//! profiles, every layer's neighbourhoods). That stage is not distributed:
//! worker 0 runs the caller's [`Prepare`] (build the engine, read the
//! authenticity, the view's layers and the trusted seeds) while the other
//! workers wait, then hands each worker the authenticity of the accounts it
//! owns. The four kernels, the costly part, run on every worker:
//!
//! 1. load the view (the [`Plan`]'s layers) with the dense ids of the local
//!    engine, and check on worker 0 that they are the engine's ids;
//! 2. PageRank on the view;
//! 3. drop the in-row entries of inauthentic sources (their authenticity
//!    travels in a halo exchange), and zero their out-weights: the
//!    authentic view, whose sources keep all their edges or none;
//! 4. PageRank, HyperBall (two hops) and TrustRank on it. TrustRank
//!    teleports to the plan's trusted seeds, or, without them, to the
//!    default seeds: the `seed_count` accounts of authenticity at least
//!    `seed_min` with the most authentic endorsements (ties on id), chosen
//!    from each worker's own top `seed_count`.
//!
//! The PageRanks are the power iteration of the local engine's vertex
//! program; the local engine may take its Krylov solver instead, so the
//! values agree within the tolerance (1e-10 in L1), not to the bit. The
//! HyperBall estimates are identical.

use crate::cluster::{self, Layout, Network};
use crate::comm::{Comm, Packet};
use crate::error::{DistError, Result};
use crate::halo::Halo;
use crate::input::{DEFAULT_BLOCK_BYTES, InputFile};
use crate::kernels::{centrality, pagerank, structure};
use crate::load::{self, DistGraph, LoadSpec};
use crate::partition::{DEFAULT_UNIT, Partition};
use portevoix_core::{Interner, Layer, NodeId};
use portevoix_graph::BuildOptions;
use portevoix_graph::kernels::{HyperBallOptions, PageRankOptions};
use portevoix_ingest::ReadOptions;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What worker 0 decides before the load, from the single-machine stage.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The endorsement view's layers and factors.
    pub layers: Vec<(Layer, f32)>,
    /// Every account's external id, in the engine's dense id order (checked
    /// against the distributed numbering).
    pub names: Interner,
    /// Every account's authenticity, dense id order.
    pub authenticity: Vec<f64>,
    /// External ids of the trusted seeds (empty: the default seeds).
    pub trusted_seeds: Vec<String>,
}

/// Builds the [`Plan`] on worker 0 (the single-machine stage); an error
/// stops every process with its message.
pub type Prepare = Arc<dyn Fn() -> std::result::Result<Plan, String> + Send + Sync>;

/// A graph-signals job.
#[derive(Clone)]
pub struct SignalsJob {
    /// The inputs, in order (edge lists, signed edge lists, Higgs logs).
    pub inputs: Vec<InputFile>,
    /// Reader options.
    pub read: ReadOptions,
    /// Build options (duplicates, self-loops).
    pub build: BuildOptions,
    /// PageRank's options (both views).
    pub pagerank: PageRankOptions,
    /// TrustRank's options.
    pub trustrank: PageRankOptions,
    /// HyperBall's options (`max_hops` at least 2; the column is the
    /// estimate at two hops).
    pub hyperball: HyperBallOptions,
    /// Authenticity an endorsement's source needs to count.
    pub authentic_min: f64,
    /// Authenticity a default TrustRank seed needs.
    pub seed_min: f64,
    /// Default TrustRank seeds for `n` accounts.
    pub seed_count: fn(usize) -> usize,
    /// The single-machine stage.
    pub prepare: Prepare,
    /// Bytes per input part.
    pub block_bytes: u64,
    /// Dense ids per unit of ownership.
    pub unit: usize,
}

impl SignalsJob {
    /// A job with default reading, building and partitioning.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        inputs: Vec<InputFile>,
        pagerank: PageRankOptions,
        trustrank: PageRankOptions,
        hyperball: HyperBallOptions,
        authentic_min: f64,
        seed_min: f64,
        seed_count: fn(usize) -> usize,
        prepare: Prepare,
    ) -> SignalsJob {
        SignalsJob {
            inputs,
            read: ReadOptions::default(),
            build: BuildOptions::default(),
            pagerank,
            trustrank,
            hyperball,
            authentic_min,
            seed_min,
            seed_count,
            prepare,
            block_bytes: DEFAULT_BLOCK_BYTES,
            unit: DEFAULT_UNIT,
        }
    }
}

/// What the job returns on process 0.
#[derive(Debug, Clone)]
pub struct SignalsOutput {
    /// The plan worker 0 made (names, authenticity, seeds).
    pub plan: Plan,
    /// `reach.pagerank`, `reach.authentic_pagerank`, `reach.hop2`,
    /// `trust.trustrank`: one column each, dense id order.
    pub columns: Vec<Vec<f64>>,
    /// Edges of the view and of its authentic part.
    pub edges: (u64, u64),
    /// Iterations of the two PageRanks, HyperBall and TrustRank.
    pub iterations: [usize; 4],
    /// Whether the three PageRanks converged.
    pub converged: bool,
    /// Time of the single-machine stage, the load, the kernels, the gather.
    pub times: [Duration; 4],
}

/// Runs the job as this process of `layout`; process 0 returns the output.
///
/// # Errors
/// The plan's error, a load error, a numbering that differs from the
/// plan's, a lost peer (the same on every process).
pub fn run(layout: &Layout, network: Network, job: &SignalsJob) -> Result<Option<SignalsOutput>> {
    let job = Arc::new(job.clone());
    let results = cluster::execute(layout, network, move |comm| run_worker(comm, &job))?;
    let mut output = None;
    for r in results {
        if let Some(o) = r? {
            output = Some(o);
        }
    }
    Ok(output)
}

fn job_error(e: String) -> DistError {
    DistError::Job(e)
}

/// Worker 0's plan (`None` elsewhere), the view's layers and the trusted
/// seeds' names, on every worker.
type Shared = (Option<Plan>, Vec<(Layer, f32)>, Vec<String>);

/// Worker 0 makes the plan; every worker gets its layers and seeds.
fn share_plan(comm: &mut Comm<'_>, job: &SignalsJob) -> std::result::Result<Shared, String> {
    let plan = if comm.index() == 0 {
        Some((job.prepare)().map_err(|e| (0, e)))
    } else {
        None
    };
    let plan = comm.agree(plan.transpose())?;
    let mine = match &plan {
        Some(p) => Packet {
            texts: p
                .layers
                .iter()
                .map(|(l, _)| l.as_str().to_string())
                .chain(p.trusted_seeds.iter().cloned())
                .collect(),
            u32s: p.layers.iter().map(|(_, f)| f.to_bits()).collect(),
            u64s: vec![p.layers.len() as u64],
            ..Packet::default()
        },
        None => Packet::default(),
    };
    let got = comm.all_gather(mine).swap_remove(0);
    let count = got.u64s.first().copied().unwrap_or(0) as usize;
    let mut layers = Vec::with_capacity(count);
    for (name, bits) in got.texts[..count].iter().zip(&got.u32s) {
        let layer: Layer = name.parse().map_err(|e| format!("{e}"))?;
        layers.push((layer, f32::from_bits(*bits)));
    }
    Ok((plan, layers, got.texts[count..].to_vec()))
}

/// Worker 0 checks that the distributed numbering is the engine's.
fn check_names(plan: Option<&Plan>, names: &Interner) -> std::result::Result<(), (u64, String)> {
    let Some(plan) = plan else { return Ok(()) };
    if plan.names.len() != names.len() {
        return Err((
            0,
            format!(
                "the engine has {} accounts, the distributed load {}: the inputs read differently",
                plan.names.len(),
                names.len()
            ),
        ));
    }
    for i in 0..names.len() {
        let (a, b) = (
            plan.names.name(NodeId(i as u32)),
            names.name(NodeId(i as u32)),
        );
        if a.to_string() != b.to_string() {
            return Err((
                0,
                format!("account {i} is {a} in the engine but {b} in the distributed load"),
            ));
        }
    }
    Ok(())
}

/// Worker 0 sends every worker the authenticity of the accounts it owns.
fn scatter_authenticity(comm: &mut Comm<'_>, part: &Partition, plan: Option<&Plan>) -> Vec<f64> {
    let out = match plan {
        Some(p) => (0..comm.peers())
            .map(|w| {
                Packet::of_f64s(
                    (0..part.owned_by(w))
                        .map(|i| p.authenticity[part.global_of(w, i) as usize])
                        .collect(),
                )
            })
            .collect(),
        None => vec![Packet::default(); comm.peers()],
    };
    comm.exchange(out).swap_remove(0).f64s
}

/// The authentic part of `graph`: in-row entries of inauthentic sources
/// dropped, inauthentic accounts' out-weights zeroed (they endorse nothing).
fn authentic_part(comm: &mut Comm<'_>, graph: &DistGraph, authentic: &[u8]) -> DistGraph {
    let halo = Halo::new(comm, &graph.part, &graph.in_src);
    let flags = halo.exchange(comm, authentic, 1);
    let owned = graph.owned();
    let mut g = DistGraph {
        part: graph.part.clone(),
        in_offsets: Vec::with_capacity(owned + 1),
        in_src: Vec::new(),
        in_w: Vec::new(),
        out_offsets: vec![0; owned + 1],
        out_dst: Vec::new(),
        out_w: Vec::new(),
        out_weight: graph.out_weight.clone(),
        out_degree: graph.out_degree.clone(),
        self_loop: graph.self_loop.clone(),
        edges: 0,
    };
    g.in_offsets.push(0);
    for (i, &keeps) in authentic.iter().enumerate().take(owned) {
        let (a, b) = (
            graph.in_offsets[i] as usize,
            graph.in_offsets[i + 1] as usize,
        );
        for e in a..b {
            if flags[halo.cols[e] as usize] != 0 {
                g.in_src.push(graph.in_src[e]);
                g.in_w.push(graph.in_w[e]);
            }
        }
        g.in_offsets.push(g.in_src.len() as u64);
        if keeps == 0 {
            g.out_weight[i] = 0.0;
            g.out_degree[i] = 0;
            g.self_loop[i] = false;
        }
    }
    g.edges = comm.sum_u64(g.in_src.len() as u64);
    g
}

/// The default TrustRank seeds: authenticity ≥ `seed_min`, at least one
/// authentic endorsement, the `count` most endorsed (ties on id), ascending.
fn default_seeds(
    comm: &mut Comm<'_>,
    graph: &DistGraph,
    authenticity: &[f64],
    seed_min: f64,
    count: usize,
) -> Vec<u32> {
    let part = graph.part.clone();
    let mut eligible: Vec<(u64, u32)> = (0..graph.owned())
        .filter(|&i| authenticity[i] >= seed_min)
        .map(|i| {
            let d = graph.in_offsets[i + 1] - graph.in_offsets[i];
            (d, part.global(i))
        })
        .filter(|&(d, _)| d > 0)
        .collect();
    let best = |v: &mut Vec<(u64, u32)>| {
        v.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        v.truncate(count);
    };
    best(&mut eligible);
    let mine = Packet {
        u64s: eligible.iter().map(|x| x.0).collect(),
        u32s: eligible.iter().map(|x| x.1).collect(),
        ..Packet::default()
    };
    let all = comm.all_gather(mine);
    let mut merged: Vec<(u64, u32)> = all
        .iter()
        .flat_map(|p| p.u64s.iter().copied().zip(p.u32s.iter().copied()))
        .collect();
    best(&mut merged);
    let mut seeds: Vec<u32> = merged.into_iter().map(|x| x.1).collect();
    seeds.sort_unstable();
    seeds
}

/// Teleport values of the owned accounts: uniform over `seeds`, over all
/// accounts when there are none, normalised by the global sum.
fn teleport(comm: &mut Comm<'_>, part: &Partition, seeds: &[u32]) -> Vec<f64> {
    let mut t = vec![0.0f64; part.owned()];
    for &s in seeds {
        if part.owner(s) == part.me {
            t[part.local(s)] = 1.0;
        }
    }
    if seeds.is_empty() {
        t.fill(1.0);
    }
    let sum = part.sums(comm, centrality::SUM_CHUNK, &[&t])[0];
    for x in &mut t {
        *x /= sum;
    }
    t
}

/// Gathers `columns` (owned values each) on worker 0, by dense id.
fn gather(comm: &mut Comm<'_>, part: &Partition, columns: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = columns.len();
    let owned = part.owned();
    let mut mine = Vec::with_capacity(owned * k);
    for i in 0..owned {
        mine.extend(columns.iter().map(|c| c[i]));
    }
    let mut out = vec![Packet::default(); comm.peers()];
    out[0] = Packet::of_f64s(mine);
    let got = comm.exchange(out);
    if comm.index() != 0 {
        return None;
    }
    let mut all = vec![vec![0.0f64; part.n]; k];
    for (w, p) in got.iter().enumerate() {
        for (i, row) in p.f64s.chunks_exact(k.max(1)).enumerate() {
            let v = part.global_of(w, i) as usize;
            for (j, x) in row.iter().enumerate() {
                all[j][v] = *x;
            }
        }
    }
    Some(all)
}

/// One worker's job.
fn run_worker(comm: &mut Comm<'_>, job: &SignalsJob) -> Result<Option<SignalsOutput>> {
    let start = Instant::now();
    let (plan, layers, seed_names) = share_plan(comm, job).map_err(job_error)?;
    let prepared = start.elapsed();
    let spec = LoadSpec {
        inputs: job.inputs.clone(),
        read: job.read.clone(),
        build: job.build.clone(),
        layers: Some(layers),
        block_bytes: job.block_bytes,
        unit: job.unit,
        out_rows: false,
        lookups: seed_names.clone(),
    };
    let mut loaded = load::load(comm, &spec)?;
    let names = std::mem::take(&mut loaded.names).gather(comm)?;
    comm.agree(check_names(plan.as_ref(), &names))
        .map_err(job_error)?;
    let loaded_at = start.elapsed();
    let graph = &loaded.graph;
    let part = graph.part.clone();
    let n = part.n as f64;
    let authenticity = scatter_authenticity(comm, &part, plan.as_ref());
    let authentic: Vec<u8> = authenticity
        .iter()
        .map(|&a| u8::from(a >= job.authentic_min))
        .collect();
    let scaled = |r: pagerank::Ranked| -> (Vec<f64>, usize, bool) {
        let it = r.iterations.first().copied().unwrap_or(0);
        let ok = r.converged.iter().all(|c| *c);
        (r.scores.into_iter().map(|s| s * n).collect(), it, ok)
    };
    let halo = Halo::new(comm, &part, &graph.in_src);
    let (pr, it0, ok0) = scaled(pagerank::run(comm, graph, &halo, &job.pagerank, None));
    drop(halo);
    let auth = authentic_part(comm, graph, &authentic);
    let halo = Halo::new(comm, &part, &auth.in_src);
    let (apr, it1, ok1) = scaled(pagerank::run(comm, &auth, &halo, &job.pagerank, None));
    let hb = structure::hyperball(comm, &auth, &job.hyperball).map_err(|e| (0, e.to_string()));
    let (estimates, it2) = comm.agree(hb).map_err(job_error)?;
    let hops = job.hyperball.max_hops;
    let hop2: Vec<f64> = estimates
        .chunks_exact(hops)
        .map(|r| r[hops.min(2) - 1])
        .collect();
    let seeds: Vec<u32> = if seed_names.is_empty() {
        default_seeds(
            comm,
            &auth,
            &authenticity,
            job.seed_min,
            (job.seed_count)(part.n),
        )
    } else {
        let mut s: Vec<u32> = loaded.lookups.iter().flatten().copied().collect();
        s.sort_unstable();
        s.dedup();
        s
    };
    let t = teleport(comm, &part, &seeds);
    let (tr, it3, ok3) = scaled(pagerank::run(
        comm,
        &auth,
        &halo,
        &job.trustrank,
        Some((&t, 1)),
    ));
    let edges = (graph.edges, auth.edges);
    let kernels_at = start.elapsed();
    let columns = gather(comm, &part, &[pr, apr, hop2, tr]);
    let gathered_at = start.elapsed();
    Ok(columns.zip(plan).map(|(columns, plan)| SignalsOutput {
        plan,
        columns,
        edges,
        iterations: [it0, it1, it2, it3],
        converged: ok0 && ok1 && ok3,
        times: [
            prepared,
            loaded_at - prepared,
            kernels_at - loaded_at,
            gathered_at - kernels_at,
        ],
    }))
}
