//! Ambassadors and detractors against people with each stance engine (feature `encoder`): the
//! airline stance-class cross-validation of `crates/portevoix-eval/tests/stance_classes.rs` (the
//! airline campaign, authors of United tweets judged by the majority of their human labels, 5-fold
//! cross-validation over authors, seed 11, thresholds chosen on the other folds), run with the
//! learned model and with the sentence encoder.
//!
//! ```text
//! scripts/fetch-encoder.sh /tmp/minilm
//! cargo run --release --features encoder --example encoder_stance -- /tmp/minilm
//! ```
//!
//! Prints a Markdown table: held-out precision and recall of ambassadors and detractors, the
//! advocacy gate, and the medians of the folds' thresholds (once measured, the encoder's
//! would become the encoder engine's defaults; until then it uses the campaign's thresholds).

use portevoix::eval::protocols::stance_classes::{cross_validate, labels_about, stance_of_authors};
use portevoix::graph::BuildOptions;
use portevoix::ingest::{FormatKind, ReadOptions, load};
use portevoix::score::Engine;
use portevoix::score::campaign::{Campaign, StanceEngine};
use portevoix::score::signals::CampaignContext;
use portevoix::text::analysis::Analyzer;
use portevoix::text::encoder::{EncoderError, EncoderFiles};
use std::path::PathBuf;
use std::time::Instant;

const CAMPAIGN: &str = include_str!("campaigns/airline.toml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: encoder_stance MODEL_DIR")?,
    );
    let tweets = portevoix_testdata::shared_dataset("airline-sentiment/tweets.csv");
    let dataset = load(
        &[(tweets.as_path(), Some(FormatKind::PostsCsv))],
        &ReadOptions::default(),
    )?;
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard())?;
    let labels = labels_about(&tweets, "United")?;
    println!(
        "| engine | authors (positive, negative) | ambassadors precision | recall | detractors precision | recall | advocacy gate: kept, mostly negative | fold medians: ambassador (mentions, P+ min, P- max), detractor (mentions, P- min), advocacy | seconds |"
    );
    println!("|---|---|---:|---:|---:|---:|---|---|---:|");
    for stance in [StanceEngine::Model, StanceEngine::Encoder] {
        let started = Instant::now();
        let mut campaign = Campaign::from_toml_str(CAMPAIGN, "examples/campaigns/airline.toml")?;
        campaign.brand.stance_engine = stance;
        if stance == StanceEngine::Encoder {
            campaign.brand.encoder = Some(dir.display().to_string());
            let files = EncoderFiles::read_with(|name| match std::fs::read(dir.join(name)) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(EncoderError::model(name, e.to_string())),
            })?;
            campaign.set_stance_encoder(&dir, files)?;
        }
        let ctx = CampaignContext::new(&engine, &campaign)?;
        let authors = stance_of_authors(&ctx, &labels);
        let cv = cross_validate(&authors, 5, 11);
        let ((am, ap, an), (dm, dn)) = cv.median;
        println!(
            "| {} | {} ({}, {}) | {:.3} | {:.3} | {:.3} | {:.3} | {}, {} | ({am}, {ap}, {an}), ({dm}, {dn}), {} | {:.1} |",
            stance.name(),
            cv.authors.0,
            cv.authors.1,
            cv.authors.2,
            cv.ambassadors.precision(),
            cv.ambassadors.recall(),
            cv.detractors.precision(),
            cv.detractors.recall(),
            cv.advocacy_kept.flagged,
            cv.advocacy_kept.correct,
            cv.advocacy_median,
            started.elapsed().as_secs_f64()
        );
        eprintln!("{stance:?}: {cv:?}");
    }
    Ok(())
}
