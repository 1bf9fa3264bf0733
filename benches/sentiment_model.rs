//! Throughput of the learned sentiment model (features from the social
//! analyser, VADER's scores among them, and the classifier) on the airline
//! tweets, English model, one thread: bytes of tweet text per second
//! (criterion `Throughput::Bytes`), for the whole tweet and toward the
//! tweet's airline (`<brand>` placeholder), beside VADER alone.
//!
//! Before the criterion groups, the bench prints the per-core throughput in
//! CPU time (best of five passes, `/proc/thread-self/schedstat`), which other
//! processes on a busy machine skew less than wall-clock time: on a fresh
//! thread (the extractor's memo of words empty, as when a corpus is scored
//! once) and warm (as in criterion's repeated iterations).
//!
//! Run with `cargo bench --bench sentiment_model`. Target (issue 11): at
//! least 20 MB/s per core.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use portevoix::eval::protocols::sentiment::airline_target;
use portevoix::text::sentiment::Vader;
use portevoix::text::sentiment::model::SentimentModel;
use portevoix_testdata::shared_dataset;

/// (text, airline) of every airline tweet.
fn tweets() -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(shared_dataset("airline-sentiment/tweets.csv"))
        .expect("airline tweets");
    let headers = reader.headers().expect("header").clone();
    let col = |n: &str| headers.iter().position(|h| h == n).expect("column");
    let (text, airline) = (col("text"), col("airline"));
    reader
        .records()
        .filter_map(Result::ok)
        .map(|r| (r[text].to_string(), r[airline].to_string()))
        .collect()
}

fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// MB of text per CPU-second, best of `passes`: (`cold`, `warm`). A cold
/// pass runs on a fresh thread, so the extractor's per-thread memo of words
/// starts empty, as when a corpus is scored once; warm passes run on this
/// thread after the first, as criterion's repeated iterations do.
fn cpu_throughput(bytes: usize, passes: usize, run: &(dyn Fn() + Sync)) -> Option<(f64, f64)> {
    let timed = || -> Option<u64> {
        let start = thread_cpu_ns()?;
        run();
        Some(thread_cpu_ns()? - start)
    };
    let mut cold = u64::MAX;
    for _ in 0..passes {
        let ns = std::thread::scope(|s| s.spawn(timed).join().ok().flatten())?;
        cold = cold.min(ns);
    }
    timed()?;
    let mut warm = u64::MAX;
    for _ in 0..passes {
        warm = warm.min(timed()?);
    }
    let mbs = |ns: u64| bytes as f64 / (ns as f64 / 1e9) / 1e6;
    Some((mbs(cold), mbs(warm)))
}

fn bench(c: &mut Criterion) {
    let data = tweets();
    let bytes: usize = data.iter().map(|(t, _)| t.len()).sum();
    let model = SentimentModel::english();
    let vader = Vader::english();
    let targets: Vec<_> = data.iter().map(|(_, a)| airline_target(a)).collect();
    let whole = || {
        for (t, _) in &data {
            black_box(model.predict(t));
        }
    };
    let toward = || {
        for ((t, _), target) in data.iter().zip(&targets) {
            black_box(model.predict_toward(t, target));
        }
    };
    let lexicon = || {
        for (t, _) in &data {
            black_box(vader.polarity_scores(t));
        }
    };
    for (name, run) in [
        ("model, whole tweet", &whole as &(dyn Fn() + Sync)),
        ("model, toward the airline", &toward),
        ("VADER alone", &lexicon),
    ] {
        if let Some((cold, warm)) = cpu_throughput(bytes, 5, run) {
            eprintln!(
                "{name}: {cold:.1} MB per CPU-second on a fresh thread, {warm:.1} warm ({} tweets, {bytes} bytes)",
                data.len()
            );
        }
    }
    let mut group = c.benchmark_group("sentiment_model");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("model_whole_tweet", |b| b.iter(whole));
    group.bench_function("model_toward_airline", |b| b.iter(toward));
    group.bench_function("vader", |b| b.iter(lexicon));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
