//! Generates a Graph500 Kronecker graph, writes it as a text edge list, and
//! optionally times the network build on it.
//!
//! ```text
//! cargo run --release --example kronecker -- --scale 20 --edge-factor 16 --seed 1 --out /tmp/k20.txt
//! cargo run --release --example kronecker -- --scale 20 --build          # time the CSR build, no file
//! ```
//!
//! Options: `--scale S` (default 16), `--edge-factor F` (16), `--seed N` (1),
//! `--out PATH` (text edge list, `src dst` per line), `--build` (build the
//! layer from the generated rows and report time and memory),
//! `--sorted-input` (sort the rows by source and target before the build,
//! as SNAP files are), `--repeat R` (builds to time, best reported; default 3).

use portevoix::core::LayerLog;
use portevoix::graph::generate::{kronecker, write_edge_list};
use portevoix::graph::{BuildOptions, LayerGraph};
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

struct Args {
    scale: u32,
    edge_factor: u32,
    seed: u64,
    out: Option<PathBuf>,
    build: bool,
    sorted: bool,
    repeat: usize,
}

const USAGE: &str = "usage: kronecker [--scale S] [--edge-factor F] [--seed N] [--out PATH] [--build] [--sorted-input] [--repeat R]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        scale: 16,
        edge_factor: 16,
        seed: 1,
        out: None,
        build: false,
        sorted: false,
        repeat: 3,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        let number = |name: &str, v: String| -> Result<u64, String> {
            v.parse()
                .map_err(|_| format!("{name}: '{v}' is not a non-negative integer"))
        };
        match flag.as_str() {
            "--scale" => {
                let v = number("--scale", value("--scale")?)?;
                if v > 31 {
                    return Err(format!("--scale {v}: at most 31 (ids are 32-bit)"));
                }
                args.scale = v as u32;
            }
            "--edge-factor" => {
                let v = number("--edge-factor", value("--edge-factor")?)?;
                args.edge_factor =
                    u32::try_from(v).map_err(|_| format!("--edge-factor {v} is too large"))?;
            }
            "--seed" => args.seed = number("--seed", value("--seed")?)?,
            "--out" => args.out = Some(PathBuf::from(value("--out")?)),
            "--build" => args.build = true,
            "--sorted-input" => args.sorted = true,
            "--repeat" => args.repeat = number("--repeat", value("--repeat")?)?.max(1) as usize,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown option '{other}'\n{USAGE}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let threads = rayon_threads();
    let t = Instant::now();
    let (n, edges) = kronecker(args.scale, args.edge_factor, args.seed);
    eprintln!(
        "generated scale {} edge factor {} seed {}: {} vertices, {} edges in {:.3} s ({threads} threads)",
        args.scale,
        args.edge_factor,
        args.seed,
        n,
        edges.len(),
        t.elapsed().as_secs_f64()
    );
    if let Some(path) = &args.out {
        let t = Instant::now();
        let written = File::create(path)
            .and_then(|f| write_edge_list(&edges, BufWriter::with_capacity(1 << 20, f)));
        if let Err(e) = written {
            eprintln!("{}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        eprintln!(
            "wrote {} in {:.3} s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    if args.build {
        let mut edges = edges;
        if args.sorted {
            // As SNAP files are: by source, then target.
            edges.sort_unstable();
        }
        let log = LayerLog {
            actor: edges.iter().map(|e| e.0).collect(),
            target: edges.iter().map(|e| e.1).collect(),
            weight: vec![1.0; edges.len()],
            ..LayerLog::default()
        };
        drop(edges);
        let mut best = f64::INFINITY;
        let mut graph = None;
        for _ in 0..args.repeat {
            let t = Instant::now();
            let g = match LayerGraph::build(&log, n, &BuildOptions::default()) {
                Ok(g) => g,
                Err(e) => {
                    eprintln!("build failed: {e}");
                    return ExitCode::FAILURE;
                }
            };
            best = best.min(t.elapsed().as_secs_f64());
            graph = Some(g);
        }
        let g = graph.expect("at least one build");
        let s = g.stats();
        println!(
            "build: {:.3} s best of {} ({threads} threads); {} rows -> {} edges ({} self-loops dropped, {} duplicates merged)",
            best, args.repeat, s.input_rows, s.edges, s.self_loops_dropped, s.duplicates_merged
        );
        println!(
            "memory: {:.2} bytes/edge (both CSRs with weights and offsets, {:.1} MiB); extras {:.1} MiB (merged-row counts)",
            g.bytes_per_edge(),
            g.csr_bytes() as f64 / (1 << 20) as f64,
            g.extra_bytes() as f64 / (1 << 20) as f64
        );
        let d = g.degree_summary();
        println!(
            "in-degree: mean {:.2}, median {}, p99 {}, max {}; reciprocity {:.4}",
            d.in_degree.mean, d.in_degree.median, d.in_degree.p99, d.in_degree.max, s.reciprocity
        );
    }
    ExitCode::SUCCESS
}

/// Threads rayon will use (its global pool honours `RAYON_NUM_THREADS`).
fn rayon_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&t: &usize| t > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
