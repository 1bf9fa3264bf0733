//! `portevoix plan`: a campaign's portfolio. Loads the inputs, builds the
//! engine, runs the library's `Planner` (discover, gates, audience, IMM or
//! coverage, comparison with the top k, independent check) and writes the
//! plan as JSON Lines (the contract), a table or an HTML page.

use crate::input::{GraphArgs, InputArgs};
use indicatif::{ProgressBar, ProgressStyle};
use portevoix_core::Error;
use portevoix_report::plan::{PlanFormat, write_plan};
use portevoix_score::campaign::Campaign;
use portevoix_score::engine::Engine;
use portevoix_score::plan::{
    PlanModel, PlanOptions, Planner, RateEstimator, parse_audience_list, parse_price_list,
};
use portevoix_text::analysis::Analyzer;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Arguments of `portevoix plan`.
#[derive(clap::Args)]
pub struct PlanArgs {
    /// The campaign file (TOML; see docs/campaign-format.md and examples/campaigns/).
    #[arg(long, value_name = "CAMPAIGN.toml")]
    pub campaign: PathBuf,
    /// People to choose (with --budget: at most this many).
    #[arg(long, value_name = "K")]
    pub k: usize,
    /// Total cost allowed: the cost-effective lazy greedy against the best single pick.
    #[arg(long, value_name = "B")]
    pub budget: Option<f64>,
    /// Price list, CSV `id,cost` (ids or @handles); accounts not listed cost their tier price
    /// (1, 4, 16, 64 for fewer than 10, 10-99, 100-999, 1,000+ accounts in one hop).
    #[arg(long, value_name = "FILE")]
    pub costs: Option<PathBuf>,
    /// Spreading model: ic (independent cascade), lt (linear threshold), coverage (unique 2-hop audience).
    #[arg(long, default_value = "ic", value_name = "ic|lt|coverage")]
    pub model: String,
    /// The target audience, one id or @handle per line (default: the accounts relevant to the campaign's
    /// topic, or everyone when the data has no text).
    #[arg(long, value_name = "FILE")]
    pub audience: Option<PathBuf>,
    /// Write the plan here (`-`: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Edge probabilities: wc (weighted cascade, 1/in-degree), fitted (re-shares per exposure, from times),
    /// constant:P.
    #[arg(long, default_value = "wc", value_name = "wc|fitted|constant:P")]
    pub rates: String,
    /// IMM's epsilon: the plan reaches at least (1 - 1/e - epsilon) of the best set's expected reach.
    #[arg(long, default_value_t = 0.1)]
    pub epsilon: f64,
    /// IMM's confidence exponent: the guarantee holds with probability 1 - n^-ell.
    #[arg(long, default_value_t = 1.0)]
    pub ell: f64,
    /// Seed of the sampled sets (the independent check uses another).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Monte Carlo worlds of the independent check of the plan and of the top k (0: none).
    #[arg(long, default_value_t = 10_000)]
    pub check_runs: usize,
    /// Hops of the coverage model (1 or 2).
    #[arg(long, default_value_t = 2)]
    pub hops: u8,
    /// Memory cap of the sampled sets, in MiB: beyond it IMM keeps what fits and states a larger epsilon.
    #[arg(long, default_value_t = 2048)]
    pub max_rr_mib: usize,
    /// Report format: jsonl (one row per person, then a summary row), table or html.
    #[arg(long, default_value = "jsonl", value_name = "FMT")]
    pub report: String,
    /// Print the time of every stage on standard error.
    #[arg(long)]
    pub timings: bool,
}

fn read_text(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::io(path, source))
}

fn options(args: &PlanArgs) -> Result<PlanOptions, Error> {
    Ok(PlanOptions {
        k: args.k,
        budget: args.budget,
        model: args.model.parse::<PlanModel>()?,
        rates: args.rates.parse::<RateEstimator>()?,
        coverage_hops: args.hops,
        epsilon: args.epsilon,
        ell: args.ell,
        seed: args.seed,
        max_rr_bytes: args.max_rr_mib.saturating_mul(1 << 20),
        check_runs: args.check_runs,
    })
}

/// Runs `plan`.
pub fn run(args: &PlanArgs) -> Result<(), Error> {
    let format: PlanFormat = args
        .report
        .parse()
        .map_err(|e: String| Error::argument("--report", e))?;
    let options = options(args)?;
    let campaign_text = read_text(&args.campaign)?;
    let campaign = Campaign::from_toml_str(&campaign_text, &args.campaign.display().to_string())?;
    let audience = match &args.audience {
        Some(p) => Some(parse_audience_list(
            &read_text(p)?,
            &p.display().to_string(),
        )?),
        None => None,
    };
    let prices = match &args.costs {
        Some(p) => Some(parse_price_list(&read_text(p)?, &p.display().to_string())?),
        None => None,
    };
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    let start = Instant::now();
    let dataset = args.input.load(|_, path| {
        bar.set_message(format!("reading {}", path.display()));
    })?;
    let read = start.elapsed().as_secs_f64();
    bar.set_message("building the network");
    let engine = Engine::new(dataset, &args.graph.build_options()?, &Analyzer::standard())?;
    let built = start.elapsed().as_secs_f64() - read;
    let progress = bar.clone();
    let planner = Planner::with_progress(
        &engine,
        &campaign,
        audience.as_deref(),
        Some(Arc::new(move |stage: &str| {
            progress.set_message(format!("discover: {stage}"));
        })),
    )?;
    bar.set_message(format!("choosing {} people", args.k));
    let price_name = args.costs.as_ref().map(|p| p.display().to_string());
    let mut plan =
        planner.plan_with_prices(&options, price_name.as_deref().zip(prices.as_deref()))?;
    plan.summary.timings.insert(0, ("read".into(), read));
    plan.summary.timings.insert(1, ("build".into(), built));
    let mut bytes = Vec::new();
    write_plan(&plan, format, &mut bytes)
        .map_err(|e| Error::output(format.name(), e.to_string()))?;
    bar.finish_and_clear();
    if args.out.as_os_str() == "-" {
        crate::write_stdout(&bytes)?;
    } else {
        std::fs::write(&args.out, &bytes).map_err(|source| Error::io(&args.out, source))?;
    }
    if args.timings {
        let mut line = String::from("timings (s):");
        for (stage, secs) in &plan.summary.timings {
            line.push_str(&format!(" {stage} {secs:.3},"));
        }
        line.push_str(&format!(" total {:.3}", start.elapsed().as_secs_f64()));
        eprintln!("{line}");
    }
    Ok(())
}
