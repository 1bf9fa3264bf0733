//! `portevoix spread`: Monte Carlo SIR or independent cascade from a seed
//! set on a loaded network; prints the distribution of the outbreak size and
//! the mean-field epidemic threshold.

use crate::communities::load_network;
use crate::input::{GraphArgs, InputArgs};
use portevoix_core::{Error, NodeId};
use portevoix_graph::LayerGraph;
use portevoix_graph::kernels::{
    Activation, CascadeOptions, SirOptions, SpreadDirection, SpreadModel, best_connected, contacts,
    epidemic_threshold, simulate_spread,
};
use portevoix_report::spread::{SeedAccount, SpreadSummary, SpreadTimings, transmissibility};
use std::time::{Duration, Instant};

/// The diffusion models.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// SIR: infection with probability beta per contact and step, recovery with probability gamma per step.
    Sir,
    /// Independent cascade: one try per edge, in the step after activation.
    Ic,
}

/// Which way infection travels along the stored `actor -> target` edges.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// From a target to its actors (A retweeted B: B's content reaches A).
    InformationFlow,
    /// Along the edges (A -> B lets A infect B).
    Forward,
    /// Both ways; a reciprocal pair is one contact.
    Undirected,
}

/// Activation rule of the independent cascade.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivationRule {
    /// The same probability, --beta, on every edge.
    Constant,
    /// Kempe et al.'s weighted cascade: 1 / (number of accounts that can infect the receiver).
    WeightedCascade,
}

/// Arguments of `spread`.
#[derive(clap::Args)]
pub struct SpreadArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// The model.
    #[arg(long, value_enum, default_value = "sir")]
    pub model: Model,
    /// Infection probability per contact and step (SIR), or the constant activation probability (ic).
    #[arg(long, default_value_t = 0.1)]
    pub beta: f64,
    /// Recovery probability per step, in (0, 1] (SIR; 1: infectious for exactly one step).
    #[arg(long, default_value_t = 1.0)]
    pub gamma: f64,
    /// Independent cascade activation rule.
    #[arg(long, value_enum, default_value = "constant")]
    pub activation: ActivationRule,
    /// Seeds: a count N (the N accounts with the most contacts in the spreading direction, ties to
    /// the earlier account), or a comma-separated list of ids and @handles (write a single numeric id
    /// as `ID,`).
    #[arg(long, value_name = "N|IDS", default_value = "10")]
    pub seeds: String,
    /// Monte Carlo runs.
    #[arg(long, default_value_t = 1000)]
    pub runs: usize,
    /// Seed of the run streams.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Spreading direction.
    #[arg(long, value_enum, default_value = "information-flow")]
    pub direction: Direction,
    /// Cap on the steps of one run (default: until no account is infectious).
    #[arg(long, value_name = "N")]
    pub max_steps: Option<usize>,
    /// Layers of the view and their weights, e.g. `follow=1,repost=1`; default as for `rank`.
    #[arg(long, value_name = "LAYER=W,...")]
    pub layers: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The seed accounts asked by `--seeds`.
fn choose_seeds(
    spec: &str,
    loaded: &crate::communities::Loaded,
    graph: &LayerGraph,
    direction: SpreadDirection,
) -> Result<Vec<NodeId>, Error> {
    let spec = spec.trim();
    if !spec.is_empty() && spec.bytes().all(|b| b.is_ascii_digit()) {
        let k: usize = spec
            .parse()
            .map_err(|_| Error::argument("--seeds", format!("--seeds {spec}: too large")))?;
        if k == 0 {
            return Err(Error::argument("--seeds", "--seeds: at least one seed"));
        }
        let seeds = best_connected(graph, direction, k);
        if seeds.is_empty() {
            return Err(Error::argument("--seeds", "the view has no account"));
        }
        return Ok(seeds);
    }
    let seeds: Vec<NodeId> = spec
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let found = match s.strip_prefix('@') {
                Some(handle) => (0..loaded.network.num_nodes() as u32)
                    .map(NodeId)
                    .find(|&v| {
                        loaded
                            .dataset
                            .handle(v)
                            .is_some_and(|h| h.eq_ignore_ascii_case(handle))
                    })
                    .or_else(|| loaded.network.interner().get(s)),
                None => loaded.network.interner().get(s),
            };
            found.ok_or_else(|| {
                Error::argument("--seeds", format!("--seeds: unknown account '{s}'"))
            })
        })
        .collect::<Result<_, _>>()?;
    if seeds.is_empty() {
        return Err(Error::argument("--seeds", "--seeds: no account given"));
    }
    Ok(seeds)
}

/// The command-line spelling of a value.
fn value_name<T: clap::ValueEnum>(v: &T) -> String {
    v.to_possible_value()
        .map(|p| p.get_name().to_string())
        .unwrap_or_default()
}

/// Runs `spread` and returns what it prints.
pub fn run(args: &SpreadArgs) -> Result<SpreadSummary, Error> {
    let start = Instant::now();
    let loaded = load_network(&args.input, &args.graph, args.layers.as_deref())?;
    let graph = loaded.view();
    let built = start.elapsed();
    let direction = match args.direction {
        Direction::InformationFlow => SpreadDirection::InformationFlow,
        Direction::Forward => SpreadDirection::Forward,
        Direction::Undirected => SpreadDirection::Undirected,
    };
    let seeds = choose_seeds(&args.seeds, &loaded, &graph, direction)?;
    let threshold = epidemic_threshold(&graph);
    let chosen = start.elapsed();
    let max_steps = args.max_steps.unwrap_or(usize::MAX);
    let (model, gamma) = match args.model {
        Model::Sir => {
            let options = SirOptions {
                beta: args.beta,
                gamma: args.gamma,
                runs: args.runs,
                seed: args.seed,
                max_steps,
                direction,
            };
            (SpreadModel::Sir(options), args.gamma)
        }
        Model::Ic => {
            let activation = match args.activation {
                ActivationRule::Constant => Activation::Constant(args.beta),
                ActivationRule::WeightedCascade => Activation::WeightedCascade,
            };
            let options = CascadeOptions {
                activation,
                runs: args.runs,
                seed: args.seed,
                max_steps,
                direction,
            };
            (SpreadModel::IndependentCascade(options), 1.0)
        }
    };
    let dist = simulate_spread(&graph, &seeds, &model)?;
    let done = start.elapsed();
    let constant = args.model == Model::Sir || args.activation == ActivationRule::Constant;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let nodes = loaded.network.num_nodes();
    Ok(SpreadSummary {
        model: value_name(&args.model),
        activation: if args.model == Model::Sir {
            "constant".to_string()
        } else {
            value_name(&args.activation)
        },
        direction: value_name(&args.direction),
        layers: loaded.layer_weights(),
        nodes: nodes as u64,
        edges: graph.num_edges() as u64,
        beta: args.beta,
        gamma,
        transmissibility: constant.then(|| transmissibility(args.beta, gamma)),
        runs: args.runs,
        seed: args.seed,
        seeds: seeds
            .iter()
            .map(|&v| {
                let id = loaded.network.name(v).to_string();
                let label = match loaded.dataset.handle(v) {
                    Some(h) => format!("@{h}"),
                    None => id.clone(),
                };
                SeedAccount {
                    id,
                    label,
                    contacts: contacts(&graph, direction, v),
                }
            })
            .collect(),
        mean: dist.mean,
        std: dist.std,
        min: dist.min,
        p10: dist.p10,
        p50: dist.p50,
        p90: dist.p90,
        max: dist.max,
        mean_share: dist.mean / nodes.max(1) as f64,
        epidemic_threshold: threshold.is_finite().then_some(threshold),
        timings_ms: SpreadTimings {
            parse: ms(loaded.parsed),
            build: ms(built.saturating_sub(loaded.parsed)),
            threshold: ms(chosen - built),
            kernel: ms(done - chosen),
        },
    })
}
