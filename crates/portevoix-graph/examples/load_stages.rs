//! Times the load of edge lists as `portevoix inspect` does it (read and
//! intern, then build both CSR directions), `--repeat` times in one process,
//! and prints the median of each part in milliseconds, without the process
//! start-up the peer script's fresh processes pay. `RAYON_NUM_THREADS=1`
//! gives the work of each part without the noise of a shared machine's
//! scheduling.
//!
//! `cargo run --release -p portevoix-graph --example load_stages -- [--repeat N] FILE...`

use portevoix_graph::{BuildOptions, Network};
use portevoix_ingest::{FormatKind, ReadOptions, load};
use std::path::PathBuf;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut repeat = 5;
    let mut files: Vec<PathBuf> = Vec::new();
    while let Some(a) = args.next() {
        if a == "--repeat" {
            repeat = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
        } else {
            files.push(a.into());
        }
    }
    let options = BuildOptions {
        keep_self_loops: true,
        ..BuildOptions::default()
    };
    for file in &files {
        let (mut parse, mut build) = (Vec::new(), Vec::new());
        let mut edges = 0;
        for _ in 0..repeat {
            let start = Instant::now();
            let mut ds = load(
                &[(file.as_path(), Some(FormatKind::EdgeList))],
                &ReadOptions::default(),
            )
            .expect("load");
            let parsed = start.elapsed();
            let interner = std::mem::take(&mut ds.interner);
            let net = Network::build(&ds.interactions, interner, &options).expect("build");
            let total = start.elapsed();
            edges = net.layers().map(|(_, g)| g.num_edges()).sum::<usize>();
            parse.push(parsed.as_secs_f64() * 1e3);
            build.push((total - parsed).as_secs_f64() * 1e3);
        }
        let (p, b) = (median(parse), median(build));
        println!(
            "{}: parse {p:.1} ms, build {b:.1} ms, total {:.1} ms, {edges} edges, {:.1} ns/edge",
            file.display(),
            p + b,
            (p + b) * 1e6 / edges as f64
        );
    }
}
