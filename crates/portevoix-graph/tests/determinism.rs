//! The build, the merged view and the generator give the same bits for any
//! number of threads.

mod common;

use common::{assert_bit_identical, assert_consistent};
use portevoix_core::{Interaction, InteractionLog, Layer, LayerLog, NodeId, Timestamp};
use portevoix_graph::generate::{Xoshiro256StarStar, kronecker};
use portevoix_graph::{BuildOptions, DuplicatePolicy, LayerGraph, Network, identity_interner};

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
        .install(f)
}

/// A Kronecker graph (heavy duplicates and self-loops, skewed degrees) with
/// weights that make floating-point sums order-sensitive, times and values.
fn weighted_log(scale: u32) -> (usize, LayerLog) {
    let (n, edges) = kronecker(scale, 16, 3);
    let mut rng = Xoshiro256StarStar::seed_from_u64(11);
    let mut log = LayerLog::default();
    for &(a, b) in &edges {
        // 0.1 and 1e7 scales: summing in a different order changes the bits.
        let w = if rng.below(8) == 0 {
            1.0e7
        } else {
            0.1 * rng.below(100) as f32
        };
        let t = (rng.below(4) > 0).then(|| Timestamp(rng.below(1 << 40) as i64));
        let v = (rng.below(3) == 0).then(|| rng.below(21) as f32 - 10.0);
        log.push(NodeId(a), NodeId(b), w, t, v, None);
    }
    (n, log)
}

#[test]
fn build_is_bit_identical_for_1_2_and_3_threads() {
    let (n, log) = weighted_log(15); // 524,288 rows: several chunks and blocks
    for policy in [
        DuplicatePolicy::Sum,
        DuplicatePolicy::Mean,
        DuplicatePolicy::First,
    ] {
        let opts = BuildOptions {
            duplicates: policy,
            ..BuildOptions::default()
        };
        let one = in_pool(1, || LayerGraph::build(&log, n, &opts).unwrap());
        assert_consistent(&one);
        assert!(one.stats().duplicates_merged > 0 && one.stats().self_loops_dropped > 0);
        assert!(one.counts().is_some() && one.times().is_some() && one.values().is_some());
        for threads in [2, 3] {
            let many = in_pool(threads, || LayerGraph::build(&log, n, &opts).unwrap());
            assert_bit_identical(&one, &many);
        }
    }
}

#[test]
fn merged_view_is_bit_identical_across_thread_counts() {
    let (n, log) = weighted_log(13);
    let (_, edges2) = kronecker(13, 8, 4);
    let mut all = InteractionLog::new();
    *all.layer_mut(Layer::Repost) = log;
    for &(a, b) in &edges2 {
        all.push(Interaction {
            weight: 0.3,
            ..Interaction::new(NodeId(a), NodeId(b), Layer::Like)
        });
    }
    let spec = [(Layer::Repost, 0.7), (Layer::Like, 1.3)];
    let build = || {
        let net = Network::build(
            &all,
            identity_interner(n).unwrap(),
            &BuildOptions::default(),
        )
        .unwrap();
        net.merged(&spec)
    };
    let one = in_pool(1, build);
    assert_consistent(&one);
    let two = in_pool(2, build);
    assert_bit_identical(&one, &two);
}

#[test]
fn kronecker_is_identical_across_thread_counts() {
    let one = in_pool(1, || kronecker(14, 16, 99));
    let two = in_pool(2, || kronecker(14, 16, 99));
    let four = in_pool(4, || kronecker(14, 16, 99));
    assert_eq!(one, two);
    assert_eq!(one, four);
}
