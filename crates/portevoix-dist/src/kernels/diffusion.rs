//! The diffusion Monte Carlo: independent runs spread over processes.
//!
//! A run of the independent cascade or of SIR draws from its own stream
//! (`seed`, run index) and makes its trials in infection order over sorted
//! contacts: a run is a sequential walk through the whole graph that cannot
//! be cut across machines without changing its random draws. The runs are
//! independent, though, so the engine gives every process the whole view
//! (one copy per process, rebuilt from the owners' rows: the same CSR as the
//! local engine's) and process `p` of `P` computes runs
//! `[p·R/P, (p+1)·R/P)` with the local engine's own kernel (its rayon threads
//! spread them further). Sizes are gathered in run order, so the
//! distribution is identical to the local one. This kernel therefore needs
//! the view to fit in each process's memory; the other kernels do not.

use crate::comm::{Comm, Packet};
use crate::load::DistGraph;
use portevoix_core::{Error, LayerLog, NodeId};
use portevoix_graph::kernels::{
    CascadeOptions, SirOptions, SpreadDistribution, independent_cascade_runs, sir_runs,
};
use portevoix_graph::{BuildOptions, LayerGraph};

/// Which model to simulate.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    /// SIR with its options.
    Sir(SirOptions),
    /// Independent cascade with its options.
    Cascade(CascadeOptions),
}

impl Model {
    fn runs(&self) -> usize {
        match self {
            Model::Sir(o) => o.runs,
            Model::Cascade(o) => o.runs,
        }
    }
}

/// Gathers the whole view on the first worker of every process.
fn replicate(
    comm: &mut Comm<'_>,
    graph: &DistGraph,
    workers_per_process: usize,
) -> Option<LayerGraph> {
    let part = graph.part.clone();
    let mut rows = Vec::with_capacity(graph.in_src.len() * 3);
    for i in 0..part.owned() {
        let v = part.global(i);
        let (src, w) = graph.in_row(i);
        for (&u, &x) in src.iter().zip(w) {
            rows.extend_from_slice(&[u, v, x.to_bits()]);
        }
    }
    let peers = comm.peers();
    let out: Vec<Packet> = (0..peers)
        .map(|d| {
            if d % workers_per_process == 0 {
                Packet::of_u32s(rows.clone())
            } else {
                Packet::default()
            }
        })
        .collect();
    let got = comm.exchange(out);
    if comm.index() % workers_per_process != 0 {
        return None;
    }
    let mut log = LayerLog::default();
    for p in got {
        for r in p.u32s.chunks_exact(3) {
            log.push(
                NodeId(r[0]),
                NodeId(r[1]),
                f32::from_bits(r[2]),
                None,
                None,
                None,
            );
        }
    }
    // Rows are already merged (one per edge), so the build only sorts them.
    let options = BuildOptions {
        keep_self_loops: true,
        ..BuildOptions::default()
    };
    LayerGraph::build(&log, part.n, &options).ok()
}

/// Runs the Monte Carlo; worker 0 returns the distribution.
///
/// # Errors
/// The local kernel's errors (bad seeds or probabilities), on every worker.
pub fn simulate(
    comm: &mut Comm<'_>,
    graph: &DistGraph,
    workers_per_process: usize,
    seeds: &[NodeId],
    model: &Model,
) -> Result<Option<SpreadDistribution>, String> {
    let local = replicate(comm, graph, workers_per_process);
    let processes = comm.peers() / workers_per_process;
    let p = comm.process();
    let runs = model.runs();
    let range = p * runs / processes..(p + 1) * runs / processes;
    let sizes: Result<Vec<u32>, (u64, String)> = match &local {
        None => Ok(Vec::new()),
        Some(g) => match model {
            Model::Sir(o) => sir_runs(g, seeds, o, range),
            Model::Cascade(o) => independent_cascade_runs(g, seeds, o, range),
        }
        .map_err(|e: Error| (0, e.to_string())),
    };
    let sizes = comm.agree(sizes)?;
    let mut out = vec![Packet::default(); comm.peers()];
    out[0] = Packet::of_u32s(sizes);
    let got = comm.exchange(out);
    if comm.index() != 0 {
        return Ok(None);
    }
    // Packets by sender: process order, hence run order.
    let all: Vec<u32> = got.into_iter().flat_map(|p| p.u32s).collect();
    if all.is_empty() {
        return Err("diffusion needs at least one run".into());
    }
    Ok(Some(SpreadDistribution::from_sizes(all)))
}
