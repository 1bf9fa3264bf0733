//! `discover` end to end and by stage, on the airline tweets (8,666 posts,
//! text, sentiment toward the brand) and the Higgs activity log (563,069
//! timed retweets, mentions and replies among 304,691 accounts, no text).
//!
//! Criterion groups:
//!
//! - `discover/airline/end_to_end`: read the CSV, build the engine (network,
//!   corpus, authenticity), score, classify and explain every candidate of
//!   `examples/campaigns/airline.toml`;
//! - `discover/airline/campaign`: the same campaign on an engine built once
//!   (what a service that keeps the engine pays per campaign);
//! - `discover/higgs/end_to_end` and `discover/higgs/campaign`: the same on
//!   the whole Higgs log with `examples/campaigns/higgs.toml`, explaining the
//!   top 100 (the CLI's table shows 25).
//!
//! The per-stage breakdown (read, build, context, signals, communities,
//! scores, classes, explanations) comes from `portevoix discover --timings`;
//! `benches/discover_stages.py` runs it several times and writes the medians
//! that BENCHMARKS.md quotes.
//!
//! Run with `cargo bench --bench discover`.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use portevoix::graph::BuildOptions;
use portevoix::ingest::{FormatKind, ReadOptions, load};
use portevoix::score::campaign::Campaign;
use portevoix::score::discover::{DiscoverOptions, discover};
use portevoix::score::engine::Engine;
use portevoix::text::analysis::Analyzer;
use portevoix_testdata::shared_dataset;

fn campaign(name: &str) -> Campaign {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/campaigns")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("campaign file");
    Campaign::from_toml_str(&text, &path.display().to_string()).expect("campaign")
}

fn engine(path: &Path, format: FormatKind) -> Engine {
    let dataset = load(&[(path, Some(format))], &ReadOptions::default()).expect("data");
    Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).expect("engine")
}

fn bench_case(
    c: &mut Criterion,
    name: &str,
    path: PathBuf,
    format: FormatKind,
    campaign: &Campaign,
    top: Option<usize>,
) {
    let mut group = c.benchmark_group(format!("discover/{name}"));
    group.sample_size(10);
    let options = || DiscoverOptions {
        top,
        ..DiscoverOptions::default()
    };
    group.bench_function("end_to_end", |b| {
        b.iter(|| {
            let e = engine(&path, format);
            black_box(discover(&e, campaign, &options()).expect("discover"))
        })
    });
    let e = engine(&path, format);
    group.bench_function("campaign", |b| {
        b.iter(|| black_box(discover(&e, campaign, &options()).expect("discover")))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_case(
        c,
        "airline",
        shared_dataset("airline-sentiment/tweets.csv"),
        FormatKind::PostsCsv,
        &campaign("airline.toml"),
        None,
    );
    bench_case(
        c,
        "higgs",
        shared_dataset("higgs-twitter/higgs-activity_time.txt.gz"),
        FormatKind::Higgs,
        &campaign("higgs.toml"),
        Some(100),
    );
}

criterion_group!(discover_benches, benches);
criterion_main!(discover_benches);
