//! Helpers shared by the integration tests: dataset paths, tiny loaders,
//! bitwise comparison of layers.

#![allow(dead_code)]

use flate2::read::MultiGzDecoder;
use portevoix_core::{Interner, LayerLog, NodeId};
use portevoix_graph::LayerGraph;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

/// A dataset of the repository (`datasets/...`), always present.
pub fn repo_dataset(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets")
        .join(rel)
}

/// A file of the shared datasets; panics with a clear message when they are
/// missing, so that a real-data test fails rather than passes silently.
#[allow(unused_imports)] // not every test binary that includes this module reads shared data
pub use portevoix_testdata::shared_dataset;

/// Lines of a gzip file, without line endings (`\r\n` or `\n`).
pub fn gz_lines(path: &PathBuf) -> impl Iterator<Item = String> {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    BufReader::new(MultiGzDecoder::new(file)).lines().map(|l| {
        let mut l = l.expect("readable gzip text");
        if l.ends_with('\r') {
            l.pop();
        }
        l
    })
}

/// Loads a whitespace-separated `A B [weight]` edge list, skipping `#` lines.
pub fn load_edge_list(path: &PathBuf) -> (Interner, LayerLog) {
    let mut ids = Interner::new();
    let mut log = LayerLog::default();
    for line in gz_lines(path) {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut f = line.split_ascii_whitespace();
        let a: u64 = f.next().unwrap().parse().unwrap();
        let b: u64 = f.next().unwrap().parse().unwrap();
        let w: f32 = f.next().map_or(1.0, |w| w.parse().unwrap());
        let (a, b) = (ids.intern_u64(a).unwrap(), ids.intern_u64(b).unwrap());
        log.push(a, b, w, None, None, None);
    }
    (ids, log)
}

/// Asserts two layers are identical bit for bit (weights, times, values,
/// stats' floating-point fields included).
pub fn assert_bit_identical(a: &LayerGraph, b: &LayerGraph) {
    let bits = |w: &[f32]| w.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for (x, y) in [(a.out_csr(), b.out_csr()), (a.in_csr(), b.in_csr())] {
        assert_eq!(x.offsets(), y.offsets());
        assert_eq!(x.neighbors(), y.neighbors());
        assert_eq!(bits(x.weights()), bits(y.weights()));
    }
    assert_eq!(a.counts(), b.counts());
    assert_eq!(a.times(), b.times());
    assert_eq!(a.values().map(bits), b.values().map(bits));
    assert_eq!(
        a.stats().weight_sum.to_bits(),
        b.stats().weight_sum.to_bits()
    );
    assert_eq!(
        a.stats().reciprocity.to_bits(),
        b.stats().reciprocity.to_bits()
    );
    assert_eq!(a.stats(), b.stats());
}

/// Checks the structural invariants of a layer: rows sorted and repeat-free
/// in both directions, and the in-CSR is exactly the transpose of the out-CSR.
pub fn assert_consistent(g: &LayerGraph) {
    let n = g.num_nodes();
    let mut forward: Vec<(u32, u32, u32)> = Vec::with_capacity(g.num_edges());
    let mut backward: Vec<(u32, u32, u32)> = Vec::with_capacity(g.num_edges());
    for u in 0..n {
        let (ts, ws) = g.out_neighbors(NodeId(u as u32));
        assert!(
            ts.windows(2).all(|p| p[0] < p[1]),
            "out-row {u} not strictly sorted"
        );
        forward.extend(ts.iter().zip(ws).map(|(&v, &w)| (u as u32, v, w.to_bits())));
        let (ss, ws) = g.in_neighbors(NodeId(u as u32));
        assert!(
            ss.windows(2).all(|p| p[0] < p[1]),
            "in-row {u} not strictly sorted"
        );
        backward.extend(ss.iter().zip(ws).map(|(&s, &w)| (s, u as u32, w.to_bits())));
    }
    backward.sort_unstable();
    assert_eq!(
        forward, backward,
        "in-CSR is not the transpose of the out-CSR"
    );
    assert_eq!(g.out_csr().offsets()[n] as usize, g.num_edges());
    assert_eq!(g.in_csr().offsets()[n] as usize, g.num_edges());
    if let Some(t) = g.times() {
        assert_eq!(t.offsets().len(), g.num_edges() + 1);
        for e in 0..g.num_edges() {
            assert!(
                g.edge_times(e).windows(2).all(|p| p[0] <= p[1]),
                "times of edge {e} unsorted"
            );
        }
    }
}
