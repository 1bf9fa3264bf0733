//! `portevoix topics`: a community's topics (tags, or hashtags elsewhere)
//! with their volume over time, top contextual people and suggested
//! keywords. Loads the inputs as `discover` does, builds the engine once,
//! calls `portevoix_score::topics` and writes a table or JSON Lines.

use crate::input::{GraphArgs, InputArgs};
use portevoix_core::Error;
use portevoix_report::topics::{render_table, write_jsonl};
use portevoix_score::engine::Engine;
use portevoix_score::topics::{Period, TopicsOptions, topics};
use portevoix_text::analysis::Analyzer;
use std::path::PathBuf;

/// Arguments of `portevoix topics`.
#[derive(clap::Args)]
pub struct TopicsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Topics listed, by posts (then distinct authors, then name).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// Top contextual people listed per topic.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub people: usize,
    /// Suggested keywords listed per topic.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub keywords: usize,
    /// Period of the volume series: day, week, month, quarter or year (default: from the data's span).
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// A campaign file whose objective, weights, gates, window and lists every topic's campaign takes (its
    /// name, topic and tags are replaced by the topic's); default: the consideration objective.
    #[arg(long, value_name = "CAMPAIGN.toml")]
    pub campaign: Option<PathBuf>,
    /// JSON Lines, one row per topic, instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// Runs `topics`.
pub fn run(args: &TopicsArgs) -> Result<(), Error> {
    let period: Option<Period> = args.period.as_deref().map(str::parse).transpose()?;
    let campaign = match &args.campaign {
        Some(path) => {
            let campaign = crate::discover::read_campaign(path)?;
            // Its lists name accounts as the original data does.
            Some(match args.input.pseudonymizer()? {
                Some(p) => campaign.pseudonymized(&p),
                None => campaign,
            })
        }
        None => None,
    };
    let dataset = args.input.load(|_, _| {})?;
    let engine = Engine::new(dataset, &args.graph.build_options()?, &Analyzer::standard())?;
    let options = TopicsOptions {
        top: args.top,
        people: args.people,
        keywords: args.keywords,
        period,
        campaign,
    };
    let found = topics(&engine, &options)?;
    let mut bytes = Vec::new();
    if args.json {
        write_jsonl(&found, &mut bytes).map_err(|e| Error::output("JSON Lines", e.to_string()))?;
        for note in &found.notes {
            eprintln!("portevoix: note: {note}");
        }
    } else {
        bytes = render_table(&found).into_bytes();
    }
    match &args.out {
        Some(path) => std::fs::write(path, &bytes).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        }),
        None => crate::write_stdout(&bytes),
    }
}
