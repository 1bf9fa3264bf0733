//! Leiden, label propagation and modularity: against the igraph / NetworKit
//! modularity oracles of `tests/golden/make_communities_golden.py` on real
//! graphs, against naive recomputations on random small graphs, and
//! identical for 1 and 2 threads.

use portevoix_graph::kernels::communities::{
    LabelPropagationOptions, LeidenOptions, Partition, Refinement, UndirectedView,
    label_propagation, label_propagation_view, leiden, leiden_view, modularity,
};
use portevoix_graph::{BuildOptions, LayerGraph, Network};
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_testdata::shared_dataset;
use proptest::prelude::*;
use std::collections::VecDeque;
use std::path::PathBuf;

// ---------------------------------------------------------------------------
// Naive references

/// Modularity straight from the directed edge list of `g` (undirected view
/// `A_uv = w_uv + w_vu`, self-loops ignored), dense sums in `f64`.
fn naive_modularity(g: &LayerGraph, membership: &[u32], gamma: f64) -> f64 {
    let n = g.num_nodes();
    let mut k = vec![0.0f64; n];
    let mut internal = 0.0;
    for (u, v, w) in g.edges() {
        let (u, v, w) = (u.0 as usize, v.0 as usize, w as f64);
        if u == v {
            continue;
        }
        k[u] += w;
        k[v] += w;
        if membership[u] == membership[v] {
            internal += 2.0 * w;
        }
    }
    let two_m: f64 = k.iter().sum();
    if two_m == 0.0 {
        return 0.0;
    }
    let c = membership
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut tot = vec![0.0f64; c];
    for u in 0..n {
        tot[membership[u] as usize] += k[u];
    }
    internal / two_m - gamma * tot.iter().map(|t| t * t).sum::<f64>() / (two_m * two_m)
}

/// Checks the partition invariants: length, dense ids by first appearance,
/// the community count and the stored modularity.
fn assert_valid(view: &UndirectedView, p: &Partition, gamma: f64) {
    assert_eq!(p.membership.len(), view.num_nodes());
    let mut next = 0u32;
    for &c in &p.membership {
        assert!(c <= next, "ids not numbered by first appearance");
        if c == next {
            next += 1;
        }
    }
    assert_eq!(next as usize, p.num_communities);
    let q = view.modularity(&p.membership, gamma);
    assert!((q - p.modularity).abs() < 1e-12, "{q} vs {}", p.modularity);
}

/// Every community induces a connected subgraph of the view.
fn assert_connected(view: &UndirectedView, p: &Partition) {
    let n = view.num_nodes();
    let mut seen = vec![false; n];
    let mut done = vec![false; p.num_communities];
    let mut queue = VecDeque::new();
    for s in 0..n {
        if seen[s] {
            continue;
        }
        let c = p.membership[s];
        assert!(!done[c as usize], "community {c} is disconnected");
        done[c as usize] = true;
        seen[s] = true;
        queue.push_back(s);
        while let Some(u) = queue.pop_front() {
            for &v in view.row(u).0 {
                let v = v as usize;
                if !seen[v] && p.membership[v] == c {
                    seen[v] = true;
                    queue.push_back(v);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Real graphs against igraph / NetworKit

fn golden(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("communities_{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn load_layer(rel: &str, format: FormatKind) -> LayerGraph {
    let path = shared_dataset(rel);
    let ds = load(&[(&path, Some(format))], &ReadOptions::default()).unwrap();
    let net = Network::build(&ds.interactions, ds.interner, &BuildOptions::default()).unwrap();
    assert_eq!(net.layers().count(), 1);
    net.layers().next().unwrap().1.clone()
}

fn check_real(name: &str, rel: &str, format: FormatKind) {
    let gold = golden(name);
    let g = load_layer(rel, format);
    let t0 = std::time::Instant::now();
    let view = UndirectedView::new(&g);
    let view_time = t0.elapsed();
    assert_eq!(g.num_nodes() as u64, gold["nodes"].as_u64().unwrap());
    assert_eq!(
        view.num_entries() as u64,
        2 * gold["undirected_edges"].as_u64().unwrap()
    );
    assert_eq!(
        view.total_weight(),
        2.0 * gold["total_weight"].as_f64().unwrap()
    );
    let best = gold["igraph_leiden"]
        .as_f64()
        .unwrap()
        .max(gold["networkit_parallel_leiden"].as_f64().unwrap());

    let t0 = std::time::Instant::now();
    let p = leiden_view(&view, &LeidenOptions::default()).unwrap();
    let leiden_time = t0.elapsed();
    assert_valid(&view, &p, 1.0);
    assert_connected(&view, &p);
    assert!(
        p.modularity >= 0.99 * best,
        "{name}: view {view_time:?}; leiden Q = {} < 0.99 × {best}",
        p.modularity
    );
    let naive = naive_modularity(&g, &p.membership, 1.0);
    assert!(
        (naive - p.modularity).abs() < 1e-9,
        "{naive} vs {}",
        p.modularity
    );
    assert!((modularity(&g, &p, 1.0) - p.modularity).abs() < 1e-12);

    let t0 = std::time::Instant::now();
    let lp = label_propagation_view(&view, &LabelPropagationOptions::default());
    let lp_time = t0.elapsed();
    assert_valid(&view, &lp, 1.0);
    assert!(
        lp.modularity > 0.0,
        "{name}: label propagation Q = {}",
        lp.modularity
    );
    assert!((naive_modularity(&g, &lp.membership, 1.0) - lp.modularity).abs() < 1e-9);
    eprintln!(
        "{name}: view {view_time:?}; leiden Q = {:.6} ({} communities, {} passes, {:?}), igraph {:.6}, \
         networkit {:.6}; label propagation Q = {:.6} ({} sweeps, {:?})",
        p.modularity,
        p.num_communities,
        p.iterations,
        leiden_time,
        gold["igraph_leiden"].as_f64().unwrap(),
        gold["networkit_parallel_leiden"].as_f64().unwrap(),
        lp.modularity,
        lp.iterations,
        lp_time
    );
}

#[test]
fn bitcoin_otc_against_igraph_and_networkit() {
    check_real(
        "bitcoin_otc",
        "bitcoin-otc/soc-sign-bitcoinotc.csv",
        FormatKind::Signed,
    );
}

#[test]
fn slashdot_zoo_against_igraph_and_networkit() {
    check_real(
        "slashdot_zoo",
        "slashdot-zoo/soc-Slashdot0902.txt.gz",
        FormatKind::EdgeList,
    );
}

#[test]
fn random_refinement_on_bitcoin_otc() {
    let g = load_layer("bitcoin-otc/soc-sign-bitcoinotc.csv", FormatKind::Signed);
    let view = UndirectedView::new(&g);
    let opts = LeidenOptions {
        refinement: Refinement::Random,
        max_iterations: usize::MAX, // until a pass moves no node
        ..LeidenOptions::default()
    };
    let p = leiden_view(&view, &opts).unwrap();
    assert_valid(&view, &p, 1.0);
    assert_connected(&view, &p);
    let best = golden("bitcoin_otc")["igraph_leiden"].as_f64().unwrap();
    assert!(p.modularity >= 0.98 * best, "{}", p.modularity);
}

/// Every pass starts from the previous partition and only makes strict
/// improvements, so a higher pass cap never returns a worse partition (the
/// first passes draw the same numbers whatever the cap).
#[test]
fn more_passes_never_lower_modularity() {
    let g = load_layer("bitcoin-otc/soc-sign-bitcoinotc.csv", FormatKind::Signed);
    let view = UndirectedView::new(&g);
    for refinement in [Refinement::Greedy, Refinement::Random] {
        for seed in [1, 2] {
            let mut last = f64::NEG_INFINITY;
            let mut last_passes = 0;
            for cap in [1, 2, 3, usize::MAX] {
                let opts = LeidenOptions {
                    seed,
                    refinement,
                    max_iterations: cap,
                    ..LeidenOptions::default()
                };
                let p = leiden_view(&view, &opts).unwrap();
                assert_valid(&view, &p, 1.0);
                assert!(
                    p.modularity >= last - 1e-12,
                    "{refinement:?} seed {seed}: cap {cap} gives Q = {} < {last} after {last_passes} passes",
                    p.modularity
                );
                assert!(p.iterations <= cap && p.iterations >= last_passes);
                last = p.modularity;
                last_passes = p.iterations;
            }
        }
    }
}

/// Starts are whole runs and the best one is kept, start 0 being the
/// single run: more starts never give a lower modularity, and on a real
/// graph some other start beats the single run.
#[test]
fn more_starts_never_lower_modularity() {
    let g = load_layer("bitcoin-otc/soc-sign-bitcoinotc.csv", FormatKind::Signed);
    let view = UndirectedView::new(&g);
    for seed in [1, 2] {
        let run = |starts: usize| {
            let opts = LeidenOptions {
                seed,
                starts,
                ..LeidenOptions::default()
            };
            let p = leiden_view(&view, &opts).unwrap();
            assert_valid(&view, &p, 1.0);
            assert_connected(&view, &p);
            p.modularity
        };
        let (one, two, eight) = (run(1), run(2), run(8));
        assert!(
            two >= one && eight >= two,
            "seed {seed}: {one} {two} {eight}"
        );
        assert!(
            eight > one,
            "seed {seed}: 8 starts no better than 1 ({one})"
        );
    }
}

/// Multilevel moves (the default) against the paper's pass, over seeds
/// 0–7 on Bitcoin OTC: every partition valid and connected, and a higher
/// mean and minimum modularity (measured on Slashdot, Epinions and Higgs
/// as well: see the module docs, *Measurements*).
#[test]
fn multilevel_moves_raise_mean_and_minimum_modularity() {
    let g = load_layer("bitcoin-otc/soc-sign-bitcoinotc.csv", FormatKind::Signed);
    let view = UndirectedView::new(&g);
    let stats = |multilevel_moves: bool| {
        let qs: Vec<f64> = (0..8)
            .map(|seed| {
                let opts = LeidenOptions {
                    seed,
                    multilevel_moves,
                    ..LeidenOptions::default()
                };
                let p = leiden_view(&view, &opts).unwrap();
                assert_valid(&view, &p, 1.0);
                assert_connected(&view, &p);
                p.modularity
            })
            .collect();
        let mean = qs.iter().sum::<f64>() / qs.len() as f64;
        (mean, qs.iter().cloned().fold(f64::INFINITY, f64::min))
    };
    let (multilevel, plain) = (stats(true), stats(false));
    eprintln!("multilevel moves: mean, min Q {multilevel:?}; plain passes {plain:?}");
    assert!(
        multilevel.0 > plain.0 && multilevel.1 >= plain.1,
        "multilevel {multilevel:?} vs plain {plain:?}"
    );
}

#[test]
fn same_partition_for_one_and_two_threads() {
    let g = load_layer("bitcoin-otc/soc-sign-bitcoinotc.csv", FormatKind::Signed);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let opts = LeidenOptions {
                    seed: 7,
                    ..LeidenOptions::default()
                };
                let random = LeidenOptions {
                    refinement: Refinement::Random,
                    ..opts
                };
                // Starts run in parallel: the choice must not depend on
                // which finishes first.
                let starts = LeidenOptions { starts: 3, ..opts };
                let plain = LeidenOptions {
                    multilevel_moves: false,
                    ..opts
                };
                (
                    (
                        leiden(&g, &opts).unwrap(),
                        leiden(&g, &random).unwrap(),
                        leiden(&g, &starts).unwrap(),
                        leiden(&g, &plain).unwrap(),
                    ),
                    label_propagation(&g, &LabelPropagationOptions::default()),
                    UndirectedView::new(&g),
                )
            })
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.0, b.0);
    assert_eq!(a.0.0.modularity.to_bits(), b.0.0.modularity.to_bits());
    assert_eq!(a.0.1.modularity.to_bits(), b.0.1.modularity.to_bits());
    assert_eq!(a.0.2.modularity.to_bits(), b.0.2.modularity.to_bits());
    assert_eq!(a.0.3.modularity.to_bits(), b.0.3.modularity.to_bits());
    assert!(a.0.2.modularity >= a.0.0.modularity);
    assert_eq!(a.1, b.1);
    assert_eq!(a.2, b.2);
    // Another seed gives a (usually) different but equally valid partition.
    let c = leiden(
        &g,
        &LeidenOptions {
            seed: 8,
            ..LeidenOptions::default()
        },
    )
    .unwrap();
    assert_eq!(c.membership.len(), a.0.0.membership.len());
}

#[test]
fn invalid_options_are_errors() {
    let g = LayerGraph::from_edges(2, &[(0, 1)], &BuildOptions::default()).unwrap();
    for opts in [
        LeidenOptions {
            resolution: 0.0,
            ..LeidenOptions::default()
        },
        LeidenOptions {
            resolution: f64::NAN,
            ..LeidenOptions::default()
        },
        LeidenOptions {
            theta: 0.0,
            ..LeidenOptions::default()
        },
        LeidenOptions {
            starts: 0,
            ..LeidenOptions::default()
        },
    ] {
        assert!(leiden(&g, &opts).is_err());
    }
}

#[test]
fn edgeless_and_empty_graphs() {
    for n in [0, 1, 5] {
        let g = LayerGraph::empty(n);
        let p = leiden(&g, &LeidenOptions::default()).unwrap();
        assert_eq!(p.membership, (0..n as u32).collect::<Vec<_>>());
        assert_eq!(p.modularity, 0.0);
        let lp = label_propagation(&g, &LabelPropagationOptions::default());
        assert_eq!(lp.membership, p.membership);
    }
}

// ---------------------------------------------------------------------------
// Property tests

fn random_graph() -> impl Strategy<Value = LayerGraph> {
    (1usize..30).prop_flat_map(|n| {
        prop::collection::vec((0..n as u32, 0..n as u32, 1u32..5), 0..80).prop_map(move |es| {
            // Duplicates and self-loops included; weights from repeated edges.
            let mut edges = Vec::new();
            for (a, b, w) in es {
                for _ in 0..w {
                    edges.push((a, b));
                }
            }
            LayerGraph::from_edges(n, &edges, &BuildOptions::default()).unwrap()
        })
    })
}

fn cliques() -> impl Strategy<Value = (usize, usize, u64)> {
    (3usize..9, 3usize..9, any::<u64>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn modularity_matches_naive(g in random_graph(), labels in prop::collection::vec(0u32..4, 30), gamma in 0.2f64..2.0) {
        let membership: Vec<u32> = labels[..g.num_nodes()].to_vec();
        let view = UndirectedView::new(&g);
        let q = view.modularity(&membership, gamma);
        let naive = naive_modularity(&g, &membership, gamma);
        prop_assert!((q - naive).abs() < 1e-12, "{} vs {}", q, naive);
    }

    #[test]
    fn leiden_and_label_propagation_give_valid_partitions(g in random_graph(), seed in any::<u64>(), greedy in any::<bool>()) {
        let view = UndirectedView::new(&g);
        let opts = LeidenOptions {
            seed,
            refinement: if greedy { Refinement::Greedy } else { Refinement::Random },
            ..LeidenOptions::default()
        };
        let p = leiden_view(&view, &opts).unwrap();
        assert_valid(&view, &p, 1.0);
        assert_connected(&view, &p);
        let singletons: Vec<u32> = (0..g.num_nodes() as u32).collect();
        prop_assert!(p.modularity >= view.modularity(&singletons, 1.0) - 1e-12);
        prop_assert!((naive_modularity(&g, &p.membership, 1.0) - p.modularity).abs() < 1e-12);
        prop_assert_eq!(&leiden_view(&view, &opts).unwrap(), &p);
        let lp = label_propagation_view(&view, &LabelPropagationOptions { seed, max_iterations: 100 });
        assert_valid(&view, &lp, 1.0);
    }

    #[test]
    fn two_disjoint_cliques_found_exactly((a, b, seed) in cliques()) {
        let n = a + b;
        // Scramble the ids so that the cliques are not contiguous.
        let perm = portevoix_graph::generate::permutation(n, seed);
        let mut edges = Vec::new();
        for (lo, hi) in [(0, a), (a, n)] {
            for x in lo..hi {
                for y in lo..hi {
                    if x != y {
                        edges.push((perm[x], perm[y]));
                    }
                }
            }
        }
        let g = LayerGraph::from_edges(n, &edges, &BuildOptions::default()).unwrap();
        let side = |v: u32| perm.iter().position(|&p| p == v).unwrap() < a;
        for p in [
            leiden(&g, &LeidenOptions { seed, ..LeidenOptions::default() }).unwrap(),
            leiden(&g, &LeidenOptions { seed, refinement: Refinement::Random, ..LeidenOptions::default() }).unwrap(),
            label_propagation(&g, &LabelPropagationOptions { seed, max_iterations: 100 }),
        ] {
            prop_assert_eq!(p.num_communities, 2);
            for u in 0..n as u32 {
                for v in 0..n as u32 {
                    prop_assert_eq!(p.membership[u as usize] == p.membership[v as usize], side(u) == side(v));
                }
            }
        }
    }
}
