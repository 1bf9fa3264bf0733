//! Shared by the distributed engine's tests: the local engine's view of the
//! same inputs, and jobs run in 1 × 1, 1 × 2 and 2 × 1 (two processes in
//! this test process, connected over loopback on ephemeral ports).
#![allow(dead_code)]

use portevoix_core::Layer;
use portevoix_dist::{DistError, InputFile, Job, Layout, Network, Output};
use portevoix_graph::{LayerGraph, Network as Graph};
use portevoix_ingest::{FormatKind, ReadOptions};
use std::borrow::Cow;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A shared dataset.
pub fn data(relative: &str) -> PathBuf {
    portevoix_testdata::shared_dataset(relative)
}

/// The local engine: loads the inputs, builds the network and the view the
/// distributed engine builds (endorsement layers present, or all).
pub struct LocalView {
    pub network: Graph,
    pub layers: Vec<(Layer, f32)>,
    pub view: LayerGraph,
}

pub fn local_view(
    inputs: &[InputFile],
    read: &ReadOptions,
    layers: Option<Vec<(Layer, f32)>>,
) -> LocalView {
    let files: Vec<(&Path, Option<FormatKind>)> = inputs
        .iter()
        .map(|i| (i.path.as_path(), i.format))
        .collect();
    let mut dataset = portevoix_ingest::load(&files, read).expect("local load");
    let interner = std::mem::take(&mut dataset.interner);
    let network =
        Graph::build(&dataset.interactions, interner, &Default::default()).expect("build");
    let layers = layers.unwrap_or_else(|| {
        let present: Vec<Layer> = network.layers().map(|(l, _)| l).collect();
        let e: Vec<Layer> = present
            .iter()
            .copied()
            .filter(|l| l.is_endorsement())
            .collect();
        let pick = if e.is_empty() { present } else { e };
        pick.into_iter().map(|l| (l, 1.0)).collect()
    });
    let view: Cow<'_, LayerGraph> = match layers.as_slice() {
        [(layer, w)] if *w == 1.0 => Cow::Borrowed(network.layer(*layer).expect("layer")),
        _ => Cow::Owned(network.merged(&layers)),
    };
    let view = view.into_owned();
    LocalView {
        network,
        layers,
        view,
    }
}

/// The layouts of the test matrix: (processes, workers per process).
pub const MATRIX: [(usize, usize); 3] = [(1, 1), (1, 2), (2, 1)];

/// Runs `job` with `processes` processes of `workers` workers; processes
/// beyond the first run on threads of this test, each with its own timely
/// runtime and sockets, exactly as separate processes would.
pub fn run_layout(job: &Job, processes: usize, workers: usize) -> Result<Output, DistError> {
    if processes == 1 {
        let out = portevoix_dist::run(&Layout::single(workers), Network::default(), job)?;
        return Ok(out.expect("process 0 returns the output"));
    }
    let listeners: Vec<TcpListener> = (0..processes)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("ephemeral port"))
        .collect();
    let addresses: Vec<String> = listeners
        .iter()
        .map(|l| l.local_addr().expect("address").to_string())
        .collect();
    let handles: Vec<_> = listeners
        .into_iter()
        .enumerate()
        .map(|(p, listener)| {
            let layout = Layout {
                processes,
                workers,
                process: p,
                addresses: addresses.clone(),
            };
            let job = job.clone();
            std::thread::spawn(move || {
                let network = Network {
                    listener: Some(listener),
                    tag: 7,
                    connect_timeout: Duration::from_secs(30),
                    ..Network::default()
                };
                portevoix_dist::run(&layout, network, &job)
            })
        })
        .collect();
    let mut output = None;
    let mut error = None;
    for (p, h) in handles.into_iter().enumerate() {
        match h.join().expect("process thread") {
            Ok(Some(o)) => {
                assert_eq!(p, 0, "only process 0 returns the output");
                output = Some(o);
            }
            Ok(None) => assert_ne!(p, 0, "process 0 returns the output"),
            Err(e) => error = Some(e),
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(output.expect("output")),
    }
}

/// `Σ |a − b|`.
pub fn l1(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
}

/// Checks that the output names every account as the local engine does.
pub fn assert_same_names(out: &Output, local: &LocalView) {
    let names = local.network.interner();
    assert_eq!(out.names.len(), names.len(), "number of accounts");
    for (id, name) in names.iter() {
        assert_eq!(
            out.names.name(id).to_string(),
            name.to_string(),
            "name of {id:?}"
        );
    }
}
