//! Protocol `sir`: the threshold and the sample, the kernel's outcome
//! against a direct simulation written here, a quick run on the Higgs
//! retweet layer, determinism. The full run is `#[ignore]`d (run it with
//! `--release -- --ignored --nocapture`).

mod common;

use portevoix_core::NodeId;
use portevoix_eval::protocol::{EvalOptions, ProtocolReport};
use portevoix_eval::protocols::portfolio::{PLAN_ROW, QUICK_KS};
use portevoix_eval::protocols::sir::{directed_threshold, run, sample_nodes};
use portevoix_graph::generate::Xoshiro256StarStar;
use portevoix_graph::kernels::{SirOptions, SpreadDirection, sir_outbreak_per_node};
use portevoix_graph::{BuildOptions, LayerGraph};
use std::io::Write;

/// A small random directed graph (`n` nodes, `m` edges, no self-loop).
fn random_graph(n: u32, m: usize, seed: u64) -> (LayerGraph, Vec<(u32, u32)>) {
    let mut rng = Xoshiro256StarStar::from_stream(seed, 0);
    let mut edges = Vec::new();
    while edges.len() < m {
        let a = rng.below(u64::from(n)) as u32;
        // Preferential-ish targets: low ids are hubs.
        let b = (rng.below(u64::from(n)) * rng.below(u64::from(n)) / u64::from(n)) as u32;
        if a != b && !edges.contains(&(a, b)) {
            edges.push((a, b));
        }
    }
    let g = LayerGraph::from_edges(n as usize, &edges, &BuildOptions::default()).unwrap();
    (g, edges)
}

/// Direct SIR with γ = 1 in the information-flow direction (`a → b` lets
/// `b` infect `a`), written independently of the kernel: a breadth-first
/// cascade where each edge into an infected node is tried once.
fn direct_sir(n: usize, edges: &[(u32, u32)], start: u32, beta: f64, runs: u64) -> f64 {
    let mut retweeters = vec![Vec::new(); n];
    for &(a, b) in edges {
        retweeters[b as usize].push(a);
    }
    let mut total = 0u64;
    for r in 0..runs {
        // A generator unrelated to the kernel's streams.
        let mut rng = Xoshiro256StarStar::from_stream(0xD1CE, r);
        let mut infected = vec![false; n];
        infected[start as usize] = true;
        let mut frontier = vec![start];
        let mut size = 1;
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for v in frontier {
                for &u in &retweeters[v as usize] {
                    if !infected[u as usize] && rng.next_f64() < beta {
                        infected[u as usize] = true;
                        size += 1;
                        next.push(u);
                    }
                }
            }
            frontier = next;
        }
        total += size;
    }
    total as f64 / runs as f64
}

#[test]
fn kernel_outbreak_matches_a_direct_simulation() {
    let (g, edges) = random_graph(300, 1500, 3);
    let beta_c = directed_threshold(&g);
    assert!(beta_c > 0.0 && beta_c < 1.0, "{beta_c}");
    let beta = (1.5 * beta_c).min(1.0);
    let runs = 4000;
    let nodes = [NodeId(0), NodeId(1), NodeId(5), NodeId(150)];
    let kernel = sir_outbreak_per_node(
        &g,
        &SirOptions {
            beta,
            gamma: 1.0,
            runs,
            seed: 42,
            direction: SpreadDirection::InformationFlow,
            ..SirOptions::default()
        },
        Some(&nodes),
    )
    .unwrap();
    for (i, v) in nodes.iter().enumerate() {
        let direct = direct_sir(300, &edges, v.0, beta, runs as u64);
        // Both are means of `runs` i.i.d. sizes in [1, 300], so each has a
        // standard deviation of at most 150: allow 4 standard errors of the
        // difference.
        let tolerance = 4.0 * 2f64.sqrt() * 150.0 / (runs as f64).sqrt();
        assert!(
            (kernel[i] - direct).abs() < tolerance,
            "node {}: kernel {} direct {}",
            v.0,
            kernel[i],
            direct
        );
    }
}

#[test]
fn threshold_and_sample() {
    // Star 1..=4 → 0 and a back edge 0 → 1: Σk_in = 5, Σ k_in·k_out = 4·1 + 1·1.
    let g = LayerGraph::from_edges(
        6,
        &[(1, 0), (2, 0), (3, 0), (4, 0), (0, 1)],
        &BuildOptions::default(),
    )
    .unwrap();
    assert!((directed_threshold(&g) - 5.0 / 5.0).abs() < 1e-12);
    // Node 5 is isolated: never sampled.
    let all = sample_nodes(&g, 100, 1);
    assert_eq!(all, (0..5).map(NodeId).collect::<Vec<_>>());
    let (g, _) = random_graph(300, 1500, 3);
    let a = sample_nodes(&g, 50, 9);
    assert_eq!(a.len(), 50);
    assert_eq!(a, sample_nodes(&g, 50, 9));
    assert_ne!(a, sample_nodes(&g, 50, 10));
    // Stratified: the top in-degree bin is represented although it is small.
    let top = (0..300).map(|v| g.in_csr().degree(v)).max().unwrap();
    let bin = |k: usize| usize::BITS - (k + 1).leading_zeros();
    assert!(
        a.iter()
            .any(|v| bin(g.in_csr().degree(v.index())) == bin(top))
    );
}

fn without_time(mut r: ProtocolReport) -> ProtocolReport {
    r.seconds = 0.0;
    // Some setup lines carry timings.
    r.setup.retain(|l| !l.contains(" s,") && !l.contains(" s."));
    r
}

/// A small graph file in the temporary directory.
fn small_file() -> std::path::PathBuf {
    let (_, edges) = random_graph(400, 2400, 11);
    let path = std::env::temp_dir().join(format!("portevoix-sir-{}.edgelist", std::process::id()));
    let mut f = std::fs::File::create(&path).unwrap();
    for (a, b) in edges {
        writeln!(f, "{a} {b}").unwrap();
    }
    path
}

#[test]
fn quick_run_on_a_small_graph_is_deterministic() {
    let options = EvalOptions {
        data: vec![small_file()],
        ..common::options().quick()
    };
    let a = run(&options).unwrap();
    assert_eq!(a.protocol, "sir");
    // Every variant, then the plan's row.
    assert_eq!(
        a.results.len(),
        portevoix_eval::variants::builtin().len() + 1
    );
    assert_eq!(a.results.last().unwrap().variant, PLAN_ROW);
    assert!(a.population > 100 && a.population <= 200);
    assert!(a.metric_order.iter().any(|m| m.ends_with("1.0βc: tau_b")));
    for k in QUICK_KS {
        let m = format!("1.0βc portfolio: spread@{k}");
        assert!(a.metric_order.iter().any(|x| x.ends_with(&m)), "{m}");
    }
    for r in &a.results {
        for m in &a.metric_order {
            assert_eq!(
                r.metrics.contains_key(m),
                common::expects_metric(&r.variant, m, true),
                "{} and {m}",
                r.variant
            );
        }
    }
    let b = run(&options).unwrap();
    // Compared as JSON: NaN intervals (constant tiers) are `null` there.
    let json = |r: ProtocolReport| serde_json::to_string(&without_time(r)).unwrap();
    assert_eq!(json(a), json(b));
}

#[test]
fn quick_run_on_higgs_retweets() {
    let options = EvalOptions {
        variants: Some(vec![
            "in_degree".into(),
            "pagerank".into(),
            "coreness".into(),
        ]),
        ..common::options().quick()
    };
    let r = run(&options).unwrap();
    assert_eq!(r.data.len(), 1);
    assert!(r.data[0].contains("higgs-retweet"));
    assert_eq!(r.population, 200);
    let tau = |v: &str| {
        r.results.iter().find(|x| x.variant == v).unwrap().metrics["higgs-retweet 1.0βc: tau_b"]
            .estimate
    };
    // In the information-flow direction the retweeters are the first
    // contacts: the retweet in-degree must rank the outbreaks well.
    assert!(tau("in_degree") > 0.5, "{}", tau("in_degree"));
    println!("{}", serde_json::to_string_pretty(&r).unwrap());
}

/// The full protocol (two minutes in release): three graphs named
/// relative to the datasets root, 1,000 start nodes each, every metric of
/// every variant present and the precision and NDCG in [0, 1].
#[test]
#[ignore = "full run: cargo test --release -p portevoix-eval --test protocol_sir -- --ignored"]
fn full_run() {
    let report = run(&common::options()).unwrap();
    assert_eq!(
        report.data,
        [
            "higgs-twitter/higgs-retweet_network.edgelist.gz",
            "slashdot-zoo/soc-Slashdot0902.txt.gz",
            "epinions-signed/soc-sign-epinions.txt.gz"
        ]
    );
    assert_eq!(report.population, 3000);
    assert_eq!(
        report.results.len(),
        portevoix_eval::variants::builtin().len() + 1
    );
    for r in &report.results {
        for m in &report.metric_order {
            if !common::expects_metric(&r.variant, m, false) {
                assert!(!r.metrics.contains_key(m), "{} has {m}", r.variant);
                continue;
            }
            let x = r
                .metrics
                .get(m)
                .unwrap_or_else(|| panic!("{} lacks {m}", r.variant));
            if m.contains("precision") || m.contains("ndcg") {
                assert!(
                    (0.0..=1.0).contains(&x.estimate),
                    "{} {m}: {x:?}",
                    r.variant
                );
            }
        }
    }
}

/// The quick version without a datasets directory: an error naming what is
/// missing, not a panic.
#[test]
fn quick_run_without_datasets_is_an_error() {
    let e = run(&EvalOptions::default().quick()).unwrap_err();
    assert_eq!(e.kind(), portevoix_core::ErrorKind::Argument);
    assert!(e.to_string().contains("higgs-twitter"), "{e}");
}
