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

use crate::comm::Comm;
use crate::halo::Halo;
use crate::load::DistGraph;
use portevoix_graph::kernels::pagerank::BLOCK;
use portevoix_graph::kernels::{Dangling, PageRankOptions};

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
    let d = options.damping;
    let u = 1.0 / n as f64;
    let inv = inverse_out_weights(graph, options.weighted);
    let tele = |i: usize, j: usize| teleport.map_or(u, |(t, k)| t[i * k + j]);
    let mut x = vec![u; owned * k];
    let mut msg: Vec<f64> = (0..owned * k).map(|i| x[i] * inv[i / k]).collect();
    // Dangling mass per column, in the local engine's block order.
    let mut columns: Vec<Vec<f64>> = (0..k)
        .map(|j| {
            (0..owned)
                .map(|i| if inv[i] == 0.0 { x[i * k + j] } else { 0.0 })
                .collect()
        })
        .collect();
    let refs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    let mut mass = part.sums(comm, BLOCK, &refs);
    let mut x_new = vec![0.0; owned * k];
    let mut active = vec![true; k];
    let mut residual = vec![f64::INFINITY; k];
    let mut iterations = vec![0usize; k];
    let mut res_cols: Vec<Vec<f64>> = vec![vec![0.0; owned]; k];
    let mut acc = vec![0.0f64; k];
    let mut it = 0;
    while it < options.max_iterations && active.iter().any(|a| *a) {
        it += 1;
        let halo_values = halo.exchange(comm, &msg, k);
        if k == 1 {
            // The common case, without the per-column loops.
            let (res, dang) = (&mut res_cols[0], &mut columns[0]);
            let (m0, act) = (mass[0], active[0]);
            for i in 0..owned {
                let (a, b) = (
                    graph.in_offsets[i] as usize,
                    graph.in_offsets[i + 1] as usize,
                );
                let mut acc = 0.0f64;
                if options.weighted {
                    for e in a..b {
                        acc += halo_values[halo.cols[e] as usize] * f64::from(graph.in_w[e]);
                    }
                } else {
                    for e in a..b {
                        acc += halo_values[halo.cols[e] as usize];
                    }
                }
                let iv = inv[i];
                let old = x[i];
                let new = if act {
                    let p = tele(i, 0);
                    let extra = match options.dangling {
                        Dangling::Teleport => m0 * p,
                        Dangling::Uniform => m0 * u,
                        Dangling::SelfLoop => {
                            if iv == 0.0 {
                                old
                            } else {
                                0.0
                            }
                        }
                    };
                    d * (acc + extra) + (1.0 - d) * p
                } else {
                    old
                };
                res[i] = (new - old).abs();
                dang[i] = if iv == 0.0 { new } else { 0.0 };
                x_new[i] = new;
                msg[i] = new * iv;
            }
        } else {
            for i in 0..owned {
                let (a, b) = (
                    graph.in_offsets[i] as usize,
                    graph.in_offsets[i + 1] as usize,
                );
                acc.iter_mut().for_each(|x| *x = 0.0);
                for e in a..b {
                    let s = halo.cols[e] as usize;
                    let row = &halo_values[s * k..s * k + k];
                    if options.weighted {
                        let w = f64::from(graph.in_w[e]);
                        for (x, m) in acc.iter_mut().zip(row) {
                            *x += m * w;
                        }
                    } else {
                        for (x, m) in acc.iter_mut().zip(row) {
                            *x += m;
                        }
                    }
                }
                let iv = inv[i];
                for j in 0..k {
                    let old = x[i * k + j];
                    let new = if active[j] {
                        let p = tele(i, j);
                        let extra = match options.dangling {
                            Dangling::Teleport => mass[j] * p,
                            Dangling::Uniform => mass[j] * u,
                            Dangling::SelfLoop => {
                                if iv == 0.0 {
                                    old
                                } else {
                                    0.0
                                }
                            }
                        };
                        d * (acc[j] + extra) + (1.0 - d) * p
                    } else {
                        old
                    };
                    res_cols[j][i] = (new - old).abs();
                    columns[j][i] = if iv == 0.0 { new } else { 0.0 };
                    x_new[i * k + j] = new;
                    msg[i * k + j] = new * iv;
                }
            }
        }
        let refs: Vec<&[f64]> = res_cols
            .iter()
            .chain(columns.iter())
            .map(Vec::as_slice)
            .collect();
        let sums = part.sums(comm, BLOCK, &refs);
        std::mem::swap(&mut x, &mut x_new);
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
