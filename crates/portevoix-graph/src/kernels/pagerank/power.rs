//! The power iteration: the reference vertex program of PageRank.
//!
//! One sweep pulls, for every node `v`, the messages `x(u)/W_out(u)` of its
//! in-neighbours in in-CSR order, adds the teleport and dangling terms and
//! writes `x'(v)` and its own next message; the residual and the dangling
//! mass are summed per fixed block of [`BLOCK`] nodes, then block sums in
//! block order, so every bit is the same for any number of threads.
//!
//! [`run_single`] and [`run_batch`] perform the same arithmetic per column:
//! a batch column is bit-identical to a single run on the same vector.

use super::{BLOCK, Dangling, PageRankOptions, Teleport};
use crate::LayerGraph;
use rayon::prelude::*;

/// What every solver needs about the out-weights, computed once per call.
pub(super) struct Prep {
    /// `1/W_out(u)`, or 0 for a dangling node (no out-weight), with
    /// `W_out(u)` summed in `f64` in CSR order.
    pub inv: Vec<f64>,
    /// Whether edge weights can be skipped: unweighted mode, or every
    /// weight is exactly 1 (then `m · w == m`, so both paths give the same
    /// bits and the sweeps need not stream the weights).
    pub unit: bool,
}

impl Prep {
    pub(super) fn new(graph: &LayerGraph, weighted: bool) -> Prep {
        let out = graph.out_csr();
        let offsets = out.offsets();
        let weights = out.weights();
        let rows: Vec<(f64, bool)> = (0..graph.num_nodes())
            .into_par_iter()
            .with_min_len(BLOCK)
            .map(|u| {
                let (a, b) = (offsets[u] as usize, offsets[u + 1] as usize);
                let (w, ones) = if weighted {
                    let row = &weights[a..b];
                    (
                        row.iter().map(|&w| f64::from(w)).sum(),
                        row.iter().all(|&w| w == 1.0),
                    )
                } else {
                    ((b - a) as f64, true)
                };
                (if w > 0.0 { 1.0 / w } else { 0.0 }, ones)
            })
            .collect();
        let unit = rows.par_iter().all(|r| r.1);
        Prep {
            inv: rows.into_iter().map(|r| r.0).collect(),
            unit,
        }
    }
}

/// One column's outcome of a power phase.
#[derive(Debug, Clone)]
pub(super) struct PowerOutcome {
    pub scores: Vec<f64>,
    pub iterations: usize,
    pub residual: f64,
    pub converged: bool,
    /// The residual before the last one (`INFINITY` if fewer than two sweeps).
    pub previous: f64,
}

/// Sums in block order: the fixed reduction order.
fn ordered_sum(parts: &[f64]) -> f64 {
    parts.iter().sum()
}

/// Power iteration of one column from `start` (summing to 1), at most
/// `cap` sweeps.
pub(super) fn run_single(
    graph: &LayerGraph,
    options: &PageRankOptions,
    prep: &Prep,
    teleport: &Teleport,
    start: Vec<f64>,
    cap: usize,
) -> PowerOutcome {
    let n = graph.num_nodes();
    let d = options.damping;
    let u = 1.0 / n as f64;
    let inv = &prep.inv;
    let inc = graph.in_csr();
    let (offsets, sources, weights) = (inc.offsets(), inc.neighbors(), inc.weights());
    let weighted = options.weighted && !prep.unit;
    let dangling = options.dangling;

    let mut x = start;
    // Messages x(u)/W_out(u), and the dangling mass of `x`.
    let mut msg: Vec<f64> = x.par_iter().zip(inv).map(|(a, b)| a * b).collect();
    let mut mass = ordered_sum(
        &x.par_chunks(BLOCK)
            .zip(inv.par_chunks(BLOCK))
            .map(|(xs, is)| {
                xs.iter()
                    .zip(is)
                    .filter(|(_, i)| **i == 0.0)
                    .map(|(x, _)| *x)
                    .sum::<f64>()
            })
            .collect::<Vec<_>>(),
    );
    let mut x_new = vec![0.0; n];
    let mut msg_new = vec![0.0; n];
    let (mut residual, mut previous) = (f64::INFINITY, f64::INFINITY);
    let mut iterations = 0;
    let mut converged = false;
    while iterations < cap {
        iterations += 1;
        let parts: Vec<(f64, f64)> = x_new
            .par_chunks_mut(BLOCK)
            .zip(msg_new.par_chunks_mut(BLOCK))
            .enumerate()
            .map(|(b, (xn, mn))| {
                let base = b * BLOCK;
                let (mut res, mut dm) = (0.0, 0.0);
                for (i, (xv, mv)) in xn.iter_mut().zip(mn.iter_mut()).enumerate() {
                    let v = base + i;
                    let (lo, hi) = (offsets[v] as usize, offsets[v + 1] as usize);
                    let mut acc = 0.0;
                    if weighted {
                        for (&s, &w) in sources[lo..hi].iter().zip(&weights[lo..hi]) {
                            acc += msg[s as usize] * f64::from(w);
                        }
                    } else {
                        for &s in &sources[lo..hi] {
                            acc += msg[s as usize];
                        }
                    }
                    let p = teleport.at(v, u);
                    let extra = match dangling {
                        Dangling::Teleport => mass * p,
                        Dangling::Uniform => mass * u,
                        Dangling::SelfLoop => {
                            if inv[v] == 0.0 {
                                x[v]
                            } else {
                                0.0
                            }
                        }
                    };
                    let new = d * (acc + extra) + (1.0 - d) * p;
                    res += (new - x[v]).abs();
                    *xv = new;
                    let iv = inv[v];
                    *mv = new * iv;
                    if iv == 0.0 {
                        dm += new;
                    }
                }
                (res, dm)
            })
            .collect();
        previous = residual;
        residual = parts.iter().map(|p| p.0).sum();
        mass = if dangling == Dangling::SelfLoop {
            0.0
        } else {
            parts.iter().map(|p| p.1).sum()
        };
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut msg, &mut msg_new);
        if residual < options.tolerance {
            converged = true;
            break;
        }
    }
    PowerOutcome {
        scores: x,
        iterations,
        residual,
        converged,
        previous,
    }
}

/// Power iteration of `k` columns in one sweep of the CSR per iteration,
/// row-major `n × k` state; column `j` starts from `starts[j]` (summing to
/// 1) and stops after `caps[j]` sweeps or on convergence, then stays frozen.
pub(super) fn run_batch(
    graph: &LayerGraph,
    options: &PageRankOptions,
    prep: &Prep,
    ps: &[&[f64]],
    starts: Vec<Vec<f64>>,
    caps: &[usize],
) -> Vec<PowerOutcome> {
    let n = graph.num_nodes();
    let k = ps.len();
    let d = options.damping;
    let u = 1.0 / n as f64;
    let inv = &prep.inv;
    let inc = graph.in_csr();
    let (offsets, sources, weights) = (inc.offsets(), inc.neighbors(), inc.weights());
    let weighted = options.weighted && !prep.unit;
    let dangling = options.dangling;
    // Row-major n × k teleport vectors and state.
    let mut tele = vec![0.0; n * k];
    let mut x = vec![0.0; n * k];
    for j in 0..k {
        for v in 0..n {
            tele[v * k + j] = ps[j][v];
            x[v * k + j] = starts[j][v];
        }
    }
    drop(starts);
    let mut msg: Vec<f64> = (0..n * k).map(|i| x[i] * inv[i / k]).collect();
    // Dangling mass per column, summed in block order as in `run_single`.
    let mut mass = vec![0.0; k];
    {
        let parts: Vec<Vec<f64>> = (0..n.div_ceil(BLOCK))
            .into_par_iter()
            .map(|b| {
                let mut dm = vec![0.0; k];
                for v in b * BLOCK..((b + 1) * BLOCK).min(n) {
                    if inv[v] == 0.0 {
                        for j in 0..k {
                            dm[j] += x[v * k + j];
                        }
                    }
                }
                dm
            })
            .collect();
        for part in &parts {
            for j in 0..k {
                mass[j] += part[j];
            }
        }
    }
    let mut x_new = vec![0.0; n * k];
    let mut msg_new = vec![0.0; n * k];
    let mut active: Vec<bool> = caps.iter().map(|&c| c > 0).collect();
    let mut residual = vec![f64::INFINITY; k];
    let mut previous = vec![f64::INFINITY; k];
    let mut converged = vec![false; k];
    let mut iterations = vec![0usize; k];
    let mut it = 0;
    while active.iter().any(|a| *a) {
        it += 1;
        let parts: Vec<Vec<f64>> = x_new
            .par_chunks_mut(BLOCK * k)
            .zip(msg_new.par_chunks_mut(BLOCK * k))
            .enumerate()
            .map(|(b, (xn, mn))| {
                let base = b * BLOCK;
                // [residual_0..k, dangling_0..k]
                let mut agg = vec![0.0; 2 * k];
                let mut acc = vec![0.0; k];
                for i in 0..xn.len() / k {
                    let v = base + i;
                    let (lo, hi) = (offsets[v] as usize, offsets[v + 1] as usize);
                    acc.iter_mut().for_each(|a| *a = 0.0);
                    for e in lo..hi {
                        let s = sources[e] as usize;
                        let row = &msg[s * k..s * k + k];
                        if weighted {
                            let w = f64::from(weights[e]);
                            for (a, m) in acc.iter_mut().zip(row) {
                                *a += m * w;
                            }
                        } else {
                            for (a, m) in acc.iter_mut().zip(row) {
                                *a += m;
                            }
                        }
                    }
                    let iv = inv[v];
                    for j in 0..k {
                        let old = x[v * k + j];
                        let new = if active[j] {
                            let p = tele[v * k + j];
                            let extra = match dangling {
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
                        agg[j] += (new - old).abs();
                        xn[i * k + j] = new;
                        mn[i * k + j] = new * iv;
                        if iv == 0.0 {
                            agg[k + j] += new;
                        }
                    }
                }
                agg
            })
            .collect();
        let mut res = vec![0.0; k];
        let mut dm = vec![0.0; k];
        for part in &parts {
            for j in 0..k {
                res[j] += part[j];
                dm[j] += part[k + j];
            }
        }
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut msg, &mut msg_new);
        for j in 0..k {
            if active[j] {
                iterations[j] += 1;
                previous[j] = residual[j];
                residual[j] = res[j];
                mass[j] = if dangling == Dangling::SelfLoop {
                    0.0
                } else {
                    dm[j]
                };
                if res[j] < options.tolerance {
                    converged[j] = true;
                    active[j] = false;
                } else if iterations[j] >= caps[j] {
                    active[j] = false;
                }
            }
        }
        debug_assert!(it <= caps.iter().copied().max().unwrap_or(0));
    }
    (0..k)
        .map(|j| PowerOutcome {
            scores: (0..n).map(|v| x[v * k + j]).collect(),
            iterations: iterations[j],
            residual: residual[j],
            converged: converged[j],
            previous: previous[j],
        })
        .collect()
}
