//! Builds real public datasets and checks the numbers their publishers give.

mod common;

use common::{assert_consistent, gz_lines, load_edge_list, repo_dataset, shared_dataset};
use portevoix_core::{Interaction, InteractionLog, Interner, Layer, Timestamp};
use portevoix_graph::{BuildOptions, LayerGraph, Network};

#[test]
fn higgs_retweet_layer_matches_snap_counts() {
    let path = shared_dataset("higgs-twitter/higgs-retweet_network.edgelist.gz");
    // `A B weight`: A retweeted B, weight = number of retweets.
    let (ids, rows) = load_edge_list(&path);
    let mut log = InteractionLog::new();
    *log.layer_mut(Layer::Repost) = rows;
    let net = Network::build(&log, ids, &BuildOptions::default()).unwrap();
    assert_eq!(net.num_nodes(), 256_491);
    let rt = net.layer(Layer::Repost).unwrap();
    assert_consistent(rt);
    let s = rt.stats();
    assert_eq!(s.input_rows, 328_132);
    assert_eq!(s.edges, 328_132);
    assert_eq!(s.self_loops_dropped, 0);
    assert_eq!(s.duplicates_merged, 0);
    assert_eq!(s.weight_sum, 354_930.0);
    assert_eq!(s.active_nodes, 256_491);
    // 1,516 edges have their reverse (computed independently on the file).
    assert_eq!((s.reciprocity * 328_132.0).round() as u64, 1_516);
    // Account 88 is the most retweeted: 14,060 distinct retweeters, 18,977 retweets.
    let top = rt.top_by_in_degree(3);
    assert_eq!(net.name(top[0].0).to_string(), "88");
    assert_eq!(top[0].1, 14_060);
    assert_eq!(rt.weighted_in_degree(top[0].0), 18_977.0);
    assert_eq!(net.name(top[1].0).to_string(), "14454");
    assert_eq!(rt.degree_summary().in_degree.max, 14_060);
    assert!(rt.bytes_per_edge() <= 16.0 + 16.0 * 256_492.0 / 328_132.0 + 1e-9);
}

#[test]
fn slashdot_zoo_drops_self_loops_by_default() {
    let path = shared_dataset("slashdot-zoo/soc-Slashdot0902.txt.gz");
    // CRLF, tab-separated, four `#` lines.
    let (ids, rows) = load_edge_list(&path);
    assert_eq!(ids.len(), 82_168);
    let g = LayerGraph::build(&rows, ids.len(), &BuildOptions::default()).unwrap();
    assert_consistent(&g);
    let s = g.stats();
    assert_eq!(s.input_rows, 948_464);
    assert_eq!(s.self_loops_dropped, 78_303);
    assert_eq!(s.edges, 948_464 - 78_303);
    assert_eq!(s.duplicates_merged, 0);
    assert_eq!(s.self_loops, 0);
    assert_eq!(s.weight_sum, 870_161.0);
    // 731,862 of the 870,161 edges are reciprocated (computed independently).
    assert_eq!(s.reciprocity, 731_862.0 / 870_161.0);
    let top = g.top_by_in_degree(2);
    assert_eq!(ids.name(top[0].0).to_string(), "2494");
    assert_eq!(top[0].1, 2_552);
    assert_eq!(ids.name(top[1].0).to_string(), "398");
    assert!(g.counts().is_none() && g.times().is_none() && g.values().is_none());
    assert_eq!(g.extra_bytes(), 0);
    // 16 bytes per edge plus 16 bytes per node of offsets.
    let budget = 16.0 + 16.0 * (82_168.0 + 1.0) / 870_161.0;
    assert!(
        (g.bytes_per_edge() - budget).abs() < 1e-9,
        "{}",
        g.bytes_per_edge()
    );

    let keep = BuildOptions {
        keep_self_loops: true,
        ..BuildOptions::default()
    };
    let with_loops = LayerGraph::build(&rows, ids.len(), &keep).unwrap();
    assert_eq!(with_loops.stats().edges, 948_464);
    assert_eq!(with_loops.stats().self_loops, 78_303);
    assert_eq!(with_loops.stats().self_loops_dropped, 0);
    assert_eq!(with_loops.stats().reciprocity, s.reciprocity);
}

#[test]
fn higgs_activity_sample_keeps_counts_and_times() {
    // Bundled with the repository: the first 60,000 lines of the Higgs
    // activity log, `A B unix_seconds RT|MT|RE`.
    let mut ids = Interner::new();
    let mut log = InteractionLog::new();
    for line in gz_lines(&repo_dataset(
        "higgs-sample/higgs-activity_time.first60000.txt.gz",
    )) {
        let f: Vec<&str> = line.split(' ').collect();
        let a = ids.intern(f[0]).unwrap();
        let b = ids.intern(f[1]).unwrap();
        let layer = f[3].parse::<Layer>().unwrap();
        let time = Timestamp::from_secs(f[2].parse().unwrap());
        log.push(Interaction {
            time: Some(time),
            ..Interaction::new(a, b, layer)
        });
    }
    let net = Network::build(&log, ids, &BuildOptions::default()).unwrap();
    assert_eq!(net.num_nodes(), 38_753);
    assert_eq!(
        net.layers().map(|(l, _)| l).collect::<Vec<_>>(),
        vec![Layer::Repost, Layer::Reply, Layer::Mention]
    );

    let rt = net.layer(Layer::Repost).unwrap();
    assert_consistent(rt);
    let s = rt.stats();
    assert_eq!(
        (
            s.input_rows,
            s.self_loops_dropped,
            s.edges,
            s.duplicates_merged
        ),
        (34_198, 0, 32_538, 1_660)
    );
    assert_eq!(s.weight_sum, 34_198.0);
    assert_eq!(
        s.time_span,
        Some((
            Timestamp::from_secs(1_341_101_181),
            Timestamp::from_secs(1_341_375_152)
        ))
    );
    let counts = rt.counts().unwrap();
    assert_eq!(counts.iter().filter(|&&c| c > 1).count(), 1_272);
    assert_eq!(rt.times().unwrap().times().len(), 34_198);
    // 127479 retweeted 11991 twelve times in 13 minutes.
    let (a, b) = (
        net.interner().get("127479").unwrap(),
        net.interner().get("11991").unwrap(),
    );
    let e = rt.find_edge(a, b).unwrap();
    assert_eq!(rt.edge_count(e), 12);
    assert_eq!(rt.out_csr().weights()[e], 12.0);
    let secs: Vec<i64> = rt.edge_times(e).iter().map(|t| t / 1000).collect();
    assert_eq!(
        secs,
        vec![
            1341271684, 1341272050, 1341272055, 1341272066, 1341272137, 1341272154, 1341272167,
            1341272375, 1341272406, 1341272422, 1341272452, 1341272482
        ]
    );

    let mt = net.layer(Layer::Mention).unwrap();
    let s = mt.stats();
    assert_eq!(
        (
            s.input_rows,
            s.self_loops_dropped,
            s.edges,
            s.duplicates_merged
        ),
        (21_617, 830, 18_927, 1_860)
    );
    assert_eq!(s.time_span.unwrap().0, Timestamp::from_secs(1_341_100_972));
    let re = net.layer(Layer::Reply).unwrap();
    assert_eq!(
        (re.stats().self_loops_dropped, re.stats().edges),
        (74, 3_652)
    );

    // The merged "conversation" view of replies and mentions.
    let conv = net.merged(&[(Layer::Reply, 1.0), (Layer::Mention, 1.0)]);
    assert_consistent(&conv);
    assert_eq!(conv.stats().weight_sum, (4_185 - 74 + 21_617 - 830) as f64);
    assert!(conv.num_edges() < 3_652 + 18_927 && conv.num_edges() >= 18_927);
}

#[test]
fn bitcoin_otc_rating_layer_keeps_values_and_times() {
    // Bundled: SOURCE,TARGET,RATING,TIME (rating -10..10, Unix seconds).
    let mut ids = Interner::new();
    let mut log = InteractionLog::new();
    for line in gz_lines(&repo_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv.gz")) {
        let f: Vec<&str> = line.split(',').collect();
        let (a, b) = (ids.intern(f[0]).unwrap(), ids.intern(f[1]).unwrap());
        log.push(Interaction {
            value: Some(f[2].parse().unwrap()),
            time: Timestamp::parse(f[3]),
            ..Interaction::new(a, b, Layer::Rating)
        });
    }
    let net = Network::build(&log, ids, &BuildOptions::default()).unwrap();
    assert_eq!(net.num_nodes(), 5_881);
    let r = net.layer(Layer::Rating).unwrap();
    assert_consistent(r);
    assert_eq!(r.num_edges(), 35_592);
    let values = r.values().unwrap();
    assert_eq!(values.iter().map(|&v| v as f64).sum::<f64>(), 36_020.0);
    assert!(values.iter().all(|v| (-10.0..=10.0).contains(v)));
    assert_eq!(r.times().unwrap().times().len(), 35_592);
    assert!((r.stats().reciprocity - 28_200.0 / 35_592.0).abs() < 1e-12);
    // The first row: 6 rated 2 with +4.
    let (a, b) = (
        net.interner().get("6").unwrap(),
        net.interner().get("2").unwrap(),
    );
    let e = r.find_edge(a, b).unwrap();
    assert_eq!(r.edge_value(e), Some(4.0));
    assert_eq!(r.edge_times(e), &[1_289_241_912_000]);
    assert!(r.extra_bytes() > 0);
}
