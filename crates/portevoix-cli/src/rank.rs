//! `portevoix rank`: one centrality over a view of the network, written as
//! CSV `id,score` for every account (`--out FILE`, the stable contract) or
//! listed as the top accounts (table or JSON).
//!
//! The centrality and its parameters are the library's
//! ([`Centrality`], [`CentralityOptions`]); the CSV writer is the report
//! crate's ([`write_scores_csv`]). This file only reads the arguments, runs
//! the local engine ([`local`]: this process, rayon) and writes what it
//! returns, so that another engine plugs in beside [`local`] and shares the
//! rest.

use crate::input::{GraphArgs, InputArgs, parse_layers};
use portevoix_core::{Error, Layer, Location};
use portevoix_graph::Network;
use portevoix_graph::kernels::{Centrality, CentralityOptions, CentralityScores, centrality};
use portevoix_ingest::{Input, id_weights};
use portevoix_report::rank::{
    LayerWeight, RankSummary, RankTimings, network_scores, ranked, top_scores, write_scores_csv,
};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `rank`.
#[derive(clap::Args)]
pub struct RankArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// The centrality: pagerank, ppr (personalised PageRank, needs --personalization), leaderrank,
    /// hits-authority, hits-hub, katz, coreness, in-coreness, out-coreness, indegree (weighted in-degree),
    /// reach2, reach3 (HyperBall estimates of the accounts within 2 or 3 hops, ±9%).
    #[arg(
        long = "algo",
        visible_alias = "kernel",
        value_name = "ALGO",
        default_value = "pagerank"
    )]
    pub algo: String,
    /// Layers of the view and their weights, e.g. `repost=1,quote=1,mention=0.5` (instead of --layer).
    /// Default: the endorsement layers present (follow, repost, quote, like) with weight 1, or every layer if
    /// none is present.
    #[arg(long, value_name = "LAYER=W,...", conflicts_with = "layer")]
    pub layers: Option<String>,
    /// Damping factor (PageRank, ppr).
    #[arg(long, default_value_t = 0.85)]
    pub damping: f64,
    /// Convergence tolerance on the total L1 change between iterations.
    #[arg(long = "tol", visible_alias = "tolerance", default_value_t = 1e-10)]
    pub tol: f64,
    /// Iteration cap.
    #[arg(long, default_value_t = 1000)]
    pub max_iterations: usize,
    /// Solver of pagerank, ppr and hits-*: auto (a measured rule: the power iteration, or a Krylov method where
    /// the first sweeps show slow convergence), power, or krylov (BiCGSTAB for PageRank, Lanczos for HITS).
    /// Every solver stops by the same L1 rule, checked on its result.
    #[arg(long, value_name = "SOLVER", default_value = "auto")]
    pub solver: String,
    /// Katz attenuation factor.
    #[arg(long, default_value_t = 0.1)]
    pub alpha: f64,
    /// Teleport weights of personalised PageRank: a CSV `id,weight` (ids as in the inputs; a header line is
    /// allowed). With pagerank it makes PageRank personalised; ppr needs it.
    #[arg(long, value_name = "FILE")]
    pub personalization: Option<PathBuf>,
    /// Rank on the undirected view: every edge in both directions (a pair linked both ways keeps the larger
    /// weight).
    #[arg(long)]
    pub undirected: bool,
    /// Write every account's score as CSV `id,score`, sorted by score (highest first) then id, to FILE
    /// (`-`: standard output) instead of listing the top accounts.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Number of accounts listed (without --out).
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Print JSON instead of a table (without --out).
    #[arg(long)]
    pub json: bool,
    /// `--all-signals`: the graph signals of `discover` into one file.
    #[command(flatten)]
    pub all_signals: crate::graph_scores::AllSignalsArgs,
    /// The distributed engine (`--engine timely`).
    #[cfg(feature = "timely")]
    #[command(flatten)]
    pub dist: crate::rank_timely::DistArgs,
}

/// What an engine returns: every account's score and how it was computed.
pub struct Ranked {
    /// The network (ids, handles).
    pub network: Network,
    /// The dataset's accounts, for handles in the table.
    pub dataset: portevoix_ingest::Dataset,
    /// The layers of the view and their weights.
    pub layers: Vec<(Layer, f32)>,
    /// Edges of the view.
    pub edges: u64,
    /// The scores and the kernel's convergence.
    pub result: CentralityScores,
    /// Wall-clock milliseconds: parse, build, kernel.
    pub timings: RankTimings,
}

/// The centrality and its options from the arguments (the personalisation
/// is read once the network gives the ids meaning).
fn centrality_options(args: &RankArgs) -> Result<(Centrality, CentralityOptions), Error> {
    let algo: Centrality = args.algo.parse()?;
    if args.personalization.is_some()
        && !matches!(
            algo,
            Centrality::PageRank | Centrality::PersonalizedPageRank
        )
    {
        return Err(Error::argument(
            "--personalization",
            format!("--personalization applies to pagerank and ppr, not {algo}"),
        ));
    }
    if algo == Centrality::PersonalizedPageRank && args.personalization.is_none() {
        return Err(Error::argument(
            "--personalization",
            "ppr needs --personalization FILE (a CSV id,weight)",
        ));
    }
    Ok((
        algo,
        CentralityOptions {
            damping: Some(args.damping),
            tolerance: Some(args.tol),
            max_iterations: Some(args.max_iterations),
            alpha: Some(args.alpha),
            personalization: None,
            solver: args.solver.parse()?,
        },
    ))
}

/// The personalisation vector of `path` over the accounts of `network`.
fn personalization(path: &Path, network: &Network) -> Result<Vec<f64>, Error> {
    let rows = id_weights::read(&mut Input::open(path)?)?;
    network
        .dense_weights(rows.iter().map(|r| (r.id.as_str(), r.weight)))
        .map_err(|k| {
            Error::input(
                Location::line(path.display().to_string(), rows[k].line).with_column(1),
                format!("id {} is not an account of the inputs", rows[k].id),
            )
        })
}

/// The layers of the view: `--layers` with weights, else each `--layer`
/// present with weight 1, else the network's default view.
fn view_layers(args: &RankArgs, network: &Network) -> Result<Vec<(Layer, f32)>, Error> {
    let named = args.input.layers()?;
    let layers = if let Some(spec) = &args.layers {
        parse_layers(spec)?
    } else if !named.is_empty() {
        let present: Vec<(Layer, f32)> = named
            .iter()
            .filter(|l| network.layer(**l).is_some())
            .map(|&l| (l, 1.0))
            .collect();
        if present.is_empty() {
            return Err(Error::argument(
                "--layer",
                format!(
                    "none of the layers named by --layer ({}) is in the inputs",
                    args.input.layer.join(", ")
                ),
            ));
        }
        present
    } else {
        network.default_view_layers()
    };
    if layers.is_empty() {
        return Err(Error::argument(
            "--layer",
            "the inputs hold no interaction to run on",
        ));
    }
    Ok(layers)
}

/// The local engine: reads the inputs in this process, builds the network
/// and the view, runs the centrality with rayon.
pub fn local(
    args: &RankArgs,
    algo: Centrality,
    mut options: CentralityOptions,
) -> Result<Ranked, Error> {
    let start = Instant::now();
    let mut dataset = args.input.load_any_layers(|_, _| {})?;
    if args.input.redact_text {
        portevoix_ingest::privacy::drop_texts(&mut dataset);
    }
    let parsed = start.elapsed();
    let interner = std::mem::take(&mut dataset.interner);
    let network = Network::build(
        &dataset.interactions,
        interner,
        &args.graph.build_options()?,
    )?;
    // The network holds the interactions now; free the log before the kernel.
    dataset.interactions = Default::default();
    let layers = view_layers(args, &network)?;
    let mut view = network.view(&layers);
    if args.undirected {
        view = std::borrow::Cow::Owned(view.symmetrized()?);
    }
    if let Some(path) = &args.personalization {
        options.personalization = Some(personalization(path, &network)?);
    }
    let built = start.elapsed();
    let result = centrality(&view, algo, &options)?;
    let done = start.elapsed();
    let edges = view.num_edges() as u64;
    drop(view);
    Ok(Ranked {
        network,
        dataset,
        layers,
        edges,
        result,
        timings: RankTimings {
            parse: parsed.as_secs_f64() * 1e3,
            build: (built - parsed).as_secs_f64() * 1e3,
            kernel: (done - built).as_secs_f64() * 1e3,
        },
    })
}

/// The top accounts, as the table and JSON show them.
fn summary(args: &RankArgs, algo: Centrality, r: &Ranked) -> RankSummary {
    let top = top_scores(&r.result.scores, args.top);
    RankSummary {
        kernel: algo.name().to_string(),
        layers: r
            .layers
            .iter()
            .map(|&(l, weight)| LayerWeight {
                layer: l.as_str().to_string(),
                weight,
            })
            .collect(),
        nodes: r.network.num_nodes() as u64,
        edges: r.edges,
        iterations: r.result.iterations,
        residual: r.result.residual,
        converged: r.result.converged,
        method: r.result.method.map(str::to_string),
        timings_ms: r.timings,
        top: ranked(&r.dataset, &r.network, &top),
    }
}

/// Runs `rank` and writes its output.
pub fn run(args: &RankArgs) -> Result<(), Error> {
    if args.all_signals.all_signals {
        return crate::graph_scores::run_all_signals(args);
    }
    let (algo, options) = centrality_options(args)?;
    let r = local(args, algo, options)?;
    if !r.result.converged {
        eprintln!(
            "portevoix: warning: {algo} did not converge in {} iterations (residual {:.3e}); raise --max-iterations",
            r.result.iterations, r.result.residual
        );
    }
    match &args.out {
        Some(path) => write_csv(path, &r),
        None => crate::emit(&summary(args, algo, &r), args.json, |s| {
            portevoix_report::rank::render_table(s)
        }),
    }
}

/// Writes every account's score to `path` (`-`: standard output).
fn write_csv(path: &Path, r: &Ranked) -> Result<(), Error> {
    let rows = network_scores(&r.network, &r.result.scores);
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        write_scores_csv(rows, &mut bytes).map_err(|e| Error::io("-", e))?;
        return crate::write_stdout(&bytes);
    }
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = std::io::BufWriter::new(file);
    write_scores_csv(rows, &mut w).map_err(|e| Error::io(path, e))?;
    std::io::Write::flush(&mut w).map_err(|e| Error::io(path, e))
}
