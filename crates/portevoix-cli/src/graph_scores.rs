//! `rank --all-signals --out scores.csv` and `discover --graph-scores FILE`:
//! the graph signals that dominate `discover`'s cost (PageRank and authentic
//! PageRank over the endorsement view, the two-hop HyperBall reach,
//! TrustRank) computed once into one CSV, which campaigns on the same data
//! read instead of running the kernels. The computation and the hook are
//! the score crate's ([`GraphScores`]); the file format is the report
//! crate's ([`portevoix_report::graph_scores_csv`]).

use crate::rank::RankArgs;
use portevoix_core::Error;
use portevoix_report::graph_scores_csv::{read_graph_scores, write_graph_scores};
use portevoix_score::campaign::Campaign;
use portevoix_score::discover::DiscoverOptions;
use portevoix_score::engine::Engine;
use portevoix_score::signals::precomputed::GraphScores;
use portevoix_text::analysis::Analyzer;
use std::path::{Path, PathBuf};

/// The `rank` flags of the graph-scores file.
#[derive(clap::Args, Debug)]
pub struct AllSignalsArgs {
    /// Compute every graph signal of `discover` (reach.pagerank, reach.authentic_pagerank, reach.hop2,
    /// trust.trustrank) on the data `discover` would read, and write them as one CSV (`id,SIGNAL,...`, one row
    /// per account) to --out, for `discover --graph-scores`.
    #[arg(
        long,
        requires = "out",
        conflicts_with_all = ["algo", "personalization", "undirected", "layers"]
    )]
    pub all_signals: bool,
    /// With --all-signals: the campaign whose trusted seeds TrustRank teleports to (without it: the default
    /// seeds, as for a campaign without `trusted_seeds`). Its other settings do not change the graph signals.
    #[arg(long, value_name = "CAMPAIGN.toml", requires = "all_signals")]
    pub campaign: Option<PathBuf>,
}

/// Reads a campaign file (and its stance encoder, with `stance_engine = "encoder"`).
///
/// # Errors
///
/// The file cannot be read, or is not a valid campaign.
pub fn read_campaign(path: &Path) -> Result<Campaign, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut campaign = Campaign::from_toml_str(&text, &path.display().to_string())?;
    crate::discover::load_stance_encoder(&mut campaign, path)?;
    Ok(campaign)
}

/// Runs `rank --all-signals` on the local engine: reads the inputs and
/// builds the engine exactly as `discover` does, computes the graph
/// signals, writes the file.
///
/// # Errors
///
/// Bad input, a bad campaign file, or the output cannot be written.
pub fn run_all_signals(args: &RankArgs) -> Result<(), Error> {
    let Some(out) = &args.out else {
        return Err(Error::argument("--out", "--all-signals needs --out FILE"));
    };
    let campaign = args
        .all_signals
        .campaign
        .as_deref()
        .map(read_campaign)
        .transpose()?;
    let dataset = args.input.load(|_, _| {})?;
    let engine = Engine::new(dataset, &args.graph.build_options()?, &Analyzer::standard())?;
    let scores = GraphScores::compute(&engine, campaign.as_ref())?;
    write(out, &scores)
}

/// Writes `scores` to `path` (`-`: standard output).
fn write(path: &Path, scores: &GraphScores) -> Result<(), Error> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        write_graph_scores(&mut bytes, scores).map_err(|e| Error::io("-", e))?;
        return crate::write_stdout(&bytes);
    }
    let mut file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    write_graph_scores(&mut file, scores).map_err(|e| Error::io(path, e))
}

/// `options` reading the graph signals from the file at `path` (`discover
/// --graph-scores`).
///
/// # Errors
///
/// The file cannot be read, is malformed, or was computed from other data
/// (an id that is no account, an account without a row).
pub fn with_graph_scores(
    path: &Path,
    engine: &Engine,
    options: DiscoverOptions,
) -> Result<DiscoverOptions, Error> {
    let source = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let scores = read_graph_scores(std::io::BufReader::with_capacity(1 << 20, file), &source)?;
    scores.apply(engine, &source, options)
}
