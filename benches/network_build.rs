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
use portevoix::core::{Layer, LayerLog};
use portevoix::graph::generate::kronecker;
use portevoix::graph::{BuildOptions, LayerGraph, Network, identity_interner};
use portevoix::ingest::{FormatKind, ReadOptions, load};
use std::hint::black_box;
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

/// Slashdot Zoo read by the ingest crate (outside the timed loop).
fn slashdot() -> Option<(usize, LayerLog)> {
    let dir = portevoix_testdata::datasets_dir()?;
    let path = dir.join("slashdot-zoo/soc-Slashdot0902.txt.gz");
    let options = ReadOptions::default();
    let mut ds = load(&[(path.as_path(), Some(FormatKind::EdgeList))], &options).ok()?;
    let log = std::mem::take(ds.interactions.layer_mut(Layer::Follow));
    Some((ds.num_nodes(), log))
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

    match slashdot() {
        Some((n, log)) => {
            group.throughput(Throughput::Elements(log.len() as u64));
            group.bench_function("slashdot_zoo", |b| {
                b.iter(|| black_box(LayerGraph::build(&log, n, &opts).expect("valid")))
            });
        }
        None => eprintln!("slashdot-zoo not found or unreadable (set PORTEVOIX_DATASETS), skipped"),
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
