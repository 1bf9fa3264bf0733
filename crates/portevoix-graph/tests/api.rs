//! The public API: thread safety, petgraph bridge, errors, selections,
//! edge cases.

mod common;

use common::assert_consistent;
use petgraph::graph::DiGraph;
use portevoix_core::{Error, Interaction, InteractionLog, Interner, Layer, LayerLog, NodeId};
use portevoix_graph::{BuildOptions, DuplicatePolicy, LayerGraph, Network, identity_interner};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn network_and_layers_are_send_and_sync() {
    assert_send_sync::<Network>();
    assert_send_sync::<LayerGraph>();
    // And usable from several threads at once.
    let net = Network::from_edges(
        4,
        Layer::Follow,
        &[(0, 1), (1, 2), (2, 3)],
        &BuildOptions::default(),
    )
    .unwrap();
    std::thread::scope(|s| {
        for v in 0..4u32 {
            let net = &net;
            s.spawn(move || net.layer(Layer::Follow).unwrap().out_degree(NodeId(v)));
        }
    });
}

#[test]
fn petgraph_round_trip_preserves_the_layer() {
    let edges = [(0, 1), (1, 0), (1, 2), (3, 3), (2, 1), (0, 1)];
    let mut log = LayerLog::default();
    for (i, &(a, b)) in edges.iter().enumerate() {
        log.push(NodeId(a), NodeId(b), 0.5 + i as f32, None, None, None);
    }
    let opts = BuildOptions {
        keep_self_loops: true,
        ..BuildOptions::default()
    };
    let g = LayerGraph::build(&log, 5, &opts).unwrap(); // node 4 isolated
    let pg = g.to_petgraph();
    assert_eq!(pg.node_count(), 5);
    assert_eq!(pg.edge_count(), g.num_edges());
    assert_eq!(
        pg.node_weights().copied().collect::<Vec<u32>>(),
        vec![0, 1, 2, 3, 4]
    );
    let back = LayerGraph::from_petgraph(&pg, &opts).unwrap();
    assert_eq!(back.out_csr(), g.out_csr());
    assert_eq!(back.in_csr(), g.in_csr());
    assert_eq!(back.stats().reciprocity, g.stats().reciprocity);
    // The counts of merged rows do not survive (petgraph has one weight).
    assert!(g.counts().is_some() && back.counts().is_none());
    // Compare with petgraph's own view of in-degrees.
    for v in pg.node_indices() {
        let pin = pg
            .neighbors_directed(v, petgraph::Direction::Incoming)
            .count();
        assert_eq!(pin, g.in_degree(NodeId(v.index() as u32)));
    }
}

#[test]
fn from_petgraph_merges_parallel_edges_and_drops_loops() {
    let mut pg: DiGraph<&str, f32> = DiGraph::new();
    let a = pg.add_node("a");
    let b = pg.add_node("b");
    pg.add_edge(a, b, 2.0);
    pg.add_edge(a, b, 5.0);
    pg.add_edge(b, b, 1.0);
    let opts = BuildOptions {
        duplicates: DuplicatePolicy::Max,
        ..BuildOptions::default()
    };
    let net = Network::from_petgraph(&pg, Layer::Rating, &opts).unwrap();
    let g = net.layer(Layer::Rating).unwrap();
    assert_eq!(
        g.edges().collect::<Vec<_>>(),
        vec![(NodeId(0), NodeId(1), 5.0)]
    );
    assert_eq!(g.stats().self_loops_dropped, 1);
    assert_eq!(net.name(NodeId(1)).to_string(), "1");
}

#[test]
fn bad_ids_and_misaligned_columns_are_errors() {
    let mut ids = Interner::new();
    let a = ids.intern("a").unwrap();
    let mut log = InteractionLog::new();
    log.push(Interaction::new(a, a, Layer::Reply));
    log.push(Interaction::new(a, NodeId(7), Layer::Quote));
    let err = Network::build(&log, ids.clone(), &BuildOptions::default()).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::Argument { .. }));
    assert!(
        msg.contains("layer quote") && msg.contains("row 0") && msg.contains("node id 7"),
        "{msg}"
    );
    // Not selecting the bad layer avoids the error.
    let only_reply = BuildOptions {
        layers: Some(vec![Layer::Reply]),
        ..BuildOptions::default()
    };
    let net = Network::build(&log, ids, &only_reply).unwrap();
    // The reply layer only had a self-loop: it is built, with no edge.
    assert_eq!(net.layers().count(), 1);
    assert_eq!(net.num_edges(), 0);

    let mut bad = LayerLog::default();
    bad.push(NodeId(0), NodeId(1), 1.0, None, None, None);
    bad.weight.push(2.0);
    assert!(LayerGraph::build(&bad, 2, &BuildOptions::default()).is_err());
    let mut bad = LayerLog::default();
    bad.push(NodeId(0), NodeId(1), 1.0, None, Some(1.0), None);
    bad.value.as_mut().unwrap().clear();
    assert!(LayerGraph::build(&bad, 2, &BuildOptions::default()).is_err());
    assert!(
        LayerGraph::build(
            &LayerLog::default(),
            u32::MAX as usize + 1,
            &BuildOptions::default()
        )
        .is_err()
    );
    // Empty id space, empty log: fine.
    let g = LayerGraph::build(&LayerLog::default(), 0, &BuildOptions::default()).unwrap();
    assert_eq!(
        (g.num_nodes(), g.num_edges(), g.bytes_per_edge()),
        (0, 0, 0.0)
    );
    assert!(g.top_by_in_degree(3).is_empty());
    assert_eq!(g.degree_summary().in_degree.max, 0);
}

#[test]
fn non_finite_weights_do_not_panic() {
    let mut log = LayerLog::default();
    for w in [f32::NAN, 1.0, f32::INFINITY, f32::NEG_INFINITY, -0.0] {
        log.push(NodeId(0), NodeId(1), w, None, None, None);
        log.push(NodeId(1), NodeId(0), w, None, Some(f32::NAN), None);
    }
    for policy in DuplicatePolicy::ALL {
        let g = LayerGraph::build(
            &log,
            2,
            &BuildOptions {
                duplicates: policy,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(g.num_edges(), 2);
        assert!(g.values().is_none()); // all NaN: no values
        let _ = g.degree_summary();
    }
}

#[test]
fn layers_selection_and_from_layers_checks() {
    let o = BuildOptions::default();
    let g3 = LayerGraph::from_edges(3, &[(0, 1)], &o).unwrap();
    let g4 = LayerGraph::from_edges(4, &[(0, 1)], &o).unwrap();
    assert!(Network::from_layers(identity_interner(3).unwrap(), vec![(Layer::Like, g4)]).is_err());
    assert!(
        Network::from_layers(
            identity_interner(3).unwrap(),
            vec![(Layer::Like, g3.clone()), (Layer::Like, g3.clone())]
        )
        .is_err()
    );
    let net = Network::from_layers(identity_interner(3).unwrap(), vec![(Layer::Like, g3)]).unwrap();
    assert!(net.layer(Layer::Follow).is_none());
    assert_eq!(net.try_name(NodeId(3)), None);
    assert!(net.heap_bytes() > 0);
    // Merging absent layers only gives an empty layer over the same nodes.
    let m = net.merged(&[(Layer::Follow, 1.0)]);
    assert_eq!((m.num_nodes(), m.num_edges()), (3, 0));
    assert_consistent(&m);
    // A layer listed twice counts twice.
    let m = net.merged(&[(Layer::Like, 1.0), (Layer::Like, 2.0)]);
    assert_eq!(m.edge_weight(NodeId(0), NodeId(1)), Some(3.0));
    assert_eq!(m.edge_count(0), 2);
}

#[test]
fn top_k_breaks_ties_by_lower_id() {
    // In-degrees: 3 -> 2, 1 -> 2, 0 -> 1, 2 -> 0, 4 -> 2.
    let edges = [(0, 3), (2, 3), (0, 1), (2, 1), (1, 0), (0, 4), (1, 4)];
    let g = LayerGraph::from_edges(5, &edges, &BuildOptions::default()).unwrap();
    assert_eq!(
        g.top_by_in_degree(4),
        vec![
            (NodeId(1), 2),
            (NodeId(3), 2),
            (NodeId(4), 2),
            (NodeId(0), 1)
        ]
    );
    assert_eq!(g.top_by_out_degree(1), vec![(NodeId(0), 3)]);
    assert_eq!(g.top_by_in_degree(100).len(), 5);
    let edges: Vec<_> = g.edges().map(|(s, t, _)| (s.0, t.0)).collect();
    assert_eq!(
        edges,
        vec![(0, 1), (0, 3), (0, 4), (1, 0), (1, 4), (2, 1), (2, 3)]
    );
    assert_eq!(g.out_edge_range(NodeId(1)), 3..5);
    assert_eq!(g.weighted_out_degree(NodeId(0)), 3.0);
}

#[test]
fn memory_is_16_bytes_per_edge_plus_offsets() {
    let (n, edges) = portevoix_graph::generate::kronecker(12, 16, 1);
    let g = LayerGraph::from_edges(n, &edges, &BuildOptions::default()).unwrap();
    let m = g.num_edges() as f64;
    let expected = 16.0 * m + 16.0 * (n as f64 + 1.0);
    assert_eq!(g.csr_bytes() as f64, expected);
    assert!(g.bytes_per_edge() <= 16.0 + 16.0 * (n as f64 + 1.0) / m + 1e-9);
    assert_eq!(g.heap_bytes(), g.csr_bytes() + g.extra_bytes());
    // Counts of merged Kronecker duplicates are the only extra.
    assert_eq!(g.extra_bytes(), g.num_edges() * 4);
}
