//! HyperBall against exact BFS on real graphs, and the k strongest paths
//! against brute force, a hand-made example and Dijkstra on a real graph.

use petgraph::algo::dijkstra;
use petgraph::graph::NodeIndex;
use petgraph::visit::{EdgeRef, Reversed};
use portevoix_core::{Layer, LayerLog, NodeId};
use portevoix_graph::kernels::hyperball::relative_standard_error;
use portevoix_graph::kernels::{
    Direction, HyperBallOptions, Path, PathOptions, TieStrength, hyperball, strongest_paths,
};
use portevoix_graph::{BuildOptions, LayerGraph, Network};
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_testdata::shared_dataset;
use proptest::prelude::*;
use std::sync::Arc;

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
        .install(f)
}

/// The single layer of a shared dataset, loaded as `portevoix` does.
fn load_layer(rel: &str, format: FormatKind, layer: Layer) -> LayerGraph {
    let path = shared_dataset(rel);
    let mut opts = ReadOptions::default();
    opts.edgelist.layer = layer;
    let ds = load(&[(&path, Some(format))], &opts).unwrap();
    let net = Network::build(&ds.interactions, ds.interner, &BuildOptions::default()).unwrap();
    net.layer(layer).expect("the layer").clone()
}

// ---------------------------------------------------------------------------
// HyperBall

/// Exact number of other nodes within `hops` hops of `v` along in-edges.
fn exact_reach(g: &LayerGraph, v: u32, hops: usize, mark: &mut [u32], stamp: u32) -> usize {
    mark[v as usize] = stamp;
    let mut frontier = vec![v];
    let mut count = 0;
    for _ in 0..hops {
        let mut next = Vec::new();
        for &u in &frontier {
            for &w in g.in_csr().row(u as usize).0 {
                if mark[w as usize] != stamp {
                    mark[w as usize] = stamp;
                    next.push(w);
                }
            }
        }
        count += next.len();
        frontier = next;
    }
    count
}

/// The top 200 nodes by in-degree (the reach direction) plus 300 other
/// random ones (fixed seed).
fn sample(g: &LayerGraph) -> Vec<u32> {
    let mut nodes: Vec<u32> = g.top_by_in_degree(200).iter().map(|(v, _)| v.0).collect();
    let mut seed = 2013;
    while nodes.len() < 500 {
        let v = (splitmix(&mut seed) % g.num_nodes() as u64) as u32;
        if !nodes.contains(&v) {
            nodes.push(v);
        }
    }
    nodes
}

/// Checks 2-hop HyperBall estimates against exact BFS on the sample and
/// returns (mean, 95th percentile) of the relative error.
///
/// What is asserted and why: each estimate has a relative standard error
/// `σ = 1.04/√m`, so the mean absolute relative error of an unbiased,
/// roughly normal estimator is about `0.8 σ` and its 95th percentile about
/// `2 σ`. We assert mean ≤ 2σ and 95th percentile ≤ 3σ (room for the
/// correlation between estimates, which share one hash), the mean signed
/// error (bias) within ±σ, and that nodes with no reach are estimated below
/// 0.5.
fn check_against_bfs(name: &str, g: &LayerGraph) -> (f64, f64) {
    let opts = HyperBallOptions {
        max_hops: 2,
        ..Default::default()
    };
    let sigma = relative_standard_error(opts.register_bits);
    let start = std::time::Instant::now();
    let r = hyperball(g, &opts).unwrap();
    eprintln!(
        "{name}: hyperball b={} t=2 on {} nodes, {} edges: {:.3} s",
        opts.register_bits,
        g.num_nodes(),
        g.num_edges(),
        start.elapsed().as_secs_f64()
    );
    let mut mark = vec![0u32; g.num_nodes()];
    let mut errors = Vec::new();
    let mut bias = 0.0;
    for (i, v) in sample(g).into_iter().enumerate() {
        for hops in 1..=2 {
            let exact = exact_reach(g, v, hops, &mut mark, (2 * i + hops) as u32);
            let est = r.reach(NodeId(v), hops);
            if exact == 0 {
                assert!(
                    est < 0.5,
                    "{name}: node {v} reaches nobody, estimated {est}"
                );
            } else if hops == 2 {
                let rel = (est - exact as f64) / exact as f64;
                bias += rel;
                errors.push(rel.abs());
            }
        }
    }
    let count = errors.len() as f64;
    assert!(count >= 100.0, "{name}: too few nodes with a reach");
    errors.sort_by(f64::total_cmp);
    let mean = errors.iter().sum::<f64>() / count;
    let p95 = errors[((0.95 * count) as usize).min(errors.len() - 1)];
    bias /= count;
    eprintln!(
        "{name}: {} nodes, 2-hop relative error mean {mean:.4}, p95 {p95:.4}, bias {bias:+.4}, sigma {sigma:.4}",
        errors.len()
    );
    assert!(mean <= 2.0 * sigma, "{name}: mean relative error {mean}");
    assert!(p95 <= 3.0 * sigma, "{name}: 95th percentile {p95}");
    assert!(bias.abs() <= sigma, "{name}: bias {bias}");
    (mean, p95)
}

#[test]
fn hyperball_matches_bfs_on_slashdot_zoo() {
    let g = load_layer(
        "slashdot-zoo/soc-Slashdot0902.txt.gz",
        FormatKind::EdgeList,
        Layer::Follow,
    );
    check_against_bfs("slashdot", &g);
}

#[test]
fn hyperball_matches_bfs_on_higgs_retweets() {
    let g = load_layer(
        "higgs-twitter/higgs-retweet_network.edgelist.gz",
        FormatKind::EdgeList,
        Layer::Repost,
    );
    check_against_bfs("higgs-retweet", &g);
    // Determinism: identical bits for 1 and 2 threads, both directions.
    for direction in [Direction::Followers, Direction::Following] {
        let opts = HyperBallOptions {
            direction,
            register_bits: 4,
            ..Default::default()
        };
        let one = in_pool(1, || hyperball(&g, &opts).unwrap());
        let two = in_pool(2, || hyperball(&g, &opts).unwrap());
        assert_eq!(one.counters, two.counters);
        let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&one.estimates), bits(&two.estimates));
    }
}

#[test]
fn hyperball_small_graph_edge_cases() {
    // A chain 0 ← 1 ← 2 ← 3 (3 retweets 2, ...), an isolated node 4 and a
    // self-loop on 5 (dropped by default).
    let g = LayerGraph::from_edges(
        6,
        &[(1, 0), (2, 1), (3, 2), (5, 5)],
        &BuildOptions::default(),
    )
    .unwrap();
    let r = hyperball(
        &g,
        &HyperBallOptions {
            max_hops: 5,
            register_bits: 10,
            ..Default::default()
        },
    )
    .unwrap();
    let want = [1.0, 2.0, 3.0, 3.0, 3.0];
    for (t, w) in want.iter().enumerate() {
        assert!((r.reach(NodeId(0), t + 1) - w).abs() < 0.05);
    }
    assert!(r.reach(NodeId(4), 5) < 0.05 && r.reach(NodeId(5), 5) < 0.05);
    assert!(r.iterations <= 4, "stops once balls stop growing");
    assert_eq!(r.hop(3).len(), 6);
    assert!((r.union_estimate(&[NodeId(0), NodeId(4)]) - 5.0).abs() < 0.1);
    assert_eq!(r.counter_bytes, 2 * 6 * 1024);
    for bad in [
        HyperBallOptions {
            max_hops: 0,
            ..Default::default()
        },
        HyperBallOptions {
            register_bits: 3,
            ..Default::default()
        },
        HyperBallOptions {
            register_bits: 17,
            ..Default::default()
        },
    ] {
        assert!(hyperball(&g, &bad).is_err());
    }
    let empty = hyperball(&LayerGraph::empty(0), &HyperBallOptions::default()).unwrap();
    assert!(empty.estimates.is_empty());
}

// ---------------------------------------------------------------------------
// Strongest paths

/// Strength of the walked step `a → b` under the default tie strength.
fn step_p(g: &LayerGraph, a: u32, b: u32, direction: Direction) -> Option<f64> {
    let w = match direction {
        Direction::Followers => g.edge_weight(NodeId(b), NodeId(a)),
        Direction::Following => g.edge_weight(NodeId(a), NodeId(b)),
    }?;
    let p = 1.0 - (-(w as f64)).exp();
    (p > 0.0).then_some(p)
}

/// Checks a path is a valid simple path from a source to a target and that
/// its strength is the product of its ties'.
fn check_path(g: &LayerGraph, p: &Path, sources: &[NodeId], targets: &[NodeId], d: Direction) {
    assert!(sources.contains(&p.nodes[0]));
    assert!(targets.contains(p.nodes.last().unwrap()));
    assert_eq!(p.hops + 1, p.nodes.len());
    let mut seen = std::collections::HashSet::new();
    assert!(p.nodes.iter().all(|v| seen.insert(*v)), "loop in {p:?}");
    let cost: f64 = p
        .nodes
        .windows(2)
        .map(|w| -step_p(g, w[0].0, w[1].0, d).expect("edge").ln())
        .sum();
    assert!(((-cost).exp() - p.strength).abs() <= 1e-12 * p.strength.max(1e-300));
    assert!(p.strength > 0.0 && p.strength <= 1.0);
}

/// Costs of all simple paths from a source to a target, sorted.
fn brute_force(g: &LayerGraph, sources: &[NodeId], targets: &[NodeId], d: Direction) -> Vec<f64> {
    fn dfs(
        g: &LayerGraph,
        d: Direction,
        path: &mut Vec<u32>,
        cost: f64,
        targets: &[NodeId],
        out: &mut Vec<f64>,
    ) {
        let u = *path.last().unwrap();
        if targets.contains(&NodeId(u)) {
            out.push(cost);
        }
        for v in 0..g.num_nodes() as u32 {
            if path.contains(&v) {
                continue;
            }
            if let Some(p) = step_p(g, u, v, d) {
                path.push(v);
                dfs(g, d, path, cost + -p.ln(), targets, out);
                path.pop();
            }
        }
    }
    let mut srcs: Vec<u32> = sources.iter().map(|v| v.0).collect();
    srcs.sort_unstable();
    srcs.dedup();
    let mut out = Vec::new();
    for s in srcs {
        dfs(g, d, &mut vec![s], 0.0, targets, &mut out);
    }
    out.sort_by(f64::total_cmp);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn yen_matches_brute_force(
        n in 2usize..7,
        raw in prop::collection::vec((0u32..7, 0u32..7, 0u8..6), 0..16),
        srcs in prop::collection::vec(0u32..7, 1..3),
        tgts in prop::collection::vec(0u32..7, 1..3),
        k in 1usize..8,
        following in any::<bool>(),
    ) {
        let n32 = n as u32;
        let mut log = LayerLog::default();
        for &(a, b, w) in &raw {
            // Weight 0 makes a tie of strength 0: it must be skipped.
            log.push(NodeId(a % n32), NodeId(b % n32), w as f32 * 0.5, None, None, None);
        }
        let g = LayerGraph::build(&log, n, &BuildOptions::default()).unwrap();
        let sources: Vec<NodeId> = srcs.iter().map(|&v| NodeId(v % n32)).collect();
        let targets: Vec<NodeId> = tgts.iter().map(|&v| NodeId(v % n32)).collect();
        let d = if following { Direction::Following } else { Direction::Followers };
        let opts = PathOptions { direction: d, ..Default::default() };
        let got = strongest_paths(&g, &sources, &targets, k, &opts).unwrap();
        let want = brute_force(&g, &sources, &targets, d);
        prop_assert_eq!(got.len(), k.min(want.len()));
        for (p, c) in got.iter().zip(&want) {
            check_path(&g, p, &sources, &targets, d);
            prop_assert!((p.strength - (-c).exp()).abs() <= 1e-12, "{:?} vs {}", p, c);
        }
        for w in got.windows(2) {
            prop_assert!(w[0].strength >= w[1].strength);
            prop_assert!(w[0].nodes != w[1].nodes);
        }
    }
}

#[test]
fn hand_made_example() {
    // The brand 0 and its second account 1; the person to reach is 5.
    // Edges actor → target ("3 retweeted 0" is 3 → 0), weights = retweets.
    let rows = [
        (3, 0, 4.0), // 3 re-shares the brand a lot
        (5, 3, 4.0), // and 5 re-shares 3 a lot: 0 → 3 → 5, strong
        (4, 1, 1.0), // 4 re-shares the second account once
        (5, 4, 9.0), // 1 → 4 → 5, weak first tie
        (5, 0, 0.5), // 5 re-shared the brand once, lightly: 0 → 5
        (2, 0, 9.0), // 0 → 2 → 3 → 5, a detour over two very strong ties
        (3, 2, 9.0),
    ];
    let mut log = LayerLog::default();
    for (a, b, w) in rows {
        log.push(NodeId(a), NodeId(b), w, None, None, None);
    }
    let g = LayerGraph::build(&log, 6, &BuildOptions::default()).unwrap();
    let p = |w: f64| 1.0 - (-w).exp();
    let all = strongest_paths(
        &g,
        &[NodeId(0), NodeId(1)],
        &[NodeId(5)],
        10,
        &PathOptions::default(),
    )
    .unwrap();
    let expect: Vec<(Vec<u32>, f64)> = vec![
        // The detour's strong ties beat the direct 0 → 3 (0.981 > 0.964).
        (vec![0, 2, 3, 5], p(9.0) * p(9.0) * p(4.0)),
        (vec![0, 3, 5], p(4.0) * p(4.0)),
        (vec![1, 4, 5], p(1.0) * p(9.0)),
        (vec![0, 5], p(0.5)),
    ];
    assert_eq!(all.len(), expect.len());
    for (got, (nodes, s)) in all.iter().zip(&expect) {
        assert_eq!(
            got.nodes,
            nodes.iter().map(|&v| NodeId(v)).collect::<Vec<_>>()
        );
        assert!((got.strength - s).abs() < 1e-12);
    }
    // Flipped direction: along the edges, 5 reaches the brand.
    let flipped = PathOptions {
        direction: Direction::Following,
        ..Default::default()
    };
    let back = strongest_paths(&g, &[NodeId(5)], &[NodeId(0)], 1, &flipped).unwrap();
    assert_eq!(back[0].nodes, [NodeId(5), NodeId(3), NodeId(2), NodeId(0)]);
    assert!(
        strongest_paths(&g, &[NodeId(0)], &[NodeId(5)], 3, &flipped)
            .unwrap()
            .is_empty()
    );
    // A custom tie: every tie 0.5, so the fewest hops win, ties by ids.
    let half = PathOptions {
        tie: TieStrength::Custom(Arc::new(|_, _| 0.5)),
        ..Default::default()
    };
    let h = strongest_paths(&g, &[NodeId(0), NodeId(1)], &[NodeId(5)], 2, &half).unwrap();
    assert_eq!(h[0].nodes, [NodeId(0), NodeId(5)]);
    assert_eq!(h[1].nodes, [NodeId(0), NodeId(3), NodeId(5)]);
    // Counts: every edge here is one row, p = 1 − e^(−1/2).
    let counts = PathOptions {
        tie: TieStrength::Count { scale: 2.0 },
        ..Default::default()
    };
    let c = strongest_paths(&g, &[NodeId(0)], &[NodeId(5)], 1, &counts).unwrap();
    assert!((c[0].strength - p(0.5)).abs() < 1e-12);
    // A source that is a target, invalid input.
    let same = strongest_paths(&g, &[NodeId(5)], &[NodeId(5)], 1, &PathOptions::default());
    assert_eq!(same.unwrap()[0].hops, 0);
    assert!(strongest_paths(&g, &[NodeId(9)], &[NodeId(5)], 1, &PathOptions::default()).is_err());
    let bad = PathOptions {
        tie: TieStrength::Custom(Arc::new(|_, _| 1.5)),
        ..Default::default()
    };
    assert!(strongest_paths(&g, &[NodeId(0)], &[NodeId(5)], 1, &bad).is_err());
    let bad_scale = PathOptions {
        tie: TieStrength::Weight { scale: 0.0 },
        ..Default::default()
    };
    assert!(strongest_paths(&g, &[NodeId(0)], &[NodeId(5)], 1, &bad_scale).is_err());
    assert!(
        strongest_paths(&g, &[NodeId(0)], &[NodeId(5)], 0, &PathOptions::default())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn strongest_paths_on_bitcoin_otc() {
    let rating = load_layer(
        "bitcoin-otc/soc-sign-bitcoinotc.csv",
        FormatKind::Signed,
        Layer::Rating,
    );
    // Trust ties: positive ratings as weights (the rating layer's weights
    // are all 1, its values the ratings −10..10).
    let values = rating.values().expect("ratings");
    let mut log = LayerLog::default();
    for (e, (a, b, _)) in rating.edges().enumerate() {
        if values[e] > 0.0 {
            log.push(a, b, values[e], None, None, None);
        }
    }
    let g = LayerGraph::build(&log, rating.num_nodes(), &BuildOptions::default()).unwrap();
    let scale = 3.0;
    let opts = PathOptions {
        tie: TieStrength::Weight { scale },
        ..Default::default()
    };
    let source = g.top_by_in_degree(1)[0].0;
    let pg = g.to_petgraph();
    let rev = Reversed(&pg);
    let dist = dijkstra(rev, NodeIndex::new(source.index()), None, |e| {
        -(1.0 - (-(*e.weight() as f64) / scale).exp()).ln()
    });
    // Targets: a few accounts at least three hops away along in-edges.
    let mut far: Vec<(u32, f64)> = dist
        .iter()
        .map(|(v, &d)| (v.index() as u32, d))
        .filter(|&(v, _)| v != source.0)
        .collect();
    far.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let targets: Vec<NodeId> = far.iter().take(3).map(|&(v, _)| NodeId(v)).collect();
    assert_eq!(targets.len(), 3);
    let paths = strongest_paths(&g, &[source], &targets, 12, &opts).unwrap();
    assert_eq!(paths.len(), 12);
    let best = targets
        .iter()
        .map(|t| dist[&NodeIndex::new(t.index())])
        .fold(f64::INFINITY, f64::min);
    assert!((-paths[0].strength.ln() - best).abs() < 1e-9);
    for p in &paths {
        assert!(p.nodes[0] == source && targets.contains(p.nodes.last().unwrap()));
        let mut seen = std::collections::HashSet::new();
        assert!(p.nodes.iter().all(|v| seen.insert(*v)));
        let mut s = 1.0;
        for w in p.nodes.windows(2) {
            let weight = g.edge_weight(w[1], w[0]).expect("walks in-edges");
            s *= 1.0 - (-(weight as f64) / scale).exp();
        }
        assert!((s - p.strength).abs() <= 1e-12);
    }
    for w in paths.windows(2) {
        assert!(w[0].strength >= w[1].strength && w[0].nodes != w[1].nodes);
    }
    let again = in_pool(2, || {
        strongest_paths(&g, &[source], &targets, 12, &opts).unwrap()
    });
    assert_eq!(again, paths);
}
