//! PageRank, personalised PageRank and batched PageRank: the vertex program
//! of `portevoix_graph::kernels::pagerank`, one superstep per iteration.
//!
//! State per owned account: `x`, `1/W_out` (0 when dangling), the teleport
//! value. Superstep: the halo carries `x(u)/W_out(u)` of the in-neighbours;
//! each owned `v` sums its in-row in source order (the local engine's order),
//! applies the update, and contributes its `|x' − x|` and, if dangling, `x'`
//! to the per-2,048-account sums that every worker gathers and adds in
//! account order: the residual and the next dangling mass. Stop rule,
//! dangling policies and batch freezing are the local engine's.
//!
//! The sweep reads owned sources straight from the message vector (the
//! halo buffer's head, see [`Halo`]) and only remote ones from what the
//! superstep received; the piece sums are taken during the sweep; nothing
//! is allocated per superstep but the packets to other workers.

use crate::comm::Comm;
use crate::halo::Halo;
use crate::load::DistGraph;
use portevoix_graph::kernels::pagerank::BLOCK;
use portevoix_graph::kernels::{Dangling, PageRankOptions};
use std::ops::Range;

/// The outcome of a PageRank on this worker: owned scores, in local order.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// `k` columns per owned account (`k = 1` unless batched).
    pub scores: Vec<f64>,
    /// Iterations per column.
    pub iterations: Vec<usize>,
    /// Last residual per column.
    pub residual: Vec<f64>,
    /// Whether each column converged.
    pub converged: Vec<bool>,
}

/// `1/W_out(v)` per owned account, 0 when dangling (the local engine's
/// `inverse_out_weights`: weights summed in `f64` in target order).
pub fn inverse_out_weights(graph: &DistGraph, weighted: bool) -> Vec<f64> {
    (0..graph.owned())
        .map(|i| {
            let w = if weighted {
                graph.out_weight[i]
            } else {
                f64::from(graph.out_degree[i])
            };
            if w > 0.0 { 1.0 / w } else { 0.0 }
        })
        .collect()
}

/// Whether every edge weight of the view is exactly 1 on every worker (the
/// local engine's `Prep::unit`): then `m · w == m`, and the sweeps need not
/// read the weights (same bits).
pub fn unit_weights(comm: &mut Comm<'_>, graph: &DistGraph) -> bool {
    !comm.any(graph.in_w.iter().any(|&w| w != 1.0))
}

/// Runs `k` PageRanks at once; `teleport` holds `k` values per owned account
/// (`None`: uniform `1/n`, one column).
pub fn run(
    comm: &mut Comm<'_>,
    graph: &DistGraph,
    halo: &Halo,
    options: &PageRankOptions,
    teleport: Option<(&[f64], usize)>,
) -> Ranked {
    let part = graph.part.clone();
    let n = part.n;
    let owned = part.owned();
    let k = teleport.map_or(1, |t| t.1);
    if n == 0 {
        return Ranked {
            scores: Vec::new(),
            iterations: vec![0; k],
            residual: vec![0.0; k],
            converged: vec![true; k],
        };
    }
    let u = 1.0 / n as f64;
    let inv = inverse_out_weights(graph, options.weighted);
    let weighted = options.weighted && !unit_weights(comm, graph);
    let mut x = vec![u; owned * k];
    // Messages `x(u)/W_out(u)`: the owned ones at the head of the halo
    // buffer, the remote ones filled by each superstep; the sweep writes the
    // next messages into the other buffer.
    let width = halo.width() * k;
    let mut msg = vec![0.0f64; width];
    for (i, m) in msg[..owned * k].iter_mut().enumerate() {
        *m = x[i] * inv[i / k];
    }
    let mut msg_next = vec![0.0f64; width];
    // Dangling mass per column, in the local engine's block order.
    let columns: Vec<Vec<f64>> = (0..k)
        .map(|j| {
            (0..owned)
                .map(|i| if inv[i] == 0.0 { x[i * k + j] } else { 0.0 })
                .collect()
        })
        .collect();
    let refs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    let mut mass = part.sums(comm, BLOCK, &refs);
    drop(columns);
    let sweep = Sweep {
        graph,
        cols: &halo.cols,
        inv: &inv,
        teleport,
        options,
        weighted,
        u,
        k,
    };
    let pieces = part.pieces(BLOCK);
    let mut piece_sums = vec![0.0f64; pieces.len() * 2 * k];
    let mut x_new = vec![0.0; owned * k];
    let mut active = vec![true; k];
    let mut residual = vec![f64::INFINITY; k];
    let mut iterations = vec![0usize; k];
    let mut it = 0;
    while it < options.max_iterations && active.iter().any(|a| *a) {
        it += 1;
        halo.fill(comm, &mut msg, k);
        for (p, r) in pieces.iter().enumerate() {
            let sums = &mut piece_sums[p * 2 * k..(p + 1) * 2 * k];
            if k == 1 {
                let (res, dm) = sweep.single(
                    r.clone(),
                    &msg,
                    &x,
                    &mut x_new,
                    &mut msg_next,
                    mass[0],
                    active[0],
                );
                sums[0] = res;
                sums[1] = dm;
            } else {
                sweep.batch(
                    r.clone(),
                    &msg,
                    &x,
                    &mut x_new,
                    &mut msg_next,
                    &mass,
                    &active,
                    sums,
                );
            }
        }
        let sums = part.add_pieces(comm, BLOCK, 2 * k, piece_sums.clone());
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut msg, &mut msg_next);
        for j in 0..k {
            if active[j] {
                iterations[j] = it;
                residual[j] = sums[j];
                mass[j] = if options.dangling == Dangling::SelfLoop {
                    0.0
                } else {
                    sums[k + j]
                };
                if sums[j] < options.tolerance {
                    active[j] = false;
                }
            }
        }
    }
    Ranked {
        scores: x,
        iterations,
        residual,
        converged: active.iter().map(|a| !a).collect(),
    }
}

/// One superstep's arithmetic over a piece of owned accounts (the local
/// engine's `power::run_single` and `run_batch`, row for row).
struct Sweep<'a> {
    graph: &'a DistGraph,
    /// Halo columns of the in-rows' entries.
    cols: &'a [u32],
    inv: &'a [f64],
    teleport: Option<(&'a [f64], usize)>,
    options: &'a PageRankOptions,
    /// Whether the weights are read (not all 1).
    weighted: bool,
    /// `1/n`.
    u: f64,
    k: usize,
}

impl Sweep<'_> {
    #[inline]
    fn tele(&self, i: usize, j: usize) -> f64 {
        self.teleport.map_or(self.u, |(t, k)| t[i * k + j])
    }

    /// The update of one column of account `i` from its summed messages.
    #[inline]
    fn update(&self, i: usize, j: usize, acc: f64, old: f64, mass: f64) -> f64 {
        let d = self.options.damping;
        let p = self.tele(i, j);
        let extra = match self.options.dangling {
            Dangling::Teleport => mass * p,
            Dangling::Uniform => mass * self.u,
            Dangling::SelfLoop => {
                if self.inv[i] == 0.0 {
                    old
                } else {
                    0.0
                }
            }
        };
        d * (acc + extra) + (1.0 - d) * p
    }

    /// One column over `range`: writes `x_new` and the next messages,
    /// returns the piece's residual and dangling sums (left to right).
    #[allow(clippy::too_many_arguments)]
    fn single(
        &self,
        range: Range<usize>,
        msg: &[f64],
        x: &[f64],
        x_new: &mut [f64],
        msg_next: &mut [f64],
        mass: f64,
        active: bool,
    ) -> (f64, f64) {
        let g = self.graph;
        let (mut res, mut dm) = (0.0f64, 0.0f64);
        for i in range {
            let (a, b) = (g.in_offsets[i] as usize, g.in_offsets[i + 1] as usize);
            let mut acc = 0.0f64;
            if self.weighted {
                for (&c, &w) in self.cols[a..b].iter().zip(&g.in_w[a..b]) {
                    acc += msg[c as usize] * f64::from(w);
                }
            } else {
                for &c in &self.cols[a..b] {
                    acc += msg[c as usize];
                }
            }
            let old = x[i];
            let new = if active {
                self.update(i, 0, acc, old, mass)
            } else {
                old
            };
            res += (new - old).abs();
            let iv = self.inv[i];
            dm += if iv == 0.0 { new } else { 0.0 };
            x_new[i] = new;
            msg_next[i] = new * iv;
        }
        (res, dm)
    }

    /// `k` columns over `range`; `sums` gets the piece's residuals then
    /// dangling sums per column.
    #[allow(clippy::too_many_arguments)]
    fn batch(
        &self,
        range: Range<usize>,
        msg: &[f64],
        x: &[f64],
        x_new: &mut [f64],
        msg_next: &mut [f64],
        mass: &[f64],
        active: &[bool],
        sums: &mut [f64],
    ) {
        let g = self.graph;
        let k = self.k;
        sums.iter_mut().for_each(|s| *s = 0.0);
        let mut acc = vec![0.0f64; k];
        for i in range {
            let (a, b) = (g.in_offsets[i] as usize, g.in_offsets[i + 1] as usize);
            acc.iter_mut().for_each(|x| *x = 0.0);
            for e in a..b {
                let s = self.cols[e] as usize;
                let row = &msg[s * k..s * k + k];
                if self.weighted {
                    let w = f64::from(g.in_w[e]);
                    for (x, m) in acc.iter_mut().zip(row) {
                        *x += m * w;
                    }
                } else {
                    for (x, m) in acc.iter_mut().zip(row) {
                        *x += m;
                    }
                }
            }
            let iv = self.inv[i];
            for j in 0..k {
                let old = x[i * k + j];
                let new = if active[j] {
                    self.update(i, j, acc[j], old, mass[j])
                } else {
                    old
                };
                sums[j] += (new - old).abs();
                sums[k + j] += if iv == 0.0 { new } else { 0.0 };
                x_new[i * k + j] = new;
                msg_next[i * k + j] = new * iv;
            }
        }
    }
}
