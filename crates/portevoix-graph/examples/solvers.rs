//! Times the PageRank and HITS solvers on an edge list, interleaved, and
//! checks that they agree:
//!
//! ```text
//! cargo run --release -p portevoix-graph --example solvers -- FILE [pagerank|hits|reach2] [REPEATS] [TOLERANCE]
//! ```
//!
//! The graph is built as `portevoix rank --keep-self-loops --duplicates max`
//! builds it (the peer comparison's setting). For each solver it prints the
//! median wall time, the median CPU time of the whole process (all threads,
//! from `/proc/self/task/*/schedstat`: on a shared machine it counts the work
//! done rather than the time spent waiting for a core), the sweeps and the
//! L1 distance to the power iteration's result. For `reach2` the methods are
//! exact counting and HyperBall, the residual column is the total reach and
//! the L1 distance is to the exact counts.

use portevoix_graph::kernels::{
    HitsOptions, HitsSolver, HyperBallOptions, PageRankOptions, PageRankSolver, ReachMethod,
    hits_with, pagerank_with, reach,
};
use portevoix_graph::{BuildOptions, DuplicatePolicy, LayerGraph, Network};
use portevoix_ingest::{FormatKind, ReadOptions, load};
use std::path::Path;
use std::time::Instant;

/// CPU time of the whole process (every thread), in ms.
fn cpu_ms() -> f64 {
    let mut total = 0u64;
    if let Ok(dir) = std::fs::read_dir("/proc/self/task") {
        for e in dir.flatten() {
            if let Ok(s) = std::fs::read_to_string(e.path().join("schedstat")) {
                total += s
                    .split_whitespace()
                    .next()
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(0);
            }
        }
    }
    total as f64 / 1e6
}

/// One run: (scores, sweeps, residual, solver used).
type Run = (Vec<f64>, usize, f64, &'static str);

fn run(g: &LayerGraph, kernel: &str, solver: &str, tolerance: f64) -> Run {
    if kernel == "reach2" {
        let m = match solver {
            "exact" => ReachMethod::Exact,
            "hyperball" => ReachMethod::HyperBall,
            _ => ReachMethod::Auto,
        };
        let opts = HyperBallOptions {
            max_hops: 2,
            ..HyperBallOptions::default()
        };
        let r = reach(g, &opts, m).expect("valid options");
        let total: f64 = r.hop(2).iter().sum();
        return (r.hop(2), r.iterations, total, r.method.as_str());
    }
    if kernel == "hits" {
        let s = match solver {
            "power" => HitsSolver::Power,
            "lanczos" => HitsSolver::Lanczos,
            _ => HitsSolver::Auto,
        };
        let opts = HitsOptions {
            tolerance,
            max_iterations: 10_000,
        };
        let r = hits_with(g, &opts, s).expect("valid options");
        (r.authorities, r.iterations, r.residual, r.solver.as_str())
    } else {
        let s = match solver {
            "power" => PageRankSolver::Power,
            "krylov" => PageRankSolver::Krylov,
            _ => PageRankSolver::Auto,
        };
        let opts = PageRankOptions {
            tolerance,
            max_iterations: 1000,
            ..PageRankOptions::default()
        };
        let r = pagerank_with(g, &opts, s, None, None).expect("valid options");
        (r.scores, r.iterations, r.residual, r.solver.as_str())
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: solvers FILE [pagerank|hits|reach2] [REPEATS] [TOLERANCE]")?;
    let kernel = args.get(2).map_or("pagerank", String::as_str);
    let repeats: usize = args.get(3).map_or(Ok(5), |s| s.parse())?;
    let tolerance: f64 = args.get(4).map_or(Ok(1e-9), |s| s.parse())?;
    let ds = load(
        &[(Path::new(path), Some(FormatKind::EdgeList))],
        &ReadOptions::default(),
    )?;
    let build = BuildOptions {
        keep_self_loops: true,
        duplicates: DuplicatePolicy::Max,
        ..BuildOptions::default()
    };
    let net = Network::build(&ds.interactions, ds.interner, &build)?;
    let (_, g) = net.layers().next().ok_or("no edges")?;
    let solvers: &[&str] = if kernel == "hits" {
        &["power", "lanczos", "auto"]
    } else if kernel == "reach2" {
        &["exact", "hyperball", "auto"]
    } else {
        &["power", "krylov", "auto"]
    };
    let mut wall = vec![Vec::new(); solvers.len()];
    let mut cpu = vec![Vec::new(); solvers.len()];
    let mut last: Vec<Run> = Vec::new();
    for _ in 0..repeats {
        last.clear();
        for (i, s) in solvers.iter().enumerate() {
            let (t, c) = (Instant::now(), cpu_ms());
            last.push(run(g, kernel, s, tolerance));
            wall[i].push(t.elapsed().as_secs_f64() * 1e3);
            cpu[i].push(cpu_ms() - c);
        }
    }
    for (i, s) in solvers.iter().enumerate() {
        let (scores, sweeps, residual, used) = &last[i];
        let l1: f64 = scores
            .iter()
            .zip(&last[0].0)
            .map(|(a, b)| (a - b).abs())
            .sum();
        println!(
            "{kernel} {s:>8}: wall {:8.2} ms  cpu {:8.2} ms  iterations {sweeps:4}  residual {residual:.2e}  used {used}  L1 to power {l1:.2e}",
            median(wall[i].clone()),
            median(cpu[i].clone()),
        );
    }
    Ok(())
}
