//! Reader benchmarks: bytes already in memory (decompressed), so the numbers
//! are parsing, validation and interning alone, per format, on the real
//! shared datasets.
//!
//! ```text
//! cargo bench --bench ingest_parse
//! ```

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use flate2::read::MultiGzDecoder;
use portevoix::ingest::{FormatKind, ReadOptions, load_bytes};
use portevoix_testdata::datasets_dir;
use std::hint::black_box;
use std::io::Read;
use std::time::Duration;

/// The decompressed bytes of a shared dataset file.
fn bytes(relative: &str) -> Option<Vec<u8>> {
    let raw = std::fs::read(datasets_dir()?.join(relative)).ok()?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    } else {
        Some(raw)
    }
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("ingest_parse");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    let cases = [
        (
            "slashdot_edgelist",
            "slashdot-zoo/soc-Slashdot0902.txt.gz",
            FormatKind::EdgeList,
        ),
        (
            "epinions_signed",
            "epinions-signed/soc-sign-epinions.txt.gz",
            FormatKind::Signed,
        ),
        (
            "higgs_activity",
            "higgs-twitter/higgs-activity_time.txt.gz",
            FormatKind::Higgs,
        ),
        (
            "twitter_v2_2sets",
            "twitter-api-v2/2sets.jsonl",
            FormatKind::TwitterV2,
        ),
        (
            "fr_media_fusion",
            "fr-media/fusion.json",
            FormatKind::TwitterV2,
        ),
        (
            "airline_posts_csv",
            "airline-sentiment/tweets.csv",
            FormatKind::PostsCsv,
        ),
    ];
    let options = ReadOptions::default();
    for (name, file, format) in cases {
        let Some(data) = bytes(file) else {
            eprintln!("{file} not found (set PORTEVOIX_DATASETS), skipped");
            continue;
        };
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| black_box(load_bytes(name, data.clone(), format, &options).expect("valid")))
        });
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
