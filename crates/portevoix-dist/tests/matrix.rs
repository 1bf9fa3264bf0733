//! Every kernel in 1 × 1, 1 × 2 and 2 × 1 against the local engine.

mod common;

use common::*;
use portevoix_dist::{Algorithm, InputFile, Job, Values};
use portevoix_graph::kernels::{PageRankOptions, pagerank};
use portevoix_ingest::{FormatKind, ReadOptions};

fn otc() -> Vec<InputFile> {
    vec![InputFile {
        path: data("bitcoin-otc/soc-sign-bitcoinotc.csv"),
        format: Some(FormatKind::Signed),
    }]
}

#[test]
fn pagerank_matches_local_in_every_layout() {
    let inputs = otc();
    let local = local_view(&inputs, &ReadOptions::default(), None);
    let options = PageRankOptions { tolerance: 1e-12, max_iterations: 1000, ..Default::default() };
    let expected = pagerank(&local.view, &options, None).unwrap();
    for (p, w) in MATRIX {
        let mut job = Job::new(inputs.clone(), Algorithm::PageRank(options));
        job.unit = 64;
        job.block_bytes = 64 << 10;
        let out = run_layout(&job, p, w).unwrap();
        assert_same_names(&out, &local);
        let Values::Scores(s) = &out.values else { panic!("scores") };
        let d = l1(s, &expected.scores);
        eprintln!("{p}x{w}: L1 {d:e}, iterations {} vs {}", out.iterations, expected.iterations);
        assert!(d < 1e-9, "{p}x{w}: L1 {d}");
    }
}
