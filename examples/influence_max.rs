//! Influence-maximisation measurements on the real graphs: IMM against CELF
//! with Monte Carlo oracles, the top-k by PageRank and by degree, budgeted
//! plans against top-until-budget, and IMM's speed (docs/planning-evaluation.md).
//!
//! ```text
//! cargo run --release --example influence_max -- quality --dataset higgs-retweet
//! cargo run --release --example influence_max -- budget  --dataset slashdot --budgets 100,1000
//! cargo run --release --example influence_max -- speed   --dataset kron20 --k 50 --epsilon 0.1 --repeat 5
//! cargo run --release --example influence_max -- imm     --file edges.txt --k 50   # JSON, for benches/peers
//! ```
//!
//! Datasets (under `$PORTEVOIX_DATASETS`, default `../shared/datasets`):
//! `higgs-retweet` (retweet layer), `higgs-multiplex` (retweets, mentions and
//! replies of the activity log, merged), `slashdot` (Slashdot Zoo),
//! `epinions` (the positive, trust ratings), `kron<S>` (Graph500 Kronecker,
//! scale `S`, edge factor 16, seed 1), or `--file PATH` (an edge list).
//!
//! Model: independent cascade with weighted-cascade probabilities `1/d_in`
//! in the information-flow direction (B's content reaches those who
//! re-shared, tagged or trusted B) unless `--model lt` or
//! `--probability constant:P`. Every selection is evaluated by
//! `estimate_spread` with `--eval-runs` worlds (default 10,000) on a seed
//! that no selection used.
//!
//! Options: `--k 10,25,50`, `--epsilon 0.1`, `--celf-runs 1000` (worlds per
//! CELF evaluation), `--celf-max-k 50`, `--eval-runs 10000`, `--seed 0`,
//! `--budgets 50,200`, `--sweep 0.2,0.3,0.5` (larger ε tried at the largest k:
//! IMM's time and quality against CELF's), `--repeat 5`, `--json FILE`
//! (every number, raw).

use portevoix::core::{Layer, NodeId};
use portevoix::graph::generate::kronecker;
use portevoix::graph::kernels::influence_max::{
    Audience, CandidateGate, Constraint, Costs, DiffusionModel, EdgeProbability, ImmOptions,
    ImmResult, InfluenceGraph, InfluenceModelOptions, MonteCarloOptions, Selection,
    celf_monte_carlo, estimate_spread, imm,
};
use portevoix::graph::kernels::{PageRankOptions, pagerank};
use portevoix::graph::{BuildOptions, LayerGraph, Network};
use portevoix::ingest::edgelist::EdgeListOptions;
use portevoix::ingest::{FormatKind, ReadOptions, load};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: influence_max quality|budget|speed|imm (--dataset NAME | --file PATH) \
[--k 10,25,50] [--epsilon 0.1] [--celf-runs 1000] [--celf-max-k 50] [--eval-runs 10000] [--seed 0] \
[--budgets 50,200] [--sweep 0.2,0.3,0.5] [--repeat 5] [--model ic|lt] [--probability wc|constant:P] [--json FILE]";

struct Args {
    mode: String,
    dataset: Option<String>,
    file: Option<PathBuf>,
    ks: Vec<usize>,
    epsilon: f64,
    celf_runs: usize,
    celf_max_k: usize,
    eval_runs: usize,
    seed: u64,
    budgets: Vec<f64>,
    sweep: Vec<f64>,
    repeat: usize,
    model: DiffusionModel,
    probability: EdgeProbability,
    json: Option<PathBuf>,
}

fn parse_list<T: std::str::FromStr>(name: &str, v: &str) -> Result<Vec<T>, String> {
    v.split(',')
        .map(|x| {
            x.trim()
                .parse()
                .map_err(|_| format!("{name}: '{x}' is not a number"))
        })
        .collect()
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mode = it.next().ok_or_else(|| USAGE.to_string())?;
    if !["quality", "budget", "speed", "imm"].contains(&mode.as_str()) {
        return Err(format!("unknown mode '{mode}'\n{USAGE}"));
    }
    let mut a = Args {
        mode,
        dataset: None,
        file: None,
        ks: vec![10, 25, 50],
        epsilon: 0.1,
        celf_runs: 1000,
        celf_max_k: 50,
        eval_runs: 10_000,
        seed: 0,
        budgets: vec![50.0, 200.0],
        sweep: vec![0.2, 0.3, 0.5],
        repeat: 5,
        model: DiffusionModel::IndependentCascade,
        probability: EdgeProbability::WeightedCascade,
        json: None,
    };
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        let num = |s: String| -> Result<f64, String> {
            s.parse().map_err(|_| format!("'{s}' is not a number"))
        };
        match flag.as_str() {
            "--dataset" => a.dataset = Some(value()?),
            "--file" => a.file = Some(PathBuf::from(value()?)),
            "--k" => a.ks = parse_list("--k", &value()?)?,
            "--epsilon" => a.epsilon = num(value()?)?,
            "--celf-runs" => a.celf_runs = num(value()?)? as usize,
            "--celf-max-k" => a.celf_max_k = num(value()?)? as usize,
            "--eval-runs" => a.eval_runs = num(value()?)? as usize,
            "--seed" => a.seed = num(value()?)? as u64,
            "--budgets" => a.budgets = parse_list("--budgets", &value()?)?,
            "--sweep" => a.sweep = parse_list("--sweep", &value()?)?,
            "--repeat" => a.repeat = (num(value()?)? as usize).max(1),
            "--json" => a.json = Some(PathBuf::from(value()?)),
            "--model" => {
                a.model = match value()?.as_str() {
                    "ic" => DiffusionModel::IndependentCascade,
                    "lt" => DiffusionModel::LinearThreshold,
                    other => return Err(format!("--model {other}: ic or lt")),
                }
            }
            "--probability" => {
                let v = value()?;
                a.probability = match v.split_once(':') {
                    None if v == "wc" => EdgeProbability::WeightedCascade,
                    Some(("constant", p)) => EdgeProbability::Constant(num(p.to_string())?),
                    _ => return Err(format!("--probability {v}: wc or constant:P")),
                }
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown option '{other}'\n{USAGE}")),
        }
    }
    if a.dataset.is_none() && a.file.is_none() {
        return Err(format!("give --dataset or --file\n{USAGE}"));
    }
    Ok(a)
}

/// A loaded graph: the layer the model runs on, and names for its nodes.
struct Loaded {
    name: String,
    graph: LayerGraph,
    network: Option<Network>,
    load_s: f64,
}

impl Loaded {
    fn label(&self, v: NodeId) -> String {
        match &self.network {
            Some(net) => net.name(v).to_string(),
            None => v.0.to_string(),
        }
    }
}

fn datasets_dir() -> PathBuf {
    std::env::var_os("PORTEVOIX_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/datasets"))
}

fn read(path: &Path, format: FormatKind, layer: Layer) -> Result<Network, String> {
    let options = ReadOptions {
        edgelist: EdgeListOptions {
            layer,
            ..Default::default()
        },
        ..Default::default()
    };
    let ds =
        load(&[(path, Some(format))], &options).map_err(|e| format!("{}: {e}", path.display()))?;
    Network::build(&ds.interactions, ds.interner, &BuildOptions::default())
        .map_err(|e| e.to_string())
}

/// The named datasets read as one layer: name, file under the datasets
/// root, format, layer.
const SINGLE_LAYER: [(&str, &str, FormatKind, Layer); 2] = [
    (
        "higgs-retweet",
        "higgs-twitter/higgs-retweet_network.edgelist.gz",
        FormatKind::EdgeList,
        Layer::Repost,
    ),
    (
        "slashdot",
        "slashdot-zoo/soc-Slashdot0902.txt.gz",
        FormatKind::EdgeList,
        Layer::Follow,
    ),
];

fn load_graph(a: &Args) -> Result<Loaded, String> {
    let t = Instant::now();
    let dir = datasets_dir();
    let (name, graph, network) = if let Some(file) = &a.file {
        let net = read(file, FormatKind::EdgeList, Layer::Follow)?;
        let g = net.layer(Layer::Follow).ok_or("no edges")?.clone();
        (file.display().to_string(), g, Some(net))
    } else {
        let name = a.dataset.clone().unwrap_or_default();
        match name.as_str() {
            single if SINGLE_LAYER.iter().any(|d| d.0 == single) => {
                let &(_, file, format, layer) = SINGLE_LAYER
                    .iter()
                    .find(|d| d.0 == single)
                    .ok_or("unknown dataset")?;
                let net = read(&dir.join(file), format, layer)?;
                let g = net.layer(layer).ok_or("no edges")?.clone();
                (name, g, Some(net))
            }
            "higgs-multiplex" => {
                let net = read(
                    &dir.join("higgs-twitter/higgs-activity_time.txt.gz"),
                    FormatKind::Higgs,
                    Layer::Repost,
                )?;
                let g = net.merged(&[
                    (Layer::Repost, 1.0),
                    (Layer::Mention, 1.0),
                    (Layer::Reply, 1.0),
                ]);
                (name, g, Some(net))
            }
            "epinions" => {
                let net = read(
                    &dir.join("epinions-signed/soc-sign-epinions.txt.gz"),
                    FormatKind::Signed,
                    Layer::Rating,
                )?;
                let r = net.layer(Layer::Rating).ok_or("no ratings")?;
                // Trust only: distrust carries no influence.
                let trust: Vec<(u32, u32)> = (0..r.num_nodes())
                    .flat_map(|u| {
                        r.out_edge_range(NodeId(u as u32))
                            .filter(|&e| r.edge_value(e).is_some_and(|v| v > 0.0))
                            .map(move |e| (u as u32, r.out_csr().neighbors()[e]))
                    })
                    .collect();
                let g = LayerGraph::from_edges(r.num_nodes(), &trust, &BuildOptions::default())
                    .map_err(|e| e.to_string())?;
                (name, g, Some(net))
            }
            k if k.starts_with("kron") => {
                let scale: u32 = k[4..].parse().map_err(|_| format!("bad dataset '{k}'"))?;
                let (n, edges) = kronecker(scale, 16, 1);
                let g = LayerGraph::from_edges(n, &edges, &BuildOptions::default())
                    .map_err(|e| e.to_string())?;
                (name, g, None)
            }
            other => return Err(format!("unknown dataset '{other}'")),
        }
    };
    Ok(Loaded {
        name,
        graph,
        network,
        load_s: t.elapsed().as_secs_f64(),
    })
}

fn build_model(a: &Args, g: &LayerGraph) -> Result<InfluenceGraph, String> {
    InfluenceGraph::build(
        g,
        &InfluenceModelOptions {
            model: a.model,
            probability: a.probability.clone(),
            ..Default::default()
        },
    )
    .map_err(|e| e.to_string())
}

/// The `k` best nodes by `score`, ties on the lower id.
fn top_by(score: &[f64], k: usize) -> Vec<NodeId> {
    let mut order: Vec<u32> = (0..score.len() as u32).collect();
    order.sort_by(|&a, &b| {
        score[b as usize]
            .total_cmp(&score[a as usize])
            .then(a.cmp(&b))
    });
    order.truncate(k);
    order.into_iter().map(NodeId).collect()
}

/// Audience size proxy: distinct accounts that re-shared / tagged / trusted them.
fn degree_scores(g: &LayerGraph) -> Vec<f64> {
    (0..g.num_nodes())
        .map(|v| g.in_degree(NodeId(v as u32)) as f64)
        .collect()
}

fn pagerank_scores(g: &LayerGraph) -> Vec<f64> {
    let opts = PageRankOptions {
        weighted: false,
        ..Default::default()
    };
    pagerank(g, &opts, None)
        .map(|r| r.scores)
        .unwrap_or_default()
}

/// CPU time (user + system, all threads) of this process so far, in
/// seconds, from `/proc/self/stat` (clock ticks of 1/100 s); `NaN` elsewhere.
/// On a loaded machine the wall time mostly measures waiting for a core;
/// the CPU time bounds what an idle machine needs (wall ≈ CPU / cores busy).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    let field = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok());
    match (field(11), field(12)) {
        (Some(u), Some(s)) => (u + s) / 100.0,
        _ => f64::NAN,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn imm_options(a: &Args) -> ImmOptions {
    ImmOptions {
        epsilon: a.epsilon,
        seed: a.seed,
        ..Default::default()
    }
}

/// IMM with unit costs for `k` seeds.
fn imm_k(
    m: &InfluenceGraph,
    aud: &Audience,
    gate: &CandidateGate,
    k: usize,
    opts: &ImmOptions,
) -> Result<ImmResult, String> {
    imm(m, aud, gate, &Costs::Unit, Constraint::Cardinality(k), opts).map_err(|e| e.to_string())
}

const EVAL_SEED: u64 = 0xE7A1_5EED;

fn quality(a: &Args, d: &Loaded, m: &InfluenceGraph) -> Result<serde_json::Value, String> {
    let n = m.num_nodes();
    let (aud, gate) = (Audience::everyone(n), CandidateGate::allow_all(n));
    let eval = MonteCarloOptions {
        runs: a.eval_runs,
        seed: EVAL_SEED,
    };
    let spread = |s: &[NodeId]| estimate_spread(m, &aud, s, &eval).map_err(|e| e.to_string());
    let k_max = a.ks.iter().copied().max().unwrap_or(10);
    let celf_k = a.celf_max_k.min(k_max);
    eprintln!(
        "{}: CELF with {} worlds, k = {celf_k} ...",
        d.name, a.celf_runs
    );
    let t = Instant::now();
    let celf = celf_monte_carlo(
        m,
        &aud,
        &gate,
        &Costs::Unit,
        Constraint::Cardinality(celf_k),
        &MonteCarloOptions {
            runs: a.celf_runs,
            seed: a.seed.wrapping_add(1),
        },
    )
    .map_err(|e| e.to_string())?;
    let celf_s = t.elapsed().as_secs_f64();
    eprintln!("CELF done in {celf_s:.1} s");
    let pr = pagerank_scores(&d.graph);
    let deg = degree_scores(&d.graph);
    let mut rows = Vec::new();
    for &k in &a.ks {
        let t = Instant::now();
        let r = imm_k(m, &aud, &gate, k, &imm_options(a))?;
        let imm_s = t.elapsed().as_secs_f64();
        let imm_set = r.selection.nodes();
        let s_imm = spread(&imm_set)?;
        let celf_set: Option<Vec<NodeId>> = (k <= celf.picks.len() || celf.picks.len() < celf_k)
            .then(|| celf.nodes().into_iter().take(k).collect());
        let s_celf = match &celf_set {
            Some(s) if k <= celf_k => Some(spread(s)?),
            _ => None,
        };
        let s_pr = spread(&top_by(&pr, k))?;
        let s_deg = spread(&top_by(&deg, k))?;
        let shared_with_celf = celf_set
            .as_ref()
            .map(|c| imm_set.iter().filter(|v| c.contains(v)).count());
        eprintln!(
            "k={k}: IMM {:.1} ± {:.1} ({imm_s:.2} s, {} sets, eps {:.3}), CELF {:?}, PageRank {:.1}, degree {:.1}",
            s_imm.mean,
            s_imm.std_error,
            r.sets_used,
            r.epsilon,
            s_celf.as_ref().map(|s| s.mean),
            s_pr.mean,
            s_deg.mean
        );
        rows.push(json!({
            "k": k,
            "imm": {"mc": s_imm, "rr_estimate": r.selection.reach, "seconds": imm_s,
                    "sets": r.sets_used, "epsilon": r.epsilon, "confidence": r.confidence,
                    "guarantee": r.guarantee, "peak_rr_mib": r.peak_rr_bytes as f64 / 1048576.0,
                    "capped": r.capped, "seeds": imm_set.iter().take(10).map(|&v| d.label(v)).collect::<Vec<_>>()},
            "celf": s_celf.map(|s| json!({"mc": s, "shared_seeds": shared_with_celf})),
            "pagerank": {"mc": s_pr},
            "degree": {"mc": s_deg},
        }));
    }
    // Larger ε at the largest k: how fast IMM is at CELF's quality.
    let mut sweep = Vec::new();
    for &eps in &a.sweep {
        let opts = ImmOptions {
            epsilon: eps,
            ..imm_options(a)
        };
        let t = Instant::now();
        let r = imm_k(m, &aud, &gate, k_max, &opts)?;
        let secs = t.elapsed().as_secs_f64();
        let s = spread(&r.selection.nodes())?;
        eprintln!(
            "k={k_max} eps={eps}: IMM {:.1} ± {:.1} in {secs:.2} s ({} sets)",
            s.mean, s.std_error, r.sets_used
        );
        sweep.push(
            json!({"epsilon": eps, "k": k_max, "seconds": secs, "sets": r.sets_used,
                          "guarantee": r.guarantee, "mc": s}),
        );
    }
    Ok(json!({
        "dataset": d.name, "nodes": n, "edges": m.num_edges(), "sweep": sweep,
        "model": format!("{:?}", a.model), "probability": format!("{:?}", a.probability),
        "eval_runs": a.eval_runs, "celf": {"runs": a.celf_runs, "k": celf_k, "seconds": celf_s,
        "reach_on_own_worlds": celf.reach},
        "rows": rows,
    }))
}

/// Documented default costs by audience tier (distinct re-sharers / followers):
/// under 10: 1; 10–99: 4; 100–999: 16; 1,000 and more: 64.
fn tier_costs(g: &LayerGraph) -> Vec<f64> {
    (0..g.num_nodes())
        .map(|v| match g.in_degree(NodeId(v as u32)) {
            0..=9 => 1.0,
            10..=99 => 4.0,
            100..=999 => 16.0,
            _ => 64.0,
        })
        .collect()
}

/// Nodes in decreasing `score` (ties on id), each added if it still fits.
fn top_until_budget(score: &[f64], costs: &[f64], budget: f64) -> Vec<NodeId> {
    let order = top_by(score, score.len());
    let mut spent = 0.0;
    let mut out = Vec::new();
    for v in order {
        let c = costs[v.index()];
        if spent + c <= budget {
            spent += c;
            out.push(v);
        }
        if budget - spent < 1.0 {
            break;
        }
    }
    out
}

fn budget(a: &Args, d: &Loaded, m: &InfluenceGraph) -> Result<serde_json::Value, String> {
    let n = m.num_nodes();
    let (aud, gate) = (Audience::everyone(n), CandidateGate::allow_all(n));
    let costs = tier_costs(&d.graph);
    let eval = MonteCarloOptions {
        runs: a.eval_runs,
        seed: EVAL_SEED,
    };
    let spread = |s: &[NodeId]| estimate_spread(m, &aud, s, &eval).map_err(|e| e.to_string());
    let cost_of = |s: &[NodeId]| s.iter().map(|v| costs[v.index()]).sum::<f64>();
    let pr = pagerank_scores(&d.graph);
    let deg = degree_scores(&d.graph);
    let mut rows = Vec::new();
    for &b in &a.budgets {
        let t = Instant::now();
        let r = imm(
            m,
            &aud,
            &gate,
            &Costs::PerNode(costs.clone()),
            Constraint::Budget {
                budget: b,
                max_picks: None,
            },
            &imm_options(a),
        )
        .map_err(|e| e.to_string())?;
        let secs = t.elapsed().as_secs_f64();
        let plan = r.selection.nodes();
        let s_plan = spread(&plan)?;
        let by_pr = top_until_budget(&pr, &costs, b);
        let by_deg = top_until_budget(&deg, &costs, b);
        let s_pr = spread(&by_pr)?;
        let s_deg = spread(&by_deg)?;
        let row = |s: &Selection| format!("{:?}", s.rule);
        eprintln!(
            "budget {b}: plan {} seeds cost {} reach {:.1} ({:.2}/unit, {secs:.2} s, rule {}); PageRank {} seeds {:.1} ({:.2}/unit); degree {} seeds {:.1} ({:.2}/unit)",
            plan.len(),
            r.selection.cost,
            s_plan.mean,
            s_plan.mean / r.selection.cost,
            row(&r.selection),
            by_pr.len(),
            s_pr.mean,
            s_pr.mean / cost_of(&by_pr),
            by_deg.len(),
            s_deg.mean,
            s_deg.mean / cost_of(&by_deg)
        );
        rows.push(json!({
            "budget": b,
            "plan": {"seeds": plan.len(), "cost": r.selection.cost, "mc": s_plan, "seconds": secs,
                     "rule": row(&r.selection), "epsilon": r.epsilon, "guarantee": r.guarantee,
                     "tiers": tier_counts(&plan, &costs)},
            "pagerank_until_budget": {"seeds": by_pr.len(), "cost": cost_of(&by_pr), "mc": s_pr,
                                      "tiers": tier_counts(&by_pr, &costs)},
            "degree_until_budget": {"seeds": by_deg.len(), "cost": cost_of(&by_deg), "mc": s_deg,
                                    "tiers": tier_counts(&by_deg, &costs)},
        }));
    }
    Ok(
        json!({"dataset": d.name, "nodes": n, "edges": m.num_edges(), "eval_runs": a.eval_runs,
              "costs": "tier by distinct re-sharers: <10: 1, 10-99: 4, 100-999: 16, >=1000: 64",
              "rows": rows}),
    )
}

fn tier_counts(s: &[NodeId], costs: &[f64]) -> serde_json::Value {
    let mut c = [0usize; 4];
    for v in s {
        c[match costs[v.index()] as u32 {
            1 => 0,
            4 => 1,
            16 => 2,
            _ => 3,
        }] += 1;
    }
    json!({"1": c[0], "4": c[1], "16": c[2], "64": c[3]})
}

fn speed(
    a: &Args,
    d: &Loaded,
    m: &InfluenceGraph,
    model_s: f64,
) -> Result<serde_json::Value, String> {
    let n = m.num_nodes();
    let (aud, gate) = (Audience::everyone(n), CandidateGate::allow_all(n));
    let k = a.ks.iter().copied().max().unwrap_or(50);
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut last = None;
    for _ in 0..a.repeat {
        let (t, c) = (Instant::now(), cpu_seconds());
        let r = imm_k(m, &aud, &gate, k, &imm_options(a))?;
        times.push(t.elapsed().as_secs_f64());
        cpu.push(cpu_seconds() - c);
        last = Some(r);
    }
    let r = last.ok_or("no run")?;
    let med = median(times.clone());
    let cpu_med = median(cpu.clone());
    eprintln!("CPU time per run (user + system, all threads): median {cpu_med:.2} s");
    eprintln!(
        "{}: IMM k={k} eps={} median {med:.3} s over {} runs (min {:.3}, max {:.3}); {} + {} sets, mean size {:.1}, peak {:.0} MiB; load {:.2} s, model {:.2} s; {} threads",
        d.name,
        a.epsilon,
        times.len(),
        times.iter().copied().fold(f64::INFINITY, f64::min),
        times.iter().copied().fold(0.0, f64::max),
        r.phase1_sets,
        r.sets_used,
        r.mean_set_size,
        r.peak_rr_bytes as f64 / 1048576.0,
        d.load_s,
        model_s,
        rayon::current_num_threads()
    );
    Ok(json!({
        "dataset": d.name, "nodes": n, "edges": m.num_edges(), "k": k, "epsilon": a.epsilon,
        "threads": rayon::current_num_threads(), "seconds": times, "median_s": med,
        "cpu_seconds": cpu, "cpu_median_s": cpu_med,
        "load_s": d.load_s, "model_s": model_s, "phase1_sets": r.phase1_sets, "sets": r.sets_used,
        "mean_set_size": r.mean_set_size, "peak_rr_mib": r.peak_rr_bytes as f64 / 1048576.0,
        "timings_ms": r.timings, "reach_estimate": r.selection.reach, "capped": r.capped,
    }))
}

fn imm_json(
    a: &Args,
    d: &Loaded,
    m: &InfluenceGraph,
    model_s: f64,
) -> Result<serde_json::Value, String> {
    let n = m.num_nodes();
    let k = a.ks.iter().copied().max().unwrap_or(50);
    let t = Instant::now();
    let r = imm_k(
        m,
        &Audience::everyone(n),
        &CandidateGate::allow_all(n),
        k,
        &imm_options(a),
    )?;
    let kernel_ms = t.elapsed().as_secs_f64() * 1e3;
    Ok(json!({
        "nodes": n, "edges": m.num_edges(), "k": k, "epsilon": r.epsilon,
        "timings_ms": {"load": d.load_s * 1e3, "model": model_s * 1e3, "kernel": kernel_ms},
        "sets": r.sets_used, "reach_estimate": r.selection.reach,
        "seeds": r.selection.nodes().iter().map(|&v| d.label(v)).collect::<Vec<_>>(),
    }))
}

fn main() -> ExitCode {
    let a = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let run = || -> Result<serde_json::Value, String> {
        let d = load_graph(&a)?;
        let t = Instant::now();
        let m = build_model(&a, &d.graph)?;
        let model_s = t.elapsed().as_secs_f64();
        eprintln!(
            "{}: {} nodes, {} edges (loaded in {:.2} s, model in {model_s:.2} s)",
            d.name,
            m.num_nodes(),
            m.num_edges(),
            d.load_s
        );
        match a.mode.as_str() {
            "quality" => quality(&a, &d, &m),
            "budget" => budget(&a, &d, &m),
            "speed" => speed(&a, &d, &m, model_s),
            _ => imm_json(&a, &d, &m, model_s),
        }
    };
    match run() {
        Ok(v) => {
            let text = serde_json::to_string_pretty(&v).unwrap_or_default();
            if let Some(path) = &a.json {
                if let Err(e) = std::fs::write(path, &text) {
                    eprintln!("{}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
            if a.mode == "imm" {
                println!("{}", serde_json::to_string(&v).unwrap_or_default());
            } else {
                println!("{text}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
