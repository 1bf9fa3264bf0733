//! Network build benchmarks: the parallel CSR build on Graph500 Kronecker
//! graphs (scales 16 and 18) and on Slashdot Zoo when the shared datasets
//! are present, plus the merged view of two layers.
//!
//! ```text
//! cargo bench --bench network_build
//! ```
//!
//! Rows are generated or parsed once, outside the timed loop: the numbers
//! are the build alone (validation, counting sort, merge, transposition,
//! statistics). Parsing belongs to the ingest benchmarks.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use flate2::read::MultiGzDecoder;
use portevoix::core::{Interner, Layer, LayerLog};
use portevoix::graph::generate::kronecker;
use portevoix::graph::{BuildOptions, LayerGraph, Network, identity_interner};
use std::fs::File;
use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::time::Duration;

fn kronecker_log(scale: u32, seed: u64) -> (usize, LayerLog) {
    let (n, edges) = kronecker(scale, 16, seed);
    let log = LayerLog {
        actor: edges.iter().map(|e| e.0).collect(),
        target: edges.iter().map(|e| e.1).collect(),
        weight: vec![1.0; edges.len()],
        ..LayerLog::default()
    };
    (n, log)
}

/// `$PORTEVOIX_DATASETS`, else `shared/datasets` beside the clone.
fn shared_dataset(rel: &str) -> Option<PathBuf> {
    let root = std::env::var_os("PORTEVOIX_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets"));
    Some(root.join(rel)).filter(|p| p.is_file())
}

/// A tiny loader for SNAP edge lists (`#` comments, tab or space separated,
/// CRLF tolerated): the ingest crate's readers are benchmarked on their own.
fn load_snap(path: &PathBuf) -> std::io::Result<(Interner, LayerLog)> {
    let mut ids = Interner::new();
    let mut log = LayerLog::default();
    for line in BufReader::new(MultiGzDecoder::new(File::open(path)?)).lines() {
        let line = line?;
        if line.starts_with('#') {
            continue;
        }
        let mut f = line.split_ascii_whitespace();
        let (Some(a), Some(b)) = (f.next(), f.next()) else {
            continue;
        };
        let (Ok(a), Ok(b)) = (a.parse::<u64>(), b.parse::<u64>()) else {
            continue;
        };
        let a = ids.intern_u64(a).map_err(std::io::Error::other)?;
        let b = ids.intern_u64(b).map_err(std::io::Error::other)?;
        log.push(a, b, 1.0, None, None, None);
    }
    Ok((ids, log))
}

fn build(c: &mut Criterion) {
    let opts = BuildOptions::default();
    let mut group = c.benchmark_group("network_build");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));

    for scale in [16u32, 18] {
        let (n, log) = kronecker_log(scale, 1);
        group.throughput(Throughput::Elements(log.len() as u64));
        group.bench_function(format!("kronecker_scale{scale}"), |b| {
            b.iter(|| black_box(LayerGraph::build(&log, n, &opts).expect("valid")))
        });
    }

    match shared_dataset("slashdot-zoo/soc-Slashdot0902.txt.gz").map(|p| load_snap(&p)) {
        Some(Ok((ids, log))) => {
            group.throughput(Throughput::Elements(log.len() as u64));
            group.bench_function("slashdot_zoo", |b| {
                b.iter(|| black_box(LayerGraph::build(&log, ids.len(), &opts).expect("valid")))
            });
        }
        Some(Err(e)) => eprintln!("slashdot-zoo unreadable, skipped: {e}"),
        None => eprintln!("slashdot-zoo not found (set PORTEVOIX_DATASETS), skipped"),
    }

    // Merged endorsement view over two scale-16 layers.
    let (n, rt) = kronecker_log(16, 1);
    let (_, like) = kronecker_log(16, 2);
    let net = Network::from_layers(
        identity_interner(n).expect("fits"),
        vec![
            (
                Layer::Repost,
                LayerGraph::build(&rt, n, &opts).expect("valid"),
            ),
            (
                Layer::Like,
                LayerGraph::build(&like, n, &opts).expect("valid"),
            ),
        ],
    )
    .expect("same node count");
    group.throughput(Throughput::Elements(net.num_edges() as u64));
    group.bench_function("merged_scale16_x2", |b| {
        b.iter(|| black_box(net.merged(&[(Layer::Repost, 1.0), (Layer::Like, 0.5)])))
    });
    group.finish();
}

criterion_group!(benches, build);
criterion_main!(benches);
