//! `portevoix rank`: run one influence kernel on a loaded network and print
//! the top accounts.

use crate::input::{GraphArgs, InputArgs};
use portevoix_core::Error;
use portevoix_graph::kernels::{
    CoreMode, HitsOptions, HitsSolver, HyperBallOptions, KatzOptions, LeaderRankOptions,
    PageRankOptions, PageRankSolver, ReachMethod, core_numbers, hits_with, katz, leaderrank,
    pagerank_with, reach,
};
use portevoix_graph::{LayerGraph, Network};
use portevoix_report::rank::{LayerWeight, RankSummary, RankTimings, ranked, top_scores};
use std::borrow::Cow;
use std::time::Instant;

/// The kernels `rank` can run.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// PageRank (credit flows along actor -> target edges: the retweeted, followed, rated gain).
    Pagerank,
    /// LeaderRank (PageRank with a ground node, no damping parameter).
    Leaderrank,
    /// HITS authority score.
    HitsAuthority,
    /// HITS hub score.
    HitsHub,
    /// Katz centrality (alpha must stay below 1 / largest eigenvalue).
    Katz,
    /// Undirected k-core number.
    Coreness,
    /// In-degree core number.
    InCoreness,
    /// Out-degree core number.
    OutCoreness,
    /// Number of accounts the content reaches within 2 hops: counted exactly where that is cheaper (sparse
    /// graphs), else estimated by HyperBall (HyperLogLog counters, ±9%); the output says which.
    Reach2,
    /// The same within 3 hops.
    Reach3,
}

/// The solver of `pagerank` and `hits-*`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Solver {
    /// Chosen by the measured rule (power iteration on small or fast-mixing graphs).
    Auto,
    /// Power iteration (the reference vertex program).
    Power,
    /// Krylov: BiCGSTAB on PageRank's linear system, Lanczos for HITS; checked by power iterations.
    Krylov,
}

/// Arguments of `rank`.
#[derive(clap::Args)]
pub struct RankArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// The kernel to run.
    #[arg(long, value_enum, default_value = "pagerank")]
    pub kernel: Kernel,
    /// Layers of the view and their weights, e.g. `repost=1,quote=1,mention=0.5`. Default: the endorsement
    /// layers present (follow, repost, quote, like) with weight 1, or every layer if none is present.
    #[arg(long, value_name = "LAYER=W,...")]
    pub layers: Option<String>,
    /// Damping factor (PageRank).
    #[arg(long, default_value_t = 0.85)]
    pub damping: f64,
    /// Convergence tolerance on the total L1 change between iterations.
    #[arg(long, default_value_t = 1e-10)]
    pub tolerance: f64,
    /// Iteration cap.
    #[arg(long, default_value_t = 1000)]
    pub max_iterations: usize,
    /// Solver of pagerank and hits-*; every solver meets the same stopping rule.
    #[arg(long, value_enum, default_value = "auto")]
    pub solver: Solver,
    /// Katz attenuation factor.
    #[arg(long, default_value_t = 0.1)]
    pub alpha: f64,
    /// Number of accounts listed.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `rank` and returns what it prints.
pub fn run(args: &RankArgs) -> Result<RankSummary, Error> {
    let start = Instant::now();
    let mut dataset = args.input.load(|_, _| {})?;
    let parsed = start.elapsed();
    let interner = std::mem::take(&mut dataset.interner);
    let network = Network::build(
        &dataset.interactions,
        interner,
        &args.graph.build_options()?,
    )?;
    // The network holds the interactions now; free the log before the kernel.
    dataset.interactions = Default::default();
    let layers = crate::input::chosen_layers(&network, args.layers.as_deref())?;
    let view: Cow<'_, LayerGraph> = match layers.as_slice() {
        [(layer, w)] if *w == 1.0 => match network.layer(*layer) {
            Some(g) => Cow::Borrowed(g),
            None => Cow::Owned(network.merged(&layers)),
        },
        _ => Cow::Owned(network.merged(&layers)),
    };
    let built = start.elapsed();
    let mut method = None;
    let (scores, iterations, residual, converged) = match args.kernel {
        Kernel::Pagerank => {
            let options = PageRankOptions {
                damping: args.damping,
                tolerance: args.tolerance,
                max_iterations: args.max_iterations,
                ..PageRankOptions::default()
            };
            let solver = match args.solver {
                Solver::Auto => PageRankSolver::Auto,
                Solver::Power => PageRankSolver::Power,
                Solver::Krylov => PageRankSolver::Krylov,
            };
            let r = pagerank_with(&view, &options, solver, None, None)?;
            method = Some(r.solver.as_str().to_string());
            (r.scores, r.iterations, r.residual, r.converged)
        }
        Kernel::Leaderrank => {
            let options = LeaderRankOptions {
                tolerance: args.tolerance,
                max_iterations: args.max_iterations,
                ..LeaderRankOptions::default()
            };
            let r = leaderrank(&view, &options)?;
            (r.scores, r.iterations, r.residual, r.converged)
        }
        Kernel::HitsAuthority | Kernel::HitsHub => {
            let options = HitsOptions {
                tolerance: args.tolerance,
                max_iterations: args.max_iterations,
            };
            let solver = match args.solver {
                Solver::Auto => HitsSolver::Auto,
                Solver::Power => HitsSolver::Power,
                Solver::Krylov => HitsSolver::Lanczos,
            };
            let r = hits_with(&view, &options, solver)?;
            method = Some(r.solver.as_str().to_string());
            let scores = if args.kernel == Kernel::HitsHub {
                r.hubs
            } else {
                r.authorities
            };
            (scores, r.iterations, r.residual, r.converged)
        }
        Kernel::Katz => {
            let options = KatzOptions {
                alpha: args.alpha,
                tolerance: args.tolerance,
                max_iterations: args.max_iterations,
                ..KatzOptions::default()
            };
            let r = katz(&view, &options)?;
            (r.scores, r.iterations, r.residual, r.converged)
        }
        Kernel::Coreness | Kernel::InCoreness | Kernel::OutCoreness => {
            let mode = match args.kernel {
                Kernel::InCoreness => CoreMode::In,
                Kernel::OutCoreness => CoreMode::Out,
                _ => CoreMode::Undirected,
            };
            let cores = core_numbers(&view, mode);
            (cores.into_iter().map(f64::from).collect(), 0, 0.0, true)
        }
        Kernel::Reach2 | Kernel::Reach3 => {
            let hops = if args.kernel == Kernel::Reach2 { 2 } else { 3 };
            let options = HyperBallOptions {
                max_hops: hops,
                ..HyperBallOptions::default()
            };
            let r = reach(&view, &options, ReachMethod::Auto)?;
            method = Some(r.method.as_str().to_string());
            (r.hop(hops), r.iterations, 0.0, true)
        }
    };
    let done = start.elapsed();
    let top = top_scores(&scores, args.top);
    Ok(RankSummary {
        kernel: clap::ValueEnum::to_possible_value(&args.kernel)
            .map(|v| v.get_name().to_string())
            .unwrap_or_default(),
        layers: layers
            .iter()
            .map(|&(l, weight)| LayerWeight {
                layer: l.as_str().to_string(),
                weight,
            })
            .collect(),
        nodes: network.num_nodes() as u64,
        edges: view.num_edges() as u64,
        iterations,
        residual,
        converged,
        method,
        timings_ms: RankTimings {
            parse: parsed.as_secs_f64() * 1e3,
            build: (built - parsed).as_secs_f64() * 1e3,
            kernel: (done - built).as_secs_f64() * 1e3,
        },
        top: ranked(&dataset, &network, &top),
    })
}
