//! Times the PageRank solvers on an edge list, interleaved, and checks that
//! they agree: `cargo run --release -p portevoix-graph --example
//! pagerank_solvers -- FILE [REPEATS] [TOLERANCE]`.

use portevoix_graph::kernels::{PageRankOptions, PageRankSolver, pagerank_with};
use portevoix_graph::{BuildOptions, DuplicatePolicy, Network};
use portevoix_ingest::{FormatKind, ReadOptions, load};
use std::path::Path;
use std::time::Instant;

/// CPU time of the whole process (every thread), in ms, from
/// `/proc/self/task/*/schedstat`: on a shared machine it counts the work
/// done, not the time spent waiting for a core.
fn cpu_ms() -> f64 {
    let mut total = 0u64;
    if let Ok(dir) = std::fs::read_dir("/proc/self/task") {
        for e in dir.flatten() {
            if let Ok(s) = std::fs::read_to_string(e.path().join("schedstat")) {
                total += s.split_whitespace().next().and_then(|x| x.parse().ok()).unwrap_or(0);
            }
        }
    }
    total as f64 / 1e6
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: pagerank_solvers FILE [REPEATS] [TOLERANCE]")?;
    let repeats: usize = args.get(2).map_or(Ok(5), |s| s.parse())?;
    let tolerance: f64 = args.get(3).map_or(Ok(1e-9), |s| s.parse())?;
    let ds = load(&[(Path::new(path), Some(FormatKind::EdgeList))], &ReadOptions::default())?;
    let build = BuildOptions {
        keep_self_loops: true,
        duplicates: DuplicatePolicy::Max,
        ..BuildOptions::default()
    };
    let net = Network::build(&ds.interactions, ds.interner, &build)?;
    let (_, g) = net.layers().next().ok_or("no edges")?;
    let opts = PageRankOptions {
        tolerance,
        max_iterations: 1000,
        ..PageRankOptions::default()
    };
    let solvers: Vec<PageRankSolver> = match args.get(4).map(String::as_str) {
        Some("power") => vec![PageRankSolver::Power],
        Some("krylov") => vec![PageRankSolver::Krylov],
        _ => vec![PageRankSolver::Power, PageRankSolver::Krylov, PageRankSolver::Auto],
    };
    let mut times = vec![Vec::new(); solvers.len()];
    let mut cpu = vec![Vec::new(); solvers.len()];
    let mut results = Vec::new();
    for _ in 0..repeats {
        results.clear();
        for (i, &s) in solvers.iter().enumerate() {
            let (t, c) = (Instant::now(), cpu_ms());
            let r = pagerank_with(g, &opts, s, None, None)?;
            times[i].push(t.elapsed().as_secs_f64() * 1e3);
            cpu[i].push(cpu_ms() - c);
            results.push(r);
        }
    }
    for (i, s) in solvers.iter().enumerate() {
        let mut t = times[i].clone();
        t.sort_by(f64::total_cmp);
        let mut c = cpu[i].clone();
        c.sort_by(f64::total_cmp);
        let r = &results[i];
        let l1: f64 = r.scores.iter().zip(&results[0].scores).map(|(a, b)| (a - b).abs()).sum();
        println!(
            "{:>6}: median {:8.2} ms  min {:8.2}  cpu median {:8.2} ms  sweeps {:4}  residual {:.2e}  used {:?}  L1 to power {:.2e}",
            s.as_str(),
            t[t.len() / 2],
            t[0],
            c[c.len() / 2],
            r.iterations,
            r.residual,
            r.solver,
            l1
        );
    }
    Ok(())
}
