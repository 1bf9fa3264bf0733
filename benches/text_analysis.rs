//! Throughput of text analysis (segmentation, language detection, stop
//! words, stemming) over all the post text of the shared datasets:
//! airline-sentiment tweets (English), fr-media tweets (French,
//! `twitter-tweets.json` and `fusion.json`) and the twitter-api-v2 pages.
//!
//! Reported as bytes of input text per second (criterion
//! `Throughput::Bytes`), single-threaded, and with rayon over posts on two
//! threads ([`Analyzer::analyze_par`] in rayon's global pool, which the
//! bench sizes to two threads unless `RAYON_NUM_THREADS` says otherwise).
//!
//! Before the criterion groups, the bench prints the per-core throughput in
//! CPU time (best of five passes, from `/proc/thread-self/schedstat`), which
//! other processes on a busy machine do not skew, for the standard analyser
//! and an English + French one, with cold and warm per-thread memo tables.
//!
//! Run with `cargo bench --bench text_analysis`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use portevoix::text::analysis::{Analyzer, Language, SocialTokenizer, Tokenizer, detect_language};
use portevoix_testdata::shared_dataset;

/// The `text` column of the airline tweets.
fn airline_texts(path: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).expect("airline tweets");
    let headers = reader.headers().expect("header").clone();
    let column = headers
        .iter()
        .position(|h| h == "text")
        .expect("text column");
    reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| r.get(column).map(str::to_string))
        .collect()
}

/// Every `text` of an object that also has an `id` (tweets in Twitter API v2
/// pages, fr-media dumps keyed by author), in document order.
fn collect_tweet_texts(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let (Some(serde_json::Value::String(text)), Some(_)) =
                (map.get("text"), map.get("id"))
            {
                out.push(text.clone());
            }
            for v in map.values() {
                collect_tweet_texts(v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                collect_tweet_texts(v, out);
            }
        }
        _ => {}
    }
}

fn json_texts(path: &Path) -> Vec<String> {
    let data = std::fs::read_to_string(path).expect("json dataset");
    let mut out = Vec::new();
    // One document, or JSON Lines.
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&data) {
        collect_tweet_texts(&value, &mut out);
    } else {
        for line in data.lines() {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(line) {
                collect_tweet_texts(&value, &mut out);
            }
        }
    }
    out
}

/// All post texts: (English airline, French media, Twitter API v2 pages).
fn load_texts() -> (Vec<String>, Vec<String>, Vec<String>) {
    let airline = airline_texts(&shared_dataset("airline-sentiment/tweets.csv"));
    let mut french = json_texts(&shared_dataset("fr-media/twitter-tweets.json"));
    french.extend(json_texts(&shared_dataset("fr-media/fusion.json")));
    let dir = shared_dataset("twitter-api-v2");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .expect("twitter-api-v2")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl" || e == "json"))
        .collect();
    pages.sort();
    let mut api = Vec::new();
    for page in pages {
        api.extend(json_texts(&page));
    }
    (airline, french, api)
}

fn bytes(texts: &[String]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}

fn analyse_all(analyzer: &Analyzer, texts: &[String]) -> usize {
    texts.iter().map(|t| analyzer.analyze(t).tokens.len()).sum()
}

/// CPU time of the calling thread in nanoseconds (Linux
/// `/proc/thread-self/schedstat`), `None` elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Throughput per core measured in CPU time rather than wall-clock time, so
/// that other processes on the machine do not skew it: `passes` passes over
/// `texts`, each on a fresh thread when `cold` (empty per-thread memo
/// tables), in MB (10^6 bytes) per CPU-second.
fn cpu_throughput(analyzer: &Analyzer, texts: &[String], passes: usize, cold: bool) -> Option<f64> {
    let run = || -> Option<u64> {
        let start = thread_cpu_ns()?;
        black_box(analyse_all(analyzer, texts));
        Some(thread_cpu_ns()? - start)
    };
    let mut best = u64::MAX;
    for _ in 0..passes {
        let ns = if cold {
            std::thread::scope(|scope| scope.spawn(run).join().ok()?)?
        } else {
            run()?
        };
        best = best.min(ns);
    }
    Some(bytes(texts) as f64 / 1e6 / (best as f64 / 1e9))
}

fn bench_text_analysis(c: &mut Criterion) {
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        // SAFETY: single-threaded at this point; rayon's global pool is not
        // built yet and reads the variable when it is.
        unsafe { std::env::set_var("RAYON_NUM_THREADS", "2") };
    }
    let (airline, french, api) = load_texts();
    let mut all = Vec::with_capacity(airline.len() + french.len() + api.len());
    all.extend(airline.iter().cloned());
    all.extend(french.iter().cloned());
    all.extend(api.iter().cloned());
    eprintln!(
        "text_analysis: {} posts, {:.2} MB (airline {} posts {:.2} MB, fr-media {} posts {:.2} MB, twitter-api-v2 {} posts {:.2} MB)",
        all.len(),
        bytes(&all) as f64 / 1e6,
        airline.len(),
        bytes(&airline) as f64 / 1e6,
        french.len(),
        bytes(&french) as f64 / 1e6,
        api.len(),
        bytes(&api) as f64 / 1e6,
    );

    let standard = Analyzer::standard();
    let en_fr = Analyzer::builder("en_fr")
        .languages(&[Language::English, Language::French])
        .build();

    // Per-core throughput in CPU time (best of 5 passes), robust to a busy
    // machine; criterion's figures below are wall-clock.
    for (name, analyzer, cold) in [
        ("standard, cold memo tables", &standard, true),
        ("standard, warm", &standard, false),
        ("en_fr, cold memo tables", &en_fr, true),
        ("en_fr, warm", &en_fr, false),
    ] {
        if let Some(mbps) = cpu_throughput(analyzer, &all, 5, cold) {
            eprintln!("text_analysis CPU time, 1 thread, {name}: {mbps:.1} MB/s per core");
        }
    }

    let mut group = c.benchmark_group("text_analysis");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes(&all)));

    group.bench_function("standard_1_thread", |b| {
        b.iter(|| black_box(analyse_all(&standard, &all)))
    });
    // Each iteration on a fresh thread: the per-thread memo tables (stems,
    // whatlang results) start empty, as for a first pass over a corpus.
    group.bench_function("standard_1_thread_cold_caches", |b| {
        b.iter(|| {
            std::thread::scope(|scope| {
                scope
                    .spawn(|| black_box(analyse_all(&standard, &all)))
                    .join()
                    .expect("analysis thread")
            })
        })
    });
    group.bench_function("en_fr_1_thread", |b| {
        b.iter(|| black_box(analyse_all(&en_fr, &all)))
    });
    // rayon over posts, in rayon's global pool: two threads (set below when
    // RAYON_NUM_THREADS is not given, and the machine's core count anyway).
    group.bench_function("standard_rayon_2_threads", |b| {
        b.iter(|| {
            black_box(
                standard
                    .analyze_par(&all)
                    .iter()
                    .map(|a| a.tokens.len())
                    .sum::<usize>(),
            )
        })
    });
    // The stages alone, to see where the time goes.
    group.bench_function("stage_tokenize_1_thread", |b| {
        let tokenizer = SocialTokenizer::new();
        let mut tokens = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for t in &all {
                tokens.clear();
                tokenizer.tokenize(t, &mut tokens);
                n += tokens.len();
            }
            black_box(n)
        })
    });
    group.bench_function("stage_detect_all_languages_1_thread", |b| {
        b.iter(|| {
            black_box(
                all.iter()
                    .filter(|t| detect_language(t, &[]).is_some())
                    .count(),
            )
        })
    });
    group.bench_function("stage_known_language_1_thread", |b| {
        // Language given by the caller: no detection.
        b.iter(|| {
            black_box(
                airline
                    .iter()
                    .map(|t| standard.analyze_in(t, Some(Language::English)).tokens.len())
                    .chain(
                        french
                            .iter()
                            .chain(api.iter())
                            .map(|t| standard.analyze_in(t, Some(Language::French)).tokens.len()),
                    )
                    .sum::<usize>(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench_text_analysis);
criterion_main!(benches);
