//! The level-synchronous parallel k-core peel against the sequential
//! Batagelj–Zaversnik peel (the reference) and a naive peeling: on the real
//! graphs, on a Kronecker graph, on shapes that stress the peel's cascades
//! and level jumps, and on random small graphs (isolated nodes, self-loops,
//! duplicate edges), each for 1, 2 and 3 threads and every mode.

use portevoix_core::{LayerLog, NodeId};
use portevoix_graph::generate::kronecker;
use portevoix_graph::kernels::kcore::{
    CoreMode, PARALLEL_MIN_EDGES, core_numbers, core_numbers_parallel, core_numbers_sequential,
};
use portevoix_graph::{BuildOptions, LayerGraph, Network};
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_testdata::shared_dataset;
use proptest::prelude::*;
use rayon::ThreadPool;
use std::collections::BTreeSet;
use std::sync::LazyLock;

const MODES: [CoreMode; 3] = [CoreMode::Undirected, CoreMode::In, CoreMode::Out];

/// Pools of 1, 2 and 3 threads, built once for every test of the binary.
static POOLS: LazyLock<Vec<ThreadPool>> = LazyLock::new(|| {
    [1, 2, 3]
        .into_iter()
        .map(|t| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .expect("thread pool")
        })
        .collect()
});

/// Asserts that the parallel peel (forced, and as `core_numbers` chooses)
/// gives the sequential reference's values for every mode and 1, 2 and 3
/// threads; returns the reference values.
fn assert_same_as_sequential(name: &str, g: &LayerGraph) -> Vec<Vec<u32>> {
    MODES
        .iter()
        .map(|&mode| {
            let reference = core_numbers_sequential(g, mode);
            assert_eq!(reference.len(), g.num_nodes());
            for (pool, threads) in POOLS.iter().zip(1..) {
                let parallel = pool.install(|| core_numbers_parallel(g, mode));
                assert!(
                    parallel == reference,
                    "{name} {mode:?}: parallel peel on {threads} thread(s) differs from the sequential peel"
                );
                let auto = pool.install(|| core_numbers(g, mode));
                assert!(
                    auto == reference,
                    "{name} {mode:?}: core_numbers on {threads} thread(s) differs from the sequential peel"
                );
            }
            reference
        })
        .collect()
}

/// A shared dataset's single layer, loaded as `portevoix rank` does.
fn real_graph(rel: &str, format: FormatKind) -> LayerGraph {
    let path = shared_dataset(rel);
    let ds = load(&[(&path, Some(format))], &ReadOptions::default()).unwrap();
    let net = Network::build(&ds.interactions, ds.interner, &BuildOptions::default()).unwrap();
    let mut layers = net.layers();
    let (_, g) = layers.next().expect("one layer");
    assert!(layers.next().is_none());
    g.clone()
}

fn check_real(rel: &str, format: FormatKind) {
    let g = real_graph(rel, format);
    assert!(
        g.num_edges() >= PARALLEL_MIN_EDGES,
        "{rel}: too small to take the parallel path"
    );
    let cores = assert_same_as_sequential(rel, &g);
    // Not a trivial graph: several levels in every mode.
    for (mode, c) in MODES.iter().zip(&cores) {
        let levels: BTreeSet<u32> = c.iter().copied().collect();
        assert!(
            levels.len() > 3,
            "{rel} {mode:?}: only {} levels",
            levels.len()
        );
    }
}

#[test]
fn parallel_peel_matches_sequential_on_slashdot_zoo() {
    check_real("slashdot-zoo/soc-Slashdot0902.txt.gz", FormatKind::EdgeList);
}

#[test]
fn parallel_peel_matches_sequential_on_epinions() {
    check_real(
        "epinions-signed/soc-sign-epinions.txt.gz",
        FormatKind::Signed,
    );
}

#[test]
fn parallel_peel_matches_sequential_on_bitcoin_otc() {
    // 35k edges: below the parallel threshold, so `core_numbers` itself
    // stays sequential; the forced parallel peel is still compared.
    let g = real_graph("bitcoin-otc/soc-sign-bitcoinotc.csv", FormatKind::Signed);
    assert_same_as_sequential("bitcoin-otc", &g);
}

#[test]
fn parallel_peel_matches_sequential_on_higgs_retweet() {
    check_real(
        "higgs-twitter/higgs-retweet_network.edgelist.gz",
        FormatKind::EdgeList,
    );
}

#[test]
fn parallel_peel_matches_sequential_on_kronecker() {
    // Self-loops and duplicate rows kept in the generated list, hubs, and
    // about a third of the ids isolated.
    let (n, edges) = kronecker(14, 16, 7);
    let g = LayerGraph::from_edges(n, &edges, &BuildOptions::default()).unwrap();
    let cores = assert_same_as_sequential("kronecker 14", &g);
    assert!(cores[0].contains(&0));
    let with_loops = BuildOptions {
        keep_self_loops: true,
        ..BuildOptions::default()
    };
    let g = LayerGraph::from_edges(n, &edges, &with_loops).unwrap();
    assert_eq!(assert_same_as_sequential("kronecker 14, loops", &g), cores);
}

#[test]
fn parallel_peel_hands_long_cascades_between_threads() {
    // In-cores: removing the source `0` (in-degree 0) brings 3000 nodes to
    // in-degree 0 at once, more than one task keeps, and each of them a
    // chain of 3 more; a 6-clique on top is reached by jumping levels.
    let mut edges = Vec::new();
    let spokes = 3000u32;
    for s in 1..=spokes {
        edges.push((0, s));
        let mut prev = s;
        for step in 1..=3 {
            let next = spokes * step + s;
            edges.push((prev, next));
            prev = next;
        }
    }
    let base = 4 * spokes + 1;
    for a in base..base + 6 {
        for b in base..base + 6 {
            if a != b {
                edges.push((a, b));
            }
        }
    }
    let n = (base + 6) as usize;
    let g = LayerGraph::from_edges(n, &edges, &BuildOptions::default()).unwrap();
    let cores = assert_same_as_sequential("cascade", &g);
    let expected_in: Vec<u32> = (0..n as u32)
        .map(|v| if v >= base { 5 } else { 0 })
        .collect();
    assert_eq!(cores[1], expected_in);
    // Undirected: a tree (core 1) beside the clique (core 5).
    let expected_und: Vec<u32> = (0..n as u32)
        .map(|v| if v >= base { 5 } else { 1 })
        .collect();
    assert_eq!(cores[0], expected_und);
}

#[test]
fn parallel_peel_on_paths_cliques_and_empty_graphs() {
    // A long path (a cascade one node at a time from both ends).
    let path: Vec<(u32, u32)> = (0..20_000u32).map(|v| (v, v + 1)).collect();
    let g = LayerGraph::from_edges(20_001, &path, &BuildOptions::default()).unwrap();
    assert_eq!(assert_same_as_sequential("path", &g)[0], vec![1; 20_001]);
    // Nested cliques of sizes 2..=40 joined by single edges: one level each.
    let mut edges = Vec::new();
    let mut start = 0u32;
    for size in 2..=40u32 {
        for a in start..start + size {
            for b in a + 1..start + size {
                edges.push((b, a));
            }
        }
        if start > 0 {
            edges.push((start - 1, start));
        }
        start += size;
    }
    let g = LayerGraph::from_edges(start as usize, &edges, &BuildOptions::default()).unwrap();
    let cores = assert_same_as_sequential("cliques", &g);
    assert_eq!(cores[0].last(), Some(&39));
    for n in [0, 1, 5] {
        let g = LayerGraph::empty(n);
        for mode in MODES {
            assert_eq!(core_numbers_parallel(&g, mode), vec![0; n]);
        }
    }
}

/// Core numbers by repeatedly deleting every node of degree below `k`;
/// `affects[v]` lists the nodes whose degree counts `v`.
fn naive_cores(n: usize, affects: &[BTreeSet<usize>]) -> Vec<u32> {
    let mut core = vec![0u32; n];
    for k in 1..=n as u32 {
        let mut alive = vec![true; n];
        loop {
            let mut deg = vec![0u32; n];
            for v in (0..n).filter(|&v| alive[v]) {
                for &u in &affects[v] {
                    deg[u] += 1;
                }
            }
            let drop: Vec<usize> = (0..n).filter(|&v| alive[v] && deg[v] < k).collect();
            if drop.is_empty() {
                break;
            }
            drop.into_iter().for_each(|v| alive[v] = false);
        }
        for v in (0..n).filter(|&v| alive[v]) {
            core[v] = k;
        }
    }
    core
}

/// Random small graphs: ids up to `n` (so some are isolated), self-loops,
/// duplicate rows (often: ids are drawn from few values), sometimes a
/// dense core so that there are several levels.
fn small_graph() -> impl Strategy<Value = (usize, Vec<(u32, u32)>, bool)> {
    (1usize..24).prop_flat_map(|n| {
        let edge = (0..n as u32, 0..n as u32);
        (
            Just(n),
            prop::collection::vec(edge, 0..80),
            0usize..8,
            any::<bool>(),
        )
            .prop_map(|(n, mut edges, clique, keep_loops)| {
                let k = clique.min(n) as u32;
                for a in 0..k {
                    for b in 0..k {
                        edges.push((a, b));
                    }
                }
                (n, edges, keep_loops)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn parallel_peel_matches_sequential_and_naive((n, edges, keep_self_loops) in small_graph()) {
        let mut log = LayerLog::default();
        for &(a, b) in &edges {
            log.push(NodeId(a), NodeId(b), 1.0, None, None, None);
        }
        let opts = BuildOptions { keep_self_loops, ..BuildOptions::default() };
        let g = LayerGraph::build(&log, n, &opts).unwrap();
        let mut und = vec![BTreeSet::new(); n];
        let mut outs = vec![BTreeSet::new(); n];
        let mut ins = vec![BTreeSet::new(); n];
        for &(a, b) in &edges {
            let (a, b) = (a as usize, b as usize);
            if a != b {
                und[a].insert(b);
                und[b].insert(a);
                outs[a].insert(b);
                ins[b].insert(a);
            }
        }
        // In-degree of u counts v when v -> u: removing v affects its out-neighbours.
        let naive = [naive_cores(n, &und), naive_cores(n, &outs), naive_cores(n, &ins)];
        for (mode, expected) in MODES.iter().zip(&naive) {
            prop_assert_eq!(&core_numbers_sequential(&g, *mode), expected);
            for pool in POOLS.iter() {
                prop_assert_eq!(&pool.install(|| core_numbers_parallel(&g, *mode)), expected);
            }
        }
    }
}
