//! Modularity and time of Leiden on an edge list for several seeds and pass
//! caps: `cargo run --release -p portevoix-graph --example leiden_quality --
//! FILE [PASSES,...] [SEEDS] [greedy|random] [STARTS]`.
//! `LEIDEN_QUALITY_EACH=1` prints every seed's modularity;
//! `LEIDEN_QUALITY_PLAIN=1` turns multilevel moves off (the paper's pass). The graph is built as the peer comparison
//! builds it (`--duplicates max`); times are wall and whole-process CPU.

use portevoix_graph::kernels::communities::{
    LeidenOptions, Refinement, UndirectedView, leiden_view,
};
use portevoix_graph::{BuildOptions, DuplicatePolicy, Network};
use portevoix_ingest::{FormatKind, ReadOptions, load};
use std::path::Path;
use std::time::Instant;

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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: leiden_quality FILE [PASSES,...] [SEEDS] [greedy|random] [STARTS]")?;
    let passes: Vec<usize> = args
        .get(2)
        .map_or("2", String::as_str)
        .split(',')
        .map(|s| s.parse())
        .collect::<Result<_, _>>()?;
    let seeds: u64 = args.get(3).map_or(Ok(5), |s| s.parse())?;
    let refinement = match args.get(4).map(String::as_str) {
        Some("greedy") => Refinement::Greedy,
        _ => Refinement::Random,
    };
    let starts: usize = args.get(5).map_or(Ok(1), |s| s.parse())?;
    let ds = load(
        &[(Path::new(path), Some(FormatKind::EdgeList))],
        &ReadOptions::default(),
    )?;
    let build = BuildOptions {
        duplicates: DuplicatePolicy::Max,
        ..BuildOptions::default()
    };
    let net = Network::build(&ds.interactions, ds.interner, &build)?;
    let (_, g) = net.layers().next().ok_or("no edges")?;
    let view = UndirectedView::new(g);
    for &p in &passes {
        let (mut qs, mut walls, mut cpus) = (Vec::new(), Vec::new(), Vec::new());
        for seed in 0..seeds {
            let opts = LeidenOptions {
                seed,
                max_iterations: p,
                refinement,
                starts,
                multilevel_moves: std::env::var_os("LEIDEN_QUALITY_PLAIN").is_none(),
                ..LeidenOptions::default()
            };
            let (t, c) = (Instant::now(), cpu_ms());
            let part = leiden_view(&view, &opts)?;
            walls.push(t.elapsed().as_secs_f64() * 1e3);
            cpus.push(cpu_ms() - c);
            qs.push(part.modularity);
            if std::env::var_os("LEIDEN_QUALITY_EACH").is_some() {
                println!("  seed {seed}: Q {:.4}", part.modularity);
            }
        }
        let mean = qs.iter().sum::<f64>() / qs.len() as f64;
        let min = qs.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = qs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        walls.sort_by(f64::total_cmp);
        cpus.sort_by(f64::total_cmp);
        println!(
            "passes {p:>3}: Q mean {mean:.4} min {min:.4} max {max:.4}  wall median {:.1} ms  cpu median {:.1} ms",
            walls[walls.len() / 2],
            cpus[cpus.len() / 2]
        );
    }
    Ok(())
}
