//! Fairness–goodness and REV2: against the pure-Python reference on Bitcoin
//! OTC (`tests/golden/make_trust_golden.py`), against hand-solved fixed
//! points on small graphs, against naive edge-list implementations on random
//! graphs (proptest), and bit-identical for 1 and 2 threads.

// The naive references index by node on purpose: they mirror the formulas.
#![allow(clippy::needless_range_loop)]

use flate2::read::GzDecoder;
use portevoix_core::{Layer, LayerLog, NodeId};
use portevoix_graph::kernels::{
    FairnessGoodnessOptions, RatingScale, Rev2Behaviour, Rev2Options, Rev2Prior, fairness_goodness,
    rev2,
};
use portevoix_graph::{BuildOptions, LayerGraph, Network};
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_testdata::shared_dataset;
use proptest::prelude::*;
use serde_json::Value;
use std::path::PathBuf;

// ---------------------------------------------------------------------------
// Bitcoin OTC against the Python reference

fn golden() -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/trust_bitcoin_otc.json.gz");
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_reader(GzDecoder::new(file)).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// The OTC network as Porte-voix loads it, and the raw rows `(rater, rated)`
/// in file order.
fn otc() -> (Network, Vec<(String, String)>) {
    let path = shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv");
    let ds = load(
        &[(&path, Some(FormatKind::Signed))],
        &ReadOptions::default(),
    )
    .unwrap();
    let rows = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].to_string())
        })
        .collect();
    let net = Network::build(&ds.interactions, ds.interner, &BuildOptions::default()).unwrap();
    (net, rows)
}

/// Largest |ours − theirs| over the golden's nodes (in its id order).
fn node_gap(net: &Network, ids: &[String], ours: &[f64], theirs: &[f64]) -> f64 {
    ids.iter()
        .zip(theirs)
        .map(|(id, t)| (ours[net.interner().get(id).unwrap().index()] - t).abs())
        .fold(0.0, f64::max)
}

/// Largest |ours − theirs| over the ratings, the golden in file order.
fn edge_gap(
    net: &Network,
    g: &LayerGraph,
    rows: &[(String, String)],
    ours: &[f64],
    theirs: &[f64],
) -> f64 {
    rows.iter()
        .zip(theirs)
        .map(|((a, b), t)| {
            let (a, b) = (
                net.interner().get(a).unwrap(),
                net.interner().get(b).unwrap(),
            );
            (ours[g.find_edge(a, b).unwrap()] - t).abs()
        })
        .fold(0.0, f64::max)
}

#[test]
fn oracle_bitcoin_otc() {
    let gold = golden();
    let (net, rows) = otc();
    let g = net.layer(Layer::Rating).expect("rating layer");
    let ids: Vec<String> = gold["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), net.num_nodes());

    let fg = fairness_goodness(
        g,
        &FairnessGoodnessOptions {
            scale: RatingScale::Fixed(10.0),
            tolerance: 1e-13,
            max_iterations: 1000,
        },
    )
    .unwrap();
    assert!(fg.converged, "{fg:?}");
    let gap_f = node_gap(&net, &ids, &fg.fairness, &floats(&gold["fg"]["fairness"]));
    let gap_g = node_gap(&net, &ids, &fg.goodness, &floats(&gold["fg"]["goodness"]));
    assert!(gap_f < 1e-9 && gap_g < 1e-9, "fg gaps {gap_f:e} {gap_g:e}");
    assert_eq!(
        fg.iterations as u64,
        gold["fg"]["iterations"].as_u64().unwrap()
    );

    let default = Rev2Options {
        scale: RatingScale::Fixed(10.0),
        tolerance: 1e-13,
        ..Rev2Options::default()
    };
    let r = rev2(g, &default, None).unwrap();
    assert!(r.converged);
    let want = &gold["rev2_default"];
    let gaps = [
        node_gap(&net, &ids, &r.fairness, &floats(&want["fairness"])),
        node_gap(&net, &ids, &r.goodness, &floats(&want["goodness"])),
        edge_gap(
            &net,
            g,
            &rows,
            &r.reliability,
            &floats(&want["reliability"]),
        ),
    ];
    assert!(gaps.iter().all(|&x| x < 1e-9), "rev2 default gaps {gaps:?}");
    // Sums in another order can move the last iteration across the tolerance.
    assert!(
        r.iterations
            .abs_diff(want["iterations"].as_u64().unwrap() as usize)
            <= 1
    );

    // Every term: behavioural scores from the account ids, mean prior.
    let num = |v: usize| -> u64 { net.name(NodeId(v as u32)).to_string().parse().unwrap() };
    let n = net.num_nodes();
    let targets = g.out_csr().neighbors();
    let mut reliability = vec![0.0; g.num_edges()];
    for u in 0..n {
        for e in g.out_edge_range(NodeId(u as u32)) {
            reliability[e] = ((7 * num(u) + 13 * num(targets[e] as usize)) % 101) as f64 / 100.0;
        }
    }
    let behaviour = Rev2Behaviour {
        fairness: Some((0..n).map(|u| (37 * num(u) % 101) as f64 / 100.0).collect()),
        goodness: Some((0..n).map(|p| (53 * num(p) % 101) as f64 / 100.0).collect()),
        reliability: Some(reliability),
    };
    let custom = Rev2Options {
        alpha1: 2.0,
        alpha2: 1.0,
        beta1: 0.5,
        beta2: 2.0,
        gamma1: 1.0,
        gamma2: 2.0,
        gamma3: 0.5,
        prior: Rev2Prior::Mean,
        ..default
    };
    let r = rev2(g, &custom, Some(&behaviour)).unwrap();
    assert!(r.converged);
    let want = &gold["rev2_custom"];
    let gaps = [
        node_gap(&net, &ids, &r.fairness, &floats(&want["fairness"])),
        node_gap(&net, &ids, &r.goodness, &floats(&want["goodness"])),
        edge_gap(
            &net,
            g,
            &rows,
            &r.reliability,
            &floats(&want["reliability"]),
        ),
    ];
    assert!(gaps.iter().all(|&x| x < 1e-9), "rev2 custom gaps {gaps:?}");
}

/// Convergence on real data: the residual falls below the tolerance within
/// a few dozen iterations, the default scale is OTC's 10, and a capped run
/// says it did not converge.
#[test]
fn converges_on_bitcoin_otc() {
    let (net, _) = otc();
    let g = net.layer(Layer::Rating).unwrap();
    let fg = fairness_goodness(g, &FairnessGoodnessOptions::default()).unwrap();
    assert!(
        fg.converged && fg.residual < 1e-12 && fg.iterations < 60,
        "{} {}",
        fg.iterations,
        fg.residual
    );
    let fixed = fairness_goodness(
        g,
        &FairnessGoodnessOptions {
            scale: RatingScale::Fixed(10.0),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(fg, fixed);
    let r = rev2(g, &Rev2Options::default(), None).unwrap();
    assert!(
        r.converged && r.iterations < 150,
        "{} {}",
        r.iterations,
        r.residual
    );
    let capped = rev2(
        g,
        &Rev2Options {
            max_iterations: 3,
            ..Rev2Options::default()
        },
        None,
    )
    .unwrap();
    assert!(!capped.converged && capped.iterations == 3 && capped.residual > 1e-12);
    // Ranges, on every node and rating.
    assert!(fg.fairness.iter().all(|f| (0.0..=1.0).contains(f)));
    assert!(fg.goodness.iter().all(|x| (-1.0..=1.0).contains(x)));
    assert!(r.reliability.iter().all(|x| (0.0..=1.0).contains(x)));
    // The founder of the marketplace (node 1) ranks in the top 10% of the
    // rated accounts by goodness; the accounts he rated -10 are below the
    // median.
    let founder = net.interner().get("1").unwrap();
    let top_decile = |goodness: &[f64]| {
        let rated: Vec<f64> = (0..g.num_nodes())
            .filter(|&v| g.in_degree(NodeId(v as u32)) > 0)
            .map(|v| goodness[v])
            .collect();
        let above = rated
            .iter()
            .filter(|&&x| x > goodness[founder.index()])
            .count();
        above * 10 < rated.len()
    };
    assert!(top_decile(&fg.goodness) && top_decile(&r.goodness));
    let rated_down: Vec<usize> = g
        .out_edge_range(founder)
        .filter(|&e| g.edge_value(e) == Some(-10.0))
        .map(|e| g.out_csr().neighbors()[e] as usize)
        .collect();
    assert!(!rated_down.is_empty());
    let mut rated: Vec<f64> = (0..g.num_nodes())
        .filter(|&v| g.in_degree(NodeId(v as u32)) > 0)
        .map(|v| fg.goodness[v])
        .collect();
    rated.sort_by(f64::total_cmp);
    let median = rated[rated.len() / 2];
    assert!(
        rated_down
            .iter()
            .all(|&v| fg.goodness[v] < median && r.goodness[v] < median),
        "{rated_down:?}"
    );
}

fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
        .install(f)
}

#[test]
fn identical_for_one_and_two_threads() {
    let (net, _) = otc();
    let g = net.layer(Layer::Rating).unwrap();
    let one = with_threads(1, || {
        (
            fairness_goodness(g, &Default::default()).unwrap(),
            rev2(g, &Default::default(), None).unwrap(),
        )
    });
    let two = with_threads(2, || {
        (
            fairness_goodness(g, &Default::default()).unwrap(),
            rev2(g, &Default::default(), None).unwrap(),
        )
    });
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one.0.fairness), bits(&two.0.fairness));
    assert_eq!(bits(&one.0.goodness), bits(&two.0.goodness));
    assert_eq!(bits(&one.1.fairness), bits(&two.1.fairness));
    assert_eq!(bits(&one.1.goodness), bits(&two.1.goodness));
    assert_eq!(bits(&one.1.reliability), bits(&two.1.reliability));
}

// ---------------------------------------------------------------------------
// Small graphs solved by hand

fn ratings(n: usize, rows: &[(u32, u32, f32)]) -> LayerGraph {
    let mut log = LayerLog::default();
    for &(u, v, r) in rows {
        log.push(NodeId(u), NodeId(v), 1.0, None, Some(r), None);
    }
    LayerGraph::build(&log, n, &BuildOptions::default()).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-10
}

/// 0 rates 2 at +10, 1 rates 2 at −5. With `g = (f0 − f1/2)/2`,
/// `f0 = (1 + g)/2` and `f1 = 1 − (g + 1/2)/2`, the fixed point is
/// `g = 0.1`, `f0 = 0.55`, `f1 = 0.7`.
#[test]
fn fairness_goodness_by_hand() {
    let g = ratings(3, &[(0, 2, 10.0), (1, 2, -5.0)]);
    let fg = fairness_goodness(&g, &FairnessGoodnessOptions::default()).unwrap();
    assert!(fg.converged);
    assert!(
        close(fg.goodness[2], 0.1) && close(fg.fairness[0], 0.55) && close(fg.fairness[1], 0.7),
        "{fg:?}"
    );
    // Nodes without evidence keep the defaults.
    assert_eq!(
        (fg.goodness[0], fg.goodness[1], fg.fairness[2]),
        (0.0, 0.0, 1.0)
    );
    // An empty layer converges at once.
    let empty =
        fairness_goodness(&LayerGraph::empty(4), &FairnessGoodnessOptions::default()).unwrap();
    assert!(empty.converged && empty.iterations == 0 && empty.fairness == vec![1.0; 4]);
    assert!(
        fairness_goodness(
            &g,
            &FairnessGoodnessOptions {
                tolerance: f64::NAN,
                ..Default::default()
            }
        )
        .is_err()
    );
}

/// With `α1 = β1 = γ1 = 0` REV2's reliability is the rating's agreement
/// with the goodness, and on the graph above it solves the same system.
#[test]
fn rev2_without_smoothing_by_hand() {
    let g = ratings(3, &[(0, 2, 10.0), (1, 2, -5.0)]);
    let o = Rev2Options {
        alpha1: 0.0,
        beta1: 0.0,
        gamma1: 0.0,
        ..Rev2Options::default()
    };
    let r = rev2(&g, &o, None).unwrap();
    assert!(r.converged);
    let e0 = g.find_edge(NodeId(0), NodeId(2)).unwrap();
    let e1 = g.find_edge(NodeId(1), NodeId(2)).unwrap();
    assert!(
        close(r.goodness[2], 0.1)
            && close(r.reliability[e0], 0.55)
            && close(r.reliability[e1], 0.7),
        "{r:?}"
    );
    assert!(close(r.fairness[0], 0.55) && close(r.fairness[1], 0.7));
    // No prior and no evidence: fairness 1, goodness 0.
    assert_eq!((r.fairness[2], r.goodness[0]), (1.0, 0.0));
}

/// 0 rates 2 at +10 and 3 at −10; node 1 is isolated. By symmetry both
/// ratings have reliability `R`, `G(2) = −G(3) = g` and `μG = 0`, so
/// `g = R/2`; `μF = F(0)` gives `F(0) = R`, and
/// `R = (F + 1 − (1 − g)/2)/2` gives `R = 2/3`, `g = 1/3`. Accounts without
/// ratings get the priors: `F = μF = 2/3`, `G = μG = 0`.
#[test]
fn rev2_cold_start_by_hand() {
    let g = ratings(4, &[(0, 2, 10.0), (0, 3, -10.0)]);
    for prior in [Rev2Prior::Median, Rev2Prior::Mean] {
        let r = rev2(
            &g,
            &Rev2Options {
                prior,
                ..Rev2Options::default()
            },
            None,
        )
        .unwrap();
        assert!(r.converged);
        assert!(
            close(r.goodness[2], 1.0 / 3.0) && close(r.goodness[3], -1.0 / 3.0),
            "{r:?}"
        );
        assert!(r.reliability.iter().all(|&x| close(x, 2.0 / 3.0)));
        for v in 0..4 {
            assert!(
                close(r.fairness[v], 2.0 / 3.0),
                "F({v}) = {}",
                r.fairness[v]
            );
        }
        assert!(close(r.goodness[0], 0.0) && close(r.goodness[1], 0.0));
    }
}

#[test]
fn rev2_rejects_bad_arguments() {
    let g = ratings(3, &[(0, 2, 10.0), (1, 2, -5.0)]);
    let bad = |o: Rev2Options| rev2(&g, &o, None).is_err();
    assert!(bad(Rev2Options {
        alpha1: -1.0,
        ..Default::default()
    }));
    assert!(bad(Rev2Options {
        gamma2: f64::INFINITY,
        ..Default::default()
    }));
    assert!(bad(Rev2Options {
        gamma1: 0.0,
        gamma2: 0.0,
        ..Default::default()
    }));
    assert!(bad(Rev2Options {
        tolerance: -1.0,
        ..Default::default()
    }));
    assert!(bad(Rev2Options {
        scale: RatingScale::Fixed(5.0),
        ..Default::default()
    }));
    let short = Rev2Behaviour {
        fairness: Some(vec![1.0; 2]),
        ..Default::default()
    };
    assert!(rev2(&g, &Rev2Options::default(), Some(&short)).is_err());
    let out_of_range = Rev2Behaviour {
        reliability: Some(vec![1.5, 0.0]),
        ..Default::default()
    };
    assert!(rev2(&g, &Rev2Options::default(), Some(&out_of_range)).is_err());
    // gamma3 alone is enough when behavioural reliabilities are given.
    let given = Rev2Behaviour {
        reliability: Some(vec![0.5, 1.0]),
        ..Default::default()
    };
    let o = Rev2Options {
        gamma1: 0.0,
        gamma2: 0.0,
        ..Default::default()
    };
    let r = rev2(&g, &o, Some(&given)).unwrap();
    assert_eq!(r.reliability, vec![0.5, 1.0]);
}

// ---------------------------------------------------------------------------
// Random graphs against naive implementations

/// Naive fairness–goodness over an edge list (the authors' loops).
fn naive_fg(n: usize, edges: &[(usize, usize, f64)], iterations: usize) -> (Vec<f64>, Vec<f64>) {
    let indeg = |v: usize| edges.iter().filter(|e| e.1 == v).count();
    let outdeg = |u: usize| edges.iter().filter(|e| e.0 == u).count();
    let mut f = vec![1.0; n];
    let mut g: Vec<f64> = (0..n)
        .map(|v| {
            if indeg(v) == 0 {
                0.0
            } else {
                edges.iter().filter(|e| e.1 == v).map(|e| e.2).sum::<f64>() / indeg(v) as f64
            }
        })
        .collect();
    for _ in 0..iterations {
        for v in 0..n {
            if indeg(v) > 0 {
                g[v] = edges
                    .iter()
                    .filter(|e| e.1 == v)
                    .map(|e| f[e.0] * e.2)
                    .sum::<f64>()
                    / indeg(v) as f64;
            }
        }
        for u in 0..n {
            if outdeg(u) > 0 {
                f[u] = edges
                    .iter()
                    .filter(|e| e.0 == u)
                    .map(|e| 1.0 - (e.2 - g[e.1]).abs() / 2.0)
                    .sum::<f64>()
                    / outdeg(u) as f64;
            }
        }
    }
    (f, g)
}

/// Naive REV2 (paper formulas, no behaviour, median prior).
fn naive_rev2(
    n: usize,
    edges: &[(usize, usize, f64)],
    o: &Rev2Options,
    iterations: usize,
) -> (Vec<f64>, Vec<f64>) {
    let median = |mut v: Vec<f64>, empty: f64| {
        v.sort_by(f64::total_cmp);
        let k = v.len();
        if k == 0 {
            empty
        } else if k % 2 == 1 {
            v[k / 2]
        } else {
            (v[k / 2 - 1] + v[k / 2]) / 2.0
        }
    };
    let mut f = vec![1.0; n];
    let mut g = vec![1.0; n];
    let mut r = vec![1.0; edges.len()];
    let rated: Vec<usize> = (0..n).filter(|&v| edges.iter().any(|e| e.1 == v)).collect();
    let raters: Vec<usize> = (0..n).filter(|&u| edges.iter().any(|e| e.0 == u)).collect();
    for _ in 0..iterations {
        let mu_g = median(rated.iter().map(|&v| g[v]).collect(), 0.0);
        g = (0..n)
            .map(|p| {
                let (s, c) = edges
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.1 == p)
                    .fold((0.0, 0.0), |(s, c), (k, e)| (s + r[k] * e.2, c + 1.0));
                if o.beta1 + c > 0.0 {
                    (o.beta1 * mu_g + s) / (o.beta1 + c)
                } else {
                    0.0
                }
            })
            .collect();
        r = edges
            .iter()
            .map(|e| {
                (o.gamma1 * f[e.0] + o.gamma2 * (1.0 - (e.2 - g[e.1]).abs() / 2.0))
                    / (o.gamma1 + o.gamma2)
            })
            .collect();
        let mu_f = median(raters.iter().map(|&u| f[u]).collect(), 1.0);
        f = (0..n)
            .map(|u| {
                let (s, c) = edges
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.0 == u)
                    .fold((0.0, 0.0), |(s, c), (k, _)| (s + r[k], c + 1.0));
                if o.alpha1 + c > 0.0 {
                    (o.alpha1 * mu_f + s) / (o.alpha1 + c)
                } else {
                    1.0
                }
            })
            .collect();
    }
    (f, g)
}

/// Up to 12 nodes, distinct ordered pairs without self-ratings, integer
/// ratings in −10..=10.
fn small_ratings() -> impl Strategy<Value = (usize, Vec<(usize, usize, f64)>)> {
    (2usize..12).prop_flat_map(|n| {
        proptest::collection::btree_map((0..n, 0..n), -10i32..=10, 0..3 * n).prop_map(move |m| {
            let edges = m
                .into_iter()
                .filter(|((u, v), _)| u != v)
                .map(|((u, v), r)| (u, v, f64::from(r) / 10.0))
                .collect();
            (n, edges)
        })
    })
}

fn layer(n: usize, edges: &[(usize, usize, f64)]) -> LayerGraph {
    let mut log = LayerLog::default();
    for &(u, v, r) in edges {
        log.push(
            NodeId(u as u32),
            NodeId(v as u32),
            1.0,
            None,
            Some((r * 10.0) as f32),
            None,
        );
    }
    LayerGraph::build(&log, n, &BuildOptions::default()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn fg_matches_naive_and_stays_in_range((n, edges) in small_ratings()) {
        let g = layer(n, &edges);
        let o = FairnessGoodnessOptions { scale: RatingScale::Fixed(10.0), tolerance: 1e-14, max_iterations: 2000 };
        let fg = fairness_goodness(&g, &o).unwrap();
        prop_assert!(fg.converged);
        let (f, gd) = naive_fg(n, &edges, fg.iterations);
        for v in 0..n {
            prop_assert!((fg.fairness[v] - f[v]).abs() < 1e-12 && (fg.goodness[v] - gd[v]).abs() < 1e-12);
            prop_assert!((0.0..=1.0).contains(&fg.fairness[v]) && (-1.0..=1.0).contains(&fg.goodness[v]));
        }
    }

    #[test]
    fn rev2_matches_naive_and_stays_in_range((n, edges) in small_ratings(), a in 0.0f64..3.0, b in 0.0f64..3.0, c in 0.1f64..3.0) {
        let g = layer(n, &edges);
        let o = Rev2Options { alpha1: a, beta1: b, gamma1: c, scale: RatingScale::Fixed(10.0), tolerance: 1e-14, max_iterations: 5000, ..Rev2Options::default() };
        let r = rev2(&g, &o, None).unwrap();
        prop_assert!(r.converged, "{} iterations, residual {}", r.iterations, r.residual);
        let (f, gd) = naive_rev2(n, &edges, &o, r.iterations);
        for v in 0..n {
            prop_assert!((r.fairness[v] - f[v]).abs() < 1e-11 && (r.goodness[v] - gd[v]).abs() < 1e-11);
            prop_assert!((0.0..=1.0).contains(&r.fairness[v]) && (-1.0..=1.0).contains(&r.goodness[v]));
        }
        prop_assert!(r.reliability.iter().all(|x| (0.0..=1.0).contains(x)));
    }

    /// Relabelling the accounts relabels the scores (no dependence on ids).
    #[test]
    fn scores_follow_the_accounts((n, edges) in small_ratings(), seed in any::<u64>()) {
        let mut perm: Vec<usize> = (0..n).collect();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        let moved: Vec<(usize, usize, f64)> = edges.iter().map(|&(u, v, r)| (perm[u], perm[v], r)).collect();
        let (g1, g2) = (layer(n, &edges), layer(n, &moved));
        let fg1 = fairness_goodness(&g1, &FairnessGoodnessOptions::default()).unwrap();
        let fg2 = fairness_goodness(&g2, &FairnessGoodnessOptions::default()).unwrap();
        let r1 = rev2(&g1, &Rev2Options::default(), None).unwrap();
        let r2 = rev2(&g2, &Rev2Options::default(), None).unwrap();
        for v in 0..n {
            prop_assert!((fg1.goodness[v] - fg2.goodness[perm[v]]).abs() < 1e-10);
            prop_assert!((fg1.fairness[v] - fg2.fairness[perm[v]]).abs() < 1e-10);
            prop_assert!((r1.goodness[v] - r2.goodness[perm[v]]).abs() < 1e-10);
            prop_assert!((r1.fairness[v] - r2.fairness[perm[v]]).abs() < 1e-10);
        }
    }
}
