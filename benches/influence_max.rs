//! Influence-maximisation benchmarks: IMM (k = 50, ε = 0.1 and 0.3) and the
//! coverage greedy on the Higgs retweet graph (when the shared datasets are
//! present) and a Graph500 Kronecker graph of scale 16; the spread estimator
//! (1,000 worlds) of IMM's seeds.
//!
//! ```text
//! cargo bench --bench influence_max
//! ```
//!
//! The graph and its diffusion model (independent cascade, weighted
//! cascade) are built once, outside the timed loop. The scale-20 number of
//! the issue is `examples/influence_max.rs speed` (one run takes tens of
//! seconds, too long for criterion's repetitions).

use criterion::{Criterion, criterion_group, criterion_main};
use portevoix::core::Layer;
use portevoix::graph::generate::kronecker;
use portevoix::graph::kernels::influence_max::{
    Audience, CandidateGate, Constraint, Costs, ImmOptions, InfluenceGraph, InfluenceModelOptions,
    MonteCarloOptions, coverage_greedy, estimate_spread, imm,
};
use portevoix::graph::{BuildOptions, LayerGraph, Network};
use portevoix::ingest::edgelist::EdgeListOptions;
use portevoix::ingest::{FormatKind, ReadOptions, load};
use std::hint::black_box;
use std::time::Duration;

fn higgs_retweet() -> Option<LayerGraph> {
    let dir = portevoix_testdata::datasets_dir()?;
    let path = dir.join("higgs-twitter/higgs-retweet_network.edgelist.gz");
    let options = ReadOptions {
        edgelist: EdgeListOptions {
            layer: Layer::Repost,
            ..Default::default()
        },
        ..Default::default()
    };
    let ds = load(&[(path.as_path(), Some(FormatKind::EdgeList))], &options).ok()?;
    let net = Network::build(&ds.interactions, ds.interner, &BuildOptions::default()).ok()?;
    net.layer(Layer::Repost).cloned()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("influence_max");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    let mut graphs: Vec<(String, LayerGraph)> = Vec::new();
    if let Some(g) = higgs_retweet() {
        graphs.push(("higgs_retweet".into(), g));
    }
    let (n, edges) = kronecker(16, 16, 1);
    graphs.push((
        "kron16".into(),
        LayerGraph::from_edges(n, &edges, &BuildOptions::default()).expect("valid"),
    ));
    for (name, g) in &graphs {
        let model = InfluenceGraph::build(g, &InfluenceModelOptions::default()).expect("model");
        let n = model.num_nodes();
        let (aud, gate) = (Audience::everyone(n), CandidateGate::allow_all(n));
        for eps in [0.1, 0.3] {
            group.bench_function(format!("imm_k50_eps{eps}/{name}"), |b| {
                b.iter(|| {
                    let opts = ImmOptions {
                        epsilon: eps,
                        ..Default::default()
                    };
                    black_box(
                        imm(
                            &model,
                            &aud,
                            &gate,
                            &Costs::Unit,
                            Constraint::Cardinality(50),
                            &opts,
                        )
                        .expect("imm"),
                    )
                })
            });
        }
        group.bench_function(format!("coverage_2hop_k50/{name}"), |b| {
            b.iter(|| {
                black_box(
                    coverage_greedy(
                        &model,
                        &aud,
                        &gate,
                        &Costs::Unit,
                        Constraint::Cardinality(50),
                        2,
                    )
                    .expect("coverage"),
                )
            })
        });
        let seeds = imm(
            &model,
            &aud,
            &gate,
            &Costs::Unit,
            Constraint::Cardinality(50),
            &ImmOptions::default(),
        )
        .expect("imm")
        .selection
        .nodes();
        group.bench_function(format!("spread_1000_worlds/{name}"), |b| {
            b.iter(|| {
                let mc = MonteCarloOptions {
                    runs: 1000,
                    seed: 1,
                };
                black_box(estimate_spread(&model, &aud, &seeds, &mc).expect("spread"))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
