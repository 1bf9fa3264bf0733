//! `portevoix eval`: run an evaluation protocol (or all of them) and write
//! its table and `results.json`; `--all` regenerates EVALUATION.md.

use portevoix_core::{Error, Timestamp};
use portevoix_eval::protocol::{EvalOptions, ProtocolReport};
use portevoix_eval::protocols;
use portevoix_report::eval::{evaluation_markdown, protocol_json, protocol_markdown};
use std::path::PathBuf;

/// Arguments of `portevoix eval`.
#[derive(clap::Args)]
pub struct EvalArgs {
    /// The protocol: higgs-holdout, cascades, sir, trust, fraud, sentiment, manipulation or topical (Stack
    /// Exchange sites: --data takes a site folder or .7z).
    #[arg(long, required_unless_present = "all", conflicts_with = "all")]
    pub protocol: Option<String>,
    /// Run every protocol and write EVALUATION.md (see --evaluation).
    #[arg(long)]
    pub all: bool,
    /// Other files of the same format as the protocol's default data (e.g. the Twitter16 trees for
    /// cascades, Bitcoin Alpha for trust; for fraud a rating file then a label file); repeat for several.
    #[arg(long, value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Variants to compare, comma-separated (default: every built-in one).
    #[arg(long, value_delimiter = ',')]
    pub variants: Option<Vec<String>>,
    /// Write `<DIR>/<protocol>/results.json` and `table.md` here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The small version (CI): fewer runs and resamples, samples of the data.
    #[arg(long)]
    pub quick: bool,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Bootstrap resamples (default 1,000; 100 with --quick).
    #[arg(long)]
    pub resamples: Option<usize>,
    /// Where --all writes the evaluation page.
    #[arg(long, value_name = "PATH", default_value = "EVALUATION.md")]
    pub evaluation: PathBuf,
    /// The shared datasets directory holding each protocol's default data (default: $PORTEVOIX_DATASETS, else
    /// the first `shared/datasets` beside the current directory or one of its parents). Reports name data
    /// files relative to it.
    #[arg(long, value_name = "DIR")]
    pub datasets: Option<PathBuf>,
}

/// The shared datasets directory: `--datasets`, else `$PORTEVOIX_DATASETS`,
/// else the first `shared/datasets` beside the current directory or one of
/// its ancestors (a development checkout, CI). `None` when none is found:
/// the protocols then need `--data`.
fn datasets_dir(given: Option<&PathBuf>) -> Option<PathBuf> {
    if let Some(dir) = given {
        return Some(dir.clone());
    }
    if let Some(dir) = std::env::var_os("PORTEVOIX_DATASETS") {
        return Some(dir.into());
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|a| a.join("shared").join("datasets"))
        .find(|d| d.is_dir())
}

fn write(path: &PathBuf, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })
}

fn save(args: &EvalArgs, report: &ProtocolReport) -> Result<(), Error> {
    if let Some(dir) = &args.out {
        let dir = dir.join(&report.protocol);
        write(&dir.join("results.json"), &protocol_json(report))?;
        write(&dir.join("table.md"), &protocol_markdown(report, 1))?;
    }
    Ok(())
}

/// Runs `eval`; returns the text to print.
pub fn run(args: &EvalArgs) -> Result<String, Error> {
    let mut options = EvalOptions {
        seed: args.seed,
        variants: args.variants.clone(),
        data: args.data.clone(),
        datasets: datasets_dir(args.datasets.as_ref()),
        ..EvalOptions::default()
    };
    if args.quick {
        options = options.quick();
    }
    if let Some(r) = args.resamples {
        options.resamples = r;
    }
    if !args.all {
        let name = args.protocol.as_deref().unwrap_or_default();
        let report = protocols::run(name, &options)?;
        save(args, &report)?;
        return Ok(protocol_markdown(&report, 1));
    }
    if !args.data.is_empty() {
        return Err(Error::argument(
            "--data",
            "--data applies to one protocol; --all runs each on its default data",
        ));
    }
    let mut reports = Vec::new();
    for name in protocols::ALL {
        eprintln!("eval: {name}");
        let report = protocols::run(name, &options)?;
        save(args, &report)?;
        reports.push(report);
    }
    let mut command = String::from("portevoix eval --all");
    if args.quick {
        command.push_str(" --quick");
    }
    if args.seed != 42 {
        command.push_str(&format!(" --seed {}", args.seed));
    }
    if let Some(r) = args.resamples {
        command.push_str(&format!(" --resamples {r}"));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let date = Timestamp::from_secs(now).to_iso8601();
    let page = evaluation_markdown(&reports, &command, &date);
    write(&args.evaluation, &page)?;
    Ok(format!(
        "{} protocols run; {} written\n",
        reports.len(),
        args.evaluation.display()
    ))
}
