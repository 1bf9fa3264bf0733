//! `portevoix discover`: the main job. Loads the inputs, builds the engine
//! once, scores, classifies and explains the campaign's candidates, and
//! writes one report.

use crate::input::{GraphArgs, InputArgs};
use indicatif::{ProgressBar, ProgressStyle};
use portevoix_core::Error;
use portevoix_report::discover::{ReportFormat, write_report};
use portevoix_score::campaign::Campaign;
use portevoix_score::discover::{DiscoverOptions, discover};
use portevoix_score::engine::Engine;
use portevoix_text::analysis::Analyzer;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Arguments of `portevoix discover`.
#[derive(clap::Args)]
pub struct DiscoverArgs {
    /// The campaign file (TOML; see docs/campaign-format.md and examples/campaigns/).
    #[arg(long, value_name = "CAMPAIGN.toml")]
    pub campaign: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Report format: table, jsonl, csv, md, html or gexf.
    #[arg(long, default_value = "table", value_name = "FMT")]
    pub report: String,
    /// Accounts reported, best first (default: 25 for table and md, 500 rows
    /// for html, whose class charts still see every candidate; every
    /// candidate for jsonl, csv and gexf).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Evidence items of each kind per account.
    #[arg(long, default_value_t = 5)]
    pub evidence: usize,
    /// Read the graph signals (reach.pagerank, reach.authentic_pagerank, reach.hop2, trust.trustrank) from this
    /// file, written by `rank --all-signals` on the same inputs, instead of computing them.
    #[arg(long, value_name = "FILE")]
    pub graph_scores: Option<PathBuf>,
    /// Print the time of every stage on standard error.
    #[arg(long)]
    pub timings: bool,
}

fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Reads a campaign file and, when its `[brand] stance_examples` names a
/// file (relative to the campaign file), adapts the stance model to it;
/// with `stance_engine = "encoder"`, loads the encoder of `[brand] encoder`
/// ([`load_stance_encoder`]).
///
/// # Errors
/// An unreadable or invalid campaign or examples file, or encoder directory.
pub fn read_campaign(path: &std::path::Path) -> Result<Campaign, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut campaign = Campaign::from_toml_str(&text, &path.display().to_string())?;
    load_stance_encoder(&mut campaign, path)?;
    if let Some(file) = campaign.brand.stance_examples.clone() {
        let examples = path.parent().unwrap_or(std::path::Path::new("")).join(file);
        let bytes = std::fs::read(&examples).map_err(|source| Error::Io {
            path: examples.clone(),
            source,
        })?;
        campaign.adapt_stance(&bytes, &examples.display().to_string())?;
    }
    Ok(campaign)
}

/// With `stance_engine = "encoder"`, reads the encoder directory `[brand]
/// encoder` (relative to the campaign file at `path`) and sets it; nothing
/// otherwise (a build without the `encoder` feature has refused the engine
/// when the campaign was read).
///
/// # Errors
/// A missing or damaged model directory, named with the key.
pub fn load_stance_encoder(campaign: &mut Campaign, path: &std::path::Path) -> Result<(), Error> {
    #[cfg(feature = "encoder")]
    if campaign.brand.stance_engine == portevoix_score::campaign::StanceEngine::Encoder
        && let Some(dir) = campaign.brand.encoder.clone()
    {
        let dir = path.parent().unwrap_or(std::path::Path::new("")).join(dir);
        let files = crate::encoder::read_files(&dir).map_err(|e| match e {
            Error::Argument { reason, .. } => Error::config(
                Some("brand.encoder"),
                None,
                format!("{}: [brand] encoder: {reason}", path.display()),
            ),
            other => other,
        })?;
        campaign.set_stance_encoder(&dir, files)?;
    }
    #[cfg(not(feature = "encoder"))]
    let _ = (campaign, path);
    Ok(())
}

/// Runs `discover`: returns the discovery and the stage timings of the load.
pub fn run(args: &DiscoverArgs) -> Result<(), Error> {
    let format: ReportFormat = args
        .report
        .parse()
        .map_err(|e| Error::argument("--report", format!("--report: {e}")))?;
    let campaign = read_campaign(&args.campaign)?;
    // Its lists name accounts as the original data does: hashed like the
    // data under --pseudonymize, or the brand is not found and ranked.
    let campaign = match args.input.pseudonymizer()? {
        Some(p) => campaign.pseudonymized(&p),
        None => campaign,
    };
    let bar = spinner();
    let start = Instant::now();
    let dataset = args.input.load(|_, path| {
        bar.set_message(format!("reading {}", path.display()));
    })?;
    let read = start.elapsed().as_secs_f64();
    bar.set_message("building the network and analysing the posts");
    let engine = Engine::new(dataset, &args.graph.build_options()?, &Analyzer::standard())?;
    let built = start.elapsed().as_secs_f64() - read;
    let top = args.top.or(match format {
        ReportFormat::Table | ReportFormat::Markdown => Some(25),
        _ => None,
    });
    // The HTML page's class charts pick the best of each class among every
    // candidate; its table and scatter show the first rows only.
    let (discover_top, write_top) = match format {
        ReportFormat::Html => (None, args.top.or(Some(500))),
        _ => (top, top),
    };
    let progress = bar.clone();
    let options = DiscoverOptions {
        top: discover_top,
        evidence: args.evidence,
        on_stage: Some(std::sync::Arc::new(move |stage: &str| {
            progress.set_message(format!("discover: {stage}"));
        })),
        ..DiscoverOptions::default()
    };
    let options = match &args.graph_scores {
        Some(path) => crate::graph_scores::with_graph_scores(path, &engine, options)?,
        None => options,
    };
    let mut discovery = discover(&engine, &campaign, &options)?;
    discovery.timings.insert(0, ("read".into(), read));
    discovery.timings.insert(1, ("build".into(), built));
    bar.set_message("writing the report");
    let written = Instant::now();
    let mut bytes = Vec::new();
    write_report(&engine, &discovery, format, write_top, &mut bytes)
        .map_err(|e| Error::output(format.name(), e.to_string()))?;
    match &args.out {
        Some(path) => std::fs::write(path, &bytes).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?,
        None => crate::write_stdout(&bytes)?,
    }
    bar.finish_and_clear();
    if args.timings {
        let mut line = String::from("timings (s):");
        for (stage, secs) in &discovery.timings {
            line.push_str(&format!(" {stage} {secs:.3},"));
        }
        line.push_str(&format!(
            " report {:.3}, total {:.3}",
            written.elapsed().as_secs_f64(),
            start.elapsed().as_secs_f64()
        ));
        eprintln!("{line}");
    }
    Ok(())
}
