//! Speed and memory of the sentence encoder (feature `encoder`) on real tweets.
//!
//! ```text
//! RAYON_NUM_THREADS=1 cargo run --release --features encoder --example encoder_speed -- MODEL_DIR [BATCH ...]
//! ```
//!
//! Embeds the first 2,000 airline tweets (normalised as the stance head reads them) with each batch
//! size given (default 1 8 32 128), three timed passes after one warm-up pass, and prints per batch
//! size the median tweets per second, tokens per second and tweets per second per thread, then the
//! resident memory after loading the model and the peak (`VmRSS`, `VmHWM` of `/proc/self/status`).
//! The number of threads is rayon's (and candle's): `RAYON_NUM_THREADS`, else every core.

use portevoix::text::encoder::{EncoderError, EncoderFiles, SentenceEncoder, normalize_tweet};
use std::path::PathBuf;
use std::time::Instant;

const TWEETS: usize = 2000;
const PASSES: usize = 3;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: encoder_speed MODEL_DIR [BATCH ...]")?,
    );
    let mut batches: Vec<usize> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    if batches.is_empty() {
        batches = vec![1, 8, 32, 128];
    }
    let started = Instant::now();
    let files = EncoderFiles::read_with(|name| match std::fs::read(dir.join(name)) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(EncoderError::model(name, e.to_string())),
    })?;
    let encoder = SentenceEncoder::new(files)?;
    let load_seconds = started.elapsed().as_secs_f64();
    let loaded_rss = memory("VmRSS:");

    let path = portevoix_testdata::shared_dataset("airline-sentiment/tweets.csv");
    let mut reader = csv::Reader::from_path(&path)?;
    let text = reader
        .headers()?
        .iter()
        .position(|h| h == "text")
        .ok_or("no text column")?;
    let mut tweets = Vec::new();
    for record in reader.records().take(TWEETS) {
        tweets.push(normalize_tweet(&record?[text]));
    }
    let tokens: usize = encoder.tokenize(&tweets)?.iter().map(Vec::len).sum();
    let threads = rayon::current_num_threads();
    println!(
        "{} tweets, {tokens} tokens ({:.1} a tweet), {threads} thread(s); model loaded in {load_seconds:.2} s",
        tweets.len(),
        tokens as f64 / tweets.len() as f64
    );
    println!("| batch | tweets/s | tokens/s | tweets/s per thread |\n|---:|---:|---:|---:|");
    for batch in batches {
        encoder.embed_with(&tweets, batch)?;
        let mut seconds: Vec<f64> = (0..PASSES)
            .map(|_| {
                let t = Instant::now();
                encoder
                    .embed_with(&tweets, batch)
                    .map(|_| t.elapsed().as_secs_f64())
            })
            .collect::<Result<_, _>>()?;
        seconds.sort_by(f64::total_cmp);
        let median = seconds[PASSES / 2];
        let rate = tweets.len() as f64 / median;
        println!(
            "| {batch} | {rate:.0} | {:.0} | {:.0} |",
            tokens as f64 / median,
            rate / threads as f64
        );
    }
    println!(
        "memory: {:.0} MiB resident after loading, {:.0} MiB peak",
        loaded_rss / 1024.0,
        memory("VmHWM:") / 1024.0
    );
    Ok(())
}

/// A `/proc/self/status` field in KiB (0 where it is not available).
fn memory(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0.0)
}
