//! Property tests: the parallel build against a naive reference (a BTreeMap
//! of edges) on random small logs, for every duplicate policy.

mod common;

use common::assert_consistent;
use portevoix_core::{Interaction, InteractionLog, Layer, LayerLog, NO_TIME, NodeId, Timestamp};
use portevoix_graph::{BuildOptions, DuplicatePolicy, LayerGraph, Network, identity_interner};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// One input row: actor, target, weight, time, value.
type Row = (u32, u32, f32, Option<i64>, Option<f32>);

/// The rows of each kept edge, in input order.
fn reference(rows: &[Row], keep_loops: bool) -> BTreeMap<(u32, u32), Vec<Row>> {
    let mut m: BTreeMap<(u32, u32), Vec<Row>> = BTreeMap::new();
    for &r in rows {
        if r.0 == r.1 && !keep_loops {
            continue;
        }
        m.entry((r.0, r.1)).or_default().push(r);
    }
    m
}

/// The policy written out independently of the crate's implementation.
fn naive_merge(policy: DuplicatePolicy, ws: &[f32]) -> f32 {
    match policy {
        DuplicatePolicy::Sum => {
            let mut s = 0f64;
            for &w in ws {
                s += w as f64;
            }
            s as f32
        }
        DuplicatePolicy::Max => ws.iter().copied().fold(f32::NEG_INFINITY, f32::max),
        DuplicatePolicy::Min => ws.iter().copied().fold(f32::INFINITY, f32::min),
        DuplicatePolicy::Mean => {
            let mut s = 0f64;
            for &w in ws {
                s += w as f64;
            }
            (s / ws.len() as f64) as f32
        }
        DuplicatePolicy::First => ws[0],
        DuplicatePolicy::Last => ws[ws.len() - 1],
        DuplicatePolicy::Count => ws.len() as f32,
    }
}

fn to_log(rows: &[Row]) -> LayerLog {
    let mut log = LayerLog::default();
    for &(a, t, w, time, value) in rows {
        log.push(NodeId(a), NodeId(t), w, time.map(Timestamp), value, None);
    }
    log
}

fn rows_strategy(max_nodes: u32, max_rows: usize) -> impl Strategy<Value = (u32, Vec<Row>)> {
    (1..=max_nodes).prop_flat_map(move |n| {
        let row = (
            0..n,
            0..n,
            prop_oneof![Just(1.0f32), Just(0.5), Just(-2.0), -8.0f32..8.0],
            prop::option::weighted(0.6, -50i64..50),
            prop::option::weighted(0.3, -10f32..10.0),
        );
        (Just(n), prop::collection::vec(row, 0..max_rows))
    })
}

fn check_against_reference(n: u32, rows: &[Row], opts: &BuildOptions) -> Result<(), TestCaseError> {
    let log = to_log(rows);
    let g = LayerGraph::build(&log, n as usize, opts).expect("valid ids build");
    assert_consistent(&g);
    let reference = reference(rows, opts.keep_self_loops);

    // Edges, weights, order.
    let got: Vec<(u32, u32, u32)> = g.edges().map(|(s, t, w)| (s.0, t.0, w.to_bits())).collect();
    let want: Vec<(u32, u32, u32)> = reference
        .iter()
        .map(|(&(s, t), rs)| {
            let ws: Vec<f32> = rs.iter().map(|r| r.2).collect();
            (s, t, naive_merge(opts.duplicates, &ws).to_bits())
        })
        .collect();
    prop_assert_eq!(&got, &want);

    // Counts: present exactly when some edge merged several rows.
    let counts: Vec<u32> = reference.values().map(|rs| rs.len() as u32).collect();
    if counts.iter().any(|&c| c > 1) {
        prop_assert_eq!(g.counts(), Some(&counts[..]));
    } else {
        prop_assert_eq!(g.counts(), None);
    }
    for (e, &c) in counts.iter().enumerate() {
        prop_assert_eq!(g.edge_count(e), c);
    }

    // Times: sorted known times of the merged rows.
    let times: Vec<Vec<i64>> = reference
        .values()
        .map(|rs| {
            let mut t: Vec<i64> = rs.iter().filter_map(|r| r.3).collect();
            t.sort_unstable();
            t
        })
        .collect();
    if opts.keep_times && times.iter().any(|t| !t.is_empty()) {
        let et = g.times().expect("times kept");
        prop_assert_eq!(et.times().len(), times.iter().map(Vec::len).sum::<usize>());
        for (e, t) in times.iter().enumerate() {
            prop_assert_eq!(g.edge_times(e), &t[..]);
        }
    } else {
        prop_assert!(g.times().is_none());
    }

    // Values: mean of the known values per edge.
    let values: Vec<f32> = reference
        .values()
        .map(|rs| {
            let v: Vec<f64> = rs.iter().filter_map(|r| r.4).map(|x| x as f64).collect();
            if v.is_empty() {
                f32::NAN
            } else {
                (v.iter().sum::<f64>() / v.len() as f64) as f32
            }
        })
        .collect();
    if values.iter().any(|v| !v.is_nan()) {
        let got = g.values().expect("values kept");
        prop_assert_eq!(got.len(), values.len());
        for (e, (&a, &b)) in got.iter().zip(&values).enumerate() {
            prop_assert!(
                a.to_bits() == b.to_bits(),
                "value of edge {}: {} vs {}",
                e,
                a,
                b
            );
            prop_assert_eq!(g.edge_value(e), (!b.is_nan()).then_some(b));
        }
    } else {
        prop_assert!(g.values().is_none());
    }

    // Stats.
    let s = g.stats();
    let loops_in = rows.iter().filter(|r| r.0 == r.1).count() as u64;
    let kept_rows: u64 = reference.values().map(|rs| rs.len() as u64).sum();
    prop_assert_eq!(s.input_rows, rows.len() as u64);
    prop_assert_eq!(
        s.self_loops_dropped,
        if opts.keep_self_loops { 0 } else { loops_in }
    );
    prop_assert_eq!(s.duplicates_merged, kept_rows - reference.len() as u64);
    prop_assert_eq!(s.edges, reference.len() as u64);
    let loop_edges = reference.keys().filter(|(a, b)| a == b).count() as u64;
    prop_assert_eq!(s.self_loops, loop_edges);
    let mut active = std::collections::BTreeSet::new();
    for &(a, b) in reference.keys() {
        active.insert(a);
        active.insert(b);
    }
    prop_assert_eq!(s.active_nodes, active.len() as u64);
    let non_loop = reference.keys().filter(|(a, b)| a != b).count();
    let recip = reference
        .keys()
        .filter(|&&(a, b)| a != b && reference.contains_key(&(b, a)))
        .count();
    let want_recip = if non_loop == 0 {
        0.0
    } else {
        recip as f64 / non_loop as f64
    };
    prop_assert_eq!(s.reciprocity, want_recip);
    let span = reference
        .values()
        .flatten()
        .filter_map(|r| r.3)
        .fold(None, |acc: Option<(i64, i64)>, t| {
            Some(acc.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))))
        });
    prop_assert_eq!(s.time_span, span.map(|(a, b)| (Timestamp(a), Timestamp(b))));
    let want_sum: f64 = want.iter().map(|&(_, _, w)| f32::from_bits(w) as f64).sum();
    prop_assert_eq!(s.weight_sum, want_sum);

    // Degrees, weighted degrees, top-k.
    let mut out_deg = vec![0u64; n as usize];
    let mut in_deg = vec![0u64; n as usize];
    let mut in_w = vec![0f64; n as usize];
    for &(a, b, w) in &want {
        out_deg[a as usize] += 1;
        in_deg[b as usize] += 1;
        in_w[b as usize] += f32::from_bits(w) as f64;
    }
    for v in 0..n {
        prop_assert_eq!(g.out_degree(NodeId(v)) as u64, out_deg[v as usize]);
        prop_assert_eq!(g.in_degree(NodeId(v)) as u64, in_deg[v as usize]);
        prop_assert_eq!(g.weighted_in_degree(NodeId(v)), in_w[v as usize]);
    }
    let mut ranked: Vec<(NodeId, u64)> = (0..n).map(|v| (NodeId(v), in_deg[v as usize])).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for k in [0usize, 1, 3, n as usize + 2] {
        prop_assert_eq!(g.top_by_in_degree(k), ranked[..k.min(n as usize)].to_vec());
    }
    let summary = g.degree_summary();
    let mut sorted = out_deg.clone();
    sorted.sort_unstable();
    prop_assert_eq!(summary.out_degree.min, sorted[0]);
    prop_assert_eq!(summary.out_degree.max, sorted[sorted.len() - 1]);
    let rank = |p: f64| sorted[((p * n as f64).ceil() as usize).clamp(1, n as usize) - 1];
    prop_assert_eq!(summary.out_degree.median, rank(0.5));
    prop_assert_eq!(summary.out_degree.p90, rank(0.9));
    prop_assert_eq!(summary.out_degree.mean, reference.len() as f64 / n as f64);

    // Lookups.
    for (&(a, b), _) in reference.iter().take(5) {
        prop_assert!(g.has_edge(NodeId(a), NodeId(b)));
    }
    prop_assert_eq!(g.find_edge(NodeId(n), NodeId(0)), None);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn build_matches_naive_reference(
        (n, rows) in rows_strategy(12, 80),
        policy in prop::sample::select(DuplicatePolicy::ALL.to_vec()),
        keep_self_loops in any::<bool>(),
        keep_times in any::<bool>(),
    ) {
        let opts = BuildOptions { duplicates: policy, keep_self_loops, keep_times, layers: None };
        check_against_reference(n, &rows, &opts)?;
    }

    #[test]
    fn build_matches_reference_on_sparse_id_spaces((n, rows) in rows_strategy(400, 40)) {
        // Many isolated nodes, few edges.
        check_against_reference(n, &rows, &BuildOptions::default())?;
    }

    #[test]
    fn out_of_range_ids_are_errors_not_panics(
        (n, mut rows) in rows_strategy(8, 20),
        bad in 0u32..3,
        at_target in any::<bool>(),
    ) {
        rows.push(if at_target { (0, n + bad, 1.0, None, None) } else { (n + bad, 0, 1.0, None, None) });
        let log = to_log(&rows);
        let err = LayerGraph::build(&log, n as usize, &BuildOptions::default()).unwrap_err();
        prop_assert!(matches!(err, portevoix_core::Error::Argument { .. }), "{err}");
        prop_assert!(err.to_string().contains("out of range"), "{err}");
    }

    #[test]
    fn merged_view_is_the_weighted_union(
        (n, rows_a) in rows_strategy(10, 40),
        rows_b in prop::collection::vec((0u32..10, 0u32..10, -4f32..4.0), 0..40),
        fa in -2f32..2.0,
        fb in -2f32..2.0,
    ) {
        let rows_b: Vec<Row> = rows_b.into_iter().map(|(a, b, w)| (a % n, b % n, w, None, None)).collect();
        let mut log = InteractionLog::new();
        for &(a, b, w, t, _) in &rows_a {
            log.push(Interaction { weight: w, time: t.map(Timestamp), ..Interaction::new(NodeId(a), NodeId(b), Layer::Repost) });
        }
        for &(a, b, w, _, _) in &rows_b {
            log.push(Interaction { weight: w, ..Interaction::new(NodeId(a), NodeId(b), Layer::Like) });
        }
        let net = Network::build(&log, identity_interner(n as usize).unwrap(), &BuildOptions::default()).unwrap();
        let spec = [(Layer::Repost, fa), (Layer::Like, fb), (Layer::Follow, 9.0)];
        let m = net.merged(&spec);
        assert_consistent(&m);
        // Reference: per layer edges (Sum policy), then the weighted union in spec order.
        let ra = reference(&rows_a, false);
        let rb = reference(&rows_b, false);
        let mut union: BTreeMap<(u32, u32), (f64, u32)> = BTreeMap::new();
        for (r, f) in [(&ra, fa), (&rb, fb)] {
            for (&e, rs) in r {
                let ws: Vec<f32> = rs.iter().map(|x| x.2).collect();
                let w = naive_merge(DuplicatePolicy::Sum, &ws);
                let slot = union.entry(e).or_insert((0.0, 0));
                slot.0 += f as f64 * w as f64;
                slot.1 += rs.len() as u32;
            }
        }
        let got: Vec<(u32, u32, u32)> = m.edges().map(|(s, t, w)| (s.0, t.0, w.to_bits())).collect();
        let want: Vec<(u32, u32, u32)> = union.iter().map(|(&(s, t), &(w, _))| (s, t, (w as f32).to_bits())).collect();
        prop_assert_eq!(got, want);
        let counts: Vec<u32> = union.values().map(|x| x.1).collect();
        if counts.iter().any(|&c| c > 1) {
            prop_assert_eq!(m.counts(), Some(&counts[..]));
        } else {
            prop_assert_eq!(m.counts(), None);
        }
        prop_assert_eq!(m.stats().input_rows, (ra.len() + rb.len()) as u64);
        prop_assert_eq!(m.stats().duplicates_merged, (ra.len() + rb.len() - union.len()) as u64);
        prop_assert!(m.times().is_none());
        let rt_span = net.layer(Layer::Repost).and_then(|g| g.stats().time_span);
        prop_assert_eq!(m.stats().time_span, rt_span);
    }
}

#[test]
fn times_without_sentinels_and_missing_times_mix() {
    // Row times: edge 0→1 has {30, none, 10}, edge 0→2 has none at all.
    let rows: Vec<Row> = vec![
        (0, 1, 1.0, Some(30), None),
        (0, 2, 1.0, None, None),
        (0, 1, 1.0, None, None),
        (0, 1, 1.0, Some(10), None),
    ];
    let g = LayerGraph::build(&to_log(&rows), 3, &BuildOptions::default()).unwrap();
    assert_eq!(g.edge_times(0), &[10, 30]);
    assert_eq!(g.edge_times(1), &[] as &[i64]);
    assert_eq!(g.times().unwrap().offsets(), &[0, 2, 2]);
    assert_eq!(g.edge_count(0), 3);
    // NO_TIME is the sentinel, never a time.
    assert!(!g.times().unwrap().times().contains(&NO_TIME));
    let no_times = BuildOptions {
        keep_times: false,
        ..BuildOptions::default()
    };
    let g = LayerGraph::build(&to_log(&rows), 3, &no_times).unwrap();
    assert!(g.times().is_none());
    // The span is still reported.
    assert_eq!(g.stats().time_span, Some((Timestamp(10), Timestamp(30))));
}

#[test]
fn large_log_matches_reference_with_many_chunks_and_blocks() {
    // Big enough for several scatter chunks (>= 64 Ki rows, rows/nodes >= threads)
    // and several node blocks, with skewed actors, duplicates, loops, times, values.
    let mut rng = portevoix_graph::generate::Xoshiro256StarStar::seed_from_u64(5);
    let n = 3000u32;
    let rows: Vec<Row> = (0..200_000)
        .map(|_| {
            let a = (rng.below(n as u64) * rng.below(n as u64) / n as u64) as u32; // skewed
            let b = rng.below(n as u64 / 10) as u32;
            let w = [1.0, 0.25, 3.0, -1.5][rng.below(4) as usize];
            let t = (rng.below(3) > 0).then(|| rng.below(1000) as i64);
            let v = (rng.below(4) == 0).then(|| rng.below(21) as f32 - 10.0);
            (a, b, w, t, v)
        })
        .collect();
    // Without times and values, long rows take the radix-sort path.
    let plain: Vec<Row> = rows
        .iter()
        .map(|&(a, b, w, _, _)| (a, b, w, None, None))
        .collect();
    let mut per_actor = vec![0usize; n as usize];
    plain.iter().for_each(|r| per_actor[r.0 as usize] += 1);
    let longest = per_actor.into_iter().max().unwrap();
    assert!(longest > 500, "the test needs long rows, got {longest}");
    for threads in [1, 4] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        // Sum depends on the order of floating-point additions, Last on
        // input order: both catch an unstable path.
        let sum = BuildOptions {
            duplicates: DuplicatePolicy::Sum,
            ..BuildOptions::default()
        };
        let last = BuildOptions {
            duplicates: DuplicatePolicy::Last,
            ..BuildOptions::default()
        };
        pool.install(|| check_against_reference(n, &rows, &sum))
            .unwrap();
        pool.install(|| check_against_reference(n, &plain, &last))
            .unwrap();
    }
}
