//! HITS, LeaderRank, Katz and k-cores: against NetworkX golden files on real
//! graphs (made by `tests/golden/make_centrality_golden.py`), against naive
//! dense implementations on random small graphs, and bit-identical for 1
//! and 2 threads.

use flate2::read::GzDecoder;
use portevoix_core::{LayerLog, NodeId};
use portevoix_graph::kernels::{
    CoreMode, HitsOptions, HitsSolver, KatzOptions, LeaderRankOptions, core_numbers, hits,
    hits_with, katz, leaderrank,
};
use portevoix_graph::{BuildOptions, LayerGraph, Network};
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_testdata::shared_dataset;
use proptest::prelude::*;
use std::io::Read;
use std::path::PathBuf;

// ---------------------------------------------------------------------------
// Golden files (NetworkX 3.6.1)

struct Golden {
    text: String,
}

impl Golden {
    fn open(name: &str) -> Golden {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(format!("centrality_{name}.json.gz"));
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut text = String::new();
        GzDecoder::new(file).read_to_string(&mut text).unwrap();
        Golden { text }
    }

    /// The items of the array on the line `"key": [...]`.
    fn array(&self, key: &str) -> Vec<&str> {
        let prefix = format!("\"{key}\": [");
        let line = self
            .text
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no {key} in golden file"));
        let body = line[prefix.len()..]
            .trim_end_matches(',')
            .trim_end_matches(']');
        body.split(',').map(|s| s.trim_matches('"')).collect()
    }

    fn floats(&self, key: &str) -> Vec<f64> {
        self.array(key).iter().map(|s| s.parse().unwrap()).collect()
    }

    fn scalar(&self, key: &str) -> f64 {
        let prefix = format!("\"{key}\": ");
        let line = self.text.lines().find(|l| l.starts_with(&prefix)).unwrap();
        line[prefix.len()..].trim_end_matches(',').parse().unwrap()
    }
}

/// Loads a shared dataset as Porte-voix does and returns its single layer,
/// with a map from golden-file order to node ids.
fn load_graph(rel: &str, format: FormatKind, golden: &Golden) -> (LayerGraph, Vec<NodeId>) {
    let path = shared_dataset(rel);
    let ds = load(&[(&path, Some(format))], &ReadOptions::default()).unwrap();
    let net = Network::build(&ds.interactions, ds.interner, &BuildOptions::default()).unwrap();
    let mut layers = net.layers();
    let (_, g) = layers.next().expect("one layer");
    assert!(layers.next().is_none());
    let ids = golden.array("ids");
    assert_eq!(
        ids.len(),
        net.num_nodes(),
        "node count differs from the golden file"
    );
    let order = ids
        .iter()
        .map(|id| {
            net.interner()
                .get(id)
                .unwrap_or_else(|| panic!("id {id} missing"))
        })
        .collect();
    (g.clone(), order)
}

fn l1_to_golden(ours: &[f64], order: &[NodeId], golden: &[f64]) -> f64 {
    order
        .iter()
        .zip(golden)
        .map(|(v, g)| (ours[v.index()] - g).abs())
        .sum()
}

fn check_against_networkx(name: &str, rel: &str, format: FormatKind) {
    let golden = Golden::open(name);
    let (g, order) = load_graph(rel, format, &golden);
    assert_eq!(g.num_edges() as f64, {
        let meta = golden.text.lines().nth(1).unwrap();
        let at = meta.find("\"edges\": ").unwrap() + 9;
        meta[at..]
            .split(',')
            .next()
            .unwrap()
            .parse::<f64>()
            .unwrap()
    });

    // Every solver against NetworkX; Auto picks Lanczos on these graphs (the
    // smallest, Bitcoin OTC, has 5,881 nodes, above MIN_LANCZOS_NODES).
    for solver in [HitsSolver::Auto, HitsSolver::Power, HitsSolver::Lanczos] {
        let r = hits_with(&g, &HitsOptions::default(), solver).unwrap();
        assert!(
            r.converged && r.residual < HitsOptions::default().tolerance,
            "{name} {solver:?}: HITS did not converge ({} it.)",
            r.iterations
        );
        let want = if solver == HitsSolver::Power {
            HitsSolver::Power
        } else {
            HitsSolver::Lanczos
        };
        assert_eq!(r.solver, want, "{name} {solver:?}");
        let dh = l1_to_golden(&r.hubs, &order, &golden.floats("hubs"));
        let da = l1_to_golden(&r.authorities, &order, &golden.floats("authorities"));
        println!(
            "{name} {solver:?}: HITS {} iterations, L1 hubs {dh:.3e}, authorities {da:.3e}",
            r.iterations
        );
        assert!(
            dh < 1e-9 && da < 1e-9,
            "{name} {solver:?}: HITS L1 {dh:e} / {da:e}"
        );
        assert!(r.hubs.iter().chain(&r.authorities).all(|&x| x >= 0.0));
    }
    assert_eq!(
        hits(&g, &HitsOptions::default()).unwrap().solver,
        HitsSolver::Lanczos
    );

    let core = core_numbers(&g, CoreMode::Undirected);
    let expected: Vec<u32> = golden
        .array("core")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let ours: Vec<u32> = order.iter().map(|v| core[v.index()]).collect();
    assert!(
        ours == expected,
        "{name}: coreness differs from nx.core_number"
    );
    for (mode, key) in [(CoreMode::In, "in_core"), (CoreMode::Out, "out_core")] {
        let core = core_numbers(&g, mode);
        let expected: Vec<u32> = golden
            .array(key)
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let ours: Vec<u32> = order.iter().map(|v| core[v.index()]).collect();
        assert!(
            ours == expected,
            "{name}: {key} differs from igraph's coreness"
        );
    }

    if golden.text.contains("\"katz\": [") {
        let alpha = golden.scalar("katz_alpha");
        let opts = KatzOptions {
            alpha,
            beta: 1.0,
            tolerance: 1e-15,
            ..KatzOptions::default()
        };
        let k = katz(&g, &opts).unwrap();
        assert!(k.converged);
        let dk = l1_to_golden(&k.scores, &order, &golden.floats("katz"));
        println!(
            "{name}: Katz alpha {alpha}, {} iterations, L1 {dk:.3e}",
            k.iterations
        );
        assert!(dk < 1e-9, "{name}: Katz L1 {dk:e}");
        // Twice 1 / lambda_max: a clear error, not a vector.
        let lam = golden.scalar("katz_lambda_max");
        let err = katz(
            &g,
            &KatzOptions {
                alpha: 2.0 / lam,
                ..opts
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("diverges"), "{err}");
    }
}

#[test]
fn bitcoin_otc_matches_networkx() {
    check_against_networkx(
        "bitcoin_otc",
        "bitcoin-otc/soc-sign-bitcoinotc.csv",
        FormatKind::Signed,
    );
}

#[test]
fn slashdot_zoo_matches_networkx() {
    check_against_networkx(
        "slashdot_zoo",
        "slashdot-zoo/soc-Slashdot0902.txt.gz",
        FormatKind::EdgeList,
    );
}

#[test]
fn higgs_retweet_weighted_matches_networkx() {
    // Weighted: the third column (retweet count) is the edge weight on both sides.
    check_against_networkx(
        "higgs_retweet",
        "higgs-twitter/higgs-retweet_network.edgelist.gz",
        FormatKind::EdgeList,
    );
}

#[test]
fn epinions_matches_networkx() {
    check_against_networkx(
        "epinions",
        "epinions-signed/soc-sign-epinions.txt.gz",
        FormatKind::Signed,
    );
}

// ---------------------------------------------------------------------------
// Determinism

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
        .install(f)
}

#[test]
fn kernels_are_bit_identical_for_1_and_2_threads() {
    let (n, edges) = portevoix_graph::generate::kronecker(13, 8, 5);
    let mut log = LayerLog::default();
    for (i, &(a, b)) in edges.iter().enumerate() {
        // Weights at different scales make the sums order-sensitive.
        let w = if i % 7 == 0 {
            1.0e6
        } else {
            0.1 * (i % 13) as f32 + 0.1
        };
        log.push(NodeId(a), NodeId(b), w, None, None, None);
    }
    let g = LayerGraph::build(&log, n, &BuildOptions::default()).unwrap();
    let run = || {
        let h = hits(
            &g,
            &HitsOptions {
                max_iterations: 50,
                ..HitsOptions::default()
            },
        )
        .unwrap();
        let hl = hits_with(&g, &HitsOptions::default(), HitsSolver::Lanczos).unwrap();
        let l = leaderrank(
            &g,
            &LeaderRankOptions {
                weighted: true,
                ..LeaderRankOptions::default()
            },
        )
        .unwrap();
        let k = katz(
            &g,
            &KatzOptions {
                alpha: 1e-8,
                ..KatzOptions::default()
            },
        )
        .unwrap();
        let c: Vec<_> = [CoreMode::Undirected, CoreMode::In, CoreMode::Out]
            .map(|m| core_numbers(&g, m))
            .into();
        (h, l, k, c, hl)
    };
    let one = in_pool(1, run);
    let two = in_pool(2, run);
    let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one.0.hubs), bits(&two.0.hubs));
    assert_eq!(bits(&one.0.authorities), bits(&two.0.authorities));
    assert_eq!(one.0.residual.to_bits(), two.0.residual.to_bits());
    assert_eq!(one.4, two.4);
    assert_eq!(one.4.solver, HitsSolver::Lanczos);
    assert_eq!(bits(&one.1.scores), bits(&two.1.scores));
    assert_eq!(one.1.iterations, two.1.iterations);
    assert_eq!(bits(&one.2.scores), bits(&two.2.scores));
    assert_eq!(one.3, two.3);
}

/// Two disjoint copies of the same star share the top singular value: the
/// power iteration converges to the uniform start's projection on that
/// eigenspace (both stars alike), and Lanczos, started from the power
/// iteration's first vector, to the same vector.
#[test]
fn hits_lanczos_keeps_the_power_limit_on_a_repeated_top_value() {
    let mut edges = Vec::new();
    for star in [0u32, 100] {
        for fan in 1..40 {
            edges.push((star + fan, star));
            if fan % 3 == 0 {
                edges.push((star + fan, star + fan + 1));
            }
        }
    }
    // A third, weaker component.
    edges.extend([(200, 201), (202, 201), (201, 203)]);
    let g = LayerGraph::from_edges(5000, &edges, &BuildOptions::default()).unwrap();
    let opts = HitsOptions {
        tolerance: 1e-13,
        max_iterations: 10_000,
    };
    let p = hits_with(&g, &opts, HitsSolver::Power).unwrap();
    let l = hits_with(&g, &opts, HitsSolver::Lanczos).unwrap();
    assert!(p.converged && l.converged);
    assert_eq!(l.solver, HitsSolver::Lanczos);
    assert!(l1(&p.authorities, &l.authorities) < 1e-11);
    assert!(l1(&p.hubs, &l.hubs) < 1e-11);
    assert!((l.authorities[0] - l.authorities[100]).abs() < 1e-12);
    let top = l.authorities.iter().cloned().fold(0.0, f64::max);
    assert_eq!(top, l.authorities[0].max(l.authorities[100]));
    assert!(l.authorities[200..204].iter().all(|&a| a < 1e-6));
}

// ---------------------------------------------------------------------------
// Edge cases

#[test]
fn edgeless_graphs_and_invalid_options() {
    let g = LayerGraph::empty(3);
    let h = hits(&g, &HitsOptions::default()).unwrap();
    assert_eq!(h.hubs, vec![1.0 / 3.0; 3]);
    assert_eq!(
        leaderrank(&g, &LeaderRankOptions::default())
            .unwrap()
            .scores,
        vec![1.0; 3]
    );
    let k = katz(&g, &KatzOptions::default()).unwrap();
    assert!(k.converged);
    assert_eq!(k.scores, vec![1.0 / 3f64.sqrt(); 3]);
    assert_eq!(core_numbers(&g, CoreMode::Undirected), vec![0; 3]);
    let empty = LayerGraph::empty(0);
    assert!(
        hits(&empty, &HitsOptions::default())
            .unwrap()
            .hubs
            .is_empty()
    );
    assert!(
        leaderrank(&empty, &LeaderRankOptions::default())
            .unwrap()
            .scores
            .is_empty()
    );
    assert!(
        katz(&empty, &KatzOptions::default())
            .unwrap()
            .scores
            .is_empty()
    );

    let bad = |o: KatzOptions| katz(&g, &o).unwrap_err().to_string();
    assert!(
        bad(KatzOptions {
            alpha: 0.0,
            ..KatzOptions::default()
        })
        .contains("alpha")
    );
    assert!(
        bad(KatzOptions {
            alpha: f64::NAN,
            ..KatzOptions::default()
        })
        .contains("alpha")
    );
    assert!(
        bad(KatzOptions {
            beta: -1.0,
            ..KatzOptions::default()
        })
        .contains("beta")
    );
    assert!(
        hits(
            &g,
            &HitsOptions {
                tolerance: f64::NAN,
                ..HitsOptions::default()
            }
        )
        .is_err()
    );
    assert!(
        leaderrank(
            &g,
            &LeaderRankOptions {
                tolerance: -1.0,
                ..LeaderRankOptions::default()
            }
        )
        .is_err()
    );
}

#[test]
fn katz_divergence_is_an_error_with_lambda_estimate() {
    // A directed 3-cycle plus a chord: lambda_max about 1.32.
    let g = LayerGraph::from_edges(
        3,
        &[(0, 1), (1, 2), (2, 0), (0, 2)],
        &BuildOptions::default(),
    )
    .unwrap();
    assert!(
        katz(
            &g,
            &KatzOptions {
                alpha: 0.7,
                ..KatzOptions::default()
            }
        )
        .unwrap()
        .converged
    );
    let err = katz(
        &g,
        &KatzOptions {
            alpha: 0.8,
            ..KatzOptions::default()
        },
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("diverges") && msg.contains("lambda_max"),
        "{msg}"
    );
}

// ---------------------------------------------------------------------------
// Naive dense references on random small graphs

/// Dense weighted adjacency `a[u][v]` of a built layer.
fn dense(g: &LayerGraph) -> Vec<Vec<f64>> {
    let n = g.num_nodes();
    let mut a = vec![vec![0.0; n]; n];
    for (u, v, w) in g.edges() {
        a[u.index()][v.index()] += w as f64;
    }
    a
}

fn dense_hits(a: &[Vec<f64>], iterations: usize) -> (Vec<f64>, Vec<f64>) {
    let n = a.len();
    let mut h = vec![1.0 / n as f64; n];
    let mut au = vec![1.0 / n as f64; n];
    for _ in 0..iterations {
        au = (0..n)
            .map(|v| (0..n).map(|u| a[u][v] * h[u]).sum())
            .collect();
        let s: f64 = au.iter().sum();
        au.iter_mut().for_each(|x| *x /= s);
        h = (0..n)
            .map(|u| (0..n).map(|v| a[u][v] * au[v]).sum())
            .collect();
        let s: f64 = h.iter().sum();
        h.iter_mut().for_each(|x| *x /= s);
    }
    (h, au)
}

fn dense_leaderrank(a: &[Vec<f64>], weighted: bool, iterations: usize) -> Vec<f64> {
    let n = a.len();
    // Node n is the ground node.
    let mut p = vec![vec![0.0; n + 1]; n + 1];
    for u in 0..n {
        let row: Vec<f64> = (0..n)
            .map(|v| match (weighted, a[u][v] > 0.0) {
                (true, _) => a[u][v],
                (false, true) => 1.0,
                (false, false) => 0.0,
            })
            .collect();
        let total: f64 = row.iter().sum::<f64>() + 1.0;
        for v in 0..n {
            p[u][v] = row[v] / total;
        }
        p[u][n] = 1.0 / total;
        p[n][u] = 1.0 / n as f64;
    }
    let mut s = vec![1.0; n + 1];
    s[n] = 0.0;
    for _ in 0..iterations {
        s = (0..=n)
            .map(|v| (0..=n).map(|u| p[u][v] * s[u]).sum())
            .collect();
    }
    (0..n).map(|v| s[v] + s[n] / n as f64).collect()
}

/// Solves `(I − α Aᵀ) x = β 1` by Gaussian elimination with partial pivoting.
#[allow(clippy::needless_range_loop)] // textbook indices read best here
fn dense_katz(a: &[Vec<f64>], alpha: f64) -> Vec<f64> {
    let n = a.len();
    let mut m: Vec<Vec<f64>> = (0..n)
        .map(|v| {
            let mut row: Vec<f64> = (0..n)
                .map(|u| f64::from(u == v) - alpha * a[u][v])
                .collect();
            row.push(1.0);
            row
        })
        .collect();
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| m[i][c].abs().total_cmp(&m[j][c].abs()))
            .unwrap();
        m.swap(c, p);
        for r in 0..n {
            if r != c {
                let f = m[r][c] / m[c][c];
                for k in c..=n {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
    }
    let x: Vec<f64> = (0..n).map(|r| m[r][n] / m[r][r]).collect();
    let norm = x.iter().map(|v| v * v).sum::<f64>().sqrt();
    x.iter().map(|v| v / norm).collect()
}

/// Core numbers by repeated peeling at every k, on explicit neighbour sets:
/// `affects[v]` are the nodes whose degree counts `v`.
fn naive_cores(n: usize, affects: &[Vec<usize>]) -> Vec<u32> {
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

/// Random small graphs: isolated nodes, self-loops, duplicates, sometimes a
/// hub pointed at by everyone, sometimes no edge at all (all dangling).
fn small_graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, f32)>, bool)> {
    (1usize..12).prop_flat_map(|n| {
        let edge = (
            0..n as u32,
            0..n as u32,
            prop_oneof![Just(1.0f32), Just(0.5), Just(3.0)],
        );
        (
            Just(n),
            prop::collection::vec(edge, 0..40),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(n, mut edges, hub, keep_loops)| {
                if hub {
                    edges.extend((0..n as u32).map(|u| (u, 0, 1.0)));
                }
                (n, edges, keep_loops)
            })
    })
}

fn build(n: usize, edges: &[(u32, u32, f32)], keep_self_loops: bool) -> LayerGraph {
    let mut log = LayerLog::default();
    for &(a, b, w) in edges {
        log.push(NodeId(a), NodeId(b), w, None, None, None);
    }
    let opts = BuildOptions {
        keep_self_loops,
        ..BuildOptions::default()
    };
    LayerGraph::build(&log, n, &opts).unwrap()
}

fn l1(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn hits_matches_dense_power_iteration((n, edges, keep) in small_graph()) {
        let g = build(n, &edges, keep);
        let r = hits(&g, &HitsOptions { tolerance: 1e-13, max_iterations: 3000 }).unwrap();
        if g.num_edges() > 0 {
            let (h, a) = dense_hits(&dense(&g), r.iterations);
            prop_assert!(l1(&r.hubs, &h) < 1e-9 && l1(&r.authorities, &a) < 1e-9);
            prop_assert!((r.hubs.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            prop_assert!(r.hubs.iter().chain(&r.authorities).all(|&x| x >= 0.0));
        }
    }

    /// Lanczos reaches the power iteration's limit on random small graphs
    /// (stars, cycles, repeated top singular values in disjoint copies).
    #[test]
    fn hits_lanczos_matches_power((n, edges, keep) in small_graph()) {
        let g = build(n, &edges, keep);
        let opts = HitsOptions { tolerance: 1e-13, max_iterations: 20_000 };
        let p = hits_with(&g, &opts, HitsSolver::Power).unwrap();
        let l = hits_with(&g, &opts, HitsSolver::Lanczos).unwrap();
        prop_assert!(l.converged && l.residual < opts.tolerance);
        if p.converged {
            prop_assert!(l1(&p.hubs, &l.hubs) < 1e-9 && l1(&p.authorities, &l.authorities) < 1e-9,
                "{:?} vs {:?}", p, l);
        }
        prop_assert!(l.hubs.iter().chain(&l.authorities).all(|&x| x >= 0.0));
        prop_assert!((l.authorities.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn leaderrank_matches_dense_walk((n, edges, keep) in small_graph(), weighted in any::<bool>()) {
        let g = build(n, &edges, keep);
        let r = leaderrank(&g, &LeaderRankOptions { weighted, ..LeaderRankOptions::default() }).unwrap();
        prop_assert!(r.converged);
        prop_assert!((r.scores.iter().sum::<f64>() - n as f64).abs() < 1e-9);
        if g.num_edges() > 0 {
            let s = dense_leaderrank(&dense(&g), weighted, r.iterations);
            prop_assert!(l1(&r.scores, &s) < 1e-9 * n as f64, "{:?} vs {:?}", r.scores, s);
        }
    }

    #[test]
    fn katz_matches_dense_solve((n, edges, keep) in small_graph(), frac in 0.05f64..0.9) {
        let g = build(n, &edges, keep);
        let a = dense(&g);
        // The largest row or column sum bounds lambda_max.
        let bound = (0..n)
            .flat_map(|u| [a[u].iter().sum::<f64>(), a.iter().map(|r| r[u]).sum::<f64>()])
            .fold(1.0f64, f64::max);
        let alpha = frac / bound;
        let r = katz(&g, &KatzOptions { alpha, tolerance: 1e-15, ..KatzOptions::default() }).unwrap();
        prop_assert!(r.converged);
        let x = dense_katz(&a, alpha);
        prop_assert!(l1(&r.scores, &x) < 1e-9, "{:?} vs {:?}", r.scores, x);
    }

    #[test]
    fn cores_match_naive_peeling((n, edges, keep) in small_graph()) {
        let g = build(n, &edges, keep);
        // From the raw edges: undirected simple graph, self-loops ignored.
        let mut und = vec![std::collections::BTreeSet::new(); n];
        let mut outs = vec![std::collections::BTreeSet::new(); n];
        let mut ins = vec![std::collections::BTreeSet::new(); n];
        for &(a, b, _) in &edges {
            let (a, b) = (a as usize, b as usize);
            if a != b {
                und[a].insert(b);
                und[b].insert(a);
                outs[a].insert(b);
                ins[b].insert(a);
            }
        }
        let as_vec = |s: Vec<std::collections::BTreeSet<usize>>| -> Vec<Vec<usize>> {
            s.into_iter().map(|x| x.into_iter().collect()).collect()
        };
        prop_assert_eq!(core_numbers(&g, CoreMode::Undirected), naive_cores(n, &as_vec(und)));
        // In-degree of u counts v when v -> u: removing v affects its out-neighbours.
        prop_assert_eq!(core_numbers(&g, CoreMode::In), naive_cores(n, &as_vec(outs)));
        prop_assert_eq!(core_numbers(&g, CoreMode::Out), naive_cores(n, &as_vec(ins)));
    }
}
