//! k-core benchmarks: the sequential Batagelj–Zaversnik peel (the reference,
//! `core_numbers_sequential`) against `core_numbers` (the level-synchronous
//! parallel peel on graphs this size), on Graph500 Kronecker graphs (scales
//! 18 and 20) and on Slashdot Zoo when the shared datasets are present.
//!
//! ```text
//! cargo bench --bench kernels_kcore
//! RAYON_NUM_THREADS=1 cargo bench --bench kernels_kcore    # one thread, plus the forced parallel peel
//! ```
//!
//! Graphs are built once, outside the timed loop; both sides include their
//! degree counting (the undirected union of the out- and in-rows).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use portevoix::core::Layer;
use portevoix::graph::LayerGraph;
use portevoix::graph::generate::kronecker;
use portevoix::graph::kernels::kcore::{
    CoreMode, core_numbers, core_numbers_parallel, core_numbers_sequential,
};
use portevoix::graph::{BuildOptions, Network};
use portevoix::ingest::{FormatKind, ReadOptions, load};
use std::hint::black_box;
use std::time::Duration;

fn kronecker_graph(scale: u32) -> LayerGraph {
    let (n, edges) = kronecker(scale, 16, 1);
    LayerGraph::from_edges(n, &edges, &BuildOptions::default()).expect("valid")
}

/// Slashdot Zoo as `portevoix rank` sees it (outside the timed loop).
fn slashdot() -> Option<LayerGraph> {
    let dir = portevoix_testdata::datasets_dir()?;
    let path = dir.join("slashdot-zoo/soc-Slashdot0902.txt.gz");
    let ds = load(
        &[(path.as_path(), Some(FormatKind::EdgeList))],
        &ReadOptions::default(),
    )
    .ok()?;
    let net = Network::build(&ds.interactions, ds.interner, &BuildOptions::default()).ok()?;
    net.layer(Layer::Follow).cloned()
}

/// Threads of the global pool (`RAYON_NUM_THREADS`, else the cores).
fn rayon_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .filter(|&t| t > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

fn kcore(c: &mut Criterion) {
    let mut group = c.benchmark_group("kernels_kcore");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));

    let mut graphs: Vec<(String, LayerGraph)> = Vec::new();
    match slashdot() {
        Some(g) => graphs.push(("slashdot_zoo".into(), g)),
        None => eprintln!("slashdot-zoo not found or unreadable (set PORTEVOIX_DATASETS), skipped"),
    }
    for scale in [18u32, 20] {
        graphs.push((format!("kronecker_scale{scale}"), kronecker_graph(scale)));
    }
    for (name, g) in &graphs {
        assert_eq!(
            core_numbers(g, CoreMode::Undirected),
            core_numbers_sequential(g, CoreMode::Undirected),
            "{name}"
        );
        group.throughput(Throughput::Elements(g.num_edges() as u64));
        // Interleaved, so that both sides see the same machine load.
        for mode in [CoreMode::Undirected, CoreMode::In] {
            let tag = if mode == CoreMode::In { "_in" } else { "" };
            group.bench_function(format!("{name}{tag}/sequential"), |b| {
                b.iter(|| black_box(core_numbers_sequential(g, mode)))
            });
            group.bench_function(format!("{name}{tag}/new"), |b| {
                b.iter(|| black_box(core_numbers(g, mode)))
            });
            if rayon_threads() == 1 {
                // On one thread `core_numbers` is the sequential peel: time
                // the level-synchronous one there too.
                group.bench_function(format!("{name}{tag}/parallel_peel"), |b| {
                    b.iter(|| black_box(core_numbers_parallel(g, mode)))
                });
            }
        }
    }
    group.finish();
}

criterion_group!(benches, kcore);
criterion_main!(benches);
