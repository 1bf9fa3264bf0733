//! A STREAM-like triad, `a[i] = b[i] + s·c[i]` over `f64` arrays, on the
//! rayon pool: the memory bandwidth the PageRank sweeps are compared with
//! (`benches/peers/run.py` runs it and writes the floor into BENCHMARKS.md).
//!
//! ```text
//! cargo run --release --example stream_triad -- [--mib-per-array M] [--repeat R] [--json]
//! ```
//!
//! As in McCalpin's STREAM, each array is at least four times the last-level
//! cache (read from `/sys/devices/system/cpu/cpu0/cache`; at least 256 MiB),
//! the best of `R` runs (default 10) is reported, and the bytes counted are
//! the 24 bytes per element the kernel reads and writes (write-allocate
//! traffic is not counted). The arrays are first touched by the same
//! threads and chunks that run the triad.

use rayon::prelude::*;
use std::time::Instant;

/// Bytes of the largest cache of CPU 0, from sysfs (0 if unknown).
fn last_level_cache() -> u64 {
    let mut best = 0;
    for i in 0..8 {
        let path = format!("/sys/devices/system/cpu/cpu0/cache/index{i}/size");
        let Ok(s) = std::fs::read_to_string(path) else {
            continue;
        };
        let s = s.trim();
        let (num, mult) = match s.chars().last() {
            Some('K') => (&s[..s.len() - 1], 1u64 << 10),
            Some('M') => (&s[..s.len() - 1], 1 << 20),
            Some('G') => (&s[..s.len() - 1], 1 << 30),
            _ => (s, 1),
        };
        if let Ok(v) = num.parse::<u64>() {
            best = best.max(v * mult);
        }
    }
    best
}

fn main() {
    let mut mib: Option<u64> = None;
    let mut repeat = 10usize;
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mib-per-array" => mib = args.next().and_then(|v| v.parse().ok()),
            "--repeat" => repeat = args.next().and_then(|v| v.parse().ok()).unwrap_or(10),
            "--json" => json = true,
            other => {
                eprintln!(
                    "unknown argument {other}\nusage: stream_triad [--mib-per-array M] [--repeat R] [--json]"
                );
                std::process::exit(2);
            }
        }
    }
    let llc = last_level_cache();
    let bytes = mib.map_or_else(|| (4 * llc).max(256 << 20), |m| m << 20);
    let n = (bytes / 8) as usize;
    let threads = rayon::current_num_threads();
    // Fixed chunks, first touched by the pool (as the triad will run).
    let chunk = n.div_ceil(threads * 16).max(1 << 16);
    let mut a = Vec::<f64>::with_capacity(n);
    let mut b = Vec::<f64>::with_capacity(n);
    let mut c = Vec::<f64>::with_capacity(n);
    a.spare_capacity_mut()
        .par_chunks_mut(chunk)
        .zip(b.spare_capacity_mut().par_chunks_mut(chunk))
        .zip(c.spare_capacity_mut().par_chunks_mut(chunk))
        .for_each(|((x, y), z)| {
            for ((p, q), r) in x.iter_mut().zip(y).zip(z) {
                p.write(0.0);
                q.write(1.0);
                r.write(2.0);
            }
        });
    // SAFETY: every element was written just above.
    unsafe {
        a.set_len(n);
        b.set_len(n);
        c.set_len(n);
    }
    let s = 3.0f64;
    let mut best = f64::INFINITY;
    let mut times = Vec::with_capacity(repeat);
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        a.par_chunks_mut(chunk)
            .zip(b.par_chunks(chunk))
            .zip(c.par_chunks(chunk))
            .for_each(|((x, y), z)| {
                for ((p, q), r) in x.iter_mut().zip(y).zip(z) {
                    *p = q + s * r;
                }
            });
        let e = t.elapsed().as_secs_f64();
        times.push(e);
        best = best.min(e);
    }
    // Keep the result observable.
    assert!(a[n / 2] == 7.0);
    let moved = 24.0 * n as f64;
    let gbs = moved / best / 1e9;
    times.sort_by(f64::total_cmp);
    let median = moved / times[times.len() / 2] / 1e9;
    if json {
        println!(
            "{{\"triad_gb_s\": {gbs:.3}, \"triad_median_gb_s\": {median:.3}, \"mib_per_array\": {}, \"threads\": {threads}, \"repeat\": {}, \"last_level_cache_mib\": {}}}",
            bytes >> 20,
            times.len(),
            llc >> 20
        );
    } else {
        println!(
            "triad: best {gbs:.2} GB/s, median {median:.2} GB/s ({} MiB per array, {threads} threads, {} runs, last-level cache {} MiB)",
            bytes >> 20,
            times.len(),
            llc >> 20
        );
    }
}
