//! `portevoix`: the command-line tool of Porte-voix.
//!
//! The binary only parses arguments and wires library calls together: every
//! behaviour it has is a library function that services can call too.

#[cfg(feature = "timely")]
mod all_signals_timely;
mod communities;
mod discover;
#[cfg(feature = "encoder")]
mod encoder;
mod eval;
mod graph_scores;
mod input;
mod paths;
mod plan;
mod rank;
#[cfg(feature = "timely")]
mod rank_timely;
mod spread;
mod text;
mod topics;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use portevoix_graph::Network;
use portevoix_report::inspect::{Timings, render_table, summarize};
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "portevoix",
    version,
    about = "Influencer discovery and contextual influence scoring on exported social-network data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find the people who matter for a campaign: score every candidate on reach, resonance, relevance, trust
    /// and brand affinity, explain the scores, classify (macro, micro, ambassadors, detractors, pyramid level)
    /// and write a report (table, jsonl, csv, md, html, gexf).
    Discover(discover::DiscoverArgs),
    /// Compare scoring variants against real ground truth the scores never saw (Higgs temporal holdout,
    /// Twitter15 cascades, SIR spreading, held-out trust ratings, sentiment labels, injected manipulation);
    /// `--all` regenerates EVALUATION.md.
    Eval(eval::EvalArgs),
    /// Load inputs into a multi-layer network and describe it: per layer nodes, edges, self-loops and
    /// duplicates, degree distributions, reciprocity, time span, top accounts, and the load diagnostics.
    Inspect(InspectArgs),
    /// Run one centrality (PageRank, personalised PageRank, LeaderRank, HITS, Katz, cores, in-degree, HyperBall
    /// reach) on the network built from the inputs: every account's score as CSV `id,score` (--out FILE), or
    /// the top accounts with iterations, residual and timings.
    Rank(rank::RankArgs),
    /// Communities (Leiden or label propagation) on the undirected weighted view: modularity, number of
    /// communities and the largest ones.
    Communities(communities::CommunitiesArgs),
    /// Monte Carlo SIR or independent cascade from seed accounts: outbreak size distribution and the
    /// epidemic threshold.
    Spread(spread::SpreadArgs),
    /// Score every account's posts and bio against a campaign topic (BM25, on-topic share, reactions,
    /// keyword diversity, recency) and list the most relevant accounts with the posts and terms behind them.
    Analyze(text::AnalyzeArgs),
    /// VADER sentiment (English or French lexicon) per post, optionally toward a target such as a brand;
    /// `-` alone reads one text per line from standard input and writes one JSON object per line.
    Sentiment(text::SentimentArgs),
    /// The k strongest influence paths from the brand's accounts (campaign `[brand] handles`), its employees
    /// (--via-employees) or chosen accounts (--from) to each person to reach (--to), over the layers that
    /// carry a message (follow, repost, quote, reply, mention), each tie with its interactions.
    Paths(paths::PathsArgs),
    /// Choose a campaign's portfolio: the k people (or those within a budget) who together reach the most of
    /// the campaign's audience, counting overlap (IMM or coverage), each with what they add and why, against
    /// the top k of discover; JSON Lines, table or HTML.
    Plan(plan::PlanArgs),
    /// A community's topics (Stack Exchange tags, or hashtags elsewhere) by volume: posts and authors per
    /// period with the trend, the top contextual people of each (a tag or hashtag campaign scored by discover)
    /// and suggested keywords (tf-idf of the topic's posts); a table, or JSON Lines with --json.
    Topics(topics::TopicsArgs),
}

#[derive(clap::Args)]
struct InspectArgs {
    #[command(flatten)]
    input: input::InputArgs,
    #[command(flatten)]
    graph: input::GraphArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Length of each layer's top-accounts list.
    #[arg(long, default_value_t = 10)]
    top: usize,
}

/// A progress bar on standard error over the inputs, then over the build;
/// indicatif draws nothing when standard error is not a terminal, so pipes,
/// files and CI stay quiet.
fn progress(inputs: usize) -> ProgressBar {
    let bar = ProgressBar::new(inputs as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg} {elapsed}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn inspect(args: &InspectArgs) -> Result<(), portevoix_core::Error> {
    let start = Instant::now();
    let bar = progress(args.input.inputs.len());
    let mut dataset = args.input.load_graph_only(|index, path| {
        bar.set_position(index as u64);
        bar.set_message(format!("reading {}", path.display()));
    })?;
    let parsed = start.elapsed();
    bar.set_position(args.input.inputs.len() as u64);
    bar.set_message("building the network");
    let interner = std::mem::take(&mut dataset.interner);
    let network = Network::build(
        &dataset.interactions,
        interner,
        &args.graph.build_options()?,
    )?;
    let total = start.elapsed();
    bar.finish_and_clear();
    let timings = Timings {
        parse: parsed.as_secs_f64() * 1e3,
        build: (total - parsed).as_secs_f64() * 1e3,
        total: total.as_secs_f64() * 1e3,
    };
    let summary = summarize(&dataset, &network, args.top, timings);
    emit(&summary, args.json, render_table)
}

/// Writes `value` to standard output as pretty JSON (`json`) or as the
/// table `table` renders: the one output path of the commands that offer
/// both.
pub(crate) fn emit<T: serde::Serialize>(
    value: &T,
    json: bool,
    table: impl FnOnce(&T) -> String,
) -> Result<(), portevoix_core::Error> {
    let text = if json {
        serde_json::to_string_pretty(value)
            .map_err(|e| portevoix_core::Error::output("JSON", e.to_string()))?
            + "\n"
    } else {
        table(value)
    };
    write_stdout(text.as_bytes())
}

/// Writes to standard output; a closed pipe (`portevoix ... | head`) is not an error.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), portevoix_core::Error> {
    match std::io::stdout().lock().write_all(bytes) {
        // A closed pipe (`portevoix inspect ... | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(portevoix_core::Error::Io {
            path: "standard output".into(),
            source,
        }),
        Ok(()) => Ok(()),
    }
}

fn main() -> ExitCode {
    // 'static: the distributed engine's workers read the arguments.
    let cli: &'static Cli = Box::leak(Box::new(Cli::parse()));
    #[cfg(feature = "timely")]
    if let Command::Rank(args) = &cli.command
        && args.dist.is_timely()
    {
        return rank_timely::main(args);
    }
    let result = match &cli.command {
        Command::Discover(args) => discover::run(args),
        Command::Eval(args) => eval::run(args).and_then(|t| write_stdout(t.as_bytes())),
        Command::Inspect(args) => inspect(args),
        Command::Rank(args) => rank::run(args),
        Command::Communities(args) => communities::run(args)
            .and_then(|s| emit(&s, args.json, portevoix_report::communities::render_table)),
        Command::Spread(args) => spread::run(args)
            .and_then(|s| emit(&s, args.json, portevoix_report::spread::render_table)),
        Command::Analyze(args) => text::analyze(args),
        Command::Sentiment(args) => text::sentiment(args).and_then(|t| match t {
            Some(t) => write_stdout(t.as_bytes()),
            None => Ok(()),
        }),
        Command::Paths(args) => paths::run(args)
            .and_then(|r| emit(&r, args.json, portevoix_report::paths::render_table)),
        Command::Plan(args) => plan::run(args),
        Command::Topics(args) => topics::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portevoix: error: {e}");
            ExitCode::from(2)
        }
    }
}
