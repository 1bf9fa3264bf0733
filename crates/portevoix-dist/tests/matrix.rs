//! Every kernel in 1 × 1, 1 × 2 and 2 × 1 (two processes over loopback)
//! against the local engine, on real graphs: PageRank, HITS, LeaderRank and
//! Katz within 1e-9 (L1); coreness, components, HyperBall and the diffusion
//! Monte Carlo identical; label propagation identical to the synchronous
//! reference, and compared with the local (asynchronous) one.

mod common;

use common::*;
use portevoix_core::{Layer, NodeId};
use portevoix_dist::{Algorithm, InputFile, Job, Output, Values};
use portevoix_graph::kernels::*;

/// The local engine's power iteration: the distributed engine runs the same
/// vertex program (the local engine's default may switch to its Krylov
/// solver, which reaches the same fixed point by another path).
fn power(
    view: &portevoix_graph::LayerGraph,
    o: &PageRankOptions,
    p: Option<&[f64]>,
) -> PageRankResult {
    pagerank_with(view, o, PageRankSolver::Power, p, None).unwrap()
}
use portevoix_ingest::{FormatKind, ReadOptions};

fn otc() -> Vec<InputFile> {
    vec![InputFile {
        path: data("bitcoin-otc/soc-sign-bitcoinotc.csv"),
        format: Some(FormatKind::Signed),
    }]
}

/// Small units and parts, so that a 6,000-account graph is spread over every
/// worker and read in many parts.
fn job(inputs: &[InputFile], algorithm: Algorithm) -> Job {
    let mut job = Job::new(inputs.to_vec(), algorithm);
    job.unit = 64;
    job.block_bytes = 32 << 10;
    job
}

fn each_layout(job: &Job, local: &LocalView, mut check: impl FnMut(&str, &Output)) {
    for (p, w) in MATRIX {
        let out = run_layout(job, p, w).unwrap_or_else(|e| panic!("{p}x{w}: {e}"));
        assert_same_names(&out, local);
        check(&format!("{p}x{w}"), &out);
    }
}

fn scores(out: &Output) -> &[f64] {
    match &out.values {
        Values::Scores(s) => s,
        other => panic!("expected scores, got {other:?}"),
    }
}

fn labels(out: &Output) -> &[u32] {
    match &out.values {
        Values::Labels(l) => l,
        other => panic!("expected labels, got {other:?}"),
    }
}

fn close(layout: &str, what: &str, got: &[f64], want: &[f64]) {
    let d = l1(got, want);
    assert!(d < 1e-9, "{layout} {what}: L1 {d:e}");
}

#[test]
fn pagerank_family_matches_local() {
    let inputs = otc();
    let local = local_view(&inputs, &ReadOptions::default(), None);
    let o = PageRankOptions {
        tolerance: 1e-12,
        max_iterations: 1000,
        ..Default::default()
    };
    let plain = power(&local.view, &o, None);
    let id = |s: &str| local.network.interner().get(s).unwrap().index();
    let n = local.view.num_nodes();
    let mut p1 = vec![0.0; n];
    p1[id("1")] = 2.0;
    p1[id("13")] = 1.0;
    let mut p2 = vec![0.0; n];
    p2[id("35")] = 1.0;
    let personal = power(&local.view, &o, Some(&p1));
    let batch =
        personalized_pagerank_batch_with(&local.view, &[&p1, &p2], &o, PageRankSolver::Power)
            .unwrap();
    let w1 = vec![("1".to_string(), 2.0), ("13".to_string(), 1.0)];
    let w2 = vec![("35".to_string(), 1.0)];
    each_layout(&job(&inputs, Algorithm::PageRank(o)), &local, |l, out| {
        close(l, "pagerank", scores(out), &plain.scores);
        assert_eq!(out.iterations, plain.iterations, "{l}");
    });
    each_layout(
        &job(&inputs, Algorithm::PersonalizedPageRank(o, w1.clone())),
        &local,
        |l, out| close(l, "personalised", scores(out), &personal.scores),
    );
    each_layout(
        &job(
            &inputs,
            Algorithm::PageRankBatch(o, vec![w1.clone(), w2.clone()]),
        ),
        &local,
        |l, out| {
            let Values::Columns(c, 2) = &out.values else {
                panic!("two columns")
            };
            for (j, r) in batch.iter().enumerate() {
                let col: Vec<f64> = c.chunks_exact(2).map(|row| row[j]).collect();
                close(l, "batch", &col, &r.scores);
            }
        },
    );
}

#[test]
fn hits_leaderrank_katz_match_local() {
    let inputs = otc();
    let local = local_view(&inputs, &ReadOptions::default(), None);
    let h = HitsOptions {
        tolerance: 1e-12,
        max_iterations: 10_000,
    };
    let hl = hits(&local.view, &h).unwrap();
    each_layout(
        &job(&inputs, Algorithm::HitsAuthority(h)),
        &local,
        |l, out| {
            close(l, "authority", scores(out), &hl.authorities);
        },
    );
    each_layout(&job(&inputs, Algorithm::HitsHub(h)), &local, |l, out| {
        close(l, "hub", scores(out), &hl.hubs);
    });
    let lr = LeaderRankOptions::default();
    let ll = leaderrank(&local.view, &lr).unwrap();
    each_layout(
        &job(&inputs, Algorithm::LeaderRank(lr)),
        &local,
        |l, out| {
            // LeaderRank scores sum to n: compare relative to that scale.
            let d = l1(scores(out), &ll.scores) / local.view.num_nodes() as f64;
            assert!(d < 1e-9, "{l} leaderrank: L1/n {d:e}");
        },
    );
    let k = KatzOptions {
        alpha: 0.01,
        ..Default::default()
    };
    let kl = katz(&local.view, &k).unwrap();
    each_layout(&job(&inputs, Algorithm::Katz(k)), &local, |l, out| {
        close(l, "katz", scores(out), &kl.scores);
    });
    // Divergence is reported, not hidden, on every layout.
    let bad = KatzOptions {
        alpha: 0.9,
        ..Default::default()
    };
    assert!(katz(&local.view, &bad).is_err());
    for (p, w) in MATRIX {
        let e = run_layout(&job(&inputs, Algorithm::Katz(bad)), p, w).unwrap_err();
        assert!(e.to_string().contains("diverges"), "{e}");
    }
}

#[test]
fn coreness_hyperball_components_are_identical() {
    let inputs = otc();
    let local = local_view(&inputs, &ReadOptions::default(), None);
    for mode in [CoreMode::Undirected, CoreMode::In, CoreMode::Out] {
        let want: Vec<f64> = core_numbers(&local.view, mode)
            .into_iter()
            .map(f64::from)
            .collect();
        each_layout(
            &job(&inputs, Algorithm::Coreness(mode)),
            &local,
            |l, out| {
                assert_eq!(scores(out), &want[..], "{l} {mode:?}");
            },
        );
    }
    let hb = HyperBallOptions::default();
    let hr = hyperball(&local.view, &hb).unwrap();
    for hops in [2, 3] {
        each_layout(
            &job(&inputs, Algorithm::HyperBall(hb, hops)),
            &local,
            |l, out| {
                assert_eq!(scores(out), &hr.hop(hops)[..], "{l} reach{hops}");
            },
        );
    }
    let following = HyperBallOptions {
        direction: Direction::Following,
        register_bits: 9,
        ..hb
    };
    let hf = hyperball(&local.view, &following).unwrap();
    each_layout(
        &job(&inputs, Algorithm::HyperBall(following, 2)),
        &local,
        |l, out| {
            assert_eq!(scores(out), &hf.hop(2)[..], "{l} following");
        },
    );
    let wcc = weakly_connected_components(&local.view);
    each_layout(&job(&inputs, Algorithm::Components), &local, |l, out| {
        assert_eq!(labels(out), &wcc[..], "{l} components");
    });
}

/// The semi-synchronous label propagation, sequentially, on the local
/// engine's undirected view: the reference of the distributed one.
fn synchronous_lp(view: &UndirectedView, o: &LabelPropagationOptions) -> Vec<u32> {
    let n = view.num_nodes();
    let mut label: Vec<u32> = (0..n as u32).collect();
    for sweep in 1..=o.max_iterations {
        let mut wants = false;
        let mut next = label.clone();
        for v in 0..n {
            let (nb, wt) = view.row(v);
            if nb.is_empty() {
                continue;
            }
            let mut acc: Vec<(u32, f64)> = nb
                .iter()
                .zip(wt)
                .map(|(&u, &w)| (label[u as usize], w))
                .collect();
            acc.sort_by_key(|x| x.0);
            let (mut best, mut best_w, mut own_w) = (u32::MAX, f64::NEG_INFINITY, 0.0);
            let mut i = 0;
            while i < acc.len() {
                let c = acc[i].0;
                let mut w = 0.0;
                while i < acc.len() && acc[i].0 == c {
                    w += acc[i].1;
                    i += 1;
                }
                if w > best_w || (w == best_w && c < best) {
                    (best, best_w) = (c, w);
                }
                if c == label[v] {
                    own_w = w;
                }
            }
            if own_w < best_w && best != label[v] {
                wants = true;
                if portevoix_dist::kernels::structure::adopts(v as u32, sweep, o.seed) {
                    next[v] = best;
                }
            }
        }
        label = next;
        if !wants {
            break;
        }
    }
    label
}

#[test]
fn label_propagation_is_the_synchronous_rule() {
    let inputs = otc();
    let local = local_view(&inputs, &ReadOptions::default(), None);
    let view = UndirectedView::new(&local.view);
    let o = LabelPropagationOptions {
        seed: 0,
        max_iterations: 30,
    };
    let want = synchronous_lp(&view, &o);
    let asynchronous = label_propagation(&local.view, &o);
    each_layout(
        &job(&inputs, Algorithm::LabelPropagation(o)),
        &local,
        |l, out| {
            assert_eq!(labels(out), &want[..], "{l}");
            let q = view.modularity(labels(out), 1.0);
            eprintln!(
                "{l}: semi-synchronous modularity {q:.4}, local asynchronous {:.4}",
                asynchronous.modularity
            );
            assert!(q > 0.0, "{l}: communities better than chance");
        },
    );
}

#[test]
fn diffusion_runs_spread_over_processes_are_identical() {
    let inputs = otc();
    let local = local_view(&inputs, &ReadOptions::default(), None);
    let seeds = ["1", "35", "2642"];
    let ids: Vec<NodeId> = seeds
        .iter()
        .map(|s| local.network.interner().get(s).unwrap())
        .collect();
    let names: Vec<String> = seeds.iter().map(|s| s.to_string()).collect();
    let sir_o = SirOptions {
        beta: 0.2,
        gamma: 0.5,
        runs: 200,
        seed: 11,
        ..Default::default()
    };
    let want = sir(&local.view, &ids, &sir_o).unwrap();
    each_layout(
        &job(&inputs, Algorithm::Sir(sir_o, names.clone())),
        &local,
        |l, out| {
            let Values::Spread(d) = &out.values else {
                panic!("spread")
            };
            assert_eq!(d, &want, "{l} sir");
        },
    );
    let ic = CascadeOptions {
        activation: Activation::WeightedCascade,
        runs: 100,
        seed: 3,
        ..Default::default()
    };
    let want = independent_cascade(&local.view, &ids, &ic).unwrap();
    each_layout(
        &job(&inputs, Algorithm::Cascade(ic, names)),
        &local,
        |l, out| {
            let Values::Spread(d) = &out.values else {
                panic!("spread")
            };
            assert_eq!(d, &want, "{l} cascade");
        },
    );
    // An unknown seed is an error naming it, on every layout.
    let e = run_layout(
        &job(&inputs, Algorithm::Sir(sir_o, vec!["no-such".into()])),
        2,
        1,
    )
    .unwrap_err();
    assert!(e.to_string().contains("no-such"), "{e}");
}

#[test]
fn multiplex_view_and_string_ids_match_local() {
    // The Higgs activity log: three layers, merged with factors.
    let higgs = vec![InputFile {
        path: std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../datasets/higgs-sample/higgs-activity_time.first60000.txt.gz"),
        format: Some(FormatKind::Higgs),
    }];
    let layers = vec![
        (Layer::Repost, 1.0),
        (Layer::Mention, 0.5),
        (Layer::Reply, 0.25),
    ];
    let local = local_view(&higgs, &ReadOptions::default(), Some(layers.clone()));
    let o = PageRankOptions {
        tolerance: 1e-12,
        ..Default::default()
    };
    let want = power(&local.view, &o, None);
    let mut j = job(&higgs, Algorithm::PageRank(o));
    j.layers = Some(layers);
    each_layout(&j, &local, |l, out| {
        assert_eq!(out.edges, local.view.num_edges() as u64, "{l}");
        close(l, "higgs merged", scores(out), &want.scores);
    });
}

#[test]
fn default_unit_gives_bit_identical_pagerank() {
    // Slashdot Zoo (82,168 accounts): with the default unit every reduction
    // chunk of the local engine lies on one worker.
    let inputs = vec![InputFile {
        path: data("slashdot-zoo/soc-Slashdot0902.txt.gz"),
        format: None,
    }];
    let local = local_view(&inputs, &ReadOptions::default(), None);
    let o = PageRankOptions {
        tolerance: 1e-12,
        ..Default::default()
    };
    let want = power(&local.view, &o, None);
    for (p, w) in [(1, 2), (2, 1)] {
        let out = run_layout(&Job::new(inputs.clone(), Algorithm::PageRank(o)), p, w).unwrap();
        assert_eq!(scores(&out), &want.scores[..], "{p}x{w}: bit-identical");
        assert_eq!(out.iterations, want.iterations);
    }
}
