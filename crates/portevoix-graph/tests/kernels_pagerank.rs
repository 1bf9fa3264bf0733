//! PageRank kernels: NetworkX golden values on real graphs, a naive dense
//! reference on random small graphs, determinism across thread counts and
//! argument validation.
//!
//! The golden files are made by `tests/golden/make_pagerank_golden.py`.

use flate2::read::GzDecoder;
use portevoix_core::{Error, LayerLog, NodeId};
use portevoix_graph::kernels::{
    Dangling, PageRankOptions, PageRankSolver, pagerank, pagerank_with, personalized_pagerank,
    personalized_pagerank_batch, personalized_pagerank_batch_with,
};
use portevoix_graph::{BuildOptions, LayerGraph, Network};
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_testdata::shared_dataset;
use proptest::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------
// Golden values from NetworkX.

struct Golden {
    nodes: usize,
    ids: Vec<u64>,
    pagerank: Vec<f64>,
    personalization: Vec<(u64, f64)>,
    ppr: Vec<f64>,
}

fn golden(name: &str) -> Golden {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let plain = dir.join(format!("pagerank_{name}.json"));
    let mut text = String::new();
    if plain.exists() {
        text = std::fs::read_to_string(&plain).unwrap();
    } else {
        let gz = dir.join(format!("pagerank_{name}.json.gz"));
        GzDecoder::new(std::fs::File::open(&gz).unwrap())
            .read_to_string(&mut text)
            .unwrap();
    }
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let floats = |key: &str| -> Vec<f64> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    let mut personalization: Vec<(u64, f64)> = v["personalization"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, w)| (k.parse().unwrap(), w.as_f64().unwrap()))
        .collect();
    personalization.sort_by_key(|p| p.0);
    Golden {
        nodes: v["nodes"].as_u64().unwrap() as usize,
        ids: v["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect(),
        pagerank: floats("pagerank"),
        personalization,
        ppr: floats("ppr"),
    }
}

/// Loads a shared dataset through `portevoix_ingest` as the CLI does and
/// returns its only layer and the network (for names).
fn load_network(rel: &str, format: FormatKind) -> Network {
    let path = shared_dataset(rel);
    let ds = load(&[(Path::new(&path), Some(format))], &ReadOptions::default()).unwrap();
    Network::build(&ds.interactions, ds.interner, &BuildOptions::default()).unwrap()
}

fn l1_to_golden(net: &Network, scores: &[f64], ids: &[u64], expected: &[f64]) -> f64 {
    assert_eq!(scores.len(), ids.len());
    ids.iter()
        .zip(expected)
        .map(|(id, e)| {
            let v = net.interner().get(&id.to_string()).unwrap();
            (scores[v.index()] - e).abs()
        })
        .sum()
}

/// Every solver against NetworkX, plain and personalised: `Auto` must pick
/// `expected` on this graph (the measured rule), and the two solvers must
/// agree with NetworkX and with each other.
fn check_against_networkx(
    name: &str,
    rel: &str,
    format: FormatKind,
    weighted: bool,
    expected: PageRankSolver,
) {
    let net = load_network(rel, format);
    let (_, graph) = net.layers().next().unwrap();
    assert_eq!(net.layers().count(), 1);
    let g = golden(name);
    assert_eq!(net.num_nodes(), g.nodes, "{name}: node count");
    let opts = PageRankOptions {
        tolerance: 1e-13,
        max_iterations: 1000,
        weighted,
        ..Default::default()
    };
    let mut p = vec![0.0; net.num_nodes()];
    for &(id, w) in &g.personalization {
        p[net.interner().get(&id.to_string()).unwrap().index()] = w;
    }
    let mut plain = Vec::new();
    for solver in [
        PageRankSolver::Auto,
        PageRankSolver::Power,
        PageRankSolver::Krylov,
    ] {
        let start = std::time::Instant::now();
        let r = pagerank_with(graph, &opts, solver, None, None).unwrap();
        let took = start.elapsed();
        assert!(
            r.converged && r.residual < opts.tolerance,
            "{name} {solver:?}: {r:?}"
        );
        match solver {
            PageRankSolver::Auto => assert_eq!(r.solver, expected, "{name}: Auto's choice"),
            s => assert_eq!(r.solver, s, "{name}"),
        }
        let l1 = l1_to_golden(&net, &r.scores, &g.ids, &g.pagerank);
        eprintln!(
            "{name} {solver:?}: pagerank L1 to NetworkX {l1:.3e}, {} sweeps, {took:.2?}",
            r.iterations
        );
        assert!(l1 < 1e-9, "{name} {solver:?}: pagerank L1 {l1}");

        plain.push(r.scores);
        if solver == PageRankSolver::Power {
            // The reference path; the naive proptests cover its personalised form.
            continue;
        }
        let r = pagerank_with(graph, &opts, solver, Some(&p), None).unwrap();
        assert!(r.converged, "{name} {solver:?}: {r:?}");
        let ppr_l1 = l1_to_golden(&net, &r.scores, &g.ids, &g.ppr);
        eprintln!(
            "{name} {solver:?}: ppr L1 to NetworkX {ppr_l1:.3e}, {} sweeps",
            r.iterations
        );
        assert!(
            ppr_l1 < 1e-9,
            "{name} {solver:?}: personalised pagerank L1 {ppr_l1}"
        );
    }
    // Same fixed point: both within the tolerance's error bound of it.
    let bound = 2.0 * opts.tolerance * opts.damping / (1.0 - opts.damping);
    assert!(l1(&plain[1], &plain[2]) < bound, "{name}: power vs krylov");
    // The default entry points are Auto.
    assert_eq!(pagerank(graph, &opts, None).unwrap().solver, expected);
}

#[test]
fn bitcoin_otc_matches_networkx() {
    check_against_networkx(
        "bitcoin_otc",
        "bitcoin-otc/soc-sign-bitcoinotc.csv",
        FormatKind::Signed,
        false,
        PageRankSolver::Krylov,
    );
}

#[test]
fn epinions_matches_networkx() {
    check_against_networkx(
        "epinions",
        "epinions-signed/soc-sign-epinions.txt.gz",
        FormatKind::Signed,
        false,
        PageRankSolver::Krylov,
    );
}

#[test]
fn slashdot_zoo_matches_networkx() {
    check_against_networkx(
        "slashdot",
        "slashdot-zoo/soc-Slashdot0902.txt.gz",
        FormatKind::EdgeList,
        false,
        PageRankSolver::Krylov,
    );
}

#[test]
fn higgs_retweet_weighted_matches_networkx() {
    check_against_networkx(
        "higgs_retweet",
        "higgs-twitter/higgs-retweet_network.edgelist.gz",
        FormatKind::EdgeList,
        true,
        PageRankSolver::Krylov,
    );
}

// ---------------------------------------------------------------------------
// Naive dense reference.

/// Dense power iteration straight from the formula, on the edge list with
/// duplicates summed (the default build) and, when kept, self-loops.
fn naive(
    n: usize,
    edges: &[(u32, u32, f32)],
    keep_self_loops: bool,
    opts: &PageRankOptions,
    personalization: Option<&[f64]>,
) -> Vec<f64> {
    let mut a = vec![vec![0.0f64; n]; n];
    for &(u, v, w) in edges {
        if u == v && !keep_self_loops {
            continue;
        }
        a[u as usize][v as usize] += if opts.weighted { f64::from(w) } else { 1.0 };
    }
    if !opts.weighted {
        // Unweighted: every distinct edge counts 1.
        for row in &mut a {
            for x in row.iter_mut() {
                if *x > 0.0 {
                    *x = 1.0;
                }
            }
        }
    }
    let p: Vec<f64> = match personalization {
        Some(p) => {
            let s: f64 = p.iter().sum();
            p.iter().map(|x| x / s).collect()
        }
        None => vec![1.0 / n as f64; n],
    };
    let d = opts.damping;
    let mut x = vec![1.0 / n as f64; n];
    for _ in 0..5000 {
        let mut y = vec![0.0; n];
        let mut mass = 0.0;
        for u in 0..n {
            let wout: f64 = a[u].iter().sum();
            if wout > 0.0 {
                for v in 0..n {
                    y[v] += d * x[u] * a[u][v] / wout;
                }
            } else {
                match opts.dangling {
                    Dangling::Teleport => mass += x[u],
                    Dangling::Uniform => {
                        for yv in y.iter_mut() {
                            *yv += d * x[u] / n as f64;
                        }
                    }
                    Dangling::SelfLoop => y[u] += d * x[u],
                }
            }
        }
        for v in 0..n {
            y[v] += (1.0 - d) * p[v] + d * mass * p[v];
        }
        let diff: f64 = x.iter().zip(&y).map(|(a, b)| (a - b).abs()).sum();
        x = y;
        if diff < 1e-15 {
            break;
        }
    }
    x
}

fn build(n: usize, edges: &[(u32, u32, f32)], keep_self_loops: bool) -> LayerGraph {
    let mut log = LayerLog::default();
    for &(u, v, w) in edges {
        log.push(NodeId(u), NodeId(v), w, None, None, None);
    }
    let opts = BuildOptions {
        keep_self_loops,
        ..Default::default()
    };
    LayerGraph::build(&log, n, &opts).unwrap()
}

fn l1(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
}

/// Random small graphs: isolated nodes (ids never drawn), dangling nodes,
/// self-loops, duplicates (small id range), optionally a hub everyone points to.
fn graph_strategy() -> impl Strategy<Value = (usize, Vec<(u32, u32, f32)>, bool, bool)> {
    (1usize..24).prop_flat_map(|n| {
        let edge = (
            0..n as u32,
            0..n as u32,
            prop::sample::select(vec![0.5f32, 1.0, 2.0, 3.0]),
        );
        (
            Just(n),
            prop::collection::vec(edge, 0..60),
            any::<bool>(),
            any::<bool>(),
        )
    })
}

fn dangling_strategy() -> impl Strategy<Value = Dangling> {
    prop::sample::select(vec![
        Dangling::Teleport,
        Dangling::Uniform,
        Dangling::SelfLoop,
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn matches_naive_reference(
        (n, mut edges, keep_loops, hub) in graph_strategy(),
        dangling in dangling_strategy(),
        weighted in any::<bool>(),
        damping in prop::sample::select(vec![0.0, 0.5, 0.85, 0.95]),
        pers in prop::collection::vec(prop::sample::select(vec![0.0, 0.0, 1.0, 2.5]), 24),
    ) {
        if hub {
            for u in 1..n as u32 {
                edges.push((u, 0, 1.0));
            }
        }
        let g = build(n, &edges, keep_loops);
        let opts = PageRankOptions {
            damping,
            tolerance: 1e-14,
            max_iterations: 5000,
            dangling,
            weighted,
        };
        let r = pagerank(&g, &opts, None).unwrap();
        prop_assert!(r.converged);
        let want = naive(n, &edges, keep_loops, &opts, None);
        prop_assert!(l1(&r.scores, &want) < 1e-10, "{:?} vs {:?}", r.scores, want);
        prop_assert!((r.scores.iter().sum::<f64>() - 1.0).abs() < 1e-12);

        let mut p = pers[..n].to_vec();
        if p.iter().all(|x| *x == 0.0) {
            p[n - 1] = 1.0;
        }
        let r = personalized_pagerank(&g, &p, &opts, None).unwrap();
        prop_assert!(r.converged);
        let want = naive(n, &edges, keep_loops, &opts, Some(&p));
        prop_assert!(l1(&r.scores, &want) < 1e-10, "{:?} vs {:?}", r.scores, want);

        // The batch gives the same bits as one run per vector.
        let q: Vec<f64> = (0..n).map(|i| (i % 3) as f64).collect();
        let q = if q.iter().all(|x| *x == 0.0) { vec![1.0; n] } else { q };
        let batch = personalized_pagerank_batch(&g, &[p.clone(), q.clone()], &opts).unwrap();
        prop_assert_eq!(&batch[0], &r);
        prop_assert_eq!(&batch[1], &personalized_pagerank(&g, &q, &opts, None).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The Krylov solver on random small graphs (acyclic ends, cycles,
    /// self-loops, dangling nodes, weights, every dangling policy and
    /// damping) reaches the naive reference's fixed point, meets the power
    /// iteration's stopping rule, and batches bit-identically.
    #[test]
    fn krylov_matches_naive_reference(
        (n, mut edges, keep_loops, hub) in graph_strategy(),
        dangling in dangling_strategy(),
        weighted in any::<bool>(),
        damping in prop::sample::select(vec![0.0, 0.5, 0.85, 0.95, 0.99]),
        pers in prop::collection::vec(prop::sample::select(vec![0.0, 0.0, 1.0, 2.5]), 24),
    ) {
        if hub {
            for u in 1..n as u32 {
                edges.push((u, 0, 1.0));
            }
        }
        let g = build(n, &edges, keep_loops);
        let opts = PageRankOptions {
            damping,
            tolerance: 1e-13,
            max_iterations: 5000,
            dangling,
            weighted,
        };
        let r = pagerank_with(&g, &opts, PageRankSolver::Krylov, None, None).unwrap();
        prop_assert!(r.converged && r.residual < opts.tolerance);
        // Krylov applies wherever 0 < d <= 0.99 and edges exist.
        let applies = damping > 0.0 && g.num_edges() > 0;
        prop_assert!(!applies || r.solver == PageRankSolver::Krylov);
        let want = naive(n, &edges, keep_loops, &opts, None);
        prop_assert!(l1(&r.scores, &want) < 1e-10, "{:?} vs {:?}", r.scores, want);
        prop_assert!((r.scores.iter().sum::<f64>() - 1.0).abs() < 1e-12);

        let mut p = pers[..n].to_vec();
        if p.iter().all(|x| *x == 0.0) {
            p[n - 1] = 1.0;
        }
        let r = pagerank_with(&g, &opts, PageRankSolver::Krylov, Some(&p), None).unwrap();
        prop_assert!(r.converged);
        // Dangling::Uniform with a personalisation is the power iteration's.
        if dangling == Dangling::Uniform {
            prop_assert_eq!(r.solver, PageRankSolver::Power);
        }
        let want = naive(n, &edges, keep_loops, &opts, Some(&p));
        prop_assert!(l1(&r.scores, &want) < 1e-10, "{:?} vs {:?}", r.scores, want);

        let q: Vec<f64> = (0..n).map(|i| (i % 3) as f64).collect();
        let q = if q.iter().all(|x| *x == 0.0) { vec![1.0; n] } else { q };
        let batch = personalized_pagerank_batch_with(
            &g, &[p.clone(), q.clone()], &opts, PageRankSolver::Krylov,
        ).unwrap();
        prop_assert_eq!(&batch[0], &r);
        prop_assert_eq!(
            &batch[1],
            &pagerank_with(&g, &opts, PageRankSolver::Krylov, Some(&q), None).unwrap()
        );
    }
}

// ---------------------------------------------------------------------------
// Determinism, warm start, merged views, edge cases.

fn kronecker_like(n: u32, m: usize) -> Vec<(u32, u32, f32)> {
    // A small deterministic skewed graph (LCG), no external generator needed.
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 33) as u32
    };
    (0..m)
        .map(|_| {
            let a = next() % n;
            let b = (next() % n).min(next() % n); // skew towards small ids
            (a, b, 1.0 + (next() % 4) as f32)
        })
        .collect()
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn bit_identical_for_one_and_two_threads() {
    let n = 20_000u32;
    let g = build(n as usize, &kronecker_like(n, 120_000), false);
    let opts = PageRankOptions::default();
    let p: Vec<f64> = (0..n).map(|i| f64::from(i % 7)).collect();
    let q: Vec<f64> = (0..n).map(|i| if i < 50 { 1.0 } else { 0.0 }).collect();
    let (gr, pr, qr) = (&g, &p, &q);
    let run = |solver| {
        move || {
            let (g, p, q) = (gr, pr, qr);
            (
                pagerank_with(g, &opts, solver, None, None).unwrap(),
                pagerank_with(g, &opts, solver, Some(p), None).unwrap(),
                personalized_pagerank_batch_with(g, &[&p[..], &q[..]], &opts, solver).unwrap(),
            )
        }
    };
    for solver in [
        PageRankSolver::Auto,
        PageRankSolver::Power,
        PageRankSolver::Krylov,
    ] {
        let one = in_pool(1, run(solver));
        let two = in_pool(2, run(solver));
        let three = in_pool(3, run(solver));
        assert!(one.0.converged && one.0.iterations > 5);
        assert_eq!(one, two, "{solver:?}");
        assert_eq!(one, three, "{solver:?}");
        assert_eq!(one.1, one.2[0], "{solver:?}");
        if solver != PageRankSolver::Auto {
            assert_eq!(one.0.solver, solver);
        }
    }
    // The default entry points are Auto.
    assert_eq!(
        pagerank(&g, &opts, None).unwrap(),
        pagerank_with(&g, &opts, PageRankSolver::Auto, None, None).unwrap()
    );
    assert_eq!(
        personalized_pagerank_batch(&g, &[&p[..], &q[..]], &opts).unwrap(),
        personalized_pagerank_batch_with(&g, &[&p[..], &q[..]], &opts, PageRankSolver::Auto)
            .unwrap()
    );
}

#[test]
fn warm_start_converges_faster_to_the_same_vector() {
    let n = 5_000u32;
    let g = build(n as usize, &kronecker_like(n, 30_000), false);
    let opts = PageRankOptions {
        tolerance: 1e-12,
        max_iterations: 1000,
        ..Default::default()
    };
    let cold = pagerank(&g, &opts, None).unwrap();
    let warm = pagerank(&g, &opts, Some(&cold.scores)).unwrap();
    assert!(warm.converged && warm.iterations < cold.iterations);
    assert!(l1(&warm.scores, &cold.scores) < 1e-11);
    // A warm start is normalised: scaling it changes nothing.
    let scaled: Vec<f64> = cold.scores.iter().map(|x| x * 8.0).collect();
    assert_eq!(pagerank(&g, &opts, Some(&scaled)).unwrap(), warm);
}

#[test]
fn runs_on_merged_views() {
    use portevoix_core::{Interaction, InteractionLog, Interner, Layer};
    let mut ids = Interner::new();
    let a = ids.intern("a").unwrap();
    let b = ids.intern("b").unwrap();
    let c = ids.intern("c").unwrap();
    let mut log = InteractionLog::new();
    log.push(Interaction::new(a, b, Layer::Repost));
    log.push(Interaction::new(c, b, Layer::Repost));
    log.push(Interaction::new(b, a, Layer::Follow));
    log.push(Interaction::new(c, a, Layer::Follow));
    let net = Network::build(&log, ids, &BuildOptions::default()).unwrap();
    let merged = net.merged(&[(Layer::Repost, 1.0), (Layer::Follow, 0.5)]);
    let opts = PageRankOptions {
        tolerance: 1e-14,
        max_iterations: 1000,
        ..Default::default()
    };
    let r = pagerank(&merged, &opts, None).unwrap();
    let edges = [(0, 1, 1.0), (2, 1, 1.0), (1, 0, 0.5), (2, 0, 0.5)];
    let want = naive(3, &edges, false, &opts, None);
    assert!(l1(&r.scores, &want) < 1e-12);
    assert!(r.scores[b.index()] > r.scores[a.index()]);
}

#[test]
fn edge_cases() {
    let opts = PageRankOptions::default();
    // No nodes.
    let r = pagerank(&LayerGraph::empty(0), &opts, None).unwrap();
    assert!(r.scores.is_empty() && r.converged);
    // No edges: uniform in one iteration.
    let r = pagerank(&LayerGraph::empty(4), &opts, None).unwrap();
    assert_eq!(r.scores, vec![0.25; 4]);
    assert_eq!((r.iterations, r.residual, r.converged), (1, 0.0, true));
    // Iteration cap reached: not an error.
    let g = build(3, &[(0, 1, 1.0), (1, 2, 1.0)], false);
    let capped = PageRankOptions {
        max_iterations: 2,
        tolerance: 0.0,
        ..opts
    };
    let r = pagerank(&g, &capped, None).unwrap();
    assert_eq!((r.iterations, r.converged), (2, false));
    assert!(r.residual > 0.0);
    // Empty batch.
    let none: [&[f64]; 0] = [];
    assert!(
        personalized_pagerank_batch(&g, &none, &opts)
            .unwrap()
            .is_empty()
    );
}

fn invalid(r: portevoix_core::Result<impl std::fmt::Debug>, needle: &str) {
    match r {
        Err(Error::Argument { reason: msg, .. }) => {
            assert!(msg.contains(needle), "message {msg:?} lacks {needle:?}")
        }
        other => panic!("expected an argument error ({needle}), got {other:?}"),
    }
}

#[test]
fn validation_errors() {
    let g = build(3, &[(0, 1, 1.0), (1, 2, 1.0)], false);
    let opts = PageRankOptions::default();
    invalid(
        personalized_pagerank(&g, &[1.0, 0.0], &opts, None),
        "2 entries but the graph has 3",
    );
    invalid(
        personalized_pagerank(&g, &[1.0, -1.0, 0.0], &opts, None),
        "non-negative",
    );
    invalid(
        personalized_pagerank(&g, &[1.0, f64::NAN, 0.0], &opts, None),
        "entry 1 is NaN",
    );
    invalid(
        personalized_pagerank(&g, &[f64::INFINITY, 0.0, 0.0], &opts, None),
        "finite",
    );
    invalid(
        personalized_pagerank(&g, &[0.0; 3], &opts, None),
        "at least one weight must be positive",
    );
    invalid(pagerank(&g, &opts, Some(&[0.0, 0.0, 0.0])), "warm start");
    invalid(
        pagerank(&g, &opts, Some(&[1.0])),
        "warm start has 1 entries",
    );
    invalid(
        personalized_pagerank_batch(&g, &[vec![1.0, 0.0, 0.0], vec![0.0, -2.0, 0.0]], &opts),
        "personalization #1",
    );
    let bad = PageRankOptions {
        damping: 1.5,
        ..opts
    };
    invalid(pagerank(&g, &bad, None), "damping");
    let bad = PageRankOptions {
        tolerance: f64::NAN,
        ..opts
    };
    invalid(pagerank(&g, &bad, None), "tolerance");
}

/// A graph on which BiCGSTAB once stalled (found by `krylov_matches_naive_reference`):
/// eleven nodes, self-loops kept, dangling mass to the node itself, d = 0.5.
#[test]
fn krylov_converges_where_bicgstab_stalled() {
    let edges = [
        (7, 3, 1.0),
        (7, 2, 0.5),
        (10, 7, 1.0),
        (8, 0, 3.0),
        (8, 3, 1.0),
        (8, 4, 1.0),
        (2, 6, 2.0),
        (1, 10, 0.5),
        (2, 10, 1.0),
    ];
    let g = build(11, &edges, true);
    let opts = PageRankOptions {
        damping: 0.5,
        tolerance: 1e-13,
        max_iterations: 5000,
        dangling: Dangling::SelfLoop,
        weighted: false,
    };
    let r = pagerank_with(&g, &opts, PageRankSolver::Krylov, None, None).unwrap();
    eprintln!(
        "{} iterations, residual {:e}, converged {}, solver {:?}",
        r.iterations, r.residual, r.converged, r.solver
    );
    assert!(r.converged && r.residual < opts.tolerance);
    let want = naive(11, &edges, true, &opts, None);
    assert!(l1(&r.scores, &want) < 1e-10);
}
