//! `rank --all-signals --engine timely`: the graph signals of `discover`
//! computed by the distributed engine ([`portevoix_dist::signals`]) into the
//! same file as the local `rank --all-signals`.
//!
//! The single-machine stage runs on process 0 before the kernels: it reads
//! the inputs and builds the engine exactly as `discover` does, to get every
//! account's authenticity (which needs posts, profiles and every layer),
//! the endorsement view's layers and the trusted seeds; the engine is
//! dropped before the distributed load. The four kernels run on every
//! process.

use crate::graph_scores::read_campaign;
use crate::rank::RankArgs;
use portevoix_core::Error;
use portevoix_dist::cluster::EXIT_LOST_PEER;
use portevoix_dist::signals::{Plan, SignalsJob, SignalsOutput, run as run_signals};
use portevoix_dist::{DistError, InputFile, Layout, Network};
use portevoix_graph::kernels::HyperBallOptions;
use portevoix_report::graph_scores_csv::write_graph_scores;
use portevoix_score::engine::authenticity::AUTHENTIC_MIN;
use portevoix_score::engine::{Engine, views};
use portevoix_score::signals::precomputed::{GRAPH_SIGNALS, GraphScores, default_seed_count};
use portevoix_score::signals::reach::PAGERANK_OPTIONS;
use portevoix_score::signals::trust::{SEED_MIN_AUTHENTICITY, propagation_options};
use portevoix_text::analysis::Analyzer;
use std::process::ExitCode;
use std::sync::Arc;

/// The plan: the engine built as `discover` builds it, reduced to what the
/// distributed kernels need.
fn plan(args: &RankArgs) -> Result<Plan, Error> {
    let campaign = args
        .all_signals
        .campaign
        .as_deref()
        .map(read_campaign)
        .transpose()?;
    let dataset = args.input.load(|_, _| {})?;
    let engine = Engine::new(dataset, &args.graph.build_options()?, &Analyzer::standard())?;
    let network = engine.network();
    let layers = views::endorsement_layers(network);
    if layers.is_empty() {
        return Err(Error::argument(
            "--engine",
            "the inputs have no endorsement, reply or mention layer (the endorsement view of a network of \
             ratings only is its positive ratings, which the distributed engine does not build): run \
             rank --all-signals with --engine local",
        ));
    }
    let seeds = campaign.map_or_else(Vec::new, |c| engine.resolve_all(&c.trusted_seeds).0);
    Ok(Plan {
        layers,
        names: network.interner().clone(),
        authenticity: engine.authenticity().score.clone(),
        trusted_seeds: seeds.iter().map(|s| network.name(*s).to_string()).collect(),
    })
}

fn job(args: &'static RankArgs) -> Result<SignalsJob, Error> {
    let format = args.input.format()?;
    let inputs = args
        .input
        .inputs
        .iter()
        .map(|p| InputFile {
            path: p.clone(),
            format,
        })
        .collect();
    let mut job = SignalsJob::new(
        inputs,
        PAGERANK_OPTIONS,
        propagation_options(),
        HyperBallOptions {
            max_hops: 2,
            ..HyperBallOptions::default()
        },
        AUTHENTIC_MIN,
        SEED_MIN_AUTHENTICITY,
        default_seed_count,
        Arc::new(move || plan(args).map_err(|e| e.to_string())),
    );
    // The local engine's PageRank may finish with its Krylov solver, which
    // reaches the tolerance where the power iteration needs more than the
    // signal's 100 sweeps (Higgs: 115): let the power iteration reach it.
    job.pagerank.max_iterations = job.pagerank.max_iterations.max(1000);
    job.block_bytes = args.dist.part_bytes.max(1);
    job.read = args.input.read_options()?;
    job.build = args.graph.build_options()?;
    Ok(job)
}

/// Process 0's part: the file, and a one-line summary on standard error.
fn finish(args: &RankArgs, out: SignalsOutput) -> Result<(), Error> {
    let Some(path) = &args.out else {
        return Err(Error::argument("--out", "--all-signals needs --out FILE"));
    };
    let n = out.plan.names.len();
    let scores = GraphScores {
        signals: GRAPH_SIGNALS
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        ids: (0..n)
            .map(|i| {
                out.plan
                    .names
                    .name(portevoix_core::NodeId(i as u32))
                    .to_string()
            })
            .collect(),
        columns: out.columns,
    };
    let mut file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    write_graph_scores(&mut file, &scores).map_err(|e| Error::io(path, e))?;
    if !out.converged {
        eprintln!("portevoix: warning: a PageRank of --all-signals did not converge");
    }
    if args.dist.stats {
        let s = |d: std::time::Duration| d.as_secs_f64();
        eprintln!(
            "{}",
            serde_json::json!({
                "accounts": n,
                "edges": out.edges.0,
                "authentic_edges": out.edges.1,
                "iterations": out.iterations,
                "engine_s": s(out.times[0]),
                "load_s": s(out.times[1]),
                "kernels_s": s(out.times[2]),
                "gather_s": s(out.times[3]),
            })
        );
    }
    Ok(())
}

fn fail(e: impl std::fmt::Display, process: usize, code: u8) -> ExitCode {
    eprintln!("portevoix: process {process}: error: {e}");
    ExitCode::from(code)
}

/// Runs `rank --all-signals --engine timely` as this process of `layout`.
pub fn run(args: &'static RankArgs, layout: &Layout, network: Network, process: usize) -> ExitCode {
    let job = match job(args) {
        Ok(j) => j,
        Err(e) => return fail(e, process, 2),
    };
    match run_signals(layout, network, &job) {
        Ok(Some(out)) => match finish(args, out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e, process, 2),
        },
        Ok(None) => ExitCode::SUCCESS,
        Err(e @ DistError::LostPeer { .. }) => fail(e, process, EXIT_LOST_PEER as u8),
        Err(e) => fail(e, process, 2),
    }
}
