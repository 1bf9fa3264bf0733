//! Diffusion kernels: independent cascade, SIR, per-node outbreaks and the
//! epidemic threshold, on tiny graphs with known answers, for determinism,
//! and on real data (Higgs retweets, Slashdot Zoo).

use portevoix_core::{Layer, NodeId};
use portevoix_graph::generate::{Xoshiro256StarStar, kronecker};
use portevoix_graph::kernels::{
    Activation, CascadeOptions, SirOptions, SpreadDirection, epidemic_threshold,
    independent_cascade, sir, sir_outbreak_per_node,
};
use portevoix_graph::{BuildOptions, LayerGraph, Network};
use portevoix_ingest::edgelist::EdgeListOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_testdata::shared_dataset;
use std::time::Instant;

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
        .install(f)
}

fn graph(n: usize, edges: &[(u32, u32)]) -> LayerGraph {
    LayerGraph::from_edges(n, edges, &BuildOptions::default()).unwrap()
}

/// A star whose `leaves` leaves (1..=leaves) retweeted the hub 0.
fn star(leaves: u32) -> LayerGraph {
    let edges: Vec<(u32, u32)> = (1..=leaves).map(|l| (l, 0)).collect();
    graph(leaves as usize + 1, &edges)
}

fn ic(activation: Activation, runs: usize, seed: u64) -> CascadeOptions {
    CascadeOptions {
        activation,
        runs,
        seed,
        ..Default::default()
    }
}

/// A small Kronecker graph (skewed degrees, reciprocal pairs, duplicates).
fn kron() -> LayerGraph {
    let (n, edges) = kronecker(9, 4, 5);
    graph(n, &edges)
}

#[test]
fn path_with_p1_infects_all_and_p0_only_the_seeds() {
    // a → b → c: b retweeted c, a retweeted b.
    let g = graph(3, &[(0, 1), (1, 2)]);
    let all = ic(Activation::Constant(1.0), 20, 1);
    // Information flow: c's content reaches b, then a.
    let d = independent_cascade(&g, &[NodeId(2)], &all).unwrap();
    assert_eq!(d.sizes, vec![3; 20]);
    assert_eq!((d.mean, d.std, d.min, d.max), (3.0, 0.0, 3, 3));
    // ... but a's content reaches nobody.
    assert_eq!(independent_cascade(&g, &[NodeId(0)], &all).unwrap().max, 1);
    // Forward follows the arrows: a → b → c.
    let fwd = CascadeOptions {
        direction: SpreadDirection::Forward,
        ..all
    };
    assert_eq!(
        independent_cascade(&g, &[NodeId(0)], &fwd).unwrap().sizes,
        vec![3; 20]
    );
    assert_eq!(independent_cascade(&g, &[NodeId(2)], &fwd).unwrap().max, 1);
    // Undirected: both ways from the middle.
    let und = CascadeOptions {
        direction: SpreadDirection::Undirected,
        ..all
    };
    assert_eq!(independent_cascade(&g, &[NodeId(1)], &und).unwrap().min, 3);
    // SIR with β = 1 as well, for any γ.
    for gamma in [1.0, 0.3] {
        let s = SirOptions {
            beta: 1.0,
            gamma,
            runs: 20,
            ..Default::default()
        };
        assert_eq!(sir(&g, &[NodeId(2)], &s).unwrap().sizes, vec![3; 20]);
    }
    // p = 0 and β = 0: only the seeds (duplicates count once).
    let none = ic(Activation::Constant(0.0), 20, 1);
    let d = independent_cascade(&g, &[NodeId(2), NodeId(1), NodeId(2)], &none).unwrap();
    assert_eq!(d.sizes, vec![2; 20]);
    let s0 = SirOptions {
        beta: 0.0,
        gamma: 0.5,
        runs: 20,
        ..Default::default()
    };
    assert_eq!(sir(&g, &[NodeId(2)], &s0).unwrap().sizes, vec![1; 20]);
}

#[test]
fn max_steps_caps_the_cascade() {
    // A chain 5 → 4 → ... → 0 where content flows 0 → 1 → ... → 5.
    let edges: Vec<(u32, u32)> = (0..5).map(|i| (i + 1, i)).collect();
    let g = graph(6, &edges);
    for steps in 0..=6 {
        let o = CascadeOptions {
            max_steps: steps,
            ..ic(Activation::Constant(1.0), 3, 0)
        };
        let d = independent_cascade(&g, &[NodeId(0)], &o).unwrap();
        assert_eq!(d.max as usize, (steps + 1).min(6), "steps {steps}");
    }
}

/// `|mean - expected| <= 5 σ / √runs`.
fn assert_within_5_sigma(mean: f64, expected: f64, sigma: f64, runs: usize, what: &str) {
    let bound = 5.0 * sigma / (runs as f64).sqrt();
    assert!(
        (mean - expected).abs() <= bound,
        "{what}: mean {mean}, expected {expected} ± {bound}"
    );
}

#[test]
fn star_spread_matches_binomial_expectation() {
    let leaves = 50u32;
    let g = star(leaves);
    let runs = 4000;
    for (p, seed) in [(0.3, 1u64), (0.05, 2), (0.9, 3)] {
        let d = independent_cascade(&g, &[NodeId(0)], &ic(Activation::Constant(p), runs, seed))
            .unwrap();
        // Leaves infected ~ Binomial(L, p).
        let sigma = (leaves as f64 * p * (1.0 - p)).sqrt();
        assert_within_5_sigma(d.mean, 1.0 + p * leaves as f64, sigma, runs, "IC star");
        assert!(d.min >= 1 && d.max <= leaves + 1);
        assert!(d.p10 <= d.p50 && d.p50 <= d.p90);
        // The sample std estimates the binomial one.
        assert!((d.std - sigma).abs() < 0.1 * sigma, "{} vs {sigma}", d.std);
    }
    // From a leaf: its content reaches nobody (it retweeted, nobody retweeted it).
    let d = independent_cascade(&g, &[NodeId(3)], &ic(Activation::Constant(0.9), 50, 0)).unwrap();
    assert_eq!(d.max, 1);
}

#[test]
fn weighted_cascade_and_weight_rule_have_the_right_probabilities() {
    let leaves = 40u32;
    // Each leaf reshared the hub twice: weight 2 after merging.
    let mut edges: Vec<(u32, u32)> = (1..=leaves).map(|l| (l, 0)).collect();
    edges.extend((1..=leaves).map(|l| (l, 0)));
    let g = graph(leaves as usize + 1, &edges);
    assert_eq!(g.weighted_in_degree(NodeId(0)), 2.0 * leaves as f64);
    // Weighted cascade: each leaf can only hear from the hub, so p = 1.
    let wc =
        independent_cascade(&g, &[NodeId(0)], &ic(Activation::WeightedCascade, 30, 0)).unwrap();
    assert_eq!(wc.sizes, vec![leaves + 1; 30]);
    // Forward, the hub hears from 40 leaves: p = 1/40 from a leaf.
    let fwd = CascadeOptions {
        direction: SpreadDirection::Forward,
        ..ic(Activation::WeightedCascade, 4000, 1)
    };
    let d = independent_cascade(&g, &[NodeId(1)], &fwd).unwrap();
    // Size 1 + B (hub reached, prob 1/40) · (1 + 0 more: the hub's
    // out-edges are none) = 1 + Bernoulli(1/40).
    let p = 1.0 / leaves as f64;
    assert_within_5_sigma(d.mean, 1.0 + p, (p * (1.0 - p)).sqrt(), 4000, "WC fwd");
    // From weight: p = 1 - (1 - 0.5)^2 = 0.75.
    let runs = 3000;
    let d = independent_cascade(
        &g,
        &[NodeId(0)],
        &ic(Activation::FromWeight { p0: 0.5 }, runs, 2),
    )
    .unwrap();
    let p = 0.75;
    let sigma = (leaves as f64 * p * (1.0 - p)).sqrt();
    assert_within_5_sigma(d.mean, 1.0 + p * leaves as f64, sigma, runs, "weight");
    // p0 = 1 activates every positive-weight edge, p0 = 0 none.
    let one = ic(Activation::FromWeight { p0: 1.0 }, 10, 0);
    assert_eq!(
        independent_cascade(&g, &[NodeId(0)], &one).unwrap().min,
        leaves + 1
    );
    let zero = ic(Activation::FromWeight { p0: 0.0 }, 10, 0);
    assert_eq!(independent_cascade(&g, &[NodeId(0)], &zero).unwrap().max, 1);
}

#[test]
fn sir_with_recovery_matches_the_transmissibility() {
    // On a star from the hub, each leaf is infected with probability
    // T = β / (1 - (1 - β)(1 - γ)) over the hub's infectious period.
    let leaves = 30u32;
    let g = star(leaves);
    let runs = 4000;
    for (beta, gamma) in [(0.2, 0.5), (0.1, 0.2), (0.4, 1.0)] {
        let t = beta / (1.0 - (1.0 - beta) * (1.0 - gamma));
        let o = SirOptions {
            beta,
            gamma,
            runs,
            seed: 9,
            ..Default::default()
        };
        let d = sir(&g, &[NodeId(0)], &o).unwrap();
        // Leaves are correlated through the hub's duration: use the sample std.
        assert_within_5_sigma(d.mean, 1.0 + t * leaves as f64, d.std, runs, "SIR star");
        if gamma < 1.0 {
            // Positive correlation: more spread than a binomial.
            assert!(d.std > (leaves as f64 * t * (1.0 - t)).sqrt());
        }
    }
}

#[test]
fn sir_with_gamma_1_is_the_cascade_with_p_beta() {
    let g = kron();
    let seeds = [g.top_by_in_degree(1)[0].0, NodeId(17)];
    for beta in [0.05, 0.15, 0.4] {
        let s = SirOptions {
            beta,
            gamma: 1.0,
            runs: 1500,
            seed: 1,
            ..Default::default()
        };
        let a = sir(&g, &seeds, &s).unwrap();
        // Independent streams: equal distributions up to Monte Carlo error.
        let b = independent_cascade(&g, &seeds, &ic(Activation::Constant(beta), 1500, 2)).unwrap();
        let se = (a.std * a.std / 1500.0 + b.std * b.std / 1500.0).sqrt();
        assert!(
            (a.mean - b.mean).abs() <= 5.0 * se + 1e-12,
            "β {beta}: SIR {} vs IC {} (se {se})",
            a.mean,
            b.mean
        );
        // Same streams: the very same process, run for run.
        let c = independent_cascade(&g, &seeds, &ic(Activation::Constant(beta), 1500, 1)).unwrap();
        assert_eq!(a.sizes, c.sizes);
        assert!(a.max > a.min + 5, "the test needs variable outcomes");
    }
}

#[test]
fn skipped_trials_match_per_contact_trials() {
    // Constant p < 0.25 jumps between successes; `FromWeight` on unit
    // weights draws once per contact with the same p. Same distribution.
    let (n, mut edges) = kronecker(10, 8, 9);
    edges.sort_unstable();
    edges.dedup();
    let g = graph(n, &edges);
    assert!(g.edges().all(|(_, _, w)| w == 1.0));
    let seeds = [g.top_by_in_degree(1)[0].0];
    let runs = 2000;
    for (p, direction) in [
        (0.02, SpreadDirection::InformationFlow),
        (0.08, SpreadDirection::InformationFlow),
        (0.2, SpreadDirection::Forward),
    ] {
        let o = |activation| CascadeOptions {
            direction,
            ..ic(activation, runs, 4)
        };
        let a = independent_cascade(&g, &seeds, &o(Activation::Constant(p))).unwrap();
        let b = independent_cascade(&g, &seeds, &o(Activation::FromWeight { p0: p })).unwrap();
        let se = ((a.std * a.std + b.std * b.std) / runs as f64).sqrt();
        eprintln!("p {p}: skip {} ± {}, per contact {}", a.mean, se, b.mean);
        assert!(a.max > a.min + 5, "the test needs variable outcomes");
        assert!(
            (a.mean - b.mean).abs() <= 5.0 * se,
            "p {p}: {} vs {}",
            a.mean,
            b.mean
        );
    }
}

#[test]
fn results_do_not_depend_on_threads_and_follow_the_seed() {
    let g = kron();
    let top = g.top_by_in_degree(2);
    let seeds = [top[0].0, top[1].0];
    let s = SirOptions {
        beta: 0.2,
        gamma: 0.5,
        runs: 300,
        seed: 42,
        ..Default::default()
    };
    let one = in_pool(1, || sir(&g, &seeds, &s).unwrap());
    let two = in_pool(2, || sir(&g, &seeds, &s).unwrap());
    assert_eq!(one, two);
    assert_eq!(one, sir(&g, &seeds, &s).unwrap());
    assert!(one.max > one.min, "the test needs variable outcomes");
    let other = sir(&g, &seeds, &SirOptions { seed: 43, ..s }).unwrap();
    assert_ne!(one.sizes, other.sizes);

    let c = ic(Activation::FromWeight { p0: 0.2 }, 300, 5);
    let one = in_pool(1, || independent_cascade(&g, &seeds, &c).unwrap());
    let two = in_pool(2, || independent_cascade(&g, &seeds, &c).unwrap());
    assert_eq!(one, two);
    let other = independent_cascade(&g, &seeds, &CascadeOptions { seed: 6, ..c }).unwrap();
    assert_ne!(one.sizes, other.sizes);

    let nodes: Vec<NodeId> = (0..g.num_nodes() as u32).step_by(7).map(NodeId).collect();
    let p = SirOptions { runs: 20, ..s };
    let one = in_pool(1, || sir_outbreak_per_node(&g, &p, Some(&nodes)).unwrap());
    let two = in_pool(2, || sir_outbreak_per_node(&g, &p, Some(&nodes)).unwrap());
    assert_eq!(one, two);
    // Each value is the single-seed SIR mean with the same options.
    for (i, &v) in nodes.iter().enumerate().step_by(9) {
        assert_eq!(one[i], sir(&g, &[v], &p).unwrap().mean);
    }
    let all = sir_outbreak_per_node(&g, &p, None).unwrap();
    assert_eq!(all.len(), g.num_nodes());
    assert_eq!(all[7], one[1]);
}

#[test]
fn summaries_follow_their_definitions() {
    let g = kron();
    let d = independent_cascade(&g, &[NodeId(1)], &ic(Activation::Constant(0.2), 101, 3)).unwrap();
    let mut s: Vec<f64> = d.sizes.iter().map(|&x| x as f64).collect();
    let mean = s.iter().sum::<f64>() / 101.0;
    let var = s.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 100.0;
    s.sort_by(f64::total_cmp);
    assert!((d.mean - mean).abs() < 1e-9 && (d.std - var.sqrt()).abs() < 1e-9);
    // 101 runs: the quantiles are order statistics 10, 50, 90.
    assert_eq!((d.p10, d.p50, d.p90), (s[10], s[50], s[90]));
    assert_eq!((d.min as f64, d.max as f64), (s[0], s[100]));
}

#[test]
fn epidemic_threshold_on_known_graphs() {
    // Star with 4 leaves: <k> = 8/5, <k²> = 20/5.
    assert!((epidemic_threshold(&star(4)) - 2.0 / 3.0).abs() < 1e-12);
    // A reciprocal pair counts once: a triangle 0 ⇄ 1, 1 → 2, 2 → 0
    // has k = 2 everywhere, β_c = 2 / (4 - 2) = 1.
    let tri = graph(3, &[(0, 1), (1, 0), (1, 2), (2, 0)]);
    assert!((epidemic_threshold(&tri) - 1.0).abs() < 1e-12);
    // No outbreak possible: infinite.
    assert_eq!(epidemic_threshold(&graph(4, &[])), f64::INFINITY);
    assert_eq!(
        epidemic_threshold(&graph(4, &[(0, 1), (3, 2)])),
        f64::INFINITY
    );
}

#[test]
fn invalid_arguments_are_rejected() {
    let g = star(3);
    let s = SirOptions::default();
    assert!(sir(&g, &[], &s).is_err());
    assert!(sir(&g, &[NodeId(4)], &s).is_err());
    assert!(sir(&g, &[NodeId(0)], &SirOptions { runs: 0, ..s }).is_err());
    assert!(sir(&g, &[NodeId(0)], &SirOptions { beta: 1.5, ..s }).is_err());
    assert!(
        sir(
            &g,
            &[NodeId(0)],
            &SirOptions {
                beta: f64::NAN,
                ..s
            }
        )
        .is_err()
    );
    assert!(sir(&g, &[NodeId(0)], &SirOptions { gamma: 0.0, ..s }).is_err());
    assert!(sir_outbreak_per_node(&g, &s, Some(&[NodeId(9)])).is_err());
    assert!(sir_outbreak_per_node(&g, &SirOptions { gamma: 2.0, ..s }, None).is_err());
    let c = CascadeOptions::default();
    assert!(independent_cascade(&g, &[], &c).is_err());
    assert!(independent_cascade(&g, &[NodeId(7)], &c).is_err());
    let bad = CascadeOptions {
        activation: Activation::Constant(-0.1),
        ..c
    };
    assert!(independent_cascade(&g, &[NodeId(0)], &bad).is_err());
    let bad = CascadeOptions {
        activation: Activation::FromWeight { p0: 1.1 },
        ..c
    };
    assert!(independent_cascade(&g, &[NodeId(0)], &bad).is_err());
}

/// Loads a shared edge list into one layer, with its network for names.
fn load_layer(rel: &str, layer: Layer) -> (Network, LayerGraph) {
    let path = shared_dataset(rel);
    let options = ReadOptions {
        edgelist: EdgeListOptions {
            layer,
            ..Default::default()
        },
        ..Default::default()
    };
    let ds = load(&[(&path, Some(FormatKind::EdgeList))], &options).unwrap();
    let net = Network::build(&ds.interactions, ds.interner, &BuildOptions::default()).unwrap();
    let g = net.layer(layer).expect("the layer").clone();
    (net, g)
}

#[test]
fn higgs_top_account_spreads_far_more_and_outbreaks_grow_with_beta() {
    let (net, g) = load_layer(
        "higgs-twitter/higgs-retweet_network.edgelist.gz",
        Layer::Repost,
    );
    let hub = net.interner().get("88").expect("account 88");
    assert_eq!(g.in_degree(hub), 14_060);
    let bc = epidemic_threshold(&g);
    assert!(bc > 0.0 && bc < 0.05, "threshold {bc}");
    // A random account with one retweeter and that retweeted nobody.
    let mut rng = Xoshiro256StarStar::seed_from_u64(2010);
    let low = loop {
        let v = NodeId(rng.below(g.num_nodes() as u64) as u32);
        if g.in_degree(v) == 1 && g.out_degree(v) == 0 {
            break v;
        }
    };
    let s = SirOptions {
        beta: 2.0 * bc,
        gamma: 1.0,
        runs: 200,
        seed: 1,
        ..Default::default()
    };
    let out = sir_outbreak_per_node(&g, &s, Some(&[hub, low])).unwrap();
    eprintln!("β_c {bc}, outbreak of 88 {}, of {low} {}", out[0], out[1]);
    assert!(out[0] > 10.0 * out[1], "{out:?}");
    assert!(out[1] < 1.5);

    let mut means = Vec::new();
    for factor in [1.0, 2.0, 4.0] {
        let d = sir(
            &g,
            &[hub],
            &SirOptions {
                beta: factor * bc,
                runs: 200,
                seed: 7,
                ..s
            },
        )
        .unwrap();
        eprintln!("β = {factor} β_c: mean {} std {}", d.mean, d.std);
        means.push((d.mean, d.std / 200f64.sqrt()));
    }
    for w in means.windows(2) {
        // Increasing by more than 3 standard errors of the difference.
        let se = (w[0].1 * w[0].1 + w[1].1 * w[1].1).sqrt();
        assert!(w[1].0 - w[0].0 > 3.0 * se, "{means:?}");
    }
}

#[test]
fn slashdot_threshold_is_finite_and_a_probability() {
    let (_, g) = load_layer("slashdot-zoo/soc-Slashdot0902.txt.gz", Layer::Follow);
    let bc = epidemic_threshold(&g);
    eprintln!("Slashdot Zoo β_c = {bc}");
    assert!(bc.is_finite() && bc > 0.0 && bc < 1.0, "{bc}");
    // A few SIR runs just above it reach beyond the seed's neighbourhood.
    let top = g.top_by_in_degree(1)[0].0;
    let d = sir(
        &g,
        &[top],
        &SirOptions {
            beta: 2.0 * bc,
            runs: 20,
            seed: 3,
            ..Default::default()
        },
    )
    .unwrap();
    eprintln!("Slashdot SIR from the top account: {d:?}");
    assert!(d.mean > 1.0);
}

/// Release-mode timing (not run by default):
/// `cargo test --release -p portevoix-graph --test kernels_diffusion -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_slashdot_outbreak_per_node() {
    let (_, g) = load_layer("slashdot-zoo/soc-Slashdot0902.txt.gz", Layer::Follow);
    let bc = epidemic_threshold(&g);
    let mut rng = Xoshiro256StarStar::seed_from_u64(1);
    let nodes: Vec<NodeId> = (0..1000)
        .map(|_| NodeId(rng.below(g.num_nodes() as u64) as u32))
        .collect();
    for factor in [1.0, 1.5, 2.0] {
        let s = SirOptions {
            beta: factor * bc,
            runs: 100,
            seed: 1,
            ..Default::default()
        };
        let t = Instant::now();
        let out = sir_outbreak_per_node(&g, &s, Some(&nodes)).unwrap();
        let mean = out.iter().sum::<f64>() / out.len() as f64;
        eprintln!(
            "Slashdot β = {factor} β_c = {:.5}: 1,000 nodes × 100 runs in {:.3} s \
             (mean outbreak {mean:.1}, {} threads)",
            s.beta,
            t.elapsed().as_secs_f64(),
            rayon::current_num_threads()
        );
    }
}
