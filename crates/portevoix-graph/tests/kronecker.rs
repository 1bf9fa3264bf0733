//! The Graph500 Kronecker generator: size, determinism, skew.

use portevoix_graph::generate::{
    GRAPH500_ABC, kronecker, kronecker_with, permutation, write_edge_list,
};
use portevoix_graph::{BuildOptions, LayerGraph};

#[test]
fn sizes_follow_scale_and_edge_factor() {
    for (scale, ef) in [(0, 3), (1, 1), (5, 16), (12, 4)] {
        let (n, edges) = kronecker(scale, ef, 1);
        assert_eq!(n, 1 << scale);
        assert_eq!(edges.len(), ef as usize * n);
        assert!(
            edges
                .iter()
                .all(|&(a, b)| (a as usize) < n && (b as usize) < n)
        );
    }
    assert_eq!(kronecker(8, 0, 1).1.len(), 0);
}

#[test]
fn fixed_seed_gives_the_same_graph_and_other_seeds_differ() {
    let a = kronecker(12, 16, 7);
    assert_eq!(a, kronecker(12, 16, 7));
    assert_ne!(a.1, kronecker(12, 16, 8).1);
    // Different seeds give different graphs, not relabellings of one order.
    let mut x = a.1.clone();
    let mut y = kronecker(12, 16, 8).1;
    x.sort_unstable();
    y.sort_unstable();
    assert_ne!(x, y);
}

#[test]
fn degrees_are_skewed_and_ids_scrambled() {
    let (n, edges) = kronecker(16, 16, 1);
    let g = LayerGraph::from_edges(n, &edges, &BuildOptions::default()).unwrap();
    let s = g.degree_summary();
    let mean = s.in_degree.mean;
    // Power-law-like: the hub has hundreds of times the mean degree, and at
    // least half the vertices have a degree below the mean.
    assert!(
        s.in_degree.max as f64 > 100.0 * mean,
        "max {} mean {mean}",
        s.in_degree.max
    );
    assert!(s.out_degree.max as f64 > 100.0 * mean);
    assert!((s.in_degree.median as f64) < mean);
    // Graph500 graphs keep duplicates and self-loops; the build removes them.
    let st = g.stats();
    assert!(st.self_loops_dropped > 0 && st.duplicates_merged > 0);
    assert_eq!(st.input_rows, 16 << 16);
    // Without the permutation vertex 0 would be the hub (quadrant a = (0, 0)).
    let top = g.top_by_in_degree(1)[0].0;
    assert_ne!(top.0, 0);
}

#[test]
fn permutation_is_a_bijection() {
    let p = permutation(10_000, 3);
    let mut s = p.clone();
    s.sort_unstable();
    assert_eq!(s, (0..10_000).collect::<Vec<u32>>());
    assert_ne!(p, s);
}

#[test]
fn quadrant_probabilities_are_respected() {
    // With scale 1 there is no hidden structure beyond the permutation of
    // two vertices: P(u == v) = a + d whatever the permutation.
    let (_, edges) = kronecker_with(1, 200_000, GRAPH500_ABC, 5);
    let same = edges.iter().filter(|e| e.0 == e.1).count() as f64 / edges.len() as f64;
    assert!((same - 0.62).abs() < 0.005, "{same}");
    // A degenerate initiator: all mass on quadrant a gives only (p0, p0) edges.
    let (_, edges) = kronecker_with(6, 4, (1.0 - 1e-12, 0.0, 0.0), 5);
    let first = edges[0];
    assert!(edges.iter().all(|&e| e == first && e.0 == e.1));
}

#[test]
fn edge_list_text_round_trips() {
    let (_, edges) = kronecker(10, 4, 2);
    let mut text = Vec::new();
    write_edge_list(&edges, &mut text).unwrap();
    let parsed: Vec<(u32, u32)> = std::str::from_utf8(&text)
        .unwrap()
        .lines()
        .map(|l| {
            let (a, b) = l.split_once(' ').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        })
        .collect();
    assert_eq!(parsed, edges);
}
